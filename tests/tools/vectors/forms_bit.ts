/** @module Forms for bt/bts/btr/btc (register, immediate and memory bit offsets), bsf/bsr, bswap. */
import { mr } from "./build.ts";
import { AF, CF, type Form, FULL_MASK, type G, OF, PF, SF } from "./lib.ts";

const BT_MASK = FULL_MASK & ~(OF | SF | AF | PF);
const BS_MASK = FULL_MASK & ~(CF | OF | SF | AF | PF);
const BT_OPS = [["bt", 0xa3, 4], ["bts", 0xab, 5], ["btr", 0xb3, 6], ["btc", 0xbb, 7]] as const;

/** bt* m, r with a bit offset reaching below and above the addressed operand. */
function btMem(name: string, op: number, bits: 16 | 32): Form {
  const bytes = bits / 8;
  const baseOff = 32 - bytes;
  return {
    family: "bit",
    name: `${name} r/m${bits}, r${bits} (mem, any offset)`,
    n: 40,
    gen(g: G) {
      const off = g.reg();
      const m = g.mem(bytes, [off], baseOff);
      const kmin = -Math.floor(baseOff / bytes), kmax = Math.floor((64 - bytes - baseOff) / bytes);
      const k = g.rng.range(kmin, kmax);
      g.setReg(off, bits, k * bits + g.rng.int(bits));
      return {
        code: [...(bits === 16 ? [0x66] : []), 0x0f, op, ...m.enc(off)],
        mask: BT_MASK,
      };
    },
  };
}

export function bitForms(): Form[] {
  const fam = "bit";
  const out: Form[] = [];
  for (const [name, op, digit] of BT_OPS) {
    for (const bits of [16, 32] as const) {
      const pre = bits === 16 ? [0x66] : [];
      out.push(
        mr({
          family: fam,
          name: `${name} r/m${bits}, r${bits} (reg)`,
          op: [...pre, 0x0f, op],
          regBits: bits,
          rmBits: bits,
          mem: false,
          mask: BT_MASK,
        }),
        btMem(name, op, bits),
        mr({
          family: fam,
          name: `${name} r/m${bits}, imm8 (reg)`,
          op: [...pre, 0x0f, 0xba],
          digit,
          rmBits: bits,
          mem: false,
          immBytes: 1,
          immVal: (g) => g.rng.int(256),
          mask: BT_MASK,
        }),
      );
    }
    out.push(mr({
      family: fam,
      name: `${name} r/m32, imm8 (mem)`,
      op: [0x0f, 0xba],
      digit,
      rmBits: 32,
      mem: true,
      immBytes: 1,
      immVal: (g) => g.rng.int(256),
      mask: BT_MASK,
    }));
  }
  // bsf/bsr: a zero source leaves the destination unchanged on real CPUs (Intel says undefined)
  const srcVal = (g: G, bits: number) =>
    g.rng.chance(0.15) ? 0 : g.rng.chance(0.5) ? g.val(bits) : 1 << g.rng.int(bits);
  for (const [name, op] of [["bsf", 0xbc], ["bsr", 0xbd]] as const) {
    for (const [bits, mem] of [[32, false], [32, true], [16, false]] as const) {
      out.push(mr({
        family: fam,
        name: `${name} r${bits}, r/m${bits} (${mem ? "mem" : "reg"})`,
        op: [...(bits === 16 ? [0x66] : []), 0x0f, op],
        regBits: bits,
        rmBits: bits,
        mem,
        dir: "reg",
        setup: (g, ops) => {
          if (ops.src) g.write(ops.src, srcVal(g, bits));
        },
        mask: BS_MASK,
      }));
    }
  }
  out.push({
    family: fam,
    name: "bswap r32",
    n: 24,
    gen(g) {
      return { code: [0x0f, 0xc8 + g.rng.int(8)] };
    },
  });
  return out;
}
