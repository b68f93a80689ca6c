import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { CODE, DATA, exec, machine, STACK_TOP } from "./_test_helpers.ts";
import { run } from "./interpreter.ts";
import { Prot } from "./memory.ts";

const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, ESI = 6, EDI = 7;

Deno.test("run() stops on int 0x80 with eip after it and the instruction retired", () => {
  const m = exec([
    0xb8,
    0x04,
    0x00,
    0x00,
    0x00, // mov eax, 4
  ]);
  assertEquals(m.cpu.stop, { kind: "syscall" });
  assertEquals(m.n, 2);
  assertEquals(m.cpu.eip, CODE + 7);
  assertEquals(m.cpu.regs[EAX], 4);
});

Deno.test("run() retires exactly budget instructions", () => {
  const { cpu, mem } = machine([0x40, 0xeb, 0xfd]); // l: inc eax; jmp l
  assertEquals(run(cpu, mem, 1001), 1001);
  assertEquals(cpu.stop, { kind: "budget" });
  assertEquals(cpu.regs[EAX], 501);
  assertEquals(run(cpu, mem, 0), 0);
  assertEquals(cpu.stop, { kind: "budget" });
});

Deno.test("run() reports div by zero as SIGFPE at the instruction", () => {
  const m = exec([0x31, 0xc9, 0xf7, 0xf1]); // xor ecx, ecx; div ecx
  assertEquals(m.cpu.stop, { kind: "fault", signal: 8, code: 1, addr: CODE + 2 });
  assertEquals(m.n, 1);
  assertEquals(m.cpu.eip, CODE + 2);
});

Deno.test("run() reports a quotient overflow as SIGFPE FPE_INTDIV", () => {
  const m = exec([0xb2, 0x10, 0xb1, 0x02, 0xf6, 0xf1], ({ cpu }) => { // mov dl,16; mov cl,2; div cl
    cpu.regs[EAX] = 0x1000;
  });
  assertEquals(m.cpu.stop, { kind: "fault", signal: 8, code: 1, addr: CODE + 4 });
});

Deno.test("run() reports an unmapped read as SIGSEGV SEGV_MAPERR with the address", () => {
  const m = exec([0x8b, 0x03], ({ cpu }) => { // mov eax, [ebx]
    cpu.regs[EBX] = 0x12345678;
    cpu.regs[EAX] = 7;
  });
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 1, addr: 0x12345678 });
  assertEquals(m.cpu.regs[EAX], 7);
  assertEquals(m.cpu.eip, CODE);
});

Deno.test("run() reports a write to read-only memory as SEGV_ACCERR and leaves flags alone", () => {
  const m = exec([0x01, 0x03], ({ cpu }) => { // add [ebx], eax
    cpu.regs[EBX] = CODE;
    cpu.regs[EAX] = 1;
    cpu.setEflags(0x202 | 0x41);
  });
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 2, addr: CODE });
  assertEquals(m.cpu.getEflags() & 0x8d5, 0x41);
});

Deno.test("run() reports ud2, undefined opcodes and bad LOCK as SIGILL at eip", () => {
  for (const bytes of [[0x0f, 0x0b], [0xd6], [0xf0, 0x01, 0xc0], [0xf0, 0x8b, 0x03]]) {
    const m = exec(bytes);
    assertEquals(m.cpu.stop, { kind: "fault", signal: 4, code: 2, addr: CODE }, bytes.join(","));
    assertEquals(m.n, 0);
  }
});

Deno.test("run() reports privileged instructions as SIGSEGV SI_KERNEL", () => {
  for (const bytes of [[0xf4], [0xfa], [0xe4, 0x60], [0xcd, 0x81], [0x0f, 0x22, 0xc0]]) {
    const m = exec(bytes);
    assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 }, bytes.join(","));
    assertEquals(m.cpu.eip, CODE);
  }
});

Deno.test("run() retires int3 and reports SIGTRAP after it", () => {
  const m = exec([0xcc]);
  assertEquals(m.cpu.stop, { kind: "fault", signal: 5, code: 0x80, addr: 0 });
  assertEquals(m.n, 1);
  assertEquals(m.cpu.eip, CODE + 1);
});

Deno.test("run() reports an instruction fetch from an unmapped page", () => {
  const m = exec([0xe9, 0xfb, 0xef, 0xff, 0xff]); // jmp 0
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 1, addr: 0 });
  assertEquals(m.n, 1);
  assertEquals(m.cpu.eip, 0);
});

