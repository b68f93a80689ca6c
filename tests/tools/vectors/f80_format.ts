/** @module The stored f80 vector format (tests/vectors/f80/<op>.json), shared by the generator and core/fpu/f80_test.ts. */
import type { NativeOp } from "./f80_native.ts";

/** Status-word bits stored: exceptions, SF, ES, C0-C3 (TOP and B are dropped). */
export const SW_MASK = 0x47ff;

/** How one op's cases are generated and which fields its rows hold. */
export interface F80Spec {
  /** generator kind */
  gen:
    | "pair"
    | "cmp"
    | "unary"
    | "scale"
    | "int16"
    | "int32"
    | "int64"
    | "intish"
    | "f32"
    | "f64"
    | "bcd"
    | "narrow"
    | "mem32"
    | "mem64";
  /** cases per (PC, RC) combination, or per RC when `pc` is false */
  n: number;
  /** iterate over all three precision controls */
  pc?: boolean;
  /** some cases get random exception masks */
  unmasked?: boolean;
  /** intish: largest unbiased exponent generated */
  maxExp?: number;
  /** stored input widths in bytes */
  aBytes: number;
  bBytes?: number;
  /** stored outputs */
  st0?: boolean;
  st1?: boolean;
  memBytes?: number;
  efl?: boolean;
}

const BIN = { aBytes: 10, bBytes: 10, st0: true } as const;
const UN = { aBytes: 10, st0: true } as const;

/** Every op with stored vectors. */
export const F80_FIELDS: Partial<Record<NativeOp, F80Spec>> = {
  fadd: { gen: "pair", n: 300, pc: true, unmasked: true, ...BIN },
  fsub: { gen: "pair", n: 300, pc: true, unmasked: true, ...BIN },
  fmul: { gen: "pair", n: 300, pc: true, unmasked: true, ...BIN },
  fdiv: { gen: "pair", n: 300, pc: true, unmasked: true, ...BIN },
  fsqrt: { gen: "unary", n: 200, pc: true, unmasked: true, ...UN },
  fcom: { gen: "cmp", n: 150, unmasked: true, aBytes: 10, bBytes: 10 },
  fucom: { gen: "cmp", n: 150, unmasked: true, aBytes: 10, bBytes: 10 },
  fcomi: { gen: "cmp", n: 100, unmasked: true, aBytes: 10, bBytes: 10, efl: true },
  fucomi: { gen: "cmp", n: 100, unmasked: true, aBytes: 10, bBytes: 10, efl: true },
  ftst: { gen: "unary", n: 100, unmasked: true, aBytes: 10 },
  fxam: { gen: "unary", n: 100, aBytes: 10 },
  frndint: { gen: "intish", n: 300, maxExp: 66, unmasked: true, ...UN },
  fscale: { gen: "scale", n: 300, unmasked: true, ...BIN },
  fxtract: { gen: "unary", n: 150, unmasked: true, ...UN, st1: true },
  fprem: { gen: "pair", n: 300, unmasked: true, ...BIN },
  fprem1: { gen: "pair", n: 300, unmasked: true, ...BIN },
  fabs: { gen: "unary", n: 30, ...UN },
  fchs: { gen: "unary", n: 30, ...UN },
  fld_m32: { gen: "f32", n: 100, unmasked: true, aBytes: 4, st0: true },
  fld_m64: { gen: "f64", n: 100, unmasked: true, aBytes: 8, st0: true },
  fst_m32: { gen: "narrow", n: 300, unmasked: true, aBytes: 10, memBytes: 4 },
  fst_m64: { gen: "narrow", n: 300, unmasked: true, aBytes: 10, memBytes: 8 },
  fild_m16: { gen: "int16", n: 40, aBytes: 2, st0: true },
  fild_m32: { gen: "int32", n: 40, aBytes: 4, st0: true },
  fild_m64: { gen: "int64", n: 80, aBytes: 8, st0: true },
  fist_m16: { gen: "intish", n: 200, maxExp: 17, unmasked: true, aBytes: 10, memBytes: 2 },
  fist_m32: { gen: "intish", n: 200, maxExp: 33, unmasked: true, aBytes: 10, memBytes: 4 },
  fistp_m64: { gen: "intish", n: 200, maxExp: 65, unmasked: true, aBytes: 10, memBytes: 8 },
  fisttp_m16: { gen: "intish", n: 100, maxExp: 17, aBytes: 10, memBytes: 2 },
  fisttp_m32: { gen: "intish", n: 100, maxExp: 33, aBytes: 10, memBytes: 4 },
  fisttp_m64: { gen: "intish", n: 100, maxExp: 65, aBytes: 10, memBytes: 8 },
  fbld: { gen: "bcd", n: 100, aBytes: 10, st0: true },
  fbstp: { gen: "intish", n: 200, maxExp: 61, unmasked: true, aBytes: 10, memBytes: 10 },
  fadd_m32: { gen: "mem32", n: 150, unmasked: true, aBytes: 10, bBytes: 4, st0: true },
  fadd_m64: { gen: "mem64", n: 150, unmasked: true, aBytes: 10, bBytes: 8, st0: true },
  fdiv_m32: { gen: "mem32", n: 150, unmasked: true, aBytes: 10, bBytes: 4, st0: true },
  fcom_m64: { gen: "mem64", n: 100, unmasked: true, aBytes: 10, bBytes: 8 },
};

/** A stored file. */
export interface F80File {
  op: string;
  /** the host CPU the vectors were captured on */
  cpu: string;
  count: number;
  /** `cw a [b] sw [st0] [st1] [mem] [efl]` in hex */
  rows: string[];
}
