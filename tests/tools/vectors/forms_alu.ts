/** @module Forms for the ALU family (add or adc sbb and sub xor cmp) and inc/dec/neg/not/test. */
import { mr, type Ops, type Ref } from "./build.ts";
import {
  AF,
  CF,
  type Form,
  FULL_MASK,
  G,
  imm,
  maskOf,
  OF,
  R16,
  R32,
  R8,
  type State,
  szp,
} from "./lib.ts";

const ALU_OPS = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"] as const;
const LOGIC = new Set(["or", "and", "xor", "test"]);

function sext(v: number, from: number, to: number): number {
  if (from >= to) return v;
  const s = v & (1 << (from - 1)) ? v - 2 ** from : v;
  return (s & maskOf(to)) >>> 0;
}

/** JS model of the ALU ops, for self-checking the native pipeline. */
export function aluModel(op: string, a: number, b: number, cfIn: number, bits: number): Ref {
  const m = maskOf(bits);
  const sign = 2 ** (bits - 1);
  let r: number, cf: number, of: number;
  switch (op) {
    case "add":
    case "adc": {
      const c = op === "adc" ? cfIn : 0;
      const full = a + b + c;
      r = full % (m + 1);
      cf = full > m ? CF : 0;
      of = ((a ^ r) & (b ^ r) & sign) !== 0 ? OF : 0;
      break;
    }
    case "sub":
    case "sbb":
    case "cmp": {
      const c = op === "sbb" ? cfIn : 0;
      const full = a - b - c;
      r = (full + m + 1) % (m + 1);
      cf = full < 0 ? CF : 0;
      of = ((a ^ b) & (a ^ r) & sign) !== 0 ? OF : 0;
      break;
    }
    default:
      r = (op === "or" ? a | b : op === "xor" ? a ^ b : a & b) >>> 0;
      r = (r & m) >>> 0;
      cf = 0;
      of = 0;
  }
  const af = LOGIC.has(op) ? 0 : (a ^ b ^ r) & AF;
  const f = cf | of | af | szp(r, bits);
  return { r: op === "cmp" || op === "test" ? a : r, f };
}

function aluRef(op: string) {
  return (a: number, b: number, init: State, ops: Ops): Ref => {
    const bits = ops.dst.bits;
    const bb = ops.src ? sext(b, ops.src.bits, bits) : b;
    return aluModel(op, a, bb, init.eflags & CF, bits);
  };
}

const REGN: Record<number, readonly string[]> = { 8: R8, 16: R16, 32: R32 };
const ACC: Record<number, string> = { 8: "al", 16: "ax", 32: "eax" };

/** Accumulator-immediate forms (04/05/0C/...): no ModRM. */
function accForm(
  family: string,
  name: string,
  op: number[],
  bits: number,
  mask: number,
  refOp: string,
): Form {
  return {
    family,
    name,
    n: 32,
    gen(g: G) {
      g.setReg(0, bits, g.val(bits));
      const v = g.val(bits);
      const dst = { kind: "reg", reg: 0, bits } as const;
      return {
        code: [...op, ...imm(v, bits / 8)],
        mask,
        check: (init: State, fin: State) => {
          const want = aluModel(refOp, G.read(init, dst), v, init.eflags & CF, bits);
          if (G.read(fin, dst) !== want.r) return "accumulator result differs from model";
          if (((fin.eflags ^ want.f!) & mask & 0x8d5) !== 0) return "accumulator flags differ";
          return undefined;
        },
      };
    },
  };
}

export function aluForms(): Form[] {
  const out: Form[] = [];
  const fam = "alu";
  ALU_OPS.forEach((op, k) => {
    const base = k * 8;
    const mask = LOGIC.has(op) ? FULL_MASK & ~AF : FULL_MASK;
    const ref = aluRef(op);
    const c = { family: fam, mask, ref };
    for (const mem of [false, true]) {
      const t = mem ? "mem" : "reg";
      out.push(
        mr({ ...c, name: `${op} r/m8, r8 (${t})`, op: [base], regBits: 8, rmBits: 8, mem }),
        mr({
          ...c,
          name: `${op} r/m16, r16 (${t})`,
          op: [0x66, base + 1],
          regBits: 16,
          rmBits: 16,
          mem,
        }),
        mr({ ...c, name: `${op} r/m32, r32 (${t})`, op: [base + 1], regBits: 32, rmBits: 32, mem }),
        mr({
          ...c,
          name: `${op} r8, r/m8 (${t})`,
          op: [base + 2],
          regBits: 8,
          rmBits: 8,
          mem,
          dir: "reg",
        }),
        mr({
          ...c,
          name: `${op} r32, r/m32 (${t})`,
          op: [base + 3],
          regBits: 32,
          rmBits: 32,
          mem,
          dir: "reg",
        }),
        mr({
          ...c,
          name: `${op} r/m8, imm8 (${t})`,
          op: [0x80],
          digit: k,
          rmBits: 8,
          mem,
          immBytes: 1,
        }),
        mr({
          ...c,
          name: `${op} r/m32, imm32 (${t})`,
          op: [0x81],
          digit: k,
          rmBits: 32,
          mem,
          immBytes: 4,
        }),
        mr({
          ...c,
          name: `${op} r/m32, imm8 (${t})`,
          op: [0x83],
          digit: k,
          rmBits: 32,
          mem,
          immBytes: 1,
        }),
      );
    }
    out.push(
      mr({
        ...c,
        name: `${op} r16, r/m16 (mem)`,
        op: [0x66, base + 3],
        regBits: 16,
        rmBits: 16,
        mem: true,
        dir: "reg",
      }),
      mr({
        ...c,
        name: `${op} r/m16, imm16 (reg)`,
        op: [0x66, 0x81],
        digit: k,
        rmBits: 16,
        mem: false,
        immBytes: 2,
      }),
      mr({
        ...c,
        name: `${op} r/m16, imm8 (mem)`,
        op: [0x66, 0x83],
        digit: k,
        rmBits: 16,
        mem: true,
        immBytes: 1,
      }),
      accForm(fam, `${op} al, imm8`, [base + 4], 8, mask, op),
      accForm(fam, `${op} ax, imm16`, [0x66, base + 5], 16, mask, op),
      accForm(fam, `${op} eax, imm32`, [base + 5], 32, mask, op),
    );
  });
  return out;
}

