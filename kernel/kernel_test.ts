import assert from "node:assert/strict";
import { Reg } from "../core/cpu.ts";
import { bootCode, CODE_OFFSET, imm32, sys, TEXT_BASE, tinyElf } from "./_test_kernel.ts";
import { UserError } from "./errors.ts";
import type { Recorder, ReplaySource, SyscallEvent } from "./hooks.ts";
import { defaultExePath, Kernel } from "./kernel.ts";
import { STACK_TOP } from "./loader/initial_stack.ts";

/** `prefix`, then write(1, msg, len) and exit_group(code), with the message right after the code. */
function helloCode(msg: string, code = 0, prefix: number[] = []): number[] {
  const m = [...new TextEncoder().encode(msg)];
  const build = (addr: number) => [...prefix, ...sys(4, 1, addr, m.length), ...sys(252, code)];
  const body = build(TEXT_BASE + CODE_OFFSET + build(0).length);
  return [...body, ...m];
}

Deno.test("Kernel.run() runs a write and exit_group program", () => {
  const { k, host } = bootCode(helloCode("hi there\n", 7));
  assert.deepEqual(k.run(), { kind: "exited", code: 7 });
  assert.equal(host.text(), "hi there\n");
  assert.equal(host.errText(), "");
  assert.ok(k.ic > 0);
});

Deno.test("Kernel.boot() refuses a dynamic executable", () => {
  assert.throws(
    () =>
      Kernel.boot(tinyElf([0x90], { interp: "/lib/ld-linux.so.2" }), {
        host: { writeStdout() {}, writeStderr() {}, readStdin: () => 0, fs: null! },
        mode: { kind: "run" },
        seed: 1,
        epoch: 0,
        mounts: [],
        cwd: "/",
        argv: ["dyn"],
        env: [],
        maxInstructions: 0,
        verbose: false,
      }),
    (e: unknown) => e instanceof UserError && e.message.startsWith("dyn: dynamically linked"),
  );
});

Deno.test("Kernel.boot() starts at the entry with esp on argc", () => {
  const { k } = bootCode([], { argv: ["p", "x"] });
  const cpu = k.current.cpu;
  assert.equal(cpu.eip, TEXT_BASE + 0xd4);
  const esp = cpu.regs[Reg.ESP] >>> 0;
  assert.ok(esp < STACK_TOP && esp % 16 === 0);
  assert.equal(k.mem.read32(esp), 2);
  assert.equal(k.current.tid, 1000);
  assert.equal(k.exePath, "/bin/p");
});

Deno.test("Kernel.run() kills with SIGSEGV on a bad store", () => {
  // mov dword [0], eax
  const { k } = bootCode([0xa3, ...imm32(0)]);
  assert.deepEqual(k.run(), { kind: "signaled", signal: 11 });
});

Deno.test("Kernel.run() reports SIGILL with the bytes", () => {
  const { k, host } = bootCode([0x0f, 0x0b]); // ud2
  assert.deepEqual(k.run(), { kind: "signaled", signal: 4 });
  assert.match(
    host.errText(),
    /^dejavu: SIGILL at 0x080480d4: bytes 0f 0b b8 fc 00 00 00 bb \.\.\.\n$/,
  );
});

Deno.test("Kernel.run() stops at maxInstructions", () => {
  const { k } = bootCode([0xeb, 0xfe], { maxInstructions: 100_000 }); // jmp $
  assert.throws(() => k.run(), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.message, "instruction limit of 100000 reached at eip 0x080480d4");
    return true;
  });
  assert.equal(k.ic, 100_000);
});

Deno.test("Kernel.run() counts unimplemented syscalls and returns ENOSYS", () => {
  // syscall 9999; then exit_group(eax & 0xff) via mov ebx, eax
  const code = [0xb8, ...imm32(9999), 0xcd, 0x80, 0x89, 0xc3, 0xb8, ...imm32(252), 0xcd, 0x80];
  const { k, host } = bootCode(code, { verbose: true });
  assert.deepEqual(k.run(), { kind: "exited", code: (-38) & 0xff });
  assert.deepEqual([...k.unimplemented], [["syscall_9999", 1]]);
  assert.equal(host.errText(), "dejavu: unimplemented syscalls: syscall_9999 ×1\n");
});

