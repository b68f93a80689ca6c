import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { Errno } from "../abi/errno.ts";
import { POLL } from "../abi/poll.ts";
import { SI, SIG } from "../abi/signal.ts";
import { UserError } from "../errors.ts";
import type { RecordedOutcome, ReplaySource } from "../hooks.ts";
import { RESTART, sigbit } from "../signals.ts";
import { makeKernel, SCRATCH } from "../vfs/_test_env.ts";
import {
  POLL_ROWS,
  sysNewselect,
  sysOldSelect,
  sysPoll,
  sysPpoll,
  sysPpollTime64,
  sysPselect6,
  sysPselect6Time64,
} from "./sys_poll.ts";

const FDS = SCRATCH;
const SETS = SCRATCH + 0x1000;
const TV = SCRATCH + 0x2000;
const MASK = SCRATCH + 0x3000;
const ARGS = SCRATCH + 0x4000;
const MS = 1_000_000n;

type Env = ReturnType<typeof makeKernel>;

/** fds 3 (read end) and 4 (write end) of a new pipe. */
function withPipe(env: Env): [number, number] {
  const [r, w] = env.k.vfs.createPipe(0);
  return [env.t.proc.fds.alloc(r), env.t.proc.fds.alloc(w)];
}

function pollfds(env: Env, entries: [number, number][]): number {
  const b = new Uint8Array(entries.length * 8);
  const dv = new DataView(b.buffer);
  entries.forEach(([fd, ev], i) => {
    dv.setInt32(i * 8, fd, true);
    dv.setUint16(i * 8 + 4, ev, true);
    dv.setUint16(i * 8 + 6, 0xffff, true);
  });
  env.mem.writeBytes(FDS, b);
  return FDS;
}

function revents(env: Env, n: number): number[] {
  const dv = new DataView(env.bytes(FDS, n * 8).slice().buffer);
  return Array.from({ length: n }, (_, i) => dv.getUint16(i * 8 + 6, true));
}

function i32s(env: Env, addr: number, n: number): number[] {
  const dv = new DataView(env.bytes(addr, n * 4).slice().buffer);
  return Array.from({ length: n }, (_, i) => dv.getInt32(i * 4, true));
}

function putI32s(env: Env, addr: number, values: number[]): number {
  const b = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(b.buffer).setInt32(i * 4, v, true));
  env.mem.writeBytes(addr, b);
  return addr;
}

function uptime(env: Env): bigint {
  return env.k.clock.uptimeNs(env.k.ic);
}

Deno.test("POLL_ROWS uses the i386 numbers and re-executes in replay", () => {
  const names = Object.entries(POLL_ROWS).map(([nr, r]) => `${nr}:${r.name}`);
  assertEquals(names, [
    "82:select",
    "142:_newselect",
    "168:poll",
    "308:pselect6",
    "309:ppoll",
    "413:pselect6_time64",
    "414:ppoll_time64",
  ]);
  assertEquals(Object.values(POLL_ROWS).every((r) => r.reexec), true);
});

Deno.test("poll() reports pipe data, hang-up, errors and bad fds like Linux", () => {
  const env = makeKernel();
  const [r, w] = withPipe(env);
  const { k, t } = env;
  const ask = pollfds(env, [[r, POLL.IN], [w, POLL.OUT], [-1, POLL.IN], [99, POLL.IN], [5, 0]]);
  assertEquals(sysPoll(k, t, ask, 4, 0), 2);
  assertEquals(revents(env, 4), [0, POLL.OUT, 0, POLL.NVAL]);
  assertEquals(t.proc.fds.get(w)!.write(k, new Uint8Array([1])), 1);
  assertEquals(sysPoll(k, t, ask, 2, 0), 2);
  assertEquals(revents(env, 2), [POLL.IN, POLL.OUT]);
  t.proc.fds.close(w);
  pollfds(env, [[r, POLL.IN | POLL.OUT]]);
  assertEquals(sysPoll(k, t, FDS, 1, 0), 1);
  assertEquals(revents(env, 1), [POLL.IN | POLL.HUP]);
  t.proc.fds.get(r)!.read(k, 10);
  assertEquals(sysPoll(k, t, FDS, 1, 0), 1);
  assertEquals(revents(env, 1), [POLL.HUP]);
  const [r2, w2] = withPipe(env);
  t.proc.fds.close(r2);
  pollfds(env, [[w2, POLL.OUT]]);
  assertEquals(sysPoll(k, t, FDS, 1, 0), 1);
  assertEquals(revents(env, 1), [POLL.OUT | POLL.ERR]);
});

