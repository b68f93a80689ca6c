import assert from "node:assert/strict";
import { Random, Rng } from "./random.ts";

function draw(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => r.next32());
}

Deno.test("Rng is deterministic per seed", () => {
  assert.deepEqual(draw(new Rng(1), 8), draw(new Rng(1), 8));
  assert.notDeepEqual(draw(new Rng(1), 8), draw(new Rng(2), 8));
});

Deno.test("Random streams do not perturb each other", () => {
  const a = new Random(7), b = new Random(7);
  draw(a.stream("getrandom"), 100);
  assert.deepEqual(draw(a.stream("auxv"), 4), draw(b.stream("auxv"), 4));
  assert.notDeepEqual(
    draw(new Random(7).stream("auxv"), 4),
    draw(new Random(7).stream("urandom"), 4),
  );
});

Deno.test("Rng below() stays in range and fill() covers odd lengths", () => {
  const r = new Rng(3);
  for (let i = 0; i < 1000; i++) assert.ok(r.below(7) < 7);
  const out = new Uint8Array(13);
  r.fill(out);
  assert.ok(out.some((x) => x !== 0));
});

Deno.test("Random seeds give different AT_RANDOM bytes", () => {
  const x = new Uint8Array(16), y = new Uint8Array(16);
  new Random(1).fill("auxv", x);
  new Random(2).fill("auxv", y);
  assert.notDeepEqual(x, y);
});
