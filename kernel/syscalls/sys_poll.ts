/**
 * @module I/O multiplexing: poll, ppoll(_time64), select (old and _newselect), pselect6(_time64).
 * Readiness comes from the open files (OpenFile.poll); one thread cannot change it while it
 * waits, so a wait with nothing ready sleeps to the deadline (logical time jumps) or to a signal.
 * Replay re-executes these calls for their clock jumps and masks but takes the readiness (the
 * result and the fds/fd_sets written back) from the trace, since replay keeps no open files.
 */
import { Errno } from "../abi/errno.ts";
import { POLL, POLLEX_SET, POLLIN_SET, POLLOUT_SET } from "../abi/poll.ts";
import { UserError } from "../errors.ts";
import type { RecordedOutcome } from "../hooks.ts";
import type { Kernel } from "../kernel.ts";
import { isRestartCode, RESTART, UNBLOCKABLE } from "../signals.ts";
import { row, type SyscallRow } from "../syscall_row.ts";
import type { Task } from "../task.ts";
import { FD_LIMIT } from "../vfs/fd_table.ts";
import { RLIMIT } from "./sys_info.ts";
import { readTimespec } from "./sys_time.ts";

const NS = 1_000_000_000n;
const SIGSET_SIZE = 8;
/** struct pollfd: int fd; short events; short revents */
const POLLFD_SIZE = 8;

/** A timeout: a deadline in logical uptime ns (null: wait forever); `zero` for a 0 timeout. */
interface Timeout {
  deadline: bigint | null;
  zero: boolean;
}

const FOREVER: Timeout = { deadline: null, zero: false };

function timeoutIn(k: Kernel, ns: bigint): Timeout {
  return { deadline: k.clock.uptimeNs(k.ic) + ns, zero: ns === 0n };
}

/** How the remaining time is written back (Linux poll_select_finish's pt_type). */
type TimeFormat = "timeval" | "timespec32" | "timespec64";

/** The recorded outcome in replay (readiness comes from it), else null (readiness from the VFS). */
function replayed(k: Kernel): RecordedOutcome | null {
  if (k.opts.mode.kind !== "replay") return null;
  if (k.replayed === null) throw new RangeError("Replayed poll without a recorded outcome");
  return k.replayed;
}

/** Kernel → guest copy; in replay only checked, the recorded bytes are written by `finish`. */
function put(k: Kernel, addr: number, bytes: Uint8Array): boolean {
  if (k.opts.mode.kind === "replay") return k.mem.check(addr, bytes.length, 2);
  return k.copyOut(addr, bytes);
}

/** Replay: the bytes the recorded call wrote (fds, fd_sets, remaining time) go to the guest. */
function finish(k: Kernel, ret: number): number {
  const rec = k.opts.mode.kind === "replay" ? k.replayed : null;
  for (const [addr, bytes] of rec?.mem ?? []) k.mem.writeBytes(addr, bytes);
  return ret;
}

/**
 * Replay's stand-in for a scan: the recorded count when fds were ready, 0 when the call waited
 * (it timed out or a signal came), the recorded error otherwise.
 */
function recordedScan(rec: RecordedOutcome): number {
  const r = rec.ret;
  if (r >= 0 || r === -Errno.EINTR || isRestartCode(-r)) return Math.max(r, 0);
  return r;
}

/**
 * Scans once; with nothing ready, waits until the deadline or an unblocked signal (Linux
 * do_poll/do_select). Returns the count, 0 on timeout, -RESTART.NOHAND on a signal, or -errno.
 */
function waitReady(k: Kernel, t: Task, scan: () => number, to: Timeout, what: string): number {
  const rec = replayed(k);
  const count = rec !== null ? recordedScan(rec) : scan();
  if (count !== 0) return count;
  const signalled = () => (k.pendingSignals(t) & ~t.sigmask) !== 0n;
  if (signalled()) return -RESTART.NOHAND;
  if (to.deadline !== null && k.clock.uptimeNs(k.ic) >= to.deadline) return 0;
  if (to.deadline === null && ![...t.proc.timers?.values() ?? []].some((x) => x.clock === "real")) {
    throw new UserError(
      `deadlock: thread ${t.tid} waits in ${what} for fds that nothing else can make ready, ` +
        `with no timeout and no timer set (eip 0x${(t.cpu.eip >>> 0).toString(16)})`,
    );
  }
  return k.waitFor(t, signalled, to.deadline ?? undefined) ? -RESTART.NOHAND : 0;
}

