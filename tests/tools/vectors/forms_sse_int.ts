/** @module SSE/SSE2 vector forms on XMM registers: integer SIMD, moves, shuffles, unpacks, logic, masks, MOVQ2DQ/MOVDQ2Q. */
import { EDI, type Form } from "./lib.ts";
import { imm8, INT_OPS, SHIFT_IMM, SHIFT_REG, shiftImm } from "./forms_mmx.ts";
import { both, type Lane, simd, type SimdSpec } from "./simd.ts";
import { DATA_ADDR } from "./format.ts";

const F = "sse_int";

const x = (s: Omit<SimdSpec, "family">): SimdSpec => ({ family: F, ...s });
const p66 = (op: number) => [0x66, 0x0f, op];

/** [mnemonic, prefix + opcode, lane, memory bytes, aligned] */
const MOVES_LOAD: [string, number[], Lane, number, boolean][] = [
  ["movups xmm, xmm/m128", [0x0f, 0x10], "ps", 16, false],
  ["movupd xmm, xmm/m128", [0x66, 0x0f, 0x10], "pd", 16, false],
  ["movss xmm, xmm/m32", [0xf3, 0x0f, 0x10], "ps", 4, false],
  ["movsd xmm, xmm/m64", [0xf2, 0x0f, 0x10], "pd", 8, false],
  ["movaps xmm, xmm/m128", [0x0f, 0x28], "ps", 16, true],
  ["movapd xmm, xmm/m128", [0x66, 0x0f, 0x28], "pd", 16, true],
  ["movdqa xmm, xmm/m128", [0x66, 0x0f, 0x6f], "b", 16, true],
  ["movdqu xmm, xmm/m128", [0xf3, 0x0f, 0x6f], "b", 16, false],
  ["movq xmm, xmm/m64", [0xf3, 0x0f, 0x7e], "q", 8, false],
];
const MOVES_STORE: [string, number[], Lane, number, boolean][] = [
  ["movups xmm/m128, xmm", [0x0f, 0x11], "ps", 16, false],
  ["movupd xmm/m128, xmm", [0x66, 0x0f, 0x11], "pd", 16, false],
  ["movss xmm/m32, xmm", [0xf3, 0x0f, 0x11], "ps", 4, false],
  ["movsd xmm/m64, xmm", [0xf2, 0x0f, 0x11], "pd", 8, false],
  ["movaps xmm/m128, xmm", [0x0f, 0x29], "ps", 16, true],
  ["movapd xmm/m128, xmm", [0x66, 0x0f, 0x29], "pd", 16, true],
  ["movdqa xmm/m128, xmm", [0x66, 0x0f, 0x7f], "b", 16, true],
  ["movdqu xmm/m128, xmm", [0xf3, 0x0f, 0x7f], "b", 16, false],
  ["movq xmm/m64, xmm", [0x66, 0x0f, 0xd6], "q", 8, false],
];
/** memory-only forms: [mnemonic, opcode bytes, bytes, aligned] */
const MEM_ONLY: [string, number[], number, boolean][] = [
  ["movlps xmm, m64", [0x0f, 0x12], 8, false],
  ["movlpd xmm, m64", [0x66, 0x0f, 0x12], 8, false],
  ["movhps xmm, m64", [0x0f, 0x16], 8, false],
  ["movhpd xmm, m64", [0x66, 0x0f, 0x16], 8, false],
  ["movlps m64, xmm", [0x0f, 0x13], 8, false],
  ["movlpd m64, xmm", [0x66, 0x0f, 0x13], 8, false],
  ["movhps m64, xmm", [0x0f, 0x17], 8, false],
  ["movhpd m64, xmm", [0x66, 0x0f, 0x17], 8, false],
  ["movntps m128, xmm", [0x0f, 0x2b], 16, true],
  ["movntpd m128, xmm", [0x66, 0x0f, 0x2b], 16, true],
  ["movntdq m128, xmm", [0x66, 0x0f, 0xe7], 16, true],
];
/** packed ops with an xmm/m128 source: [mnemonic, opcode bytes, lane, imm8] */
const PACKED: [string, number[], Lane, boolean][] = [
  ["punpcklqdq", p66(0x6c), "q", false],
  ["punpckhqdq", p66(0x6d), "q", false],
  ["unpcklps", [0x0f, 0x14], "ps", false],
  ["unpcklpd", p66(0x14), "pd", false],
  ["unpckhps", [0x0f, 0x15], "ps", false],
  ["unpckhpd", p66(0x15), "pd", false],
  ["andps", [0x0f, 0x54], "ps", false],
  ["andpd", p66(0x54), "pd", false],
  ["andnps", [0x0f, 0x55], "ps", false],
  ["andnpd", p66(0x55), "pd", false],
  ["orps", [0x0f, 0x56], "ps", false],
  ["orpd", p66(0x56), "pd", false],
  ["xorps", [0x0f, 0x57], "ps", false],
  ["xorpd", p66(0x57), "pd", false],
  ["pshufd", p66(0x70), "d", true],
  ["pshufhw", [0xf3, 0x0f, 0x70], "w", true],
  ["pshuflw", [0xf2, 0x0f, 0x70], "w", true],
  ["shufps", [0x0f, 0xc6], "ps", true],
  ["shufpd", p66(0xc6), "pd", true],
];