Deno.test("poll() on files, devices and stdio is always ready", () => {
  const env = makeKernel();
  const { k, t } = env;
  const file = k.vfs.open(t.proc, k.vfs.rootLoc(), "/dev/null", 2, 0);
  if (typeof file === "number") throw new RangeError("Cannot open /dev/null");
  const fd = t.proc.fds.alloc(file);
  const all = POLL.IN | POLL.OUT;
  pollfds(env, [[fd, all], [0, all], [1, all], [2, POLL.OUT]]);
  assertEquals(sysPoll(k, t, FDS, 4, 0), 4);
  assertEquals(revents(env, 4), [all, POLL.IN, POLL.OUT, POLL.OUT]);
});

Deno.test("poll() with nothing ready jumps the clock to its deadline", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  const before = uptime(env);
  pollfds(env, [[r, POLL.IN]]);
  assertEquals(sysPoll(env.k, env.t, FDS, 1, 250), 0);
  assertEquals(uptime(env) - before, 250n * MS);
  assertEquals(revents(env, 1), [0]);
  assertEquals(sysPoll(env.k, env.t, FDS, 1, 0), 0);
  assertEquals(uptime(env) - before, 250n * MS);
});

Deno.test("poll() waiting forever with nothing ready is a deadlock", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  pollfds(env, [[r, POLL.IN]]);
  assertThrows(() => sysPoll(env.k, env.t, FDS, 1, -1), UserError);
});

Deno.test("poll() checks nfds and the array pointer", () => {
  const env = makeKernel();
  assertEquals(sysPoll(env.k, env.t, FDS, 1025, 0), -Errno.EINVAL);
  assertEquals(sysPoll(env.k, env.t, 0x100, 1, 0), -Errno.EFAULT);
  assertEquals(sysPoll(env.k, env.t, 0, 0, 0), 0);
});

Deno.test("poll() cut short by a timer signal sets a restart block with the same deadline", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  const { k, t } = env;
  k.scheduler.add(t); // timers fire for the scheduler's tasks
  const start = uptime(env);
  t.proc.timers = new Map([["itimer0", {
    clock: "real" as const,
    due: start + 100n * MS,
    interval: 0n,
    info: { signo: SIG.ALRM, code: SI.KERNEL },
    overrun: 0,
  }]]);
  pollfds(env, [[r, POLL.IN]]);
  assertEquals(sysPoll(k, t, FDS, 1, 300), -RESTART.BLOCK);
  assertEquals(uptime(env) - start, 100n * MS);
  k.dequeueSignal(t, ~0n);
  assertEquals(k.takeRestartBlock(t)!(), 0);
  assertEquals(uptime(env) - start, 300n * MS);
});

Deno.test("ppoll() applies its mask for the call and reports a now-unblocked signal", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  const { k, t } = env;
  t.sigmask = sigbit(SIG.USR1);
  k.sendSignal(t, SIG.USR1);
  pollfds(env, [[r, POLL.IN]]);
  const mask = new Uint8Array(8);
  env.mem.writeBytes(MASK, mask);
  putI32s(env, TV, [5, 0]);
  assertEquals(sysPpoll(k, t, FDS, 1, TV, MASK, 8), -RESTART.NOHAND);
  assertEquals(t.sigmask, 0n);
  assertEquals(t.savedMask, sigbit(SIG.USR1));
  assertEquals(i32s(env, TV, 2), [5, 0]);
  // a bad sigset size fails before anything changes
  t.sigmask = 0n;
  t.savedMask = undefined;
  assertEquals(sysPpoll(k, t, FDS, 1, TV, MASK, 4), -Errno.EINVAL);
  // ready fds win over signals, and the mask is back at once
  const [, w] = withPipe(env);
  pollfds(env, [[w, POLL.OUT]]);
  t.sigmask = sigbit(SIG.USR1);
  assertEquals(sysPpoll(k, t, FDS, 1, 0, MASK, 8), 1);
  assertEquals(t.sigmask, sigbit(SIG.USR1));
  assertEquals(t.savedMask, undefined);
});

Deno.test("ppoll() writes the time left back to its timespec", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  pollfds(env, [[r, POLL.IN]]);
  putI32s(env, TV, [0, 20_000_000]);
  assertEquals(sysPpoll(env.k, env.t, FDS, 1, TV, 0, 0), 0);
  assertEquals(i32s(env, TV, 2), [0, 0]);
  putI32s(env, TV, [1, 0, 0, 0]);
  assertEquals(sysPpollTime64(env.k, env.t, FDS, 1, TV, 0, 0), 0);
  assertEquals(i32s(env, TV, 4), [0, 0, 0, 0]);
  putI32s(env, TV, [0, 1_000_000_000]);
  assertEquals(sysPpoll(env.k, env.t, FDS, 1, TV, 0, 0), -Errno.EINVAL);
});

