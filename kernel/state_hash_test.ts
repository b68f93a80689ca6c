import assert from "node:assert/strict";
import { Cpu } from "../core/cpu.ts";
import { Memory } from "../core/memory.ts";
import { sha256Hex, stateHash } from "./state_hash.ts";

const enc = new TextEncoder();

Deno.test("sha256Hex() matches the FIPS 180-4 examples", () => {
  assert.equal(
    sha256Hex(new Uint8Array(0)),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    sha256Hex(enc.encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    sha256Hex(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assert.equal(
    sha256Hex(new Uint8Array(1000000).fill(0x61)),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

Deno.test("stateHash() ignores whether a zero page was materialised", () => {
  const a = new Memory(), b = new Memory();
  a.map(0x10000, 0x2000, 3);
  b.map(0x10000, 0x2000, 3);
  b.write32(0x10004, 0);
  const t = [{ tid: 1, cpu: new Cpu() }];
  assert.equal(stateHash(t, a), stateHash(t, b));
  b.write8(0x11000, 1);
  assert.notEqual(stateHash(t, a), stateHash(t, b));
});

Deno.test("stateHash() covers registers and protections", () => {
  const m = new Memory();
  m.map(0x10000, 0x1000, 3);
  const c = new Cpu();
  const h0 = stateHash([{ tid: 1, cpu: c }], m);
  c.regs[0] = 5;
  const h1 = stateHash([{ tid: 1, cpu: c }], m);
  assert.notEqual(h0, h1);
  m.protect(0x10000, 0x1000, 1);
  assert.notEqual(stateHash([{ tid: 1, cpu: c }], m), h1);
});
