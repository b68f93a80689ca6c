/** @module Intel-syntax disassembly for diagnostics, tests and `dump`, driven by the opcode table. */
import { decode, Insn } from "./decode.ts";
import type { Memory } from "./memory.ts";
import type { Operand } from "./opcode_table.ts";

const REG32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"];
const REG16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"];
const REG8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"];
const SREG = ["es", "cs", "ss", "ds", "fs", "gs"];
const PTR: Record<number, string> = {
  1: "byte",
  2: "word",
  4: "dword",
  6: "fword",
  8: "qword",
  16: "xmmword",
};

const scratch = new Insn();

function hex(v: number): string {
  return "0x" + (v >>> 0).toString(16);
}

function regName(size: number, r: number): string {
  return size === 1 ? REG8[r] : size === 2 ? REG16[r] : REG32[r];
}

function opSize(o: Operand, i: Insn): number {
  switch (o.size) {
    case "b":
      return 1;
    case "w":
      return 2;
    case "d":
      return 4;
    case "q":
      return 8;
    case "x":
      return 16;
    case "p":
      return i.opsize16 ? 4 : 6;
    case "a":
      return i.opsize16 ? 4 : 8;
    case "v":
    case "z":
      return i.opsize16 ? 2 : 4;
    default:
      return 0;
  }
}

function memText(i: Insn, size: number): string {
  const regs = i.asize === 2 ? REG16 : REG32;
  const parts: string[] = [];
  if (i.base >= 0) parts.push(regs[i.base]);
  if (i.index >= 0) parts.push(regs[i.index] + (i.scale ? "*" + (1 << i.scale) : ""));
  let inner: string;
  const seg = i.segOverride >= 0 ? SREG[i.segOverride] + ":" : "";
  if (parts.length === 0) {
    inner = (seg || "ds:") + hex(i.asize === 2 ? i.disp & 0xffff : i.disp);
  } else {
    let s = parts.join("+");
    if (i.disp > 0) s += "+" + hex(i.disp);
    else if (i.disp < 0) s += "-" + hex(-i.disp);
    inner = seg + "[" + s + "]";
  }
  const ptr = PTR[size];
  return ptr === undefined ? inner : ptr + " ptr " + inner;
}

function operandText(o: Operand, i: Insn): string | null {
  const sz = opSize(o, i);
  switch (o.kind) {
    case "E":
      // mov r/m, sreg stores a word to memory but writes a whole register
      if (i.isMem && i.row!.operands.some((x) => x.kind === "S")) return memText(i, 2);
      return i.isMem ? memText(i, sz) : regName(sz, i.rm);
    case "M":
      return memText(i, sz);
    case "G":
      return regName(sz, i.reg);
    case "S":
      return SREG[i.reg] ?? "?s" + i.reg;
    case "C":
      return "cr" + i.reg;
    case "D":
      return "dr" + i.reg;
    case "Z":
      return regName(sz, i.op & 7);
    case "acc":
      return regName(sz, 0);
    case "I": {
      const first = i.row !== null && i.row.operands.filter((x) => x.kind === "I")[0] === o;
      const v = first ? i.imm : i.imm2;
      if (o.signed) return hex(v & (i.size === 2 ? 0xffff : i.size === 1 ? 0xff : 0xffffffff));
      return hex(sz === 1 ? v & 0xff : sz === 2 ? v & 0xffff : v);
    }
    case "J":
      return hex(i.opsize16 ? (i.next + i.imm) & 0xffff : i.next + i.imm);
    case "O":
      return memText(i, sz);
    case "A":
      return hex(i.imm2) + ":" + hex(i.imm);
    case "P":
      return "mm" + i.reg;
    case "N":
      return "mm" + i.rm;
    case "Q":
      return i.isMem ? memText(i, sz) : "mm" + i.rm;
    case "V":
      return "xmm" + i.reg;
    case "U":
      return "xmm" + i.rm;
    case "W":
      return i.isMem ? memText(i, sz) : "xmm" + i.rm;
    case "X":
    case "Y":
      return null;
    default:
      return o.text.toLowerCase();
  }
}

const STRING_OPS = new Set(["movs", "cmps", "stos", "lods", "scas"]);

/** Disassembles one instruction at addr. Never throws: unreadable or undefined bytes give `(bad)`. */
export function disassemble(mem: Memory, addr: number): { text: string; length: number } {
  let i: Insn;
  try {
    i = decode(mem, addr, scratch, false);
  } catch {
    return { text: "(bad)", length: 1 };
  }
  const row = i.row!;
  let mn = i.opsize16 ? row.mn16 : row.mn;
  if (mn === "(grp)") return { text: "(bad)", length: i.len };
  let prefix = i.lock ? "lock " : "";
  if (STRING_OPS.has(mn)) {
    mn += i.size === 1 ? "b" : i.size === 2 ? "w" : "d";
    if (i.rep === 1) {
      prefix += mn === "cmpsb" || mn.startsWith("cmps") || mn.startsWith("scas") ? "repe " : "rep ";
    } else if (i.rep === 2) prefix += "repne ";
    if (i.segOverride >= 0 && !mn.startsWith("stos") && !mn.startsWith("scas")) {
      prefix += SREG[i.segOverride] + " ";
    }
    return { text: prefix + mn, length: i.len };
  }
  if (i.op === 0x90 && i.rep === 1) return { text: "pause", length: i.len };
  const ops: string[] = [];
  for (const o of row.operands) {
    const t = operandText(o, i);
    if (t !== null) ops.push(t);
  }
  return { text: prefix + mn + (ops.length ? " " + ops.join(", ") : ""), length: i.len };
}
