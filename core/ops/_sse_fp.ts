/**
 * @module Exact IEEE binary32/binary64 arithmetic for SSE: correctly rounded add, sub, mul, div, sqrt
 * in all four MXCSR rounding modes, with the x86 exception flags (tininess after rounding, FTZ).
 *
 * The fast path computes the nearest double and an exact error term (TwoSum, Dekker products
 * without FMA), then fixes the result up for directed rounding and for binary32. Operands or
 * results near the ends of the exponent range take the exact BigInt path (roundPack).
 */

/** MXCSR exception flag bits. */
export const IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
/** Rounding modes (MXCSR.RC). */
export const RN = 0, RD = 1, RU = 2, RZ = 3;

/** Per-instruction context: set by the handler before computing elements. */
export const ctx = { rc: RN, ftz: false, daz: false, ef: 0 };

const B = new ArrayBuffer(8);
const bf64 = new Float64Array(B);
const bf32 = new Float32Array(B);
const bu32 = new Uint32Array(B);

export const MAX32 = 3.4028234663852886e38;
export const MAX64 = Number.MAX_VALUE;
const MIN_NORMAL32 = 1.1754943508222875e-38;
const MIN_NORMAL64 = 2.2250738585072014e-308;

export function f32FromBits(x: number): number {
  bu32[0] = x;
  return bf32[0];
}

export function bitsOfF32(v: number): number {
  bf32[0] = v;
  return bu32[0];
}

export function nextUp32(t: number): number {
  if (t === 0) return 1.401298464324817e-45;
  bf32[0] = t;
  bu32[0] = t > 0 ? bu32[0] + 1 : bu32[0] - 1;
  return bf32[0];
}

export function nextDown32(t: number): number {
  return -nextUp32(-t);
}

export function nextUp64(t: number): number {
  if (t === 0) return 5e-324;
  if (t === Infinity) return t;
  bf64[0] = t;
  let lo = bu32[0], hi = bu32[1];
  if (t > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi++;
  } else {
    if (lo === 0) hi--;
    lo = (lo - 1) >>> 0;
  }
  bu32[0] = lo;
  bu32[1] = hi;
  return bf64[0];
}

export function nextDown64(t: number): number {
  return -nextUp64(-t);
}

// ---- Dekker products (exact when no intermediate overflows or underflows) ----
const SPLIT = 134217729; // 2^27 + 1
let prodErr = 0;
/** Returns fl(a*b) and leaves the exact error a*b - fl(a*b) in prodErr. */
function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  prodErr = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

// ---- exact slow path ----
let dSign = 0, dExp = 0;
/** |x| = mant × 2^dExp, sign in dSign (x finite, nonzero). */
function decompose(x: number): bigint {
  bf64[0] = x;
  const hi = bu32[1], lo = bu32[0];
  dSign = hi >>> 31;
  const e = (hi >>> 20) & 0x7ff;
  const frac = BigInt(hi & 0xfffff) * 0x100000000n + BigInt(lo);
  if (e === 0) {
    dExp = -1074;
    return frac;
  }
  dExp = e - 1075;
  return frac | (1n << 52n);
}

