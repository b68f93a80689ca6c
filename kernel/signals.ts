/**
 * @module Signal bookkeeping: default actions (signal(7)), siginfo values, pending queues and the
 * order Linux dequeues them in. The frames are in signal_frame.ts; delivery in kernel.ts.
 */
import { SIG, SIGRTMIN, SYNCHRONOUS_SIGNALS } from "./abi/signal.ts";

export type DefaultAction = "term" | "core" | "ign" | "stop" | "cont";

/**
 * Kernel-internal syscall results (Linux include/linux/errno.h) returned as -code by a syscall a
 * signal interrupted; the return to user mode turns them into -EINTR or a restart of the call.
 */
export const RESTART = {
  /** restart if the handler has SA_RESTART (or there is no handler), else EINTR */
  SYS: 512,
  /** always restart */
  NOINTR: 513,
  /** EINTR if a handler runs, else restart */
  NOHAND: 514,
  /** EINTR if a handler runs, else restart_syscall(2) continues via the task's restart block */
  BLOCK: 516,
} as const;

/** True for the RESTART codes (as a positive number). */
export function isRestartCode(code: number): boolean {
  return code === RESTART.SYS || code === RESTART.NOINTR || code === RESTART.NOHAND ||
    code === RESTART.BLOCK;
}

const ACTIONS: Record<number, DefaultAction> = {
  [SIG.HUP]: "term",
  [SIG.INT]: "term",
  [SIG.QUIT]: "core",
  [SIG.ILL]: "core",
  [SIG.TRAP]: "core",
  [SIG.ABRT]: "core",
  [SIG.BUS]: "core",
  [SIG.FPE]: "core",
  [SIG.KILL]: "term",
  [SIG.USR1]: "term",
  [SIG.SEGV]: "core",
  [SIG.USR2]: "term",
  [SIG.PIPE]: "term",
  [SIG.ALRM]: "term",
  [SIG.TERM]: "term",
  [SIG.STKFLT]: "term",
  [SIG.CHLD]: "ign",
  [SIG.CONT]: "cont",
  [SIG.STOP]: "stop",
  [SIG.TSTP]: "stop",
  [SIG.TTIN]: "stop",
  [SIG.TTOU]: "stop",
  [SIG.URG]: "ign",
  [SIG.XCPU]: "core",
  [SIG.XFSZ]: "core",
  [SIG.VTALRM]: "term",
  [SIG.PROF]: "term",
  [SIG.WINCH]: "ign",
  [SIG.IO]: "term",
  [SIG.PWR]: "term",
  [SIG.SYS]: "core",
};

/** The default action of signal `sig` (1..64); real-time signals terminate. */
export function defaultAction(sig: number): DefaultAction {
  return ACTIONS[sig] ?? "term";
}

/** True when the default action ends the process (term or core). */
export function killsByDefault(sig: number): boolean {
  const a = defaultAction(sig);
  return a === "term" || a === "core";
}

/** Mask bit of signal `sig` in a 64-bit sigset (bit sig-1). */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** SIGKILL and SIGSTOP can be neither caught, blocked nor ignored. */
export const UNBLOCKABLE: bigint = sigbit(SIG.KILL) | sigbit(SIG.STOP);

/** A queued signal's siginfo; `raw` is a caller-supplied siginfo (rt_sigqueueinfo). */
export interface SigInfo {
  signo: number;
  code: number;
  pid?: number;
  addr?: number;
  timerid?: number;
  overrun?: number;
  value?: number;
  raw?: Uint8Array;
  /** raised by a CPU exception (the frame's EFLAGS gets RF) */
  fault?: boolean;
  /** routing, not siginfo: a SIGEV_THREAD_ID timer's target thread */
  thread?: number;
  /**
   * A timer signal whose timer was deleted or re-armed while it was pending: it stays pending
   * (sigpending shows it) but is dropped when dequeued, as Linux 6.x does.
   */
  discard?: boolean;
}

const SYNC_MASK: bigint = SYNCHRONOUS_SIGNALS.reduce((m, s) => m | sigbit(s), 0n);

/**
 * Pending signals of a thread or of a process: standard signals are pending at most once,
 * real-time signals queue (Linux struct sigpending).
 */
export class SigQueue {
  bits = 0n;
  readonly items: SigInfo[] = [];

  /** Queues `info`; false when a standard signal was already pending (the new one is lost). */
  add(info: SigInfo): boolean {
    const bit = sigbit(info.signo);
    if (info.signo < SIGRTMIN && (this.bits & bit) !== 0n) return false;
    this.bits |= bit;
    this.items.push(info);
    return true;
  }

  /** The signal Linux would dequeue among `allowed`: synchronous ones first, then the lowest. */
  next(allowed: bigint): number {
    const ready = this.bits & allowed;
    if (ready === 0n) return 0;
    const sync = ready & SYNC_MASK;
    return lowestSignal(sync !== 0n ? sync : ready);
  }

  /** Removes and returns the first queued instance of `sig`. */
  take(sig: number): SigInfo | undefined {
    const i = this.items.findIndex((x) => x.signo === sig);
    if (i < 0) return undefined;
    const [info] = this.items.splice(i, 1);
    if (!this.items.some((x) => x.signo === sig)) this.bits &= ~sigbit(sig);
    return info;
  }

  /** Drops every instance of the signals in `mask`. */
  flush(mask: bigint): void {
    if ((this.bits & mask) === 0n) return;
    for (let i = this.items.length - 1; i >= 0; i--) {
      if ((sigbit(this.items[i].signo) & mask) !== 0n) this.items.splice(i, 1);
    }
    this.bits &= ~mask;
  }
}

/** The lowest signal number in a non-empty set. */
export function lowestSignal(set: bigint): number {
  for (let s = 1; s <= 64; s++) if ((set & sigbit(s)) !== 0n) return s;
  return 0;
}
