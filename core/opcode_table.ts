/** @module One declarative row per opcode: the single source for the decoder and the disassembler. */
import type { Handler } from "./decode.ts";
import * as A from "./ops/alu.ts";
import * as B from "./ops/bit.ts";
import * as C from "./ops/control.ts";
import * as M from "./ops/muldiv.ts";
import * as Sh from "./ops/shift.ts";
import * as St from "./ops/stack.ts";
import * as Str from "./ops/string.ts";
import * as Sy from "./ops/system.ts";
import { addSimdRows } from "./opcode_table_simd.ts";
import { addX87Rows } from "./opcode_table_x87.ts";

/**
 * An operand as written in the SDM opcode maps:
 * E (r/m), G (ModRM.reg), S (sreg in ModRM.reg), M (memory-only r/m), I (immediate), J (relative),
 * O (moffs), A (far pointer), Z (register in the opcode's low bits), acc (al/ax/eax),
 * X/Y (ds:esi / es:edi string operands), fixed (cl, dx, 1, a segment register).
 * MMX/SSE: P (mm in ModRM.reg), Q (mm or memory), N (mm in ModRM.rm), V (xmm in ModRM.reg),
 * W (xmm or memory), U (xmm in ModRM.rm).
 * Sizes: b byte, w word, d dword, v/z operand size, q/p/a memory shapes, x 128 bits.
 */
export interface Operand {
  kind:
    | "E"
    | "G"
    | "S"
    | "C"
    | "D"
    | "M"
    | "I"
    | "J"
    | "O"
    | "A"
    | "Z"
    | "acc"
    | "X"
    | "Y"
    | "fixed"
    | "P"
    | "Q"
    | "N"
    | "V"
    | "W"
    | "U";
  size: string;
  signed: boolean;
  /** the spec text, e.g. "Ev", "Ibs", "CL" */
  text: string;
}

export interface Row {
  /** mnemonic; `mn16` when it differs under 0x66 (cwde/cbw) */
  mn: string;
  mn16: string;
  operands: Operand[];
  /** null: the encoding is undefined (#UD) */
  fn: Handler | null;
  /** faster handler used when the operand size is 32 */
  fn32: Handler | null;
  /** handler parameter: ALU op, group member, segment register … */
  sub: number;
  /** operand size in bytes, or 0 for the 0x66-dependent size */
  size: number;
  modrm: boolean;
  /** ModRM.reg-indexed members */
  group: (Row | undefined)[] | null;
  /** members used instead when ModRM.mod = 3 */
  group3: (Row | undefined)[] | null;
  /** SSE-style rows selected by the mandatory prefix: [none, 66, F3, F2] */
  sse: (Row | undefined)[] | null;
  /** LOCK allowed (with a memory destination) */
  lock: boolean;
  memOnly: boolean;
  regOnly: boolean;
}

interface RowOpts {
  sub?: number;
  lock?: boolean;
  size?: number;
  mn16?: string;
  fn32?: Handler;
  regOnly?: boolean;
  memOnly?: boolean;
}

const FIXED = new Set(["CL", "DX", "1", "ES", "CS", "SS", "DS", "FS", "GS"]);

function parseOperand(t: string): Operand {
  if (FIXED.has(t)) return { kind: "fixed", size: "", signed: false, text: t };
  if (t === "AL") return { kind: "acc", size: "b", signed: false, text: t };
  if (t === "AX") return { kind: "acc", size: "w", signed: false, text: t };
  if (t === "eAX") return { kind: "acc", size: "v", signed: false, text: t };
  const k = t[0];
  const size = t.slice(1).replace("s", "");
  const kinds: Record<string, Operand["kind"]> = {
    E: "E",
    G: "G",
    S: "S",
    C: "C",
    D: "D",
    M: "M",
    I: "I",
    J: "J",
    O: "O",
    A: "A",
    Z: "Z",
    X: "X",
    Y: "Y",
    P: "P",
    Q: "Q",
    N: "N",
    V: "V",
    W: "W",
    U: "U",
  };
  const kind = kinds[k];
  if (kind === undefined) throw new RangeError(`Bad operand spec ${t}`);
  return { kind, size, signed: t.endsWith("s"), text: t };
}

