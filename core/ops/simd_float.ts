/**
 * @module SSE/SSE2 floating point: packed and scalar arithmetic, MIN/MAX, SQRT, RCP/RSQRT, compares,
 * COMIS/UCOMIS, and every conversion, with MXCSR rounding, DAZ/FTZ and sticky exception flags.
 *
 * Elements are computed into the TMP scratch and committed only when no unmasked exception
 * occurred (then #XM → SIGFPE with the Linux si_code, destination unchanged, flags set).
 * NaNs are handled on raw bits so payloads and the signalling bit survive.
 */
import { type Cpu, Mxcsr } from "../cpu.ts";
import type { Handler, Insn } from "../decode.ts";
import { LazyOp } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { ea, raise, SIGFPE } from "./_operands.ts";
import {
  ADD,
  arith,
  ctx,
  DE,
  DIV,
  f32FromBits,
  IE,
  MAX,
  MIN,
  MUL,
  PE,
  roundInt,
  RZ,
  SQRT,
  SUB,
  toF32,
  UE,
  ZE,
} from "./_sse_fp.ts";
import { eaAligned, load, MM, mmxEnter, mmxWrote, TMP } from "./_vec.ts";

export const Op = { ADD, SUB, MUL, DIV, MIN, MAX, SQRT } as const;

const Q32 = 0x400000, Q64 = 0x80000;
const DEFAULT_NAN32 = 0xffc00000;
const INDEFINITE = 0x80000000 | 0;

