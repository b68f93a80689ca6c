/**
 * @module Specialized handlers for the hottest instruction shapes (32-bit register ALU ops,
 * Jcc, lea, mov): the interpreter swaps them in after decoding. Each does exactly what the
 * generic handler does for that shape, with the operation, size and operand kinds fixed.
 * Also the handler sets the block loop uses to end and chain decoded blocks.
 */
import type { Cpu } from "../cpu.ts";
import type { Handler, Insn } from "../decode.ts";
import { AF, CF, LazyOp, materialize, OF, PARITY, SF, testCC, ZF } from "../flags.ts";
import type { Memory } from "../memory.ts";
import { ea } from "./_operands.ts";
import * as A from "./alu.ts";
import * as C from "./control.ts";
import * as MD from "./muldiv.ts";
import * as SH from "./shift.ts";
import { rdtsc } from "./system.ts";

type M = Memory;

function addEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = (a + b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.ADD;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function addGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = (a + b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.ADD;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function addEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a + b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.ADD;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function addGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a + b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.ADD;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function orEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = a | b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function orGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = a | b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function orEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a | b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function orGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a | b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function andEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = a & b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function andGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = a & b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function andEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a & b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function andGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a & b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function subEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = (a - b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function subGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = (a - b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function subEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a - b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function subGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a - b) | 0;
  regs[d] = r;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function xorEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = a ^ b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function xorGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = a ^ b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function xorEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a ^ b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function xorGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = a ^ b;
  regs[d] = r;
  cpu.lop = LazyOp.LOGIC;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function cmpEG32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = regs[i.reg] >>> 0;
  const r = (a - b) | 0;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function cmpGE32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = regs[i.rm] >>> 0;
  const r = (a - b) | 0;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function cmpEI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.rm;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a - b) | 0;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

function cmpGI32(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, d = i.reg;
  const a = regs[d] >>> 0, b = i.imm >>> 0;
  const r = (a - b) | 0;
  cpu.lop = LazyOp.SUB;
  cpu.lsize = 4;
  cpu.la = a;
  cpu.lb = b;
  cpu.lr = r >>> 0;
}

/** op → [EG, GE, EI, GI] register-only 32-bit handlers. */
const ALU32 = new Map<number, Handler[]>([
  [0, [addEG32, addGE32, addEI32, addGI32]],
  [1, [orEG32, orGE32, orEI32, orGI32]],
  [4, [andEG32, andGE32, andEI32, andGI32]],
  [5, [subEG32, subGE32, subEI32, subGI32]],
  [6, [xorEG32, xorGE32, xorEI32, xorGI32]],
  [7, [cmpEG32, cmpGE32, cmpEI32, cmpGI32]],
]);

/** Jcc rel (32-bit operand size): the lazy-flag fast paths of testCC inlined per condition. */
function jb(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop === LazyOp.SUB ? cpu.la < cpu.lb : testCC(cpu, 2)) cpu.eip = (i.next + i.imm) >>> 0;
}
function jae(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop === LazyOp.SUB ? cpu.la >= cpu.lb : testCC(cpu, 3)) cpu.eip = (i.next + i.imm) >>> 0;
}
function je(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop !== LazyOp.NONE ? cpu.lr === 0 : (cpu.flagsArith & ZF) !== 0) {
    cpu.eip = (i.next + i.imm) >>> 0;
  }
}
function jne(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop !== LazyOp.NONE ? cpu.lr !== 0 : (cpu.flagsArith & ZF) === 0) {
    cpu.eip = (i.next + i.imm) >>> 0;
  }
}
function jbe(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop === LazyOp.SUB ? cpu.la <= cpu.lb : testCC(cpu, 6)) cpu.eip = (i.next + i.imm) >>> 0;
}
function ja(cpu: Cpu, _m: M, i: Insn): void {
  if (cpu.lop === LazyOp.SUB ? cpu.la > cpu.lb : testCC(cpu, 7)) cpu.eip = (i.next + i.imm) >>> 0;
}
/** signed conditions: a 32-bit SUB compares the operands as int32 */
function jl(cpu: Cpu, _m: M, i: Insn): void {
  const sub = cpu.lop === LazyOp.SUB && cpu.lsize === 4;
  if (sub ? (cpu.la | 0) < (cpu.lb | 0) : testCC(cpu, 12)) cpu.eip = (i.next + i.imm) >>> 0;
}
function jge(cpu: Cpu, _m: M, i: Insn): void {
  const sub = cpu.lop === LazyOp.SUB && cpu.lsize === 4;
  if (sub ? (cpu.la | 0) >= (cpu.lb | 0) : testCC(cpu, 13)) cpu.eip = (i.next + i.imm) >>> 0;
}
function jle(cpu: Cpu, _m: M, i: Insn): void {
  const sub = cpu.lop === LazyOp.SUB && cpu.lsize === 4;
  if (sub ? (cpu.la | 0) <= (cpu.lb | 0) : testCC(cpu, 14)) cpu.eip = (i.next + i.imm) >>> 0;
}
function jg(cpu: Cpu, _m: M, i: Insn): void {
  const sub = cpu.lop === LazyOp.SUB && cpu.lsize === 4;
  if (sub ? (cpu.la | 0) > (cpu.lb | 0) : testCC(cpu, 15)) cpu.eip = (i.next + i.imm) >>> 0;
}
const JCC: (Handler | undefined)[] = [
  undefined,
  undefined,
  jb,
  jae,
  je,
  jne,
  jbe,
  ja,
  undefined,
  undefined,
  undefined,
  undefined,
  jl,
  jge,
  jle,
  jg,
];