const SIZE_OF: Record<string, number> = { b: 1, w: 2, d: 4, v: 0, z: 0 };

/** Defines an opcode row from its mnemonic, SDM-style operand list and handler. */
export function row(mn: string, ops: string, fn: Handler | null, o: RowOpts = {}): Row {
  const operands = ops === "" ? [] : ops.split(",").map(parseOperand);
  let size = o.size ?? -1;
  if (size < 0) {
    size = 0;
    for (const op of operands) {
      if (op.kind === "fixed" || op.kind === "M" || op.kind === "J") continue;
      const s = SIZE_OF[op.size];
      if (s !== undefined) {
        size = s;
        break;
      }
    }
  }
  return {
    mn,
    mn16: o.mn16 ?? mn,
    operands,
    fn,
    fn32: o.fn32 ?? null,
    sub: o.sub ?? 0,
    size,
    modrm: operands.some((x) => "EGSCDMPQNVWU".includes(x.kind)),
    group: null,
    group3: null,
    sse: null,
    lock: o.lock ?? false,
    memOnly: o.memOnly ?? operands.some((x) => x.kind === "M"),
    regOnly: o.regOnly ?? operands.some((x) => x.kind === "N" || x.kind === "U"),
  };
}

/** A row whose meaning depends on the mandatory prefix: none, 66, F3, F2. */
export function sse(
  none: Row | undefined,
  p66?: Row,
  f3?: Row,
  f2?: Row,
): Row {
  const r = row("(sse)", "", null);
  r.modrm = false;
  r.sse = [none, p66, f3, f2];
  return r;
}

/** A ModRM.reg-selected group; `ops` applies to members that give none. */
export function grp(members: (Row | undefined)[], group3: (Row | undefined)[] | null = null): Row {
  const r = row("(grp)", "", null);
  r.modrm = true;
  r.group = members;
  r.group3 = group3;
  return r;
}

const ALU_MN = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];
const CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const SHIFT_MN = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"];
const SREG = ["ES", "CS", "SS", "DS", "FS", "GS"];

const P = C.privileged;

/** The one-byte opcode map. */
export const ONE_BYTE: (Row | undefined)[] = new Array(256);
/** The 0F two-byte opcode map. */
export const TWO_BYTE: (Row | undefined)[] = new Array(256);

const T1 = ONE_BYTE, T2 = TWO_BYTE;

