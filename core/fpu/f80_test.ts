/** @module Tests for f80.ts: every stored host-CPU vector (tests/vectors/f80) plus direct cases. */
import assert from "node:assert/strict";
import {
  add,
  Cmp,
  compare,
  div,
  F80,
  FpFlag,
  fromBcd,
  fromF32,
  fromInt64,
  fromNumber,
  Kind,
  kindOf,
  mul,
  prem,
  sqrt,
  sub,
  toBcd,
  toF32,
  toInt,
  toNumber,
  xam,
} from "./f80.ts";
import { checkOp } from "../../tests/tools/vectors/f80_check.ts";
import { F80_FIELDS } from "../../tests/tools/vectors/f80_format.ts";
import type { NativeOp } from "../../tests/tools/vectors/f80_native.ts";

/** Default control word: all exceptions masked, 64-bit precision, round to nearest. */
const CW = 0x037f;
/** Precision control 24 bits, round toward zero. */
const CW24_CHOP = 0x0c7f;

for (const op of Object.keys(F80_FIELDS) as NativeOp[]) {
  Deno.test(`f80 ${op} matches the host x87 vectors`, async () => {
    const r = await checkOp(op);
    assert.ok(r.total > 0, `no vectors for ${op}`);
    assert.equal(r.failed, 0, `${r.failed}/${r.total} failed:\n${r.examples.join("\n")}`);
  });
}

const hex = (x: F80) =>
  x.se.toString(16).padStart(4, "0") + x.hi.toString(16).padStart(8, "0") +
  x.lo.toString(16).padStart(8, "0");

Deno.test("fromNumber() and toNumber() round-trip doubles exactly", () => {
  const x = new F80();
  for (const v of [0, -0, 1, -1.5, Math.PI, 1e308, 5e-324, 2.2250738585072014e-308, Infinity]) {
    assert.ok(Object.is(toNumber(fromNumber(x, v)), v), `${v}`);
  }
  assert.ok(Number.isNaN(toNumber(fromNumber(x, NaN))));
});

Deno.test("add() rounds 1 + 2^-64 per rounding control", () => {
  const one = fromNumber(new F80(), 1), tiny = fromNumber(new F80(), 2 ** -64);
  const out = new F80();
  assert.equal(add(out, one, tiny, CW), FpFlag.PE);
  assert.equal(hex(out), "3fff8000000000000000");
  assert.equal(add(out, one, tiny, CW | 0x0800), FpFlag.PE | FpFlag.C1); // round up
  assert.equal(hex(out), "3fff8000000000000001");
});

Deno.test("sub() of equal values gives -0 only when rounding down", () => {
  const a = fromNumber(new F80(), 3), out = new F80();
  sub(out, a, a, CW);
  assert.equal(out.se, 0);
  sub(out, a, a, CW | 0x0400);
  assert.equal(out.se, 0x8000);
});

Deno.test("mul() and div() honour 24-bit precision control", () => {
  const out = new F80();
  div(out, fromNumber(new F80(), 1), fromNumber(new F80(), 3), CW24_CHOP);
  assert.equal(hex(out), "3ffdaaaaaa0000000000");
  mul(out, fromNumber(new F80(), 16777215), fromNumber(new F80(), 16777215), CW24_CHOP);
  assert.equal(toNumber(out), 281474943156224);
});

Deno.test("div() by zero gives ZE and a signed infinity", () => {
  const out = new F80();
  assert.equal(div(out, fromNumber(new F80(), -2), new F80(), CW), FpFlag.ZE);
  assert.equal(hex(out), "ffff8000000000000000");
});

Deno.test("invalid operations give the QNaN indefinite", () => {
  const out = new F80();
  assert.equal(sqrt(out, fromNumber(new F80(), -1), CW), FpFlag.IE);
  assert.equal(hex(out), "ffffc000000000000000");
  const inf = fromNumber(new F80(), Infinity);
  assert.equal(sub(out, inf, inf, CW), FpFlag.IE);
  assert.equal(hex(out), "ffffc000000000000000");
});

Deno.test("an unmasked IE leaves the destination unchanged", () => {
  const out = new F80(0x1234, 5, 6);
  assert.equal(div(out, new F80(), new F80(), CW & ~FpFlag.IE), FpFlag.IE);
  assert.equal(hex(out), "12340000000500000006");
});

Deno.test("two SNaNs propagate the larger significand, quieted", () => {
  const a = new F80(0x7fff, 0x80000000, 5), b = new F80(0xffff, 0x80000000, 9), out = new F80();
  assert.equal(add(out, a, b, CW), FpFlag.IE);
  assert.equal(hex(out), "ffffc000000000000009");
});

