/**
 * @module THE ONLY time source. Logical time advances by NS_PER_INSN per retired instruction
 * plus the jumps made by sleeps and timed waits; nothing from the host clock reaches the guest.
 */

/** The guest runs at a nominal 1 GHz: one instruction is one nanosecond. */
export const NS_PER_INSN = 1;
/** CLOCK_MONOTONIC / CLOCK_BOOTTIME at instruction 0: the machine booted 100 s ago. */
export const MONOTONIC_START_NS = 100_000_000_000n;
/** The TSC ticks at 1 GHz and reads the monotonic clock in ns. */
export const TSC_PER_INSN = NS_PER_INSN;
/** USER_HZ as reported by AT_CLKTCK and times(2). */
export const CLK_TCK = 100;

export class Clock {
  /** Unix seconds the realtime clock starts at */
  readonly epochNs: bigint;
  /** total time skipped by sleeps (ns) */
  #jumped = 0n;

  constructor(epochSeconds: number) {
    this.epochNs = BigInt(Math.trunc(epochSeconds)) * 1_000_000_000n;
  }

  /** Nanoseconds since boot at instruction count `ic` (sleeps included). */
  uptimeNs(ic: number): bigint {
    return BigInt(ic) * BigInt(NS_PER_INSN) + this.#jumped;
  }

  monotonicNs(ic: number): bigint {
    return MONOTONIC_START_NS + this.uptimeNs(ic);
  }

  realtimeNs(ic: number): bigint {
    return this.epochNs + this.uptimeNs(ic);
  }

  /** CPU time consumed: instructions only, sleeps excluded. */
  cpuNs(ic: number): bigint {
    return BigInt(ic) * BigInt(NS_PER_INSN);
  }

  /** Skips `ns` of logical time (a sleep). Negative or zero does nothing. */
  advance(ns: bigint): void {
    if (ns > 0n) this.#jumped += ns;
  }

  /** TSC value at instruction 0 of the current timeline: RDTSC = tscBase + ic * TSC_PER_INSN. */
  get tscBase(): number {
    return Number(MONOTONIC_START_NS + this.#jumped);
  }
}
