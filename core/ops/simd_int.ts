/** @module MMX/SSE2 integer SIMD kernels: add/sub (wrapping, saturating), multiplies, compares, min/max, averages, logic, packs, unpacks, shuffles, shifts. */
import type { Cpu } from "../cpu.ts";
import { copy, type Kernel, TMP } from "./_vec.ts";

const sat8s = (x: number) => (x > 127 ? 127 : x < -128 ? -128 : x);
const sat8u = (x: number) => (x > 255 ? 255 : x < 0 ? 0 : x);
const sat16s = (x: number) => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);
const sat16u = (x: number) => (x > 65535 ? 65535 : x < 0 ? 0 : x);

// ---- logic (also andps/andpd, andnps, orps, xorps) ----
export const pand: Kernel = (c, d, s, n) => {
  const w = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) w[a + k] &= w[b + k];
};
export const pandn: Kernel = (c, d, s, n) => {
  const w = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) w[a + k] = ~w[a + k] & w[b + k];
};
export const por: Kernel = (c, d, s, n) => {
  const w = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) w[a + k] |= w[b + k];
};
export const pxor: Kernel = (c, d, s, n) => {
  const w = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) w[a + k] ^= w[b + k];
};

// ---- wrapping add/sub ----
export const paddb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] += v[s + k];
};
export const paddw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] += v[b + k];
};
export const paddd: Kernel = (c, d, s, n) => {
  const v = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] += v[b + k];
};
export const paddq: Kernel = (c, d, s, n) => {
  const v = c.vu32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k += 2) {
    const lo = v[a + k] + v[b + k];
    v[a + k] = lo;
    v[a + k + 1] = v[a + k + 1] + v[b + k + 1] + (lo > 0xffffffff ? 1 : 0);
  }
};
export const psubb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] -= v[s + k];
};
export const psubw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] -= v[b + k];
};
export const psubd: Kernel = (c, d, s, n) => {
  const v = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] -= v[b + k];
};
export const psubq: Kernel = (c, d, s, n) => {
  const v = c.vu32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k += 2) {
    const lo = v[a + k] - v[b + k];
    v[a + k] = lo;
    v[a + k + 1] = v[a + k + 1] - v[b + k + 1] - (lo < 0 ? 1 : 0);
  }
};

// ---- saturating add/sub ----
export const paddsb: Kernel = (c, d, s, n) => {
  const v = c.vi8;
  for (let k = 0; k < n; k++) v[d + k] = sat8s(v[d + k] + v[s + k]);
};
export const paddsw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = sat16s(v[a + k] + v[b + k]);
};
export const paddusb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] = sat8u(v[d + k] + v[s + k]);
};
export const paddusw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = sat16u(v[a + k] + v[b + k]);
};
export const psubsb: Kernel = (c, d, s, n) => {
  const v = c.vi8;
  for (let k = 0; k < n; k++) v[d + k] = sat8s(v[d + k] - v[s + k]);
};
export const psubsw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = sat16s(v[a + k] - v[b + k]);
};
export const psubusb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] = sat8u(v[d + k] - v[s + k]);
};
export const psubusw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = sat16u(v[a + k] - v[b + k]);
};

// ---- multiplies ----
export const pmullw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = Math.imul(v[a + k], v[b + k]);
};
export const pmulhw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = (v[a + k] * v[b + k]) >> 16;
};
export const pmulhuw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = Math.floor((v[a + k] * v[b + k]) / 65536);
};
export const pmaddwd: Kernel = (c, d, s, n) => {
  const v = c.vi16, w = c.vi32, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 2; k++) {
    const x = v[a + 2 * k] * v[b + 2 * k] + v[a + 2 * k + 1] * v[b + 2 * k + 1];
    w[(d >> 2) + k] = x | 0;
  }
};
/** unsigned 32×32 → 64 of the even dwords */
export const pmuludq: Kernel = (c, d, s, n) => {
  const v = c.vu32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k += 2) {
    const x = v[a + k], y = v[b + k];
    const xl = x & 0xffff, xh = x >>> 16, yl = y & 0xffff, yh = y >>> 16;
    const ll = xl * yl, mid = xh * yl + xl * yh; // mid < 2^33
    const lo = ll + (mid % 65536) * 65536; // < 2^49
    v[a + k] = lo % 0x100000000;
    v[a + k + 1] = xh * yh + Math.floor(mid / 65536) + Math.floor(lo / 0x100000000);
  }
};

// ---- compares ----
export const pcmpeqb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] = v[d + k] === v[s + k] ? 0xff : 0;
};
export const pcmpeqw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = v[a + k] === v[b + k] ? 0xffff : 0;
};
export const pcmpeqd: Kernel = (c, d, s, n) => {
  const v = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] = v[a + k] === v[b + k] ? -1 : 0;
};
export const pcmpgtb: Kernel = (c, d, s, n) => {
  const v = c.vi8;
  for (let k = 0; k < n; k++) v[d + k] = v[d + k] > v[s + k] ? -1 : 0;
};
export const pcmpgtw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = v[a + k] > v[b + k] ? -1 : 0;
};
export const pcmpgtd: Kernel = (c, d, s, n) => {
  const v = c.vi32, a = d >> 2, b = s >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] = v[a + k] > v[b + k] ? -1 : 0;
};

