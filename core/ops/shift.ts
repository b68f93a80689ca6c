/** @module Shifts and rotates (group 2), SHLD/SHRD, with the flags the hardware produces. */
import type { Cpu } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import { AF, CF, MASK, materialize, OF, setFlags, SIGN, szp } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { ea, ECX, getReg, readMem, setReg, writeMem } from "./_operands.ts";

const BITS = [0, 8, 16, 0, 32];

/** Computes the shift/rotate `op` (group-2 reg field) of `a` by `c` (already masked to 5 bits, > 0); sets flags. */
export function shiftCalc(cpu: Cpu, op: number, a: number, c: number, size: number): number {
  const bits = BITS[size], m = MASK[size], sb = SIGN[size];
  const f = materialize(cpu);
  let r: number, cf: number, of: number;
  switch (op) {
    case 0: { // rol
      const n = c & (bits - 1);
      r = n === 0 ? a : ((a << n) | (a >>> (bits - n))) & m;
      cf = r & 1;
      of = (r & sb ? 1 : 0) ^ cf;
      setFlags(cpu, (f & ~(CF | OF)) | cf | (of ? OF : 0));
      return r >>> 0;
    }
    case 1: { // ror
      const n = c & (bits - 1);
      r = n === 0 ? a : ((a >>> n) | (a << (bits - n))) & m;
      cf = r & sb ? 1 : 0;
      of = cf ^ ((r >>> (bits - 2)) & 1);
      setFlags(cpu, (f & ~(CF | OF)) | cf | (of ? OF : 0));
      return r >>> 0;
    }
    case 2: { // rcl
      const n = size === 4 ? c : c % (bits + 1);
      let v = a, carry = f & CF;
      for (let k = 0; k < n; k++) {
        const out = v & sb ? 1 : 0;
        v = ((v << 1) | carry) & m;
        carry = out;
      }
      r = v >>> 0;
      of = (r & sb ? 1 : 0) ^ carry;
      setFlags(cpu, (f & ~(CF | OF)) | carry | (of ? OF : 0));
      return r;
    }
    case 3: { // rcr
      const n = size === 4 ? c : c % (bits + 1);
      let v = a, carry = f & CF;
      for (let k = 0; k < n; k++) {
        const out = v & 1;
        v = ((v >>> 1) | (carry ? sb : 0)) & m;
        carry = out;
      }
      r = v >>> 0;
      of = (r & sb ? 1 : 0) ^ ((r >>> (bits - 2)) & 1);
      setFlags(cpu, (f & ~(CF | OF)) | carry | (of ? OF : 0));
      return r;
    }
    case 4:
    case 6: { // shl/sal
      r = c < 32 ? (a << c) & m : 0;
      cf = c <= bits ? (a >>> (bits - c)) & 1 : 0;
      r >>>= 0;
      of = (r & sb ? 1 : 0) ^ cf;
      setFlags(cpu, cf | szp(r, size) | (of ? OF : 0) | (c & 0x1f ? AF : 0));
      return r;
    }
    case 5: { // shr
      r = (a >>> c) & m;
      cf = (a >>> (c - 1)) & 1;
      of = c === 1 ? (a & sb ? 1 : 0) : 0;
      setFlags(cpu, cf | szp(r, size) | (of ? OF : 0) | AF);
      return r >>> 0;
    }
    default: { // sar
      const s = size === 4 ? a | 0 : size === 2 ? (a << 16) >> 16 : (a << 24) >> 24;
      r = (s >> (c > 31 ? 31 : c)) & m;
      cf = (s >> (c - 1 > 31 ? 31 : c - 1)) & 1;
      r >>>= 0;
      setFlags(cpu, cf | szp(r, size) | AF);
      return r;
    }
  }
}

/** Group 2: D0/D1 by 1, D2/D3 by CL, C0/C1 by imm8. */
export function shiftE(cpu: Cpu, mem: Memory, i: Insn): void {
  const o = i.op & 0xfe;
  const c = (o === 0xd0 ? 1 : o === 0xd2 ? cpu.regs[ECX] : i.imm) & 0x1f;
  const size = i.size;
  if (i.isMem) {
    const a_ = ea(cpu, i);
    const a = readMem(mem, size, a_);
    if (c === 0) return;
    mem.probeWrite(a_);
    mem.probeWrite(a_ + size - 1);
    const r = shiftCalc(cpu, i.sub, a, c, size);
    writeMem(mem, size, a_, r);
  } else {
    if (c === 0) return;
    setReg(cpu, size, i.rm, shiftCalc(cpu, i.sub, getReg(cpu, size, i.rm), c, size));
  }
}

/** SHLD (0F A4/A5) and SHRD (0F AC/AD). */
export function shiftDouble(cpu: Cpu, mem: Memory, i: Insn): void {
  const c = ((i.op & 1) ? cpu.regs[ECX] : i.imm) & 0x1f;
  const size = i.size, bits = BITS[size], m = MASK[size], sb = SIGN[size];
  const a_ = i.isMem ? ea(cpu, i) : 0;
  const d = i.isMem ? readMem(mem, size, a_) : getReg(cpu, size, i.rm);
  if (c === 0) return;
  const s = getReg(cpu, size, i.reg);
  const left = (i.op & 0xf8) === 0xa0;
  let r: number, cf: number;
  if (size === 4) {
    if (left) {
      r = ((d << c) | (s >>> (32 - c))) >>> 0;
      cf = (d >>> (32 - c)) & 1;
    } else {
      r = ((d >>> c) | (s << (32 - c))) >>> 0;
      cf = (d >>> (c - 1)) & 1;
    }
  } else if (left) {
    // 16-bit: hardware shifts the 48-bit value d:s:s (counts above 16 are undefined but consistent)
    const x = d * 0x100000000 + s * 0x10000 + s;
    r = Math.floor(x / 2 ** (32 - c)) & 0xffff;
    cf = Math.floor(x / 2 ** (48 - c)) & 1;
  } else {
    const x = s * 0x100000000 + s * 0x10000 + d; // s:s:d
    r = Math.floor(x / 2 ** c) & 0xffff;
    cf = Math.floor(x / 2 ** (c - 1)) & 1;
  }
  r &= m;
  r >>>= 0;
  if (i.isMem) writeMem(mem, size, a_, r);
  else setReg(cpu, size, i.rm, r);
  const msb = r & sb ? 1 : 0;
  const of = left ? msb ^ cf : msb ^ ((r >>> (bits - 2)) & 1);
  setFlags(cpu, cf | szp(r, size) | (of ? OF : 0) | AF);
}
