/**
 * @module Time syscalls over the logical clock (kernel/clock.ts): clock_gettime(64),
 * clock_getres(64), gettimeofday, time, times, nanosleep, clock_nanosleep(64). Sleeping jumps
 * logical time forward (to each timer on the way, whose signal may cut the sleep short); no host
 * time is ever read.
 */
import { Errno } from "../abi/errno.ts";
import { CLK_TCK } from "../clock.ts";
import type { Kernel } from "../kernel.ts";
import { RESTART } from "../signals.ts";
import type { Task } from "../task.ts";

export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
  MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  REALTIME_ALARM: 8,
  BOOTTIME_ALARM: 9,
  TAI: 11,
} as const;

export const TIMER_ABSTIME = 1;
const NS = 1_000_000_000n;
/** Resolution of the coarse clocks: one jiffy at HZ=250. */
const COARSE_RES_NS = 4_000_000n;

/** The value of clock `id` in ns at the current instruction, or null for an unknown clock. */
export function clockNow(k: Kernel, id: number): bigint | null {
  const c = k.clock, ic = k.ic;
  switch (id) {
    case CLOCK.REALTIME:
    case CLOCK.REALTIME_ALARM:
    case CLOCK.TAI:
      return c.realtimeNs(ic);
    case CLOCK.REALTIME_COARSE:
      return c.realtimeNs(ic) - c.realtimeNs(ic) % COARSE_RES_NS;
    case CLOCK.MONOTONIC:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.BOOTTIME:
    case CLOCK.BOOTTIME_ALARM:
      return c.monotonicNs(ic);
    case CLOCK.MONOTONIC_COARSE:
      return c.monotonicNs(ic) - c.monotonicNs(ic) % COARSE_RES_NS;
    case CLOCK.PROCESS_CPUTIME_ID:
    case CLOCK.THREAD_CPUTIME_ID:
      return c.cpuNs(ic);
    default:
      return null;
  }
}

function timespec32(ns: bigint): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, Number(ns / NS), true);
  dv.setInt32(4, Number(ns % NS), true);
  return b;
}

function timespec64(ns: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigInt64(0, ns / NS, true);
  dv.setBigInt64(8, ns % NS, true);
  return b;
}

/** Reads a timespec (32- or 64-bit) as ns; EFAULT/EINVAL as a negative number. */
export function readTimespec(k: Kernel, addr: number, wide: boolean): bigint | number {
  const raw = k.copyIn(addr, wide ? 16 : 8);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const sec = wide ? dv.getBigInt64(0, true) : BigInt(dv.getInt32(0, true));
  // the 64-bit ABI ignores the upper half of tv_nsec for 32-bit callers
  const nsec = wide ? BigInt(dv.getInt32(8, true)) : BigInt(dv.getInt32(4, true));
  if (sec < 0n || nsec < 0n || nsec >= NS) return -Errno.EINVAL;
  return sec * NS + nsec;
}

