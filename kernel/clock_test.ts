import assert from "node:assert/strict";
import { Clock, MONOTONIC_START_NS } from "./clock.ts";

Deno.test("Clock realtime starts at the epoch and follows instructions", () => {
  const c = new Clock(946684800);
  assert.equal(c.realtimeNs(0), 946684800n * 1_000_000_000n);
  assert.equal(c.realtimeNs(1000) - c.realtimeNs(0), 1000n);
  assert.equal(c.monotonicNs(0), MONOTONIC_START_NS);
});

Deno.test("Clock advance jumps wall and monotonic time but not CPU time", () => {
  const c = new Clock(0);
  const before = c.monotonicNs(50);
  c.advance(5_000_000_000n);
  assert.equal(c.monotonicNs(50) - before, 5_000_000_000n);
  assert.equal(c.cpuNs(50), 50n);
  assert.equal(c.tscBase, Number(MONOTONIC_START_NS + 5_000_000_000n));
  c.advance(-5n);
  assert.equal(c.monotonicNs(50) - before, 5_000_000_000n);
});

Deno.test("Clock is monotonic and deterministic across instances", () => {
  const a = new Clock(1), b = new Clock(1);
  let last = -1n;
  for (const ic of [0, 1, 7, 1000, 1e9]) {
    assert.equal(a.monotonicNs(ic), b.monotonicNs(ic));
    assert.ok(a.monotonicNs(ic) > last);
    last = a.monotonicNs(ic);
  }
});
