/**
 * @module Exact x87 80-bit extended-precision arithmetic: raw F80 values, precision and rounding
 * control, exception flags and the x87's masked default results, without BigInt.
 *
 * Every operation takes the x87 control word and returns status-word bits: the exception flags
 * (IE DE ZE OE UE PE) and the condition codes it defines (C1 round-up, C0 C2 C3 where used).
 * When an unmasked IE, DE or ZE is returned the destination is left unchanged (the x87 does not
 * complete such an instruction); unmasked OE/UE on a register result deliver the result with its
 * exponent wrapped by 24576, as the x87 does. Stores to memory (toF32, toInt, toBcd…) with an
 * unmasked exception must not be written by the caller.
 */

/** A raw 80-bit value exactly as in memory: sign/exponent word and the 64-bit significand. */
export class F80 {
  /** sign (bit 15) and biased exponent (bits 0-14) */
  se = 0;
  /** significand bits 63..32 (bit 31 is the explicit integer bit J), unsigned */
  hi = 0;
  /** significand bits 31..0, unsigned */
  lo = 0;
  constructor(se = 0, hi = 0, lo = 0) {
    this.se = se & 0xffff;
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
  }
  set(x: F80): this {
    this.se = x.se;
    this.hi = x.hi;
    this.lo = x.lo;
    return this;
  }
}

/** Status-word bits returned by the operations (same positions as in FSW). */
export const FpFlag = {
  IE: 0x1,
  DE: 0x2,
  ZE: 0x4,
  OE: 0x8,
  UE: 0x10,
  PE: 0x20,
  C0: 0x100,
  C1: 0x200,
  C2: 0x400,
  C3: 0x4000,
} as const;

/** FCW rounding control values (bits 10-11). */
export const Rounding = { NEAREST: 0, DOWN: 1, UP: 2, CHOP: 3 } as const;

/** Operand classes. */
export const Kind = {
  ZERO: 0,
  NORMAL: 1,
  DENORMAL: 2,
  INF: 3,
  QNAN: 4,
  SNAN: 5,
  UNSUPPORTED: 6,
} as const;
export type Kind = typeof Kind[keyof typeof Kind];

const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20;
const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;
const K_ZERO = 0, K_NORM = 1, K_DEN = 2, K_INF = 3, K_QNAN = 4, K_SNAN = 5, K_UNSUP = 6;
const BIAS = 16383;
const EMIN = -16382;
const EMAX = 16383;
const WRAP = 24576;
const TWO32 = 4294967296;
/** precision control → significand bits (01 is reserved; the x87 treats it as 64) */
const PREC = [24, 64, 53, 64];

/** Classifies a raw value. */
export function kindOf(x: F80): Kind {
  return kind(x.se, x.hi, x.lo);
}

function kind(se: number, hi: number, lo: number): Kind {
  const e = se & 0x7fff;
  if (e === 0) return hi === 0 && lo === 0 ? K_ZERO : K_DEN;
  if (e === 0x7fff) {
    if (hi < 0x80000000) return K_UNSUP;
    if (hi === 0x80000000 && lo === 0) return K_INF;
    return hi & 0x40000000 ? K_QNAN : K_SNAN;
  }
  return hi >= 0x80000000 ? K_NORM : K_UNSUP;
}

// ---- the wide working significand: W2:W1:W0 (96 bits) plus a sticky bit ----------------------
let W2 = 0, W1 = 0, W0 = 0, ST = 0;
let INEXACT = 0, CARRY = 0;
/** unpacked operand: value = (UH:UL / 2^63) * 2^UE_ */
let UE_ = 0, UH = 0, UL = 0;
/** biased exponent of the last rounded result (target format) */
let RE = 0;

function unpack(x: F80): void {
  const e = x.se & 0x7fff;
  let h = x.hi, l = x.lo;
  if (e !== 0) {
    UE_ = e - BIAS;
  } else {
    let s = 0;
    if (h === 0) {
      h = l;
      l = 0;
      s = 32;
    }
    const z = Math.clz32(h);
    if (z !== 0) {
      h = ((h << z) | (l >>> (32 - z))) >>> 0;
      l = (l << z) >>> 0;
    }
    UE_ = EMIN - s - z;
  }
  UH = h;
  UL = l;
}

function shr96(d: number): void {
  if (d <= 0) return;
  if (d >= 96) {
    if (W2 !== 0 || W1 !== 0 || W0 !== 0) ST = 1;
    W2 = W1 = W0 = 0;
    return;
  }
  while (d >= 32) {
    if (W0 !== 0) ST = 1;
    W0 = W1;
    W1 = W2;
    W2 = 0;
    d -= 32;
  }
  if (d > 0) {
    if ((W0 << (32 - d)) !== 0) ST = 1;
    W0 = ((W0 >>> d) | (W1 << (32 - d))) >>> 0;
    W1 = ((W1 >>> d) | (W2 << (32 - d))) >>> 0;
    W2 = W2 >>> d;
  }
}

/** Shifts W left until bit 95 is set; returns the shift (or -1 if W and ST are zero). */
function norm96(): number {
  let s = 0;
  if (W2 === 0 && W1 === 0 && W0 === 0) return -1;
  while (W2 === 0) {
    W2 = W1;
    W1 = W0;
    W0 = 0;
    s += 32;
  }
  const z = Math.clz32(W2);
  if (z !== 0) {
    W2 = ((W2 << z) | (W1 >>> (32 - z))) >>> 0;
    W1 = ((W1 << z) | (W0 >>> (32 - z))) >>> 0;
    W0 = (W0 << z) >>> 0;
  }
  return s + z;
}

function word(i: number): number {
  return i === 0 ? W0 : i === 1 ? W1 : W2;
}

function bitAt(k: number): number {
  return (word(k >>> 5) >>> (k & 31)) & 1;
}

function anyBelow(k: number): boolean {
  const w = k >>> 5, b = k & 31;
  if (b !== 0 && (word(w) & (0xffffffff >>> (32 - b))) !== 0) return true;
  for (let i = 0; i < w; i++) if (word(i) !== 0) return true;
  return false;
}

function clearBelow(k: number): void {
  const w = k >>> 5, b = k & 31;
  const keep = b === 0 ? 0xffffffff : (0xffffffff << b) >>> 0;
  if (w === 0) W0 = (W0 & keep) >>> 0;
  else if (w === 1) {
    W0 = 0;
    W1 = (W1 & keep) >>> 0;
  } else {
    W0 = W1 = 0;
    W2 = (W2 & keep) >>> 0;
  }
}

function addAt(k: number): void {
  const w = k >>> 5, add = 2 ** (k & 31);
  CARRY = 0;
  if (w === 0) {
    W0 += add;
    if (W0 < TWO32) return;
    W0 -= TWO32;
    W1 += 1;
  } else if (w === 1) W1 += add;
  else W2 += add;
  if (w <= 1) {
    if (W1 < TWO32) return;
    W1 -= TWO32;
    W2 += 1;
  }
  if (W2 >= TWO32) {
    W2 -= TWO32;
    CARRY = 1;
  }
}

/** Rounds W (+ST) at bit L (the new lsb); returns 1 if the magnitude was incremented. */
function roundAt(L: number, neg: number, rc: number): number {
  const rb = bitAt(L - 1);
  const st = ST !== 0 || anyBelow(L - 1) ? 1 : 0;
  INEXACT = rb | st;
  const lsb = bitAt(L);
  clearBelow(L);
  ST = 0;
  CARRY = 0;
  let inc = 0;
  if (rc === 0) inc = rb & (st | lsb);
  else if (rc === 1) inc = INEXACT & neg;
  else if (rc === 2) inc = INEXACT & (neg ^ 1);
  if (inc) addAt(L);
  return inc;
}