const isNaN32 = (x: number) => (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
const isSNaN32 = (x: number) => isNaN32(x) && (x & Q32) === 0;
const isDen32 = (x: number) => (x & 0x7f800000) === 0 && (x & 0x7fffff) !== 0;
const isNaN64 = (hi: number, lo: number) =>
  (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0);
const isSNaN64 = (hi: number, lo: number) => isNaN64(hi, lo) && (hi & Q64) === 0;
const isDen64 = (hi: number, lo: number) =>
  (hi & 0x7ff00000) === 0 && ((hi & 0xfffff) !== 0 || lo !== 0);

/** Starts an instruction: loads rounding/DAZ/FTZ from MXCSR, clears the flags. */
function begin(c: Cpu, truncate = false): void {
  const m = c.mxcsr;
  ctx.rc = truncate ? RZ : (m >> 13) & 3;
  ctx.daz = (m & Mxcsr.DAZ) !== 0;
  ctx.ftz = (m & Mxcsr.FTZ) !== 0;
  ctx.ef = 0;
}

let flags = 0;

/** Raises #XM for unmasked exceptions, else makes the flags sticky; true when results may be written. */
function commit(c: Cpu, i: Insn): void {
  const f = flags;
  const unmasked = f & ~(c.mxcsr >> 7) & 0x3f;
  c.mxcsr |= f;
  if (unmasked) {
    const code = unmasked & IE
      ? 7
      : unmasked & ZE
      ? 3
      : unmasked & 8
      ? 4
      : unmasked & (UE | DE)
      ? 5
      : 6;
    raise(SIGFPE, code, i.addr);
  }
}

/** Copies `n` dwords from TMP to vec offset d. */
function put(c: Cpu, d: number, n: number): void {
  const w = c.vi32, t = TMP >> 2, b = d >> 2;
  for (let k = 0; k < n; k++) w[b + k] = w[t + k];
}

// ---- element operations (indexes are in element units of the views) ----
function el32(c: Cpu, op: number, ai: number, bi: number, ti: number): void {
  const u = c.vu32;
  let xa = u[ai] | 0, xb = u[bi] | 0;
  ctx.ef = 0;
  const na = op !== SQRT && isNaN32(xa), nb = isNaN32(xb);
  if (op === MIN || op === MAX) {
    if (na || nb) {
      // the source is returned, after DAZ
      flags |= IE;
      u[ti] = ctx.daz && isDen32(xb) ? xb & 0x80000000 : xb;
      return;
    }
  } else if (na || nb) {
    if ((op !== SQRT && isSNaN32(xa)) || isSNaN32(xb)) flags |= IE;
    u[ti] = (na ? xa : xb) | Q32;
    return;
  }
  let den = false;
  if (op !== SQRT && isDen32(xa)) {
    if (ctx.daz) xa &= 0x80000000;
    else den = true;
  }
  if (isDen32(xb)) {
    if (ctx.daz) xb &= 0x80000000;
    else den = true;
  }
  const a = f32FromBits(xa), b = f32FromBits(xb);
  if (op === MIN || op === MAX) {
    if (den) flags |= DE;
    u[ti] = (op === MIN ? a < b : a > b) ? xa : xb;
    return;
  }
  const r = arith(op, a, b, true);
  if (den && !(ctx.ef & (IE | ZE))) ctx.ef |= DE;
  flags |= ctx.ef;
  if (r !== r) u[ti] = DEFAULT_NAN32;
  else c.vf32[ti] = r;
}

function el64(c: Cpu, op: number, ai: number, bi: number, ti: number): void {
  const u = c.vu32;
  let ahi = u[2 * ai + 1] | 0, bhi = u[2 * bi + 1] | 0;
  const alo = u[2 * ai], blo = u[2 * bi];
  ctx.ef = 0;
  const na = op !== SQRT && isNaN64(ahi, alo), nb = isNaN64(bhi, blo);
  if (op === MIN || op === MAX) {
    if (na || nb) {
      flags |= IE;
      const flush = ctx.daz && isDen64(bhi, blo);
      u[2 * ti] = flush ? 0 : blo;
      u[2 * ti + 1] = flush ? bhi & 0x80000000 : bhi;
      return;
    }
  } else if (na || nb) {
    if ((op !== SQRT && isSNaN64(ahi, alo)) || isSNaN64(bhi, blo)) flags |= IE;
    u[2 * ti] = na ? alo : blo;
    u[2 * ti + 1] = (na ? ahi : bhi) | Q64;
    return;
  }
  let den = false;
  let a = c.vf64[ai], b = c.vf64[bi];
  if (op !== SQRT && isDen64(ahi, alo)) {
    if (ctx.daz) {
      a = ahi < 0 ? -0 : 0;
      ahi &= 0x80000000;
    } else den = true;
  }
  if (isDen64(bhi, blo)) {
    if (ctx.daz) {
      b = bhi < 0 ? -0 : 0;
      bhi &= 0x80000000;
    } else den = true;
  }
  if (op === MIN || op === MAX) {
    if (den) flags |= DE;
    c.vf64[ti] = (op === MIN ? a < b : a > b) ? a : b;
    return;
  }
  const r = arith(op, a, b, false);
  if (den && !(ctx.ef & (IE | ZE))) ctx.ef |= DE;
  flags |= ctx.ef;
  if (r !== r) {
    u[2 * ti] = 0;
    u[2 * ti + 1] = 0xfff80000;
  } else c.vf64[ti] = r;
}

/** The second operand's offset: register, or memory (aligned unless scalar). */
function src(c: Cpu, mem: Memory, i: Insn, bytes: number, scalar: boolean): number {
  if (!i.isMem) return i.rm << 4;
  return load(c, mem, scalar ? ea(c, i) : eaAligned(c, i), bytes);
}

/** addps/addpd/addss/addsd … sqrt*, min*, max* */
export function arith_(op: number, single: boolean, scalar: boolean): Handler {
  const bytes = scalar ? (single ? 4 : 8) : 16;
  const n = scalar ? 1 : single ? 4 : 2;
  return (c, mem, i) => {
    const s = src(c, mem, i, bytes, scalar);
    const d = i.reg << 4;
    begin(c);
    flags = 0;
    if (single) {
      for (let k = 0; k < n; k++) el32(c, op, (d >> 2) + k, (s >> 2) + k, (TMP >> 2) + k);
    } else {
      for (let k = 0; k < n; k++) el64(c, op, (d >> 3) + k, (s >> 3) + k, (TMP >> 3) + k);
    }
    commit(c, i);
    put(c, d, bytes >> 2);
  };
}
export { arith_ as arith };

// ---- compares ----
/** Compare predicate on (a, b) already known ordered: 0 eq 1 lt 2 le 4 neq 5 nlt 6 nle. */
function cmpPred(p: number, a: number, b: number, unordered: boolean): boolean {
  switch (p & 7) {
    case 0:
      return !unordered && a === b;
    case 1:
      return !unordered && a < b;
    case 2:
      return !unordered && a <= b;
    case 3:
      return unordered;
    case 4:
      return unordered || a !== b;
    case 5:
      return unordered || !(a < b);
    case 6:
      return unordered || !(a <= b);
    default:
      return !unordered;
  }
}

/** Signalling predicates (lt, le, nlt, nle) raise IE on QNaN too. */
const SIGNALS = [false, true, true, false, false, true, true, false];

export function cmp(single: boolean, scalar: boolean): Handler {
  const bytes = scalar ? (single ? 4 : 8) : 16;
  const n = scalar ? 1 : single ? 4 : 2;
  return (c, mem, i) => {
    const s = src(c, mem, i, bytes, scalar);
    const d = i.reg << 4, p = i.imm & 7, u = c.vu32;
    begin(c);
    flags = 0;
    for (let k = 0; k < n; k++) {
      let res: boolean;
      if (single) {
        let xa = u[(d >> 2) + k] | 0, xb = u[(s >> 2) + k] | 0;
        const unord = isNaN32(xa) || isNaN32(xb);
        if (unord) {
          if (SIGNALS[p] || isSNaN32(xa) || isSNaN32(xb)) flags |= IE;
          res = cmpPred(p, 0, 0, true);
        } else {
          if (isDen32(xa)) ctx.daz ? (xa &= 0x80000000) : (flags |= DE);
          if (isDen32(xb)) ctx.daz ? (xb &= 0x80000000) : (flags |= DE);
          res = cmpPred(p, f32FromBits(xa), f32FromBits(xb), false);
        }
        u[(TMP >> 2) + k] = res ? 0xffffffff : 0;
      } else {
        const ai = (d >> 3) + k, bi = (s >> 3) + k;
        const ahi = u[2 * ai + 1] | 0, alo = u[2 * ai], bhi = u[2 * bi + 1] | 0, blo = u[2 * bi];
        const unord = isNaN64(ahi, alo) || isNaN64(bhi, blo);
        if (unord) {
          if (SIGNALS[p] || isSNaN64(ahi, alo) || isSNaN64(bhi, blo)) flags |= IE;
          res = cmpPred(p, 0, 0, true);
        } else {
          let a = c.vf64[ai], b = c.vf64[bi];
          if (isDen64(ahi, alo)) ctx.daz ? (a = 0) : (flags |= DE);
          if (isDen64(bhi, blo)) ctx.daz ? (b = 0) : (flags |= DE);
          res = cmpPred(p, a, b, false);
        }
        u[(TMP >> 2) + 2 * k] = u[(TMP >> 2) + 2 * k + 1] = res ? 0xffffffff : 0;
      }
    }
    commit(c, i);
    put(c, d, bytes >> 2);
  };
}

/** comiss/comisd (signal on QNaN) and ucomiss/ucomisd → ZF PF CF; OF SF AF cleared */
export function comis(single: boolean, signalQnan: boolean): Handler {
  return (c, mem, i) => {
    const s = i.isMem ? load(c, mem, ea(c, i), single ? 4 : 8) : i.rm << 4;
    const d = i.reg << 4, u = c.vu32;
    begin(c);
    flags = 0;
    let a: number, b: number, unord: boolean;
    if (single) {
      const xa = u[d >> 2] | 0, xb = u[s >> 2] | 0;
      unord = isNaN32(xa) || isNaN32(xb);
      if (unord && (signalQnan || isSNaN32(xa) || isSNaN32(xb))) flags |= IE;
      a = f32FromBits(xa);
      b = f32FromBits(xb);
      if (!unord) {
        if (isDen32(xa)) ctx.daz ? (a = 0) : (flags |= DE);
        if (isDen32(xb)) ctx.daz ? (b = 0) : (flags |= DE);
      }
    } else {
      const ahi = u[(d >> 2) + 1] | 0, alo = u[d >> 2], bhi = u[(s >> 2) + 1] | 0, blo = u[s >> 2];
      unord = isNaN64(ahi, alo) || isNaN64(bhi, blo);
      if (unord && (signalQnan || isSNaN64(ahi, alo) || isSNaN64(bhi, blo))) flags |= IE;
      a = c.vf64[d >> 3];
      b = c.vf64[s >> 3];
      if (!unord) {
        if (isDen64(ahi, alo)) ctx.daz ? (a = 0) : (flags |= DE);
        if (isDen64(bhi, blo)) ctx.daz ? (b = 0) : (flags |= DE);
      }
    }
    commit(c, i);
    c.flagsArith = unord ? 0x45 : a > b ? 0 : a < b ? 1 : 0x40;
    c.lop = LazyOp.NONE;
  };
}

// ---- RCP / RSQRT ----
/**
 * Approximations within Intel's documented bound (|rel. error| <= 1.5 × 2^-12): the exact
 * result rounded to 12 significant bits. Deterministic, but not bit-equal to any CPU's table.
 * Denormal inputs count as zero; no MXCSR flags; tiny results flush to zero.
 */
function approx(x: number, rsqrt: boolean): number {
  const r = rsqrt ? 1 / Math.sqrt(x) : 1 / x;
  if (r === 0 || !isFinite(r)) return r;
  const e = Math.floor(Math.log2(Math.abs(r)));
  const q = Math.pow(2, e - 11);
  const v = Math.round(r / q) * q;
  return Math.abs(v) < 1.1754943508222875e-38 ? (v < 0 ? -0 : 0) : Math.fround(v);
}

function rcpLike(rsqrt: boolean, scalar: boolean): Handler {
  const n = scalar ? 1 : 4;
  return (c, mem, i) => {
    const s = src(c, mem, i, scalar ? 4 : 16, scalar);
    const d = i.reg << 4, u = c.vu32;
    for (let k = 0; k < n; k++) {
      const x = u[(s >> 2) + k] | 0;
      let r: number;
      if (isNaN32(x)) {
        u[(TMP >> 2) + k] = x | Q32;
        continue;
      }
      const v = isDen32(x) ? (x < 0 ? -0 : 0) : f32FromBits(x);
      if (rsqrt && (v < 0 || Object.is(v, -Infinity))) {
        u[(TMP >> 2) + k] = DEFAULT_NAN32;
        continue;
      }
      if (v === 0) r = rsqrt ? (Object.is(v, -0) ? -Infinity : Infinity) : 1 / v;
      else r = approx(v, rsqrt);
      c.vf32[(TMP >> 2) + k] = r;
    }
    put(c, d, n);
  };
}
export const rcp = (scalar: boolean): Handler => rcpLike(false, scalar);
export const rsqrt = (scalar: boolean): Handler => rcpLike(true, scalar);

// ---- conversions ----
/** float (as double, or NaN) → int32 under ctx.rc; out of range or NaN → indefinite + IE */
function toI32(v: number, nan: boolean): number {
  if (nan) {
    flags |= IE;
    return INDEFINITE;
  }
  const r = roundInt(v, ctx.rc);
  if (!(r >= -2147483648 && r <= 2147483647)) {
    flags |= IE;
    return INDEFINITE;
  }
  if (r !== v) flags |= PE;
  return r | 0;
}

/** The float32 at u32 index `k` as a double for int conversion (DAZ applies). */
function f32Val(c: Cpu, k: number): number {
  const x = c.vu32[k] | 0;
  if (ctx.daz && isDen32(x)) return 0;
  return f32FromBits(x);
}

function f64Val(c: Cpu, k: number): number {
  const u = c.vu32, hi = u[2 * k + 1] | 0, lo = u[2 * k];
  if (ctx.daz && isDen64(hi, lo)) return 0;
  return c.vf64[k];
}

/** cvt(t)ss2si r32, xmm/m32 */
export function cvtss2si(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = i.isMem ? load(c, mem, ea(c, i), 4) : i.rm << 4;
    begin(c, trunc);
    flags = 0;
    const x = c.vu32[s >> 2] | 0;
    const r = toI32(f32Val(c, s >> 2), isNaN32(x));
    commit(c, i);
    c.regs[i.reg] = r;
  };
}