export function sseIntForms(): Form[] {
  const out: Form[] = [];
  for (const [op, mn, lane] of INT_OPS) {
    out.push(
      ...both(
        x({ name: `${mn} xmm, xmm/m128`, op: p66(op), reg: "xmm", rm: "xmm", lane }),
        16,
        true,
      ),
    );
  }
  for (const [op, mn, lane, width] of SHIFT_REG) {
    out.push(...both(
      x({ name: `${mn} xmm, xmm/m128`, op: p66(op), reg: "xmm", rm: "xmm", lane, count: width }),
      16,
      true,
    ));
  }
  for (const [op, digit, mn, lane, width] of SHIFT_IMM) {
    out.push(
      simd(
        x({
          name: `${mn} xmm, imm8`,
          op: p66(op),
          reg: digit,
          rm: "xmm",
          lane,
          imm: shiftImm(width),
        }),
      ),
    );
  }
  out.push(
    simd(
      x({
        name: "psrldq xmm, imm8",
        op: p66(0x73),
        reg: 3,
        rm: "xmm",
        lane: "b",
        imm: shiftImm(16),
      }),
    ),
    simd(
      x({
        name: "pslldq xmm, imm8",
        op: p66(0x73),
        reg: 7,
        rm: "xmm",
        lane: "b",
        imm: shiftImm(16),
      }),
    ),
  );
  for (const [name, op, lane, mem, align] of [...MOVES_LOAD, ...MOVES_STORE]) {
    out.push(...both(x({ name, op, reg: "xmm", rm: "xmm", lane }), mem, align));
  }
  for (const [name, op, mem, align] of MEM_ONLY) {
    out.push(simd(x({ name, op, reg: "xmm", rm: "xmm", lane: "q", mem, align })));
  }
  for (const [mn, op, lane, hasImm] of PACKED) {
    const name = `${mn} xmm, xmm/m128${hasImm ? ", imm8" : ""}`;
    out.push(
      ...both(
        x({ name, op, reg: "xmm", rm: "xmm", lane, imm: hasImm ? imm8 : undefined }),
        16,
        true,
      ),
    );
  }
  out.push(
    simd(x({ name: "movhlps xmm, xmm", op: [0x0f, 0x12], reg: "xmm", rm: "xmm", lane: "ps" })),
    simd(x({ name: "movlhps xmm, xmm", op: [0x0f, 0x16], reg: "xmm", rm: "xmm", lane: "ps" })),
    ...both(
      x({ name: "movd xmm, r/m32", op: p66(0x6e), reg: "xmm", rm: "gpr", lane: "d" }),
      4,
      false,
    ),
    ...both(
      x({ name: "movd r/m32, xmm", op: p66(0x7e), reg: "xmm", rm: "gpr", lane: "d" }),
      4,
      false,
    ),
    simd(
      x({ name: "movnti m32, r32", op: [0x0f, 0xc3], reg: "gpr", rm: "gpr", mem: 4, lane: "d" }),
    ),
    simd(x({ name: "pmovmskb r32, xmm", op: p66(0xd7), reg: "gpr", rm: "xmm", lane: "b" })),
    simd(x({ name: "movmskps r32, xmm", op: [0x0f, 0x50], reg: "gpr", rm: "xmm", lane: "ps" })),
    simd(x({ name: "movmskpd r32, xmm", op: p66(0x50), reg: "gpr", rm: "xmm", lane: "pd" })),
    simd(
      x({
        name: "pextrw r32, xmm, imm8",
        op: p66(0xc5),
        reg: "gpr",
        rm: "xmm",
        lane: "w",
        imm: imm8,
      }),
    ),
    ...both(
      x({
        name: "pinsrw xmm, r32/m16, imm8",
        op: p66(0xc4),
        reg: "xmm",
        rm: "gpr",
        lane: "w",
        imm: imm8,
      }),
      2,
      false,
    ),
    simd(x({
      name: "maskmovdqu xmm, xmm",
      op: p66(0xf7),
      reg: "xmm",
      rm: "xmm",
      lane: "b",
      setup: (g) => {
        g.fix(EDI, DATA_ADDR + g.rng.int(49));
        g.regions |= 1;
      },
    })),
    simd(
      x({
        name: "movq2dq xmm, mm",
        op: [0xf3, 0x0f, 0xd6],
        reg: "xmm",
        rm: "mm",
        lane: "q",
        mmx: true,
      }),
    ),
    simd(
      x({
        name: "movdq2q mm, xmm",
        op: [0xf2, 0x0f, 0xd6],
        reg: "mm",
        rm: "xmm",
        lane: "q",
        mmx: true,
      }),
    ),
  );
  return out;
}