/** lea r32, [base + index*s + disp] and lea r32, [base + disp] (32-bit address size). */
function leaBI(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs;
  regs[i.reg] = (i.disp + regs[i.base] + (regs[i.index] << i.scale)) | 0;
}
function leaB(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs;
  regs[i.reg] = (i.disp + regs[i.base]) | 0;
}

/** mov r32, [mem] and mov [mem], r32 through a flat DS/SS (no segment override). */
function movGE32M(cpu: Cpu, mem: M, i: Insn): void {
  cpu.regs[i.reg] = mem.read32(ea(cpu, i));
}
function movEG32M(cpu: Cpu, mem: M, i: Insn): void {
  mem.write32(ea(cpu, i), cpu.regs[i.reg]);
}
function movGE32R(cpu: Cpu, _m: M, i: Insn): void {
  cpu.regs[i.reg] = cpu.regs[i.rm];
}
function movEG32R(cpu: Cpu, _m: M, i: Insn): void {
  cpu.regs[i.rm] = cpu.regs[i.reg];
}

/** SF, ZF, PF of a 32-bit result (unsigned). */
function szp32(r: number): number {
  return (r >>> 31 ? SF : 0) | (r === 0 ? ZF : 0) | PARITY[r & 0xff];
}

/** shl/shr/sar of a 32-bit register by c in 1..31, with shiftCalc's flags. */
function shl32(cpu: Cpu, d: number, c: number): void {
  const regs = cpu.regs, a = regs[d] >>> 0;
  const r = (a << c) >>> 0, cf = (a >>> (32 - c)) & 1;
  regs[d] = r;
  cpu.lop = LazyOp.NONE;
  cpu.flagsArith = cf | szp32(r) | ((r >>> 31) ^ cf ? OF : 0) | AF;
}
function shr32(cpu: Cpu, d: number, c: number): void {
  const regs = cpu.regs, a = regs[d] >>> 0;
  const r = a >>> c, cf = (a >>> (c - 1)) & 1;
  regs[d] = r;
  cpu.lop = LazyOp.NONE;
  cpu.flagsArith = cf | szp32(r) | (c === 1 && a >>> 31 ? OF : 0) | AF;
}
function sar32(cpu: Cpu, d: number, c: number): void {
  const regs = cpu.regs, s = regs[d] | 0;
  const r = (s >> c) >>> 0, cf = (s >> (c - 1)) & 1;
  regs[d] = r;
  cpu.lop = LazyOp.NONE;
  cpu.flagsArith = cf | szp32(r) | AF;
}
function shlR1(cpu: Cpu, _m: M, i: Insn): void {
  shl32(cpu, i.rm, 1);
}
function shrR1(cpu: Cpu, _m: M, i: Insn): void {
  shr32(cpu, i.rm, 1);
}
function sarR1(cpu: Cpu, _m: M, i: Insn): void {
  sar32(cpu, i.rm, 1);
}
/** by imm8: specialize() only picks these when imm & 31 is not 0 */
function shlRI(cpu: Cpu, _m: M, i: Insn): void {
  shl32(cpu, i.rm, i.imm & 0x1f);
}
function shrRI(cpu: Cpu, _m: M, i: Insn): void {
  shr32(cpu, i.rm, i.imm & 0x1f);
}
function sarRI(cpu: Cpu, _m: M, i: Insn): void {
  sar32(cpu, i.rm, i.imm & 0x1f);
}
/** by CL: a zero count changes nothing */
function shlRCL(cpu: Cpu, _m: M, i: Insn): void {
  const c = cpu.regs[1] & 0x1f;
  if (c !== 0) shl32(cpu, i.rm, c);
}
function shrRCL(cpu: Cpu, _m: M, i: Insn): void {
  const c = cpu.regs[1] & 0x1f;
  if (c !== 0) shr32(cpu, i.rm, c);
}
function sarRCL(cpu: Cpu, _m: M, i: Insn): void {
  const c = cpu.regs[1] & 0x1f;
  if (c !== 0) sar32(cpu, i.rm, c);
}
/** group-2 sub → [by 1, by imm8, by CL] */
const SHIFT32 = new Map<number, Handler[]>([
  [4, [shlR1, shlRI, shlRCL]],
  [6, [shlR1, shlRI, shlRCL]],
  [5, [shrR1, shrRI, shrRCL]],
  [7, [sarR1, sarRI, sarRCL]],
]);