/**
 * Rounds the normalized W (value = W/2^95 * 2^E) to p bits in a format with exponent range
 * [emin, emax]; leaves the biased exponent in RE (0 = denormal/zero, emax+bias+1 = infinity)
 * and the significand in W2:W1. `wrap`: a register destination (unmasked OE/UE wrap by 24576).
 */
function roundCore(
  neg: number,
  E: number,
  p: number,
  emin: number,
  emax: number,
  bias: number,
  cw: number,
  wrap: boolean,
): number {
  const rc = (cw >>> 10) & 3;
  const L = 96 - p;
  const ueOpen = (cw & UE) === 0, oeOpen = (cw & OE) === 0;
  let flags = 0;
  let e = E;
  if (e < emin) {
    // tininess is detected after rounding (to p bits with an unbounded exponent)
    let tiny = true;
    if (e === emin - 1) {
      const s2 = W2, s1 = W1, s0 = W0, st = ST;
      roundAt(L, neg, rc);
      if (CARRY) tiny = false;
      W2 = s2;
      W1 = s1;
      W0 = s0;
      ST = st;
    }
    if (tiny && ueOpen && !wrap) return UE;
    if (tiny && ueOpen && e + WRAP < emin) {
      // still out of range after wrapping (FSCALE): a signed zero
      RE = 0;
      W2 = W1 = W0 = 0;
      return UE | PE;
    }
    if (tiny && ueOpen) {
      e += WRAP;
      flags |= UE;
    } else {
      shr96(emin - e);
      const inc = roundAt(L, neg, rc);
      RE = W2 >= 0x80000000 ? emin + bias : 0;
      if (tiny && (INEXACT || ueOpen)) flags |= UE;
      if (INEXACT) flags |= PE;
      if (inc) flags |= C1;
      return flags;
    }
  }
  const inc = roundAt(L, neg, rc);
  if (CARRY) {
    W2 = 0x80000000;
    W1 = W0 = 0;
    e++;
  }
  if (e > emax) {
    if (oeOpen && !wrap) return OE;
    if (oeOpen && e - WRAP > emax) {
      // still out of range after wrapping (FSCALE): a signed infinity
      RE = emax + bias + 1;
      W2 = 0x80000000;
      W1 = W0 = 0;
      return OE | PE | C1;
    }
    if (oeOpen) {
      e -= WRAP;
      flags |= OE;
    } else {
      flags |= OE | PE;
      const toInf = rc === 0 || (rc === 1 && neg === 1) || (rc === 2 && neg === 0);
      if (toInf) {
        RE = emax + bias + 1;
        W2 = 0x80000000;
        W1 = W0 = 0;
        return flags | C1;
      }
      RE = emax + bias;
      W2 = 0xffffffff;
      W1 = 0xffffffff;
      W0 = 0xffffffff;
      clearBelow(L);
      return flags;
    }
  }
  if (INEXACT) flags |= PE;
  if (inc) flags |= C1;
  RE = e + bias;
  return flags;
}

function precOf(cw: number): number {
  return PREC[(cw >>> 8) & 3];
}

/** Rounds W (normalized, value W/2^95 * 2^E) into `out` at precision p; returns flags. */
function pack80(out: F80, neg: number, E: number, p: number, cw: number): number {
  const flags = roundCore(neg, E, p, EMIN, EMAX, BIAS, cw, true);
  out.se = (neg << 15) | RE;
  out.hi = W2;
  out.lo = W1;
  return flags;
}

function setZero(out: F80, neg: number): void {
  out.se = neg << 15;
  out.hi = 0;
  out.lo = 0;
}

function setInf(out: F80, neg: number): void {
  out.se = (neg << 15) | 0x7fff;
  out.hi = 0x80000000;
  out.lo = 0;
}

/** The QNaN floating-point indefinite. */
function setIndefinite(out: F80): void {
  out.se = 0xffff;
  out.hi = 0xc0000000;
  out.lo = 0;
}

/** Invalid operation: IE, and the indefinite unless IE is unmasked. */
function invalid(out: F80, cw: number): number {
  if (cw & IE) setIndefinite(out);
  return IE;
}

/** NaN/unsupported operand handling for one or two operands (Intel SDM Table 4-7). */
function nanResult(out: F80, a: F80, ka: number, b: F80 | null, kb: number, cw: number): number {
  if (ka === K_UNSUP || kb === K_UNSUP) return invalid(out, cw);
  const flags = ka === K_SNAN || kb === K_SNAN ? IE : 0;
  if (flags && (cw & IE) === 0) return flags;
  let src = a;
  if (b !== null && kb >= K_QNAN) {
    if (ka < K_QNAN) src = b;
    else if (ka !== kb) src = ka === K_QNAN ? a : b;
    else if (b.hi > a.hi || (b.hi === a.hi && b.lo > a.lo)) src = b;
    else if (b.hi === a.hi && b.lo === a.lo && b.se < a.se) src = b;
  }
  out.se = src.se;
  out.hi = (src.hi | 0x40000000) >>> 0;
  out.lo = src.lo;
  return flags;
}

// ---- fast paths: normal finite operands, PC = 64 or 53, result in the normal range --------------
// They work on locals only (no shared working state) and give up (return -1) whenever the general
// code might do something else: the callers then run the exact general path from scratch.

/** True when x is a normal finite value (exponent 1..0x7ffe, J set). */
function isNormal(se: number, hi: number): boolean {
  const e = se & 0x7fff;
  return e !== 0 && e !== 0x7fff && hi >= 0x80000000;
}

/**
 * Rounds the normalized significand H:M:X (+ sticky Y) with biased exponent `be` to the precision
 * in cw (64 or 53 bits) and writes it to out; -1 if the result is not a normal number (the caller
 * then takes the general path) or PC is 24 bits.
 */
function finishFast(
  out: F80,
  neg: number,
  be: number,
  H: number,
  M: number,
  X: number,
  Y: number,
  cw: number,
): number {
  if (be < 1 || be > 0x7ffe) return -1;
  const pc = cw & 0x300;
  let rb: number, st: number, lsb: number, unit: number;
  if (pc === 0x200) {
    rb = (M >>> 10) & 1;
    st = ((M & 0x3ff) | X | Y) !== 0 ? 1 : 0;
    lsb = (M >>> 11) & 1;
    M = (M & 0xfffff800) >>> 0;
    unit = 2048;
  } else if (pc !== 0) {
    rb = X >>> 31;
    st = ((X & 0x7fffffff) | Y) !== 0 ? 1 : 0;
    lsb = M & 1;
    unit = 1;
  } else return -1;
  const inexact = rb | st;
  const rc = cw & 0xc00;
  let inc = 0;
  if (rc === 0) inc = rb & (st | lsb);
  else if (rc === 0x400) inc = inexact & neg;
  else if (rc === 0x800) inc = inexact & (neg ^ 1);
  if (inc !== 0) {
    M += unit;
    if (M >= TWO32) {
      M -= TWO32;
      H += 1;
      if (H >= TWO32) {
        H = 0x80000000;
        be++;
        if (be > 0x7ffe) return -1;
      }
    }
  }
  out.se = (neg << 15) | be;
  out.hi = H;
  out.lo = M;
  return (inexact !== 0 ? PE : 0) | (inc !== 0 ? C1 : 0);
}

