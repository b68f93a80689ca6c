/**
 * @module The x87 transcendental instructions (FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X,
 * FYL2XP1) and the constants (FLDPI, FLDL2E, …) on raw F80 values, deterministic and within an
 * ulp of the x87.
 *
 * Values are evaluated in BigInt floating point with about 190 significant bits and rounded
 * once to 64 bits per RC (precision control does not apply, as on the x87). Like the x87, the
 * trigonometric functions reduce their argument modulo a 66-bit approximation of pi, so results
 * near multiples of pi match the hardware rather than the exact function. Special operands
 * follow the SDM tables. Return values are status-word bits as in f80.ts.
 */
import { F80, Kind, kindOf, sqrt } from "./f80.ts";

const IE = 0x1, DE = 0x2, ZE = 0x4, OE = 0x8, UE = 0x10, PE = 0x20;
const C1 = 0x200, C2 = 0x400;

/** Working precision in bits. */
const P = 192;

/** A binary floating-point value m * 2^e (m signed, arbitrary precision). */
interface BF {
  m: bigint;
  e: number;
}

function bitlen(m: bigint): number {
  if (m < 0n) m = -m;
  if (m === 0n) return 0;
  const s = m.toString(16);
  return 4 * (s.length - 1) + (32 - Math.clz32(parseInt(s[0], 16)));
}

/** Drops bits below the working precision (truncating, keeping a sticky 1). */
function norm(x: BF): BF {
  const n = bitlen(x.m);
  if (n <= P + 8) return x;
  const s = n - P;
  const neg = x.m < 0n;
  let m = neg ? -x.m : x.m;
  const sticky = (m & ((1n << BigInt(s)) - 1n)) !== 0n ? 1n : 0n;
  m = (m >> BigInt(s)) | sticky;
  return { m: neg ? -m : m, e: x.e + s };
}

function bf(m: bigint, e: number): BF {
  return norm({ m, e });
}

function mul(a: BF, b: BF): BF {
  return norm({ m: a.m * b.m, e: a.e + b.e });
}

function add(a: BF, b: BF): BF {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  // a value far below the other only contributes a sticky bit
  const ta = a.e + bitlen(a.m), tb = b.e + bitlen(b.m);
  if (ta - tb > P + 16) b = { m: b.m < 0n ? -1n : 1n, e: ta - P - 16 };
  else if (tb - ta > P + 16) a = { m: a.m < 0n ? -1n : 1n, e: tb - P - 16 };
  const e = Math.min(a.e, b.e);
  return norm({ m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e });
}

function neg(a: BF): BF {
  return { m: -a.m, e: a.e };
}

function div(a: BF, b: BF): BF {
  const s = P + 8 + bitlen(b.m) - bitlen(a.m);
  const sh = s > 0 ? s : 0;
  const negQ = (a.m < 0n) !== (b.m < 0n);
  const num = (a.m < 0n ? -a.m : a.m) << BigInt(sh), den = b.m < 0n ? -b.m : b.m;
  let q = num / den;
  if (q * den !== num) q |= 1n; // sticky
  return norm({ m: negQ ? -q : q, e: a.e - b.e - sh });
}