export function cvtsd2si(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = i.isMem ? load(c, mem, ea(c, i), 8) : i.rm << 4;
    begin(c, trunc);
    flags = 0;
    const u = c.vu32;
    const r = toI32(f64Val(c, s >> 3), isNaN64(u[(s >> 2) + 1], u[s >> 2]));
    commit(c, i);
    c.regs[i.reg] = r;
  };
}

/** cvt(t)ps2dq xmm, xmm/m128 */
export function cvtps2dq(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = src(c, mem, i, 16, false);
    begin(c, trunc);
    flags = 0;
    for (let k = 0; k < 4; k++) {
      const x = c.vu32[(s >> 2) + k] | 0;
      c.vi32[(TMP >> 2) + k] = toI32(f32Val(c, (s >> 2) + k), isNaN32(x));
    }
    commit(c, i);
    put(c, i.reg << 4, 4);
  };
}

/** cvt(t)pd2dq xmm, xmm/m128: upper half zeroed */
export function cvtpd2dq(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = src(c, mem, i, 16, false);
    begin(c, trunc);
    flags = 0;
    const u = c.vu32;
    for (let k = 0; k < 2; k++) {
      const e = (s >> 3) + k;
      c.vi32[(TMP >> 2) + k] = toI32(f64Val(c, e), isNaN64(u[2 * e + 1], u[2 * e]));
    }
    c.vi32[(TMP >> 2) + 2] = c.vi32[(TMP >> 2) + 3] = 0;
    commit(c, i);
    put(c, i.reg << 4, 4);
  };
}

