/** @module Integer ALU ops: add/or/adc/sbb/and/sub/xor/cmp, test, inc/dec, not/neg, mov family, xchg, cmpxchg, xadd, BCD. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import {
  AF,
  CF,
  getAF,
  getCF,
  LazyOp,
  MASK,
  materialize,
  OF,
  PARITY,
  PF,
  setFlags,
  setLazy,
  SF,
  SIGN,
  szp,
  ZF,
} from "../flags.ts";
import type { Memory } from "../memory.ts";
import {
  ea,
  EAX,
  EDX,
  FPE_INTDIV,
  getReg,
  probeWrite,
  raise,
  readMem,
  setReg,
  SIGFPE,
  writeMem,
} from "./_operands.ts";

/** ALU op numbers, as in the opcode's bits 5:3 and the 0x80 group's reg field. */
export const Alu = { ADD: 0, OR: 1, ADC: 2, SBB: 3, AND: 4, SUB: 5, XOR: 6, CMP: 7 } as const;

let cin = 0;

/** Computes `a op b` masked to size (reads CF for ADC/SBB); sets no flags. */
export function aluCalc(cpu: Cpu, op: number, a: number, b: number, size: number): number {
  const m = MASK[size];
  switch (op) {
    case 0:
      return (a + b) & m;
    case 1:
      return (a | b) & m;
    case 2:
      cin = getCF(cpu);
      return (a + b + cin) & m;
    case 3:
      cin = getCF(cpu);
      return (a - b - cin) & m;
    case 4:
      return (a & b) & m;
    case 6:
      return (a ^ b) & m;
    default:
      return (a - b) & m;
  }
}

const LAZY_OF_ALU = [
  LazyOp.ADD,
  LazyOp.LOGIC,
  LazyOp.ADC,
  LazyOp.SBB,
  LazyOp.LOGIC,
  LazyOp.SUB,
  LazyOp.LOGIC,
  LazyOp.SUB,
];

/** Records the flags of `a op b = r` (after aluCalc). */
export function aluFlags(cpu: Cpu, op: number, a: number, b: number, r: number, size: number) {
  cpu.lop = LAZY_OF_ALU[op];
  cpu.lsize = size;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
  cpu.lcf = cin;
}

function u(r: number, size: number): number {
  return size === 4 ? r >>> 0 : r;
}

/** op E, G */
export function aluEG(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, op = i.sub;
  const b = getReg(cpu, size, i.reg);
  if (i.isMem) {
    const a_ = ea(cpu, i);
    const a = readMem(mem, size, a_);
    const r = u(aluCalc(cpu, op, a, b, size), size);
    if (op !== 7) writeMem(mem, size, a_, r);
    aluFlags(cpu, op, a, b, r, size);
  } else {
    const a = getReg(cpu, size, i.rm);
    const r = u(aluCalc(cpu, op, a, b, size), size);
    if (op !== 7) setReg(cpu, size, i.rm, r);
    aluFlags(cpu, op, a, b, r, size);
  }
}

/** op G, E (also op acc, imm via aluGI) */
export function aluGE(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, op = i.sub;
  const b = i.isMem ? readMem(mem, size, ea(cpu, i)) : getReg(cpu, size, i.rm);
  const a = getReg(cpu, size, i.reg);
  const r = u(aluCalc(cpu, op, a, b, size), size);
  if (op !== 7) setReg(cpu, size, i.reg, r);
  aluFlags(cpu, op, a, b, r, size);
}

/** op G, imm (accumulator forms: the decoder sets reg = 0) */
export function aluGI(cpu: Cpu, _mem: Memory, i: Insn): void {
  const size = i.size, op = i.sub;
  const b = u(i.imm & MASK[size], size);
  const a = getReg(cpu, size, i.reg);
  const r = u(aluCalc(cpu, op, a, b, size), size);
  if (op !== 7) setReg(cpu, size, i.reg, r);
  aluFlags(cpu, op, a, b, r, size);
}

/** op E, imm (group 0x80..0x83) */
export function aluEI(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size, op = i.sub;
  const b = u(i.imm & MASK[size], size);
  if (i.isMem) {
    const a_ = ea(cpu, i);
    const a = readMem(mem, size, a_);
    const r = u(aluCalc(cpu, op, a, b, size), size);
    if (op !== 7) writeMem(mem, size, a_, r);
    aluFlags(cpu, op, a, b, r, size);
  } else {
    const a = getReg(cpu, size, i.rm);
    const r = u(aluCalc(cpu, op, a, b, size), size);
    if (op !== 7) setReg(cpu, size, i.rm, r);
    aluFlags(cpu, op, a, b, r, size);
  }
}

