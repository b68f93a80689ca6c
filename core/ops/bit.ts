/** @module Bit ops: BT/BTS/BTR/BTC, BSF/BSR, SETcc, CMOVcc. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import { CF, materialize, PARITY, PF, setFlags, testCC, ZF } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { ea, getReg, readMem, setReg, writeMem } from "./_operands.ts";

/** BT family; i.sub: 0 bt, 1 bts, 2 btr, 3 btc. Register offsets address beyond the operand in memory. */
function bitOp(cpu: Cpu, mem: Memory, i: Insn, off: number, regOffset: boolean): void {
  const size = i.size, bits = size * 8;
  let v: number, a_ = 0;
  if (i.isMem) {
    a_ = ea(cpu, i);
    if (regOffset) {
      // signed bit offset: the operand address moves by whole operands
      const s = size === 2 ? (off << 16) >> 16 : off | 0;
      a_ = (a_ + Math.floor(s / bits) * size) | 0;
    }
    v = readMem(mem, size, a_);
  } else v = getReg(cpu, size, i.rm);
  const bit = off & (bits - 1);
  const mask = (1 << bit) >>> 0;
  const cf = (v & mask) ? CF : 0;
  const op = i.sub;
  if (op !== 0) {
    const r = op === 1 ? v | mask : op === 2 ? v & ~mask : v ^ mask;
    if (i.isMem) writeMem(mem, size, a_, r);
    else setReg(cpu, size, i.rm, r);
  }
  setFlags(cpu, (materialize(cpu) & ~CF) | cf);
}

export function btEG(cpu: Cpu, mem: Memory, i: Insn): void {
  bitOp(cpu, mem, i, getReg(cpu, i.size, i.reg), true);
}

export function btEI(cpu: Cpu, mem: Memory, i: Insn): void {
  bitOp(cpu, mem, i, i.imm & 0xff, false);
}

function src(cpu: Cpu, mem: Memory, i: Insn): number {
  return i.isMem ? readMem(mem, i.size, ea(cpu, i)) : getReg(cpu, i.size, i.rm);
}

/**
 * bsf/bsr: the destination is unchanged when the source is zero (what hardware does), ZF=1.
 * The other flags are undefined; like the AMD host: PF from the result (set when none), the rest clear.
 */
function bitScan(cpu: Cpu, i: Insn, v: number, r: number): void {
  if (v === 0) {
    setFlags(cpu, ZF | PF);
    return;
  }
  setReg(cpu, i.size, i.reg, r);
  setFlags(cpu, PARITY[r]);
}

export function bsf(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = src(cpu, mem, i);
  bitScan(cpu, i, v, 31 - Math.clz32(v & -v));
}

export function bsr(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = src(cpu, mem, i);
  bitScan(cpu, i, v, 31 - Math.clz32(v));
}

export function setcc(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = testCC(cpu, i.op & 0xf) ? 1 : 0;
  if (i.isMem) mem.write8(ea(cpu, i), v);
  else setReg(cpu, 1, i.rm, v);
}

/** cmovcc always reads its source (so a bad address faults) and, with a 32-bit operand, writes the destination. */
export function cmov(cpu: Cpu, mem: Memory, i: Insn): void {
  const v = src(cpu, mem, i);
  if (testCC(cpu, i.op & 0xf)) setReg(cpu, i.size, i.reg, v);
}
