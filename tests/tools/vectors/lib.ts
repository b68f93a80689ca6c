/** @module Building blocks for vector forms: seeded PRNG, initial-state builder, ModRM/SIB encoder, flag masks. */
import { DATA_ADDR, FULL_MASK, STACK_INIT, STACK_WIN, WIN } from "./format.ts";

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const DF = 0x400;
export const OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
export { FULL_MASK };
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

export const R32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"] as const;
export const R16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"] as const;
export const R8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"] as const;

/** Memory windows a vector maps and compares. */
export const Region = { DATA: 1, STACK: 2 } as const;

/** mulberry32: small, fast, deterministic. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  u32(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
}

/** FNV-1a, to seed each form from its name (adding a form leaves the others unchanged). */
export function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const EDGE: Record<number, readonly number[]> = {
  8: [0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x0f, 0x10, 0x40],
  16: [0, 1, 2, 0x7fff, 0x8000, 0x8001, 0xffff, 0xfffe, 0xff, 0x100, 0x80, 0x7f],
  32: [
    0,
    1,
    2,
    0x7fffffff,
    0x80000000,
    0x80000001,
    0xffffffff,
    0xfffffffe,
    0xffff,
    0x10000,
    0x80,
    0xff,
    0x7fff,
    0x8000,
  ],
};

export function maskOf(bits: number): number {
  return bits === 32 ? 0xffffffff : (1 << bits) - 1;
}

/** A memory operand: its address and its ModRM (+SIB, disp) bytes for a given reg field. */
export interface MemOp {
  addr: number;
  enc(regField: number): number[];
}

/** A ModRM r/m operand: a register or memory. */
export type RmOp = { kind: "reg"; reg: number } | { kind: "mem"; mem: MemOp };

/** Where an operand lives, for the reference checks. */
export type Loc =
  | { kind: "reg"; reg: number; bits: number }
  | { kind: "mem"; addr: number; bits: number }
  | { kind: "imm"; value: number; bits: number };

/** A piece of an instruction: a byte, or the displacement to the case's branch target. */
export type CodePart = number | { rel: 1 | 4 };

/** A machine state as the native harness captured it. */
export interface State {
  regs: number[];
  eflags: number;
  data: Uint8Array;
  stack: Uint8Array;
  eip: number;
  /** FXSAVE image (fx families) */
  fx?: Uint8Array;
}

/** What a form's generator returns for one case (the initial state lives in the G). */
export interface CaseSpec {
  code: CodePart[];
  /** EFLAGS compare mask, or a function of the captured initial state */
  mask?: number | ((init: State) => number);
  /** place a branch target stub `pad` bytes before (back) or after the instruction */
  branch?: { back: boolean; pad: number };
  /** optional self-consistency check against a JS model; returns an error text */
  check?: (init: State, fin: State) => string | undefined;
}

export interface Form {
  family: string;
  name: string;
  n: number;
  /** vector state beyond GPRs: "sse" stores XMM + MXCSR, "mmx" also the x87/MMX registers */
  fx?: "sse" | "mmx" | "x87";
  /** x87 forms: ST registers compare within this many ulps (transcendentals), C1 ignored */
  ulp?: number;
  /** [lane mask, relative error]: lanes compared approximately (RCP/RSQRT) */
  tol?: [number, number];
  gen(g: G): CaseSpec;
}

/** A patch the harness applies after loading a case: `target` (nasm expr) ← `value` (nasm expr or "T"). */
export type Patch = [string, string];

/** Initial-state builder for one case. */
export class G {
  readonly regs: number[] = new Array(8).fill(0);
  readonly fixed: boolean[] = new Array(8).fill(false);
  eflags: number;
  readonly data: Uint8Array = new Uint8Array(WIN);
  readonly stack: Uint8Array = new Uint8Array(WIN);
  regions = 0;
  readonly patches: Patch[] = [];
  /** FXSAVE image for fx forms (set by the form) */
  fx: Uint8Array | undefined = undefined;
  /** wide forms: the WIN data bytes after the data window (its vector window is 2 × WIN) */
  ext: Uint8Array | undefined = undefined;
  /** segment forms: a TLS descriptor base the harness loads into the segments `sregs` (bit = sreg) */
  tls: { base: number; sregs: number } | undefined = undefined;

  constructor(readonly rng: Rng, readonly i: number) {
    for (let r = 0; r < 8; r++) this.regs[r] = this.val(32);
    this.regs[ESP] = STACK_INIT;
    for (let k = 0; k < WIN; k++) {
      this.data[k] = rng.u32() & 0xff;
      this.stack[k] = rng.u32() & 0xff;
    }
    this.eflags = this.randomFlags();
  }