export function testEG(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const a = i.isMem ? readMem(mem, size, ea(cpu, i)) : getReg(cpu, size, i.rm);
  const r = (a & getReg(cpu, size, i.reg)) >>> 0;
  setLazy(cpu, LazyOp.LOGIC, size, a, 0, r);
}

export function testEI(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const a = i.isMem ? readMem(mem, size, ea(cpu, i)) : getReg(cpu, size, i.rm);
  const r = (a & i.imm & MASK[size]) >>> 0;
  setLazy(cpu, LazyOp.LOGIC, size, a, 0, r);
}

export function testGI(cpu: Cpu, _mem: Memory, i: Insn): void {
  const size = i.size;
  const r = (getReg(cpu, size, i.reg) & i.imm & MASK[size]) >>> 0;
  setLazy(cpu, LazyOp.LOGIC, size, r, 0, r);
}

function incdec(cpu: Cpu, mem: Memory, i: Insn, r_: number, isMem: boolean, dec: boolean) {
  const size = i.size, m = MASK[size];
  const a_ = isMem ? ea(cpu, i) : 0;
  const a = isMem ? readMem(mem, size, a_) : getReg(cpu, size, r_);
  const r = u((dec ? a - 1 : a + 1) & m, size);
  if (isMem) writeMem(mem, size, a_, r);
  else setReg(cpu, size, r_, r);
  cpu.lcf = getCF(cpu);
  setLazy(cpu, dec ? LazyOp.DEC : LazyOp.INC, size, a, 1, r);
}

export function incE(cpu: Cpu, mem: Memory, i: Insn): void {
  incdec(cpu, mem, i, i.rm, i.isMem, false);
}
export function decE(cpu: Cpu, mem: Memory, i: Insn): void {
  incdec(cpu, mem, i, i.rm, i.isMem, true);
}
export function incZ(cpu: Cpu, mem: Memory, i: Insn): void {
  incdec(cpu, mem, i, i.reg, false, false);
}
export function decZ(cpu: Cpu, mem: Memory, i: Insn): void {
  incdec(cpu, mem, i, i.reg, false, true);
}

export function notE(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  if (i.isMem) {
    const a_ = ea(cpu, i);
    writeMem(mem, size, a_, ~readMem(mem, size, a_));
  } else setReg(cpu, size, i.rm, ~getReg(cpu, size, i.rm));
}

export function negE(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const a_ = i.isMem ? ea(cpu, i) : 0;
  const a = i.isMem ? readMem(mem, size, a_) : getReg(cpu, size, i.rm);
  const r = u(-a & MASK[size], size);
  if (i.isMem) writeMem(mem, size, a_, r);
  else setReg(cpu, size, i.rm, r);
  setLazy(cpu, LazyOp.NEG, size, a, 0, r);
}

// ---- moves ----

export function movEG(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = getReg(cpu, i.size, i.reg);
  if (i.isMem) writeMem(mem, i.size, ea(cpu, i), v);
  else setReg(cpu, i.size, i.rm, v);
}

export function movGE(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
  setReg(cpu, i.size, i.reg, v);
}

/** mov r32, r/m32 fast path (8B with a 32-bit operand). */
export function movGE32(cpu: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) cpu.regs[i.reg] = mem.read32(ea(cpu, i));
  else cpu.regs[i.reg] = cpu.regs[i.rm];
}

/** mov r/m32, r32 fast path (89 with a 32-bit operand). */
export function movEG32(cpu: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) mem.write32(ea(cpu, i), cpu.regs[i.reg]);
  else cpu.regs[i.rm] = cpu.regs[i.reg];
}

export function movEI(cpu: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) writeMem(mem, i.size, ea(cpu, i), i.imm);
  else setReg(cpu, i.size, i.rm, i.imm);
}

export function movGI(cpu: Cpu, _mem: Memory, i: Insn): void {
  setReg(cpu, i.size, i.reg, i.imm);
}

export function lea(cpu: Cpu, _mem: Memory, i: Insn): void {
  let a = i.disp;
  if (i.base >= 0) a += cpu.regs[i.base];
  if (i.index >= 0) a += cpu.regs[i.index] << i.scale;
  if (i.asize === 2) a &= 0xffff;
  setReg(cpu, i.size, i.reg, a | 0);
}

function readSrc(cpu: Cpu, mem: Memory, i: Insn, size: number): number {
  return i.isMem ? readMem(mem, size, ea(cpu, i)) : getReg(cpu, size, i.rm);
}

