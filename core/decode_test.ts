import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { disassemble } from "./disasm.ts";
import { Memory, Prot } from "./memory.ts";

/** [bytes, Intel-syntax text] as our disassembler prints them (checked against objdump -M intel). */
const CASES: [number[], string][] = [
  [[0x66, 0xb8, 0x34, 0x12], "mov ax, 0x1234"],
  [[0x8b, 0x43, 0x10], "mov eax, dword ptr [ebx+0x10]"],
  [[0x65, 0xa1, 0x14, 0x00, 0x00, 0x00], "mov eax, dword ptr gs:0x14"],
  [[0x83, 0xc4, 0xf0], "add esp, 0xfffffff0"],
  [[0x8d, 0x4c, 0x24, 0x04], "lea ecx, [esp+0x4]"],
  [[0x8d, 0x44, 0x8b, 0xf8], "lea eax, [ebx+ecx*4-0x8]"],
  [[0xff, 0x75, 0xfc], "push dword ptr [ebp-0x4]"],
  [[0x6a, 0xff], "push 0xffffffff"],
  [[0x68, 0x78, 0x56, 0x34, 0x12], "push 0x12345678"],
  [[0xe8, 0xfb, 0xff, 0xff, 0xff], "call 0x1000"],
  [[0xeb, 0xfe], "jmp 0x1000"],
  [[0x0f, 0x85, 0xfa, 0x0f, 0x00, 0x00], "jne 0x2000"],
  [[0xf3, 0xab], "rep stosd"],
  [[0xf2, 0xae], "repne scasb"],
  [[0xf0, 0x0f, 0xb1, 0x0a], "lock cmpxchg dword ptr [edx], ecx"],
  [[0x0f, 0xc7, 0x0e], "cmpxchg8b qword ptr [esi]"],
  [[0x93], "xchg ebx, eax"],
  [[0x0f, 0xb6, 0x06], "movzx eax, byte ptr [esi]"],
  [[0x0f, 0xbf, 0x4f, 0x02], "movsx ecx, word ptr [edi+0x2]"],
  [[0x0f, 0xa4, 0xd0, 0x05], "shld eax, edx, 0x5"],
  [[0x0f, 0xad, 0x0b], "shrd dword ptr [ebx], ecx, cl"],
  [[0x0f, 0x94, 0xc0], "sete al"],
  [[0x0f, 0x45, 0x10], "cmovne edx, dword ptr [eax]"],
  [[0x0f, 0xbc, 0xc1], "bsf eax, ecx"],
  [[0x0f, 0xba, 0x20, 0x03], "bt dword ptr [eax], 0x3"],
  [[0x0f, 0xab, 0x10], "bts dword ptr [eax], edx"],
  [[0x6b, 0xc3, 0x64], "imul eax, ebx, 0x64"],
  [[0x6b, 0x0b, 0xfd], "imul ecx, dword ptr [ebx], 0xfffffffd"],
  [[0xf7, 0x74, 0x24, 0x08], "div dword ptr [esp+0x8]"],
  [[0xcd, 0x80], "int 0x80"],
  [[0xcc], "int3"],
  [[0xc2, 0x08, 0x00], "ret 0x8"],
  [[0xc3], "ret"],
  [[0xc9], "leave"],
  [[0xc8, 0x10, 0x00, 0x00], "enter 0x10, 0x0"],
  [[0x0f, 0xa2], "cpuid"],
  [[0x0f, 0x31], "rdtsc"],
  [[0x0f, 0x0b], "ud2"],
  [[0x0f, 0x1f, 0x04, 0x00], "nop dword ptr [eax+eax]"],
  [[0xf3, 0x90], "pause"],
  [[0x8e, 0xc0], "mov es, ax"],
  [[0x8c, 0x1b], "mov word ptr [ebx], ds"],
  [[0xd0, 0x01], "rol byte ptr [ecx], 1"],
  [[0xd3, 0xfa], "sar edx, cl"],
  [[0xc1, 0xe8, 0x03], "shr eax, 0x3"],
  [[0xf7, 0x10], "not dword ptr [eax]"],
  [[0xa8, 0x80], "test al, 0x80"],
  [[0x85, 0xd8], "test eax, ebx"],
  [[0x66, 0x98], "cbw"],
  [[0x99], "cdq"],
  [[0x60], "pushad"],
  [[0x9d], "popfd"],
  [[0xa4], "movsb"],
  [[0xa7], "cmpsd"],
  [[0x66, 0xad], "lodsw"],
  [[0xff, 0x00], "inc dword ptr [eax]"],
  [[0x66, 0x49], "dec cx"],
  [[0xa0, 0x00, 0x90, 0x04, 0x08], "mov al, byte ptr ds:0x8049000"],
  [[0xa3, 0x00, 0x90, 0x04, 0x08], "mov dword ptr ds:0x8049000, eax"],
  [[0xd7], "xlat"],
  [[0x9f], "lahf"],
  [[0xd4, 0x0a], "aam 0xa"],
  [[0x27], "daa"],
  [[0xf4], "hlt"],
  [[0x0f, 0xc9], "bswap ecx"],
  [[0x0f, 0xc1, 0x01], "xadd dword ptr [ecx], eax"],
  [[0x66, 0x67, 0xc7, 0x40, 0x02, 0x05, 0x00], "mov word ptr [bx+si+0x2], 0x5"],
];

