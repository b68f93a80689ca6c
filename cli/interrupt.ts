/** @module Ctrl-C and SIGTERM during `record`: stop at the next syscall and leave no temp file. */
import { UserError } from "../kernel/errors.ts";
import type { WatchStart } from "./_signal_worker.ts";

/** How long the main thread has to reach a syscall before the watcher forces the exit. */
const GRACE_MS = 1000;
/** How long to wait for the watcher to install its listeners. */
const START_TIMEOUT_MS = 5000;

const SIGNAL_NAMES: Record<number, string> = { 2: "SIGINT", 15: "SIGTERM" };

/** The run was stopped by a signal; exit code 128+N as a shell would report. */
export class Interrupted extends UserError {
  constructor(readonly signal: number) {
    super(
      `interrupted by ${SIGNAL_NAMES[signal] ?? `signal ${signal}`}; no trace written`,
      128 + signal,
    );
    this.name = "Interrupted";
  }
}

/**
 * Watches for SIGINT/SIGTERM on a worker thread (the emulator loop never yields to the event
 * loop, so a listener on this thread would never run). `check()` throws Interrupted once a
 * signal has arrived; call it often (the recorder calls it at every event).
 */
export class InterruptWatch {
  readonly #flag = new Int32Array(new SharedArrayBuffer(8));
  readonly #worker: Worker;

  /** Starts the watcher and waits until it is listening; `tmp` is removed if it must force. */
  constructor(tmp: string) {
    this.#worker = new Worker(new URL("./_signal_worker.ts", import.meta.url), { type: "module" });
    const start: WatchStart = { flag: this.#flag, tmp, graceMs: GRACE_MS };
    this.#worker.postMessage(start);
    // block until the listeners are installed: from then on a signal never kills us uncleaned
    Atomics.wait(this.#flag, 1, 0, START_TIMEOUT_MS);
  }

  check(): void {
    const sig = Atomics.load(this.#flag, 0);
    if (sig > 0) throw new Interrupted(sig);
  }

  /** Tells the watcher the main thread has finished (cleaned up or completed); stops it. */
  stop(): void {
    Atomics.store(this.#flag, 0, -1);
    this.#worker.terminate();
  }
}