export function movzxB(cpu: Cpu, mem: Memory, i: Insn): void {
  setReg(cpu, i.size, i.reg, readSrc(cpu, mem, i, 1));
}
export function movzxW(cpu: Cpu, mem: Memory, i: Insn): void {
  setReg(cpu, i.size, i.reg, readSrc(cpu, mem, i, 2));
}
export function movsxB(cpu: Cpu, mem: Memory, i: Insn): void {
  setReg(cpu, i.size, i.reg, (readSrc(cpu, mem, i, 1) << 24) >> 24);
}
export function movsxW(cpu: Cpu, mem: Memory, i: Insn): void {
  setReg(cpu, i.size, i.reg, (readSrc(cpu, mem, i, 2) << 16) >> 16);
}

export function xchgEG(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const b = getReg(cpu, size, i.reg);
  if (i.isMem) {
    const a_ = ea(cpu, i);
    const a = readMem(mem, size, a_);
    writeMem(mem, size, a_, b);
    setReg(cpu, size, i.reg, a);
  } else {
    const a = getReg(cpu, size, i.rm);
    setReg(cpu, size, i.rm, b);
    setReg(cpu, size, i.reg, a);
  }
}

/** xchg eAX, r (0x91..0x97) */
export function xchgZ(cpu: Cpu, _mem: Memory, i: Insn): void {
  const size = i.size;
  const a = getReg(cpu, size, EAX);
  setReg(cpu, size, EAX, getReg(cpu, size, i.reg));
  setReg(cpu, size, i.reg, a);
}

export function cmpxchg(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const a_ = i.isMem ? ea(cpu, i) : 0;
  const d = i.isMem ? readMem(mem, size, a_) : getReg(cpu, size, i.rm);
  const acc = getReg(cpu, size, EAX);
  if (acc === d) {
    const src = getReg(cpu, size, i.reg);
    if (i.isMem) writeMem(mem, size, a_, src);
    else setReg(cpu, size, i.rm, src);
  } else {
    // the processor always writes back (locked RMW)
    if (i.isMem) writeMem(mem, size, a_, d);
    setReg(cpu, size, EAX, d);
  }
  setLazy(cpu, LazyOp.SUB, size, acc, d, u((acc - d) & MASK[size], size));
}

export function cmpxchg8b(cpu: Cpu, mem: Memory, i: Insn): void {
  const a_ = ea(cpu, i);
  const lo = mem.read32(a_), hi = mem.read32(a_ + 4);
  const regs = cpu.regs;
  const f = materialize(cpu);
  probeWrite(mem, a_, 8);
  if (lo === regs[EAX] && hi === regs[EDX]) {
    mem.write32(a_, regs[3]);
    mem.write32(a_ + 4, regs[1]);
    setFlags(cpu, f | ZF);
  } else {
    mem.write32(a_, lo);
    mem.write32(a_ + 4, hi);
    regs[EAX] = lo;
    regs[EDX] = hi;
    setFlags(cpu, f & ~ZF);
  }
}

export function xadd(cpu: Cpu, mem: Memory, i: Insn): void {
  const size = i.size;
  const a_ = i.isMem ? ea(cpu, i) : 0;
  const d = i.isMem ? readMem(mem, size, a_) : getReg(cpu, size, i.rm);
  const s = getReg(cpu, size, i.reg);
  const r = u((d + s) & MASK[size], size);
  if (i.isMem) writeMem(mem, size, a_, r);
  setReg(cpu, size, i.reg, d);
  if (!i.isMem) setReg(cpu, size, i.rm, r);
  setLazy(cpu, LazyOp.ADD, size, d, s, r);
}

export function bswap(cpu: Cpu, _mem: Memory, i: Insn): void {
  const v = cpu.regs[i.reg];
  // with 0x66 the result is undefined; hardware gives 0 in the low word
  if (i.size === 2) cpu.regs[i.reg] = v & ~0xffff;
  else {
    cpu.regs[i.reg] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
  }
}

/** cbw / cwde */
export function cbw(cpu: Cpu, _mem: Memory, i: Insn): void {
  const r = cpu.regs;
  if (i.size === 2) setReg(cpu, 2, EAX, (r[EAX] << 24) >> 24);
  else r[EAX] = (r[EAX] << 16) >> 16;
}

/** cwd / cdq */
export function cwd(cpu: Cpu, _mem: Memory, i: Insn): void {
  const r = cpu.regs;
  if (i.size === 2) setReg(cpu, 2, EDX, (r[EAX] << 16) >> 31);
  else r[EDX] = r[EAX] >> 31;
}

export function lahf(cpu: Cpu): void {
  setReg(cpu, 1, 4, (materialize(cpu) & 0xd5) | 2);
}

export function sahf(cpu: Cpu): void {
  const ah = getReg(cpu, 1, 4);
  setFlags(cpu, (materialize(cpu) & OF) | (ah & 0xd5));
}

