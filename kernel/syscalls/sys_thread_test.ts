import assert from "node:assert/strict";
import { Seg } from "../../core/cpu.ts";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { UserError } from "../errors.ts";
import { sysMmap2 } from "./sys_mm.ts";
import {
  FUTEX,
  sysFutex,
  sysGetThreadArea,
  sysSetRobustList,
  sysSetThreadArea,
} from "./sys_thread.ts";

function boot() {
  const { k } = bootCode([]);
  const t = k.current;
  const buf = sysMmap2(k, t, 0x40000000, 4096, 3, 0x22, -1, 0);
  return { k, t, buf };
}

function userDesc(entry: number, base: number, bits = 0x51): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, entry, true);
  dv.setUint32(4, base, true);
  dv.setUint32(8, 0xfffff, true);
  dv.setUint32(12, bits, true); // seg_32bit, limit_in_pages, useable
  return b;
}

Deno.test("set_thread_area allocates entry 12 and gs can load it", () => {
  const { k, t, buf } = boot();
  k.mem.writeBytes(buf, userDesc(-1, 0x12345000));
  assert.equal(sysSetThreadArea(k, t, buf), 0);
  assert.equal(k.mem.read32(buf), 12);
  assert.ok(t.cpu.loadSegment(Seg.GS, (12 << 3) | 3));
  assert.equal(t.cpu.segBase[Seg.GS], 0x12345000);
  // updating the entry in use reloads gs's base
  k.mem.writeBytes(buf, userDesc(12, 0x20000000));
  assert.equal(sysSetThreadArea(k, t, buf), 0);
  assert.equal(t.cpu.segBase[Seg.GS], 0x20000000);
  // the next -1 gets 13
  k.mem.writeBytes(buf, userDesc(-1, 0x1000));
  assert.equal(sysSetThreadArea(k, t, buf), 0);
  assert.equal(k.mem.read32(buf), 13);
});

Deno.test("set_thread_area validates entries", () => {
  const { k, t, buf } = boot();
  k.mem.writeBytes(buf, userDesc(6, 0));
  assert.equal(sysSetThreadArea(k, t, buf), -Errno.EINVAL);
  k.mem.writeBytes(buf, userDesc(12, 0, 0x50)); // not 32-bit
  assert.equal(sysSetThreadArea(k, t, buf), -Errno.EINVAL);
  assert.equal(sysSetThreadArea(k, t, 0), -Errno.EFAULT);
  for (let i = 0; i < 3; i++) {
    k.mem.writeBytes(buf, userDesc(-1, 0x1000));
    assert.equal(sysSetThreadArea(k, t, buf), 0);
  }
  k.mem.writeBytes(buf, userDesc(-1, 0x1000));
  assert.equal(sysSetThreadArea(k, t, buf), -Errno.ESRCH);
});

Deno.test("get_thread_area reads back the descriptor", () => {
  const { k, t, buf } = boot();
  k.mem.writeBytes(buf, userDesc(-1, 0xabc000));
  sysSetThreadArea(k, t, buf);
  k.mem.writeBytes(buf, new Uint8Array(16));
  k.mem.write32(buf, 12);
  assert.equal(sysGetThreadArea(k, t, buf), 0);
  assert.deepEqual(k.mem.readBytes(buf, 16), userDesc(12, 0xabc000));
  k.mem.write32(buf, 14);
  assert.equal(sysGetThreadArea(k, t, buf), 0);
  assert.equal(k.mem.read32(buf + 12), 0x28); // LDT_empty: read_exec_only | seg_not_present
});

Deno.test("set_robust_list insists on the i386 head size", () => {
  const { k, t } = boot();
  assert.equal(sysSetRobustList(k, t, 0x1000, 12), 0);
  assert.equal(sysSetRobustList(k, t, 0x1000, 24), -Errno.EINVAL);
});

Deno.test("futex with one thread: wake finds nobody, a stale wait returns EAGAIN", () => {
  const { k, t, buf } = boot();
  k.mem.write32(buf, 5);
  const priv = FUTEX.PRIVATE_FLAG;
  assert.equal(sysFutex(k, t, buf, FUTEX.WAKE | priv, 1, 0, 0, 0), 0);
  assert.equal(sysFutex(k, t, buf, FUTEX.WAIT | priv, 4, 0, 0, 0), -Errno.EAGAIN);
  assert.equal(sysFutex(k, t, buf + 1, FUTEX.WAIT, 5, 0, 0, 0), -Errno.EINVAL);
  assert.equal(sysFutex(k, t, buf, 99, 0, 0, 0, 0), -Errno.ENOSYS);
  assert.throws(() => sysFutex(k, t, buf, FUTEX.WAIT, 5, 0, 0, 0), UserError);
  // a timed wait sleeps its timeout
  k.mem.write32(buf + 8, 2);
  k.mem.write32(buf + 12, 0);
  const before = k.clock.monotonicNs(k.ic);
  assert.equal(sysFutex(k, t, buf, FUTEX.WAIT, 5, buf + 8, 0, 0), -Errno.ETIMEDOUT);
  assert.equal(k.clock.monotonicNs(k.ic) - before, 2_000_000_000n);
});

Deno.test("futex WAKE_OP updates the second word", () => {
  const { k, t, buf } = boot();
  k.mem.write32(buf + 4, 10);
  // FUTEX_OP_ADD (1) with oparg 3, compare EQ (0) against 10
  const op = (1 << 28) | (0 << 24) | (3 << 12) | 10;
  assert.equal(sysFutex(k, t, buf, FUTEX.WAKE_OP, 1, 1, buf + 4, op), 0);
  assert.equal(k.mem.read32(buf + 4), 13);
});
