/** @module Lazy EFLAGS: arithmetic ops record (op, size, operands, result); CF ZF SF OF PF AF are computed on demand. */
import type { Cpu } from "./cpu.ts";

/** What produced the pending arithmetic flags. NONE: `cpu.flagsArith` holds them. */
export const LazyOp = {
  NONE: 0,
  ADD: 1,
  ADC: 2,
  SUB: 3,
  SBB: 4,
  LOGIC: 5,
  INC: 6,
  DEC: 7,
  NEG: 8,
} as const;

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const OF = 0x800;

/** Value masks and sign bits indexed by size in bytes (1, 2, 4). */
export const MASK: readonly number[] = [0, 0xff, 0xffff, 0, 0xffffffff];
export const SIGN: readonly number[] = [0, 0x80, 0x8000, 0, 0x80000000];
/** Shift that moves a size's sign bit to bit 31 (for signed compares via `<< SH | 0`). */
export const SH: readonly number[] = [0, 24, 16, 0, 0];

/** PF for each low byte. */
export const PARITY: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let b = i, n = 0;
    while (b) {
      n += b & 1;
      b >>= 1;
    }
    t[i] = n & 1 ? 0 : PF;
  }
  return t;
})();

/** Records a lazy flag-setting result. Operands and result are unsigned and masked to size. */
export function setLazy(cpu: Cpu, op: number, size: number, a: number, b: number, r: number): void {
  cpu.lop = op;
  cpu.lsize = size;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r;
}

/** Sets the arithmetic flags eagerly (for rare ops: shifts, mul, bit ops, BCD). */
export function setFlags(cpu: Cpu, f: number): void {
  cpu.lop = LazyOp.NONE;
  cpu.flagsArith = f;
}

/** SF, ZF, PF of a result of the given size. */
export function szp(r: number, size: number): number {
  return (r & SIGN[size] ? SF : 0) | (r === 0 ? ZF : 0) | PARITY[r & 0xff];
}

export function getCF(cpu: Cpu): number {
  const a = cpu.la, r = cpu.lr;
  switch (cpu.lop) {
    case LazyOp.NONE:
      return cpu.flagsArith & CF;
    case LazyOp.ADD:
      return r < a ? 1 : 0;
    case LazyOp.ADC:
      return (cpu.lcf ? r <= a : r < a) ? 1 : 0;
    case LazyOp.SUB:
      return a < cpu.lb ? 1 : 0;
    case LazyOp.SBB:
      return (cpu.lcf ? a <= cpu.lb : a < cpu.lb) ? 1 : 0;
    case LazyOp.LOGIC:
      return 0;
    case LazyOp.INC:
    case LazyOp.DEC:
      return cpu.lcf;
    default: // NEG
      return a !== 0 ? 1 : 0;
  }
}

export function getOF(cpu: Cpu): number {
  const a = cpu.la, b = cpu.lb, r = cpu.lr, sb = SIGN[cpu.lsize];
  switch (cpu.lop) {
    case LazyOp.NONE:
      return cpu.flagsArith & OF;
    case LazyOp.ADD:
    case LazyOp.ADC:
      return (a ^ r) & (b ^ r) & sb ? OF : 0;
    case LazyOp.SUB:
    case LazyOp.SBB:
      return (a ^ b) & (a ^ r) & sb ? OF : 0;
    case LazyOp.LOGIC:
      return 0;
    case LazyOp.INC:
      return r === sb ? OF : 0;
    case LazyOp.DEC:
      return a === sb ? OF : 0;
    default: // NEG
      return a === sb ? OF : 0;
  }
}

export function getAF(cpu: Cpu): number {
  switch (cpu.lop) {
    case LazyOp.NONE:
      return cpu.flagsArith & AF;
    case LazyOp.LOGIC:
      return 0;
    case LazyOp.INC:
      return (cpu.lr & 0xf) === 0 ? AF : 0;
    case LazyOp.DEC:
      return (cpu.lr & 0xf) === 0xf ? AF : 0;
    default:
      return (cpu.la ^ cpu.lb ^ cpu.lr) & AF;
  }
}

export function getZF(cpu: Cpu): number {
  return cpu.lop === LazyOp.NONE ? cpu.flagsArith & ZF : cpu.lr === 0 ? ZF : 0;
}

export function getSF(cpu: Cpu): number {
  return cpu.lop === LazyOp.NONE ? cpu.flagsArith & SF : cpu.lr & SIGN[cpu.lsize] ? SF : 0;
}

export function getPF(cpu: Cpu): number {
  return cpu.lop === LazyOp.NONE ? cpu.flagsArith & PF : PARITY[cpu.lr & 0xff];
}

/** All six arithmetic flags as EFLAGS bits. */
export function arithFlags(cpu: Cpu): number {
  if (cpu.lop === LazyOp.NONE) return cpu.flagsArith;
  return getCF(cpu) | getPF(cpu) | getAF(cpu) | getZF(cpu) | getSF(cpu) | getOF(cpu);
}

/** Makes `cpu.flagsArith` authoritative (before an op changes only some flags). */
export function materialize(cpu: Cpu): number {
  if (cpu.lop !== LazyOp.NONE) {
    cpu.flagsArith = arithFlags(cpu);
    cpu.lop = LazyOp.NONE;
  }
  return cpu.flagsArith;
}

/** Evaluates condition code cc (0..15, the low nibble of Jcc/SETcc/CMOVcc). */
export function testCC(cpu: Cpu, cc: number): boolean {
  const lop = cpu.lop;
  if (lop === LazyOp.SUB) {
    // cmp/sub fast path
    const a = cpu.la, b = cpu.lb;
    switch (cc) {
      case 2:
        return a < b;
      case 3:
        return a >= b;
      case 4:
        return a === b;
      case 5:
        return a !== b;
      case 6:
        return a <= b;
      case 7:
        return a > b;
      case 12: {
        const s = SH[cpu.lsize];
        return (a << s) < (b << s);
      }
      case 13: {
        const s = SH[cpu.lsize];
        return (a << s) >= (b << s);
      }
      case 14: {
        const s = SH[cpu.lsize];
        return (a << s) <= (b << s);
      }
      case 15: {
        const s = SH[cpu.lsize];
        return (a << s) > (b << s);
      }
    }
  } else if (lop === LazyOp.LOGIC) {
    const r = cpu.lr;
    switch (cc) {
      case 4:
        return r === 0;
      case 5:
        return r !== 0;
      case 8:
        return (r & SIGN[cpu.lsize]) !== 0;
      case 9:
        return (r & SIGN[cpu.lsize]) === 0;
    }
  }
  let v: boolean;
  switch (cc >> 1) {
    case 0:
      v = getOF(cpu) !== 0;
      break;
    case 1:
      v = getCF(cpu) !== 0;
      break;
    case 2:
      v = getZF(cpu) !== 0;
      break;
    case 3:
      v = (getCF(cpu) | getZF(cpu)) !== 0;
      break;
    case 4:
      v = getSF(cpu) !== 0;
      break;
    case 5:
      v = getPF(cpu) !== 0;
      break;
    case 6:
      v = (getSF(cpu) !== 0) !== (getOF(cpu) !== 0);
      break;
    default:
      v = getZF(cpu) !== 0 || (getSF(cpu) !== 0) !== (getOF(cpu) !== 0);
  }
  return (cc & 1) ? !v : v;
}