export function clc(cpu: Cpu): void {
  setFlags(cpu, materialize(cpu) & ~CF);
}
export function stc(cpu: Cpu): void {
  setFlags(cpu, materialize(cpu) | CF);
}
export function cmc(cpu: Cpu): void {
  setFlags(cpu, materialize(cpu) ^ CF);
}
export function cld(cpu: Cpu): void {
  cpu.flagsMisc &= ~0x400;
}
export function std(cpu: Cpu): void {
  cpu.flagsMisc |= 0x400;
}

/** salc is not in our model; arpl works at CPL 3. */
export function arpl(cpu: Cpu, mem: Memory, i: Insn): void {
  const a_ = i.isMem ? ea(cpu, i) : 0;
  const d = i.isMem ? readMem(mem, 2, a_) : getReg(cpu, 2, i.rm);
  const s = getReg(cpu, 2, i.reg);
  const f = materialize(cpu);
  if ((d & 3) < (s & 3)) {
    const r = (d & ~3) | (s & 3);
    if (i.isMem) writeMem(mem, 2, a_, r);
    else setReg(cpu, 2, i.rm, r);
    setFlags(cpu, f | ZF);
  } else setFlags(cpu, f & ~ZF);
}

// ---- BCD ----

export function daa(cpu: Cpu): void {
  const f = materialize(cpu);
  const old = getReg(cpu, 1, EAX);
  const oldCf = f & CF;
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || (f & AF)) {
    cf = oldCf | (al + 6 > 0xff ? CF : 0);
    al = (al + 6) & 0xff;
    af = AF;
  }
  if (old > 0x99 || oldCf) {
    al = (al + 0x60) & 0xff;
    cf = CF;
  }
  setReg(cpu, 1, EAX, al);
  // OF is undefined; hardware computes it as for the final addition
  const of = ((old ^ al) & (~old ^ (al - old)) & 0x80) && !(old & 0x80) && (al & 0x80) ? OF : 0;
  setFlags(cpu, cf | af | szp(al, 1) | of);
}

export function das(cpu: Cpu): void {
  const f = materialize(cpu);
  const old = getReg(cpu, 1, EAX);
  const oldCf = f & CF;
  let al = old, cf = 0, af = 0;
  if ((al & 0xf) > 9 || (f & AF)) {
    cf = oldCf | (al < 6 ? CF : 0);
    al = (al - 6) & 0xff;
    af = AF;
  }
  if (old > 0x99 || oldCf) {
    al = (al - 0x60) & 0xff;
    cf = CF;
  }
  setReg(cpu, 1, EAX, al);
  const of = (old & 0x80) && !(al & 0x80) ? OF : 0;
  setFlags(cpu, cf | af | szp(al, 1) | of);
}

export function aaa(cpu: Cpu): void {
  const f = materialize(cpu);
  const r = cpu.regs;
  let ax = r[EAX] & 0xffff;
  let fl = 0;
  if ((ax & 0xf) > 9 || (f & AF)) {
    ax = (ax + 0x106) & 0xffff;
    fl = AF | CF;
  }
  ax &= 0xff0f;
  setReg(cpu, 2, EAX, ax);
  setFlags(cpu, fl | szp(ax & 0xff, 1));
}

export function aas(cpu: Cpu): void {
  const f = materialize(cpu);
  let ax = cpu.regs[EAX] & 0xffff;
  let fl = 0;
  if ((ax & 0xf) > 9 || (f & AF)) {
    ax = (ax - 6) & 0xffff;
    ax = ((ax - 0x100) & 0xff00) | (ax & 0xff);
    fl = AF | CF;
  }
  ax &= 0xff0f;
  setReg(cpu, 2, EAX, ax);
  setFlags(cpu, fl | szp(ax & 0xff, 1));
}

export function aam(cpu: Cpu, _mem: Memory, i: Insn): void {
  const base = i.imm & 0xff;
  if (base === 0) raise(SIGFPE, FPE_INTDIV, i.addr);
  const al = getReg(cpu, 1, EAX);
  const lo = al % base;
  setReg(cpu, 2, EAX, ((Math.floor(al / base) & 0xff) << 8) | lo);
  setFlags(cpu, szp(lo, 1));
}

export function aad(cpu: Cpu, _mem: Memory, i: Insn): void {
  const ax = cpu.regs[EAX];
  const a = ax & 0xff, b = ((ax >> 8) & 0xff) * (i.imm & 0xff);
  const r = (a + b) & 0xff;
  setReg(cpu, 2, EAX, r);
  // flags as for the byte addition al + ah*imm
  const bb = b & 0xff;
  const cf = a + bb > 0xff ? CF : 0;
  const of = (a ^ r) & (bb ^ r) & 0x80 ? OF : 0;
  setFlags(cpu, szp(r, 1) | cf | of | ((a ^ bb ^ r) & AF));
}

export { AF, getAF, PARITY, PF, SF, SIGN };