/** a + (-1)^negB b for normal operands; -1: take the general path. */
function addSubFast(out: F80, a: F80, b: F80, negB: number, cw: number): number {
  const ase = a.se, bse = b.se, ah = a.hi, bh = b.hi;
  if (!isNormal(ase, ah) || !isNormal(bse, bh) || (cw & 0x300) === 0) return -1;
  const al = a.lo, bl = b.lo;
  const ea = ase & 0x7fff, eb = bse & 0x7fff;
  const sa = ase >>> 15, sb = (bse >>> 15) ^ negB;
  let xs = sa, xe = ea, xh = ah, xl = al, ys = sb, d = ea - eb, Y2 = bh, Y1 = bl;
  if (eb > ea || (eb === ea && (bh > ah || (bh === ah && bl > al)))) {
    xs = sb;
    xe = eb;
    xh = bh;
    xl = bl;
    ys = sa;
    d = eb - ea;
    Y2 = ah;
    Y1 = al;
  }
  // align y: Y2:Y1:Y0 >> d, S = sticky
  let Y0 = 0, S = 0;
  if (d >= 96) {
    S = 1;
    Y2 = Y1 = 0;
  } else if (d > 0) {
    if (d >= 64) {
      S = Y1;
      Y0 = Y2;
      Y1 = Y2 = 0;
      d -= 64;
    } else if (d >= 32) {
      Y0 = Y1;
      Y1 = Y2;
      Y2 = 0;
      d -= 32;
    }
    if (d > 0) {
      if ((Y0 << (32 - d)) !== 0) S = 1;
      Y0 = ((Y0 >>> d) | (Y1 << (32 - d))) >>> 0;
      Y1 = ((Y1 >>> d) | (Y2 << (32 - d))) >>> 0;
      Y2 = Y2 >>> d;
    }
  }
  if (xs === ys) {
    let t0 = Y0, t1 = xl + Y1, t2 = xh + Y2;
    if (t1 >= TWO32) {
      t1 -= TWO32;
      t2 += 1;
    }
    if (t2 >= TWO32) {
      t2 -= TWO32;
      if (t0 & 1) S = 1;
      t0 = ((t0 >>> 1) | ((t1 & 1) << 31)) >>> 0;
      t1 = ((t1 >>> 1) | ((t2 & 1) << 31)) >>> 0;
      t2 = ((t2 >>> 1) | 0x80000000) >>> 0;
      xe++;
    }
    return finishFast(out, xs, xe, t2, t1, t0, S, cw);
  }
  if (S !== 0) Y0 = (Y0 | 1) >>> 0;
  let t0 = 0 - Y0, t1 = xl - Y1, t2 = xh - Y2;
  if (t0 < 0) {
    t0 += TWO32;
    t1 -= 1;
  }
  if (t1 < 0) {
    t1 += TWO32;
    t2 -= 1;
  }
  if (t2 === 0) {
    if (t1 === 0 && t0 === 0) {
      setZero(out, (cw & 0xc00) === 0x400 ? 1 : 0);
      return 0;
    }
    return -1; // massive cancellation: rare, the general path normalizes
  }
  const z = Math.clz32(t2);
  if (z !== 0) {
    t2 = ((t2 << z) | (t1 >>> (32 - z))) >>> 0;
    t1 = ((t1 << z) | (t0 >>> (32 - z))) >>> 0;
    t0 = (t0 << z) >>> 0;
  }
  return finishFast(out, xs, xe - z, t2, t1, t0, 0, cw);
}

/** a * b for normal operands; -1: take the general path. */
function mulFast(out: F80, a: F80, b: F80, cw: number): number {
  const ase = a.se, bse = b.se, ah = a.hi, bh = b.hi;
  if (!isNormal(ase, ah) || !isNormal(bse, bh) || (cw & 0x300) === 0) return -1;
  const al = a.lo, bl = b.lo;
  // four 32x32-bit products: the low word exactly by Math.imul, the high word by rounding the
  // (at most 2^12-off) double product minus the low word
  let x = al * bl, l = Math.imul(al, bl) >>> 0;
  const P0 = l;
  let P1 = Math.round((x - l) / TWO32);
  x = al * bh;
  l = Math.imul(al, bh) >>> 0;
  P1 += l;
  let P2 = Math.round((x - l) / TWO32);
  x = ah * bl;
  l = Math.imul(ah, bl) >>> 0;
  P1 += l;
  P2 += Math.round((x - l) / TWO32);
  x = ah * bh;
  l = Math.imul(ah, bh) >>> 0;
  let P3 = Math.round((x - l) / TWO32);
  let k = Math.floor(P1 / TWO32);
  P1 -= k * TWO32;
  P2 += l + k;
  k = Math.floor(P2 / TWO32);
  P2 -= k * TWO32;
  P3 += k;
  let be = (ase & 0x7fff) + (bse & 0x7fff) - BIAS + 1;
  let Y = P0;
  if (P3 < 0x80000000) {
    P3 = ((P3 << 1) | (P2 >>> 31)) >>> 0;
    P2 = ((P2 << 1) | (P1 >>> 31)) >>> 0;
    P1 = ((P1 << 1) | (P0 >>> 31)) >>> 0;
    Y = P0 & 0x7fffffff;
    be--;
  }
  return finishFast(out, (ase ^ bse) >>> 15 & 1, be, P3, P2, P1, Y, cw);
}

// ---- add / sub -----------------------------------------------------------------------------

/** out = a + b (FADD). */
export function add(out: F80, a: F80, b: F80, cw: number): number {
  return addSub(out, a, b, 0, cw);
}

/** out = a - b (FSUB; FSUBR is sub(out, b, a)). */
export function sub(out: F80, a: F80, b: F80, cw: number): number {
  return addSub(out, a, b, 1, cw);
}

function addSub(out: F80, a: F80, b: F80, negB: number, cw: number): number {
  const fast = addSubFast(out, a, b, negB, cw);
  if (fast >= 0) return fast;
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) return nanResult(out, a, ka, b, kb, cw);
  const sa = a.se >>> 15, sb = (b.se >>> 15) ^ negB;
  if (ka === K_INF && kb === K_INF && sa !== sb) return invalid(out, cw);
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  if (ka === K_INF || kb === K_INF) {
    setInf(out, ka === K_INF ? sa : sb);
    return flags;
  }
  const rc = (cw >>> 10) & 3;
  if (ka === K_ZERO && kb === K_ZERO) {
    setZero(out, sa === sb ? sa : rc === 1 ? 1 : 0);
    return flags;
  }
  const p = precOf(cw);
  if (ka === K_ZERO || kb === K_ZERO) {
    const x = ka === K_ZERO ? b : a;
    unpack(x);
    W2 = UH;
    W1 = UL;
    W0 = 0;
    ST = 0;
    return flags | pack80(out, ka === K_ZERO ? sb : sa, UE_, p, cw);
  }
  unpack(a);
  const ea = UE_, ah = UH, al = UL;
  unpack(b);
  let eb = UE_, bh = UH, bl = UL;
  // order so that |x| >= |y|
  let xs = sa, xe = ea, xh = ah, xl = al, ys = sb;
  if (eb > ea || (eb === ea && (bh > ah || (bh === ah && bl > al)))) {
    xs = sb;
    xe = eb;
    xh = bh;
    xl = bl;
    ys = sa;
    eb = ea;
    bh = ah;
    bl = al;
  }
  W2 = bh;
  W1 = bl;
  W0 = 0;
  ST = 0;
  shr96(xe - eb);
  let e = xe;
  if (xs === ys) {
    let t0 = W0;
    let t1 = xl + W1;
    let t2 = xh + W2;
    if (t1 >= TWO32) {
      t1 -= TWO32;
      t2 += 1;
    }
    if (t2 >= TWO32) {
      // carry out: shift right one
      t2 -= TWO32;
      if (t0 & 1) ST = 1;
      t0 = ((t0 >>> 1) | ((t1 & 1) << 31)) >>> 0;
      t1 = ((t1 >>> 1) | ((t2 & 1) << 31)) >>> 0;
      t2 = ((t2 >>> 1) | 0x80000000) >>> 0;
      e++;
    }
    W2 = t2;
    W1 = t1;
    W0 = t0;
  } else {
    if (ST) W0 = (W0 | 1) >>> 0;
    ST = 0;
    let t0 = 0 - W0;
    let t1 = xl - W1;
    let t2 = xh - W2;
    if (t0 < 0) {
      t0 += TWO32;
      t1 -= 1;
    }
    if (t1 < 0) {
      t1 += TWO32;
      t2 -= 1;
    }
    W2 = t2;
    W1 = t1;
    W0 = t0;
    const s = norm96();
    if (s < 0) {
      setZero(out, rc === 1 ? 1 : 0);
      return flags;
    }
    e -= s;
  }
  return flags | pack80(out, xs, e, p, cw);
}

