/** @module Unit tests for the MMX/SSE state and the faults the vectors cannot capture natively. */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { VEC } from "./cpu.ts";
import { disassemble } from "./disasm.ts";
import { run } from "./interpreter.ts";
import { CODE, DATA, machine } from "./_test_helpers.ts";

const d32 = [DATA & 0xff, (DATA >> 8) & 0xff, (DATA >> 16) & 0xff, DATA >>> 24];

Deno.test("movaps from a misaligned address raises #GP as SIGSEGV SI_KERNEL", () => {
  const { cpu, mem } = machine([0x0f, 0x28, 0x40, 0x01]); // movaps xmm0, [eax+1]
  cpu.regs[0] = DATA;
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals(cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 });
  assertEquals(cpu.eip, CODE);
});

Deno.test("movups from a misaligned address loads", () => {
  const { cpu, mem } = machine([0x0f, 0x10, 0x40, 0x01]); // movups xmm0, [eax+1]
  for (let k = 0; k < 17; k++) mem.write8(DATA + k, k);
  cpu.regs[0] = DATA;
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals(Array.from(cpu.xmm.subarray(0, 16)), Array.from({ length: 16 }, (_, k) => k + 1));
});

Deno.test("an MMX instruction sets TOP to 0 and all tags valid; emms empties them", () => {
  const { cpu, mem } = machine([0x0f, 0xef, 0xc9, 0x0f, 0x77]); // pxor mm1, mm1; emms
  cpu.fpTop = 5;
  cpu.fpTag = 0xffff;
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals([cpu.fpTop, cpu.fpTag, cpu.fpExp[1]], [0, 0, 0xffff]);
  run(cpu, mem, 1);
  assertEquals(cpu.fpTag, 0xffff);
});

Deno.test("fxsave then fxrstor round-trips the XMM, MXCSR and x87 state", () => {
  // fxsave [eax]; fxrstor [eax]
  const { cpu, mem } = machine([0x0f, 0xae, 0x00, 0x0f, 0xae, 0x08]);
  cpu.regs[0] = DATA;
  for (let k = 0; k < 128; k++) cpu.xmm[k] = k * 7;
  cpu.mxcsr = 0x3f80;
  cpu.fpSig[6] = 0x12345678;
  cpu.fpExp[3] = 0x4000;
  cpu.fpTag = 0xff3f; // R3 valid
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals(mem.read32(DATA + 24), 0x3f80);
  assertEquals(mem.read8(DATA + 4), 0x08);
  const saved = cpu.vu8.slice(0, VEC.SRC);
  cpu.vu8.fill(0);
  cpu.mxcsr = 0x1f80;
  cpu.fpTag = 0xffff;
  run(cpu, mem, 1);
  assertEquals(cpu.vu8.slice(0, VEC.SRC), saved);
  assertEquals([cpu.mxcsr, cpu.fpExp[3], cpu.fpTag & 0xc0], [0x3f80, 0x4000, 0x80]);
});

Deno.test("ldmxcsr with reserved bits raises #GP", () => {
  const { cpu, mem } = machine([0x0f, 0xae, 0x15, ...d32]); // ldmxcsr [DATA]
  mem.write32(DATA, 0x10000);
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals(cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 });
});

Deno.test("an unmasked divide-by-zero raises SIGFPE and leaves the destination", () => {
  const { cpu, mem } = machine([0xf3, 0x0f, 0x5e, 0xc1]); // divss xmm0, xmm1
  cpu.mxcsr = 0x1f80 & ~0x200; // unmask ZE
  cpu.vf32[0] = 1;
  cpu.vf32[4] = 0;
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals(cpu.stop, { kind: "fault", signal: 8, code: 3, addr: CODE });
  assertEquals([cpu.vf32[0], cpu.mxcsr & 0x3f], [1, 4]);
});

Deno.test("addsd rounds toward +inf under MXCSR.RC = up", () => {
  const { cpu, mem } = machine([0xf2, 0x0f, 0x58, 0xc1]); // addsd xmm0, xmm1
  cpu.mxcsr = 0x1f80 | (2 << 13);
  cpu.vf64[0] = 1;
  cpu.vf64[2] = 2 ** -60;
  cpu.eip = CODE;
  run(cpu, mem, 1);
  assertEquals([cpu.vf64[0], cpu.mxcsr & 0x3f], [1 + 2 ** -52, 0x20]);
});

Deno.test("disassemble() names SSE forms by mandatory prefix", () => {
  const { mem } = machine([0x66, 0x0f, 0xef, 0xc1, 0xf3, 0x0f, 0x6f, 0x00, 0x0f, 0x77]);
  assertEquals(disassemble(mem, CODE).text, "pxor xmm0, xmm1");
  assertEquals(disassemble(mem, CODE + 4).text, "movdqu xmm0, xmmword ptr [eax]");
  assertEquals(disassemble(mem, CODE + 8).text, "emms");
});