function bitLength(x: bigint): number {
  return x.toString(2).length;
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Newton steps from a close float estimate
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

/**
 * Rounds (-1)^sign × sig × 2^exp (with `sticky`: nonzero bits below sig's last bit, which must
 * then be below the rounding position) to binary32/64 under ctx, setting OE/UE/PE in ctx.ef.
 */
export function roundPack(
  sign: number,
  sig: bigint,
  exp: number,
  sticky: boolean,
  single: boolean,
): number {
  if (sig === 0n && !sticky) return sign ? -0 : 0;
  const p = single ? 24 : 53, emin = single ? -126 : -1022, emax = single ? 127 : 1023;
  const n = bitLength(sig);
  const E = exp + n - 1;
  const rc = ctx.rc;
  const rnd = (q: number): [bigint, boolean] => {
    const shift = q - exp;
    if (shift <= 0) return [sig << BigInt(-shift), sticky];
    const sh = BigInt(shift);
    let m = sig >> sh;
    const rem = sig & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    const inexact = rem !== 0n || sticky;
    let up = false;
    if (rc === RN) up = rem > half || (rem === half && (sticky || (m & 1n) === 1n));
    else if (rc === RU) up = !sign && inexact;
    else if (rc === RD) up = sign === 1 && inexact;
    if (up) m++;
    return [m, inexact];
  };
  const [m1] = rnd(E - p + 1);
  const tiny = E < emin && !(m1 === 1n << BigInt(p) && E === emin - 1);
  const q = Math.max(E, emin) - p + 1;
  const [m, inexact] = rnd(q);
  const top = bitLength(m) - 1 + q;
  if (top > emax) {
    ctx.ef |= OE | PE;
    const max = single ? MAX32 : MAX64;
    let v: number;
    if (rc === RN) v = Infinity;
    else if (rc === RZ) v = max;
    else if (rc === RU) v = sign ? max : Infinity;
    else v = sign ? Infinity : max;
    return sign ? -v : v;
  }
  if (tiny && ctx.ftz) {
    ctx.ef |= UE | PE;
    return sign ? -0 : 0;
  }
  if (inexact) ctx.ef |= tiny ? UE | PE : PE;
  const v = Number(m) * Math.pow(2, q);
  return sign ? -v : v;
}

/** Exact a op b (finite, nonzero where it matters) rounded under ctx. */
function slow(op: number, a: number, b: number, single: boolean): number {
  switch (op) {
    case ADD: {
      const ma = decompose(a), sa = dSign, ea = dExp;
      const mb = decompose(b), sb = dSign, eb = dExp;
      const e = Math.min(ea, eb);
      const A = ma << BigInt(ea - e), Bv = mb << BigInt(eb - e);
      let s = (sa ? -A : A) + (sb ? -Bv : Bv);
      if (s === 0n) return ctx.rc === RD ? -0 : 0;
      const neg = s < 0n ? 1 : 0;
      if (neg) s = -s;
      return roundPack(neg, s, e, false, single);
    }
    case MUL: {
      const ma = decompose(a), sa = dSign, ea = dExp;
      const mb = decompose(b), sb = dSign, eb = dExp;
      return roundPack(sa ^ sb, ma * mb, ea + eb, false, single);
    }
    case DIV: {
      const ma = decompose(a), sa = dSign, ea = dExp;
      const mb = decompose(b), sb = dSign, eb = dExp;
      const shift = Math.max(0, 66 + bitLength(mb) - bitLength(ma));
      const num = ma << BigInt(shift);
      const q = num / mb, rem = num % mb;
      return roundPack(sa ^ sb, q, ea - eb - shift, rem !== 0n, single);
    }
    default: { // SQRT of b > 0
      let m = decompose(b), e = dExp;
      if (e & 1) {
        m <<= 1n;
        e -= 1;
      }
      const k = Math.max(0, Math.ceil((140 - bitLength(m)) / 2));
      m <<= BigInt(2 * k);
      const s = isqrt(m);
      e = e / 2 - k;
      return roundPack(0, s, e, s * s !== m, single);
    }
  }
}

export const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5, SQRT = 6;

/**
 * Finishes a binary64 result: `r` is the nearest double to the exact value x and `es` the sign
 * of x - r. Returns NaN when the fast path cannot decide (range ends): the caller goes slow.
 */
function finish64(r: number, es: number): number {
  const ar = Math.abs(r);
  if (!(ar < MAX64) || ar < MIN_NORMAL64 * 4) return NaN;
  if (es === 0) return r;
  ctx.ef |= PE;
  const rc = ctx.rc;
  if (rc === RN) return r;
  let v = r;
  if (rc === RU) {
    if (es > 0) v = nextUp64(r);
  } else if (rc === RD) {
    if (es < 0) v = nextDown64(r);
  } else if ((es > 0) !== (r > 0)) v = r > 0 ? nextDown64(r) : nextUp64(r);
  if (v === Infinity || v === -Infinity) ctx.ef |= OE;
  return v;
}

/** Finishes a binary32 result from the double `r` nearest to x, with `es` the sign of x - r. */
export function finish32(r: number, es: number): number {
  let t = Math.fround(r);
  const at = Math.abs(t);
  if (!(at < MAX32) || at < MIN_NORMAL32 * 4) return NaN;
  const d = r - t;
  let s = d > 0 ? 1 : d < 0 ? -1 : es;
  if (d !== 0 && es !== 0) {
    // r exactly halfway between two floats but x is not: the error decides
    const other = d > 0 ? nextUp32(t) : nextDown32(t);
    if (2 * r === t + other && (es > 0) === (d > 0)) {
      t = other;
      s = -s;
    }
  }
  if (s === 0) return t;
  ctx.ef |= PE;
  const rc = ctx.rc;
  if (rc === RN) return t;
  let v = t;
  if (rc === RU) {
    if (s > 0) v = nextUp32(t);
  } else if (rc === RD) {
    if (s < 0) v = nextDown32(t);
  } else if ((s > 0) !== (t > 0)) v = t > 0 ? nextDown32(t) : nextUp32(t);
  if (Math.abs(v) > MAX32) ctx.ef |= OE;
  return v;
}

/** Under FTZ an exact but tiny (denormal) result still underflows to zero. */
function flushTiny(v: number, single: boolean): number {
  if (!ctx.ftz || v === 0 || Math.abs(v) >= (single ? MIN_NORMAL32 : MIN_NORMAL64)) return v;
  ctx.ef |= UE | PE;
  return v < 0 ? -0 : 0;
}

const sgn = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * a op b for non-NaN operands (denormals already flushed under DAZ). Returns the result, or
 * NaN for an invalid operation (the caller stores the default NaN); flags go to ctx.ef.
 */
export function arith(op: number, a: number, b: number, single: boolean): number {
  if (op === SUB) {
    op = ADD;
    b = -b;
  }
  switch (op) {
    case ADD: {
      if (a === Infinity || a === -Infinity || b === Infinity || b === -Infinity) {
        const r = a + b;
        if (r !== r) ctx.ef |= IE;
        return r;
      }
      if (a === 0 || b === 0) {
        if (a === 0 && b === 0) {
          if (Object.is(a, b)) return a;
          return ctx.rc === RD ? -0 : 0;
        }
        return flushTiny(a === 0 ? b : a, single);
      }
      const s = a + b;
      if (s === 0) return ctx.rc === RD ? -0 : 0;
      if (s === Infinity || s === -Infinity) return slow(ADD, a, b, single);
      const bb = s - a;
      const err = (a - (s - bb)) + (b - bb);
      const v = single ? finish32(s, sgn(err)) : finish64(s, sgn(err));
      return v === v ? v : slow(ADD, a, b, single);
    }
    case MUL: {
      const p = a * b;
      if (p !== p) {
        ctx.ef |= IE;
        return NaN;
      }
      if (a === 0 || b === 0 || !isFinite(a) || !isFinite(b)) return p;
      if (single) {
        const v = finish32(p, 0);
        return v === v ? v : slow(MUL, a, b, true);
      }
      const ap = Math.abs(p);
      if (ap > 1e-290 && ap < 1e290 && Math.abs(a) < 1e290 && Math.abs(b) < 1e290) {
        twoProd(a, b);
        const v = finish64(p, sgn(prodErr));
        if (v === v) return v;
      }
      return slow(MUL, a, b, false);
    }
    case DIV: {
      const q = a / b;
      if (q !== q) {
        ctx.ef |= IE;
        return NaN;
      }
      if (b === 0) {
        if (isFinite(a)) ctx.ef |= ZE;
        return q;
      }
      if (a === 0 || !isFinite(a) || !isFinite(b)) return q;
      const aa = Math.abs(a), ab = Math.abs(b), aq = Math.abs(q);
      if (aa > 1e-280 && aa < 1e280 && ab > 1e-280 && ab < 1e280 && aq > 1e-280 && aq < 1e280) {
        const p = twoProd(q, b);
        const res = (a - p) - prodErr; // a - q*b, exact
        const es = sgn(res) * sgn(b);
        const v = single ? finish32(q, es) : finish64(q, es);
        if (v === v) return v;
      }
      return slow(DIV, a, b, single);
    }
    default: { // SQRT of b
      if (b === 0 || b === Infinity) return b;
      if (b < 0) {
        ctx.ef |= IE;
        return NaN;
      }
      const s = Math.sqrt(b);
      if (b > 1e-280 && b < 1e280) {
        const p = twoProd(s, s);
        const res = (b - p) - prodErr;
        const v = single ? finish32(s, sgn(res)) : finish64(s, sgn(res));
        if (v === v) return v;
      }
      return slow(SQRT, 0, b, single);
    }
  }
}

/** Rounds a finite double to binary32 under ctx (cvtsd2ss, cvtpd2ps, cvtsi2ss). */
export function toF32(v: number): number {
  if (v === 0 || !isFinite(v)) return v;
  const r = finish32(v, 0);
  if (r === r) return r;
  const m = decompose(v);
  return roundPack(dSign, m, dExp, false, true);
}

/** Rounds a finite double to an integer under the rounding mode (RZ for truncating forms). */
export function roundInt(v: number, rc: number): number {
  if (rc === RZ) return Math.trunc(v);
  if (rc === RD) return Math.floor(v);
  if (rc === RU) return Math.ceil(v);
  const f = Math.floor(v), d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
