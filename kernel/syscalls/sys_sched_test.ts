import assert from "node:assert/strict";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { MAP } from "../abi/mman.ts";
import { sysMmap2 } from "./sys_mm.ts";
import {
  PR,
  PRIO,
  SCHED,
  sysGetpriority,
  sysNice,
  sysPrctl,
  sysSchedGetparam,
  sysSchedGetPriorityMax,
  sysSchedGetPriorityMin,
  sysSchedGetscheduler,
  sysSchedSetparam,
  sysSchedSetscheduler,
  sysSetpriority,
} from "./sys_sched.ts";

function boot() {
  const { k } = bootCode([], { exePath: "/bin/a-rather-long-program" });
  const t = k.current;
  const buf = sysMmap2(k, t, 0x40000000, 4096, 3, MAP.PRIVATE | MAP.ANONYMOUS, -1, 0);
  return { k, t, buf };
}

Deno.test("getpriority returns 20 - nice and setpriority clamps", () => {
  const { k, t } = boot();
  assert.equal(sysGetpriority(k, t, PRIO.PROCESS, 0), 20);
  assert.equal(sysSetpriority(k, t, PRIO.PROCESS, 0, 5), 0);
  assert.equal(sysGetpriority(k, t, PRIO.PROCESS, 1000), 15);
  assert.equal(sysNice(k, t, 3), 0);
  assert.equal(sysGetpriority(k, t, PRIO.PGRP, 0), 12);
  assert.equal(sysSetpriority(k, t, PRIO.USER, 0, -99), 0);
  assert.equal(sysGetpriority(k, t, PRIO.USER, 0), 40);
  assert.equal(sysNice(k, t, -100), 0);
  assert.equal(sysGetpriority(k, t, PRIO.PROCESS, 0), 40);
  assert.equal(sysGetpriority(k, t, 3, 0), -Errno.EINVAL);
  assert.equal(sysGetpriority(k, t, PRIO.PROCESS, 4242), -Errno.ESRCH);
  assert.equal(sysSetpriority(k, t, PRIO.USER, 1, 0), -Errno.ESRCH);
  assert.equal(sysSetpriority(k, t, 0xffffffff, 0, 0), -Errno.EINVAL);
});

Deno.test("sched_setscheduler validates policy and priority and is reported back", () => {
  const { k, t, buf } = boot();
  const param = (p: number) => k.mem.write32(buf, p);
  assert.equal(sysSchedGetscheduler(k, t, 0), SCHED.OTHER);
  assert.equal(sysSchedGetscheduler(k, t, 0xffffffff), -Errno.EINVAL);
  assert.equal(sysSchedGetscheduler(k, t, 4242), -Errno.ESRCH);
  param(0);
  assert.equal(sysSchedSetscheduler(k, t, 0, SCHED.BATCH, buf), 0);
  assert.equal(sysSchedGetscheduler(k, t, 0), SCHED.BATCH);
  param(1);
  assert.equal(sysSchedSetscheduler(k, t, 0, SCHED.OTHER, buf), -Errno.EINVAL);
  assert.equal(sysSchedSetscheduler(k, t, 0, SCHED.RR, buf), 0);
  param(100);
  assert.equal(sysSchedSetparam(k, t, 0, buf), -Errno.EINVAL);
  param(7);
  assert.equal(sysSchedSetparam(k, t, 0, buf), 0);
  k.mem.write32(buf, 0xdead);
  assert.equal(sysSchedGetparam(k, t, 0, buf), 0);
  assert.equal(k.mem.read32(buf), 7);
  assert.equal(sysSchedGetscheduler(k, t, 0), SCHED.RR);
  assert.equal(sysSchedSetscheduler(k, t, 0, 42, buf), -Errno.EINVAL);
  assert.equal(sysSchedSetscheduler(k, t, 0, SCHED.OTHER, 0), -Errno.EINVAL);
  assert.equal(sysSchedSetscheduler(k, t, 0, SCHED.OTHER, 16), -Errno.EFAULT);
  assert.equal(sysSchedGetparam(k, t, 0, 0), -Errno.EINVAL);
});

Deno.test("sched_get_priority_min/max follow the policy", () => {
  const { k, t } = boot();
  assert.deepEqual(
    [SCHED.FIFO, SCHED.RR, SCHED.OTHER, SCHED.BATCH, SCHED.IDLE].map((p) => [
      sysSchedGetPriorityMin(k, t, p),
      sysSchedGetPriorityMax(k, t, p),
    ]),
    [[1, 99], [1, 99], [0, 0], [0, 0], [0, 0]],
  );
  assert.equal(sysSchedGetPriorityMax(k, t, 4), -Errno.EINVAL);
});

Deno.test("prctl names the thread and refuses unknown options", () => {
  const { k, t, buf } = boot();
  const name = () => {
    k.mem.writeBytes(buf, new Uint8Array(16).fill(0x71));
    assert.equal(sysPrctl(k, t, PR.GET_NAME, buf, 0, 0, 0), 0);
    return k.readCString(buf, 16);
  };
  assert.equal(name(), "a-rather-long-p");
  k.mem.writeBytes(buf + 64, new TextEncoder().encode("worker\0"));
  assert.equal(sysPrctl(k, t, PR.SET_NAME, buf + 64, 0, 0, 0), 0);
  assert.equal(name(), "worker");
  assert.equal(sysPrctl(k, t, PR.SET_NAME, 0x10, 0, 0, 0), -Errno.EFAULT);
  assert.equal(sysPrctl(k, t, PR.SET_PDEATHSIG, 9, 0, 0, 0), 0);
  assert.equal(sysPrctl(k, t, PR.GET_PDEATHSIG, buf, 0, 0, 0), 0);
  assert.equal(k.mem.read32(buf), 9);
  assert.equal(sysPrctl(k, t, PR.SET_PDEATHSIG, 65, 0, 0, 0), -Errno.EINVAL);
  assert.equal(sysPrctl(k, t, PR.GET_DUMPABLE, 0, 0, 0, 0), 1);
  assert.equal(sysPrctl(k, t, PR.SET_DUMPABLE, 0, 0, 0, 0), 0);
  assert.equal(sysPrctl(k, t, PR.GET_DUMPABLE, 0, 0, 0, 0), 0);
  assert.equal(sysPrctl(k, t, PR.SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
  assert.equal(sysPrctl(k, t, PR.GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
  assert.equal(sysPrctl(k, t, 12345, 0, 0, 0, 0), -Errno.EINVAL);
});
