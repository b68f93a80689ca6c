/**
 * @module Seeded scheduling: how many instructions a thread runs before the kernel looks again,
 * and which runnable thread goes next. Single-threaded for now; the quantum lengths are already
 * seeded so adding threads does not change the shape of the run loop.
 */
import type { Rng } from "./random.ts";
import type { Task } from "./task.ts";

export const QUANTUM_MIN = 20_000;
export const QUANTUM_SPAN = 40_000;

export class Scheduler {
  #rng: Rng;
  readonly tasks: Task[] = [];

  constructor(rng: Rng) {
    this.#rng = rng;
  }

  add(t: Task): void {
    this.tasks.push(t);
  }

  /** Instructions the next run may retire. */
  quantum(): number {
    return QUANTUM_MIN + this.#rng.below(QUANTUM_SPAN);
  }

  /** The next runnable task after `current` (round robin), or null when none can run. */
  next(current: Task | undefined): Task | null {
    const n = this.tasks.length;
    const start = current ? this.tasks.indexOf(current) + 1 : 0;
    for (let i = 0; i < n; i++) {
      const t = this.tasks[(start + i) % n];
      if (t.state.kind === "runnable") return t;
    }
    return null;
  }
}
