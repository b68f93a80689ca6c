/** @module Micro benchmark: an integer loop run by the interpreter; prints MIPS (deno bench core/). */
import { CODE, DATA, machine } from "./_test_helpers.ts";
import { run } from "./interpreter.ts";

// l: mov ebx, ecx; and ebx, 1023; add eax, [DATA+ebx*4]; add [DATA+ebx*4], ecx;
//    lea edx, [edx+eax*2+1]; xor edx, ebx; shr edx, 1; cmp edx, eax; jae s; inc eax;
// s: dec ecx; jnz l; int 0x80
const d = [DATA & 0xff, (DATA >> 8) & 0xff, (DATA >> 16) & 0xff, DATA >>> 24];
const LOOP = [
  0x89,
  0xcb,
  0x81,
  0xe3,
  0xff,
  0x03,
  0x00,
  0x00,
  0x03,
  0x04,
  0x9d,
  ...d,
  0x01,
  0x0c,
  0x9d,
  ...d,
  0x8d,
  0x54,
  0x42,
  0x01,
  0x31,
  0xda,
  0xd1,
  0xea,
  0x39,
  0xc2,
  0x73,
  0x01,
  0x40,
  0x49,
  0x75,
  0xda,
  0xcd,
  0x80,
];

const INSNS = 10_000_000;

Deno.bench("interpreter integer loop (~10^7 instructions)", () => {
  const { cpu, mem } = machine(LOOP);
  cpu.regs[1] = Math.floor(INSNS / 11);
  cpu.eip = CODE;
  const t0 = performance.now();
  const n = run(cpu, mem, 1e9);
  const dt = performance.now() - t0;
  if (cpu.stop.kind !== "syscall") throw new RangeError("Benchmark loop did not finish");
  console.log(`${n} instructions, ${(n / dt / 1000).toFixed(1)} MIPS`);
});
