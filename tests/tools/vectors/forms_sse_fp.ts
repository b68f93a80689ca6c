/**
 * @module SSE/SSE2 floating-point vector forms: arithmetic, MIN/MAX, SQRT, RCP/RSQRT, compares,
 * COMIS/UCOMIS and conversions, each under random MXCSR rounding modes, FTZ/DAZ and sticky flags.
 */
import type { Form } from "./lib.ts";
import { both, type Lane, type SimdSpec } from "./simd.ts";

const ARITH: [number, string][] = [
  [0x58, "add"],
  [0x59, "mul"],
  [0x5c, "sub"],
  [0x5d, "min"],
  [0x5e, "div"],
  [0x5f, "max"],
  [0x51, "sqrt"],
];

/** [suffix, prefix, lane, memory bytes, aligned] */
const SHAPES: [string, number[], Lane, number, boolean][] = [
  ["ps", [], "ps", 16, true],
  ["pd", [0x66], "pd", 16, true],
  ["ss", [0xf3], "ps", 4, false],
  ["sd", [0xf2], "pd", 8, false],
];

const cmpImm = (g: { i: number; rng: { int(n: number): number } }) =>
  g.i < 16 ? g.i & 7 : g.rng.int(8);

function arithForms(family: string, single: boolean): Form[] {
  const out: Form[] = [];
  for (const [op, mn] of ARITH) {
    for (const [sfx, pre, lane, mem, align] of SHAPES) {
      if ((lane === "ps") !== single) continue;
      const src = mem === 16 ? "xmm/m128" : mem === 8 ? "xmm/m64" : "xmm/m32";
      out.push(...both(
        {
          family,
          name: `${mn}${sfx} xmm, ${src}`,
          n: 96,
          op: [...pre, 0x0f, op],
          reg: "xmm",
          rm: "xmm",
          lane,
          mx: "round",
        },
        mem,
        align,
      ));
    }
  }
  for (const [sfx, pre, lane, mem, align] of SHAPES) {
    if ((lane === "ps") !== single) continue;
    const src = mem === 16 ? "xmm/m128" : mem === 8 ? "xmm/m64" : "xmm/m32";
    out.push(...both(
      {
        family,
        name: `cmp${sfx} xmm, ${src}, imm8`,
        n: 64,
        op: [...pre, 0x0f, 0xc2],
        reg: "xmm",
        rm: "xmm",
        lane,
        mx: "round",
        imm: cmpImm,
      },
      mem,
      align,
    ));
  }
  const s = single ? "s" : "d";
  const p = single ? [] : [0x66];
  for (const [mn, op] of [[`ucomis${s}`, 0x2e], [`comis${s}`, 0x2f]] as const) {
    out.push(...both(
      {
        family,
        name: `${mn} xmm, xmm/m${single ? 32 : 64}`,
        n: 64,
        op: [...p, 0x0f, op],
        reg: "xmm",
        rm: "xmm",
        lane: single ? "ps" : "pd",
        mx: "round",
      },
      single ? 4 : 8,
      false,
    ));
  }
  if (single) {
    const tol: [number, number] = [0xffffffff, 1 / 1024];
    out.push(
      ...both(
        {
          family,
          name: "rcpps xmm, xmm/m128",
          op: [0x0f, 0x53],
          reg: "xmm",
          rm: "xmm",
          lane: "ps",
          tol,
        },
        16,
        true,
      ),
      ...both(
        {
          family,
          name: "rcpss xmm, xmm/m32",
          op: [0xf3, 0x0f, 0x53],
          reg: "xmm",
          rm: "xmm",
          lane: "ps",
          tol,
        },
        4,
        false,
      ),
      ...both(
        {
          family,
          name: "rsqrtps xmm, xmm/m128",
          op: [0x0f, 0x52],
          reg: "xmm",
          rm: "xmm",
          lane: "ps",
          tol,
        },
        16,
        true,
      ),
      ...both(
        {
          family,
          name: "rsqrtss xmm, xmm/m32",
          op: [0xf3, 0x0f, 0x52],
          reg: "xmm",
          rm: "xmm",
          lane: "ps",
          tol,
        },
        4,
        false,
      ),
    );
  }
  return out;
}