for (let op = 0; op < 8; op++) {
  const mn = ALU_MN[op], b = op << 3, lock = op !== 7;
  T1[b] = row(mn, "Eb,Gb", A.aluEG, { sub: op, lock });
  T1[b + 1] = row(mn, "Ev,Gv", A.aluEG, { sub: op, lock });
  T1[b + 2] = row(mn, "Gb,Eb", A.aluGE, { sub: op });
  T1[b + 3] = row(mn, "Gv,Ev", A.aluGE, { sub: op });
  T1[b + 4] = row(mn, "AL,Ib", A.aluGI, { sub: op });
  T1[b + 5] = row(mn, "eAX,Iz", A.aluGI, { sub: op });
}
T1[0x06] = row("push", "ES", St.pushS, { sub: 0, size: 0 });
T1[0x07] = row("pop", "ES", St.popS, { sub: 0, size: 0 });
T1[0x0e] = row("push", "CS", St.pushS, { sub: 1, size: 0 });
T1[0x16] = row("push", "SS", St.pushS, { sub: 2, size: 0 });
T1[0x17] = row("pop", "SS", St.popS, { sub: 2, size: 0 });
T1[0x1e] = row("push", "DS", St.pushS, { sub: 3, size: 0 });
T1[0x1f] = row("pop", "DS", St.popS, { sub: 3, size: 0 });
T1[0x27] = row("daa", "", A.daa);
T1[0x2f] = row("das", "", A.das);
T1[0x37] = row("aaa", "", A.aaa);
T1[0x3f] = row("aas", "", A.aas);
for (let r = 0; r < 8; r++) {
  T1[0x40 + r] = row("inc", "Zv", A.incZ);
  T1[0x48 + r] = row("dec", "Zv", A.decZ);
  T1[0x50 + r] = row("push", "Zv", St.pushZ);
  T1[0x58 + r] = row("pop", "Zv", St.popZ);
  T1[0xb0 + r] = row("mov", "Zb,Ib", A.movGI);
  T1[0xb8 + r] = row("mov", "Zv,Iz", A.movGI);
  if (r > 0) T1[0x90 + r] = row("xchg", "Zv,eAX", A.xchgZ);
}
T1[0x60] = row("pushad", "", St.pusha, { mn16: "pushaw" });
T1[0x61] = row("popad", "", St.popa, { mn16: "popaw" });
T1[0x62] = row("bound", "Gv,Ma", C.bound);
T1[0x63] = row("arpl", "Ew,Gw", A.arpl);
T1[0x68] = row("push", "Iz", St.pushI);
T1[0x69] = row("imul", "Gv,Ev,Iz", M.imulGEI);
T1[0x6a] = row("push", "Ibs", St.pushI, { size: 0 });
T1[0x6b] = row("imul", "Gv,Ev,Ibs", M.imulGEI);
T1[0x6c] = row("insb", "", P);
T1[0x6d] = row("insd", "", P, { mn16: "insw" });
T1[0x6e] = row("outsb", "", P);
T1[0x6f] = row("outsd", "", P, { mn16: "outsw" });
for (let cc = 0; cc < 16; cc++) {
  T1[0x70 + cc] = row("j" + CC[cc], "Jb", C.jcc);
  T2[0x80 + cc] = row("j" + CC[cc], "Jz", C.jcc);
  T2[0x40 + cc] = row("cmov" + CC[cc], "Gv,Ev", B.cmov);
  T2[0x90 + cc] = row("set" + CC[cc], "Eb", B.setcc);
}
const aluGroup = (ops: string) =>
  grp(ALU_MN.map((mn, op) => row(mn, ops, A.aluEI, { sub: op, lock: op !== 7 })));