/** cvt(t)ps2pi mm, xmm/m64 */
export function cvtps2pi(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = i.isMem ? load(c, mem, ea(c, i), 8) : i.rm << 4;
    begin(c, trunc);
    flags = 0;
    for (let k = 0; k < 2; k++) {
      const x = c.vu32[(s >> 2) + k] | 0;
      c.vi32[(TMP >> 2) + k] = toI32(f32Val(c, (s >> 2) + k), isNaN32(x));
    }
    commit(c, i);
    mmxEnter(c);
    put(c, MM + (i.reg << 3), 2);
    mmxWrote(c, i.reg);
  };
}

/** cvt(t)pd2pi mm, xmm/m128 */
export function cvtpd2pi(trunc: boolean): Handler {
  return (c, mem, i) => {
    const s = src(c, mem, i, 16, false);
    begin(c, trunc);
    flags = 0;
    const u = c.vu32;
    for (let k = 0; k < 2; k++) {
      const e = (s >> 3) + k;
      c.vi32[(TMP >> 2) + k] = toI32(f64Val(c, e), isNaN64(u[2 * e + 1], u[2 * e]));
    }
    commit(c, i);
    mmxEnter(c);
    put(c, MM + (i.reg << 3), 2);
    mmxWrote(c, i.reg);
  };
}