/**
 * x87 forms, checked against `objdump -d -M intel` of nasm-assembled bytes. objdump's bare `st`
 * is printed `st(0)`; it prints `(bad)` for the aliases the CPU executes (fcom2, fcomp3, fcomp5,
 * fstp1, fxch4, fxch7, fstp8, fstp9), which we name as the SDM's opcode map does.
 */
const X87_CASES: [number[], string][] = [
  [[0xd8, 0x00], "fadd dword ptr [eax]"],
  [[0xdc, 0x4b, 0x04], "fmul qword ptr [ebx+0x4]"],
  [[0xda, 0x01], "fiadd dword ptr [ecx]"],
  [[0xde, 0x7c, 0x4a, 0xf8], "fidivr word ptr [edx+ecx*2-0x8]"],
  [[0xda, 0x1c, 0x24], "ficomp dword ptr [esp]"],
  [[0xd8, 0xc3], "fadd st(0), st(3)"],
  [[0xdc, 0xc3], "fadd st(3), st(0)"],
  [[0xde, 0xc3], "faddp st(3), st(0)"],
  [[0xd8, 0xe2], "fsub st(0), st(2)"],
  [[0xdc, 0xe2], "fsubr st(2), st(0)"],
  [[0xdc, 0xea], "fsub st(2), st(0)"],
  [[0xde, 0xe9], "fsubp st(1), st(0)"],
  [[0xde, 0xf5], "fdivrp st(5), st(0)"],
  [[0xd8, 0xd3], "fcom st(3)"],
  [[0xd8, 0xdb], "fcomp st(3)"],
  [[0xdc, 0xd3], "fcom2 st(3)"], // objdump: (bad)
  [[0xde, 0xd3], "fcomp5 st(3)"], // objdump: (bad)
  [[0xde, 0xd9], "fcompp"],
  [[0xd9, 0xc1], "fld st(1)"],
  [[0xd9, 0xca], "fxch st(2)"],
  [[0xd9, 0xd0], "fnop"],
  [[0xd9, 0xd9], "fstp1 st(1)"], // objdump: (bad)
  [[0xd9, 0xe0], "fchs"],
  [[0xd9, 0xe5], "fxam"],
  [[0xd9, 0xeb], "fldpi"],
  [[0xd9, 0xee], "fldz"],
  [[0xd9, 0xf0], "f2xm1"],
  [[0xd9, 0xf7], "fincstp"],
  [[0xd9, 0xfb], "fsincos"],
  [[0xd9, 0xff], "fcos"],
  [[0xd9, 0xe2], "(bad)"],
  [[0xd9, 0xef], "(bad)"],
  [[0xda, 0xc1], "fcmovb st(0), st(1)"],
  [[0xdb, 0xd3], "fcmovnbe st(0), st(3)"],
  [[0xda, 0xe9], "fucompp"],
  [[0xda, 0xe8], "(bad)"],
  [[0xdb, 0xe2], "fnclex"],
  [[0xdb, 0xe3], "fninit"],
  [[0xdb, 0xe4], "fnsetpm"], // objdump: fnsetpm(287 only)
  [[0xdb, 0xe9], "fucomi st(0), st(1)"],
  [[0xdf, 0xf2], "fcomip st(0), st(2)"],
  [[0xdd, 0xc3], "ffree st(3)"],
  [[0xdd, 0xd4], "fst st(4)"],
  [[0xdd, 0xd9], "fstp st(1)"],
  [[0xdd, 0xea], "fucomp st(2)"],
  [[0xdf, 0xc3], "ffreep st(3)"],
  [[0xdf, 0xcb], "fxch7 st(3)"], // objdump: (bad)
  [[0xdf, 0xe0], "fnstsw ax"],
  [[0xd9, 0x00], "fld dword ptr [eax]"],
  [[0xd9, 0x28], "fldcw word ptr [eax]"],
  [[0xd9, 0x30], "fnstenv [eax]"],
  [[0xdb, 0x08], "fisttp dword ptr [eax]"],
  [[0xdb, 0x28], "fld tbyte ptr [eax]"],
  [[0xdd, 0x18], "fstp qword ptr [eax]"],
  [[0xdd, 0x20], "frstor [eax]"],
  [[0xdd, 0x30], "fnsave [eax]"],
  [[0xdd, 0x38], "fnstsw word ptr [eax]"],
  [[0xdf, 0x00], "fild word ptr [eax]"],
  [[0xdf, 0x20], "fbld tbyte ptr [eax]"],
  [[0xdf, 0x28], "fild qword ptr [eax]"],
  [[0xdf, 0x38], "fistp qword ptr [eax]"],
  [[0x66, 0xdd, 0x30], "fnsavew [eax]"],
  [[0x66, 0xd9, 0x20], "fldenvw [eax]"],
  [[0x66, 0xd9, 0x00], "fld dword ptr [eax]"], // objdump: data16 fld DWORD PTR [eax]
  [[0x9b], "fwait"],
];