/** RLIMIT_NOFILE's soft limit; in replay the limit is whatever let the recorded call pass. */
function nofile(k: Kernel): number {
  const rec = replayed(k);
  if (rec !== null) return rec.ret === -Errno.EINVAL ? -1 : Infinity;
  return Number(k.rlimits[RLIMIT.NOFILE][0]);
}

// ---- poll ----

/** Linux do_sys_poll: revents are written back whatever the outcome. */
function doPoll(k: Kernel, t: Task, ufds: number, nfds: number, to: Timeout, what: string): number {
  if (nfds > nofile(k)) return -Errno.EINVAL;
  const raw = k.copyIn(ufds, nfds * POLLFD_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const scan = () => {
    let count = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = dv.getInt32(i * POLLFD_SIZE, true);
      let revents = 0;
      if (fd >= 0) {
        const f = t.proc.fds.get(fd);
        const events = dv.getUint16(i * POLLFD_SIZE + 4, true);
        revents = f === null ? POLL.NVAL : f.poll() & (events | POLL.ERR | POLL.HUP);
      }
      dv.setUint16(i * POLLFD_SIZE + 6, revents, true);
      if (revents !== 0) count++;
    }
    return count;
  };
  const ret = waitReady(k, t, scan, to, what);
  if ((ret >= 0 || ret === -RESTART.NOHAND) && !put(k, ufds, raw)) return -Errno.EFAULT;
  return ret;
}

/** poll(2) itself: an interrupted call resumes through restart_syscall with the same deadline. */
function pollRestartable(k: Kernel, t: Task, ufds: number, nfds: number, to: Timeout): number {
  const ret = finish(k, doPoll(k, t, ufds, nfds, to, "poll"));
  if (ret !== -RESTART.NOHAND) return ret;
  k.setRestartBlock(t, () => pollRestartable(k, t, ufds, nfds, to));
  return -RESTART.BLOCK;
}

/** Implements Linux syscall poll(2); a negative timeout waits forever. */
export function sysPoll(k: Kernel, t: Task, ufds: number, nfds: number, ms: number): number {
  const to = (ms | 0) < 0 ? FOREVER : timeoutIn(k, BigInt(ms | 0) * 1_000_000n);
  return pollRestartable(k, t, ufds, nfds >>> 0, to);
}

// ---- timeouts and masks ----

/** Reads a timeval as a Timeout (Linux kern_select); -EFAULT / -EINVAL as a number. */
function readTimeval(k: Kernel, addr: number): Timeout | number {
  const raw = k.copyIn(addr, 8);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset);
  const sec = dv.getInt32(0, true), usec = dv.getInt32(4, true);
  // tv_sec + tv_usec / USEC_PER_SEC, (tv_usec % USEC_PER_SEC) * NSEC_PER_USEC, then validated
  const s = BigInt(sec) + BigInt(Math.trunc(usec / 1e6)), ns = BigInt(usec % 1e6) * 1000n;
  if (s < 0n || ns < 0n) return -Errno.EINVAL;
  return timeoutIn(k, s * NS + ns);
}

function readTimeout(k: Kernel, addr: number, format: TimeFormat): Timeout | number {
  if (addr === 0) return FOREVER;
  if (format === "timeval") return readTimeval(k, addr);
  const ns = readTimespec(k, addr, format === "timespec64");
  return typeof ns === "number" ? ns : timeoutIn(k, ns);
}

function encodeTime(ns: bigint, format: TimeFormat): Uint8Array {
  const b = new Uint8Array(format === "timespec64" ? 16 : 8);
  const dv = new DataView(b.buffer);
  const sec = ns / NS, sub = ns % NS;
  if (format === "timespec64") {
    dv.setBigInt64(0, sec, true);
    dv.setBigInt64(8, sub, true);
  } else {
    dv.setInt32(0, Number(sec), true);
    dv.setInt32(4, Number(format === "timeval" ? sub / 1000n : sub), true);
  }
  return b;
}

/**
 * Linux poll_select_finish: puts the old mask back unless a signal's delivery will, and writes
 * the time left to the caller's timeout (not for a zero one). When that write fails the call
 * cannot be restarted, so -RESTART.NOHAND becomes -EINTR.
 */
