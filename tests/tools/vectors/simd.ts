/** @module Building blocks for MMX/SSE vector forms: lane value generators, MXCSR choices, FXSAVE images, a ModRM form builder. */
import { type CaseSpec, type Form, G, imm, type MemOp, WIN } from "./lib.ts";
import { DATA_ADDR } from "./format.ts";

/** Lane types: integers of a width, float32, float64. */
export type Lane = "b" | "w" | "d" | "q" | "ps" | "pd";

const F32_EDGE = [
  0x00000000,
  0x80000000,
  0x3f800000,
  0xbf800000,
  0x7f800000,
  0xff800000,
  0x7fc00000,
  0xffc00000,
  0x7fa00001,
  0xff800001,
  0x7fc12345,
  0x00000001,
  0x007fffff,
  0x80000001,
  0x00800000,
  0x80800000,
  0x7f7fffff,
  0xff7fffff,
  0x4b000000,
  0x4f000000,
  0xcf000000,
  0x4effffff,
  0xcf000001,
  0x3f000000,
  0x3fc00000,
  0x40200000,
  0xbfc00000,
  0x3f800001,
  0x33800000,
  0x34000000,
  0x4b800001,
  0x00400000,
  0x40000000,
  0x3eaaaaab,
];
const F64_EDGE: [number, number][] = [
  [0, 0],
  [0x80000000, 0],
  [0x3ff00000, 0],
  [0xbff00000, 0],
  [0x7ff00000, 0],
  [0xfff00000, 0],
  [0x7ff80000, 0],
  [0xfff80000, 0],
  [0x7ff40000, 1],
  [0x7ff00000, 1],
  [0x7ff8dead, 0xbeef],
  [0, 1],
  [0x000fffff, 0xffffffff],
  [0x80000000, 1],
  [0x00100000, 0],
  [0x7fefffff, 0xffffffff],
  [0xffefffff, 0xffffffff],
  [0x41dfffff, 0xffc00000], // 2^31 - 1
  [0x41e00000, 0], // 2^31
  [0xc1e00000, 0], // -2^31
  [0xc1e00000, 0x00100000], // -2^31 - 0.5
  [0x41dfffff, 0xffe00000], // 2^31 - 0.5
  [0x3fe00000, 0],
  [0x3ff80000, 0],
  [0x40040000, 0],
  [0x3ff00000, 1],
  [0x3ca00000, 0], // 2^-53
  [0x47efffff, 0xe0000000], // float32 max
  [0x47efffff, 0xf0000000], // float32 max + half ulp
  [0x36a00000, 0], // float32 min denormal
  [0x38100000, 0], // float32 min normal
  [0x380fffff, 0xf0000000],
  [0x3ff00000, 0x10000000], // 1 + half float32 ulp: a float32 tie
];
const INT_EDGE: Record<string, number[]> = {
  b: [0, 1, 0x7f, 0x80, 0xff, 0x81, 0x7e, 0x40],
  w: [0, 1, 0x7fff, 0x8000, 0xffff, 0x8001, 0x00ff, 0xff00],
  d: [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80000001, 0xffff, 0x10000],
};

/** A random float32 bit pattern: edges, moderate exponents (so operands interact), extremes. */
function f32Bits(g: G): number {
  const r = g.rng, x = r.u32() % 100;
  if (x < 30) return r.pick(F32_EDGE) >>> 0;
  const sign = r.chance(0.3) ? 0x80000000 : 0;
  const man = r.chance(0.2) ? r.u32() & 0x7ff000 : r.u32() & 0x7fffff;
  let e: number;
  if (x < 80) e = 127 + r.range(-6, 6);
  else if (x < 88) e = r.range(1, 30);
  else if (x < 94) e = r.range(225, 254);
  else return r.u32() >>> 0;
  return (sign | (e << 23) | man) >>> 0;
}

function f64Bits(g: G): [number, number] {
  const r = g.rng, x = r.u32() % 100;
  if (x < 30) return r.pick(F64_EDGE);
  const sign = r.chance(0.3) ? 0x80000000 : 0;
  const mhi = r.u32() & 0xfffff, lo = r.chance(0.2) ? 0 : r.u32();
  let e: number;
  if (x < 80) e = 1023 + r.range(-6, 6);
  else if (x < 85) e = r.range(1, 60);
  else if (x < 90) e = r.range(1990, 2046);
  else if (x < 94) e = 1023 + r.range(-160, 160); // float32 range edges for conversions
  else return [r.u32(), r.u32()];
  return [(sign | (e << 20) | mhi) >>> 0, lo >>> 0];
}

/** Writes `n` bytes of random lane values into buf at off. */
export function fillLanes(g: G, lane: Lane, buf: Uint8Array, off: number, n: number): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = g.rng;
  for (let k = 0; k < n;) {
    if (lane === "ps") {
      dv.setUint32(off + k, f32Bits(g), true);
      k += 4;
    } else if (lane === "pd") {
      const [hi, lo] = f64Bits(g);
      dv.setUint32(off + k, lo, true);
      dv.setUint32(off + k + 4, hi, true);
      k += 8;
    } else if ((lane === "q" || r.chance(0.4)) && k + 4 <= n) {
      dv.setUint32(off + k, r.u32(), true);
      k += 4;
    } else {
      const bytes = lane === "b" ? 1 : lane === "w" ? 2 : 4;
      const v = r.chance(0.5) ? r.pick(INT_EDGE[lane]) : r.u32();
      for (let j = 0; j < bytes; j++) buf[off + k + j] = (v >>> (8 * j)) & 0xff;
      k += bytes;
    }
  }
}

