/** @module Processes and threads (tasks): the state the kernel keeps per thread and per process. */
import type { Cpu } from "../core/cpu.ts";
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
  /** sigaltstack; undefined = disabled */
  altStack?: { sp: number; size: number; flags: number };
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
  };
}
