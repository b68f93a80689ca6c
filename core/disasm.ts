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
  10: "tbyte",
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

/** x87 memory operand sizes by opcode (D8..DF) then ModRM.reg; 0 prints no `ptr` (env/state). */
const X87_MEM_SIZE = [
  [4, 4, 4, 4, 4, 4, 4, 4],
  [4, 0, 4, 4, 0, 2, 0, 2],
  [4, 4, 4, 4, 4, 4, 4, 4],
  [4, 4, 4, 4, 0, 10, 0, 10],
  [8, 8, 8, 8, 8, 8, 8, 8],
  [8, 8, 8, 8, 0, 0, 0, 2],
  [2, 2, 2, 2, 2, 2, 2, 2],
  [2, 2, 2, 2, 10, 8, 10, 8],
];

/**
 * x87 register-form operands by opcode then ModRM.reg: `a` st(0), st(i); `b` st(i), st(0);
 * `c` st(i); `-` none.
 */
const X87_REG_OPS = [
  "aaccaaaa",
  "cc-c----",
  "aaaa----",
  "aaaa-aa-",
  "bbccbbbb",
  "cccccc--",
  "bbc-bbbb",
  "cccc-aa-",
];

/** x87 register forms named by ModRM.rm ("" is undefined): key `opcode/reg`. */
const X87_BY_RM: Record<string, readonly string[]> = {
  "d9/2": ["fnop"],
  "d9/4": ["fchs", "fabs", "", "", "ftst", "fxam"],
  "d9/5": ["fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"],
  "d9/6": ["f2xm1", "fyl2x", "fptan", "fpatan", "fxtract", "fprem1", "fdecstp", "fincstp"],
  "d9/7": ["fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale", "fsin", "fcos"],
  "da/5": ["", "fucompp"],
  "db/4": ["fneni", "fndisi", "fnclex", "fninit", "fnsetpm"],
  "de/3": ["", "fcompp"],
  "df/4": ["fnstsw ax"],
};

/** Aliases the table names by their operation; objdump prints `(bad)` for them. */
const X87_ALIAS: Record<string, string> = { "dc/2": "fcom2", "dc/3": "fcomp3" };

/** The 16-bit environment/state forms take a `w` suffix (fnsavew), as objdump prints them. */
const X87_O16 = new Set(["fldenv", "fnstenv", "frstor", "fnsave"]);

/** Intel text of a D8..DF instruction (`fadd st(0), st(3)`, `fild qword ptr [eax]`). */
function x87Text(i: Insn, mn: string): string {
  const k = i.op - 0xd8;
  if (i.isMem) {
    const m = X87_O16.has(mn) && i.opsize16 ? mn + "w" : mn;
    return m + " " + memText(i, X87_MEM_SIZE[k][i.reg]);
  }
  const key = i.op.toString(16) + "/" + i.reg;
  const byRm = X87_BY_RM[key];
  if (byRm !== undefined) return byRm[i.rm] || "(bad)";
  const name = X87_ALIAS[key] ?? mn;
  const sti = `st(${i.rm})`;
  switch (X87_REG_OPS[k][i.reg]) {
    case "a":
      return `${name} st(0), ${sti}`;
    case "b":
      return `${name} ${sti}, st(0)`;
    case "c":
      return `${name} ${sti}`;
    default:
      return name;
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
  if (i.op >= 0xd8 && i.op <= 0xdf) return { text: prefix + x87Text(i, mn), length: i.len };
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
