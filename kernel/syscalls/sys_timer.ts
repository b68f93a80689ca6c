/**
 * @module Interval timers on the logical clock: alarm, setitimer, getitimer. ITIMER_REAL counts
 * logical uptime (sleeps included); ITIMER_VIRTUAL and ITIMER_PROF count instructions. The kernel
 * fires them at exact instruction counts (Kernel.fireTimers), so replay sees the same signals.
 */
import { Errno } from "../abi/errno.ts";
import { ITIMER, SI, SIG } from "../abi/signal.ts";
import type { Kernel } from "../kernel.ts";
import { type Task, type Timer, timersOf } from "../task.ts";

const NS = 1_000_000_000n;
const US = 1000n;
const ITIMERVAL_SIZE = 16;

const ITIMER_SIGNAL: Record<number, { clock: Timer["clock"]; sig: number }> = {
  [ITIMER.REAL]: { clock: "real", sig: SIG.ALRM },
  [ITIMER.VIRTUAL]: { clock: "cpu", sig: SIG.VTALRM },
  [ITIMER.PROF]: { clock: "cpu", sig: SIG.PROF },
};

function now(k: Kernel, clock: Timer["clock"]): bigint {
  return clock === "real" ? k.clock.uptimeNs(k.ic) : k.clock.cpuNs(k.ic);
}

/** The current [value, interval] of an interval timer in ns (value 0 = disarmed). */
function current(k: Kernel, t: Task, which: number): [bigint, bigint] {
  const tm = timersOf(t.proc).get(`itimer${which}`);
  if (tm === undefined) return [0n, 0n];
  let left = tm.due - now(k, tm.clock);
  if (left <= 0n) left = US; // expired but not yet signalled: Linux reports 1 µs
  return [left, tm.interval];
}

function encodeItimerval(value: bigint, interval: bigint): Uint8Array {
  const b = new Uint8Array(ITIMERVAL_SIZE);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, Number(interval / NS), true);
  dv.setInt32(4, Number((interval % NS) / US), true);
  dv.setInt32(8, Number(value / NS), true);
  dv.setInt32(12, Number((value % NS) / US), true);
  return b;
}

/** Arms (value > 0) or disarms interval timer `which`. */
function arm(k: Kernel, t: Task, which: number, value: bigint, interval: bigint): void {
  const { clock, sig } = ITIMER_SIGNAL[which];
  const timers = timersOf(t.proc);
  if (value === 0n) {
    timers.delete(`itimer${which}`);
    return;
  }
  timers.set(`itimer${which}`, {
    clock,
    due: now(k, clock) + value,
    interval,
    info: { signo: sig, code: SI.KERNEL },
    overrun: 0,
  });
}

function timeval(dv: DataView, off: number): bigint | null {
  const sec = dv.getInt32(off, true), usec = dv.getInt32(off + 4, true);
  if (sec < 0 || usec < 0 || usec >= 1_000_000) return null;
  return BigInt(sec) * NS + BigInt(usec) * US;
}

/** Implements Linux syscall setitimer(2); a NULL new value disarms, as Linux allows. */
export function sysSetitimer(k: Kernel, t: Task, which: number, nv: number, ov: number): number {
  if (ITIMER_SIGNAL[which] === undefined) return -Errno.EINVAL;
  let value = 0n, interval = 0n;
  if (nv !== 0) {
    const raw = k.copyIn(nv, ITIMERVAL_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    const i = timeval(dv, 0), v = timeval(dv, 8);
    if (i === null || v === null) return -Errno.EINVAL;
    value = v;
    interval = i;
  }
  const [oldValue, oldInterval] = current(k, t, which);
  arm(k, t, which, value, interval);
  if (ov !== 0 && !k.copyOut(ov, encodeItimerval(oldValue, oldInterval))) return -Errno.EFAULT;
  return 0;
}

/** Implements Linux syscall getitimer(2). */
export function sysGetitimer(k: Kernel, t: Task, which: number, cv: number): number {
  if (ITIMER_SIGNAL[which] === undefined) return -Errno.EINVAL;
  const [value, interval] = current(k, t, which);
  return k.copyOut(cv, encodeItimerval(value, interval)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall alarm(2): returns the seconds left on the previous alarm, rounded. */
export function sysAlarm(k: Kernel, t: Task, seconds: number): number {
  const [old] = current(k, t, ITIMER.REAL);
  arm(k, t, ITIMER.REAL, BigInt(seconds >>> 0) * NS, 0n);
  let sec = Number(old / NS);
  const usec = Number((old % NS) / US);
  if ((sec === 0 && usec !== 0) || usec >= 500_000) sec++;
  return sec;
}