// ---- min/max/avg/sad ----
export const pminub: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) if (v[s + k] < v[d + k]) v[d + k] = v[s + k];
};
export const pmaxub: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) if (v[s + k] > v[d + k]) v[d + k] = v[s + k];
};
export const pminsw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) if (v[b + k] < v[a + k]) v[a + k] = v[b + k];
};
export const pmaxsw: Kernel = (c, d, s, n) => {
  const v = c.vi16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) if (v[b + k] > v[a + k]) v[a + k] = v[b + k];
};
export const pavgb: Kernel = (c, d, s, n) => {
  const v = c.vu8;
  for (let k = 0; k < n; k++) v[d + k] = (v[d + k] + v[s + k] + 1) >> 1;
};
export const pavgw: Kernel = (c, d, s, n) => {
  const v = c.vu16, a = d >> 1, b = s >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = (v[a + k] + v[b + k] + 1) >> 1;
};
export const psadbw: Kernel = (c, d, s, n) => {
  const v = c.vu8, w = c.vi32;
  for (let q = 0; q < n; q += 8) {
    let sum = 0;
    for (let k = 0; k < 8; k++) sum += Math.abs(v[d + q + k] - v[s + q + k]);
    w[(d + q) >> 2] = sum;
    w[((d + q) >> 2) + 1] = 0;
  }
};

// ---- packs (through TMP: the destination is also a source) ----
export const packsswb: Kernel = (c, d, s, n) => {
  const v = c.vi16, o = c.vi8, h = n >> 1;
  for (let k = 0; k < h; k++) {
    o[TMP + k] = sat8s(v[(d >> 1) + k]);
    o[TMP + h + k] = sat8s(v[(s >> 1) + k]);
  }
  copy(c, d, TMP, n);
};
export const packuswb: Kernel = (c, d, s, n) => {
  const v = c.vi16, o = c.vu8, h = n >> 1;
  for (let k = 0; k < h; k++) {
    o[TMP + k] = sat8u(v[(d >> 1) + k]);
    o[TMP + h + k] = sat8u(v[(s >> 1) + k]);
  }
  copy(c, d, TMP, n);
};
export const packssdw: Kernel = (c, d, s, n) => {
  const v = c.vi32, o = c.vi16, h = n >> 2, t = TMP >> 1;
  for (let k = 0; k < h; k++) {
    o[t + k] = sat16s(v[(d >> 2) + k]);
    o[t + h + k] = sat16s(v[(s >> 2) + k]);
  }
  copy(c, d, TMP, n);
};

// ---- unpacks: interleave the low (or high) halves ----
function unpack(bytes: number, high: boolean): Kernel {
  return (c, d, s, n) => {
    const v = c.vu8, h = n >> 1, base = high ? h : 0;
    for (let e = 0; e < h / bytes; e++) {
      for (let k = 0; k < bytes; k++) {
        v[TMP + 2 * e * bytes + k] = v[d + base + e * bytes + k];
        v[TMP + (2 * e + 1) * bytes + k] = v[s + base + e * bytes + k];
      }
    }
    copy(c, d, TMP, n);
  };
}
export const punpcklbw: Kernel = unpack(1, false);
export const punpcklwd: Kernel = unpack(2, false);
export const punpckldq: Kernel = unpack(4, false);
export const punpcklqdq: Kernel = unpack(8, false);
export const punpckhbw: Kernel = unpack(1, true);
export const punpckhwd: Kernel = unpack(2, true);
export const punpckhdq: Kernel = unpack(4, true);
export const punpckhqdq: Kernel = unpack(8, true);