Deno.test("rdtsc reads tscBase + (icBase + retired) * tscPerInsn", () => {
  const m = exec([0x90, 0x90, 0x0f, 0x31], ({ cpu }) => { // nop; nop; rdtsc
    cpu.tscBase = 2 ** 32 * 3 + 5;
    cpu.icBase = 100;
    cpu.tscPerInsn = 10;
  });
  const v = 2 ** 32 * 3 + 5 + (100 + 2) * 10;
  assertEquals(m.cpu.regs[EAX] >>> 0, v % 2 ** 32);
  assertEquals(m.cpu.regs[EDX], 3);
});

Deno.test("gs override adds the segment base", () => {
  const m = exec([0x65, 0xa1, 0x14, 0x00, 0x00, 0x00], ({ cpu, mem }) => { // mov eax, gs:0x14
    cpu.gdt[12] = {
      base: DATA + 0x100,
      limit: 0xfffff,
      limitInPages: true,
      seg32bit: true,
      contents: 0,
      readExecOnly: false,
      segNotPresent: false,
      useable: true,
    };
    assertEquals(cpu.loadSegment(5, 0x63), true);
    mem.write32(DATA + 0x114, 0xcafe);
  });
  assertEquals(m.cpu.regs[EAX], 0xcafe);
});

Deno.test("mov sreg with a bad selector raises SIGSEGV", () => {
  const m = exec([0x8e, 0xe8], ({ cpu }) => { // mov gs, ax
    cpu.regs[EAX] = 0x7b;
  });
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 0x80, addr: 0 });
});

Deno.test("rep stosd and rep movsb copy with DF clear, movsb backwards with DF set", () => {
  const m = exec([
    0xf3,
    0xab, // rep stosd
    0x89,
    0xfe, // mov esi, edi
    0x81,
    0xee,
    0x00,
    0x01,
    0x00,
    0x00, // sub esi, 0x100
    0xb9,
    0x04,
    0x00,
    0x00,
    0x00, // mov ecx, 4
    0xf3,
    0xa4, // rep movsb
    0xfd, // std
    0xa4, // movsb
    0xfc, // cld
  ], ({ cpu }) => {
    cpu.regs[EDI] = DATA;
    cpu.regs[ECX] = 0x40;
    cpu.regs[EAX] = 0x11223344;
  });
  const { cpu, mem } = m;
  assertEquals(mem.read32(DATA + 0xfc) >>> 0, 0x11223344);
  assertEquals(mem.read32(DATA + 0x100), 0x11223344);
  assertEquals(mem.read8(DATA + 0x104), 0x44);
  assertEquals(mem.read8(DATA + 0x105), 0);
  assertEquals(cpu.regs[ECX], 0);
  assertEquals(cpu.regs[EDI], DATA + 0x103);
  assertEquals(cpu.regs[ESI], DATA + 3);
});

Deno.test("repne scasb finds a byte and leaves ecx counting down", () => {
  const m = exec([0xf2, 0xae], ({ cpu, mem }) => { // repne scasb
    mem.writeBytes(DATA, new TextEncoder().encode("hello\0"));
    cpu.regs[EDI] = DATA;
    cpu.regs[ECX] = -1;
    cpu.regs[EAX] = 0;
  });
  assertEquals(m.cpu.regs[ECX], -7);
  assertEquals(m.cpu.regs[EDI], DATA + 6);
});

Deno.test("a fault in the middle of rep movsd keeps the completed iterations", () => {
  const m = exec([0xf3, 0xa5], ({ cpu }) => { // rep movsd
    cpu.regs[ESI] = DATA + 0x2000 - 8;
    cpu.regs[EDI] = DATA;
    cpu.regs[ECX] = 4;
  });
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 1, addr: DATA + 0x2000 });
  assertEquals(m.cpu.regs[ECX], 2);
  assertEquals(m.cpu.eip, CODE);
});

Deno.test("call and ret move eip through the stack", () => {
  const m = exec([
    0xe8,
    0x01,
    0x00,
    0x00,
    0x00, // call +1
    0x90, // nop (skipped)
    0x83,
    0xc4,
    0x04, // add esp, 4
    0x68,
    0x12,
    0x10,
    0x00,
    0x00, // push 0x1012
    0xc3, // ret
    0x90,
    0x90,
    0x90, // 0x100f..
    0x40, // 0x1012: inc eax
  ]);
  assertEquals(m.cpu.regs[EAX], 1);
  assertEquals(m.cpu.regs[ESP], STACK_TOP - 0x100);
  assertEquals(m.n, 6);
});

