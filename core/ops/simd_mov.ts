/** @module MMX/SSE data movement and state instructions: MOVD/MOVQ/MOVDQ*, MOVAPS/MOVSS/MOVLPS…, masks, PEXTRW/PINSRW, MASKMOV*, EMMS, FXSAVE/FXRSTOR, LDMXCSR/STMXCSR, CLFLUSH. */
import { type Cpu, Mxcsr } from "../cpu.ts";
import type { Insn } from "../decode.ts";
import type { Memory } from "../memory.ts";
import { ea, EDI, getReg, gp } from "./_operands.ts";
import {
  copy,
  eaAligned,
  type Kernel,
  load,
  MM,
  mmxEnter,
  mmxWrote,
  SRC,
  srcM,
  srcX,
  store,
} from "./_vec.ts";
import { shiftCount, type ShiftKernel } from "./simd_int.ts";

const mmOf = (r: number) => MM + (r << 3);
const xmmOf = (r: number) => r << 4;

// ---- MMX ----
/** emms: all tags empty and, like every MMX instruction, TOP = 0 (SDM Vol. 1 table 9-2) */
export function emms(c: Cpu): void {
  c.fpTop = 0;
  c.fpTag = 0xffff;
}

/** movd mm, r/m32 */
export function movdPE(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read32(ea(c, i)) : c.regs[i.rm];
  mmxEnter(c);
  const w = c.vi32, b = mmOf(i.reg) >> 2;
  w[b] = v;
  w[b + 1] = 0;
  mmxWrote(c, i.reg);
}

/** movd r/m32, mm */
export function movdEP(c: Cpu, mem: Memory, i: Insn): void {
  const v = c.vi32[mmOf(i.reg) >> 2];
  if (i.isMem) mem.write32(ea(c, i), v);
  else c.regs[i.rm] = v;
  mmxEnter(c);
}

/** movq mm, mm/m64 */
export function movqPQ(c: Cpu, mem: Memory, i: Insn): void {
  const s = srcM(c, mem, i, 8);
  mmxEnter(c);
  copy(c, mmOf(i.reg), s, 8);
  mmxWrote(c, i.reg);
}

/** movq mm/m64, mm; movntq m64, mm */
export function movqQP(c: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) store(c, mem, ea(c, i), mmOf(i.reg), 8);
  else {
    copy(c, mmOf(i.rm), mmOf(i.reg), 8);
    mmxWrote(c, i.rm);
  }
  mmxEnter(c);
}

// ---- XMM ----
/** movd xmm, r/m32 */
export function movdVE(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read32(ea(c, i)) : c.regs[i.rm];
  const w = c.vi32, b = i.reg << 2;
  w[b] = v;
  w[b + 1] = w[b + 2] = w[b + 3] = 0;
}

/** movd r/m32, xmm */
export function movdEV(c: Cpu, mem: Memory, i: Insn): void {
  const v = c.vi32[i.reg << 2];
  if (i.isMem) mem.write32(ea(c, i), v);
  else c.regs[i.rm] = v;
}

/** movq xmm, xmm/m64 (F3 0F 7E): zero-extends */
export function movqVW(c: Cpu, mem: Memory, i: Insn): void {
  const s = srcX(c, mem, i, 8, false);
  const w = c.vi32, b = i.reg << 2;
  w[b] = w[s >> 2];
  w[b + 1] = w[(s >> 2) + 1];
  w[b + 2] = w[b + 3] = 0;
}

/** movq xmm/m64, xmm (66 0F D6): the register form zero-extends */
export function movqWV(c: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) return store(c, mem, ea(c, i), xmmOf(i.reg), 8);
  const w = c.vi32, d = i.rm << 2, s = i.reg << 2;
  w[d] = w[s];
  w[d + 1] = w[s + 1];
  w[d + 2] = w[d + 3] = 0;
}

/** movq2dq xmm, mm */
export function movq2dq(c: Cpu, _mem: Memory, i: Insn): void {
  const w = c.vi32, d = i.reg << 2, s = mmOf(i.rm) >> 2;
  w[d] = w[s];
  w[d + 1] = w[s + 1];
  w[d + 2] = w[d + 3] = 0;
  mmxEnter(c);
}

/** movdq2q mm, xmm */
export function movdq2q(c: Cpu, _mem: Memory, i: Insn): void {
  mmxEnter(c);
  copy(c, mmOf(i.reg), xmmOf(i.rm), 8);
  mmxWrote(c, i.reg);
}

