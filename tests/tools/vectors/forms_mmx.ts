/** @module MMX vector forms: integer SIMD on mm registers, moves, shifts, pshufw/pextrw/pinsrw, masks, emms. */
import { EDI, type Form, type G } from "./lib.ts";
import { both, type Lane, simd, type SimdSpec } from "./simd.ts";
import { DATA_ADDR } from "./format.ts";

const F = "mmx";

/** [opcode, mnemonic, lane type, memory bytes of the MMX form] */
export const INT_OPS: [number, string, Lane, number][] = [
  [0x60, "punpcklbw", "b", 4],
  [0x61, "punpcklwd", "w", 4],
  [0x62, "punpckldq", "d", 4],
  [0x63, "packsswb", "w", 8],
  [0x64, "pcmpgtb", "b", 8],
  [0x65, "pcmpgtw", "w", 8],
  [0x66, "pcmpgtd", "d", 8],
  [0x67, "packuswb", "w", 8],
  [0x68, "punpckhbw", "b", 8],
  [0x69, "punpckhwd", "w", 8],
  [0x6a, "punpckhdq", "d", 8],
  [0x6b, "packssdw", "d", 8],
  [0x74, "pcmpeqb", "b", 8],
  [0x75, "pcmpeqw", "w", 8],
  [0x76, "pcmpeqd", "d", 8],
  [0xd4, "paddq", "q", 8],
  [0xd5, "pmullw", "w", 8],
  [0xd8, "psubusb", "b", 8],
  [0xd9, "psubusw", "w", 8],
  [0xda, "pminub", "b", 8],
  [0xdb, "pand", "q", 8],
  [0xdc, "paddusb", "b", 8],
  [0xdd, "paddusw", "w", 8],
  [0xde, "pmaxub", "b", 8],
  [0xdf, "pandn", "q", 8],
  [0xe0, "pavgb", "b", 8],
  [0xe3, "pavgw", "w", 8],
  [0xe4, "pmulhuw", "w", 8],
  [0xe5, "pmulhw", "w", 8],
  [0xe8, "psubsb", "b", 8],
  [0xe9, "psubsw", "w", 8],
  [0xea, "pminsw", "w", 8],
  [0xeb, "por", "q", 8],
  [0xec, "paddsb", "b", 8],
  [0xed, "paddsw", "w", 8],
  [0xee, "pmaxsw", "w", 8],
  [0xef, "pxor", "q", 8],
  [0xf4, "pmuludq", "d", 8],
  [0xf5, "pmaddwd", "w", 8],
  [0xf6, "psadbw", "b", 8],
  [0xf8, "psubb", "b", 8],
  [0xf9, "psubw", "w", 8],
  [0xfa, "psubd", "d", 8],
  [0xfb, "psubq", "q", 8],
  [0xfc, "paddb", "b", 8],
  [0xfd, "paddw", "w", 8],
  [0xfe, "paddd", "d", 8],
];

/** [opcode, mnemonic, lane, width in bits] for shifts by register */
export const SHIFT_REG: [number, string, Lane, number][] = [
  [0xd1, "psrlw", "w", 16],
  [0xd2, "psrld", "d", 32],
  [0xd3, "psrlq", "q", 64],
  [0xe1, "psraw", "w", 16],
  [0xe2, "psrad", "d", 32],
  [0xf1, "psllw", "w", 16],
  [0xf2, "pslld", "d", 32],
  [0xf3, "psllq", "q", 64],
];

/** [opcode, /digit, mnemonic, lane, width] for shifts by imm8 */
export const SHIFT_IMM: [number, number, string, Lane, number][] = [
  [0x71, 2, "psrlw", "w", 16],
  [0x71, 4, "psraw", "w", 16],
  [0x71, 6, "psllw", "w", 16],
  [0x72, 2, "psrld", "d", 32],
  [0x72, 4, "psrad", "d", 32],
  [0x72, 6, "pslld", "d", 32],
  [0x73, 2, "psrlq", "q", 64],
  [0x73, 6, "psllq", "q", 64],
];

