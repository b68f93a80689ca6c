/** @module Tests for disassembly around a divergence point. */
import assert from "node:assert/strict";
import { disassembleAround, type Disassembler } from "./divergence.ts";

/** A fake instruction stream: 2-byte instructions from 0x1000, named by address. */
const fake: Disassembler = (addr) => {
  if (addr < 0x1000 || (addr - 0x1000) % 2 !== 0) return { text: "(bad)", length: 3 };
  return { text: `insn_${addr.toString(16)}`, length: 2 };
};

Deno.test("disassembleAround marks eip and finds instructions before it", () => {
  assert.deepEqual(disassembleAround(fake, 0x1008, 2, 1), [
    "   0x00001004: insn_1004",
    "   0x00001006: insn_1006",
    "=> 0x00001008: insn_1008",
    "   0x0000100a: insn_100a",
  ]);
});

Deno.test("disassembleAround survives an unreadable eip", () => {
  const boom: Disassembler = () => {
    throw new Error("unmapped");
  };
  assert.deepEqual(disassembleAround(boom, 0x10, 2, 2), ["=> 0x00000010: (unreadable)"]);
});
