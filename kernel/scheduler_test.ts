import assert from "node:assert/strict";
import { Random } from "./random.ts";
import { QUANTUM_MIN, QUANTUM_SPAN, Scheduler } from "./scheduler.ts";

Deno.test("Scheduler quantum lengths are seeded and in range", () => {
  const q = (seed: number) => {
    const s = new Scheduler(new Random(seed).stream("sched"));
    return Array.from({ length: 20 }, () => s.quantum());
  };
  assert.deepEqual(q(1), q(1));
  assert.notDeepEqual(q(1), q(2));
  for (const n of q(3)) assert.ok(n >= QUANTUM_MIN && n < QUANTUM_MIN + QUANTUM_SPAN);
});

Deno.test("Scheduler next() skips tasks that cannot run", () => {
  const s = new Scheduler(new Random(1).stream("sched"));
  assert.equal(s.next(undefined), null);
  // deno-lint-ignore no-explicit-any
  const task = (tid: number, kind: string): any => ({ tid, state: { kind } });
  const a = task(1, "runnable"), b = task(2, "exited"), c = task(3, "runnable");
  [a, b, c].forEach((t) => s.add(t));
  assert.equal(s.next(a), c);
  assert.equal(s.next(c), a);
  a.state = { kind: "exited" };
  assert.equal(s.next(c), c);
});
