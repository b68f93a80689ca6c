/**
 * @module THE ONLY randomness: a seeded xoshiro128** PRNG with named streams, so that one
 * consumer (say getrandom) drawing more never changes what another (say AT_RANDOM) sees.
 */

/** The named streams the kernel uses. Add new names rather than sharing one. */
export type StreamName = "auxv" | "getrandom" | "urandom" | "sched";

/** One xoshiro128** generator. */
export class Rng {
  #s = new Uint32Array(4);

  /** Seeds the four words with splitmix32 from `seed` (any 32-bit value). */
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** The next unsigned 32-bit value. */
  next32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A value in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling: no modulo bias). */
  below(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const v = this.next32();
      if (v < limit) return v % n;
    }
  }

  /** Fills `out` with random bytes, little-endian words. */
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i += 4) {
      const v = this.next32();
      for (let j = 0; j < 4 && i + j < out.length; j++) out[i + j] = v >>> (8 * j);
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a of the stream name: separates streams derived from one seed. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The kernel's randomness: one independent Rng per stream name, all derived from the seed. */
export class Random {
  readonly seed: number;
  #streams = new Map<string, Rng>();

  constructor(seed: number) {
    this.seed = seed >>> 0;
  }

  stream(name: StreamName): Rng {
    let r = this.#streams.get(name);
    if (r === undefined) {
      // mix seed and name through one splitmix round each so similar seeds diverge
      r = new Rng(Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) ^ nameHash(name));
      this.#streams.set(name, r);
    }
    return r;
  }

  /** Fills `out` from the named stream. */
  fill(name: StreamName, out: Uint8Array): void {
    this.stream(name).fill(out);
  }
}