/** movaps/movapd/movdqa xmm, xmm/m128 */
export function movaVW(c: Cpu, mem: Memory, i: Insn): void {
  copy(c, xmmOf(i.reg), srcX(c, mem, i, 16, true), 16);
}

/** movups/movupd/movdqu xmm, xmm/m128 */
export function movuVW(c: Cpu, mem: Memory, i: Insn): void {
  copy(c, xmmOf(i.reg), srcX(c, mem, i, 16, false), 16);
}

/** movaps/movapd/movdqa/movntps/movntpd/movntdq xmm/m128, xmm */
export function movaWV(c: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) store(c, mem, eaAligned(c, i), xmmOf(i.reg), 16);
  else copy(c, xmmOf(i.rm), xmmOf(i.reg), 16);
}

/** movups/movupd/movdqu xmm/m128, xmm */
export function movuWV(c: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) store(c, mem, ea(c, i), xmmOf(i.reg), 16);
  else copy(c, xmmOf(i.rm), xmmOf(i.reg), 16);
}

/** movnti m32, r32 */
export function movnti(c: Cpu, mem: Memory, i: Insn): void {
  mem.write32(ea(c, i), c.regs[i.reg]);
}

/** movss xmm, xmm/m32: a load zeroes the rest */
export function movssVW(c: Cpu, mem: Memory, i: Insn): void {
  const w = c.vi32, d = i.reg << 2;
  if (i.isMem) {
    w[d] = mem.read32(ea(c, i));
    w[d + 1] = w[d + 2] = w[d + 3] = 0;
  } else w[d] = w[i.rm << 2];
}

export function movssWV(c: Cpu, mem: Memory, i: Insn): void {
  const w = c.vi32;
  if (i.isMem) mem.write32(ea(c, i), w[i.reg << 2]);
  else w[i.rm << 2] = w[i.reg << 2];
}

/** movsd xmm, xmm/m64: a load zeroes the upper half */
export function movsdVW(c: Cpu, mem: Memory, i: Insn): void {
  const w = c.vi32, d = i.reg << 2;
  if (i.isMem) {
    load(c, mem, ea(c, i), 8);
    w[d] = w[SRC >> 2];
    w[d + 1] = w[(SRC >> 2) + 1];
    w[d + 2] = w[d + 3] = 0;
  } else {
    w[d] = w[i.rm << 2];
    w[d + 1] = w[(i.rm << 2) + 1];
  }
}

export function movsdWV(c: Cpu, mem: Memory, i: Insn): void {
  if (i.isMem) return store(c, mem, ea(c, i), xmmOf(i.reg), 8);
  const w = c.vi32, d = i.rm << 2, s = i.reg << 2;
  w[d] = w[s];
  w[d + 1] = w[s + 1];
}

/** movlps/movlpd xmm, m64 (reg form of 0F 12: movhlps) */
export function movlVM(c: Cpu, mem: Memory, i: Insn): void {
  const w = c.vi32, d = i.reg << 2;
  const s = i.isMem ? load(c, mem, ea(c, i), 8) >> 2 : (i.rm << 2) + 2;
  w[d] = w[s];
  w[d + 1] = w[s + 1];
}

/** movhps/movhpd xmm, m64 (reg form of 0F 16: movlhps) */
export function movhVM(c: Cpu, mem: Memory, i: Insn): void {
  const w = c.vi32, d = i.reg << 2;
  const s = i.isMem ? load(c, mem, ea(c, i), 8) >> 2 : i.rm << 2;
  w[d + 2] = w[s];
  w[d + 3] = w[s + 1];
}

/** movlps/movlpd m64, xmm */
export function movlMV(c: Cpu, mem: Memory, i: Insn): void {
  store(c, mem, ea(c, i), xmmOf(i.reg), 8);
}

/** movhps/movhpd m64, xmm */
export function movhMV(c: Cpu, mem: Memory, i: Insn): void {
  store(c, mem, ea(c, i), xmmOf(i.reg) + 8, 8);
}

// ---- masks, word insert/extract ----
function byteMask(c: Cpu, s: number, n: number): number {
  const v = c.vu8;
  let m = 0;
  for (let k = 0; k < n; k++) m |= (v[s + k] >> 7) << k;
  return m;
}

/** pmovmskb r32, mm */
export function pmovmskbP(c: Cpu, _mem: Memory, i: Insn): void {
  c.regs[i.reg] = byteMask(c, mmOf(i.rm), 8);
  mmxEnter(c);
}