  randomFlags(): number {
    return 0x202 | (this.rng.u32() & ARITH) | (this.rng.chance(0.25) ? DF : 0);
  }

  /** A biased random operand value of `bits` width. */
  val(bits: number): number {
    const r = this.rng;
    const x = r.u32() % 100;
    if (x < 35) return r.pick(EDGE[bits]);
    if (x < 45) return r.int(17);
    if (x < 52) return (maskOf(bits) - r.int(17)) >>> 0;
    return (r.u32() & maskOf(bits)) >>> 0;
  }

  /** `list[i]` for the first cases of a form, then a random pick (or `other()`), for edge coverage. */
  edge<T>(list: readonly T[], other?: () => T): T {
    if (this.i < list.length) return list[this.i];
    if (other && this.rng.chance(0.6)) return other();
    return this.rng.pick(list);
  }

  /** A random general register index, never ESP, not in `avoid`. */
  reg(avoid: readonly number[] = []): number {
    const ok = [0, 1, 2, 3, 5, 6, 7].filter((r) => !avoid.includes(r));
    return this.rng.pick(ok);
  }

  /** A random 8-bit register index (AL..BH) whose full register is not in `avoid`. */
  reg8(avoid: readonly number[] = []): number {
    const ok = [0, 1, 2, 3, 4, 5, 6, 7].filter((r) => !avoid.includes(r & 3));
    return this.rng.pick(ok);
  }

  /** Full register index holding the operand `reg` of `bits` width. */
  static full(reg: number, bits: number): number {
    return bits === 8 ? reg & 3 : reg;
  }

  setReg(reg: number, bits: number, v: number): void {
    const full = G.full(reg, bits);
    if (this.fixed[full]) return;
    if (bits === 32) this.regs[reg] = v >>> 0;
    else if (bits === 16) this.regs[reg] = ((this.regs[reg] & 0xffff0000) | (v & 0xffff)) >>> 0;
    else if (reg < 4) this.regs[reg] = ((this.regs[reg] & ~0xff) | (v & 0xff)) >>> 0;
    else this.regs[reg - 4] = ((this.regs[reg - 4] & ~0xff00) | ((v & 0xff) << 8)) >>> 0;
  }

  /** Sets a register and keeps later setReg calls from changing it. */
  fix(reg: number, v: number): void {
    this.regs[reg] = v >>> 0;
    this.fixed[reg] = true;
  }

  setMem(addr: number, bits: number, v: number): void {
    const [buf, off] = this.#window(addr);
    for (let k = 0; k < bits / 8; k++) buf[off + k] = (v >>> (8 * k)) & 0xff;
  }