T1[0x80] = aluGroup("Eb,Ib");
T1[0x81] = aluGroup("Ev,Iz");
T1[0x82] = aluGroup("Eb,Ib");
T1[0x83] = aluGroup("Ev,Ibs");
T1[0x84] = row("test", "Eb,Gb", A.testEG);
T1[0x85] = row("test", "Ev,Gv", A.testEG);
T1[0x86] = row("xchg", "Eb,Gb", A.xchgEG, { lock: true });
T1[0x87] = row("xchg", "Ev,Gv", A.xchgEG, { lock: true });
T1[0x88] = row("mov", "Eb,Gb", A.movEG);
T1[0x89] = row("mov", "Ev,Gv", A.movEG, { fn32: A.movEG32 });
T1[0x8a] = row("mov", "Gb,Eb", A.movGE);
T1[0x8b] = row("mov", "Gv,Ev", A.movGE, { fn32: A.movGE32 });
T1[0x8c] = row("mov", "Ev,Sw", Sy.movES);
T1[0x8d] = row("lea", "Gv,M", A.lea);
T1[0x8e] = row("mov", "Sw,Ew", Sy.movSE);
T1[0x8f] = grp([row("pop", "Ev", St.popE)]);
T1[0x90] = row("nop", "", Sy.nop);
T1[0x98] = row("cwde", "", A.cbw, { mn16: "cbw" });
T1[0x99] = row("cdq", "", A.cwd, { mn16: "cwd" });
T1[0x9a] = row("call", "Ap", P);
T1[0x9b] = row("fwait", "", Sy.nop);
T1[0x9c] = row("pushfd", "", St.pushf, { mn16: "pushfw" });
T1[0x9d] = row("popfd", "", St.popf, { mn16: "popfw" });
T1[0x9e] = row("sahf", "", A.sahf);
T1[0x9f] = row("lahf", "", A.lahf);
T1[0xa0] = row("mov", "AL,Ob", A.movGE);
T1[0xa1] = row("mov", "eAX,Ov", A.movGE);
T1[0xa2] = row("mov", "Ob,AL", A.movEG);
T1[0xa3] = row("mov", "Ov,eAX", A.movEG);
T1[0xa4] = row("movs", "Yb,Xb", Str.movs);
T1[0xa5] = row("movs", "Yv,Xv", Str.movs);
T1[0xa6] = row("cmps", "Xb,Yb", Str.cmps);
T1[0xa7] = row("cmps", "Xv,Yv", Str.cmps);
T1[0xa8] = row("test", "AL,Ib", A.testGI);
T1[0xa9] = row("test", "eAX,Iz", A.testGI);
T1[0xaa] = row("stos", "Yb,AL", Str.stos);
T1[0xab] = row("stos", "Yv,eAX", Str.stos);
T1[0xac] = row("lods", "AL,Xb", Str.lods);
T1[0xad] = row("lods", "eAX,Xv", Str.lods);
T1[0xae] = row("scas", "AL,Yb", Str.scas);
T1[0xaf] = row("scas", "eAX,Yv", Str.scas);
const shiftGroup = (ops: string) =>
  grp(SHIFT_MN.map((mn, op) => row(mn, ops, Sh.shiftE, { sub: op })));
T1[0xc0] = shiftGroup("Eb,Ib");
T1[0xc1] = shiftGroup("Ev,Ib");
T1[0xc2] = row("ret", "Iw", C.ret, { size: 0 });
T1[0xc3] = row("ret", "", C.ret);
T1[0xc4] = row("les", "Gv,Mp", Sy.loadFar, { sub: 0 });
T1[0xc5] = row("lds", "Gv,Mp", Sy.loadFar, { sub: 3 });
T1[0xc6] = grp([row("mov", "Eb,Ib", A.movEI)]);
T1[0xc7] = grp([row("mov", "Ev,Iz", A.movEI)]);
T1[0xc8] = row("enter", "Iw,Ib", St.enter, { size: 0 });
T1[0xc9] = row("leave", "", St.leave);
T1[0xca] = row("retf", "Iw", P, { size: 0 });
T1[0xcb] = row("retf", "", P);
T1[0xcc] = row("int3", "", C.int3);
T1[0xcd] = row("int", "Ib", C.int);
T1[0xce] = row("into", "", C.into);
T1[0xcf] = row("iretd", "", P, { mn16: "iretw" });
T1[0xd0] = shiftGroup("Eb,1");
T1[0xd1] = shiftGroup("Ev,1");
T1[0xd2] = shiftGroup("Eb,CL");
T1[0xd3] = shiftGroup("Ev,CL");
T1[0xd4] = row("aam", "Ib", A.aam);
T1[0xd5] = row("aad", "Ib", A.aad);
T1[0xd7] = row("xlat", "", xlat);
T1[0xe0] = row("loopne", "Jb", C.loop);
T1[0xe1] = row("loope", "Jb", C.loop);
T1[0xe2] = row("loop", "Jb", C.loop);
T1[0xe3] = row("jecxz", "Jb", C.jecxz);
T1[0xe4] = row("in", "AL,Ib", P);
T1[0xe5] = row("in", "eAX,Ib", P);
T1[0xe6] = row("out", "Ib,AL", P);
T1[0xe7] = row("out", "Ib,eAX", P);
T1[0xe8] = row("call", "Jz", C.callJ);
T1[0xe9] = row("jmp", "Jz", C.jmpJ);
T1[0xea] = row("jmp", "Ap", P);
T1[0xeb] = row("jmp", "Jb", C.jmpJ);
T1[0xec] = row("in", "AL,DX", P);
T1[0xed] = row("in", "eAX,DX", P);
T1[0xee] = row("out", "DX,AL", P);
T1[0xef] = row("out", "DX,eAX", P);
T1[0xf1] = row("int1", "", C.int1);
T1[0xf4] = row("hlt", "", P);
T1[0xf5] = row("cmc", "", A.cmc);
const grp3 = (s: string) =>
  grp([
    row("test", `E${s},I${s === "v" ? "z" : s}`, A.testEI),
    row("test", `E${s},I${s === "v" ? "z" : s}`, A.testEI),
    row("not", `E${s}`, A.notE, { lock: true }),
    row("neg", `E${s}`, A.negE, { lock: true }),
    row("mul", `E${s}`, M.mulE),
    row("imul", `E${s}`, M.imul1E),
    row("div", `E${s}`, M.divE),
    row("idiv", `E${s}`, M.idivE),
  ]);
