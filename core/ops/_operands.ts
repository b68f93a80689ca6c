/** @module Operand access shared by the op handlers: effective addresses, sized register and memory reads/writes, faults. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const SEG_ES = 0, SEG_SS = 2;

/** Linux signal numbers and si_codes the CPU raises. */
export const SIGILL = 4, SIGTRAP = 5, SIGFPE = 8, SIGSEGV = 11, SIGBUS = 7;
export const ILL_ILLOPN = 2, FPE_INTDIV = 1, FPE_INTOVF = 2, SI_KERNEL = 0x80;

/** A CPU exception in flight, thrown as one preallocated object (like MEMORY_FAULT). */
export class CpuFault {
  signal = 0;
  code = 0;
  addr = 0;
}
export const CPU_FAULT: CpuFault = new CpuFault();

/** Raises a fault: the instruction does not retire and eip stays on it. */
export function raise(signal: number, code: number, addr: number): never {
  CPU_FAULT.signal = signal;
  CPU_FAULT.code = code;
  CPU_FAULT.addr = addr >>> 0;
  throw CPU_FAULT;
}

/** #UD: SIGILL ILL_ILLOPN at the instruction. */
export function ud(_cpu: Cpu, _mem: Memory, i: Insn): never {
  raise(SIGILL, ILL_ILLOPN, i.addr);
}

/** #GP from a privileged or unsupported instruction: SIGSEGV SI_KERNEL, addr 0. */
export function gp(): never {
  raise(SIGSEGV, SI_KERNEL, 0);
}

/** Values that make run() stop after the instruction retires. */
export const PENDING = { NONE: 0, SYSCALL: 1, TRAP: 2, RDTSC: 3, HALT: 4 } as const;

export function ea(cpu: Cpu, i: Insn): number {
  let a = i.disp;
  if (i.base >= 0) a += cpu.regs[i.base];
  if (i.index >= 0) a += cpu.regs[i.index] << i.scale;
  if (i.asize === 2) a &= 0xffff;
  return (a + cpu.segBase[i.seg]) | 0;
}

/** Reads a register of the given size, unsigned. 8-bit: 0..3 = al cl dl bl, 4..7 = ah ch dh bh. */
export function getReg(cpu: Cpu, size: number, r: number): number {
  if (size === 4) return cpu.regs[r] >>> 0;
  if (size === 2) return cpu.regs[r] & 0xffff;
  return r < 4 ? cpu.regs[r] & 0xff : (cpu.regs[r - 4] >> 8) & 0xff;
}

export function setReg(cpu: Cpu, size: number, r: number, v: number): void {
  const regs = cpu.regs;
  if (size === 4) regs[r] = v;
  else if (size === 2) regs[r] = (regs[r] & ~0xffff) | (v & 0xffff);
  else if (r < 4) regs[r] = (regs[r] & ~0xff) | (v & 0xff);
  else regs[r - 4] = (regs[r - 4] & ~0xff00) | ((v & 0xff) << 8);
}

export function readMem(mem: Memory, size: number, a: number): number {
  if (size === 4) return mem.read32(a) >>> 0;
  if (size === 2) return mem.read16(a);
  return mem.read8(a);
}

export function writeMem(mem: Memory, size: number, a: number, v: number): void {
  if (size === 4) mem.write32(a, v);
  else if (size === 2) mem.write16(a, v);
  else mem.write8(a, v);
}

export function readE(cpu: Cpu, mem: Memory, i: Insn): number {
  return i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
}

export function writeE(cpu: Cpu, mem: Memory, i: Insn, v: number): void {
  if (i.isMem) writeMem(mem, i.size, ea(cpu, i), v);
  else setReg(cpu, i.size, i.rm, v);
}

/** Validates that [a, a+len) is writable (a fault leaves everything unchanged). */
export function probeWrite(mem: Memory, a: number, len: number): void {
  mem.probeWrite(a);
  mem.probeWrite(a + len - 1);
}

export function push(cpu: Cpu, mem: Memory, size: number, v: number): void {
  const sp = (cpu.regs[ESP] - size) | 0;
  writeMem(mem, size, sp + cpu.segBase[SEG_SS], v);
  cpu.regs[ESP] = sp;
}

/** Reads the top of stack; the caller adjusts esp after its own side effects succeed. */
export function peek(cpu: Cpu, mem: Memory, size: number, offset: number): number {
  return readMem(mem, size, cpu.regs[ESP] + offset + cpu.segBase[SEG_SS]);
}

/** Signal for PENDING.TRAP (a trap retires the instruction: int3, into). */
export const TRAP = { signal: 0, code: 0 };

export function trap(cpu: Cpu, signal: number, code: number): void {
  TRAP.signal = signal;
  TRAP.code = code;
  cpu.pending = PENDING.TRAP;
}