/** cvtsi2ss xmm, r/m32 */
export function cvtsi2ss(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read32(ea(c, i)) : c.regs[i.rm];
  begin(c);
  ctx.ef = 0;
  const r = toF32(v);
  flags = ctx.ef;
  commit(c, i);
  c.vf32[i.reg << 2] = r;
}

/** cvtsi2sd xmm, r/m32 (exact) */
export function cvtsi2sd(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read32(ea(c, i)) : c.regs[i.rm];
  c.vf64[i.reg << 1] = v;
}

/** cvtdq2ps xmm, xmm/m128 */
export function cvtdq2ps(c: Cpu, mem: Memory, i: Insn): void {
  const s = src(c, mem, i, 16, false);
  begin(c);
  flags = 0;
  for (let k = 0; k < 4; k++) {
    ctx.ef = 0;
    c.vf32[(TMP >> 2) + k] = toF32(c.vi32[(s >> 2) + k]);
    flags |= ctx.ef;
  }
  commit(c, i);
  put(c, i.reg << 4, 4);
}

/** cvtdq2pd xmm, xmm/m64 (exact) */
export function cvtdq2pd(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 8) : i.rm << 4;
  const a = c.vi32[s >> 2], b = c.vi32[(s >> 2) + 1];
  c.vf64[i.reg << 1] = a;
  c.vf64[(i.reg << 1) + 1] = b;
}

