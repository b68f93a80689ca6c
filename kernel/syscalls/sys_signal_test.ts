import assert from "node:assert/strict";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { SIG } from "../abi/signal.ts";
import { sysMmap2 } from "./sys_mm.ts";
import { sysKill, sysTgkill } from "./sys_process.ts";
import { sysRtSigaction, sysRtSigprocmask, sysSigaltstack } from "./sys_signal.ts";

function boot() {
  const { k } = bootCode([]);
  const t = k.current;
  const buf = sysMmap2(k, t, 0x40000000, 4096, 3, 0x22, -1, 0);
  return { k, t, buf };
}

Deno.test("rt_sigaction stores, returns the old action and refuses SIGKILL", () => {
  const { k, t, buf } = boot();
  const act = new Uint8Array(20);
  const dv = new DataView(act.buffer);
  dv.setUint32(0, 0x08049000, true);
  dv.setUint32(4, 0x04000000, true);
  dv.setBigUint64(12, 1n << 9n, true);
  k.mem.writeBytes(buf, act);
  assert.equal(sysRtSigaction(k, t, SIG.USR1, buf, buf + 32, 8), 0);
  assert.deepEqual([...k.mem.readBytes(buf + 32, 20)], Array(20).fill(0));
  assert.equal(sysRtSigaction(k, t, SIG.USR1, 0, buf + 64, 8), 0);
  assert.deepEqual(k.mem.readBytes(buf + 64, 20), act);
  assert.equal(sysRtSigaction(k, t, SIG.KILL, buf, 0, 8), -Errno.EINVAL);
  assert.equal(sysRtSigaction(k, t, SIG.KILL, 0, buf + 64, 8), 0);
  assert.equal(sysRtSigaction(k, t, SIG.USR1, buf, 0, 4), -Errno.EINVAL);
  assert.equal(sysRtSigaction(k, t, 65, buf, 0, 8), -Errno.EINVAL);
});

Deno.test("rt_sigprocmask blocks, reports and never blocks SIGKILL", () => {
  const { k, t, buf } = boot();
  const set = new Uint8Array(8);
  new DataView(set.buffer).setBigUint64(0, (1n << 8n) | (1n << 9n), true); // SIGKILL, SIGUSR1
  k.mem.writeBytes(buf, set);
  assert.equal(sysRtSigprocmask(k, t, 0, buf, buf + 8, 8), 0);
  assert.equal(t.sigmask, 1n << 9n);
  assert.equal(sysRtSigprocmask(k, t, 9, buf, 0, 8), -Errno.EINVAL);
  assert.equal(sysRtSigprocmask(k, t, 0, 0, buf + 16, 8), 0);
  assert.equal(k.mem.read32(buf + 16), 1 << 9);
  assert.equal(sysRtSigprocmask(k, t, 0, buf, 0, 16), -Errno.EINVAL);
});

Deno.test("a blocked signal waits until it is unblocked", () => {
  const { k, t, buf } = boot();
  const set = new Uint8Array(8);
  new DataView(set.buffer).setBigUint64(0, 1n << BigInt(SIG.TERM - 1), true);
  k.mem.writeBytes(buf, set);
  sysRtSigprocmask(k, t, 0, buf, 0, 8);
  assert.equal(sysTgkill(k, t, t.proc.pid, t.tid, SIG.TERM), 0);
  assert.equal(t.state.kind, "runnable");
  assert.equal(sysRtSigprocmask(k, t, 1, buf, 0, 8), 0);
  assert.deepEqual(t.proc.exit, { kind: "signaled", signal: SIG.TERM });
});

Deno.test("kill ignores SIGCHLD by default and rejects other pids", () => {
  const { k, t } = boot();
  assert.equal(sysKill(k, t, t.proc.pid, SIG.CHLD), 0);
  assert.equal(t.state.kind, "runnable");
  assert.equal(sysKill(k, t, 4242, SIG.TERM), -Errno.ESRCH);
  assert.equal(sysKill(k, t, t.proc.pid, 65), -Errno.EINVAL);
  assert.equal(sysKill(k, t, t.proc.pid, 0), 0);
});

Deno.test("sigaltstack sets, reports and validates", () => {
  const { k, t, buf } = boot();
  assert.equal(sysSigaltstack(k, t, 0, buf), 0);
  assert.equal(k.mem.read32(buf + 4), 2); // SS_DISABLE
  const ss = new Uint8Array(12);
  const dv = new DataView(ss.buffer);
  dv.setUint32(0, 0x40000000, true);
  dv.setUint32(8, 1024, true);
  k.mem.writeBytes(buf, ss);
  assert.equal(sysSigaltstack(k, t, buf, 0), -Errno.ENOMEM);
  dv.setUint32(8, 8192, true);
  k.mem.writeBytes(buf, ss);
  assert.equal(sysSigaltstack(k, t, buf, buf + 16), 0);
  assert.deepEqual(t.altStack, { sp: 0x40000000, size: 8192, flags: 0 });
  dv.setUint32(4, 7, true);
  k.mem.writeBytes(buf, ss);
  assert.equal(sysSigaltstack(k, t, buf, 0), -Errno.EINVAL);
});