Deno.test("Kernel.run() kills itself with kill(getpid(), SIGTERM)", () => {
  const code = [...sys(20), 0x89, 0xc3, 0xb8, ...imm32(37), 0xb9, ...imm32(15), 0xcd, 0x80];
  const { k } = bootCode(code);
  assert.deepEqual(k.run(), { kind: "signaled", signal: 15 });
});

Deno.test("Kernel record mode captures copyOut bytes, output and signals", () => {
  const events: SyscallEvent[] = [];
  const signals: number[] = [];
  const recorder: Recorder = {
    syscall: (ev) => events.push(ev),
    signal: (_tid, sig) => signals.push(sig),
    switchTo: () => {},
  };
  // uname(esp - 400) then write, exit
  const code = helloCode("out\n", 3, [
    0x89,
    0xe3,
    0x81,
    0xeb,
    ...imm32(400), // mov ebx, esp; sub ebx, 400
    0xb8,
    ...imm32(122),
    0xcd,
    0x80, // uname
  ]);
  const { k, host } = bootCode(code, { mode: { kind: "record", recorder } });
  assert.deepEqual(k.run(), { kind: "exited", code: 3 });
  assert.equal(host.text(), "out\n");
  assert.deepEqual(events.map((e) => e.name), ["uname", "write", "exit_group"]);
  assert.equal(events[0].mem.length, 1);
  assert.equal(new TextDecoder().decode(events[0].mem[0][1].subarray(0, 5)), "Linux");
  assert.deepEqual(events[1].out, { fd: 1, bytes: new TextEncoder().encode("out\n") });
  assert.equal(events[1].ret, 4);
  assert.deepEqual(signals, []);

  // replay: the same program gets its results from the events, the world is not touched
  let i = 0;
  const rechecked: number[] = [];
  const source: ReplaySource = {
    syscall(_tid, ic, nr, args) {
      const ev = events[i++];
      assert.equal(ic, ev.ic);
      assert.equal(nr, ev.nr);
      assert.deepEqual(args, ev.args);
      return { ret: ev.ret, mem: ev.mem, out: ev.out };
    },
    checkResult: (ret) => rechecked.push(ret),
    signal() {},
    switchTo() {},
  };
  const r = bootCode(code, { mode: { kind: "replay", source } });
  assert.deepEqual(r.k.run(), { kind: "exited", code: 3 });
  assert.equal(r.host.text(), "out\n");
  assert.equal(i, 3);
  assert.deepEqual(rechecked, [0]); // only exit_group re-executes
  assert.equal(r.k.stateHash(), k.stateHash());
});

Deno.test("Kernel record mode reports a fault kill as a signal", () => {
  const signals: [number, number][] = [];
  const recorder: Recorder = {
    syscall() {},
    signal: (_tid, sig, ic) => signals.push([sig, ic]),
    switchTo() {},
  };
  const { k } = bootCode([0x90, 0xa3, ...imm32(0)], { mode: { kind: "record", recorder } });
  k.run();
  assert.deepEqual(signals, [[11, 1]]);
});

Deno.test("Kernel runs are deterministic per seed", () => {
  // getrandom(esp-64, 16, 0), then exit
  const code = [
    0x89,
    0xe3,
    0x83,
    0xeb,
    0x40,
    0xb8,
    ...imm32(355),
    0xb9,
    ...imm32(16),
    0x31,
    0xd2,
    0xcd,
    0x80,
  ];
  const a = bootCode(code, { seed: 5 }).k,
    b = bootCode(code, { seed: 5 }).k,
    c = bootCode(code, { seed: 6 }).k;
  a.run();
  b.run();
  c.run();
  assert.equal(a.stateHash(), b.stateHash());
  assert.notEqual(a.stateHash(), c.stateHash());
});

Deno.test("defaultExePath() resolves argv[0] like execve would", () => {
  assert.equal(defaultExePath("hello", "/"), "/bin/hello");
  assert.equal(defaultExePath("./hello", "/work"), "/work/hello");
  assert.equal(defaultExePath("../x/y", "/a/b"), "/a/x/y");
  assert.equal(defaultExePath("/usr/bin/z", "/"), "/usr/bin/z");
});