// ---- mul / div / sqrt ------------------------------------------------------------------------

/** 128-bit product of two 64-bit significands (16-bit limbs): W2:W1:W0 = top 96 bits, returns the low 32. */
function mulSig(ah: number, al: number, bh: number, bl: number): number {
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  // column sums stay below 2^35: exact in doubles
  let c = a0 * b0;
  const p0 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a0 * b1 + a1 * b0;
  const p1 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a0 * b2 + a1 * b1 + a2 * b0;
  const p2 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const p3 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a1 * b3 + a2 * b2 + a3 * b1;
  const p4 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a2 * b3 + a3 * b2;
  const p5 = c - Math.floor(c / 65536) * 65536;
  c = Math.floor(c / 65536) + a3 * b3;
  const p6 = c - Math.floor(c / 65536) * 65536;
  const p7 = Math.floor(c / 65536);
  W2 = p7 * 65536 + p6;
  W1 = p5 * 65536 + p4;
  W0 = p3 * 65536 + p2;
  return p1 * 65536 + p0;
}

/** out = a * b (FMUL). */
export function mul(out: F80, a: F80, b: F80, cw: number): number {
  const fast = mulFast(out, a, b, cw);
  if (fast >= 0) return fast;
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) return nanResult(out, a, ka, b, kb, cw);
  const neg = (a.se ^ b.se) >>> 15;
  if (ka === K_INF || kb === K_INF) {
    if (ka === K_ZERO || kb === K_ZERO) return invalid(out, cw);
    const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
    if (flags & ~cw) return flags;
    setInf(out, neg);
    return flags;
  }
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  if (ka === K_ZERO || kb === K_ZERO) {
    setZero(out, neg);
    return flags;
  }
  unpack(a);
  const ea = UE_, ah = UH, al = UL;
  unpack(b);
  const p0 = mulSig(ah, al, UH, UL);
  ST = p0 !== 0 ? 1 : 0;
  let e = ea + UE_ + 1;
  if (W2 < 0x80000000) {
    W2 = ((W2 << 1) | (W1 >>> 31)) >>> 0;
    W1 = ((W1 << 1) | (W0 >>> 31)) >>> 0;
    W0 = ((W0 << 1) | (p0 >>> 31)) >>> 0;
    ST = (p0 & 0x7fffffff) !== 0 ? 1 : 0;
    e--;
  }
  return flags | pack80(out, neg, e, precOf(cw), cw);
}

/**
 * Division of 64-bit significands with A in [B, 2B): W gets the quotient 1.xxx with its leading
 * one at bit 95 (96 bits), ST the rest. Three 32-bit quotient digits, each estimated in double
 * precision and corrected exactly on 16-bit limbs.
 */
function divSigFast(ah: number, al: number, bh: number, bl: number): void {
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  const bD = bh * TWO32 + bl;
  let rl = al - bl, rh = ah - bh;
  if (rl < 0) {
    rl += TWO32;
    rh -= 1;
  }
  let r0 = rl & 0xffff, r1 = rl >>> 16, r2 = rh & 0xffff, r3 = rh >>> 16;
  let d1 = 0, d2 = 0, d3 = 0;
  for (let step = 0; step < 3; step++) {
    const rD = (r3 * 65536 + r2) * TWO32 + (r1 * 65536 + r0);
    let d = Math.floor((rD / bD) * TWO32);
    if (d > 0xffffffff) d = 0xffffffff;
    // T = R * 2^32 - d * B on limbs t0..t4 (16 bits) and a signed top t5
    let c = -d * b0;
    let t0 = c - Math.floor(c / 65536) * 65536;
    c = Math.floor(c / 65536) - d * b1;
    let t1 = c - Math.floor(c / 65536) * 65536;
    c = Math.floor(c / 65536) + r0 - d * b2;
    let t2 = c - Math.floor(c / 65536) * 65536;
    c = Math.floor(c / 65536) + r1 - d * b3;
    let t3 = c - Math.floor(c / 65536) * 65536;
    c = Math.floor(c / 65536) + r2;
    let t4 = c - Math.floor(c / 65536) * 65536;
    let t5 = Math.floor(c / 65536) + r3;
    while (t5 < 0) {
      // the estimate was too large: add B back
      d -= 1;
      c = t0 + b0;
      t0 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t1 + b1;
      t1 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t2 + b2;
      t2 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t3 + b3;
      t3 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t4;
      t4 = c - Math.floor(c / 65536) * 65536;
      t5 += Math.floor(c / 65536);
    }
    // now T >= 0; while T >= B subtract B
    while (
      t5 > 0 || t4 > 0 || t3 > b3 ||
      (t3 === b3 && (t2 > b2 || (t2 === b2 && (t1 > b1 || (t1 === b1 && t0 >= b0)))))
    ) {
      d += 1;
      c = t0 - b0;
      t0 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t1 - b1;
      t1 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t2 - b2;
      t2 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t3 - b3;
      t3 = c - Math.floor(c / 65536) * 65536;
      c = Math.floor(c / 65536) + t4;
      t4 = c - Math.floor(c / 65536) * 65536;
      t5 += Math.floor(c / 65536);
    }
    r0 = t0;
    r1 = t1;
    r2 = t2;
    r3 = t3;
    if (step === 0) d1 = d;
    else if (step === 1) d2 = d;
    else d3 = d;
  }
  // Q = 2^96 + d1 2^64 + d2 2^32 + d3; W = Q >> 1
  W2 = (0x80000000 | (d1 >>> 1)) >>> 0;
  W1 = (((d1 & 1) << 31) | (d2 >>> 1)) >>> 0;
  W0 = (((d2 & 1) << 31) | (d3 >>> 1)) >>> 0;
  ST = (d3 & 1) !== 0 || r0 !== 0 || r1 !== 0 || r2 !== 0 || r3 !== 0 ? 1 : 0;
}

/** a / b for normal operands; -1: take the general path. */
function divFast(out: F80, a: F80, b: F80, cw: number): number {
  const ase = a.se, bse = b.se, bh = b.hi;
  let ah = a.hi;
  if (!isNormal(ase, ah) || !isNormal(bse, bh) || (cw & 0x300) === 0) return -1;
  let al = a.lo;
  const bl = b.lo;
  let be = (ase & 0x7fff) - (bse & 0x7fff) + BIAS;
  if (ah < bh || (ah === bh && al < bl)) {
    ah = ah * 2 + (al >>> 31);
    al = (al << 1) >>> 0;
    be--;
  }
  divSigFast(ah, al, bh, bl);
  return finishFast(out, (ase ^ bse) >>> 15, be, W2, W1, W0, ST, cw);
}

