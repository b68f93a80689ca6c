/** @module x87 vector forms: every D8–DF form with register and memory operands, edge operands, each RC/PC, stack faults and masked/unmasked exceptions. */
import type { CaseSpec, Form, G } from "./lib.ts";
import { DATA_ADDR, WIN } from "./format.ts";

const F = "x87";

type V80 = [number, number, number]; // se, hi, lo

const EDGE80: V80[] = [
  [0, 0, 0],
  [0x8000, 0, 0],
  [0x3fff, 0x80000000, 0],
  [0xbfff, 0x80000000, 0],
  [0x7fff, 0x80000000, 0],
  [0xffff, 0x80000000, 0],
  [0x7fff, 0xc0000000, 0],
  [0xffff, 0xc0000000, 0],
  [0x7fff, 0xa0000000, 0],
  [0xffff, 0x80000000, 1],
  [0x7fff, 0xc1234567, 0x89abcdef],
  [0, 0, 1],
  [0, 0x7fffffff, 0xffffffff],
  [0x8000, 0x40000000, 0],
  [0x0001, 0x80000000, 0],
  [0x7ffe, 0xffffffff, 0xffffffff],
  [0xfffe, 0xffffffff, 0xffffffff],
  [0x3fff, 0x40000000, 0], // unnormal
  [0x0000, 0x80000000, 0], // pseudo-denormal
  [0x7fff, 0, 0], // pseudo-infinity
  [0x3ffe, 0x80000000, 0],
  [0x4000, 0xc0000000, 0],
  [0x403e, 0x80000000, 0],
  [0x403d, 0xffffffff, 0xffffffff],
  [0x401e, 0xffffffff, 0],
  [0x3fff, 0x80000000, 1],
  [0x3ffe, 0xffffffff, 0xffffffff],
  [0x4000, 0xc90fdaa2, 0x2168c235],
  [0x3fff, 0xc90fdaa2, 0x2168c235],
  [0xc00d, 0x8c000000, 0],
  [0x3c00, 0x80000000, 0],
];

/** Value ranges for the operands a form reads. */
type Dom = "any" | "trig" | "unit" | "pos" | "lp1" | "int" | "huge";

function v80(g: G, dom: Dom = "any"): V80 {
  const r = g.rng, x = r.int(100);
  const sign = r.chance(dom === "pos" ? 0.05 : 0.4) ? 0x8000 : 0;
  const hi = (0x80000000 | r.u32()) >>> 0;
  const lo = r.chance(0.2) ? 0 : r.u32();
  if (x < 15) return r.pick(EDGE80);
  switch (dom) {
    case "trig":
      return [sign | (0x3fff + r.range(-40, x < 25 ? 64 : 8)), hi, lo];
    case "unit":
      return [sign | (0x3fff - r.range(0, x < 25 ? 70 : 12)), hi, lo];
    case "pos":
      return [sign | (0x3fff + r.range(x < 30 ? -3000 : -20, x < 30 ? 3000 : 20)), hi, lo];
    case "lp1":
      return [sign | (0x3fff - r.range(2, x < 25 ? 70 : 12)), hi, lo];
    case "int":
      return [sign | (0x3fff + r.range(-2, 66)), hi, r.chance(0.5) ? lo & 0xffff0000 : lo];
    case "huge":
      return [sign | (0x3fff + r.range(-4, 20000)), hi, lo];
  }
  if (x < 75) return [sign | (0x3fff + r.range(-12, 12)), hi, lo];
  if (x < 82) return [sign | (0x3fff + r.range(-70, 70)), hi, r.chance(0.5) ? 0 : lo];
  if (x < 90) return [sign | r.range(0, 0x7fff), hi, lo];
  return [r.u32() & 0xffff, r.u32(), r.u32()];
}

interface X87Spec {
  name: string;
  /** opcode bytes before ModRM */
  op: number;
  /** ModRM.reg */
  reg: number;
  /** memory operand bytes (memory form) or undefined (register form, rm below) */
  mem?: number;
  /** fixed ModRM.rm for register forms (else random) */
  rm?: number;
  /** memory contents */
  fill?: (g: G, buf: Uint8Array) => void;
  /** operand domain for ST(0) / ST(1) */
  dom?: Dom;
  dom1?: Dom;
  /** the form pushes: keep ST(7) mostly empty */
  pushes?: boolean;
  ulp?: number;
  prefix?: number[];
  n?: number;
}

