/**
 * @module Timers on the logical clock: alarm, setitimer, getitimer, and the POSIX timer_* calls.
 * ITIMER_REAL and the realtime/monotonic POSIX timers count logical uptime (sleeps included);
 * ITIMER_VIRTUAL, ITIMER_PROF and CPU-clock timers count instructions. The kernel fires them at
 * exact instruction counts (Kernel.fireTimers), so replay sees the same signals.
 */
import { Errno } from "../abi/errno.ts";
import { ITIMER, NSIG, SI, SIG } from "../abi/signal.ts";
import type { Kernel } from "../kernel.ts";
import type { SigInfo } from "../signals.ts";
import {
  type Process,
  sharedPending,
  type Task,
  threadPending,
  type Timer,
  timersOf,
} from "../task.ts";
import { CLOCK, clockNow, readTimespec, TIMER_ABSTIME } from "./sys_time.ts";

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

// ---- POSIX timers ----

/** sigevent.sigev_notify values the kernel accepts (SIGEV_THREAD is glibc's, seen as SIGNAL). */
export const SIGEV = { SIGNAL: 0, NONE: 1, THREAD: 2, THREAD_ID: 4 } as const;
const SIGEVENT_SIZE = 64;
/** Linux bounds the timers of a process by RLIMIT_SIGPENDING; we bound the count */
const MAX_POSIX_TIMERS = 4096;

/** A timer_create timer; it is armed while timersOf(proc) holds `posix<id>`. */
interface PosixTimer {
  clockId: number;
  clock: Timer["clock"];
  /** 0 for SIGEV_NONE: it expires without a signal */
  signo: number;
  value: number;
  /** SIGEV_THREAD_ID target */
  thread?: number;
  /** si_overrun of the last delivered signal (timer_getoverrun) */
  overrunLast: number;
}

interface PosixTimers {
  /** Linux hands out ids in sequence from 0 */
  next: number;
  timers: Map<number, PosixTimer>;
}

const POSIX = new WeakMap<Process, PosixTimers>();

function posixOf(p: Process): PosixTimers {
  let s = POSIX.get(p);
  if (s === undefined) POSIX.set(p, s = { next: 0, timers: new Map() });
  return s;
}

/** The logical clock behind each clock id timer_create accepts. */
function timerClock(id: number): Timer["clock"] | null {
  if (id === CLOCK.REALTIME || id === CLOCK.MONOTONIC || id === CLOCK.BOOTTIME) return "real";
  if (id === CLOCK.PROCESS_CPUTIME_ID || id === CLOCK.THREAD_CPUTIME_ID) return "cpu";
  return null;
}

/** Implements Linux syscall timer_create(2): SIGEV_SIGNAL, SIGEV_NONE, SIGEV_THREAD_ID. */
export function sysTimerCreate(
  k: Kernel,
  t: Task,
  clockId: number,
  sevp: number,
  idp: number,
): number {
  const clock = timerClock(clockId | 0);
  if (clock === null) return -Errno.EINVAL;
  const state = posixOf(t.proc);
  const id = state.next;
  const timer: PosixTimer = {
    clockId: clockId | 0,
    clock,
    signo: SIG.ALRM,
    value: id,
    overrunLast: 0,
  };
  if (sevp !== 0) {
    const raw = k.copyIn(sevp, SIGEVENT_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    timer.value = dv.getUint32(0, true);
    const signo = dv.getInt32(4, true), notify = dv.getInt32(8, true), tid = dv.getInt32(12, true);
    const validSig = signo > 0 && signo <= NSIG;
    if (notify === SIGEV.NONE) timer.signo = 0;
    else if ((notify === SIGEV.SIGNAL || notify === SIGEV.THREAD) && validSig) timer.signo = signo;
    else if (notify === (SIGEV.SIGNAL | SIGEV.THREAD_ID) && validSig) {
      const target = k.tasks.find((x) => x.tid === tid && x.proc === t.proc);
      if (target === undefined || target.state.kind === "exited") return -Errno.EINVAL;
      timer.signo = signo;
      timer.thread = tid;
    } else return -Errno.EINVAL;
  }
  if (state.timers.size >= MAX_POSIX_TIMERS) return -Errno.EAGAIN;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, id, true);
  if (!k.copyOut(idp, b)) return -Errno.EFAULT;
  state.next = (id + 1) & 0x7fffffff;
  state.timers.set(id, timer);
  return 0;
}

function findTimer(t: Task, id: number): PosixTimer | undefined {
  return POSIX.get(t.proc)?.timers.get(id | 0);
}

/** [value, interval] of a POSIX timer in ns, as Linux common_timer_get reports them. */
function posixCurrent(k: Kernel, t: Task, id: number, timer: PosixTimer): [bigint, bigint] {
  const tm = timersOf(t.proc).get(`posix${id | 0}`);
  if (tm === undefined) return [0n, 0n];
  const left = tm.due - now(k, tm.clock);
  // expired but not yet signalled: 1 ns, except that an expired SIGEV_NONE timer reads 0
  if (left <= 0n) return [timer.signo === 0 ? 0n : 1n, tm.interval];
  return [left, tm.interval];
}