  #window(addr: number): [Uint8Array, number] {
    if (addr >= DATA_ADDR && addr < DATA_ADDR + WIN) {
      this.regions |= Region.DATA;
      return [this.data, addr - DATA_ADDR];
    }
    if (addr >= STACK_WIN && addr < STACK_WIN + WIN) {
      this.regions |= Region.STACK;
      return [this.stack, addr - STACK_WIN];
    }
    throw new RangeError(`Address 0x${addr.toString(16)} is outside the windows`);
  }

  /**
   * A memory operand of `bytes` size inside the data window, with a random addressing mode.
   * Base/index registers get the values that make the address and are fixed; `avoid` keeps
   * implicit registers out of the address.
   */
  mem(bytes: number, avoid: readonly number[] = [], off?: number): MemOp {
    const r = this.rng;
    this.regions |= Region.DATA;
    const addr = DATA_ADDR + (off ?? r.int(WIN - bytes + 1));
    const free = [0, 1, 2, 3, 5, 6, 7].filter((x) => !avoid.includes(x) && !this.fixed[x]);
    const mode = free.length < 2 ? 0 : r.int(8);
    const d8 = () => r.range(-128, 127);
    const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    if (mode === 0) return { addr, enc: (g) => [(g << 3) | 5, ...le32(addr)] };
    const base = r.pick(free);
    const rest = free.filter((x) => x !== base);
    if (mode === 1 && base !== EBP) {
      this.fix(base, addr);
      return { addr, enc: (g) => [(g << 3) | base] };
    }
    if (mode <= 2) {
      const d = d8();
      this.fix(base, addr - d);
      return { addr, enc: (g) => [0x40 | (g << 3) | base, d & 0xff] };
    }
    if (mode === 3) {
      const d = r.u32();
      this.fix(base, addr - d);
      return { addr, enc: (g) => [0x80 | (g << 3) | base, ...le32(d)] };
    }
    const index = r.pick(rest);
    const scale = r.int(4);
    const iv = r.chance(0.5) ? r.int(64) : r.u32();
    const scaled = Math.imul(iv, 1 << scale);
    if (mode === 4) {
      // [index*s + disp32] (no base)
      const d = (addr - scaled) >>> 0;
      this.fix(index, iv);
      return { addr, enc: (g) => [(g << 3) | 4, (scale << 6) | (index << 3) | 5, ...le32(d)] };
    }
    if (mode === 5 && base !== EBP) {
      this.fix(index, iv);
      this.fix(base, addr - scaled);
      return { addr, enc: (g) => [(g << 3) | 4, (scale << 6) | (index << 3) | base] };
    }
    if (mode <= 6) {
      const d = d8();
      this.fix(index, iv);
      this.fix(base, addr - scaled - d);
      return { addr, enc: (g) => [0x44 | (g << 3), (scale << 6) | (index << 3) | base, d & 0xff] };
    }
    // SIB with no index (index field 100), base + disp32
    const d = r.u32();
    this.fix(base, addr - d);
    return { addr, enc: (g) => [0x84 | (g << 3), (4 << 3) | base, ...le32(d)] };
  }

  /** The state built so far, for reading operands back in setup code. */
  state(): State {
    return { regs: this.regs, eflags: this.eflags, data: this.data, stack: this.stack, eip: 0 };
  }

  /** Writes an operand location (register or memory). */
  write(loc: Loc, v: number): void {
    if (loc.kind === "reg") this.setReg(loc.reg, loc.bits, v);
    else if (loc.kind === "mem") this.setMem(loc.addr, loc.bits, v);
  }

  /** A random branch-target placement for control-transfer forms. */
  branch(maxPad = 90): { back: boolean; pad: number } {
    return { back: this.rng.chance(0.5), pad: this.rng.int(maxPad + 1) };
  }

  /** Reads an operand from a captured state. */
  static read(s: State, loc: Loc): number {
    if (loc.kind === "imm") return loc.value >>> 0;
    if (loc.kind === "reg") {
      if (loc.bits === 32) return s.regs[loc.reg] >>> 0;
      if (loc.bits === 16) return s.regs[loc.reg] & 0xffff;
      return loc.reg < 4 ? s.regs[loc.reg] & 0xff : (s.regs[loc.reg - 4] >>> 8) & 0xff;
    }
    const inData = loc.addr >= DATA_ADDR && loc.addr < DATA_ADDR + WIN;
    const buf = inData ? s.data : s.stack;
    const off = loc.addr - (inData ? DATA_ADDR : STACK_WIN);
    let v = 0;
    for (let k = loc.bits / 8 - 1; k >= 0; k--) v = v * 256 + buf[off + k];
    return v >>> 0;
  }
}

/** ModRM bytes for an r/m operand with the given reg field. */
export function modrm(regField: number, rm: RmOp): number[] {
  return rm.kind === "reg" ? [0xc0 | (regField << 3) | rm.reg] : rm.mem.enc(regField);
}

export function imm(v: number, bytes: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < bytes; k++) out.push((v >>> (8 * k)) & 0xff);
  return out;
}

export function locOf(rm: RmOp, bits: number): Loc {
  return rm.kind === "reg"
    ? { kind: "reg", reg: rm.reg, bits }
    : { kind: "mem", addr: rm.mem.addr, bits };
}

export function parity(v: number): number {
  let b = v & 0xff, n = 0;
  while (b) {
    n += b & 1;
    b >>= 1;
  }
  return n & 1 ? 0 : PF;
}

export function szp(v: number, bits: number): number {
  v = (v & maskOf(bits)) >>> 0;
  return (v === 0 ? ZF : 0) | ((v >>> (bits - 1)) & 1 ? SF : 0) | parity(v);
}

export function flagText(f: number): string {
  const names: [number, string][] = [
    [OF, "O"],
    [DF, "D"],
    [SF, "S"],
    [ZF, "Z"],
    [AF, "A"],
    [PF, "P"],
    [CF, "C"],
  ];
  return names.map(([b, n]) => (f & b ? n : "-")).join("");
}

export { DATA_ADDR, STACK_INIT, STACK_WIN, WIN };