// ---- shuffles ----
export const pshufw: Kernel = (c, d, s, _n, imm) => {
  const v = c.vu16, t = TMP >> 1, b = s >> 1;
  for (let k = 0; k < 4; k++) v[t + k] = v[b + ((imm >> (2 * k)) & 3)];
  copy(c, d, TMP, 8);
};
export const pshufd: Kernel = (c, d, s, _n, imm) => {
  const v = c.vi32, t = TMP >> 2, b = s >> 2;
  for (let k = 0; k < 4; k++) v[t + k] = v[b + ((imm >> (2 * k)) & 3)];
  copy(c, d, TMP, 16);
};
export const pshuflw: Kernel = (c, d, s, _n, imm) => {
  const v = c.vu16, t = TMP >> 1, b = s >> 1;
  for (let k = 0; k < 4; k++) v[t + k] = v[b + ((imm >> (2 * k)) & 3)];
  c.vi32[(TMP >> 2) + 2] = c.vi32[(s >> 2) + 2];
  c.vi32[(TMP >> 2) + 3] = c.vi32[(s >> 2) + 3];
  copy(c, d, TMP, 16);
};
export const pshufhw: Kernel = (c, d, s, _n, imm) => {
  const v = c.vu16, t = TMP >> 1, b = s >> 1;
  for (let k = 0; k < 4; k++) v[t + 4 + k] = v[b + 4 + ((imm >> (2 * k)) & 3)];
  c.vi32[TMP >> 2] = c.vi32[s >> 2];
  c.vi32[(TMP >> 2) + 1] = c.vi32[(s >> 2) + 1];
  copy(c, d, TMP, 16);
};
export const shufps: Kernel = (c, d, s, _n, imm) => {
  const v = c.vi32, t = TMP >> 2;
  v[t] = v[(d >> 2) + (imm & 3)];
  v[t + 1] = v[(d >> 2) + ((imm >> 2) & 3)];
  v[t + 2] = v[(s >> 2) + ((imm >> 4) & 3)];
  v[t + 3] = v[(s >> 2) + ((imm >> 6) & 3)];
  copy(c, d, TMP, 16);
};
export const shufpd: Kernel = (c, d, s, _n, imm) => {
  const v = c.vi32, t = TMP >> 2, a = (d >> 2) + (imm & 1) * 2, b = (s >> 2) + ((imm >> 1) & 1) * 2;
  v[t] = v[a];
  v[t + 1] = v[a + 1];
  v[t + 2] = v[b];
  v[t + 3] = v[b + 1];
  copy(c, d, TMP, 16);
};
export const unpcklps: Kernel = punpckldq;
export const unpckhps: Kernel = punpckhdq;
export const unpcklpd: Kernel = punpcklqdq;
export const unpckhpd: Kernel = punpckhqdq;

// ---- shifts; `cnt` is the count (already saturated to 0xffff_ffff when above 32 bits) ----
export type ShiftKernel = (c: Cpu, d: number, cnt: number, n: number) => void;

export const psllw: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vu16, a = d >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = cnt > 15 ? 0 : v[a + k] << cnt;
};
export const psrlw: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vu16, a = d >> 1;
  for (let k = 0; k < n >> 1; k++) v[a + k] = cnt > 15 ? 0 : v[a + k] >>> cnt;
};
export const psraw: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi16, a = d >> 1, m = cnt > 15 ? 15 : cnt;
  for (let k = 0; k < n >> 1; k++) v[a + k] = v[a + k] >> m;
};
export const pslld: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi32, a = d >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] = cnt > 31 ? 0 : v[a + k] << cnt;
};
export const psrld: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi32, a = d >> 2;
  for (let k = 0; k < n >> 2; k++) v[a + k] = cnt > 31 ? 0 : v[a + k] >>> cnt;
};
export const psrad: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi32, a = d >> 2, m = cnt > 31 ? 31 : cnt;
  for (let k = 0; k < n >> 2; k++) v[a + k] = v[a + k] >> m;
};
export const psllq: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi32, a = d >> 2;
  for (let k = 0; k < n >> 2; k += 2) {
    const lo = v[a + k], hi = v[a + k + 1];
    if (cnt > 63) v[a + k] = v[a + k + 1] = 0;
    else if (cnt >= 32) {
      v[a + k + 1] = lo << (cnt - 32);
      v[a + k] = 0;
    } else if (cnt > 0) {
      v[a + k + 1] = (hi << cnt) | (lo >>> (32 - cnt));
      v[a + k] = lo << cnt;
    }
  }
};
export const psrlq: ShiftKernel = (c, d, cnt, n) => {
  const v = c.vi32, a = d >> 2;
  for (let k = 0; k < n >> 2; k += 2) {
    const lo = v[a + k], hi = v[a + k + 1];
    if (cnt > 63) v[a + k] = v[a + k + 1] = 0;
    else if (cnt >= 32) {
      v[a + k] = hi >>> (cnt - 32);
      v[a + k + 1] = 0;
    } else if (cnt > 0) {
      v[a + k] = (lo >>> cnt) | (hi << (32 - cnt));
      v[a + k + 1] = hi >>> cnt;
    }
  }
};
/** byte shifts of the whole 128-bit register */
export const pslldq: ShiftKernel = (c, d, cnt) => {
  const v = c.vu8;
  for (let k = 15; k >= 0; k--) v[d + k] = k >= cnt ? v[d + k - cnt] : 0;
};
export const psrldq: ShiftKernel = (c, d, cnt) => {
  const v = c.vu8;
  for (let k = 0; k < 16; k++) v[d + k] = k + cnt < 16 ? v[d + k + cnt] : 0;
};

/** The count of a shift by register/memory: the whole low 64 bits, saturated. */
export function shiftCount(c: Cpu, s: number): number {
  const v = c.vu32;
  return v[(s >> 2) + 1] !== 0 ? 0xffffffff : v[s >> 2];
}