Deno.test("compare() orders values and reports unordered NaNs", () => {
  const one = fromNumber(new F80(), 1), two = fromNumber(new F80(), 2);
  const qnan = new F80(0x7fff, 0xc0000000, 0);
  assert.equal(compare(one, two, false), Cmp.LT);
  assert.equal(compare(two, one, false), Cmp.GT);
  assert.equal(compare(new F80(0x8000), new F80(), false), Cmp.EQ);
  assert.equal(compare(one, qnan, true), Cmp.UNORDERED);
  assert.equal(compare(one, qnan, false), Cmp.UNORDERED | FpFlag.IE);
});

Deno.test("xam() classifies operands and empty registers", () => {
  assert.equal(xam(fromNumber(new F80(), -1)), FpFlag.C1 | FpFlag.C2);
  assert.equal(xam(new F80(), true), FpFlag.C3 | FpFlag.C0);
  assert.equal(kindOf(new F80(0x3fff, 0x40000000, 0)), Kind.UNSUPPORTED);
  assert.equal(kindOf(new F80(0, 0x80000000, 0)), Kind.DENORMAL);
});

Deno.test("toInt() rounds per RC and overflows to the integer indefinite", () => {
  const dst = new Uint32Array(2);
  assert.equal(toInt(dst, fromNumber(new F80(), -2.5), 32, CW), FpFlag.PE);
  assert.equal(dst[0], 0xfffffffe);
  assert.equal(toInt(dst, fromNumber(new F80(), -2.5), 32, CW, true), FpFlag.PE);
  assert.equal(dst[0], 0xfffffffe);
  assert.equal(toInt(dst, fromNumber(new F80(), 32768), 16, CW), FpFlag.IE);
  assert.equal(dst[0], 0x8000);
  assert.equal(toInt(dst, fromNumber(new F80(), -(2 ** 63)), 64, CW), 0);
  assert.deepEqual([...dst], [0, 0x80000000]);
});

Deno.test("fromInt64() loads the most negative int64 exactly", () => {
  const out = new F80();
  fromInt64(out, 0, 0x80000000);
  assert.equal(hex(out), "c03e8000000000000000");
});

Deno.test("toBcd() and fromBcd() round-trip 18 digits", () => {
  const bcd = new Uint8Array(10), x = new F80(), y = new F80();
  fromInt64(x, 0xa763ffff, 0x0de0b6b3); // 999999999999999999
  assert.equal(toBcd(bcd, x, CW), 0);
  assert.equal(
    [...bcd].map((b) => b.toString(16).padStart(2, "0")).join(""),
    "99".repeat(9) + "00",
  );
  fromBcd(y, bcd);
  assert.equal(hex(y), hex(x));
  fromInt64(x, 0xa7640000, 0x0de0b6b3); // 10^18 does not fit
  assert.equal(toBcd(bcd, x, CW), FpFlag.IE);
  assert.deepEqual([...bcd.subarray(7)], [0xc0, 0xff, 0xff]);
});

Deno.test("fromF32() quiets SNaNs unless asked to keep them", () => {
  const out = new F80();
  assert.equal(fromF32(out, 0x7f800001), FpFlag.IE);
  assert.equal(hex(out), "7fffc000010000000000");
  assert.equal(fromF32(out, 0x7f800001, true), 0);
  assert.equal(hex(out), "7fff8000010000000000");
});

Deno.test("toF32() overflows per RC", () => {
  const dst = new Uint32Array(1), big = fromNumber(new F80(), 1e39);
  assert.equal(toF32(dst, big, CW), FpFlag.OE | FpFlag.PE | FpFlag.C1);
  assert.equal(dst[0], 0x7f800000);
  assert.equal(toF32(dst, big, CW | 0x0c00), FpFlag.OE | FpFlag.PE);
  assert.equal(dst[0], 0x7f7fffff);
});

Deno.test("prem() returns the quotient's low bits in C0 C3 C1", () => {
  const out = new F80();
  const f = prem(out, fromNumber(new F80(), 23), fromNumber(new F80(), 4), CW, false);
  assert.equal(toNumber(out), 3);
  assert.equal(f, FpFlag.C0 | FpFlag.C1); // Q = 5 = 0b101: C0 = 1, C3 = 0, C1 = 1
  assert.equal(
    prem(out, fromNumber(new F80(), 23), fromNumber(new F80(), 4), CW, true) & 0x4700,
    FpFlag.C0 | FpFlag.C3,
  );
  assert.equal(toNumber(out), -1); // Q = 6
});