function finishTimed(
  k: Kernel,
  t: Task,
  to: Timeout,
  addr: number,
  format: TimeFormat,
  ret: number,
): number {
  if (ret !== -RESTART.NOHAND && t.savedMask !== undefined) {
    t.sigmask = t.savedMask;
    t.savedMask = undefined;
  }
  if (addr === 0 || to.zero || to.deadline === null) return finish(k, ret);
  const left = to.deadline - k.clock.uptimeNs(k.ic);
  if (!put(k, addr, encodeTime(left > 0n ? left : 0n, format)) && ret === -RESTART.NOHAND) {
    ret = -Errno.EINTR;
  }
  return finish(k, ret);
}

/**
 * Linux set_user_sigmask: installs the mask at `addr` for the call (the old one is kept in
 * savedMask for the handler's frame). 0 or -errno.
 */
function setUserMask(k: Kernel, t: Task, addr: number, size: number): number {
  if (addr === 0) return 0;
  if (size !== SIGSET_SIZE) return -Errno.EINVAL;
  const raw = k.copyIn(addr, SIGSET_SIZE);
  if (raw === null) return -Errno.EFAULT;
  t.savedMask = t.sigmask;
  t.sigmask = new DataView(raw.buffer, raw.byteOffset).getBigUint64(0, true) & ~UNBLOCKABLE;
  return 0;
}

function ppoll(
  k: Kernel,
  t: Task,
  ufds: number,
  nfds: number,
  tsp: number,
  sigmask: number,
  sigsetsize: number,
  format: TimeFormat,
): number {
  const to = readTimeout(k, tsp, format);
  if (typeof to === "number") return finish(k, to);
  const err = setUserMask(k, t, sigmask, sigsetsize);
  if (err < 0) return finish(k, err);
  return finishTimed(k, t, to, tsp, format, doPoll(k, t, ufds, nfds >>> 0, to, "ppoll"));
}

/** Implements Linux syscall ppoll(2) (32-bit timespec). */
export function sysPpoll(
  k: Kernel,
  t: Task,
  ufds: number,
  nfds: number,
  tsp: number,
  sigmask: number,
  sigsetsize: number,
): number {
  return ppoll(k, t, ufds, nfds, tsp, sigmask, sigsetsize, "timespec32");
}

/** Implements Linux syscall ppoll_time64. */
export function sysPpollTime64(
  k: Kernel,
  t: Task,
  ufds: number,
  nfds: number,
  tsp: number,
  sigmask: number,
  sigsetsize: number,
): number {
  return ppoll(k, t, ufds, nfds, tsp, sigmask, sigsetsize, "timespec64");
}

// ---- select ----

/**
 * Linux core_sys_select over i386 fd_sets (bit fd of 32-bit little-endian words, so byte fd/8).
 * n is capped at the largest fd table (Linux caps it at the table's size, which depends on the
 * parent process; ours is deterministic). Result sets are written back unless the call failed
 * or a signal came.
 */
function doSelect(
  k: Kernel,
  t: Task,
  n: number,
  ptrs: [number, number, number],
  to: Timeout,
  what: string,
): number {
  if ((n | 0) < 0) return -Errno.EINVAL;
  n = Math.min(n | 0, FD_LIMIT);
  const bytes = Math.ceil(n / 32) * 4;
  const sets: (Uint8Array | null)[] = [];
  for (const p of ptrs) {
    const s = p === 0 ? null : k.copyIn(p, bytes);
    if (p !== 0 && s === null) return -Errno.EFAULT;
    sets.push(s);
  }
  const res = sets.map((s) => (s === null ? null : new Uint8Array(bytes)));
  const want = [POLLIN_SET, POLLOUT_SET, POLLEX_SET];
  const scan = () => {
    for (let fd = 0; fd < n; fd++) {
      const bit = 1 << (fd & 7);
      if (sets.some((s) => s !== null && (s[fd >> 3] & bit) !== 0) && !t.proc.fds.get(fd)) {
        return -Errno.EBADF;
      }
    }
    let count = 0;
    for (let fd = 0; fd < n; fd++) {
      const bit = 1 << (fd & 7);
      if (!sets.some((s) => s !== null && (s[fd >> 3] & bit) !== 0)) continue;
      const mask = t.proc.fds.get(fd)!.poll();
      for (let i = 0; i < 3; i++) {
        const s = sets[i];
        if (s === null || (s[fd >> 3] & bit) === 0 || (mask & want[i]) === 0) continue;
        res[i]![fd >> 3] |= bit;
        count++;
      }
    }
    return count;
  };
  const ret = waitReady(k, t, scan, to, what);
  if (ret < 0) return ret;
  for (let i = 0; i < 3; i++) {
    if (res[i] !== null && !put(k, ptrs[i], res[i]!)) return -Errno.EFAULT;
  }
  return ret;
}

