/** @module Instruction decoding: prefixes, opcode rows, ModRM/SIB and immediates into a reusable Insn. */
import type { Cpu } from "./cpu.ts";
import type { Memory } from "./memory.ts";
import { ONE_BYTE, type Operand, type Row, TWO_BYTE } from "./opcode_table.ts";

/** Every op handler has this shape; `i` is the decoded instruction. */
export type Handler = (cpu: Cpu, mem: Memory, i: Insn) => void;

/** Segment indices (ModRM sreg order), repeated here to keep decode free of cpu imports. */
const DS = 3, SS = 2;

/** A decoded instruction. One object per cached address; every field is always present. */
export class Insn {
  addr = 0;
  len = 0;
  /** address of the next instruction */
  next = 0;
  fn: Handler = noop;
  row: Row | null = null;
  /** opcode: one-byte map 0x00..0xff, 0F map 0x100..0x1ff */
  op = 0;
  /** operand size in bytes (1, 2, 4) */
  size = 4;
  /** 0x66 given */
  opsize16 = false;
  /** address size in bytes (2, 4) */
  asize = 4;
  /** ModRM reg field, or the register encoded in the opcode, or 0 for accumulator forms */
  reg = 0;
  /** register operand when !isMem */
  rm = 0;
  mod = 0;
  isMem = false;
  hasModrm = false;
  base = -1;
  index = -1;
  scale = 0;
  disp = 0;
  /** segment used for the memory operand (default or override) */
  seg = DS;
  /** explicit segment override, -1 when none */
  segOverride = -1;
  imm = 0;
  imm2 = 0;
  /** 0 none, 1 REP/REPE (F3), 2 REPNE (F2) */
  rep = 0;
  lock = false;
  /** row.sub: ALU op, condition code, group member … */
  sub = 0;
}

function noop(): void {}

/** Thrown by decode() for undefined or over-long encodings; carries the signal to raise. */
export class DecodeError {
  constructor(readonly signal: number, readonly code: number) {}
}
export const UD_ERROR: DecodeError = new DecodeError(4, 2);
export const GP_ERROR: DecodeError = new DecodeError(11, 0x80);

const REGS16_BASE = [3, 3, 5, 5, 6, 7, 5, 3]; // bx bx bp bp si di bp bx
const REGS16_INDEX = [6, 7, 6, 7, -1, -1, -1, -1]; // si di si di

/**
 * Decodes the instruction at `addr` into `i` (reusing it). Fetches with execute permission,
 * so it throws MEMORY_FAULT for unmapped/non-exec bytes and DecodeError for bad encodings.
 */
