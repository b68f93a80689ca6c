/** @module The i386 register file: GPRs, eip, EFLAGS (lazy), segment registers and TLS descriptors. */
import { arithFlags, LazyOp } from "./flags.ts";

/** GPR indices in ModRM order. */
export const Reg = { EAX: 0, ECX: 1, EDX: 2, EBX: 3, ESP: 4, EBP: 5, ESI: 6, EDI: 7 } as const;
/** Segment register indices in ModRM sreg order. */
export const Seg = { ES: 0, CS: 1, SS: 2, DS: 3, FS: 4, GS: 5 } as const;

/** EFLAGS bits. */
export const Flag = {
  CF: 1 << 0,
  PF: 1 << 2,
  AF: 1 << 4,
  ZF: 1 << 6,
  SF: 1 << 7,
  TF: 1 << 8,
  IF: 1 << 9,
  DF: 1 << 10,
  OF: 1 << 11,
  NT: 1 << 14,
  AC: 1 << 18,
  ID: 1 << 21,
} as const;

/** The arithmetic flags, kept lazily (see core/flags.ts). */
export const ARITH_FLAGS = Flag.CF | Flag.PF | Flag.AF | Flag.ZF | Flag.SF | Flag.OF;
/** EFLAGS bits user code can change with POPF / the kernel with sigreturn (IOPL, IF, VM stay fixed). */
export const USER_FLAGS = ARITH_FLAGS | Flag.TF | Flag.DF | Flag.NT | Flag.AC | Flag.ID;

/** A user segment descriptor as installed by set_thread_area / modify_ldt. */
export interface SegmentDescriptor {
  base: number;
  limit: number;
  /** limit counted in 4 KiB pages */
  limitInPages: boolean;
  seg32bit: boolean;
  contents: number;
  readExecOnly: boolean;
  segNotPresent: boolean;
  useable: boolean;
}

/** Why `run()` returned. The interpreter allocates one per stop, never per instruction. */
export type StopReason =
  | { kind: "syscall" }
  | { kind: "fault"; signal: number; code: number; addr: number }
  | { kind: "budget" }
  | { kind: "halt" };

/**
 * TLS GDT entries at indices 12..14 (selectors 0x63, 0x6b, 0x73), as an x86_64 kernel gives
 * i386 programs: our oracle host runs them that way (user CS 0x23, DS 0x2b).
 */
export const GDT_ENTRY_TLS_MIN = 12;
export const GDT_ENTRY_TLS_ENTRIES = 3;

/**
 * One thread's CPU state. Threads share a Memory but each has a Cpu.
 * Public surface used outside core/: regs, eip, getEflags/setEflags, seg/segBase,
 * gdt, loadSegment, stop, icBase, tscBase, tscPerInsn.
 */
export class Cpu {
  /** eax ecx edx ebx esp ebp esi edi, as int32 (use >>> 0 for unsigned) */
  readonly regs: Int32Array = new Int32Array(8);
  eip = 0;
  /** Segment selectors ES CS SS DS FS GS. */
  readonly seg: Uint16Array = new Uint16Array([0x2b, 0x23, 0x2b, 0x2b, 0, 0]);
  /** Segment base addresses, added to every effective address using that segment. */
  readonly segBase: Int32Array = new Int32Array(6);
  /** GDT entries the kernel installed (index = selector >> 3). */
  readonly gdt: (SegmentDescriptor | undefined)[] = new Array(32);
  /** LDT entries from modify_ldt (index = selector >> 3 with TI set). */
  readonly ldt: (SegmentDescriptor | undefined)[] = [];

  /** Set by run() before it returns. */
  stop: StopReason = { kind: "halt" };

  /** Global retired-instruction count at the start of the current run() (set by the kernel). */
  icBase = 0;
  /** RDTSC = tscBase + (icBase + retired in this run) * tscPerInsn; the kernel clock sets both. */
  tscBase = 0;
  tscPerInsn = 1;

  // ---- EFLAGS ----
  /** Non-arithmetic EFLAGS bits (DF, ID, AC, IF, TF, reserved bit 1). */
  flagsMisc = 0x202;
  /** Arithmetic flags CF PF AF ZF SF OF, authoritative when `lop` is LazyOp.NONE. */
  flagsArith = 0;
  /** Lazy flags: the last flag-setting operation (LazyOp), its size in bytes, operands, result. */
  lop = 0;
  lsize = 4;
  la = 0;
  lb = 0;
  lr = 0;
  /** carry-in for ADC/SBB; the preserved CF for INC/DEC */
  lcf = 0;

  // ---- interpreter scratch (core/ only) ----
  /** Set by a handler that ends the run: see interpreter.ts PENDING. */
  pending = 0;

  getEflags(): number {
    return (this.flagsMisc | arithFlags(this) | 2) >>> 0;
  }

  setEflags(v: number): void {
    this.flagsArith = v & ARITH_FLAGS;
    this.lop = LazyOp.NONE;
    this.flagsMisc = (v & (USER_FLAGS & ~ARITH_FLAGS)) | 0x202;
  }

  /**
   * Loads a segment register from a selector as `mov sreg, r/m16` does.
   * Returns false when the selector is invalid (the caller raises #GP → SIGSEGV).
   */
  loadSegment(sreg: number, selector: number): boolean {
    selector &= 0xffff;
    if ((selector & 0xfffc) === 0) {
      if (sreg === Seg.SS || sreg === Seg.CS) return false;
      this.seg[sreg] = selector;
      this.segBase[sreg] = 0;
      return true;
    }
    const index = selector >> 3;
    const table = selector & 4 ? this.ldt : this.gdt;
    let base = 0;
    if (!(selector & 4) && (index === 4 || index === 5)) {
      base = 0; // flat __USER32_CS/__USER_DS
    } else {
      const d = table[index];
      if (d === undefined || d.segNotPresent) return false;
      base = d.base;
    }
    this.seg[sreg] = selector;
    this.segBase[sreg] = base;
    return true;
  }
}