function putV(fx: Uint8Array, st: number, v: V80): void {
  const dv = new DataView(fx.buffer);
  dv.setUint32(32 + 16 * st, v[2], true);
  dv.setUint32(36 + 16 * st, v[1], true);
  dv.setUint16(40 + 16 * st, v[0], true);
}

/** The FXSAVE image: random RC/PC (sometimes unmasked exceptions), TOP, tags, condition codes, registers. */
function x87Image(g: G, s: X87Spec): Uint8Array {
  const r = g.rng;
  const fx = new Uint8Array(512), dv = new DataView(fx.buffer);
  let masks = 0x3f;
  if (r.chance(0.12)) masks = r.u32() & 0x3f;
  const cw = 0x40 | masks | (r.int(4) << 8) | (r.int(4) << 10);
  dv.setUint16(0, cw, true);
  const top = r.int(8);
  let sw = (top << 11) | (r.u32() & 0x4700);
  if (r.chance(0.3)) sw |= r.u32() & 0x3f & masks;
  dv.setUint16(2, sw, true);
  let tag = r.u32() & 0xff;
  const need = (st: number, p: number) => {
    const bit = 1 << ((top + st) & 7);
    if (r.chance(p)) tag |= bit;
    else tag &= ~bit;
  };
  need(0, 0.93);
  need(1, 0.93);
  need(s.rm ?? 0, 0.93);
  if (s.pushes) need(7, 0.12);
  fx[4] = tag;
  dv.setUint32(24, 0x1f80, true);
  for (let st = 0; st < 8; st++) {
    putV(fx, st, v80(g, st === 0 ? s.dom : st === 1 ? s.dom1 ?? s.dom : "any"));
  }
  return fx;
}

function form(s: X87Spec): Form {
  return {
    family: F,
    name: s.name,
    n: s.n ?? 36,
    fx: "x87",
    ulp: s.ulp,
    gen(g: G): CaseSpec {
      const rm = s.rm ?? g.rng.int(8);
      const spec = { ...s, rm: s.mem === undefined ? rm : undefined };
      g.fx = x87Image(g, spec);
      let modrm: number[];
      if (s.mem !== undefined && s.mem > WIN) {
        // fnsave/frstor images: a wide window (the data window and the WIN bytes after it)
        const wide = new Uint8Array(2 * WIN);
        wide.set(g.data);
        for (let k = WIN; k < 2 * WIN; k++) wide[k] = g.rng.u32() & 0xff;
        const m = g.mem(s.mem, [], g.rng.int(2 * WIN - s.mem + 1));
        const buf = new Uint8Array(s.mem);
        for (let k = 0; k < s.mem; k++) buf[k] = g.rng.u32() & 0xff;
        s.fill?.(g, buf);
        wide.set(buf, m.addr - DATA_ADDR);
        g.data.set(wide.subarray(0, WIN));
        g.ext = wide.slice(WIN);
        modrm = m.enc(s.reg);
      } else if (s.mem !== undefined) {
        const m = g.mem(s.mem);
        const buf = new Uint8Array(s.mem);
        for (let k = 0; k < s.mem; k++) buf[k] = g.rng.u32() & 0xff;
        s.fill?.(g, buf);
        g.data.set(buf, m.addr - DATA_ADDR);
        modrm = m.enc(s.reg);
      } else modrm = [0xc0 | (s.reg << 3) | rm];
      if (s.op === 0x9b) return { code: [0x9b] };
      return { code: [...(s.prefix ?? []), s.op, ...modrm] };
    },
  };
}

// ---- memory fillers ------------------------------------------------------------------------

const F32_EDGE = [
  0,
  0x80000000,
  0x3f800000,
  0xbf800000,
  0x7f800000,
  0xff800000,
  0x7fc00000,
  0xffc00000,
  0x7fa00001,
  0x00000001,
  0x007fffff,
  0x80000001,
  0x00800000,
  0x7f7fffff,
  0xff7fffff,
  0x3f000000,
];

const le = (buf: Uint8Array, off: number, v: number, n: number) => {
  for (let k = 0; k < n; k++) buf[off + k] = (v >>> (8 * k)) & 0xff;
};

function fillF32(g: G, b: Uint8Array): void {
  const r = g.rng, x = r.int(100);
  let v: number;
  if (x < 25) v = r.pick(F32_EDGE);
  else if (x < 85) {
    v = ((r.chance(0.4) ? 0x80000000 : 0) | ((127 + r.range(-12, 12)) << 23) |
      (r.u32() & 0x7fffff)) >>> 0;
  } else v = r.u32();
  le(b, 0, v, 4);
}

