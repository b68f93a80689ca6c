/** @module Forms for the 16 conditions: setcc, cmovcc, jcc rel8 and jcc rel32. */
import { mr } from "./build.ts";
import { type Form, type G } from "./lib.ts";

export const CC = [
  "o",
  "no",
  "b",
  "ae",
  "e",
  "ne",
  "be",
  "a",
  "s",
  "ns",
  "p",
  "np",
  "l",
  "ge",
  "le",
  "g",
];

export function condForms(): Form[] {
  const fam = "cond";
  const out: Form[] = [];
  CC.forEach((cc, k) => {
    out.push(
      mr({
        family: fam,
        name: `set${cc} r/m8 (reg)`,
        op: [0x0f, 0x90 + k],
        digit: 0,
        rmBits: 8,
        mem: false,
        n: 24,
      }),
      mr({
        family: fam,
        name: `cmov${cc} r32, r/m32 (reg)`,
        op: [0x0f, 0x40 + k],
        regBits: 32,
        rmBits: 32,
        mem: false,
        dir: "reg",
        n: 24,
      }),
      {
        family: fam,
        name: `j${cc} rel8`,
        n: 24,
        gen: (g: G) => ({ code: [0x70 + k, { rel: 1 }], branch: g.branch() }),
      },
      {
        family: fam,
        name: `j${cc} rel32`,
        n: 24,
        gen: (g: G) => ({ code: [0x0f, 0x80 + k, { rel: 4 }], branch: g.branch(300) }),
      },
    );
  });
  for (const k of [4, 12, 15]) {
    out.push(
      mr({
        family: fam,
        name: `set${CC[k]} r/m8 (mem)`,
        op: [0x0f, 0x90 + k],
        digit: 0,
        rmBits: 8,
        mem: true,
      }),
      mr({
        family: fam,
        name: `cmov${CC[k]} r32, r/m32 (mem)`,
        op: [0x0f, 0x40 + k],
        regBits: 32,
        rmBits: 32,
        mem: true,
        dir: "reg",
      }),
      mr({
        family: fam,
        name: `cmov${CC[k]} r16, r/m16 (reg)`,
        op: [0x66, 0x0f, 0x40 + k],
        regBits: 16,
        rmBits: 16,
        mem: false,
        dir: "reg",
      }),
    );
  }
  return out;
}