/** cvtpi2ps xmm, mm/m64: the low two floats; MMX transition for a register source */
export function cvtpi2ps(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 8) : MM + (i.rm << 3);
  if (!i.isMem) mmxEnter(c);
  begin(c);
  flags = 0;
  for (let k = 0; k < 2; k++) {
    ctx.ef = 0;
    c.vf32[(TMP >> 2) + k] = toF32(c.vi32[(s >> 2) + k]);
    flags |= ctx.ef;
  }
  commit(c, i);
  put(c, i.reg << 4, 2);
}

/** cvtpi2pd xmm, mm/m64 (exact) */
export function cvtpi2pd(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 8) : MM + (i.rm << 3);
  if (!i.isMem) mmxEnter(c);
  const a = c.vi32[s >> 2], b = c.vi32[(s >> 2) + 1];
  c.vf64[i.reg << 1] = a;
  c.vf64[(i.reg << 1) + 1] = b;
}

/** float32 bits → float64 into TMP element `t` (f64 index): exact; SNaN → IE; denormal → DE */
function widen(c: Cpu, x: number, t: number): void {
  const u = c.vu32;
  if (isNaN32(x)) {
    if (isSNaN32(x)) flags |= IE;
    u[2 * t + 1] = (x & 0x80000000) | 0x7ff80000 | ((x & 0x3fffff) >>> 3);
    u[2 * t] = (x & 7) << 29;
    return;
  }
  if (isDen32(x)) {
    if (ctx.daz) x &= 0x80000000;
    else flags |= DE;
  }
  c.vf64[t] = f32FromBits(x);
}

/** float64 → float32 into TMP u32 index `t`: rounding, OE/UE/PE; NaN payload truncated */
function narrow(c: Cpu, k: number, t: number): void {
  const u = c.vu32, hi = u[2 * k + 1] | 0, lo = u[2 * k];
  if (isNaN64(hi, lo)) {
    if (isSNaN64(hi, lo)) flags |= IE;
    u[t] = (hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (lo >>> 29);
    return;
  }
  let v = c.vf64[k];
  if (isDen64(hi, lo)) {
    if (ctx.daz) v = hi < 0 ? -0 : 0;
    else flags |= DE;
  }
  ctx.ef = 0;
  c.vf32[t] = toF32(v);
  flags |= ctx.ef;
}

/** cvtss2sd xmm, xmm/m32 */
export function cvtss2sd(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 4) : i.rm << 4;
  begin(c);
  flags = 0;
  widen(c, c.vu32[s >> 2] | 0, TMP >> 3);
  commit(c, i);
  put(c, i.reg << 4, 2);
}

/** cvtps2pd xmm, xmm/m64 */
export function cvtps2pd(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 8) : i.rm << 4;
  begin(c);
  flags = 0;
  const a = c.vu32[s >> 2] | 0, b = c.vu32[(s >> 2) + 1] | 0;
  widen(c, a, TMP >> 3);
  widen(c, b, (TMP >> 3) + 1);
  commit(c, i);
  put(c, i.reg << 4, 4);
}

/** cvtsd2ss xmm, xmm/m64 */
export function cvtsd2ss(c: Cpu, mem: Memory, i: Insn): void {
  const s = i.isMem ? load(c, mem, ea(c, i), 8) : i.rm << 4;
  begin(c);
  flags = 0;
  narrow(c, s >> 3, TMP >> 2);
  commit(c, i);
  put(c, i.reg << 4, 1);
}

/** cvtpd2ps xmm, xmm/m128: upper half zeroed */
export function cvtpd2ps(c: Cpu, mem: Memory, i: Insn): void {
  const s = src(c, mem, i, 16, false);
  begin(c);
  flags = 0;
  narrow(c, s >> 3, TMP >> 2);
  narrow(c, (s >> 3) + 1, (TMP >> 2) + 1);
  c.vi32[(TMP >> 2) + 2] = c.vi32[(TMP >> 2) + 3] = 0;
  commit(c, i);
  put(c, i.reg << 4, 4);
}
