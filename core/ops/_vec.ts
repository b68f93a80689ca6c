/** @module Operand access for MMX/SSE handlers: register offsets in Cpu.vec, memory loads/stores, alignment, MMX state. */
import { type Cpu, VEC } from "../cpu.ts";
import type { Handler, Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";
import { ea, gp } from "./_operands.ts";

/**
 * A SIMD kernel: works on the views of `c.vec` with byte offsets `d` (destination, also the
 * first source) and `s` (second source), over `n` bytes (8 for MMX, 16 for XMM).
 */
export type Kernel = (c: Cpu, d: number, s: number, n: number, imm: number) => void;

export const XMM = VEC.XMM, MM = VEC.MM, SRC = VEC.SRC, TMP = VEC.TMP, TMP2 = VEC.TMP2;

/** Loads `n` (2, 4, 8, 16) bytes of guest memory at `a` into the SRC scratch; returns SRC. */
export function load(c: Cpu, mem: Memory, a: number, n: number): number {
  const w = c.vi32, b = SRC >> 2;
  if (n >= 4) {
    // read everything before changing anything: a fault leaves the scratch irrelevant anyway
    w[b] = mem.read32(a);
    if (n >= 8) {
      w[b + 1] = mem.read32(a + 4);
      if (n === 16) {
        w[b + 2] = mem.read32(a + 8);
        w[b + 3] = mem.read32(a + 12);
      }
    }
  } else c.vu16[SRC >> 1] = mem.read16(a);
  return SRC;
}

/** Stores `n` (4, 8, 16) bytes from vec offset `off` to guest memory at `a`, all or nothing. */
export function store(c: Cpu, mem: Memory, a: number, off: number, n: number): void {
  if (n > 4 && ((a & 0xfff) > 0x1000 - n)) {
    mem.probeWrite(a);
    mem.probeWrite(a + n - 1);
  }
  const w = c.vi32, b = off >> 2;
  mem.write32(a, w[b]);
  if (n >= 8) {
    mem.write32(a + 4, w[b + 1]);
    if (n === 16) {
      mem.write32(a + 8, w[b + 2]);
      mem.write32(a + 12, w[b + 3]);
    }
  }
}

/** The address of a memory operand that must be 16-byte aligned (#GP otherwise). */
export function eaAligned(c: Cpu, i: Insn): number {
  const a = ea(c, i);
  if (a & 15) gp();
  return a;
}

/** XMM r/m source: the register's offset, or the memory operand loaded into SRC. */
export function srcX(c: Cpu, mem: Memory, i: Insn, n: number, align: boolean): number {
  if (!i.isMem) return i.rm << 4;
  return load(c, mem, align ? eaAligned(c, i) : ea(c, i), n);
}

/** MMX r/m source: the register's offset, or the memory operand loaded into SRC. */
export function srcM(c: Cpu, mem: Memory, i: Insn, n: number): number {
  if (!i.isMem) return MM + (i.rm << 3);
  return load(c, mem, ea(c, i), n);
}

/** Every MMX instruction (but EMMS) sets TOP to 0 and tags all registers valid. */
export function mmxEnter(c: Cpu): void {
  c.fpTop = 0;
  c.fpTag = 0;
}

/** An MMX write to MMr also sets the exponent field of Rr to all ones. */
export function mmxWrote(c: Cpu, r: number): void {
  c.fpExp[r] = 0xffff;
}

/** Copies 8 or 16 bytes inside `vec`. */
export function copy(c: Cpu, d: number, s: number, n: number): void {
  const w = c.vi32, db = d >> 2, sb = s >> 2;
  w[db] = w[sb];
  w[db + 1] = w[sb + 1];
  if (n === 16) {
    w[db + 2] = w[sb + 2];
    w[db + 3] = w[sb + 3];
  }
}

/** `op mm, mm/m64`: a packed kernel on MMX registers (`srcBytes` 4 for punpckl*). */
export function mmxOp(k: Kernel, srcBytes = 8): Handler {
  return (c, mem, i) => {
    const s = srcM(c, mem, i, srcBytes);
    mmxEnter(c);
    k(c, MM + (i.reg << 3), s, 8, i.imm);
    c.fpExp[i.reg] = 0xffff;
  };
}

/** `op xmm, xmm/m128`: a packed kernel on XMM registers; memory must be aligned unless `align` is false. */
export function xmmOp(k: Kernel, align = true, srcBytes = 16): Handler {
  return (c, mem, i) => {
    const s = i.isMem ? load(c, mem, align ? eaAligned(c, i) : ea(c, i), srcBytes) : i.rm << 4;
    k(c, i.reg << 4, s, 16, i.imm);
  };
}
