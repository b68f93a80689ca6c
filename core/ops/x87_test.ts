/** @module Tests for x87.ts beyond the single-instruction CPU vectors: #MF, FNSAVE/FRSTOR, FNSTENV, sequences. */
import assert from "node:assert/strict";
import { DATA, exec } from "../_test_helpers.ts";
import { F80, toNumber } from "../fpu/f80.ts";
import type { Cpu } from "../cpu.ts";

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const D = le32(DATA);
const FLD1 = [0xd9, 0xe8], FLDZ = [0xd9, 0xee], FLDPI = [0xd9, 0xeb];

function st(cpu: Cpu, i: number): number {
  const r = (cpu.fpTop + i) & 7;
  return toNumber(new F80(cpu.fpExp[r], cpu.fpSig[2 * r + 1], cpu.fpSig[2 * r]));
}

Deno.test("x87 unmasked divide by zero raises SIGFPE FPE_FLTDIV at the next waiting instruction", () => {
  const code = [
    ...[0xc7, 0x05, ...D, ...le32(0x037b)], // mov dword [DATA], 0x37b (ZM clear)
    ...[0xd9, 0x2d, ...D], // fldcw [DATA]
    ...FLD1,
    ...FLDZ,
    ...[0xde, 0xf9], // fdivp st1, st0: pending ZE, ES set, st untouched
    ...[0xdf, 0xe0], // fnstsw ax: no fault
    ...FLD1, // waiting: #MF
  ];
  const m = exec(code);
  assert.equal(m.cpu.stop.kind, "fault");
  if (m.cpu.stop.kind !== "fault") return;
  assert.equal(m.cpu.stop.signal, 8);
  assert.equal(m.cpu.stop.code, 3);
  assert.equal(m.cpu.eip, 0x1000 + 10 + 6 + 2 + 2 + 2 + 2);
  assert.equal(m.cpu.regs[0] & 0x80ff, 0x8084); // B, ES, ZE
  assert.equal(st(m.cpu, 0), 0);
  assert.equal(st(m.cpu, 1), 1);
});

Deno.test("x87 fnstenv stores the full tag word and masks all exceptions", () => {
  const m = exec([...FLD1, ...FLDZ, 0xd9, 0x35, ...D]); // fnstenv [DATA]
  assert.equal(m.mem.read16(DATA), 0x037f);
  assert.equal(m.mem.read16(DATA + 4), 6 << 11);
  assert.equal(m.mem.read16(DATA + 8), 0x1fff); // R7 valid, R6 zero, the rest empty
  assert.equal(m.mem.read32(DATA + 12) >>> 0, 0x1002); // last instruction: fldz
  assert.equal(m.cpu.fpCw, 0x037f);
});

Deno.test("x87 fnsave reinitialises and frstor brings the stack back", () => {
  const m = exec([
    ...FLDPI,
    ...FLD1,
    ...[0xdd, 0x35, ...D], // fnsave [DATA]
    ...[0xdf, 0xe0], // fnstsw ax after the implicit fninit
    ...[0xdd, 0x25, ...D], // frstor [DATA]
  ]);
  assert.equal(m.cpu.regs[0] & 0xffff, 0);
  assert.equal(m.mem.read16(DATA + 28 + 8), 0x3fff); // ST(0) = 1.0 in the image
  assert.equal(m.cpu.fpTop, 6);
  assert.equal(st(m.cpu, 0), 1);
  assert.equal(st(m.cpu, 1), Math.PI);
  assert.equal(m.cpu.fpTag, 0x0fff);
});

Deno.test("x87 fsincos pushes the cosine and fcomip sets eflags", () => {
  const m = exec([...FLDPI, 0xd9, 0xfb, 0xdf, 0xf1]); // fldpi; fsincos; fcomip st0, st1
  // st0 was cos(pi) = -1 < sin(pi) ≈ 0: CF set, popped
  assert.equal(m.cpu.getEflags() & 0x45, 0x01);
  assert.equal(m.cpu.fpTop, 7);
  assert.ok(Math.abs(st(m.cpu, 0)) < 1e-18);
});

Deno.test("x87 stack overflow pushes the indefinite and sets C1", () => {
  const m = exec(Array(9).fill(FLD1).flat());
  assert.equal(m.cpu.fpSw & 0x241, 0x241); // IE SF C1
  assert.ok(Number.isNaN(st(m.cpu, 0)));
});