function incDecModel(op: string, a: number, bits: number, cfIn: number): Ref {
  const r = aluModel(op === "inc" ? "add" : "sub", a, 1, 0, bits);
  return { r: r.r, f: (r.f! & ~CF) | cfIn };
}

export function unaryForms(): Form[] {
  const fam = "unary";
  const out: Form[] = [];
  const sizes = [
    [8, [0xfe], [0xf6]],
    [16, [0x66, 0xff], [0x66, 0xf7]],
    [32, [0xff], [0xf7]],
  ] as const;
  for (const [bits, incOp, grp3] of sizes) {
    for (const mem of [false, true]) {
      const t = mem ? "mem" : "reg";
      const rmBits = bits as 8 | 16 | 32;
      for (const [d, op] of [[0, "inc"], [1, "dec"]] as const) {
        out.push(mr({
          family: fam,
          name: `${op} r/m${bits} (${t})`,
          op: [...incOp],
          digit: d,
          rmBits,
          mem,
          ref: (a, _b, init) => incDecModel(op, a, bits, init.eflags & CF),
        }));
      }
      out.push(
        mr({
          family: fam,
          name: `not r/m${bits} (${t})`,
          op: [...grp3],
          digit: 2,
          rmBits,
          mem,
          ref: (a, _b, init) => ({ r: ~a >>> 0, f: init.eflags }),
        }),
        mr({
          family: fam,
          name: `neg r/m${bits} (${t})`,
          op: [...grp3],
          digit: 3,
          rmBits,
          mem,
          ref: (a) => aluModel("sub", 0, a, 0, bits),
        }),
        mr({
          family: fam,
          name: `test r/m${bits}, imm${bits} (${t})`,
          op: [...grp3],
          digit: 0,
          rmBits,
          mem,
          immBytes: (bits / 8) as 1 | 2 | 4,
          mask: FULL_MASK & ~AF,
          ref: (a, b) => aluModel("test", a, b, 0, bits),
        }),
        mr({
          family: fam,
          name: `test r/m${bits}, r${bits} (${t})`,
          op: bits === 8 ? [0x84] : bits === 16 ? [0x66, 0x85] : [0x85],
          regBits: rmBits,
          rmBits,
          mem,
          mask: FULL_MASK & ~AF,
          ref: (a, b) => aluModel("test", a, b, 0, bits),
        }),
      );
    }
    out.push(accForm(
      fam,
      `test ${ACC[bits]}, imm${bits}`,
      bits === 8 ? [0xa8] : bits === 16 ? [0x66, 0xa9] : [0xa9],
      bits,
      FULL_MASK & ~AF,
      "test",
    ));
  }
  // one-byte inc/dec r32 and r16 (40+r, 48+r)
  for (const [bits, pre] of [[32, []], [16, [0x66]]] as const) {
    for (const [base, op] of [[0x40, "inc"], [0x48, "dec"]] as const) {
      out.push({
        family: fam,
        name: `${op} r${bits} (${base.toString(16)}+r)`,
        n: 32,
        gen(g) {
          const r = g.reg();
          g.setReg(r, bits, g.val(bits));
          const loc = { kind: "reg", reg: r, bits } as const;
          return {
            code: [...pre, base + r],
            check: (init, fin) => {
              const want = incDecModel(op, G.read(init, loc), bits, init.eflags & CF);
              if (G.read(fin, loc) !== want.r) return `${REGN[bits][r]} differs from model`;
              if (((fin.eflags ^ want.f!) & 0x8d5) !== 0) return "flags differ from model";
              return undefined;
            },
          };
        },
      });
    }
  }
  return out;
}