export const sseFpForms = (): Form[] => arithForms("sse_fp", true);
export const sse2FpForms = (): Form[] => arithForms("sse2_fp", false);

/** Conversions: [name, opcode bytes, reg kind, rm kind, lane, memory bytes, aligned, mmx] */
const CVT: [string, number[], SimdSpec["reg"], SimdSpec["rm"], Lane, number, boolean, boolean][] = [
  ["cvtpi2ps xmm, mm/m64", [0x0f, 0x2a], "xmm", "mm", "d", 8, false, true],
  ["cvtpi2pd xmm, mm/m64", [0x66, 0x0f, 0x2a], "xmm", "mm", "d", 8, false, true],
  ["cvtsi2ss xmm, r/m32", [0xf3, 0x0f, 0x2a], "xmm", "gpr", "d", 4, false, false],
  ["cvtsi2sd xmm, r/m32", [0xf2, 0x0f, 0x2a], "xmm", "gpr", "d", 4, false, false],
  ["cvttps2pi mm, xmm/m64", [0x0f, 0x2c], "mm", "xmm", "ps", 8, false, true],
  ["cvttpd2pi mm, xmm/m128", [0x66, 0x0f, 0x2c], "mm", "xmm", "pd", 16, true, true],
  ["cvttss2si r32, xmm/m32", [0xf3, 0x0f, 0x2c], "gpr", "xmm", "ps", 4, false, false],
  ["cvttsd2si r32, xmm/m64", [0xf2, 0x0f, 0x2c], "gpr", "xmm", "pd", 8, false, false],
  ["cvtps2pi mm, xmm/m64", [0x0f, 0x2d], "mm", "xmm", "ps", 8, false, true],
  ["cvtpd2pi mm, xmm/m128", [0x66, 0x0f, 0x2d], "mm", "xmm", "pd", 16, true, true],
  ["cvtss2si r32, xmm/m32", [0xf3, 0x0f, 0x2d], "gpr", "xmm", "ps", 4, false, false],
  ["cvtsd2si r32, xmm/m64", [0xf2, 0x0f, 0x2d], "gpr", "xmm", "pd", 8, false, false],
  ["cvtps2pd xmm, xmm/m64", [0x0f, 0x5a], "xmm", "xmm", "ps", 8, false, false],
  ["cvtpd2ps xmm, xmm/m128", [0x66, 0x0f, 0x5a], "xmm", "xmm", "pd", 16, true, false],
  ["cvtss2sd xmm, xmm/m32", [0xf3, 0x0f, 0x5a], "xmm", "xmm", "ps", 4, false, false],
  ["cvtsd2ss xmm, xmm/m64", [0xf2, 0x0f, 0x5a], "xmm", "xmm", "pd", 8, false, false],
  ["cvtdq2ps xmm, xmm/m128", [0x0f, 0x5b], "xmm", "xmm", "d", 16, true, false],
  ["cvtps2dq xmm, xmm/m128", [0x66, 0x0f, 0x5b], "xmm", "xmm", "ps", 16, true, false],
  ["cvttps2dq xmm, xmm/m128", [0xf3, 0x0f, 0x5b], "xmm", "xmm", "ps", 16, true, false],
  ["cvttpd2dq xmm, xmm/m128", [0x66, 0x0f, 0xe6], "xmm", "xmm", "pd", 16, true, false],
  ["cvtdq2pd xmm, xmm/m64", [0xf3, 0x0f, 0xe6], "xmm", "xmm", "d", 8, false, false],
  ["cvtpd2dq xmm, xmm/m128", [0xf2, 0x0f, 0xe6], "xmm", "xmm", "pd", 16, true, false],
];

export function sseCvtForms(): Form[] {
  const out: Form[] = [];
  for (const [name, op, reg, rm, lane, mem, align, mmx] of CVT) {
    out.push(
      ...both(
        { family: "sse_cvt", name, n: 80, op, reg, rm, lane, mem: undefined, mx: "round", mmx },
        mem,
        align,
      ),
    );
  }
  return out;
}