/** A shift count: mostly around the lane width, sometimes any byte. */
export const shiftImm = (width: number) => (g: G): number =>
  g.rng.chance(0.85) ? g.rng.int(width + 3) : g.rng.int(256);

export const imm8 = (g: G): number => g.rng.int(256);

const mm = (s: Omit<SimdSpec, "family" | "mmx">): SimdSpec => ({ family: F, mmx: true, ...s });

export function mmxForms(): Form[] {
  const out: Form[] = [];
  for (const [op, mn, lane, mem] of INT_OPS) {
    const src = mem === 4 ? "mm/m32" : "mm/m64";
    out.push(
      ...both(
        mm({ name: `${mn} mm, ${src}`, op: [0x0f, op], reg: "mm", rm: "mm", lane }),
        mem,
        false,
      ),
    );
  }
  for (const [op, mn, lane, width] of SHIFT_REG) {
    out.push(...both(
      mm({ name: `${mn} mm, mm/m64`, op: [0x0f, op], reg: "mm", rm: "mm", lane, count: width }),
      8,
      false,
    ));
  }
  for (const [op, digit, mn, lane, width] of SHIFT_IMM) {
    out.push(simd(mm({
      name: `${mn} mm, imm8`,
      op: [0x0f, op],
      reg: digit,
      rm: "mm",
      lane,
      imm: shiftImm(width),
    })));
  }
  out.push(
    ...both(
      mm({ name: "movd mm, r/m32", op: [0x0f, 0x6e], reg: "mm", rm: "gpr", lane: "d" }),
      4,
      false,
    ),
    ...both(
      mm({ name: "movd r/m32, mm", op: [0x0f, 0x7e], reg: "mm", rm: "gpr", lane: "d" }),
      4,
      false,
    ),
    ...both(
      mm({ name: "movq mm, mm/m64", op: [0x0f, 0x6f], reg: "mm", rm: "mm", lane: "q" }),
      8,
      false,
    ),
    ...both(
      mm({ name: "movq mm/m64, mm", op: [0x0f, 0x7f], reg: "mm", rm: "mm", lane: "q" }),
      8,
      false,
    ),
    simd(mm({ name: "movntq m64, mm", op: [0x0f, 0xe7], reg: "mm", rm: "mm", mem: 8, lane: "q" })),
    simd(mm({ name: "pmovmskb r32, mm", op: [0x0f, 0xd7], reg: "gpr", rm: "mm", lane: "b" })),
    simd(
      mm({
        name: "pextrw r32, mm, imm8",
        op: [0x0f, 0xc5],
        reg: "gpr",
        rm: "mm",
        lane: "w",
        imm: imm8,
      }),
    ),
    ...both(
      mm({
        name: "pinsrw mm, r32/m16, imm8",
        op: [0x0f, 0xc4],
        reg: "mm",
        rm: "gpr",
        lane: "w",
        imm: imm8,
      }),
      2,
      false,
    ),
    ...both(
      mm({
        name: "pshufw mm, mm/m64, imm8",
        op: [0x0f, 0x70],
        reg: "mm",
        rm: "mm",
        lane: "w",
        imm: imm8,
      }),
      8,
      false,
    ),
    simd(mm({
      name: "maskmovq mm, mm",
      op: [0x0f, 0xf7],
      reg: "mm",
      rm: "mm",
      lane: "b",
      setup: (g) => {
        g.fix(EDI, DATA_ADDR + g.rng.int(57));
        g.regions |= 1;
      },
    })),
  );
  const emms = simd(mm({ name: "emms", op: [0x0f, 0x77], reg: 0, rm: 0, lane: "q" }));
  const gen = emms.gen;
  // emms has no ModRM: drop the byte the builder appends
  emms.gen = (g) => {
    const s = gen(g);
    s.code = s.code.slice(0, 2);
    return s;
  };
  out.push(emms);
  return out;
}