/**
 * imul r32, r/m32, imm: CF=OF when the product does not fit in int32 (the double product
 * is exact below 2^53 and far from any int32 above it). SF ZF AF PF are kept, as mulFlags does.
 */
function imulProduct(cpu: Cpu, d: number, a: number, b: number): void {
  const lo = Math.imul(a, b);
  cpu.regs[d] = lo;
  const f = materialize(cpu) & ~(CF | OF);
  cpu.lop = LazyOp.NONE;
  cpu.flagsArith = (a | 0) * (b | 0) !== lo ? f | CF | OF : f;
}
function imulGEIR(cpu: Cpu, _m: M, i: Insn): void {
  imulProduct(cpu, i.reg, cpu.regs[i.rm], i.imm);
}
function imulGEIM(cpu: Cpu, mem: M, i: Insn): void {
  imulProduct(cpu, i.reg, mem.read32(ea(cpu, i)), i.imm);
}

/** movzx r32, r/m8 */
function movzxBR(cpu: Cpu, _m: M, i: Insn): void {
  const regs = cpu.regs, r = i.rm;
  regs[i.reg] = r < 4 ? regs[r] & 0xff : (regs[r - 4] >> 8) & 0xff;
}
function movzxBM(cpu: Cpu, mem: M, i: Insn): void {
  cpu.regs[i.reg] = mem.read8(ea(cpu, i));
}

/** mov m8, imm8 and mov m32, imm32 */
function movMI8(cpu: Cpu, mem: M, i: Insn): void {
  mem.write8(ea(cpu, i), i.imm);
}
function movMI32(cpu: Cpu, mem: M, i: Insn): void {
  mem.write32(ea(cpu, i), i.imm);
}

/** Replaces `i.fn` with a specialized handler when the decoded shape has one. */
export function specialize(i: Insn): void {
  const fn = i.fn;
  if (fn === C.jcc) {
    if (!i.opsize16) i.fn = JCC[i.op & 0xf] ?? fn;
    return;
  }
  if (fn === A.movGE32) {
    i.fn = i.isMem ? movGE32M : movGE32R;
    return;
  }
  if (fn === A.movEG32) {
    i.fn = i.isMem ? movEG32M : movEG32R;
    return;
  }
  if (fn === A.movEI) {
    if (i.isMem && (i.size === 1 || i.size === 4)) i.fn = i.size === 1 ? movMI8 : movMI32;
    return;
  }
  if (i.size !== 4) return;
  if (fn === SH.shiftE) {
    const t = SHIFT32.get(i.sub);
    if (t === undefined || i.isMem) return;
    const o = i.op & 0xfe;
    if (o === 0xd0) i.fn = t[0];
    else if (o === 0xd2) i.fn = t[2];
    else if ((i.imm & 0x1f) !== 0) i.fn = t[1];
    return;
  }
  if (fn === MD.imulGEI) {
    i.fn = i.isMem ? imulGEIM : imulGEIR;
    return;
  }
  if (fn === A.movzxB) {
    i.fn = i.isMem ? movzxBM : movzxBR;
    return;
  }
  if (fn === A.lea) {
    if (i.asize === 4 && i.base >= 0) i.fn = i.index >= 0 ? leaBI : leaB;
    return;
  }
  if (i.isMem) return;
  const t = ALU32.get(i.sub);
  if (t === undefined) return;
  if (fn === A.aluEG) i.fn = t[0];
  else if (fn === A.aluGE) i.fn = t[1];
  else if (fn === A.aluEI) i.fn = t[2];
  else if (fn === A.aluGI) i.fn = t[3];
}

/** Generic handlers with a static target (`next + imm`): the block loop chains to it. */
export const STATIC_TARGET: ReadonlySet<Handler> = new Set<Handler>([
  C.jcc,
  C.jmpJ,
  C.callJ,
  C.loop,
  C.jecxz,
]);

/**
 * Generic handlers that end a decoded block: every handler that may write `cpu.eip` or set
 * `cpu.pending`. The block loop relies on no other handler doing either.
 */
export const ENDS_BLOCK: ReadonlySet<Handler> = new Set<Handler>([
  ...STATIC_TARGET,
  C.jmpE,
  C.callE,
  C.ret,
  C.int,
  C.int3,
  C.int1,
  C.into,
  rdtsc,
]);