/** out = a / b (FDIV; FDIVR is div(out, b, a)). */
export function div(out: F80, a: F80, b: F80, cw: number): number {
  const fast = divFast(out, a, b, cw);
  if (fast >= 0) return fast;
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) return nanResult(out, a, ka, b, kb, cw);
  const neg = (a.se ^ b.se) >>> 15;
  if (ka === K_INF || kb === K_INF) {
    if (ka === K_INF && kb === K_INF) return invalid(out, cw);
    const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
    if (flags & ~cw) return flags;
    if (ka === K_INF) setInf(out, neg);
    else setZero(out, neg);
    return flags;
  }
  if (ka === K_ZERO && kb === K_ZERO) return invalid(out, cw);
  if (kb === K_ZERO) {
    // divide-by-zero outranks the denormal-operand exception
    if ((cw & ZE) === 0) return ZE;
    setInf(out, neg);
    return ZE;
  }
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  if (ka === K_ZERO) {
    setZero(out, neg);
    return flags;
  }
  unpack(a);
  let e = UE_;
  let ah = UH, al = UL;
  unpack(b);
  e -= UE_;
  if (ah < UH || (ah === UH && al < UL)) {
    // a's significand is smaller: start one bit further (remainder may use 65 bits)
    ah = ah * 2 + (al >>> 31);
    al = (al << 1) >>> 0;
    e--;
  }
  divSigFast(ah, al, UH, UL);
  return flags | pack80(out, neg, e, precOf(cw), cw);
}

/**
 * N - q^2 for N = S * 2^64 (S in 16-bit limbs n4..n8) and q = qh * 2^32 + ql (qh < 2^35): the
 * sign is exact (Horner from the top limb), the magnitude within a relative 2^-52.
 */
function sqRem(
  n4: number,
  n5: number,
  n6: number,
  n7: number,
  n8: number,
  qh: number,
  ql: number,
): number {
  const q0 = ql & 0xffff, q1 = ql >>> 16, q2 = qh - Math.floor(qh / 65536) * 65536;
  const rest = (qh - q2) / 65536;
  const q3 = rest & 0xffff, q4 = (rest - q3) / 65536;
  let t = -(q0 * q0);
  const r0 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) - 2 * q0 * q1;
  const r1 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) - (2 * q0 * q2 + q1 * q1);
  const r2 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) - 2 * (q0 * q3 + q1 * q2);
  const r3 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) + n4 - (2 * (q0 * q4 + q1 * q3) + q2 * q2);
  const r4 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) + n5 - 2 * (q1 * q4 + q2 * q3);
  const r5 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) + n6 - (2 * q2 * q4 + q3 * q3);
  const r6 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) + n7 - 2 * q3 * q4;
  const r7 = t - Math.floor(t / 65536) * 65536;
  t = Math.floor(t / 65536) + n8 - q4 * q4;
  const r8 = t - Math.floor(t / 65536) * 65536;
  let v = Math.floor(t / 65536);
  v = v * 65536 + r8;
  v = v * 65536 + r7;
  v = v * 65536 + r6;
  v = v * 65536 + r5;
  v = v * 65536 + r4;
  v = v * 65536 + r3;
  v = v * 65536 + r2;
  v = v * 65536 + r1;
  return v * 65536 + r0;
}

/**
 * W = the 66-bit integer square root of N = (UH:UL) * 2^(67 + odd), its top bit at bit 95, and
 * ST = (remainder != 0). A double estimate, one Newton step on the exact remainder, then exact
 * ±1 corrections.
 */
function sqrtSig(odd: number): void {
  const h = UH, l = UL, sh = 3 + odd;
  const s0 = (l << sh) >>> 0, s1 = ((h << sh) | (l >>> (32 - sh))) >>> 0;
  const n4 = s0 & 0xffff, n5 = s0 >>> 16, n6 = s1 & 0xffff, n7 = s1 >>> 16, n8 = h >>> (32 - sh);
  // y in [2^65, 2^66]: a multiple of 2^13, within ~2^14 of the root
  const y = Math.sqrt((h * TWO32 + l) * 2 ** (67 + odd));
  let qh = Math.floor(y / TWO32), ql = y - qh * TWO32;
  let r = sqRem(n4, n5, n6, n7, n8, qh, ql);
  ql += Math.round(r / (2 * y));
  while (ql < 0) {
    ql += TWO32;
    qh -= 1;
  }
  while (ql >= TWO32) {
    ql -= TWO32;
    qh += 1;
  }
  r = sqRem(n4, n5, n6, n7, n8, qh, ql);
  while (r < 0) {
    if (ql === 0) {
      ql = TWO32;
      qh -= 1;
    }
    ql -= 1;
    r = sqRem(n4, n5, n6, n7, n8, qh, ql);
  }
  // (q+1)^2 <= N iff r >= 2q + 1: decide exactly unless r is clearly below 2q
  while (r >= 2 * (qh * TWO32 + ql) - 1048576) {
    let nh = qh, nl = ql + 1;
    if (nl === TWO32) {
      nl = 0;
      nh += 1;
    }
    const r1 = sqRem(n4, n5, n6, n7, n8, nh, nl);
    if (r1 < 0) break;
    qh = nh;
    ql = nl;
    r = r1;
  }
  W2 = Math.floor(qh / 4);
  W1 = (((qh & 3) << 30) | (ql >>> 2)) >>> 0;
  W0 = (ql << 30) >>> 0;
  ST = r !== 0 ? 1 : 0;
}

/** out = sqrt(a) (FSQRT). */
export function sqrt(out: F80, a: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo);
  if (ka >= K_QNAN) return nanResult(out, a, ka, null, K_ZERO, cw);
  const neg = a.se >>> 15;
  if (ka === K_ZERO) {
    setZero(out, neg);
    return 0;
  }
  if (neg) return invalid(out, cw);
  if (ka === K_INF) {
    setInf(out, 0);
    return 0;
  }
  const flags = ka === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  unpack(a);
  const odd = UE_ & 1;
  const e = (UE_ - odd) / 2;
  sqrtSig(odd);
  const fast = finishFast(out, 0, e + BIAS, W2, W1, W0, ST, cw);
  if (fast >= 0) return flags | fast;
  return flags | pack80(out, 0, e, precOf(cw), cw);
}

// ---- simple ops ---------------------------------------------------------------------------------

/** out = |a| (FABS: no exceptions, NaNs keep their payload). */
export function abs(out: F80, a: F80): number {
  out.se = a.se & 0x7fff;
  out.hi = a.hi;
  out.lo = a.lo;
  return 0;
}

/** out = -a (FCHS). */
export function chs(out: F80, a: F80): number {
  out.se = a.se ^ 0x8000;
  out.hi = a.hi;
  out.lo = a.lo;
  return 0;
}

/** FXAM: C3 C2 C0 class codes and C1 = sign. `empty` for an empty register. */
export function xam(a: F80, empty = false): number {
  const s = a.se & 0x8000 ? C1 : 0;
  if (empty) return s | C3 | C0;
  const k = kind(a.se, a.hi, a.lo);
  const codes = [C3, C2, C3 | C2, C2 | C0, C0, C0, 0];
  return s | codes[k];
}

// ---- compare --------------------------------------------------------------------------------

/** Compare results as condition codes: C3 C2 C0 (FCOM) ≡ ZF PF CF (FCOMI). */
export const Cmp = { GT: 0, LT: C0, EQ: C3, UNORDERED: C3 | C2 | C0 } as const;

/**
 * Compares a with b (FCOM/FUCOM/FCOMI/FUCOMI/FTST): returns the condition codes plus IE/DE.
 * `quiet`: FUCOM semantics (only SNaNs and unsupported operands are invalid).
 */