Deno.test("pushfd toggles ID and AC; popfd keeps IF", () => {
  const m = exec([
    0x9c, // pushfd
    0x81,
    0x34,
    0x24,
    0x00,
    0x00,
    0x24,
    0x00, // xor dword [esp], 0x240000
    0x81,
    0x24,
    0x24,
    0xff,
    0xfd,
    0xff,
    0xff, // and dword [esp], ~0x200
    0x9d, // popfd
    0x9c, // pushfd
    0x58, // pop eax
  ]);
  assertEquals(m.cpu.regs[EAX], 0x240202);
});

Deno.test("cpuid reports GenuineIntel and FPU/CMOV/CX8/TSC", () => {
  const m = exec([0x0f, 0xa2, 0x89, 0xde, 0x31, 0xc0, 0x40, 0x0f, 0xa2], ({ cpu }) => {
    cpu.regs[EAX] = 0;
  });
  assertEquals(m.cpu.regs[ESI], 0x756e6547); // "Genu"
  assertEquals(m.cpu.regs[EDX] & 0x8111, 0x8111);
});

Deno.test("writing over cached code invalidates it", () => {
  const { cpu, mem } = machine([
    0xb8,
    0x01,
    0x00,
    0x00,
    0x00, // 0x1000: mov eax, 1
    0xcd,
    0x80, // int 0x80
  ]);
  run(cpu, mem, 100);
  assertEquals(cpu.regs[EAX], 1);
  mem.protect(CODE, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC);
  mem.write8(CODE + 1, 2);
  cpu.eip = CODE;
  run(cpu, mem, 100);
  assertEquals(cpu.regs[EAX], 2);
});

Deno.test("self-modifying code in the same page takes effect on the next execution", () => {
  const { cpu, mem } = machine([
    0xc6,
    0x05,
    0x0c,
    0x10,
    0x00,
    0x00,
    0x05, // mov byte [0x100c], 5
    0x90,
    0x90,
    0x90,
    0x90, // nops
    0xb8,
    0x01,
    0x00,
    0x00,
    0x00, // 0x100b: mov eax, 1 (imm patched to 5)
    0xcd,
    0x80,
  ]);
  mem.protect(CODE, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC);
  run(cpu, mem, 100);
  assertEquals(cpu.regs[EAX], 5);
});

Deno.test("cmpxchg8b swaps on match and loads on mismatch", () => {
  const code = [0x0f, 0xc7, 0x0e]; // cmpxchg8b [esi]
  const hit = exec(code, ({ cpu, mem }) => {
    mem.write32(DATA, 1);
    mem.write32(DATA + 4, 2);
    cpu.regs[ESI] = DATA;
    cpu.regs[EAX] = 1;
    cpu.regs[EDX] = 2;
    cpu.regs[EBX] = 3;
    cpu.regs[ECX] = 4;
  });
  assertEquals([hit.mem.read32(DATA), hit.mem.read32(DATA + 4), hit.cpu.getEflags() & 0x40], [
    3,
    4,
    0x40,
  ]);
  const miss = exec(code, ({ cpu, mem }) => {
    mem.write32(DATA, 7);
    mem.write32(DATA + 4, 8);
    cpu.regs[ESI] = DATA;
  });
  assertEquals([miss.cpu.regs[EAX], miss.cpu.regs[EDX], miss.cpu.getEflags() & 0x40], [7, 8, 0]);
});

Deno.test("bt with a register offset addresses beyond the operand", () => {
  const m = exec([0x0f, 0xab, 0x03], ({ cpu }) => { // bts [ebx], eax
    cpu.regs[EBX] = DATA + 0x100;
    cpu.regs[EAX] = -1; // bit 31 of the dword before
  });
  assertEquals(m.mem.read32(DATA + 0xfc) >>> 0, 0x80000000);
});

Deno.test("bsf leaves the destination unchanged and sets ZF for a zero source", () => {
  const m = exec([0x0f, 0xbc, 0xc1], ({ cpu }) => { // bsf eax, ecx
    cpu.regs[EAX] = 1234;
  });
  assertEquals(m.cpu.regs[EAX], 1234);
  assertEquals(m.cpu.getEflags() & 0x40, 0x40);
});

