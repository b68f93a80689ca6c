/** @module Processes and threads (tasks): the state the kernel keeps per thread and per process. */
import type { Cpu } from "../core/cpu.ts";
import type { FdTable } from "./vfs/fd_table.ts";

export type TaskState =
  | { kind: "runnable" }
  | { kind: "blocked"; on: string; deadline?: bigint }
  | { kind: "exited"; status: number };

/** How a process ended, as wait(2) would encode it. */
export type ExitStatus = { kind: "exited"; code: number } | { kind: "signaled"; signal: number };

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
  sigactions: ({ handler: number; flags: number; restorer: number; mask: bigint } | undefined)[];
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
}
