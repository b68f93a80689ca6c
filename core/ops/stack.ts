/** @module Stack ops: PUSH/POP (reg, imm, r/m, sreg), PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE. */
import { type Cpu, Flag } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";
import {
  ea,
  EBP,
  ESP,
  getReg,
  gp,
  peek,
  probeWrite,
  push,
  readMem,
  SEG_SS,
  setReg,
  writeMem,
} from "./_operands.ts";

export function pushZ(cpu: Cpu, mem: Memory, i: Insn): void {
  push(cpu, mem, i.size, getReg(cpu, i.size, i.reg));
}

export function popZ(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = peek(cpu, mem, i.size, 0);
  cpu.regs[ESP] += i.size;
  setReg(cpu, i.size, i.reg, v);
}

export function pushI(cpu: Cpu, mem: Memory, i: Insn): void {
  push(cpu, mem, i.size, i.imm);
}

export function pushE(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
  push(cpu, mem, i.size, v);
}

/** pop r/m: esp is incremented before the destination address is computed. */
export function popE(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = peek(cpu, mem, i.size, 0);
  if (!i.isMem) {
    cpu.regs[ESP] += i.size;
    setReg(cpu, i.size, i.rm, v);
    return;
  }
  const old = cpu.regs[ESP];
  cpu.regs[ESP] = old + i.size;
  try {
    writeMem(mem, i.size, ea(cpu, i), v);
  } catch (e) {
    cpu.regs[ESP] = old;
    throw e;
  }
}

/** push sreg: with a 32-bit operand, recent Intel CPUs write only the low 16 bits of the slot. */
/** push sreg: a 32-bit push zero-extends the selector (AMD; recent Intel cores write 16 bits) */
export function pushS(cpu: Cpu, mem: Memory, i: Insn): void {
  push(cpu, mem, i.size, cpu.seg[i.sub]);
}

export function popS(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = peek(cpu, mem, i.size, 0) & 0xffff;
  if (!cpu.loadSegment(i.sub, v)) gp();
  cpu.regs[ESP] += i.size;
}

export function pusha(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, r = cpu.regs;
  const sp = r[ESP];
  const base = sp - 8 * size + cpu.segBase[SEG_SS];
  probeWrite(mem, base, 8 * size);
  for (let k = 0; k < 8; k++) writeMem(mem, size, base + (7 - k) * size, getReg(cpu, size, k));
  r[ESP] = sp - 8 * size;
}

export function popa(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const vals = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < 8; k++) vals[k] = peek(cpu, mem, size, (7 - k) * size);
  for (let k = 0; k < 8; k++) if (k !== ESP) setReg(cpu, size, k, vals[k]);
  cpu.regs[ESP] += 8 * size;
}

export function pushf(cpu: Cpu, mem: Memory, i: Insn): void {
  push(cpu, mem, i.size, cpu.getEflags() & 0xfcffff);
}

/** popf at CPL 3: IF and IOPL are silently kept. */
export function popf(cpu: Cpu, mem: Memory, i: Insn): void {
  let v = peek(cpu, mem, i.size, 0);
  if (i.size === 2) v = (cpu.getEflags() & 0xffff0000) | v;
  cpu.regs[ESP] += i.size;
  cpu.setEflags((v & ~Flag.TF) | (cpu.flagsMisc & Flag.TF));
}

export function leave(cpu: Cpu, mem: Memory, i: Insn): void {
  const r = cpu.regs;
  const v = readMem(mem, i.size, r[EBP] + cpu.segBase[SEG_SS]);
  r[ESP] = r[EBP] + i.size;
  setReg(cpu, i.size, EBP, v);
}

export function enter(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, r = cpu.regs, ssb = cpu.segBase[SEG_SS];
  const alloc = i.imm & 0xffff, level = i.imm2 & 31;
  let sp = r[ESP] - size;
  const frame = sp;
  probeWrite(mem, sp - level * size + ssb, (level + 1) * size);
  writeMem(mem, size, sp + ssb, getReg(cpu, size, EBP));
  if (level > 0) {
    let bp = r[EBP];
    for (let k = 1; k < level; k++) {
      bp -= size;
      sp -= size;
      writeMem(mem, size, sp + ssb, readMem(mem, size, bp + ssb));
    }
    sp -= size;
    writeMem(mem, size, sp + ssb, frame);
  }
  setReg(cpu, size, EBP, frame);
  r[ESP] = sp - alloc;
}