function select(
  k: Kernel,
  t: Task,
  n: number,
  ptrs: [number, number, number],
  tvp: number,
  what: string,
): number {
  const to = readTimeout(k, tvp, "timeval");
  if (typeof to === "number") return finish(k, to);
  return finishTimed(k, t, to, tvp, "timeval", doSelect(k, t, n, ptrs, to, what));
}

/** Implements Linux syscall _newselect (select(2) with its five arguments in registers). */
export function sysNewselect(
  k: Kernel,
  t: Task,
  n: number,
  inp: number,
  outp: number,
  exp: number,
  tvp: number,
): number {
  return select(k, t, n, [inp, outp, exp], tvp, "select");
}

/** Implements Linux syscall select (i386 nr 82): the five arguments sit in a struct in memory. */
export function sysOldSelect(k: Kernel, t: Task, args: number): number {
  const raw = k.copyIn(args, 20);
  if (raw === null) return finish(k, -Errno.EFAULT);
  const dv = new DataView(raw.buffer, raw.byteOffset);
  const a = [0, 4, 8, 12, 16].map((off) => dv.getUint32(off, true));
  return select(k, t, a[0], [a[1], a[2], a[3]], a[4], "select");
}

function pselect6(
  k: Kernel,
  t: Task,
  n: number,
  ptrs: [number, number, number],
  tsp: number,
  sig: number,
  format: TimeFormat,
): number {
  // the sixth argument points to { const sigset_t *ss; size_t ss_len; }
  let ss = 0, ssLen = 0;
  if (sig !== 0) {
    const raw = k.copyIn(sig, 8);
    if (raw === null) return finish(k, -Errno.EFAULT);
    const dv = new DataView(raw.buffer, raw.byteOffset);
    ss = dv.getUint32(0, true);
    ssLen = dv.getUint32(4, true);
  }
  const to = readTimeout(k, tsp, format);
  if (typeof to === "number") return finish(k, to);
  const err = setUserMask(k, t, ss, ssLen);
  if (err < 0) return finish(k, err);
  return finishTimed(k, t, to, tsp, format, doSelect(k, t, n, ptrs, to, "pselect6"));
}

/** Implements Linux syscall pselect6(2) (32-bit timespec); the time left is written back. */
export function sysPselect6(
  k: Kernel,
  t: Task,
  n: number,
  inp: number,
  outp: number,
  exp: number,
  tsp: number,
  sig: number,
): number {
  return pselect6(k, t, n, [inp, outp, exp], tsp, sig, "timespec32");
}

/** Implements Linux syscall pselect6_time64. */
export function sysPselect6Time64(
  k: Kernel,
  t: Task,
  n: number,
  inp: number,
  outp: number,
  exp: number,
  tsp: number,
  sig: number,
): number {
  return pselect6(k, t, n, [inp, outp, exp], tsp, sig, "timespec64");
}

const REEXEC = { reexec: true } as const;
const SELECT_ARGS = ["int", "ptr", "ptr", "ptr", "ptr"] as const;

/**
 * The rows. All re-execute in replay: waiting moves the logical clock and ppoll/pselect6 swap
 * the signal mask; the readiness itself is taken from the trace.
 */
export const POLL_ROWS: Record<number, SyscallRow> = {
  82: row("select", sysOldSelect, { args: ["ptr"], ...REEXEC }),
  142: row("_newselect", sysNewselect, { args: [...SELECT_ARGS], ...REEXEC }),
  168: row("poll", sysPoll, { args: ["ptr", "uint", "int"], ...REEXEC }),
  308: row("pselect6", sysPselect6, { args: [...SELECT_ARGS, "ptr"], ...REEXEC }),
  309: row("ppoll", sysPpoll, { args: ["ptr", "uint", "ptr", "ptr", "size"], ...REEXEC }),
  413: row("pselect6_time64", sysPselect6Time64, { args: [...SELECT_ARGS, "ptr"], ...REEXEC }),
  414: row("ppoll_time64", sysPpollTime64, {
    args: ["ptr", "uint", "ptr", "ptr", "size"],
    ...REEXEC,
  }),
};