/** pmovmskb r32, xmm */
export function pmovmskbV(c: Cpu, _mem: Memory, i: Insn): void {
  c.regs[i.reg] = byteMask(c, xmmOf(i.rm), 16);
}

export function movmskps(c: Cpu, _mem: Memory, i: Insn): void {
  const w = c.vu32, s = i.rm << 2;
  c.regs[i.reg] = (w[s] >>> 31) | ((w[s + 1] >>> 31) << 1) | ((w[s + 2] >>> 31) << 2) |
    ((w[s + 3] >>> 31) << 3);
}

export function movmskpd(c: Cpu, _mem: Memory, i: Insn): void {
  const w = c.vu32, s = i.rm << 2;
  c.regs[i.reg] = (w[s + 1] >>> 31) | ((w[s + 3] >>> 31) << 1);
}

export function pextrwP(c: Cpu, _mem: Memory, i: Insn): void {
  c.regs[i.reg] = c.vu16[(mmOf(i.rm) >> 1) + (i.imm & 3)];
  mmxEnter(c);
}

export function pextrwV(c: Cpu, _mem: Memory, i: Insn): void {
  c.regs[i.reg] = c.vu16[(i.rm << 3) + (i.imm & 7)];
}

export function pinsrwP(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read16(ea(c, i)) : getReg(c, 2, i.rm);
  mmxEnter(c);
  c.vu16[(mmOf(i.reg) >> 1) + (i.imm & 3)] = v;
  mmxWrote(c, i.reg);
}

export function pinsrwV(c: Cpu, mem: Memory, i: Insn): void {
  const v = i.isMem ? mem.read16(ea(c, i)) : getReg(c, 2, i.rm);
  c.vu16[(i.reg << 3) + (i.imm & 7)] = v;
}

/** maskmovq mm, mm / maskmovdqu xmm, xmm: byte stores to ds:edi where the mask byte's top bit is set */
function maskmov(c: Cpu, mem: Memory, i: Insn, d: number, s: number, n: number): void {
  const v = c.vu8;
  let a = c.regs[EDI];
  if (i.asize === 2) a &= 0xffff;
  a = (a + c.segBase[i.seg]) | 0;
  for (let k = 0; k < n; k++) if (v[s + k] & 0x80) mem.probeWrite(a + k);
  for (let k = 0; k < n; k++) if (v[s + k] & 0x80) mem.write8(a + k, v[d + k]);
}

export function maskmovq(c: Cpu, mem: Memory, i: Insn): void {
  maskmov(c, mem, i, mmOf(i.reg), mmOf(i.rm), 8);
  mmxEnter(c);
}

export function maskmovdqu(c: Cpu, mem: Memory, i: Insn): void {
  maskmov(c, mem, i, xmmOf(i.reg), xmmOf(i.rm), 16);
}

// ---- shifts (handlers) ----
/** psllw/… mm, mm/m64 */
export function mmxShift(k: ShiftKernel): (c: Cpu, mem: Memory, i: Insn) => void {
  return (c, mem, i) => {
    const s = srcM(c, mem, i, 8);
    mmxEnter(c);
    k(c, mmOf(i.reg), shiftCount(c, s), 8);
    mmxWrote(c, i.reg);
  };
}

/** psllw/… xmm, xmm/m128 (only the low 64 bits count; memory must be aligned) */
export function xmmShift(k: ShiftKernel): (c: Cpu, mem: Memory, i: Insn) => void {
  return (c, mem, i) => {
    k(c, xmmOf(i.reg), shiftCount(c, srcX(c, mem, i, 16, true)), 16);
  };
}

/** psllw/… mm, imm8 (ModRM.rm is the register) */
export function mmxShiftI(k: ShiftKernel): (c: Cpu, mem: Memory, i: Insn) => void {
  return (c, _mem, i) => {
    mmxEnter(c);
    k(c, mmOf(i.rm), i.imm & 0xff, 8);
    mmxWrote(c, i.rm);
  };
}

export function xmmShiftI(k: ShiftKernel): (c: Cpu, mem: Memory, i: Insn) => void {
  return (c, _mem, i) => k(c, xmmOf(i.rm), i.imm & 0xff, 16);
}

/** A kernel with MMX operands but an XMM-shaped imm use (pshufw). */
export function mmxImm(k: Kernel): (c: Cpu, mem: Memory, i: Insn) => void {
  return (c, mem, i) => {
    const s = srcM(c, mem, i, 8);
    mmxEnter(c);
    k(c, mmOf(i.reg), s, 8, i.imm & 0xff);
    mmxWrote(c, i.reg);
  };
}