T1[0xf6] = grp3("b");
T1[0xf7] = grp3("v");
T1[0xf8] = row("clc", "", A.clc);
T1[0xf9] = row("stc", "", A.stc);
T1[0xfa] = row("cli", "", P);
T1[0xfb] = row("sti", "", P);
T1[0xfc] = row("cld", "", A.cld);
T1[0xfd] = row("std", "", A.std);
T1[0xfe] = grp([
  row("inc", "Eb", A.incE, { lock: true }),
  row("dec", "Eb", A.decE, { lock: true }),
]);
T1[0xff] = grp([
  row("inc", "Ev", A.incE, { lock: true }),
  row("dec", "Ev", A.decE, { lock: true }),
  row("call", "Ev", C.callE),
  row("call far", "Mp", P),
  row("jmp", "Ev", C.jmpE),
  row("jmp far", "Mp", P),
  row("push", "Ev", St.pushE),
]);

// ---- 0F map ----
T2[0x00] = grp([
  row("sldt", "Ew", P),
  row("str", "Ew", P),
  row("lldt", "Ew", P),
  row("ltr", "Ew", P),
  row("verr", "Ew", P),
  row("verw", "Ew", P),
]);
T2[0x01] = grp([
  row("sgdt", "M", P),
  row("sidt", "M", P),
  row("lgdt", "M", P),
  row("lidt", "M", P),
  row("smsw", "Ew", P),
  undefined,
  row("lmsw", "Ew", P),
  row("invlpg", "M", P),
], [
  undefined,
  undefined,
  undefined,
  undefined,
  row("smsw", "Ew", P),
  undefined,
  row("lmsw", "Ew", P),
]);
T2[0x06] = row("clts", "", P);
T2[0x08] = row("invd", "", P);
T2[0x09] = row("wbinvd", "", P);
T2[0x0b] = row("ud2", "", null);
T2[0x0d] = row("prefetch", "Mb", Sy.nop); // AMD PREFETCH/PREFETCHW; #UD with a register
for (let k = 0x18; k <= 0x1f; k++) T2[k] = row("nop", "Ev", Sy.nop);
T2[0x20] = row("mov", "Ed,Cd", P);
T2[0x21] = row("mov", "Ed,Dd", P);
T2[0x22] = row("mov", "Cd,Ed", P);
T2[0x23] = row("mov", "Dd,Ed", P);
T2[0x30] = row("wrmsr", "", P);
T2[0x31] = row("rdtsc", "", Sy.rdtsc);
T2[0x32] = row("rdmsr", "", P);
T2[0x33] = row("rdpmc", "", P);
T2[0x34] = row("sysenter", "", P);
T2[0x35] = row("sysexit", "", P);
T2[0xa0] = row("push", "FS", St.pushS, { sub: 4, size: 0 });
T2[0xa1] = row("pop", "FS", St.popS, { sub: 4, size: 0 });
T2[0xa2] = row("cpuid", "", Sy.cpuid);
T2[0xa3] = row("bt", "Ev,Gv", B.btEG, { sub: 0 });
T2[0xa4] = row("shld", "Ev,Gv,Ib", Sh.shiftDouble);
T2[0xa5] = row("shld", "Ev,Gv,CL", Sh.shiftDouble);
T2[0xa8] = row("push", "GS", St.pushS, { sub: 5, size: 0 });
T2[0xa9] = row("pop", "GS", St.popS, { sub: 5, size: 0 });
T2[0xab] = row("bts", "Ev,Gv", B.btEG, { sub: 1, lock: true });
T2[0xac] = row("shrd", "Ev,Gv,Ib", Sh.shiftDouble);
T2[0xad] = row("shrd", "Ev,Gv,CL", Sh.shiftDouble);
T2[0xaf] = row("imul", "Gv,Ev", M.imulGE);
T2[0xb0] = row("cmpxchg", "Eb,Gb", A.cmpxchg, { lock: true });
T2[0xb1] = row("cmpxchg", "Ev,Gv", A.cmpxchg, { lock: true });
T2[0xb2] = row("lss", "Gv,Mp", Sy.loadFar, { sub: 2 });
T2[0xb3] = row("btr", "Ev,Gv", B.btEG, { sub: 2, lock: true });
T2[0xb4] = row("lfs", "Gv,Mp", Sy.loadFar, { sub: 4 });
T2[0xb5] = row("lgs", "Gv,Mp", Sy.loadFar, { sub: 5 });
T2[0xb6] = row("movzx", "Gv,Eb", A.movzxB);
T2[0xb7] = row("movzx", "Gv,Ew", A.movzxW);
T2[0xb9] = row("ud1", "Gv,Ev", null);
T2[0xba] = grp([
  undefined,
  undefined,
  undefined,
  undefined,
  row("bt", "Ev,Ib", B.btEI, { sub: 0 }),
  row("bts", "Ev,Ib", B.btEI, { sub: 1, lock: true }),
  row("btr", "Ev,Ib", B.btEI, { sub: 2, lock: true }),
  row("btc", "Ev,Ib", B.btEI, { sub: 3, lock: true }),
]);
T2[0xbb] = row("btc", "Ev,Gv", B.btEG, { sub: 3, lock: true });
T2[0xbc] = row("bsf", "Gv,Ev", B.bsf);
T2[0xbd] = row("bsr", "Gv,Ev", B.bsr);
T2[0xbe] = row("movsx", "Gv,Eb", A.movsxB);
T2[0xbf] = row("movsx", "Gv,Ew", A.movsxW);
T2[0xc0] = row("xadd", "Eb,Gb", A.xadd, { lock: true });
T2[0xc1] = row("xadd", "Ev,Gv", A.xadd, { lock: true });
T2[0xc7] = grp([undefined, row("cmpxchg8b", "Mq", A.cmpxchg8b, { lock: true })]);
for (let r = 0; r < 8; r++) T2[0xc8 + r] = row("bswap", "Zv", A.bswap);

addSimdRows(T2);
addX87Rows(T1);

/** xlat: al = [ds:ebx + al] */
function xlat(
  cpu: import("./cpu.ts").Cpu,
  mem: import("./memory.ts").Memory,
  i: import("./decode.ts").Insn,
) {
  const r = cpu.regs;
  const off = i.asize === 4 ? r[3] + (r[0] & 0xff) : (r[3] + (r[0] & 0xff)) & 0xffff;
  r[0] = (r[0] & ~0xff) | mem.read8(off + cpu.segBase[i.seg]);
}

export { CC, SREG };
