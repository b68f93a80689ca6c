/** @module Forms for mul, imul (one, two and three operands), div and idiv (no #DE cases). */
import { mr, type Ops } from "./build.ts";
import { AF, ARITH, EAX, EDX, type Form, FULL_MASK, type G, PF, SF, ZF } from "./lib.ts";

const MUL_MASK = FULL_MASK & ~(SF | ZF | AF | PF);
const DIV_MASK = FULL_MASK & ~ARITH;

function signed(v: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

/** Picks a dividend and divisor whose quotient fits, so the division does not fault. */
function divOperands(g: G, bits: number, isSigned: boolean): [bigint, bigint] {
  const r = g.rng;
  let d = BigInt(g.val(bits));
  if (d === 0n) d = BigInt(r.range(1, 255));
  let q = BigInt(g.val(bits));
  if (!isSigned) {
    const rem = BigInt(r.int(Number(d < 0x100000n ? d : 0x100000n)));
    return [q * d + (rem < d ? rem : 0n), d];
  }
  const ds = signed(d, bits);
  q = signed(q, bits);
  const ad = ds < 0n ? -ds : ds;
  let rem = BigInt(r.int(Number(ad < 0x100000n ? ad : 0x100000n)));
  const prod = q * ds;
  if (prod < 0n || (prod === 0n && r.chance(0.5))) rem = -rem;
  const dividend = prod + rem;
  // truncating division must give back q; otherwise fall back to a zero remainder
  const ok = (dividend === 0n ? 0n : dividend / ds) === q;
  return [BigInt.asUintN(2 * bits, ok ? dividend : prod), BigInt.asUintN(bits, ds)];
}

function divSetup(bits: number, isSigned: boolean) {
  return (g: G, ops: Ops) => {
    const [dividend, divisor] = divOperands(g, bits, isSigned);
    g.write(ops.dst, Number(divisor));
    if (bits === 8) g.setReg(EAX, 16, Number(dividend));
    else {
      g.setReg(EAX, bits, Number(dividend & ((1n << BigInt(bits)) - 1n)));
      g.setReg(EDX, bits, Number(dividend >> BigInt(bits)));
    }
  };
}

export function muldivForms(): Form[] {
  const fam = "muldiv";
  const out: Form[] = [];
  const sizes = [[8, [0xf6]], [16, [0x66, 0xf7]], [32, [0xf7]]] as const;
  for (const [bits, op] of sizes) {
    const rmBits = bits as 8 | 16 | 32;
    for (const mem of [false, true]) {
      const t = mem ? "mem" : "reg";
      out.push(
        mr({
          family: fam,
          name: `mul r/m${bits} (${t})`,
          op: [...op],
          digit: 4,
          rmBits,
          mem,
          mask: MUL_MASK,
        }),
        mr({
          family: fam,
          name: `imul r/m${bits} (${t})`,
          op: [...op],
          digit: 5,
          rmBits,
          mem,
          mask: MUL_MASK,
        }),
      );
      for (const [name, digit, s] of [["div", 6, false], ["idiv", 7, true]] as const) {
        out.push(mr({
          family: fam,
          name: `${name} r/m${bits} (${t})`,
          op: [...op],
          digit,
          rmBits,
          mem,
          n: 40,
          avoid: [EAX, EDX],
          setup: divSetup(bits, s),
          mask: DIV_MASK,
        }));
      }
    }
  }
  const c = { family: fam, mask: MUL_MASK, dir: "reg" as const };
  out.push(
    mr({
      ...c,
      name: "imul r32, r/m32 (reg)",
      op: [0x0f, 0xaf],
      regBits: 32,
      rmBits: 32,
      mem: false,
    }),
    mr({
      ...c,
      name: "imul r32, r/m32 (mem)",
      op: [0x0f, 0xaf],
      regBits: 32,
      rmBits: 32,
      mem: true,
    }),
    mr({
      ...c,
      name: "imul r16, r/m16 (reg)",
      op: [0x66, 0x0f, 0xaf],
      regBits: 16,
      rmBits: 16,
      mem: false,
    }),
    mr({
      ...c,
      name: "imul r32, r/m32, imm8 (reg)",
      op: [0x6b],
      regBits: 32,
      rmBits: 32,
      mem: false,
      immBytes: 1,
    }),
    mr({
      ...c,
      name: "imul r32, r/m32, imm8 (mem)",
      op: [0x6b],
      regBits: 32,
      rmBits: 32,
      mem: true,
      immBytes: 1,
    }),
    mr({
      ...c,
      name: "imul r32, r/m32, imm32 (reg)",
      op: [0x69],
      regBits: 32,
      rmBits: 32,
      mem: false,
      immBytes: 4,
    }),
    mr({
      ...c,
      name: "imul r32, r/m32, imm32 (mem)",
      op: [0x69],
      regBits: 32,
      rmBits: 32,
      mem: true,
      immBytes: 4,
    }),
    mr({
      ...c,
      name: "imul r16, r/m16, imm8 (reg)",
      op: [0x66, 0x6b],
      regBits: 16,
      rmBits: 16,
      mem: false,
      immBytes: 1,
    }),
    mr({
      ...c,
      name: "imul r16, r/m16, imm16 (reg)",
      op: [0x66, 0x69],
      regBits: 16,
      rmBits: 16,
      mem: false,
      immBytes: 2,
    }),
  );
  return out;
}