function at(bytes: number[], addr = 0x1000): Memory {
  const mem = new Memory();
  mem.map(addr & ~0xfff, 0x2000, Prot.READ | Prot.EXEC);
  mem.writeBytes(addr, new Uint8Array(bytes));
  return mem;
}

Deno.test("disassemble() prints Intel syntax and the length for each form", () => {
  const mem = new Memory();
  mem.map(0x1000, 0x1000, Prot.READ | Prot.EXEC);
  for (const [bytes, text] of CASES) {
    mem.writeBytes(0x1000, new Uint8Array(16));
    mem.writeBytes(0x1000, new Uint8Array(bytes));
    assertEquals(disassemble(mem, 0x1000), { text, length: bytes.length }, text);
  }
});

Deno.test("disassemble() prints x87 operands and memory sizes as objdump does", () => {
  const mem = at([]);
  for (const [bytes, text] of X87_CASES) {
    mem.writeBytes(0x1000, new Uint8Array(16));
    mem.writeBytes(0x1000, new Uint8Array(bytes));
    const got = disassemble(mem, 0x1000);
    assertEquals(got.text, text, text);
    if (text !== "(bad)") assertEquals(got.length, bytes.length, text);
  }
});

Deno.test("disassemble() gives (bad) for unmapped bytes and undefined opcodes", () => {
  assertEquals(disassemble(new Memory(), 0x5000).text, "(bad)");
  assertEquals(disassemble(at([0xd6]), 0x1000).text, "(bad)"); // salc is not in our model
  assertEquals(disassemble(at([0x0f, 0x0b]), 0x1000).text, "ud2");
});

Deno.test("disassemble() reports (bad) when an instruction runs into an unmapped page", () => {
  const mem = new Memory();
  mem.map(0x1000, 0x1000, Prot.READ | Prot.EXEC);
  mem.writeBytes(0x1ffe, new Uint8Array([0xb8, 0x01])); // mov eax, imm32 cut by the page end
  assertEquals(disassemble(mem, 0x1ffe).text, "(bad)");
});
