/**
 * @module SHA-256 (FIPS 180-4, written here: kernel/ uses no host crypto) and the final-state hash
 * of a run: every task's registers, then every mapped page.
 */
import type { Cpu } from "../core/cpu.ts";
import { type Memory, PAGE_SIZE } from "../core/memory.ts";

const K = new Uint32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

/** Incremental SHA-256. */
export class Sha256 {
  #h = new Int32Array([
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  ]);
  #w = new Int32Array(64);
  #buf = new Uint8Array(64);
  #fill = 0;
  #total = 0;

  update(data: Uint8Array): this {
    let i = 0;
    const n = data.length;
    this.#total += n;
    if (this.#fill > 0) {
      const take = Math.min(64 - this.#fill, n);
      this.#buf.set(data.subarray(0, take), this.#fill);
      this.#fill += take;
      i = take;
      if (this.#fill < 64) return this;
      this.#block(this.#buf, 0);
      this.#fill = 0;
    }
    for (; i + 64 <= n; i += 64) this.#block(data, i);
    if (i < n) {
      this.#buf.set(data.subarray(i), 0);
      this.#fill = n - i;
    }
    return this;
  }

  /** Appends little-endian 32-bit words. */
  words(...ws: number[]): this {
    const b = new Uint8Array(ws.length * 4);
    const dv = new DataView(b.buffer);
    ws.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
    return this.update(b);
  }

  digest(): Uint8Array {
    const bits = this.#total * 8;
    const pad = new Uint8Array(((this.#fill < 56 ? 56 : 120) - this.#fill) + 8);
    pad[0] = 0x80;
    const dv = new DataView(pad.buffer);
    dv.setUint32(pad.length - 8, Math.floor(bits / 0x100000000));
    dv.setUint32(pad.length - 4, bits >>> 0);
    this.update(pad);
    const out = new Uint8Array(32);
    const odv = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) odv.setInt32(i * 4, this.#h[i]);
    return out;
  }

  hex(): string {
    return Array.from(this.digest(), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  #block(d: Uint8Array, o: number): void {
    const w = this.#w;
    for (let i = 0; i < 16; i++) {
      const j = o + i * 4;
      w[i] = (d[j] << 24) | (d[j + 1] << 16) | (d[j + 2] << 8) | d[j + 3];
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15], y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    const h = this.#h;
    let a = h[0], b = h[1], c = h[2], dd = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      hh = g;
      g = f;
      f = e;
      e = (dd + t1) | 0;
      dd = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += dd;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
}

export function sha256Hex(data: Uint8Array): string {
  return new Sha256().update(data).hex();
}

/**
 * Hash of the machine state: for each task by ascending tid, (tid, eax..edi, eip, eflags,
 * es cs ss ds fs gs selectors, their six bases); then for each mapped page in address order,
 * (address, prot, 0) for an all-zero page or (address, prot, 1, 4096 bytes) otherwise. A page
 * never touched and a touched page of zeros hash alike, so laziness never shows.
 */
export function stateHash(tasks: { tid: number; cpu: Cpu }[], mem: Memory): string {
  const h = new Sha256();
  for (const t of [...tasks].sort((x, y) => x.tid - y.tid)) {
    const c = t.cpu;
    h.words(t.tid, ...c.regs, c.eip, c.getEflags(), ...c.seg, ...c.segBase);
  }
  const zero = new Uint8Array([0]);
  const one = new Uint8Array([1]);
  for (let p = 0; p < 1 << 20; p++) {
    if (!mem.isMapped(p)) continue;
    h.words(p * PAGE_SIZE, mem.protOf(p));
    const pg = mem.pages[p];
    if (pg === undefined || isZero(pg)) h.update(zero);
    else h.update(one).update(pg);
  }
  return h.hex();
}

function isZero(pg: Uint8Array): boolean {
  const w = new Int32Array(pg.buffer, pg.byteOffset, pg.length >> 2);
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) return false;
  return true;
}
