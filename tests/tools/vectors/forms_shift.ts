/** @module Forms for shifts and rotates (rol ror rcl rcr shl shr sar) and shld/shrd. */
import { mr } from "./build.ts";
import { AF, CF, ECX, type Form, FULL_MASK, type G, OF, type State } from "./lib.ts";

const OPS = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"] as const;

/** Flags the SDM leaves undefined for a shift/rotate by `count`. */
export function shiftMask(op: string, bits: number, count: number): number {
  const mc = count & 31;
  if (mc === 0) return FULL_MASK;
  let m = FULL_MASK;
  if (mc !== 1) m &= ~OF;
  if (op === "shl" || op === "shr" || op === "sal" || op === "sar") {
    m &= ~AF;
    if (op !== "sar" && mc >= bits) m &= ~CF;
  }
  return m;
}

function counts(bits: number): number[] {
  return [0, 1, 2, bits - 1, bits, bits + 1, 31, 32, 33, 0xff, 7, 8, 9, 15, 16, 17, 0x41];
}

function countGen(g: G, bits: number): number {
  return g.edge(counts(bits), () => (g.rng.chance(0.7) ? g.rng.int(bits + 2) : g.rng.int(256)));
}

export function shiftForms(): Form[] {
  const out: Form[] = [];
  const fam = "shift";
  const sizes = [
    [8, [], 0xd0, 0xd2, 0xc0],
    [16, [0x66], 0xd1, 0xd3, 0xc1],
    [32, [], 0xd1, 0xd3, 0xc1],
  ] as const;
  OPS.forEach((op, digit) => {
    for (const [bits, pre, one, cl, ib] of sizes) {
      const rmBits = bits as 8 | 16 | 32;
      for (const mem of op === "sal" ? [false] : [false, true]) {
        const t = mem ? "mem" : "reg";
        // memory forms for a subset keeps the file small: all counts, one width each
        const wantMem = (kind: string) =>
          !mem ||
          (kind === "cl" && bits === 32) || (kind === "imm8" && bits === 8) ||
          (kind === "1" && bits === 16);
        if (wantMem("1")) {
          out.push(mr({
            family: fam,
            name: `${op} r/m${bits}, 1 (${t})`,
            op: [...pre, one],
            digit,
            rmBits,
            mem,
            n: 24,
            mask: shiftMask(op, bits, 1),
          }));
        }
        if (wantMem("cl")) {
          out.push(mr({
            family: fam,
            name: `${op} r/m${bits}, cl (${t})`,
            op: [...pre, cl],
            digit,
            rmBits,
            mem,
            avoid: [ECX],
            setup: (g) => g.setReg(ECX, 8, countGen(g, bits)),
            mask: (init: State) => shiftMask(op, bits, init.regs[ECX] & 0xff),
          }));
        }
        if (wantMem("imm8")) {
          out.push(mr({
            family: fam,
            name: `${op} r/m${bits}, imm8 (${t})`,
            op: [...pre, ib],
            digit,
            rmBits,
            mem,
            immBytes: 1,
            immVal: (g) => countGen(g, bits),
            mask: (_init, ops) => shiftMask(op, bits, ops.immValue!),
          }));
        }
      }
    }
  });
  // shld / shrd: 16-bit counts above 16 give undefined results, so they are not generated
  const dcount = (g: G, bits: number) =>
    bits === 32
      ? countGen(g, 32)
      : g.edge([0, 1, 2, 8, 15, 16, 32, 33, 48], () => g.rng.int(17) + 32 * g.rng.int(8));
  const dmask = (_bits: number, count: number) => {
    const mc = count & 31;
    if (mc === 0) return FULL_MASK;
    return FULL_MASK & ~AF & (mc === 1 ? ~0 : ~OF);
  };
  for (const [name, opImm, opCl] of [["shld", 0xa4, 0xa5], ["shrd", 0xac, 0xad]] as const) {
    for (const bits of [16, 32] as const) {
      const pre = bits === 16 ? [0x66] : [];
      for (const mem of [false, true]) {
        const t = mem ? "mem" : "reg";
        out.push(
          mr({
            family: fam,
            name: `${name} r/m${bits}, r${bits}, imm8 (${t})`,
            op: [...pre, 0x0f, opImm],
            regBits: bits,
            rmBits: bits,
            mem,
            immBytes: 1,
            immVal: (g) => dcount(g, bits),
            mask: (_init, ops) => dmask(bits, ops.immValue!),
          }),
          mr({
            family: fam,
            name: `${name} r/m${bits}, r${bits}, cl (${t})`,
            op: [...pre, 0x0f, opCl],
            regBits: bits,
            rmBits: bits,
            mem,
            avoid: [ECX],
            setup: (g) => g.setReg(ECX, 8, dcount(g, bits)),
            mask: (init: State) => dmask(bits, init.regs[ECX] & 0xff),
          }),
        );
      }
    }
  }
  return out;
}