// ---- MXCSR, FXSAVE/FXRSTOR, CLFLUSH ----
export function ldmxcsr(c: Cpu, mem: Memory, i: Insn): void {
  const v = mem.read32(ea(c, i)) >>> 0;
  if (v & ~Mxcsr.MASK) gp();
  c.mxcsr = v;
}

export function stmxcsr(c: Cpu, mem: Memory, i: Insn): void {
  mem.write32(ea(c, i), c.mxcsr);
}

export function clflush(c: Cpu, mem: Memory, i: Insn): void {
  mem.read8(ea(c, i));
}

/** The abridged (1 bit per physical register, 1 = not empty) tag byte FXSAVE stores. */
function abridgedTag(tag: number): number {
  let t = 0;
  for (let k = 0; k < 8; k++) if (((tag >> (2 * k)) & 3) !== 3) t |= 1 << k;
  return t;
}

/** The full tag of a non-empty register from its contents (as FXRSTOR reconstructs it). */
function tagOf(c: Cpu, r: number): number {
  const e = c.fpExp[r] & 0x7fff, hi = c.fpSig[2 * r + 1], lo = c.fpSig[2 * r];
  if (e === 0x7fff) return 2;
  if (e === 0) return hi === 0 && lo === 0 ? 1 : 2;
  return hi & 0x80000000 ? 0 : 2;
}

const FX_BUF = new Uint8Array(512);
const FX_VIEW = new DataView(FX_BUF.buffer);

/** fxsave m512 (32-bit format); the reserved and software-available bytes are left unchanged */
export function fxsave(c: Cpu, mem: Memory, i: Insn): void {
  const a = eaAligned(c, i);
  mem.probeWrite(a);
  mem.probeWrite(a + 287);
  const v = FX_VIEW;
  FX_BUF.fill(0, 0, 288);
  v.setUint16(0, c.fpCw, true);
  v.setUint16(2, (c.fpSw & ~0x3800) | ((c.fpTop & 7) << 11), true);
  v.setUint8(4, abridgedTag(c.fpTag));
  v.setUint16(6, c.fpFop, true);
  v.setUint32(8, c.fpIp >>> 0, true);
  v.setUint16(12, c.fpCs, true);
  v.setUint32(16, c.fpDp >>> 0, true);
  v.setUint16(20, c.fpDs, true);
  v.setUint32(24, c.mxcsr >>> 0, true);
  v.setUint32(28, Mxcsr.MASK, true);
  for (let st = 0; st < 8; st++) {
    const r = (c.fpTop + st) & 7;
    v.setUint32(32 + 16 * st, c.fpSig[2 * r], true);
    v.setUint32(36 + 16 * st, c.fpSig[2 * r + 1], true);
    v.setUint16(40 + 16 * st, c.fpExp[r], true);
  }
  FX_BUF.set(c.xmm, 160);
  for (let k = 0; k < 288; k += 4) mem.write32(a + k, v.getInt32(k, true));
}

/** fxrstor m512 (#GP on reserved MXCSR bits) */
export function fxrstor(c: Cpu, mem: Memory, i: Insn): void {
  const a = eaAligned(c, i);
  const v = FX_VIEW;
  for (let k = 0; k < 288; k += 4) v.setInt32(k, mem.read32(a + k), true);
  const mx = v.getUint32(24, true);
  if (mx & ~Mxcsr.MASK) gp();
  c.fpCw = v.getUint16(0, true);
  const sw = v.getUint16(2, true);
  c.fpTop = (sw >> 11) & 7;
  c.fpSw = sw & ~0x3800;
  c.fpFop = v.getUint16(6, true) & 0x7ff;
  c.fpIp = v.getUint32(8, true);
  c.fpCs = v.getUint16(12, true);
  c.fpDp = v.getUint32(16, true);
  c.fpDs = v.getUint16(20, true);
  c.mxcsr = mx;
  for (let st = 0; st < 8; st++) {
    const r = (c.fpTop + st) & 7;
    c.fpSig[2 * r] = v.getUint32(32 + 16 * st, true);
    c.fpSig[2 * r + 1] = v.getUint32(36 + 16 * st, true);
    c.fpExp[r] = v.getUint16(40 + 16 * st, true);
  }
  const ab = v.getUint8(4);
  let tag = 0;
  for (let r = 0; r < 8; r++) tag |= (ab & (1 << r) ? tagOf(c, r) : 3) << (2 * r);
  c.fpTag = tag;
  c.xmm.set(FX_BUF.subarray(160, 288));
}
