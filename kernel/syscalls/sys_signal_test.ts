import assert from "node:assert/strict";
import { bootCode } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { SIG } from "../abi/signal.ts";
import { RESTART } from "../signals.ts";
import { sysMmap2 } from "./sys_mm.ts";
import {
  sysKill,
  sysRtSigaction,
  sysRtSigprocmask,
  sysRtSigreturn,
  sysRtSigsuspend,
  sysRtSigtimedwait,
  sysSigaltstack,
  sysTgkill,
} from "./sys_signal.ts";
import { sysSetitimer } from "./sys_timer.ts";

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
  k.deliverSignals(t);
  assert.equal(t.proc.exit, undefined);
  assert.equal(sysRtSigprocmask(k, t, 1, buf, 0, 8), 0);
  k.deliverSignals(t);
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

function handle(t: ReturnType<typeof boot>["t"], sig: number, flags = 0x04000000): void {
  t.proc.sigactions[sig] = { handler: 0x08049500, flags, restorer: 0x08049600, mask: 0n };
}

Deno.test("an interval timer wakes rt_sigsuspend at its logical time and runs the handler", () => {
  const { k, t, buf } = boot();
  t.cpu.regs[4] = buf + 4000; // esp
  handle(t, SIG.ALRM);
  t.sigmask = 1n << BigInt(SIG.ALRM - 1);
  const it = new Uint8Array(16);
  new DataView(it.buffer).setInt32(12, 50000, true); // it_value = 50 ms
  k.mem.writeBytes(buf + 64, it);
  assert.equal(sysSetitimer(k, t, 0, buf + 64, 0), 0);
  const before = k.clock.uptimeNs(k.ic);
  k.mem.writeBytes(buf + 128, new Uint8Array(8));
  // EINTR once the handler frame is set up (never restarted while a handler runs)
  assert.equal(sysRtSigsuspend(k, t, buf + 128, 8), -RESTART.NOHAND);
  assert.equal(k.clock.uptimeNs(k.ic) - before, 50_000_000n);
  k.deliverSignals(t);
  assert.equal(t.cpu.eip, 0x08049500);
  // the old frame keeps the pre-sigsuspend mask for sigreturn
  const f = t.cpu.regs[4] >>> 0;
  assert.equal(k.mem.read32(f + 8 + 80), 1 << (SIG.ALRM - 1));
  assert.equal(t.sigmask, 1n << BigInt(SIG.ALRM - 1));
});

Deno.test("rt_sigtimedwait takes a blocked signal with its siginfo, or times out", () => {
  const { k, t, buf } = boot();
  const set = new Uint8Array(8);
  new DataView(set.buffer).setBigUint64(0, 1n << BigInt(SIG.USR1 - 1), true);
  k.mem.writeBytes(buf, set);
  t.sigmask = 1n << BigInt(SIG.USR1 - 1);
  assert.equal(sysTgkill(k, t, t.proc.pid, t.tid, SIG.USR1), 0);
  assert.equal(sysRtSigtimedwait(k, t, buf, buf + 256, 0, 8), SIG.USR1);
  assert.equal(k.mem.read32(buf + 256 + 8) | 0, -6); // SI_TKILL
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setInt32(4, 1000, true);
  k.mem.writeBytes(buf + 64, ts);
  const before = k.clock.uptimeNs(k.ic);
  assert.equal(sysRtSigtimedwait(k, t, buf, 0, buf + 64, 8), -Errno.EAGAIN);
  assert.equal(k.clock.uptimeNs(k.ic) - before, 1000n);
});

Deno.test("a frame that cannot be written ends the process with SIGSEGV", () => {
  const { k, t } = boot();
  handle(t, SIG.USR1);
  t.cpu.regs[4] = 0x1000; // unmapped stack
  assert.equal(sysKill(k, t, t.proc.pid, SIG.USR1), 0);
  k.deliverSignals(t);
  assert.deepEqual(t.proc.exit, { kind: "signaled", signal: SIG.SEGV });
});

Deno.test("sigreturn restores the context saved when the handler was entered", () => {
  const { k, t, buf } = boot();
  handle(t, SIG.USR2, 0x04000004); // SA_RESTORER | SA_SIGINFO
  t.cpu.regs[4] = buf + 4000;
  t.cpu.regs[0] = 1234;
  const eip = t.cpu.eip;
  sysKill(k, t, t.proc.pid, SIG.USR2);
  k.deliverSignals(t);
  assert.equal(t.cpu.eip, 0x08049500);
  assert.equal(t.sigmask, 1n << BigInt(SIG.USR2 - 1));
  t.cpu.regs[4] += 4; // ret into the restorer
  assert.equal(sysRtSigreturn(k, t), 1234);
  assert.equal(t.cpu.eip, eip);
  assert.equal(t.cpu.regs[4], buf + 4000);
  assert.equal(t.sigmask, 0n);
});

Deno.test("sigaltstack refuses changes while running on the alternate stack", () => {
  const { k, t, buf } = boot();
  t.altStack = { sp: buf, size: 4096, flags: 0 };
  t.cpu.regs[4] = buf + 100;
  const ss = new Uint8Array(12);
  new DataView(ss.buffer).setUint32(4, 2, true);
  k.mem.writeBytes(buf + 200, ss);
  assert.equal(sysSigaltstack(k, t, buf + 200, 0), -Errno.EPERM);
  assert.equal(sysSigaltstack(k, t, 0, buf + 300), 0);
  assert.equal(k.mem.read32(buf + 304), 1); // SS_ONSTACK
});