export function decode(mem: Memory, addr: number, i: Insn, strict = true): Insn {
  let p = addr >>> 0;
  let opsize16 = false, asize16 = false, rep = 0, lock = false, segOv = -1;
  let b: number;
  for (;;) {
    if (p - addr >= 14) throw GP_ERROR;
    b = mem.fetch8(p++);
    switch (b) {
      case 0x66:
        opsize16 = true;
        continue;
      case 0x67:
        asize16 = true;
        continue;
      case 0xf0:
        lock = true;
        continue;
      case 0xf2:
        rep = 2;
        continue;
      case 0xf3:
        rep = 1;
        continue;
      case 0x26:
        segOv = 0;
        continue;
      case 0x2e:
        segOv = 1;
        continue;
      case 0x36:
        segOv = 2;
        continue;
      case 0x3e:
        segOv = 3;
        continue;
      case 0x64:
        segOv = 4;
        continue;
      case 0x65:
        segOv = 5;
        continue;
    }
    break;
  }
  let op = b;
  let row: Row | undefined;
  if (b === 0x0f) {
    op = mem.fetch8(p++);
    row = TWO_BYTE[op];
    op |= 0x100;
  } else {
    row = ONE_BYTE[op];
  }
  if (row !== undefined && row.sse !== null) {
    row = row.sse[rep === 1 ? 2 : rep === 2 ? 3 : opsize16 ? 1 : 0];
  }
  if (row === undefined) throw UD_ERROR;
  i.addr = addr >>> 0;
  i.op = op;
  i.opsize16 = opsize16;
  i.asize = asize16 ? 2 : 4;
  i.rep = rep;
  i.lock = lock;
  i.segOverride = segOv;
  i.seg = segOv >= 0 ? segOv : DS;
  i.isMem = false;
  i.hasModrm = false;
  i.base = -1;
  i.index = -1;
  i.scale = 0;
  i.disp = 0;
  i.imm = 0;
  i.imm2 = 0;
  i.reg = 0;
  i.rm = 0;
  i.mod = 0;

  if (row.modrm) {
    const m = mem.fetch8(p++);
    i.hasModrm = true;
    i.mod = m >> 6;
    i.reg = (m >> 3) & 7;
    i.rm = m & 7;
    if (row.group !== null) {
      const g = (i.mod === 3 && row.group3 !== null ? row.group3 : row.group)[i.reg];
      if (g === undefined) throw UD_ERROR;
      row = g;
    }
    if (i.mod !== 3) {
      i.isMem = true;
      p = asize16 ? modrm16(mem, p, i, segOv) : modrm32(mem, p, i, segOv);
    }
  } else if (row.group !== null) {
    throw new RangeError("Opcode row with a group but no ModRM");
  }
  if (strict) {
    if (row.fn === null) throw UD_ERROR;
    if (i.isMem ? row.regOnly : row.memOnly) throw UD_ERROR;
    if (lock && (!row.lock || !i.isMem)) throw UD_ERROR;
  }

  const size = row.size === 1 ? 1 : row.size === 2 ? 2 : row.size === 4 ? 4 : opsize16 ? 2 : 4;
  i.size = size;
  const ops = row.operands;
  let immN = 0, hasZ = false;
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k];
    let v = 0;
    switch (o.kind) {
      case "I": {
        const n = o.size === "z" ? (opsize16 ? 2 : 4) : o.size === "w" ? 2 : 1;
        v = readImm(mem, p, n);
        p += n;
        if (o.signed) v = n === 1 ? (v << 24) >> 24 : n === 2 ? (v << 16) >> 16 : v | 0;
        if (immN++ === 0) i.imm = v;
        else i.imm2 = v;
        break;
      }
      case "J": {
        const n = o.size === "b" ? 1 : opsize16 ? 2 : 4;
        v = readImm(mem, p, n);
        p += n;
        v = n === 1 ? (v << 24) >> 24 : n === 2 ? (v << 16) >> 16 : v | 0;
        i.imm = v;
        break;
      }
      case "O": {
        const n = asize16 ? 2 : 4;
        i.disp = readImm(mem, p, n) | 0;
        p += n;
        i.isMem = true;
        break;
      }
      case "A": {
        const n = opsize16 ? 2 : 4;
        i.imm = readImm(mem, p, n);
        i.imm2 = readImm(mem, p + n, 2);
        p += n + 2;
        break;
      }
      case "Z":
        i.reg = op & 7;
        hasZ = true;
        break;
      case "acc":
        if (!row.modrm && !hasZ) i.reg = 0;
        break;
    }
  }
  i.len = p - (addr >>> 0);
  i.next = p >>> 0;
  i.row = row;
  i.fn = size === 4 && row.fn32 !== null ? row.fn32 : row.fn ?? noop;
  i.sub = row.sub;
  return i;
}

function readImm(mem: Memory, p: number, n: number): number {
  if (n === 1) return mem.fetch8(p);
  if (n === 2) return mem.fetch8(p) | (mem.fetch8(p + 1) << 8);
  return (mem.fetch8(p) | (mem.fetch8(p + 1) << 8) | (mem.fetch8(p + 2) << 16) |
    (mem.fetch8(p + 3) << 24)) >>> 0;
}

function modrm32(mem: Memory, p: number, i: Insn, segOv: number): number {
  let base = i.rm;
  let index = -1, scale = 0;
  if (base === 4) {
    const sib = mem.fetch8(p++);
    scale = sib >> 6;
    index = (sib >> 3) & 7;
    if (index === 4) index = -1;
    base = sib & 7;
    if (base === 5 && i.mod === 0) {
      base = -1;
      i.disp = readImm(mem, p, 4) | 0;
      p += 4;
    }
  } else if (base === 5 && i.mod === 0) {
    base = -1;
    i.disp = readImm(mem, p, 4) | 0;
    p += 4;
  }
  if (i.mod === 1) {
    i.disp = (mem.fetch8(p++) << 24) >> 24;
  } else if (i.mod === 2) {
    i.disp = readImm(mem, p, 4) | 0;
    p += 4;
  }
  i.base = base;
  i.index = index;
  i.scale = scale;
  if (segOv < 0 && (base === 4 || base === 5)) i.seg = SS;
  return p;
}

function modrm16(mem: Memory, p: number, i: Insn, segOv: number): number {
  const rm = i.rm;
  if (i.mod === 0 && rm === 6) {
    i.disp = readImm(mem, p, 2);
    p += 2;
    i.base = -1;
  } else {
    i.base = REGS16_BASE[rm];
    i.index = REGS16_INDEX[rm];
    if (i.mod === 1) {
      i.disp = (mem.fetch8(p++) << 24) >> 24;
    } else if (i.mod === 2) {
      i.disp = readImm(mem, p, 2);
      p += 2;
    }
    if (segOv < 0 && i.base === 5) i.seg = SS;
  }
  return p;
}

export type { Operand, Row };