function fillF64(g: G, b: Uint8Array): void {
  const r = g.rng, x = r.int(100);
  let hi: number, lo = r.u32();
  if (x < 25) {
    hi = r.pick([
      0,
      0x80000000,
      0x3ff00000,
      0xbff00000,
      0x7ff00000,
      0xfff00000,
      0x7ff80000,
      0x7ff40000,
      0x00080000,
      0x000fffff,
      0x7fefffff,
    ]);
    lo = r.chance(0.5) ? 0 : r.chance(0.5) ? 1 : lo;
  } else if (x < 85) {
    hi = ((r.chance(0.4) ? 0x80000000 : 0) | ((1023 + r.range(-12, 12)) << 20) |
      (r.u32() & 0xfffff)) >>> 0;
  } else hi = r.u32();
  le(b, 0, lo, 4);
  le(b, 4, hi, 4);
}

function fillInt(n: number): (g: G, b: Uint8Array) => void {
  return (g, b) => {
    const r = g.rng;
    if (r.chance(0.3)) {
      const e = r.pick([0, 1, 0xff, 0x80, 0x7f]);
      for (let k = 0; k < n; k++) b[k] = k === n - 1 ? e : r.pick([0, 0xff]);
    } else if (r.chance(0.5)) {
      // small magnitudes
      const v = r.range(-100000, 100000);
      for (let k = 0; k < n; k++) b[k] = k < 4 ? (v >>> (8 * k)) & 0xff : v < 0 ? 0xff : 0;
    }
  };
}

function fillF80(g: G, b: Uint8Array): void {
  const v = v80(g);
  le(b, 0, v[2], 4);
  le(b, 4, v[1], 4);
  le(b, 8, v[0], 2);
}

function fillBcd(g: G, b: Uint8Array): void {
  const r = g.rng;
  const digits = r.int(19);
  for (let k = 0; k < 9; k++) {
    const lo = 2 * k < digits ? r.int(10) : 0, hi = 2 * k + 1 < digits ? r.int(10) : 0;
    b[k] = (hi << 4) | lo;
  }
  b[9] = r.chance(0.4) ? 0x80 : 0;
}

function fillEnv(g: G, b: Uint8Array): void {
  const r = g.rng;
  for (let k = 0; k < b.length; k++) b[k] = r.u32() & 0xff;
  const o16 = b.length === 14 || b.length === 94;
  const cw = 0x40 | (r.chance(0.8) ? 0x3f : r.u32() & 0x3f) | (r.int(4) << 8) | (r.int(4) << 10);
  le(b, 0, cw, 2);
  le(b, o16 ? 2 : 4, r.u32() & 0x7f7f, 2);
  le(b, o16 ? 4 : 8, r.chance(0.5) ? r.u32() : 0, 2);
}

// ---- the forms -------------------------------------------------------------------------------

const ARITH = ["fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"];
const ARITH_R = ["fadd", "fmul", "fcom2", "fcomp3", "fsubr", "fsub", "fdivr", "fdiv"];

export function x87ArithForms(): Form[] {
  const out: Form[] = [];
  const memKinds: [number, string, number, (g: G, b: Uint8Array) => void][] = [
    [0xd8, "m32fp", 4, fillF32],
    [0xdc, "m64fp", 8, fillF64],
    [0xda, "m32int", 4, fillInt(4)],
    [0xde, "m16int", 2, fillInt(2)],
  ];
  for (const [op, what, n, fill] of memKinds) {
    for (let reg = 0; reg < 8; reg++) {
      const mn = op === 0xda || op === 0xde ? "fi" + ARITH[reg].slice(1) : ARITH[reg];
      out.push(form({ name: `${mn} st0, ${what}`, op, reg, mem: n, fill, n: 40 }));
    }
  }
  for (let reg = 0; reg < 8; reg++) {
    out.push(form({ name: `${ARITH[reg]} st0, st(i) (d8)`, op: 0xd8, reg, n: 44 }));
    out.push(form({ name: `${ARITH_R[reg]} st(i), st0 (dc)`, op: 0xdc, reg, n: 44 }));
    const p = reg === 3 ? "fcompp" : reg === 2 ? "fcomp5" : ARITH_R[reg] + "p";
    out.push(form({ name: `${p} (de)`, op: 0xde, reg, rm: reg === 3 ? 1 : undefined, n: 44 }));
  }
  return out;
}