/** MXCSR choices: "default" 0x1f80; "round" adds a random rounding mode, sometimes FTZ/DAZ and sticky flags. */
export type MxMode = "default" | "round";

function mxcsrFor(g: G, mode: MxMode): number {
  if (mode === "default") return 0x1f80;
  const r = g.rng;
  let m = 0x1f80 | (r.int(4) << 13);
  if (r.chance(0.15)) m |= 0x8000;
  if (r.chance(0.15)) m |= 0x40;
  if (r.chance(0.2)) m |= r.u32() & 0x3f;
  return m;
}

/** Builds the FXSAVE image: XMM lanes, MXCSR, and for MMX forms random MM registers, TOP and tags. */
export function fxImage(g: G, lane: Lane, mx: MxMode, mmx: boolean): Uint8Array {
  const fx = new Uint8Array(512), dv = new DataView(fx.buffer);
  const r = g.rng;
  dv.setUint16(0, 0x037f, true);
  dv.setUint32(24, mxcsrFor(g, mx), true);
  for (let k = 0; k < 8; k++) fillLanes(g, lane, fx, 160 + 16 * k, 16);
  if (mmx) {
    dv.setUint16(2, r.int(8) << 11, true);
    fx[4] = r.chance(0.5) ? r.u32() & 0xff : 0;
    for (let k = 0; k < 8; k++) {
      fillLanes(g, lane, fx, 32 + 16 * k, 8);
      dv.setUint16(40 + 16 * k, r.chance(0.5) ? 0xffff : r.u32() & 0xffff, true);
    }
  }
  return fx;
}

/** Operand kinds in a SIMD form: MMX/XMM register, general register, or a /digit. */
export type Kind = "mm" | "xmm" | "gpr" | number;

export interface SimdSpec {
  family: string;
  name: string;
  n?: number;
  /** prefix + 0F + opcode */
  op: number[];
  reg: Kind;
  rm: Kind;
  /** memory operand of this many bytes instead of the rm register */
  mem?: number;
  /** memory operand 16-byte aligned */
  align?: boolean;
  /** an imm8 follows */
  imm?: (g: G) => number;
  lane: Lane;
  mx?: MxMode;
  /** the form reads/writes MMX registers (stores x87 state in the vector) */
  mmx?: boolean;
  /** EFLAGS compare mask (default: all) */
  mask?: number;
  /** RCP/RSQRT: lanes compared approximately */
  tol?: [number, number];
  /** extra setup after the operands are chosen (e.g. edi for maskmov) */
  setup?: (g: G, m: MemOp | undefined) => void;
  /** shift by register: the source's low qword is usually a count in [0, count] */
  count?: number;
}

/** Builds a form for a SIMD instruction with a ModRM operand. */
export function simd(s: SimdSpec): Form {
  return {
    family: s.family,
    name: s.name,
    n: s.n ?? 24,
    fx: s.mmx ? "mmx" : "sse",
    tol: s.tol,
    gen(g: G): CaseSpec {
      g.fx = fxImage(g, s.lane, s.mx ?? "default", s.mmx ?? false);
      let regField: number;
      if (typeof s.reg === "number") regField = s.reg;
      else if (s.reg === "gpr") {
        regField = g.reg();
        g.setReg(regField, 32, g.val(32));
      } else regField = g.rng.int(8);
      let rmBytes: number[];
      let m: MemOp | undefined;
      if (s.mem !== undefined) {
        const bytes = s.mem;
        let off: number;
        if (s.align) off = 16 * g.rng.int(WIN / 16);
        else off = g.rng.chance(0.3) ? 16 * g.rng.int(WIN / 16) : g.rng.int(WIN - bytes + 1);
        m = g.mem(bytes, typeof s.reg === "string" && s.reg === "gpr" ? [regField] : [], off);
        const tmp = new Uint8Array(16);
        fillLanes(g, s.lane, tmp, 0, 16);
        if (s.count !== undefined && g.rng.chance(0.8)) {
          tmp.fill(0, 0, 8);
          tmp[0] = g.rng.int(s.count + 3);
        }
        for (let k = 0; k < bytes; k++) g.data[m.addr - DATA_ADDR + k] = tmp[k];
        rmBytes = m.enc(regField);
      } else {
        let rm: number;
        if (s.rm === "gpr") {
          rm = g.reg([...(s.reg === "gpr" ? [regField] : [])]);
          if (g.rng.chance(0.2) && s.reg === "gpr") rm = regField;
          g.setReg(rm, 32, g.val(32));
        } else if (typeof s.rm === "number") rm = s.rm;
        else rm = g.rng.int(8);
        rmBytes = [0xc0 | (regField << 3) | rm];
        if (s.count !== undefined && g.rng.chance(0.8)) {
          const base = s.rm === "mm" ? 32 + 16 * rm : 160 + 16 * rm;
          // MMX registers live in ST order: physical rm is ST((rm - TOP) & 7)
          const top = (g.fx[3] >> 3) & 7;
          const at = s.rm === "mm" ? 32 + 16 * ((rm - top) & 7) : base;
          g.fx.fill(0, at, at + 8);
          g.fx[at] = g.rng.int(s.count + 3);
        }
      }
      s.setup?.(g, m);
      const code = [...s.op, ...rmBytes, ...(s.imm ? imm(s.imm(g), 1) : [])];
      return { code, mask: s.mask ?? 0x247fd7 };
    },
  };
}

/** Both the register and the memory form of a spec (names get " (reg)" / " (mem)"). */
export function both(s: SimdSpec, memBytes: number, align: boolean): Form[] {
  return [
    simd({ ...s, name: s.name + " (reg)" }),
    simd({ ...s, name: s.name + " (mem)", mem: memBytes, align }),
  ];
}

export { G };
