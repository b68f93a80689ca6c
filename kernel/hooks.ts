/** @module The record/replay seam of the kernel: what the recorder sees and what replay supplies. */

/** One syscall as the recorder sees it after the handler returned. */
export interface SyscallEvent {
  tid: number;
  /** global retired-instruction count at the syscall (int 0x80 included) */
  ic: number;
  nr: number;
  name: string;
  args: number[];
  ret: number;
  /** bytes the kernel copied into guest memory, in order */
  mem: [number, Uint8Array][];
  /** bytes the guest wrote to the host's stdout (fd 1) or stderr (fd 2) */
  out?: { fd: 1 | 2; bytes: Uint8Array };
  /** true when the syscall is not implemented (-ENOSYS) */
  enosys?: boolean;
}

/** Record mode: the kernel reports every event here. */
export interface Recorder {
  syscall(ev: SyscallEvent): void;
  /** a signal delivered or killing the task */
  signal(tid: number, sig: number, ic: number): void;
  /** the scheduler switched to thread `tid` */
  switchTo(tid: number, ic: number): void;
}

/** What replay supplies for one syscall. */
export interface RecordedOutcome {
  ret: number;
  mem: [number, Uint8Array][];
  out?: { fd: 1 | 2; bytes: Uint8Array };
}

/** Replay mode: the kernel asks for the recorded outcome instead of touching the world. */
export interface ReplaySource {
  /**
   * Checks the next event against (tid, ic, nr, args) and returns its outcome.
   * Throws a Divergence (replay/divergence.ts) on any mismatch or when the trace has ended.
   */
  syscall(tid: number, ic: number, nr: number, args: number[]): RecordedOutcome;
  /** Reports a re-executed syscall's result so replay can compare it with the recorded ret. */
  checkResult(ret: number): void;
  signal(tid: number, sig: number, ic: number): void;
  switchTo(tid: number, ic: number): void;
}

export type KernelMode =
  | { kind: "run" }
  | { kind: "record"; recorder: Recorder }
  | { kind: "replay"; source: ReplaySource };