export function compare(a: F80, b: F80, quiet: boolean): number {
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) {
    const inv = !quiet || ka >= K_SNAN || kb >= K_SNAN;
    return (inv ? IE : 0) | C3 | C2 | C0;
  }
  if (ka === K_NORM && kb === K_NORM) {
    const sa = a.se >>> 15;
    if (sa !== b.se >>> 15) return sa ? C0 : 0;
    const ea = a.se & 0x7fff, eb = b.se & 0x7fff;
    const m = ea !== eb ? ea - eb : a.hi !== b.hi ? a.hi - b.hi : a.lo - b.lo;
    if (m === 0) return C3;
    return (m < 0) !== (sa === 1) ? C0 : 0;
  }
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  const c = cmpValues(a, ka, b, kb);
  return flags | (c < 0 ? C0 : c > 0 ? 0 : C3);
}

/** Numeric comparison of two ordered values: -1, 0, 1. */
function cmpValues(a: F80, ka: number, b: F80, kb: number): number {
  const sa = a.se >>> 15, sb = b.se >>> 15;
  if (ka === K_ZERO && kb === K_ZERO) return 0;
  if (ka === K_ZERO) return sb ? 1 : -1;
  if (kb === K_ZERO) return sa ? -1 : 1;
  if (sa !== sb) return sa ? -1 : 1;
  let m: number;
  if (ka === K_INF || kb === K_INF) {
    m = ka === kb ? 0 : ka === K_INF ? 1 : -1;
  } else {
    unpack(a);
    const ea = UE_, ah = UH, al = UL;
    unpack(b);
    m = ea !== UE_
      ? (ea > UE_ ? 1 : -1)
      : ah !== UH
      ? (ah > UH ? 1 : -1)
      : al !== UL
      ? (al > UL ? 1 : -1)
      : 0;
  }
  return sa ? -m : m;
}

// ---- integer rounding ---------------------------------------------------------------------------

/**
 * Puts the integer part of finite nonzero x into W2:W1 (rounded per rc) and returns 1 if it
 * does not fit 64 bits; INEXACT and the returned C1 flag (via INC_) describe the rounding.
 */
let INC_ = 0;
function toIntegerW(x: F80, rc: number): number {
  unpack(x);
  const neg = x.se >>> 15;
  if (UE_ > 63) {
    INEXACT = 0;
    INC_ = 0;
    return 1;
  }
  W2 = UH;
  W1 = UL;
  W0 = 0;
  ST = 0;
  shr96(63 - UE_);
  INC_ = roundAt(32, neg, rc);
  return CARRY;
}

/** FRNDINT: out = a rounded to an integer per RC. */
export function rndint(out: F80, a: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo);
  if (ka >= K_QNAN) return nanResult(out, a, ka, null, K_ZERO, cw);
  if (ka === K_ZERO || ka === K_INF) {
    out.set(a);
    return 0;
  }
  const flags = ka === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  const neg = a.se >>> 15;
  unpack(a);
  if (UE_ >= 63) {
    out.set(a);
    return flags;
  }
  const carry = toIntegerW(a, (cw >>> 10) & 3);
  const f = flags | (INEXACT ? PE : 0) | (INC_ ? C1 : 0);
  if (carry) {
    out.se = (neg << 15) | (63 + 1 + BIAS);
    out.hi = 0x80000000;
    out.lo = 0;
    return f;
  }
  W0 = W1;
  W1 = W2;
  W2 = 0;
  const s = norm96();
  if (s < 0) {
    setZero(out, neg);
    return f;
  }
  out.se = (neg << 15) | (95 - s + BIAS);
  out.hi = W2;
  out.lo = W1;
  return f;
}

/** Integer indefinite values, low and high words, by width. */
const INT_MIN_HI: Record<number, number> = { 16: 0, 32: 0, 64: 0x80000000 };
const INT_MIN_LO: Record<number, number> = { 16: 0x8000, 32: 0x80000000, 64: 0 };

/**
 * FIST/FISTP (`chop` false: per RC) and FISTTP (`chop` true) to a 16/32/64-bit integer:
 * dst[0] = low 32 bits, dst[1] = high 32 bits (two's complement). Out of range, NaN and
 * infinity give IE and the integer indefinite.
 */
export function toInt(
  dst: Uint32Array,
  a: F80,
  bits: 16 | 32 | 64,
  cw: number,
  chop = false,
): number {
  const ka = kind(a.se, a.hi, a.lo);
  const indefinite = () => {
    dst[0] = INT_MIN_LO[bits];
    dst[1] = INT_MIN_HI[bits];
    return IE;
  };
  if (ka >= K_INF) return indefinite();
  const neg = a.se >>> 15;
  if (ka === K_ZERO) {
    dst[0] = dst[1] = 0;
    return 0;
  }
  let flags = 0;
  const rc = chop ? 3 : (cw >>> 10) & 3;
  if (toIntegerW(a, rc)) return flags | indefinite();
  let hi = W2, lo = W1;
  // range check on the magnitude
  const limHi = bits === 64 ? 0x80000000 : 0;
  const limLo = bits === 64 ? 0 : bits === 32 ? 0x80000000 : 0x8000;
  const over = hi > limHi || (hi === limHi && lo > limLo) ||
    (hi === limHi && lo === limLo && !neg);
  if (over) return flags | indefinite();
  flags |= (INEXACT ? PE : 0) | (INC_ ? C1 : 0);
  if (neg && (hi !== 0 || lo !== 0)) {
    lo = (TWO32 - lo) % TWO32;
    hi = (0xffffffff - hi + (lo === 0 ? 1 : 0)) % TWO32;
  }
  if (bits === 16) {
    dst[0] = lo & 0xffff;
    dst[1] = 0;
  } else if (bits === 32) {
    dst[0] = lo;
    dst[1] = 0;
  } else {
    dst[0] = lo;
    dst[1] = hi;
  }
  return flags;
}

/** FILD: out = the signed integer hi:lo (two's complement; pass the sign-extended value). */
export function fromInt64(out: F80, lo: number, hi: number): void {
  lo >>>= 0;
  hi >>>= 0;
  const neg = hi >>> 31;
  if (neg) {
    lo = (TWO32 - lo) % TWO32;
    hi = (0xffffffff - hi + (lo === 0 ? 1 : 0)) % TWO32;
  }
  W2 = hi;
  W1 = lo;
  W0 = 0;
  const s = norm96();
  if (s < 0) {
    setZero(out, 0);
    return;
  }
  out.se = (neg << 15) | (63 - s + BIAS);
  out.hi = W2;
  out.lo = W1;
}

/** FILD m16/m32: out = the signed 32-bit integer v. */
export function fromInt32(out: F80, v: number): void {
  fromInt64(out, v >>> 0, v < 0 ? 0xffffffff : 0);
}

// ---- packed BCD -----------------------------------------------------------------------------

/** FBLD: out = the 18-digit packed BCD in src[0..9] (invalid digits give undefined results). */
export function fromBcd(out: F80, src: Uint8Array): void {
  let hi = 0, lo = 0;
  for (let i = 8; i >= 0; i--) {
    for (const d of [src[i] >>> 4, src[i] & 15]) {
      const l = lo * 10 + d;
      lo = l % TWO32;
      hi = hi * 10 + Math.floor(l / TWO32);
    }
  }
  fromInt64(out, lo, hi);
  if (src[9] & 0x80) out.se |= 0x8000;
}