Deno.test("select() fills i386 fd_sets and counts each set", () => {
  const env = makeKernel();
  const [r, w] = withPipe(env);
  const { k, t } = env;
  t.proc.fds.get(w)!.write(k, new Uint8Array([1]));
  const IN = SETS, OUT = SETS + 128;
  putI32s(env, IN, [(1 << r) | (1 << w) | 1]);
  putI32s(env, OUT, [(1 << w) | (1 << r) | 2]);
  putI32s(env, TV, [0, 0]);
  assertEquals(sysNewselect(k, t, w + 1, IN, OUT, 0, TV), 4);
  assertEquals(i32s(env, IN, 1), [(1 << r) | 1]);
  assertEquals(i32s(env, OUT, 1), [(1 << w) | 2]);
  putI32s(env, IN, [1 << 9]);
  assertEquals(sysNewselect(k, t, 10, IN, 0, 0, TV), -Errno.EBADF);
  assertEquals(i32s(env, IN, 1), [1 << 9]);
  assertEquals(sysNewselect(k, t, -1, IN, 0, 0, TV), -Errno.EINVAL);
  putI32s(env, TV, [0, -1]);
  assertEquals(sysNewselect(k, t, 1, 0, 0, 0, TV), -Errno.EINVAL);
});

Deno.test("select() times out on the logical clock and updates its timeval", () => {
  const env = makeKernel();
  const [r] = withPipe(env);
  const before = uptime(env);
  putI32s(env, SETS, [1 << r]);
  putI32s(env, TV, [1, 2_500_000]);
  putI32s(env, ARGS, [r + 1, SETS, 0, 0, TV]);
  assertEquals(sysOldSelect(env.k, env.t, ARGS), 0);
  assertEquals(uptime(env) - before, 3500n * MS);
  assertEquals(i32s(env, SETS, 1), [0]);
  assertEquals(i32s(env, TV, 2), [0, 0]);
  assertEquals(sysOldSelect(env.k, env.t, 0x100), -Errno.EFAULT);
});

Deno.test("pselect6() takes its mask through the { ss, ss_len } pair", () => {
  const env = makeKernel();
  const [r, w] = withPipe(env);
  const { k, t } = env;
  env.mem.writeBytes(MASK, new Uint8Array(8).fill(0xff));
  putI32s(env, ARGS, [MASK, 8]);
  putI32s(env, SETS, [1 << w]);
  assertEquals(sysPselect6(k, t, w + 1, 0, SETS, 0, 0, ARGS), 1);
  assertEquals(t.sigmask, 0n);
  putI32s(env, ARGS, [MASK, 7]);
  assertEquals(sysPselect6(k, t, w + 1, 0, SETS, 0, 0, ARGS), -Errno.EINVAL);
  assertEquals(sysPselect6(k, t, w + 1, 0, SETS, 0, 0, 0x100), -Errno.EFAULT);
  putI32s(env, SETS, [1 << r]);
  putI32s(env, TV, [0, 0, 7_000_000, 0]);
  const before = uptime(env);
  assertEquals(sysPselect6Time64(k, t, r + 1, SETS, 0, 0, TV, 0), 0);
  assertEquals(uptime(env) - before, 7n * MS);
});

Deno.test("poll() in replay takes readiness from the trace and still jumps the clock", () => {
  const env = makeKernel();
  const { k, t } = env;
  // no fd 3 exists in replay; the recorded call timed out after writing revents 0
  const recorded = new Uint8Array([3, 0, 0, 0, 1, 0, 0, 0]);
  const source = {} as ReplaySource;
  k.opts.mode = { kind: "replay", source };
  const outcome: RecordedOutcome = { ret: 0, mem: [[FDS, recorded]] };
  k.replayed = outcome;
  pollfds(env, [[3, POLL.IN]]);
  const before = uptime(env);
  assertEquals(sysPoll(k, t, FDS, 1, 40), 0);
  assertEquals(uptime(env) - before, 40n * MS);
  assertEquals(env.bytes(FDS, 8), recorded);
  k.replayed = { ret: 1, mem: [[FDS, new Uint8Array([3, 0, 0, 0, 1, 0, 1, 0])]] };
  assertEquals(sysPoll(k, t, FDS, 1, 40), 1);
  assertEquals(uptime(env) - before, 40n * MS);
  assertEquals(revents(env, 1), [POLL.IN]);
});
