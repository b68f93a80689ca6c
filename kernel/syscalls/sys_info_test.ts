import assert from "node:assert/strict";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import {
  RLIMIT,
  sysGetrusage,
  sysPrlimit64,
  sysSchedGetaffinity,
  sysSysinfo,
  sysUgetrlimit,
  sysUname,
} from "./sys_info.ts";
import { sysMmap2 } from "./sys_mm.ts";
import { sysGetpid, sysGetppid, sysGettid, sysSetTidAddress } from "./sys_process.ts";
import { GRND, sysGetrandom } from "./sys_random.ts";

function boot(seed = 1) {
  const { k } = bootCode([], { seed });
  const t = k.current;
  const buf = sysMmap2(k, t, 0x40000000, 4096, 3, 0x22, -1, 0);
  return { k, t, buf };
}

Deno.test("uname reports a fixed i686 Linux", () => {
  const { k, t, buf } = boot();
  assert.equal(sysUname(k, t, buf), 0);
  const field = (i: number) => k.readCString(buf + i * 65);
  assert.deepEqual([field(0), field(1), field(2), field(4)], [
    "Linux",
    "dejavu",
    "6.1.0-dejavu",
    "i686",
  ]);
  assert.equal(sysUname(k, t, 0), -Errno.EFAULT);
});

Deno.test("ids are fixed and set_tid_address returns the tid", () => {
  const { k, t } = boot();
  assert.equal(sysGetpid(k, t), 1000);
  assert.equal(sysGettid(k, t), 1000);
  assert.equal(sysGetppid(k, t), 999);
  assert.equal(sysSetTidAddress(k, t, 0x1234), 1000);
  assert.equal(t.clearChildTid, 0x1234);
});

Deno.test("rlimits: RLIMIT_STACK is 8 MiB, prlimit64 sets and reads back", () => {
  const { k, t, buf } = boot();
  assert.equal(sysUgetrlimit(k, t, RLIMIT.STACK, buf), 0);
  assert.equal(k.mem.read32(buf), 8 * 1024 * 1024);
  assert.equal(k.mem.read32(buf + 4), -1);
  const lim = new Uint8Array(16);
  const dv = new DataView(lim.buffer);
  dv.setBigUint64(0, 256n, true);
  dv.setBigUint64(8, 512n, true);
  k.mem.writeBytes(buf, lim);
  assert.equal(sysPrlimit64(k, t, 0, RLIMIT.NOFILE, buf, buf + 32), 0);
  assert.equal(k.mem.read32(buf + 32), 1024);
  assert.equal(sysPrlimit64(k, t, 0, RLIMIT.NOFILE, 0, buf + 32), 0);
  assert.equal(k.mem.read32(buf + 32), 256);
  assert.equal(sysPrlimit64(k, t, 77, RLIMIT.NOFILE, 0, buf), -Errno.ESRCH);
  assert.equal(sysUgetrlimit(k, t, 99, buf), -Errno.EINVAL);
});

Deno.test("sysinfo, getrusage and sched_getaffinity fill their structs", () => {
  const { k, t, buf } = boot();
  assert.equal(sysSysinfo(k, t, buf), 0);
  assert.equal(k.mem.read32(buf), 100); // uptime
  assert.equal(k.mem.read32(buf + 52), 1); // mem_unit
  assert.equal(sysGetrusage(k, t, 0, buf), 0);
  assert.equal(sysGetrusage(k, t, 5, buf), -Errno.EINVAL);
  assert.equal(sysSchedGetaffinity(k, t, 0, 128, buf), 4);
  assert.equal(k.mem.read32(buf), 1);
  assert.equal(sysSchedGetaffinity(k, t, 0, 2, buf), -Errno.EINVAL);
});

Deno.test("getrandom is seeded and validates flags", () => {
  const a = boot(1), b = boot(1), c = boot(2);
  for (const x of [a, b, c]) assert.equal(sysGetrandom(x.k, x.t, x.buf, 32, 0), 32);
  assert.deepEqual(a.k.mem.readBytes(a.buf, 32), b.k.mem.readBytes(b.buf, 32));
  assert.notDeepEqual(a.k.mem.readBytes(a.buf, 32), c.k.mem.readBytes(c.buf, 32));
  assert.equal(sysGetrandom(a.k, a.t, a.buf, 8, 8), -Errno.EINVAL);
  assert.equal(sysGetrandom(a.k, a.t, a.buf, 8, GRND.INSECURE | GRND.RANDOM), -Errno.EINVAL);
  assert.equal(sysGetrandom(a.k, a.t, 0, 8, 0), -Errno.EFAULT);
  assert.equal(sysGetrandom(a.k, a.t, 0, 0, GRND.NONBLOCK), 0);
});