/** FBSTP: dst[0..9] = a rounded per RC as packed BCD; IE stores the BCD indefinite. */
export function toBcd(dst: Uint8Array, a: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo);
  const neg = a.se >>> 15;
  const indefinite = () => {
    dst.fill(0, 0, 7);
    dst[7] = 0xc0;
    dst[8] = 0xff;
    dst[9] = 0xff;
    return IE;
  };
  if (ka >= K_INF) return indefinite();
  let flags = 0;
  let hi = 0, lo = 0;
  if (ka !== K_ZERO) {
    if (toIntegerW(a, (cw >>> 10) & 3)) return flags | indefinite();
    hi = W2;
    lo = W1;
    // 10^18 = 0x0DE0B6B3_A7640000
    if (hi > 0x0de0b6b3 || (hi === 0x0de0b6b3 && lo >= 0xa7640000)) return flags | indefinite();
    flags |= (INEXACT ? PE : 0) | (INC_ ? C1 : 0);
  }
  for (let i = 0; i < 9; i++) {
    let byte = 0;
    for (let k = 0; k < 2; k++) {
      const qh = Math.floor(hi / 10);
      const r = hi - qh * 10;
      const l = r * TWO32 + lo;
      const ql = Math.floor(l / 10);
      byte |= (l - ql * 10) << (4 * k);
      hi = qh;
      lo = ql;
    }
    dst[i] = byte;
  }
  dst[9] = neg ? 0x80 : 0;
  return flags;
}

// ---- float32 / float64 ----------------------------------------------------------------------

/**
 * FLD m32 (`keepSignaling` false: SNaN → QNaN with IE) or a float32 arithmetic operand
 * (`keepSignaling` true: exact widening, the operation sees the SNaN). DE for denormals.
 */
export function fromF32(out: F80, bits: number, keepSignaling = false): number {
  bits >>>= 0;
  const neg = bits >>> 31, e = (bits >>> 23) & 0xff, f = bits & 0x7fffff;
  if (e === 0xff) {
    out.se = (neg << 15) | 0x7fff;
    out.hi = (0x80000000 | (f << 8)) >>> 0;
    out.lo = 0;
    if (f !== 0 && (f & 0x400000) === 0 && !keepSignaling) {
      out.hi = (out.hi | 0x40000000) >>> 0;
      return IE;
    }
    return 0;
  }
  if (e === 0) {
    if (f === 0) {
      setZero(out, neg);
      return 0;
    }
    const z = Math.clz32(f) - 8;
    out.se = (neg << 15) | (BIAS - 126 - z);
    out.hi = (f << (8 + z)) >>> 0;
    out.lo = 0;
    return DE;
  }
  out.se = (neg << 15) | (e - 127 + BIAS);
  out.hi = (0x80000000 | (f << 8)) >>> 0;
  out.lo = 0;
  return 0;
}

/** FLD m64 / float64 operand (see fromF32): bits = hi:lo. */
export function fromF64(out: F80, lo: number, hi: number, keepSignaling = false): number {
  lo >>>= 0;
  hi >>>= 0;
  const neg = hi >>> 31, e = (hi >>> 20) & 0x7ff, fh = hi & 0xfffff;
  if (e === 0x7ff) {
    out.se = (neg << 15) | 0x7fff;
    out.hi = (0x80000000 | (fh << 11) | (lo >>> 21)) >>> 0;
    out.lo = (lo << 11) >>> 0;
    if ((fh !== 0 || lo !== 0) && (fh & 0x80000) === 0 && !keepSignaling) {
      out.hi = (out.hi | 0x40000000) >>> 0;
      return IE;
    }
    return 0;
  }
  if (e === 0) {
    if (fh === 0 && lo === 0) {
      setZero(out, neg);
      return 0;
    }
    W2 = fh;
    W1 = lo;
    W0 = 0;
    const s = norm96();
    // value = f * 2^-1074; f's top bit now at 95
    out.se = (neg << 15) | (63 - s - 1074 + BIAS);
    out.hi = W2;
    out.lo = W1;
    return DE;
  }
  out.se = (neg << 15) | (e - 1023 + BIAS);
  out.hi = (0x80000000 | (fh << 11) | (lo >>> 21)) >>> 0;
  out.lo = (lo << 11) >>> 0;
  return 0;
}

/**
 * The DE flag an arithmetic or compare instruction takes from its widened memory operand
 * (loadFlags from fromF32/fromF64 with keepSignaling): none when the register operand is a NaN
 * or unsupported. If DE is then unmasked, an arithmetic instruction must not execute (a compare
 * still sets its condition codes, as compare() does for register operands).
 */
export function memOperandDE(loadFlags: number, reg: F80): number {
  return kind(reg.se, reg.hi, reg.lo) >= K_QNAN ? 0 : loadFlags & DE;
}

/** FST m32: dst[0] = a rounded to float32 per RC (PC is ignored). */
export function toF32(dst: Uint32Array, a: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo);
  const neg = a.se >>> 15;
  const s = neg << 31;
  if (ka >= K_INF || ka === K_ZERO) {
    if (ka === K_ZERO) dst[0] = s >>> 0;
    else if (ka === K_INF) dst[0] = (s | 0x7f800000) >>> 0;
    else if (ka === K_UNSUP) {
      dst[0] = 0xffc00000;
      return IE;
    } else {
      dst[0] = (s | 0x7fc00000 | ((a.hi >>> 8) & 0x3fffff)) >>> 0;
      return ka === K_SNAN ? IE : 0;
    }
    return 0;
  }
  unpack(a);
  W2 = UH;
  W1 = UL;
  W0 = 0;
  ST = 0;
  const flags = roundCore(neg, UE_, 24, -126, 127, 127, cw, false);
  dst[0] = (s | (RE << 23) | ((W2 >>> 8) & 0x7fffff)) >>> 0;
  return flags;
}

/** FST m64: dst[0] = low, dst[1] = high word of a rounded to float64 per RC. */
export function toF64(dst: Uint32Array, a: F80, cw: number): number {
  const ase = a.se;
  let H = a.hi;
  // fast path: a normal value that stays a normal double
  let be = (ase & 0x7fff) - BIAS + 1023;
  if (H >= 0x80000000 && be >= 1 && be <= 2046) {
    let M = a.lo;
    const neg = ase >>> 15;
    const rb = (M >>> 10) & 1, st = (M & 0x3ff) !== 0 ? 1 : 0;
    const inexact = rb | st, rc = cw & 0xc00;
    let inc = 0;
    if (rc === 0) inc = rb & (st | ((M >>> 11) & 1));
    else if (rc === 0x400) inc = inexact & neg;
    else if (rc === 0x800) inc = inexact & (neg ^ 1);
    M = (M & 0xfffff800) >>> 0;
    if (inc !== 0) {
      M += 2048;
      if (M >= TWO32) {
        M -= TWO32;
        H += 1;
        if (H >= TWO32) {
          H = 0x80000000;
          be++;
        }
      }
    }
    if (be <= 2046) {
      dst[1] = ((neg << 31) | (be << 20) | ((H >>> 11) & 0xfffff)) >>> 0;
      dst[0] = ((H << 21) | (M >>> 11)) >>> 0;
      return (inexact !== 0 ? PE : 0) | (inc !== 0 ? C1 : 0);
    }
  }
  const ka = kind(a.se, a.hi, a.lo);
  const neg = a.se >>> 15;
  const s = neg << 31;
  if (ka >= K_INF || ka === K_ZERO) {
    dst[0] = 0;
    if (ka === K_ZERO) dst[1] = s >>> 0;
    else if (ka === K_INF) dst[1] = (s | 0x7ff00000) >>> 0;
    else if (ka === K_UNSUP) {
      dst[1] = 0xfff80000;
      return IE;
    } else {
      dst[1] = (s | 0x7ff80000 | ((a.hi >>> 11) & 0x7ffff)) >>> 0;
      dst[0] = ((a.hi << 21) | (a.lo >>> 11)) >>> 0;
      return ka === K_SNAN ? IE : 0;
    }
    return 0;
  }
  unpack(a);
  W2 = UH;
  W1 = UL;
  W0 = 0;
  ST = 0;
  const flags = roundCore(neg, UE_, 53, -1022, 1023, 1023, cw, false);
  dst[1] = (s | (RE << 20) | ((W2 >>> 11) & 0xfffff)) >>> 0;
  dst[0] = ((W2 << 21) | (W1 >>> 11)) >>> 0;
  return flags;
}

