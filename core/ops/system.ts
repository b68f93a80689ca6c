/** @module System-ish user instructions: CPUID, RDTSC, NOPs and fences, segment register loads, UD. */
import type { Cpu } from "../cpu.ts";
import { cpuid as cpuidModel } from "../cpuid.ts";
import type { Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";
import {
  ea,
  EAX,
  EBX,
  ECX,
  EDX,
  getReg,
  gp,
  PENDING,
  readMem,
  setReg,
  ud,
  writeMem,
} from "./_operands.ts";

export function nop(): void {}

export function cpuid(cpu: Cpu): void {
  const r = cpu.regs;
  const [a, b, c, d] = cpuidModel(r[EAX], r[ECX]);
  r[EAX] = a;
  r[EBX] = b;
  r[ECX] = c;
  r[EDX] = d;
}

/** The interpreter fills edx:eax, since it knows the instruction count. */
export function rdtsc(cpu: Cpu): void {
  cpu.pending = PENDING.RDTSC;
}

/** mov r/m, sreg: to a register with a 32-bit operand the selector is zero-extended. */
export function movES(cpu: Cpu, mem: Memory, i: Insn): void {
  if (i.reg > 5) ud(cpu, mem, i);
  const v = cpu.seg[i.reg];
  if (i.isMem) writeMem(mem, 2, ea(cpu, i), v);
  else setReg(cpu, i.size, i.rm, v);
}

/** mov sreg, r/m16 */
export function movSE(cpu: Cpu, mem: Memory, i: Insn): void {
  if (i.reg > 5 || i.reg === 1) ud(cpu, mem, i);
  const v = i.isMem ? readMem(mem, 2, ea(cpu, i)) : getReg(cpu, 2, i.rm);
  if (!cpu.loadSegment(i.reg, v)) gp();
}

/** lds/les/lss/lfs/lgs: i.sub is the segment register */
export function loadFar(cpu: Cpu, mem: Memory, i: Insn): void {
  const a = ea(cpu, i);
  const off = readMem(mem, i.size, a);
  const sel = mem.read16(a + i.size);
  if (!cpu.loadSegment(i.sub, sel)) gp();
  setReg(cpu, i.size, i.reg, off);
}
