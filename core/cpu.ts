/**
 * @module The i386 register file: GPRs, eip, EFLAGS (lazy), segment registers, TLS descriptors,
 * and the x87/MMX/SSE state (see VEC for the shared vector buffer layout).
 */
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

/**
 * Byte offsets into `Cpu.vec`, the one buffer that holds the XMM registers, the x87/MMX
 * significands and the SIMD scratch areas, so one set of typed-array views serves all of them.
 */
export const VEC = {
  /** XMM0..7, 16 bytes each */
  XMM: 0,
  /** x87 physical registers R0..R7: the 64-bit significand, 8 bytes each; MMx = Rx */
  MM: 128,
  /** a memory source operand is loaded here (16 bytes) */
  SRC: 192,
  /** results that must not overwrite their inputs early (shuffles, packs) */
  TMP: 208,
  /** second scratch area */
  TMP2: 224,
  SIZE: 240,
} as const;

/** MXCSR bits. */
export const Mxcsr = {
  IE: 1 << 0,
  DE: 1 << 1,
  ZE: 1 << 2,
  OE: 1 << 3,
  UE: 1 << 4,
  PE: 1 << 5,
  DAZ: 1 << 6,
  IM: 1 << 7,
  DM: 1 << 8,
  ZM: 1 << 9,
  OM: 1 << 10,
  UM: 1 << 11,
  PM: 1 << 12,
  RC_SHIFT: 13,
  FTZ: 1 << 15,
  DEFAULT: 0x1f80,
  /** writable bits (no MM/misaligned-exception mode): LDMXCSR/FXRSTOR #GP on others */
  MASK: 0xffff,
} as const;

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

  // ---- x87 / MMX / SSE ----
  /** Backing store for XMM registers, x87 significands and SIMD scratch (layout: VEC). */
  readonly vec: ArrayBuffer = new ArrayBuffer(VEC.SIZE);
  readonly vu8: Uint8Array = new Uint8Array(this.vec);
  readonly vi8: Int8Array = new Int8Array(this.vec);
  readonly vu16: Uint16Array = new Uint16Array(this.vec);
  readonly vi16: Int16Array = new Int16Array(this.vec);
  readonly vu32: Uint32Array = new Uint32Array(this.vec);
  readonly vi32: Int32Array = new Int32Array(this.vec);
  readonly vf32: Float32Array = new Float32Array(this.vec);
  readonly vf64: Float64Array = new Float64Array(this.vec);
  /** XMM0..7 as bytes (a view of `vec`) */
  readonly xmm: Uint8Array = new Uint8Array(this.vec, VEC.XMM, 128);
  /**
   * x87 physical register Rk = significand `fpSig[2k]` (low 32 bits) | `fpSig[2k + 1]` (high
   * 32 bits, explicit integer bit at bit 31) and sign|exponent `fpExp[k]`. ST(i) = R((TOP + i) & 7).
   * MMX register k is the significand of Rk; an MMX write sets fpExp[k] to 0xffff.
   */
  readonly fpSig: Uint32Array = new Uint32Array(this.vec, VEC.MM, 16);
  readonly fpExp: Uint16Array = new Uint16Array(8);
  /** x87 control word */
  fpCw = 0x037f;
  /** x87 status word without TOP (bits 11..13 are kept in fpTop) */
  fpSw = 0;
  fpTop = 0;
  /** full x87 tag word, 2 bits per physical register (00 valid, 01 zero, 10 special, 11 empty) */
  fpTag = 0xffff;
  /** last x87 opcode / instruction and operand pointers, as FXSAVE stores them */
  fpFop = 0;
  fpIp = 0;
  fpCs = 0;
  fpDp = 0;
  fpDs = 0;
  mxcsr: number = Mxcsr.DEFAULT;

  // ---- interpreter scratch (core/ only) ----
  /** Set by a handler that ends the run: see interpreter.ts PENDING. */
  pending = 0;

  /** Copies the x87/MMX/SSE state from another thread's Cpu (clone, fork). */
  copyVectorState(from: Cpu): void {
    this.vu8.set(from.vu8);
    this.fpExp.set(from.fpExp);
    this.fpCw = from.fpCw;
    this.fpSw = from.fpSw;
    this.fpTop = from.fpTop;
    this.fpTag = from.fpTag;
    this.fpFop = from.fpFop;
    this.fpIp = from.fpIp;
    this.fpCs = from.fpCs;
    this.fpDp = from.fpDp;
    this.fpDs = from.fpDs;
    this.mxcsr = from.mxcsr;
  }

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