// ---- JS numbers -----------------------------------------------------------------------------

const numBuf = new Float64Array(1);
const numWords = new Uint32Array(numBuf.buffer);
const u32x2 = new Uint32Array(2);

/** out = x exactly. */
export function fromNumber(out: F80, x: number): F80 {
  numBuf[0] = x;
  fromF64(out, numWords[0], numWords[1], true);
  return out;
}

/** a rounded to the nearest JS number. */
export function toNumber(a: F80): number {
  toF64(u32x2, a, 0x037f);
  numWords[0] = u32x2[0];
  numWords[1] = u32x2[1];
  return numBuf[0];
}

// ---- fscale / fxtract / fprem ---------------------------------------------------------------

/** FSCALE: out = a * 2^trunc(b). */
export function scale(out: F80, a: F80, b: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) return nanResult(out, a, ka, b, kb, cw);
  const sa = a.se >>> 15, sb = b.se >>> 15;
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  if (kb === K_INF) {
    if (sb === 0 && ka === K_ZERO) return invalid(out, cw);
    if (sb === 1 && ka === K_INF) return invalid(out, cw);
    if (flags & ~cw) return flags;
    if (ka === K_ZERO || ka === K_INF) out.set(a);
    else if (sb) setZero(out, sa);
    else setInf(out, sa);
    return flags;
  }
  if (flags & ~cw) return flags;
  if (ka === K_ZERO || ka === K_INF) {
    out.set(a);
    return flags;
  }
  // trunc(b), clamped: anything beyond ±2^17 over/underflows the same way
  let n = 0;
  if (kb !== K_ZERO) {
    unpack(b);
    if (UE_ >= 17) n = 1 << 17;
    else if (UE_ >= 0) n = Math.floor(UH / 2 ** (31 - UE_));
    if (sb) n = -n;
  }
  unpack(a);
  W2 = UH;
  W1 = UL;
  W0 = 0;
  ST = 0;
  return flags | pack80(out, sa, UE_ + n, 64, cw);
}

/** FXTRACT: sig = a's significand (exponent 0), exp = a's unbiased exponent. */
export function xtract(sig: F80, exp: F80, a: F80, cw: number): number {
  const ka = kind(a.se, a.hi, a.lo);
  if (ka >= K_QNAN) {
    const f = nanResult(sig, a, ka, null, K_ZERO, cw);
    if (!(f & ~cw & IE)) exp.set(sig);
    return f;
  }
  const neg = a.se >>> 15;
  if (ka === K_ZERO) {
    if ((cw & ZE) === 0) return ZE;
    setInf(exp, 1);
    setZero(sig, neg);
    return ZE;
  }
  if (ka === K_INF) {
    setInf(exp, 0);
    setInf(sig, neg);
    return 0;
  }
  const flags = ka === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  unpack(a);
  fromInt32(exp, UE_);
  sig.se = (neg << 15) | BIAS;
  sig.hi = UH;
  sig.lo = UL;
  return flags;
}

/**
 * FPREM (`ieee` false: truncating quotient) and FPREM1 (`ieee` true: nearest-even quotient):
 * out = a - b*Q with C0 C3 C1 = Q bits 2 1 0, or a partial remainder with C2 set.
 */
export function prem(out: F80, a: F80, b: F80, cw: number, ieee: boolean): number {
  const ka = kind(a.se, a.hi, a.lo), kb = kind(b.se, b.hi, b.lo);
  if (ka >= K_QNAN || kb >= K_QNAN) return nanResult(out, a, ka, b, kb, cw);
  if (ka === K_INF || kb === K_ZERO) return invalid(out, cw);
  const flags = ka === K_DEN || kb === K_DEN ? DE : 0;
  if (flags & ~cw) return flags;
  if (ka === K_ZERO || kb === K_INF) {
    out.set(a);
    return flags;
  }
  const sa = a.se >>> 15;
  unpack(a);
  const ea = UE_, ah = UH, al = UL;
  unpack(b);
  const eb = UE_, bh = UH, bl = UL;
  const d = ea - eb;
  if (d < 0) {
    if (!ieee || d < -1 || !(ah > bh || (ah === bh && al > bl))) {
      W2 = ah;
      W1 = al;
      W0 = 0;
      ST = 0;
      return flags | pack80(out, sa, ea, 64, cw);
    }
    // |a| in (|b|/2, |b|): Q = 1, remainder = |a| - |b| (exact)
    // |b| - |a| with a aligned at exponent eb-1: (2B - A) * 2^(eb-64)
    let t1 = bl * 2 - al, t2 = bh * 2 - ah;
    while (t1 < 0) {
      t1 += TWO32;
      t2 -= 1;
    }
    while (t1 >= TWO32) {
      t1 -= TWO32;
      t2 += 1;
    }
    W2 = t2;
    W1 = t1;
    W0 = 0;
    const s = norm96();
    return flags | C1 | pack80(out, sa ^ 1, eb - 1 - s, 64, cw);
  }
  const partial = d >= 64;
  const steps = partial ? premN(d) : d;
  // restoring division: r = A * 2^steps mod B (in units of 2^(eb-63+d-steps))
  let rh = ah, rl = al;
  let q = 0;
  for (let i = 0; i <= steps; i++) {
    let bit = 0;
    if (rh > bh || (rh === bh && rl >= bl)) {
      rl -= bl;
      rh -= bh;
      if (rl < 0) {
        rl += TWO32;
        rh -= 1;
      }
      bit = 1;
    }
    q = ((q << 1) | bit) & 7;
    if (i < steps) {
      rh = rh * 2 + (rl >>> 31);
      rl = (rl << 1) >>> 0;
    }
  }
  let neg = sa;
  if (ieee && !partial) {
    // round the quotient to nearest-even: compare 2r with B
    const r2h = rh * 2 + (rl >>> 31), r2l = (rl << 1) >>> 0;
    const c = r2h !== bh ? r2h - bh : r2l - bl;
    if (c > 0 || (c === 0 && (q & 1))) {
      q = (q + 1) & 7;
      rl = bl - rl;
      rh = bh - rh;
      if (rl < 0) {
        rl += TWO32;
        rh -= 1;
      }
      neg ^= 1;
    }
  }
  let cc = partial ? C2 : ((q & 4 ? C0 : 0) | (q & 2 ? C3 : 0) | (q & 1 ? C1 : 0));
  if (partial) cc = C2;
  W2 = rh;
  W1 = rl;
  W0 = 0;
  ST = 0;
  const s = norm96();
  if (s < 0) {
    setZero(out, sa);
    return flags | cc;
  }
  // r's unit is 2^(eb - 63 + d - steps); W's bit 95 is r's bit (95 - s)
  const e = eb + (d - steps) - s;
  return flags | cc | pack80(out, neg, e, 64, cw);
}

/** Quotient bits per FPREM/FPREM1 step when the exponent difference is 64 or more. */
function premN(d: number): number {
  return 32 + ((d - 32) % 32);
}
