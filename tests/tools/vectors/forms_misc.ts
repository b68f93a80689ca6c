/** @module Forms for flag ops, sign extension and BCD: lahf sahf clc stc cmc cld std cbw cwde cwd cdq daa das aaa aas aam aad. */
import { AF, CF, EAX, type Form, FULL_MASK, type G, OF, PF, SF, ZF } from "./lib.ts";

function form(
  name: string,
  code: number[],
  opts: { n?: number; mask?: number; setup?: (g: G) => void } = {},
): Form {
  return {
    family: "misc",
    name,
    n: opts.n ?? 24,
    gen(g: G) {
      opts.setup?.(g);
      return { code, mask: opts.mask };
    },
  };
}

const bcdAl = (g: G) =>
  g.setReg(
    EAX,
    16,
    (g.val(8) << 8) |
      g.edge([0x99, 0x9a, 0x0f, 0xf9, 0xfa, 0x00, 0x09, 0x0a, 0x90, 0xa0], () => g.val(8)),
  );

export function miscForms(): Form[] {
  const out: Form[] = [
    form("lahf", [0x9f]),
    form("sahf", [0x9e]),
    form("clc", [0xf8], { n: 8 }),
    form("stc", [0xf9], { n: 8 }),
    form("cmc", [0xf5], { n: 8 }),
    form("cld", [0xfc], { n: 8 }),
    form("std", [0xfd], { n: 8 }),
    form("cbw", [0x66, 0x98]),
    form("cwde", [0x98]),
    form("cwd", [0x66, 0x99]),
    form("cdq", [0x99]),
    form("daa", [0x27], { n: 48, mask: FULL_MASK & ~OF, setup: bcdAl }),
    form("das", [0x2f], { n: 48, mask: FULL_MASK & ~OF, setup: bcdAl }),
    form("aaa", [0x37], { n: 40, mask: FULL_MASK & ~(OF | SF | ZF | PF), setup: bcdAl }),
    form("aas", [0x3f], { n: 40, mask: FULL_MASK & ~(OF | SF | ZF | PF), setup: bcdAl }),
    form("aam", [0xd4, 0x0a], { n: 32, mask: FULL_MASK & ~(OF | AF | CF) }),
    form("aad", [0xd5, 0x0a], { n: 32, mask: FULL_MASK & ~(OF | AF | CF) }),
  ];
  for (const [name, op] of [["aam", 0xd4], ["aad", 0xd5]] as const) {
    out.push({
      family: "misc",
      name: `${name} imm8`,
      n: 24,
      gen: (g: G) => ({ code: [op, g.rng.range(1, 255)], mask: FULL_MASK & ~(OF | AF | CF) }),
    });
  }
  return out;
}
