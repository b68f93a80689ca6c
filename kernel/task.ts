/** @module Processes and threads (tasks): the state the kernel keeps per thread and per process. */
import type { Cpu } from "../core/cpu.ts";
import type { StackT, TrapState } from "./signal_frame.ts";
import { type SigInfo, SigQueue } from "./signals.ts";
import type { FdTable } from "./vfs/fd_table.ts";

export type TaskState =
  | { kind: "runnable" }
  | { kind: "blocked"; on: string; deadline?: bigint }
  | { kind: "exited"; status: number };

/** How a process ended, as wait(2) would encode it. */
export type ExitStatus = { kind: "exited"; code: number } | { kind: "signaled"; signal: number };

/** One rt_sigaction entry (the i386 kernel struct sigaction). */
export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  mask: bigint;
}

/** Per-process state shared by its threads. */
export interface Process {
  pid: number;
  ppid: number;
  fds: FdTable;
  /** absolute guest path of the working directory */
  cwd: string;
  umask: number;
  /** program break: start (end of bss, page-aligned up) and current value */
  brkStart: number;
  brk: number;
  /** guest path of the executable (/proc/self/exe) */
  exe: string;
  /** rt_sigaction state: index = signal number; undefined = SIG_DFL */
  sigactions: (SigAction | undefined)[];
  exit?: ExitStatus;
  /** process-directed pending signals (kill); created on first use */
  sharedPending?: SigQueue;
  /** interval and POSIX timers by name ("itimer0", "posix3"); created on first use */
  timers?: Map<string, Timer>;
}

/**
 * A timer on the logical clock: "real" counts uptime (sleeps included), "cpu" counts instructions
 * only. When `due` passes, `info` is sent to the process and the timer re-arms by `interval`.
 */
export interface Timer {
  clock: "real" | "cpu";
  /** ns on the timer's clock */
  due: bigint;
  interval: bigint;
  info: SigInfo;
  /** expirations not yet signalled (POSIX timer overruns) */
  overrun: number;
}

export interface Task {
  tid: number;
  proc: Process;
  cpu: Cpu;
  state: TaskState;
  /** blocked-signal mask (bit n-1 = signal n) */
  sigmask: bigint;
  /** set_tid_address */
  clearChildTid: number;
  robustList: number;
  /** sigaltstack; undefined = never set; size 0 = disabled */
  altStack?: StackT;
  /** thread-directed pending signals (tgkill, faults); created on first use */
  pending?: SigQueue;
  /** the mask to restore after a handler when sigsuspend/pause replaced it */
  savedMask?: bigint;
  /** the last CPU exception, reported in sigcontext (none yet: all zero) */
  trap?: TrapState;
  /** nice value, -20..19 (setpriority/nice); undefined = 0 */
  nice?: number;
  /** scheduling policy and static priority (sched_setscheduler); undefined = SCHED_OTHER, 0 */
  sched?: { policy: number; priority: number };
  /** prctl(PR_SET_NAME) name, up to 15 bytes; undefined = the executable's basename */
  comm?: Uint8Array;
  /** prctl(PR_SET_PDEATHSIG) */
  pdeathSig?: number;
}

/**
 * Fixed identities: the guest is process 1000, started by a shell 999 that leads the session;
 * it leads its own process group. No host pid ever shows through.
 */
export const INIT_PID = 1000;
export const INIT_PPID = 999;
export const INIT_SID = 999;

export function newTask(tid: number, proc: Process, cpu: Cpu): Task {
  return {
    tid,
    proc,
    cpu,
    state: { kind: "runnable" },
    sigmask: 0n,
    clearChildTid: 0,
    robustList: 0,
    pending: new SigQueue(),
    trap: { trapno: 0, err: 0, cr2: 0 },
  };
}

/** The thread's own pending queue. */
export function threadPending(t: Task): SigQueue {
  return t.pending ??= new SigQueue();
}

/** The process's shared pending queue. */
export function sharedPending(p: Process): SigQueue {
  return p.sharedPending ??= new SigQueue();
}

/** The process's timers. */
export function timersOf(p: Process): Map<string, Timer> {
  return p.timers ??= new Map();
}