function divInt(a: BF, n: number): BF {
  return div(a, { m: BigInt(n), e: 0 });
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitlen(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function sqrtBF(a: BF): BF {
  let s = 2 * P + 4 - bitlen(a.m);
  if (s < 0) s = 0;
  if ((a.e - s) & 1) s++;
  return norm({ m: isqrt(a.m << BigInt(s)), e: (a.e - s) / 2 });
}

const ONE: BF = { m: 1n, e: 0 };

/** |a| < 2^-P relative to `ref`: the series term no longer matters. */
function tiny(term: BF, sum: BF): boolean {
  return term.m === 0n || term.e + bitlen(term.m) < sum.e + bitlen(sum.m) - P - 4;
}

// ---- constants (computed once, 320-bit fixed point) ----------------------------------------

const CF = 320n;

/** sum (±1)^k / ((2k+1) n^(2k+1)) in fixed point: atan(1/n) or atanh(1/n). */
function invSeries(n: bigint, alternate: boolean): bigint {
  const one = 1n << CF;
  let p = one / n, sum = 0n, k = 0n;
  const n2 = n * n;
  while (p !== 0n) {
    const t = p / (2n * k + 1n);
    sum += alternate && (k & 1n) ? -t : t;
    p /= n2;
    k++;
  }
  return sum;
}

let consts: { pi: BF; ln2: BF; ln10: BF } | undefined;

function C(): { pi: BF; ln2: BF; ln10: BF } {
  if (consts === undefined) {
    const pi = 16n * invSeries(5n, true) - 4n * invSeries(239n, true);
    const ln2 = 2n * invSeries(3n, false);
    const ln10 = 3n * ln2 + 2n * invSeries(9n, false);
    const e = -Number(CF);
    consts = { pi: bf(pi, e), ln2: bf(ln2, e), ln10: bf(ln10, e) };
  }
  return consts;
}

/** The x87's 66-bit pi: 0x3243F6A8885A308D3 * 2^-64. */
const PI66 = 0x3243f6a8885a308d3n;

// ---- F80 <-> BF --------------------------------------------------------------------------------

/** |x| of a finite nonzero F80 as BF. */
function toBF(x: F80): BF {
  const e = x.se & 0x7fff;
  const m = (BigInt(x.hi) << 32n) | BigInt(x.lo);
  return { m, e: (e === 0 ? 1 : e) - 16383 - 63 };
}

function setZero(out: F80, s: number): void {
  out.se = s << 15;
  out.hi = 0;
  out.lo = 0;
}

function setInf(out: F80, s: number): void {
  out.se = (s << 15) | 0x7fff;
  out.hi = 0x80000000;
  out.lo = 0;
}

/** Rounds the BF value to out per the RC of cw (64-bit significand); returns PE UE OE C1. */
export function roundBF(out: F80, x: BF, cw: number): number {
  const s = x.m < 0n ? 1 : 0;
  const m = s ? -x.m : x.m;
  if (m === 0n) {
    setZero(out, s);
    return 0;
  }
  const rc = (cw >>> 10) & 3;
  const n = bitlen(m);
  let E = n - 1 + x.e;
  // unmasked underflow/overflow deliver the result with its exponent wrapped by 24576
  let wrapped = 0;
  if (E < -16382 && (cw & UE) === 0) {
    x = { m: x.m, e: x.e + 24576 };
    E += 24576;
    wrapped = UE;
  } else if (E > 16383 && (cw & OE) === 0) {
    x = { m: x.m, e: x.e - 24576 };
    E -= 24576;
    wrapped = OE;
  }
  let keep = E >= -16382 ? 64 : 64 - (-16382 - E);
  if (keep < 0) keep = 0;
  const shift = n - keep;
  let q: bigint, inexact: boolean, up: boolean;
  if (shift <= 0) {
    q = m << BigInt(-shift);
    inexact = false;
    up = false;
  } else {
    const sb = BigInt(shift);
    q = m >> sb;
    const rem = m & ((1n << sb) - 1n);
    const half = 1n << (sb - 1n);
    inexact = rem !== 0n;
    up = rc === 0
      ? rem > half || (rem === half && (q & 1n) === 1n)
      : rc === 1
      ? inexact && s === 1
      : rc === 2
      ? inexact && s === 0
      : false;
    if (up) q++;
  }
  let flags = (inexact ? PE : 0) | (up ? C1 : 0) | wrapped;

  const ue = x.e + shift; // value = q * 2^ue
  if (q === 0n) {
    setZero(out, s);
    return flags | (inexact ? UE : 0);
  }
  const bl = bitlen(q);
  const Er = bl - 1 + ue;
  // tininess after rounding: only a result that stays below the normal range underflows
  if (inexact && Er < -16382) flags |= UE;
  if (Er > 16383) {
    flags |= OE | PE;
    const toInf = rc === 0 || (rc === 1 && s === 1) || (rc === 2 && s === 0);
    if (toInf) {
      setInf(out, s);
      flags |= C1;
    } else {
      out.se = (s << 15) | 0x7ffe;
      out.hi = 0xffffffff;
      out.lo = 0xffffffff;
      flags &= ~C1;
    }
    return flags;
  }
  let sig: bigint, be: number;
  if (Er >= -16382) {
    be = Er + 16383;
    sig = bl > 64 ? q >> BigInt(bl - 64) : q << BigInt(64 - bl);
  } else {
    be = 0;
    sig = q << BigInt(ue + 16382 + 63);
  }
  out.se = (s << 15) | be;
  out.hi = Number(sig >> 32n);
  out.lo = Number(sig & 0xffffffffn);
  return flags;
}

// ---- series ----------------------------------------------------------------------------------

function sinSeries(r: BF): BF {
  const r2 = mul(r, r);
  let term = r, sum = r;
  for (let k = 1; k < 200; k++) {
    term = neg(divInt(mul(term, r2), 2 * k * (2 * k + 1)));
    if (tiny(term, sum)) return add(sum, term);
    sum = add(sum, term);
  }
  return sum;
}

function cosSeries(r: BF): BF {
  const r2 = mul(r, r);
  let term: BF = ONE, sum: BF = ONE;
  for (let k = 1; k < 200; k++) {
    term = neg(divInt(mul(term, r2), (2 * k - 1) * (2 * k)));
    if (tiny(term, sum)) return add(sum, term);
    sum = add(sum, term);
  }
  return sum;
}

/** e^t - 1 for moderate t. */
function expm1(t: BF): BF {
  let term = t, sum = t;
  for (let n = 2; n < 400; n++) {
    term = divInt(mul(term, t), n);
    if (tiny(term, sum)) return add(sum, term);
    sum = add(sum, term);
  }
  return sum;
}

/** atanh(s) = s + s^3/3 + s^5/5 … for |s| ≤ 0.2. */
function atanh(s: BF): BF {
  const s2 = mul(s, s);
  let p = s, sum = s;
  for (let k = 1; k < 400; k++) {
    p = mul(p, s2);
    const term = divInt(p, 2 * k + 1);
    if (tiny(term, sum)) return add(sum, term);
    sum = add(sum, term);
  }
  return sum;
}

/** atan(t) for t ≥ 0. */
function atan(t: BF): BF {
  if (t.m === 0n) return t;
  const c = C();
  if (bitlen(t.m) + t.e > 0 && cmpOne(t) > 0) {
    return add(mul(c.pi, { m: 1n, e: -1 }), neg(atan(div(ONE, t))));
  }
  // three halvings: atan(t) = 2 atan(t / (1 + sqrt(1 + t^2)))
  for (let k = 0; k < 3; k++) t = div(t, add(ONE, sqrtBF(add(ONE, mul(t, t)))));
  const sum = atanSeries(t);
  return { m: sum.m, e: sum.e + 3 };
}

/** atan(t) = t - t^3/3 + t^5/5 … for small t. */
function atanSeries(t: BF): BF {
  const t2 = mul(t, t);
  let p = t, sum = t;
  for (let k = 1; k < 400; k++) {
    p = neg(mul(p, t2));
    const term = divInt(p, 2 * k + 1);
    if (tiny(term, sum)) return add(sum, term);
    sum = add(sum, term);
  }
  return sum;
}

function cmpOne(t: BF): number {
  const d = add(t, { m: -1n, e: 0 });
  return d.m === 0n ? 0 : d.m > 0n ? 1 : -1;
}

/** ln(x) for x > 0. */
function ln(x: BF): BF {
  // x = f * 2^E with f in [sqrt(1/2), sqrt(2))
  const n = bitlen(x.m);
  let E = n - 1 + x.e;
  let f: BF = { m: x.m, e: -(n - 1) };
  // sqrt(2) ≈ 1.41421356: compare f*f with 2
  const ff = mul(f, f);
  if (bitlen(ff.m) + ff.e > 1 && add(ff, { m: -2n, e: 0 }).m > 0n) {
    f = { m: f.m, e: f.e - 1 };
    E++;
  }
  const s = div(add(f, { m: -1n, e: 0 }), add(f, ONE));
  const r = { m: atanh(s).m, e: atanh(s).e + 1 };
  return add(r, mul(C().ln2, { m: BigInt(E), e: 0 }));
}

// ---- helpers for special operands ---------------------------------------------------------

const INDEF_SRC = new F80(0xbfff, 0x80000000, 0); // -1: sqrt of it is the invalid result

/** NaN/unsupported operand(s): the x87's propagated result (as sqrt/add produce it). */
function nan1(out: F80, a: F80, cw: number): number {
  return sqrt(out, a, cw);
}

function invalid(out: F80, cw: number): number {
  return sqrt(out, INDEF_SRC, cw);
}

const isNaNish = (k: Kind) => k >= Kind.QNAN;

/** Quiets/propagates like a two-operand arithmetic instruction (add semantics). */
function nan2(
  out: F80,
  a: F80,
  b: F80,
  cw: number,
  addFn: (o: F80, a: F80, b: F80, cw: number) => number,
): number {
  return addFn(out, a, b, cw);
}

// ---- the instructions -----------------------------------------------------------------------

/** Result of trig argument reduction: r (signed) and the quadrant k mod 4. */
function reduce(x: F80): { r: BF; q: number } {
  const b = toBF(x);
  // k = round(x / (pi66/2)), r = x - k * pi66/2 exactly
  const ex = b.e;
  const sh = ex + 65;
  let num = b.m, den = PI66;
  if (sh >= 0) num <<= BigInt(sh);
  else den <<= BigInt(-sh);
  const k = (2n * num + den) / (2n * den);
  const emin = Math.min(ex, -65);
  const rm = (b.m << BigInt(ex - emin)) - ((k * PI66) << BigInt(-65 - emin));
  let r = bf(rm, emin);
  let q = Number(k & 3n);
  if (x.se & 0x8000) {
    r = neg(r);
    q = (4 - q) & 3;
  }
  return { r, q };
}

/** Common checks for FSIN/FCOS/FSINCOS/FPTAN: returns -1 to go on, else flags (result set or C2). */
function trigSpecial(out: F80, a: F80, cw: number): number {
  const k = kindOf(a);
  if (isNaNish(k) || k === Kind.UNSUPPORTED) return nan1(out, a, cw);
  if (k === Kind.INF) return invalid(out, cw);
  if ((a.se & 0x7fff) >= 16383 + 63) return C2;
  if (k === Kind.DENORMAL && (cw & DE) === 0) return DE;
  return -1;
}

/** FSIN: out = sin(a); C2 (nothing written) when |a| ≥ 2^63. */
export function fsin(out: F80, a: F80, cw: number): number {
  const f = trigSpecial(out, a, cw);
  if (f >= 0) return f;
  const k = kindOf(a);
  if (k === Kind.ZERO) {
    out.set(a);
    return 0;
  }
  const { r, q } = reduce(a);
  let v = q & 1 ? cosSeries(r) : sinSeries(r);
  if (q & 2) v = neg(v);
  return (k === Kind.DENORMAL ? DE : 0) | roundBF(out, v, cw);
}

/** FCOS: out = cos(a). */
export function fcos(out: F80, a: F80, cw: number): number {
  const f = trigSpecial(out, a, cw);
  if (f >= 0) return f;
  const k = kindOf(a);
  if (k === Kind.ZERO) {
    out.se = 0x3fff;
    out.hi = 0x80000000;
    out.lo = 0;
    return 0;
  }
  const { r, q } = reduce(a);
  let v = q & 1 ? sinSeries(r) : cosSeries(r);
  if (q === 1 || q === 2) v = neg(v);
  return (k === Kind.DENORMAL ? DE : 0) | roundBF(out, v, cw);
}

/** FSINCOS: sin = sin(a), cos = cos(a); flags of both (C1 from the cosine). */
export function fsincos(sin: F80, cos: F80, a: F80, cw: number): number {
  const f = trigSpecial(sin, a, cw);
  if (f >= 0) {
    if (f !== C2 && !(f & ~cw & (IE | DE))) cos.set(sin);
    return f;
  }
  const fs = fsin(sin, a, cw);
  const fc = fcos(cos, a, cw);
  return (fs & ~C1) | fc;
}

/** FPTAN: out = tan(a) (the caller pushes 1.0). */
export function fptan(out: F80, a: F80, cw: number): number {
  const f = trigSpecial(out, a, cw);
  if (f >= 0) return f;
  const k = kindOf(a);
  if (k === Kind.ZERO) {
    out.set(a);
    return 0;
  }
  const { r, q } = reduce(a);
  let v: BF;
  if (r.m !== 0n && bitlen(r.m) + r.e < -40) {
    // tan r = r + r^3/3 + …, cot r = 1/r - r/3 - …: the sticky bits of a quotient would cancel
    const r3 = divInt(mul(r, mul(r, r)), 3);
    v = q & 1 ? neg(add(div(ONE, r), neg(divInt(r, 3)))) : add(r, r3);
  } else {
    const s = sinSeries(r), c = cosSeries(r);
    v = q & 1 ? neg(div(c, s)) : div(s, c);
  }
  return (k === Kind.DENORMAL ? DE : 0) | roundBF(out, v, cw);
}

/** FPATAN: out = atan2(y, x) (y = ST(1), x = ST(0)). */
export function fpatan(
  out: F80,
  y: F80,
  x: F80,
  cw: number,
  addFn: (o: F80, a: F80, b: F80, cw: number) => number,
): number {
  const ky = kindOf(y), kx = kindOf(x);
  if (isNaNish(ky) || isNaNish(kx)) return nan2(out, y, x, cw, addFn);
  const flags = ky === Kind.DENORMAL || kx === Kind.DENORMAL ? DE : 0;
  if (flags & ~cw) return flags;
  const sy = y.se >>> 15, sx = x.se >>> 15;
  const c = C();
  const pi = c.pi;
  const half = (v: BF): BF => ({ m: v.m, e: v.e - 1 });
  const signed = (v: BF): BF => (sy ? neg(v) : v);
  let v: BF;
  if (ky === Kind.ZERO) {
    if (sx === 0) {
      setZero(out, sy);
      return flags;
    }
    v = pi;
  } else if (kx === Kind.ZERO) {
    v = half(pi);
  } else if (ky === Kind.INF) {
    if (kx === Kind.INF) v = sx ? mul(pi, { m: 3n, e: -2 }) : { m: pi.m, e: pi.e - 2 };
    else v = half(pi);
  } else if (kx === Kind.INF) {
    if (sx === 0) {
      setZero(out, sy);
      return flags;
    }
    v = pi;
  } else {
    const t = atan(div(toBF(y), toBF(x)));
    v = sx ? add(pi, neg(t)) : t;
  }
  return flags | roundBF(out, signed(v), cw);
}

function isOutside(a: F80): boolean {
  const e = a.se & 0x7fff;
  return e > 16383 || (e === 16383 && (a.hi !== 0x80000000 || a.lo !== 0));
}

/** F2XM1: out = 2^a - 1. */
export function f2xm1(out: F80, a: F80, cw: number): number {
  const k = kindOf(a);
  if (isNaNish(k) || k === Kind.UNSUPPORTED) return nan1(out, a, cw);
  if (k === Kind.ZERO) {
    out.set(a);
    return 0;
  }
  if (k === Kind.INF) {
    if (a.se & 0x8000) {
      out.se = 0xbfff;
      out.hi = 0x80000000;
      out.lo = 0;
    } else out.set(a);
    return 0;
  }
  const flags = k === Kind.DENORMAL ? DE : 0;
  if (flags & ~cw) return flags;
  if (isOutside(a)) {
    // outside [-1, 1] the x87 leaves the operand as it is and reports only inexact
    out.set(a);
    return flags | PE;
  }
  let t = mul(toBF(a), C().ln2);
  if (a.se & 0x8000) t = neg(t);
  return flags | roundBF(out, expm1(t), cw);
}

/**
 * FYL2X (`p1` false: out = y * log2(x)) and FYL2XP1 (`p1` true: out = y * log2(x + 1)),
 * y = ST(1), x = ST(0).
 */
export function fyl2x(
  out: F80,
  y: F80,
  x: F80,
  cw: number,
  p1: boolean,
  addFn: (o: F80, a: F80, b: F80, cw: number) => number,
): number {
  const ky = kindOf(y), kx = kindOf(x);
  if (isNaNish(ky) || isNaNish(kx)) return nan2(out, y, x, cw, addFn);
  const sy = y.se >>> 15, sx = x.se >>> 15;
  // the log's sign and size: l = log2(x) or log2(1 + x)
  let lz = false, lneg = 0, linf = false;
  let xb: BF | undefined;
  if (p1) {
    if (kx === Kind.ZERO) {
      lz = true;
      lneg = sx;
    } else if (kx === Kind.INF) {
      if (sx) return invalid(out, cw);
      linf = true;
    } else {
      xb = toBF(x);
      if (sx && cmpOne(xb) === 0 && ky === Kind.ZERO) {
        setZero(out, sy ^ 1); // outside the domain: what the x87 gives
        return 0;
      }
      if (sx && cmpOne(xb) >= 0) {
        // x ≤ -1, outside the domain: the x87 returns x, inexact
        const f = ky === Kind.DENORMAL ? DE : 0;
        if (f & ~cw) return f;
        out.set(x);
        return f | PE;
      }
      lneg = sx;
    }
  } else {
    if (kx === Kind.ZERO) {
      // log2(0) = -inf: division by zero unless y is zero (invalid) or infinite
      if (ky === Kind.ZERO) return invalid(out, cw);
      const f = ky === Kind.DENORMAL ? DE : 0;
      if (f & ~cw) return f;
      if (ky === Kind.INF) {
        setInf(out, sy ^ 1);
        return f;
      }
      if ((cw & ZE) === 0) return f | ZE;
      setInf(out, sy ^ 1);
      return f | ZE;
    }
    if (sx) return invalid(out, cw);
    if (kx === Kind.INF) linf = true;
    else {
      xb = toBF(x);
      const c = cmpOne(xb);
      if (c === 0) lz = true;
      lneg = c < 0 ? 1 : 0;
    }
  }
  const flags = ky === Kind.DENORMAL || kx === Kind.DENORMAL ? DE : 0;
  if (linf) {
    if (ky === Kind.ZERO) return invalid(out, cw);
    if (flags & ~cw) return flags;
    setInf(out, sy);
    return flags;
  }
  if (lz) {
    if (ky === Kind.INF) return invalid(out, cw);
    if (flags & ~cw) return flags;
    setZero(out, sy ^ lneg);
    return flags;
  }
  if (ky === Kind.INF) {
    if (flags & ~cw) return flags;
    setInf(out, sy ^ lneg);
    return flags;
  }
  if (flags & ~cw) return flags;
  if (ky === Kind.ZERO) {
    setZero(out, sy ^ lneg);
    return flags;
  }
  let l: BF;
  if (p1) {
    const xs = sx ? neg(xb!) : xb!;
    const small = bitlen(xb!.m) + xb!.e <= -1; // |x| < 0.5
    l = small
      ? {
        m: atanh(div(xs, add({ m: 2n, e: 0 }, xs))).m,
        e: atanh(div(xs, add({ m: 2n, e: 0 }, xs))).e + 1,
      }
      : ln(add(ONE, xs));
  } else l = ln(xb!);
  l = div(l, C().ln2);
  let v = mul(toBF(y), l);
  if (sy) v = neg(v);
  // the x87 reports these results inexact even when they are exact
  return flags | roundBF(out, v, cw) | PE;
}

/** The constants FLD1 … FLDZ load, by ModRM.rm of D9 E8+rm (rm 7 is undefined). */
export function loadConstant(out: F80, rm: number, cw: number): void {
  const c = C();
  let v: BF;
  switch (rm) {
    case 0:
      v = ONE;
      break;
    case 1: // log2(10)
      v = div(c.ln10, c.ln2);
      break;
    case 2: // log2(e)
      v = div(ONE, c.ln2);
      break;
    case 3:
      v = c.pi;
      break;
    case 4: // log10(2)
      v = div(c.ln2, c.ln10);
      break;
    case 5:
      v = c.ln2;
      break;
    default:
      v = { m: 0n, e: 0 };
  }
  roundBF(out, v, cw);
}