export function x87MiscForms(): Form[] {
  const out: Form[] = [];
  const D9_4 = [[0, "fchs"], [1, "fabs"], [4, "ftst"], [5, "fxam"]] as const;
  for (const [rm, mn] of D9_4) out.push(form({ name: mn, op: 0xd9, reg: 4, rm }));
  const CONSTS = ["fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"];
  CONSTS.forEach((mn, rm) => out.push(form({ name: mn, op: 0xd9, reg: 5, rm, pushes: true })));
  out.push(form({ name: "fld st(i)", op: 0xd9, reg: 0, pushes: true }));
  out.push(form({ name: "fxch st(i)", op: 0xd9, reg: 1 }));
  out.push(form({ name: "fnop", op: 0xd9, reg: 2, rm: 0, n: 8 }));
  out.push(form({ name: "fstp1 st(i)", op: 0xd9, reg: 3, n: 12 }));
  out.push(form({ name: "fxch4 st(i)", op: 0xdd, reg: 1, n: 12 }));
  out.push(form({ name: "fxch7 st(i)", op: 0xdf, reg: 1, n: 12 }));
  out.push(form({ name: "fstp8 st(i)", op: 0xdf, reg: 2, n: 12 }));
  out.push(form({ name: "fstp9 st(i)", op: 0xdf, reg: 3, n: 12 }));
  out.push(form({ name: "fxtract", op: 0xd9, reg: 6, rm: 4, pushes: true }));
  out.push(form({ name: "fprem1", op: 0xd9, reg: 6, rm: 5, n: 60 }));
  out.push(form({ name: "fprem", op: 0xd9, reg: 7, rm: 0, n: 60 }));
  out.push(form({ name: "fdecstp", op: 0xd9, reg: 6, rm: 6, n: 12 }));
  out.push(form({ name: "fincstp", op: 0xd9, reg: 6, rm: 7, n: 12 }));
  out.push(form({ name: "fsqrt", op: 0xd9, reg: 7, rm: 2, n: 50 }));
  out.push(form({ name: "frndint", op: 0xd9, reg: 7, rm: 4, dom: "int", n: 50 }));
  out.push(form({ name: "fscale", op: 0xd9, reg: 7, rm: 5, dom1: "int", n: 50 }));
  const cc = ["b", "e", "be", "u"];
  cc.forEach((c, reg) => {
    out.push(form({ name: `fcmov${c}`, op: 0xda, reg }));
    out.push(form({ name: `fcmovn${c}`, op: 0xdb, reg }));
  });
  out.push(form({ name: "fucompp", op: 0xda, reg: 5, rm: 1 }));
  out.push(form({ name: "fnclex", op: 0xdb, reg: 4, rm: 2, n: 12 }));
  out.push(form({ name: "fninit", op: 0xdb, reg: 4, rm: 3, n: 8 }));
  out.push(form({ name: "fucomi", op: 0xdb, reg: 5 }));
  out.push(form({ name: "fcomi", op: 0xdb, reg: 6 }));
  out.push(form({ name: "fucomip", op: 0xdf, reg: 5 }));
  out.push(form({ name: "fcomip", op: 0xdf, reg: 6 }));
  out.push(form({ name: "ffree st(i)", op: 0xdd, reg: 0, n: 12 }));
  out.push(form({ name: "ffreep st(i)", op: 0xdf, reg: 0, n: 12 }));
  out.push(form({ name: "fst st(i)", op: 0xdd, reg: 2 }));
  out.push(form({ name: "fstp st(i)", op: 0xdd, reg: 3 }));
  out.push(form({ name: "fucom st(i)", op: 0xdd, reg: 4 }));
  out.push(form({ name: "fucomp st(i)", op: 0xdd, reg: 5 }));
  out.push(form({ name: "fnstsw ax", op: 0xdf, reg: 4, rm: 0, n: 12 }));
  return out;
}

