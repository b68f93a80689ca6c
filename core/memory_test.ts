import assert from "node:assert/strict";
import { Memory, MEMORY_FAULT, Prot } from "./memory.ts";

const RW = Prot.READ | Prot.WRITE;

function faultOf(fn: () => void): { addr: number; access: number; protection: boolean } {
  try {
    fn();
  } catch (e) {
    assert.equal(e, MEMORY_FAULT);
    return {
      addr: MEMORY_FAULT.addr,
      access: MEMORY_FAULT.access,
      protection: MEMORY_FAULT.protection,
    };
  }
  throw new Error("expected a memory fault");
}

Deno.test("Memory reads zeroes from a freshly mapped page and round-trips 8/16/32-bit values", () => {
  const m = new Memory();
  m.map(0x10000, 0x2000, RW);
  assert.equal(m.read32(0x10000), 0);
  m.write8(0x10000, 0x1ff);
  m.write16(0x10002, 0xbeef);
  m.write32(0x10004, 0xdeadbeef);
  assert.equal(m.read8(0x10000), 0xff);
  assert.equal(m.read16(0x10002), 0xbeef);
  assert.equal(m.read32(0x10004) >>> 0, 0xdeadbeef);
  assert.equal(m.read32(0x10002) >>> 0, 0xbeefbeef);
});

Deno.test("Memory handles accesses that straddle a page boundary", () => {
  const m = new Memory();
  m.map(0x10000, 0x2000, RW);
  m.write32(0x10ffe, 0x11223344);
  assert.equal(m.read8(0x10ffe), 0x44);
  assert.equal(m.read8(0x11001), 0x11);
  assert.equal(m.read32(0x10ffe), 0x11223344);
  m.write16(0x10fff, 0xa1b2);
  assert.equal(m.read16(0x10fff), 0xa1b2);
});

Deno.test("Memory faults with MAPERR on unmapped pages and ACCERR on protected ones", () => {
  const m = new Memory();
  m.map(0x10000, 0x1000, Prot.READ);
  assert.deepEqual(faultOf(() => m.read8(0x20000)), {
    addr: 0x20000,
    access: 0,
    protection: false,
  });
  assert.deepEqual(faultOf(() => m.write8(0x10010, 1)), {
    addr: 0x10010,
    access: 1,
    protection: true,
  });
  assert.deepEqual(faultOf(() => m.fetch8(0x10000)), {
    addr: 0x10000,
    access: 2,
    protection: true,
  });
  m.protect(0x10000, 0x1000, Prot.NONE);
  assert.deepEqual(faultOf(() => m.read8(0x10000)), { addr: 0x10000, access: 0, protection: true });
});

Deno.test("Memory write32 across into an unmapped page faults without writing anything", () => {
  const m = new Memory();
  m.map(0x10000, 0x1000, RW);
  const f = faultOf(() => m.write32(0x10ffe, 0x11223344));
  assert.equal(f.addr, 0x11001);
  assert.equal(m.read16(0x10ffe), 0);
});

Deno.test("Memory unmap removes pages and their contents", () => {
  const m = new Memory();
  m.map(0x10000, 0x2000, RW);
  m.write8(0x11000, 7);
  m.unmap(0x11000, 0x1000);
  assert.equal(m.isMapped(0x11), false);
  faultOf(() => m.read8(0x11000));
  m.map(0x11000, 0x1000, RW);
  assert.equal(m.read8(0x11000), 0);
});

Deno.test("Memory check() validates every page of a range against the wanted protection", () => {
  const m = new Memory();
  m.map(0x10000, 0x1000, RW);
  m.map(0x11000, 0x1000, Prot.READ);
  assert.equal(m.check(0x10ff0, 0x20, Prot.READ), true);
  assert.equal(m.check(0x10ff0, 0x20, Prot.WRITE), false);
  assert.equal(m.check(0x11ff0, 0x20, Prot.READ), false);
  assert.equal(m.check(0xfffffff0, 0x20, Prot.READ), false);
  assert.equal(m.check(0x50000, 0, Prot.READ), true);
});

Deno.test("Memory writeBytes/readBytes copy across pages and ignore write protection", () => {
  const m = new Memory();
  m.map(0x10000, 0x2000, Prot.READ);
  const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
  m.writeBytes(0x10fd0, data);
  assert.deepEqual(m.readBytes(0x10fd0, 100), data);
  assert.equal(m.read8(0x11000), 49);
});

Deno.test("Memory calls onCodeWrite before a write lands on a page holding cached code", () => {
  const m = new Memory();
  m.map(0x10000, 0x1000, RW | Prot.EXEC);
  const seen: number[] = [];
  m.onCodeWrite = (p) => seen.push(p);
  m.markCode(0x10);
  m.write8(0x10004, 0x90);
  assert.deepEqual(seen, [0x10]);
  m.write8(0x10005, 0x90); // the page is no longer marked: no second call
  assert.deepEqual(seen, [0x10]);
  assert.equal(m.read8(0x10004), 0x90);
  m.markCode(0x10);
  m.writeBytes(0x10000, new Uint8Array([1]));
  assert.deepEqual(seen, [0x10, 0x10]);
});