function gettime(k: Kernel, id: number, tp: number, wide: boolean): number {
  const now = clockNow(k, id);
  if (now === null) return -Errno.EINVAL;
  return k.copyOut(tp, wide ? timespec64(now) : timespec32(now)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall clock_gettime(2) (32-bit timespec). */
export function sysClockGettime(k: Kernel, _t: Task, id: number, tp: number): number {
  return gettime(k, id | 0, tp, false);
}

/** Implements Linux syscall clock_gettime64. */
export function sysClockGettime64(k: Kernel, _t: Task, id: number, tp: number): number {
  return gettime(k, id | 0, tp, true);
}

function getres(k: Kernel, id: number, tp: number, wide: boolean): number {
  if (clockNow(k, id) === null) return -Errno.EINVAL;
  if (tp === 0) return 0;
  const coarse = id === CLOCK.REALTIME_COARSE || id === CLOCK.MONOTONIC_COARSE;
  const res = coarse ? COARSE_RES_NS : 1n;
  return k.copyOut(tp, wide ? timespec64(res) : timespec32(res)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall clock_getres(2). */
export function sysClockGetres(k: Kernel, _t: Task, id: number, tp: number): number {
  return getres(k, id | 0, tp, false);
}

/** Implements Linux syscall clock_getres_time64. */
export function sysClockGetres64(k: Kernel, _t: Task, id: number, tp: number): number {
  return getres(k, id | 0, tp, true);
}

/** Implements Linux syscall gettimeofday(2); the timezone is UTC. */
export function sysGettimeofday(k: Kernel, _t: Task, tv: number, tz: number): number {
  if (tv !== 0) {
    const ns = k.clock.realtimeNs(k.ic);
    const b = new Uint8Array(8);
    const dv = new DataView(b.buffer);
    dv.setInt32(0, Number(ns / NS), true);
    dv.setInt32(4, Number((ns % NS) / 1000n), true);
    if (!k.copyOut(tv, b)) return -Errno.EFAULT;
  }
  if (tz !== 0 && !k.copyOut(tz, new Uint8Array(8))) return -Errno.EFAULT;
  return 0;
}

/** Implements Linux syscall time(2). */
export function sysTime(k: Kernel, _t: Task, tloc: number): number {
  const sec = Number(k.clock.realtimeNs(k.ic) / NS);
  if (tloc !== 0) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, sec, true);
    if (!k.copyOut(tloc, b)) return -Errno.EFAULT;
  }
  return sec;
}

/** Implements Linux syscall times(2): user time is instructions, system time zero. */
export function sysTimes(k: Kernel, _t: Task, buf: number): number {
  const tick = NS / BigInt(CLK_TCK);
  if (buf !== 0) {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setInt32(0, Number(k.clock.cpuNs(k.ic) / tick), true);
    if (!k.copyOut(buf, b)) return -Errno.EFAULT;
  }
  return Number((k.clock.monotonicNs(k.ic) / tick) & 0x7fffffffn);
}

/**
 * Sleeps until logical uptime `until` (time jumps to it, firing real timers on the way). False
 * when a signal `t` does not block arrived first.
 */
function sleepUntil(k: Kernel, t: Task, until: bigint): boolean {
  k.waitFor(t, () => (k.pendingSignals(t) & ~t.sigmask) !== 0n, until);
  return k.clock.uptimeNs(k.ic) >= until;
}

/**
 * A relative sleep (Linux hrtimer_nanosleep): on a signal, the time left goes to `rem` and the
 * call ends with RESTART.BLOCK: -EINTR under a handler whatever SA_RESTART says, otherwise
 * restart_syscall sleeps on to the same deadline.
 */
function relativeSleep(k: Kernel, t: Task, until: bigint, rem: number, wide: boolean): number {
  if (sleepUntil(k, t, until)) return 0;
  k.setRestartBlock(t, () => relativeSleep(k, t, until, rem, wide));
  if (rem !== 0) {
    const left = until - k.clock.uptimeNs(k.ic);
    if (left <= 0n) return 0;
    if (!k.copyOut(rem, wide ? timespec64(left) : timespec32(left))) return -Errno.EFAULT;
  }
  return -RESTART.BLOCK;
}

/** Implements Linux syscall nanosleep(2): logical time jumps by the request; signals interrupt. */
export function sysNanosleep(k: Kernel, t: Task, req: number, rem: number): number {
  const ns = readTimespec(k, req, false);
  if (typeof ns === "number") return ns;
  return relativeSleep(k, t, k.clock.uptimeNs(k.ic) + ns, rem, false);
}

function clockNanosleep(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  req: number,
  rem: number,
  wide: boolean,
): number {
  if (id === CLOCK.THREAD_CPUTIME_ID) return -Errno.EINVAL;
  const now = clockNow(k, id);
  if (now === null) return -Errno.EINVAL;
  if (id === CLOCK.REALTIME_COARSE || id === CLOCK.MONOTONIC_COARSE) return -Errno.EINVAL;
  const ns = readTimespec(k, req, wide);
  if (typeof ns === "number") return ns;
  // a CPU-time clock only advances by running, and nothing else runs: sleep the same span
  const uptime = k.clock.uptimeNs(k.ic);
  if ((flags & TIMER_ABSTIME) === 0) return relativeSleep(k, t, uptime + ns, rem, wide);
  // an absolute sleep is simply restarted with the same deadline (Linux -ERESTARTNOHAND)
  if (ns <= now) return 0;
  return sleepUntil(k, t, uptime + (ns - now)) ? 0 : -RESTART.NOHAND;
}

/** Implements Linux syscall clock_nanosleep(2). */
export function sysClockNanosleep(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  req: number,
  rem: number,
): number {
  return clockNanosleep(k, t, id | 0, flags, req, rem, false);
}

/** Implements Linux syscall clock_nanosleep_time64. */
export function sysClockNanosleep64(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  req: number,
  rem: number,
): number {
  return clockNanosleep(k, t, id | 0, flags, req, rem, true);
}
