/** @module Control flow: Jcc, JMP, CALL, RET, LOOP*, JECXZ, INT, INT3, INTO, BOUND and the privileged stops. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import { getOF, testCC } from "../flags.ts";
import type { Memory } from "../memory.ts";
import {
  ea,
  ECX,
  ESP,
  getReg,
  gp,
  peek,
  PENDING,
  push,
  raise,
  readMem,
  SI_KERNEL,
  SIGSEGV,
  SIGTRAP,
  trap,
} from "./_operands.ts";

function target(i: Insn): number {
  const t = (i.next + i.imm) >>> 0;
  return i.opsize16 ? t & 0xffff : t;
}

export function jcc(cpu: Cpu, _mem: Memory, i: Insn): void {
  if (testCC(cpu, i.op & 0xf)) cpu.eip = target(i);
}

export function jmpJ(cpu: Cpu, _mem: Memory, i: Insn): void {
  cpu.eip = target(i);
}

export function callJ(cpu: Cpu, mem: Memory, i: Insn): void {
  push(cpu, mem, i.size, i.next);
  cpu.eip = target(i);
}

export function jmpE(cpu: Cpu, mem: Memory, i: Insn): void {
  const t = i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
  cpu.eip = t >>> 0;
}

export function callE(cpu: Cpu, mem: Memory, i: Insn): void {
  const t = i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
  push(cpu, mem, i.size, i.next);
  cpu.eip = t >>> 0;
}

/** ret / ret imm16 */
export function ret(cpu: Cpu, mem: Memory, i: Insn): void {
  const t = peek(cpu, mem, i.size, 0);
  cpu.regs[ESP] += i.size + (i.op === 0xc2 ? i.imm & 0xffff : 0);
  cpu.eip = i.size === 2 ? t & 0xffff : t >>> 0;
}

function counter(cpu: Cpu, i: Insn): number {
  if (i.asize === 4) return --cpu.regs[ECX];
  const c = (cpu.regs[ECX] - 1) & 0xffff;
  cpu.regs[ECX] = (cpu.regs[ECX] & ~0xffff) | c;
  return c;
}

/** loopne E0, loope E1, loop E2 */
export function loop(cpu: Cpu, _mem: Memory, i: Insn): void {
  const c = counter(cpu, i);
  const ok = i.op === 0xe2 ? true : i.op === 0xe1 ? testCC(cpu, 4) : testCC(cpu, 5);
  if (c !== 0 && ok) cpu.eip = target(i);
}

export function jecxz(cpu: Cpu, _mem: Memory, i: Insn): void {
  const c = i.asize === 4 ? cpu.regs[ECX] : cpu.regs[ECX] & 0xffff;
  if (c === 0) cpu.eip = target(i);
}

export function int(cpu: Cpu, _mem: Memory, i: Insn): void {
  const n = i.imm & 0xff;
  if (n === 0x80) cpu.pending = PENDING.SYSCALL;
  else if (n === 3) trap(cpu, SIGTRAP, SI_KERNEL);
  else raise(SIGSEGV, SI_KERNEL, 0);
}

export function int3(cpu: Cpu): void {
  trap(cpu, SIGTRAP, SI_KERNEL);
}

/** int1 / icebp */
export function int1(cpu: Cpu): void {
  trap(cpu, SIGTRAP, SI_KERNEL);
}

export function into(cpu: Cpu): void {
  if (getOF(cpu)) trap(cpu, SIGSEGV, SI_KERNEL);
}

/** bound: #BR → SIGSEGV (the instruction does not retire). */
export function bound(cpu: Cpu, mem: Memory, i: Insn): void {
  const a = ea(cpu, i), size = i.size;
  const lo = sx(size, readMem(mem, size, a)), hi = sx(size, readMem(mem, size, a + size));
  const v = sx(size, getReg(cpu, size, i.reg));
  if (v < lo || v > hi) raise(SIGSEGV, SI_KERNEL, 0);
}

function sx(size: number, v: number): number {
  return size === 2 ? (v << 16) >> 16 : v | 0;
}

/** hlt, cli, sti, in, out, ins, outs, iret, far transfers, mov cr/dr, lgdt …: #GP at CPL 3. */
export function privileged(): void {
  gp();
}
