/** @module MUL, IMUL (one-, two- and three-operand forms), DIV and IDIV (#DE → SIGFPE). */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import { AF, CF, materialize, OF, setFlags } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { ea, EAX, EDX, FPE_INTDIV, getReg, raise, readMem, setReg, SIGFPE } from "./_operands.ts";

/** High 32 bits of the unsigned 64-bit product a*b (a, b unsigned 32-bit). */
export function mulHiU(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const p0 = al * bl, p1 = ah * bl, p2 = al * bh, p3 = ah * bh;
  const mid = (p0 >>> 16) + (p1 & 0xffff) + (p2 & 0xffff);
  return (p3 + (p1 >>> 16) + (p2 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** High 32 bits of the signed 64-bit product (a, b int32). */
export function mulHiS(a: number, b: number): number {
  let hi = mulHiU(a >>> 0, b >>> 0);
  if (a < 0) hi -= b;
  if (b < 0) hi -= a;
  return hi | 0;
}

/**
 * Flags after a multiply: CF=OF=overflow. SF ZF AF PF are undefined; we keep them, as the
 * AMD host we test against does.
 */
function mulFlags(cpu: Cpu, overflow: boolean, _lo: number, _size: number): void {
  setFlags(cpu, (materialize(cpu) & ~(CF | OF)) | (overflow ? CF | OF : 0));
}

function src(cpu: Cpu, mem: Memory, i: Insn): number {
  return i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
}

export function mulE(cpu: Cpu, mem: Memory, i: Insn): void {
  const b = src(cpu, mem, i), r = cpu.regs;
  if (i.size === 1) {
    const p = (r[EAX] & 0xff) * b;
    setReg(cpu, 2, EAX, p);
    mulFlags(cpu, p > 0xff, p & 0xff, 1);
  } else if (i.size === 2) {
    const p = (r[EAX] & 0xffff) * b;
    setReg(cpu, 2, EAX, p);
    setReg(cpu, 2, EDX, p >>> 16);
    mulFlags(cpu, p > 0xffff, p & 0xffff, 2);
  } else {
    const a = r[EAX] >>> 0;
    const lo = Math.imul(a, b) >>> 0, hi = mulHiU(a, b);
    r[EAX] = lo;
    r[EDX] = hi;
    mulFlags(cpu, hi !== 0, lo, 4);
  }
}

export function imul1E(cpu: Cpu, mem: Memory, i: Insn): void {
  const b = src(cpu, mem, i), r = cpu.regs;
  if (i.size === 1) {
    const p = ((r[EAX] << 24) >> 24) * ((b << 24) >> 24);
    setReg(cpu, 2, EAX, p);
    mulFlags(cpu, p !== (p << 24) >> 24, p & 0xff, 1);
  } else if (i.size === 2) {
    const p = ((r[EAX] << 16) >> 16) * ((b << 16) >> 16);
    setReg(cpu, 2, EAX, p);
    setReg(cpu, 2, EDX, p >> 16);
    mulFlags(cpu, p !== (p << 16) >> 16, p & 0xffff, 2);
  } else {
    const a = r[EAX], bs = b | 0;
    const lo = Math.imul(a, bs), hi = mulHiS(a, bs);
    r[EAX] = lo;
    r[EDX] = hi;
    mulFlags(cpu, hi !== lo >> 31, lo >>> 0, 4);
  }
}

function imulTrunc(cpu: Cpu, i: Insn, a: number, b: number): void {
  const size = i.size;
  if (size === 4) {
    const lo = Math.imul(a, b);
    cpu.regs[i.reg] = lo;
    mulFlags(cpu, mulHiS(a | 0, b | 0) !== lo >> 31, lo >>> 0, 4);
  } else {
    const p = ((a << 16) >> 16) * ((b << 16) >> 16);
    setReg(cpu, 2, i.reg, p);
    mulFlags(cpu, p !== (p << 16) >> 16, p & 0xffff, 2);
  }
}

/** imul G, E (0F AF) */
export function imulGE(cpu: Cpu, mem: Memory, i: Insn): void {
  imulTrunc(cpu, i, getReg(cpu, i.size, i.reg), src(cpu, mem, i));
}

/** imul G, E, imm (69, 6B) */
export function imulGEI(cpu: Cpu, mem: Memory, i: Insn): void {
  imulTrunc(cpu, i, src(cpu, mem, i), i.imm);
}

function divFault(i: Insn): never {
  raise(SIGFPE, FPE_INTDIV, i.addr);
}

export function divE(cpu: Cpu, mem: Memory, i: Insn): void {
  const d = src(cpu, mem, i), r = cpu.regs;
  if (d === 0) divFault(i);
  if (i.size === 1) {
    const n = r[EAX] & 0xffff;
    const q = Math.floor(n / d);
    if (q > 0xff) divFault(i);
    setReg(cpu, 2, EAX, ((n % d) << 8) | q);
  } else if (i.size === 2) {
    const n = ((r[EDX] & 0xffff) << 16 | (r[EAX] & 0xffff)) >>> 0;
    const q = Math.floor(n / d);
    if (q > 0xffff) divFault(i);
    setReg(cpu, 2, EAX, q);
    setReg(cpu, 2, EDX, n % d);
  } else {
    const hi = r[EDX] >>> 0, lo = r[EAX] >>> 0;
    if (hi >= d) divFault(i);
    if (hi === 0) {
      r[EAX] = Math.floor(lo / d);
      r[EDX] = lo % d;
    } else {
      const n = (BigInt(hi) << 32n) | BigInt(lo), bd = BigInt(d);
      r[EAX] = Number(n / bd);
      r[EDX] = Number(n % bd);
    }
  }
  divFlags(cpu);
}

export function idivE(cpu: Cpu, mem: Memory, i: Insn): void {
  const du = src(cpu, mem, i), r = cpu.regs;
  if (du === 0) divFault(i);
  if (i.size === 1) {
    const n = (r[EAX] << 16) >> 16, d = (du << 24) >> 24;
    const q = Math.trunc(n / d);
    if (q > 127 || q < -128) divFault(i);
    setReg(cpu, 2, EAX, (((n % d) & 0xff) << 8) | (q & 0xff));
  } else if (i.size === 2) {
    const n = ((r[EDX] & 0xffff) << 16) | (r[EAX] & 0xffff), d = (du << 16) >> 16;
    const q = Math.trunc(n / d);
    if (q > 32767 || q < -32768) divFault(i);
    setReg(cpu, 2, EAX, q);
    setReg(cpu, 2, EDX, n % d);
  } else {
    const hi = r[EDX], lo = r[EAX], d = du | 0;
    if (hi === lo >> 31) {
      const q = Math.trunc(lo / d);
      if (q > 2147483647) divFault(i); // -2^31 / -1
      r[EAX] = q;
      r[EDX] = lo % d;
    } else {
      const n = (BigInt(hi) << 32n) | BigInt(lo >>> 0), bd = BigInt(d);
      const q = n / bd;
      if (q > 2147483647n || q < -2147483648n) divFault(i);
      r[EAX] = Number(q);
      r[EDX] = Number(n % bd);
    }
  }
  divFlags(cpu);
}

/** DIV/IDIV leave all arithmetic flags undefined; we do what the AMD host does: keep CF OF, set AF, clear the rest. */
function divFlags(cpu: Cpu): void {
  setFlags(cpu, (materialize(cpu) & (CF | OF)) | AF);
}
