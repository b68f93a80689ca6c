/** @module Benchmarks for f80.ts: `deno bench core/fpu/f80_bench.ts` (1000 ops per iteration). */
import { add, div, F80, fromNumber, mul, sqrt, toF64, toInt } from "./f80.ts";

const CW = 0x037f;
const N = 1000;
const xs: F80[] = [];
for (let i = 0; i < N; i++) xs.push(fromNumber(new F80(), Math.sin(i + 1) * 1e3 + 1e3 + i));
const out = new F80();
const u32 = new Uint32Array(2);

Deno.bench("f80 add x1000", () => {
  for (let i = 1; i < N; i++) add(out, xs[i], xs[i - 1], CW);
});
Deno.bench("f80 mul x1000", () => {
  for (let i = 1; i < N; i++) mul(out, xs[i], xs[i - 1], CW);
});
Deno.bench("f80 div x1000", () => {
  for (let i = 1; i < N; i++) div(out, xs[i], xs[i - 1], CW);
});
Deno.bench("f80 sqrt x1000", () => {
  for (let i = 1; i < N; i++) sqrt(out, xs[i], CW);
});
Deno.bench("f80 toF64 x1000", () => {
  for (let i = 1; i < N; i++) toF64(u32, xs[i], CW);
});
Deno.bench("f80 toInt32 x1000", () => {
  for (let i = 1; i < N; i++) toInt(u32, xs[i], 32, CW);
});