export function x87MemForms(): Form[] {
  const out: Form[] = [];
  const m = (
    name: string,
    op: number,
    reg: number,
    mem: number,
    fill?: (g: G, b: Uint8Array) => void,
    pushes = false,
    n = 36,
  ) => out.push(form({ name, op, reg, mem, fill, pushes, n }));
  m("fld m32fp", 0xd9, 0, 4, fillF32, true);
  m("fst m32fp", 0xd9, 2, 4, undefined, false, 44);
  m("fstp m32fp", 0xd9, 3, 4, undefined, false, 44);
  m("fld m64fp", 0xdd, 0, 8, fillF64, true);
  m("fst m64fp", 0xdd, 2, 8, undefined, false, 44);
  m("fstp m64fp", 0xdd, 3, 8, undefined, false, 44);
  m("fld m80fp", 0xdb, 5, 10, fillF80, true);
  m("fstp m80fp", 0xdb, 7, 10);
  m("fild m16int", 0xdf, 0, 2, fillInt(2), true);
  m("fild m32int", 0xdb, 0, 4, fillInt(4), true);
  m("fild m64int", 0xdf, 5, 8, fillInt(8), true);
  out.push(form({ name: "fist m16int", op: 0xdf, reg: 2, mem: 2, dom: "int", n: 40 }));
  out.push(form({ name: "fistp m16int", op: 0xdf, reg: 3, mem: 2, dom: "int", n: 40 }));
  out.push(form({ name: "fisttp m16int", op: 0xdf, reg: 1, mem: 2, dom: "int", n: 40 }));
  out.push(form({ name: "fist m32int", op: 0xdb, reg: 2, mem: 4, dom: "int", n: 40 }));
  out.push(form({ name: "fistp m32int", op: 0xdb, reg: 3, mem: 4, dom: "int", n: 40 }));
  out.push(form({ name: "fisttp m32int", op: 0xdb, reg: 1, mem: 4, dom: "int", n: 40 }));
  out.push(form({ name: "fistp m64int", op: 0xdf, reg: 7, mem: 8, dom: "int", n: 40 }));
  out.push(form({ name: "fisttp m64int", op: 0xdd, reg: 1, mem: 8, dom: "int", n: 40 }));
  m("fbld m80bcd", 0xdf, 4, 10, fillBcd, true);
  out.push(form({ name: "fbstp m80bcd", op: 0xdf, reg: 6, mem: 10, dom: "int", n: 40 }));
  m("fnstcw m16", 0xd9, 7, 2, undefined, false, 12);
  m(
    "fldcw m16",
    0xd9,
    5,
    2,
    (g, b) =>
      le(b, 0, 0x40 | (g.rng.chance(0.7) ? 0x3f : g.rng.u32() & 0x3f) | (g.rng.u32() & 0xf00), 2),
    false,
    24,
  );
  m("fnstsw m16", 0xdd, 7, 2, undefined, false, 12);
  m("fnstenv m28", 0xd9, 6, 28, undefined, false, 24);
  m("fldenv m28", 0xd9, 4, 28, fillEnv, false, 24);
  out.push(form({ name: "fnstenv m14 (o16)", op: 0xd9, reg: 6, mem: 14, prefix: [0x66], n: 16 }));
  out.push(
    form({
      name: "fldenv m14 (o16)",
      op: 0xd9,
      reg: 4,
      mem: 14,
      prefix: [0x66],
      fill: fillEnv,
      n: 16,
    }),
  );
  out.push(form({ name: "fwait", op: 0x9b, reg: 0, rm: 0, n: 8 }));
  return out;
}

/** fnsave/frstor state: the environment followed by ST(0)..ST(7), 80 bits each. */
function fillState(g: G, b: Uint8Array): void {
  fillEnv(g, b);
  const env = b.length - 80;
  for (let k = 0; k < 8; k++) fillF80(g, b.subarray(env + 10 * k));
}

/** fnsave/frstor: their images (108 bytes, 94 with 0x66) need the wide data window. */
export function x87StateForms(): Form[] {
  return [
    form({ name: "fnsave m108", op: 0xdd, reg: 6, mem: 108, n: 24 }),
    form({ name: "frstor m108", op: 0xdd, reg: 4, mem: 108, fill: fillState, n: 24 }),
    form({ name: "fnsave m94 (o16)", op: 0xdd, reg: 6, mem: 94, prefix: [0x66], n: 16 }),
    form({
      name: "frstor m94 (o16)",
      op: 0xdd,
      reg: 4,
      mem: 94,
      prefix: [0x66],
      fill: fillState,
      n: 16,
    }),
  ];
}

export function x87TransForms(): Form[] {
  const t = (name: string, reg: number, rm: number, dom: Dom, dom1?: Dom, pushes = false) =>
    form({ name, op: 0xd9, reg, rm, dom, dom1, pushes, ulp: 1, n: 60 });
  return [
    t("f2xm1", 6, 0, "unit"),
    t("fyl2x", 6, 1, "pos", "any"),
    t("fptan", 6, 2, "trig", undefined, true),
    t("fpatan", 6, 3, "any", "any"),
    t("fyl2xp1", 7, 1, "lp1", "any"),
    t("fsincos", 7, 3, "trig", undefined, true),
    t("fsin", 7, 6, "trig"),
    t("fcos", 7, 7, "trig"),
  ];
}
