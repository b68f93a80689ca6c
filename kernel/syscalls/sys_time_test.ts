import assert from "node:assert/strict";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { MONOTONIC_START_NS } from "../clock.ts";
import { RESTART } from "../signals.ts";
import { sysMmap2 } from "./sys_mm.ts";
import { sysRestartSyscall } from "./sys_signal.ts";
import {
  CLOCK,
  sysClockGetres,
  sysClockGettime,
  sysClockGettime64,
  sysClockNanosleep,
  sysGettimeofday,
  sysNanosleep,
  sysTime,
} from "./sys_time.ts";
import { sysSetitimer } from "./sys_timer.ts";

function boot() {
  const { k } = bootCode([], { epoch: 1000 });
  const t = k.current;
  const buf = sysMmap2(k, t, 0x40000000, 4096, 3, 0x22, -1, 0);
  const dv = () => new DataView(k.mem.readBytes(buf, 32).buffer);
  return { k, t, buf, dv };
}

Deno.test("clock_gettime reads the logical clocks", () => {
  const { k, t, buf, dv } = boot();
  k.ic = 1_500_000_123;
  assert.equal(sysClockGettime(k, t, CLOCK.REALTIME, buf), 0);
  assert.equal(dv().getInt32(0, true), 1001);
  assert.equal(dv().getInt32(4, true), 500_000_123);
  assert.equal(sysClockGettime64(k, t, CLOCK.MONOTONIC, buf), 0);
  assert.equal(dv().getBigInt64(0, true), (MONOTONIC_START_NS + 1_500_000_123n) / 1_000_000_000n);
  assert.equal(sysClockGettime(k, t, CLOCK.PROCESS_CPUTIME_ID, buf), 0);
  assert.equal(dv().getInt32(0, true), 1);
  assert.equal(sysClockGettime(k, t, 99, buf), -Errno.EINVAL);
  assert.equal(sysClockGettime(k, t, CLOCK.REALTIME, 0), -Errno.EFAULT);
  assert.equal(sysClockGetres(k, t, CLOCK.MONOTONIC, buf), 0);
  assert.equal(dv().getInt32(4, true), 1);
});

Deno.test("gettimeofday and time agree with the epoch", () => {
  const { k, t, buf, dv } = boot();
  k.ic = 2_000_001_000;
  assert.equal(sysGettimeofday(k, t, buf, 0), 0);
  assert.equal(dv().getInt32(0, true), 1002);
  assert.equal(dv().getInt32(4, true), 1);
  assert.equal(sysTime(k, t, 0), 1002);
});

Deno.test("nanosleep jumps logical time and validates the request", () => {
  const { k, t, buf } = boot();
  const ts = new Uint8Array(8);
  const dv = new DataView(ts.buffer);
  dv.setInt32(0, 3, true);
  dv.setInt32(4, 250, true);
  k.mem.writeBytes(buf, ts);
  const before = k.clock.monotonicNs(k.ic);
  assert.equal(sysNanosleep(k, t, buf, 0), 0);
  assert.equal(k.clock.monotonicNs(k.ic) - before, 3_000_000_250n);
  dv.setInt32(4, 1_000_000_000, true);
  k.mem.writeBytes(buf, ts);
  assert.equal(sysNanosleep(k, t, buf, 0), -Errno.EINVAL);
  assert.equal(sysNanosleep(k, t, 0, 0), -Errno.EFAULT);
});

Deno.test("clock_nanosleep with TIMER_ABSTIME sleeps until the deadline", () => {
  const { k, t, buf } = boot();
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setInt32(0, 1010, true);
  k.mem.writeBytes(buf, ts);
  assert.equal(sysClockNanosleep(k, t, CLOCK.REALTIME, 1, buf, 0), 0);
  assert.equal(k.clock.realtimeNs(k.ic), 1010n * 1_000_000_000n);
  // a deadline in the past returns at once
  assert.equal(sysClockNanosleep(k, t, CLOCK.REALTIME, 1, buf, 0), 0);
  assert.equal(k.clock.realtimeNs(k.ic), 1010n * 1_000_000_000n);
  assert.equal(sysClockNanosleep(k, t, CLOCK.THREAD_CPUTIME_ID, 0, buf, 0), -Errno.EINVAL);
});

Deno.test("nanosleep cut short by a timer signal writes the time left and resumes by restart", () => {
  const { k, t, buf } = boot();
  const w = new DataView(new ArrayBuffer(16));
  w.setInt32(12, 250_000, true); // it_value 0.25 s
  k.mem.writeBytes(buf + 64, new Uint8Array(w.buffer));
  assert.equal(sysSetitimer(k, t, 0, buf + 64, 0), 0);
  k.mem.writeBytes(buf, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])); // 1 s
  const start = k.clock.uptimeNs(k.ic);
  assert.equal(sysNanosleep(k, t, buf, buf + 16), -RESTART.BLOCK);
  assert.equal(k.clock.uptimeNs(k.ic) - start, 250_000_000n);
  const rem = new DataView(k.mem.readBytes(buf + 16, 8).buffer);
  assert.deepEqual([rem.getInt32(0, true), rem.getInt32(4, true)], [0, 750_000_000]);
  // no handler ran: restart_syscall sleeps on to the first deadline
  assert.equal(k.dequeueSignal(t, ~0n)?.signo, 14);
  assert.equal(sysRestartSyscall(k, t), 0);
  assert.equal(k.clock.uptimeNs(k.ic) - start, 1_000_000_000n);
  assert.equal(sysRestartSyscall(k, t), -Errno.EINTR); // the block is used up
});