function encodeItimerspec(value: bigint, interval: bigint, wide: boolean): Uint8Array {
  const b = new Uint8Array(wide ? 32 : 16);
  const dv = new DataView(b.buffer);
  [interval, value].forEach((ns, i) => {
    if (wide) {
      dv.setBigInt64(16 * i, ns / NS, true);
      dv.setBigInt64(16 * i + 8, ns % NS, true);
    } else {
      dv.setInt32(8 * i, Number(ns / NS), true);
      dv.setInt32(8 * i + 4, Number(ns % NS), true);
    }
  });
  return b;
}

function settime(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  nv: number,
  ov: number,
  wide: boolean,
): number {
  const timer = findTimer(t, id);
  if (timer === undefined) return -Errno.EINVAL;
  if (nv === 0) return -Errno.EINVAL;
  const interval = readTimespec(k, nv, wide);
  if (typeof interval === "number") return interval;
  const value = readTimespec(k, nv + (wide ? 16 : 8), wide);
  if (typeof value === "number") return value;
  const [oldValue, oldInterval] = posixCurrent(k, t, id, timer);
  const name = `posix${id | 0}`;
  const timers = timersOf(t.proc);
  timers.delete(name);
  timer.overrunLast = 0;
  discardPending(k, t, id);
  if (value !== 0n) {
    // an absolute value is a time on the timer's own clock
    const base = now(k, timer.clock);
    const due = flags & TIMER_ABSTIME
      ? base + (value - (clockNow(k, timer.clockId) ?? 0n))
      : base + value;
    timers.set(name, {
      clock: timer.clock,
      due,
      interval,
      info: {
        signo: timer.signo,
        code: SI.TIMER,
        timerid: id | 0,
        value: timer.value,
        thread: timer.thread,
      },
      overrun: 0,
    });
  }
  if (ov !== 0 && !k.copyOut(ov, encodeItimerspec(oldValue, oldInterval, wide))) {
    return -Errno.EFAULT;
  }
  return 0;
}

/** Implements Linux syscall timer_settime(2) (32-bit itimerspec). */
export function sysTimerSettime(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  nv: number,
  ov: number,
): number {
  return settime(k, t, id, flags, nv, ov, false);
}

/** Implements Linux syscall timer_settime64. */
export function sysTimerSettime64(
  k: Kernel,
  t: Task,
  id: number,
  flags: number,
  nv: number,
  ov: number,
): number {
  return settime(k, t, id, flags, nv, ov, true);
}

function gettime(k: Kernel, t: Task, id: number, cv: number, wide: boolean): number {
  const timer = findTimer(t, id);
  if (timer === undefined) return -Errno.EINVAL;
  const [value, interval] = posixCurrent(k, t, id, timer);
  return k.copyOut(cv, encodeItimerspec(value, interval, wide)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall timer_gettime(2) (32-bit itimerspec). */
export function sysTimerGettime(k: Kernel, t: Task, id: number, cv: number): number {
  return gettime(k, t, id, cv, false);
}

/** Implements Linux syscall timer_gettime64. */
export function sysTimerGettime64(k: Kernel, t: Task, id: number, cv: number): number {
  return gettime(k, t, id, cv, true);
}

/** Implements Linux syscall timer_getoverrun(2): the overrun count of the last signal. */
export function sysTimerGetoverrun(_k: Kernel, t: Task, id: number): number {
  const timer = findTimer(t, id);
  return timer === undefined ? -Errno.EINVAL : Math.min(timer.overrunLast, 0x7fffffff);
}

/** Implements Linux syscall timer_delete(2); a pending signal of the timer will be dropped. */
export function sysTimerDelete(k: Kernel, t: Task, id: number): number {
  const timer = findTimer(t, id);
  if (timer === undefined) return -Errno.EINVAL;
  posixOf(t.proc).timers.delete(id | 0);
  timersOf(t.proc).delete(`posix${id | 0}`);
  discardPending(k, t, id);
  return 0;
}

/** Marks the timer's pending signal, if any, to be dropped on dequeue (see SigInfo.discard). */
function discardPending(k: Kernel, t: Task, id: number): void {
  const queues = [sharedPending(t.proc)];
  for (const x of k.tasks) if (x.proc === t.proc) queues.push(threadPending(x));
  for (const q of queues) {
    for (const x of q.items) if (x.code === SI.TIMER && x.timerid === (id | 0)) x.discard = true;
  }
}

/** Called as a timer signal is dequeued: its overrun becomes timer_getoverrun's answer. */
export function timerSignalDelivered(proc: Process, info: SigInfo): void {
  if (info.code !== SI.TIMER || info.timerid === undefined) return;
  const timer = POSIX.get(proc)?.timers.get(info.timerid);
  if (timer !== undefined) timer.overrunLast = info.overrun ?? 0;
}