Deno.test("idiv truncates toward zero and div by -1 of INT_MIN faults", () => {
  const m = exec([0x99, 0xf7, 0xf9], ({ cpu }) => { // cdq; idiv ecx
    cpu.regs[EAX] = -7;
    cpu.regs[ECX] = 2;
  });
  assertEquals([m.cpu.regs[EAX], m.cpu.regs[EDX]], [-3, -1]);
  const f = exec([0x99, 0xf7, 0xf9], ({ cpu }) => {
    cpu.regs[EAX] = -0x80000000;
    cpu.regs[ECX] = -1;
  });
  assertEquals(f.cpu.stop, { kind: "fault", signal: 8, code: 1, addr: CODE + 1 });
});

Deno.test("enter and leave build and drop a frame", () => {
  const m = exec([0xc8, 0x10, 0x00, 0x00, 0x89, 0xe0, 0xc9], ({ cpu }) => { // enter 16,0; mov eax,esp; leave
    cpu.regs[5] = 0x5555;
  });
  assertEquals(m.cpu.regs[EAX], STACK_TOP - 0x100 - 4 - 16);
  assertEquals(m.cpu.regs[5], 0x5555);
  assertEquals(m.cpu.regs[ESP], STACK_TOP - 0x100);
});

Deno.test("self-modifying code in the running block stops it before the stale instruction", () => {
  // 0x1000: mov byte [0x100a], 0x40 (the nop below becomes inc eax); 0x1007: inc ecx;
  // 0x1008: inc ecx; 0x1009: inc ecx; 0x100a: nop; int 0x80
  const { cpu, mem } = machine([
    0xc6,
    0x05,
    0x0a,
    0x10,
    0x00,
    0x00,
    0x40,
    0x41,
    0x41,
    0x41,
    0x90,
    0xcd,
    0x80,
  ]);
  mem.protect(CODE, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC);
  assertEquals(run(cpu, mem, 100), 6);
  assertEquals(cpu.stop, { kind: "syscall" });
  assertEquals(cpu.regs[EAX], 1);
  assertEquals(cpu.regs[ECX], 3);
});

Deno.test("self-modifying code behind the writer takes effect on the next pass of a loop", () => {
  // l: inc eax (patched to dec eax on the first pass); mov byte [0x1000], 0x48; dec ecx;
  //    jnz l; int 0x80
  const { cpu, mem } = machine([
    0x40,
    0xc6,
    0x05,
    0x00,
    0x10,
    0x00,
    0x00,
    0x48,
    0x49,
    0x75,
    0xf5,
    0xcd,
    0x80,
  ]);
  mem.protect(CODE, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC);
  cpu.regs[ECX] = 3;
  assertEquals(run(cpu, mem, 100), 13);
  assertEquals(cpu.regs[EAX], (1 - 2) | 0);
});

Deno.test("run() retires only the instructions before a fault in the middle of a block", () => {
  // inc eax; inc eax; mov ebx, [0]; inc eax
  const m = exec([0x40, 0x40, 0x8b, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x40]);
  assertEquals(m.cpu.stop, { kind: "fault", signal: 11, code: 1, addr: 0 });
  assertEquals(m.n, 2);
  assertEquals(m.cpu.eip, CODE + 2);
  assertEquals(m.cpu.regs[EAX], 2);
});

Deno.test("run() with any budget stops inside a block at the exact instruction", () => {
  const code = [0x40, 0x41, 0x42, 0x43, 0x40, 0x41]; // inc eax, ecx, edx, ebx, eax, ecx
  for (let budget = 1; budget <= 6; budget++) {
    const m = exec(code, () => {}, budget);
    assertEquals(m.n, budget);
    assertEquals(m.cpu.stop, { kind: "budget" });
    assertEquals(m.cpu.eip, CODE + budget);
    const regs = [0, 1, 2, 3].map((r) => m.cpu.regs[r]);
    assertEquals(regs.reduce((a, b) => a + b, 0), budget);
  }
});

Deno.test("int 0x80 ends a block and the next run resumes after it", () => {
  const { cpu, mem } = machine([0xcd, 0x80, 0x40, 0xcd, 0x80]); // int 0x80; inc eax; int 0x80
  assertEquals(run(cpu, mem, 100), 1);
  assertEquals(cpu.stop, { kind: "syscall" });
  assertEquals(cpu.regs[EAX], 0);
  assertEquals(cpu.eip, CODE + 2);
  assertEquals(run(cpu, mem, 100), 2);
  assertEquals(cpu.regs[EAX], 1);
  assertEquals(cpu.eip, CODE + 5);
});
