/** @module Tests for the replay source: every mismatch is a Divergence naming event, field and values. */
import assert from "node:assert/strict";
import { parseTrace } from "../traces/reader.ts";
import { sampleTrace } from "../traces/_test_sample.ts";
import { Divergence, DIVERGENCE_EXIT_CODE } from "./divergence.ts";
import { TraceReplayer } from "./replayer.ts";

const NAMES: Record<number, string> = {
  3: "read",
  4: "write",
  5: "open",
  45: "brk",
  101: "ioperm",
};

function replayer(): TraceReplayer {
  return new TraceReplayer(parseTrace(sampleTrace(), "t.json"), { nameOf: (nr) => NAMES[nr] });
}

/** Drives the whole sample trace correctly. */
function playAll(r: TraceReplayer): void {
  r.syscall(1000, 1843, 45, [0]);
  r.syscall(1000, 2210, 4, [1, 134529024, 6]);
  r.syscall(1000, 2999, 3, [0, 3221225000, 64]);
  r.switchTo(1001, 50000);
  r.signal(1000, 14, 61234);
  r.syscall(1000, 61300, 5, [134529100, 0, 0]);
  r.syscall(1000, 61400, 101, [0, 0, 0]);
}

function divergence(f: () => void): Divergence {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Divergence, `expected a Divergence, got ${e}`);
    assert.equal(e.exitCode, DIVERGENCE_EXIT_CODE);
    return e;
  }
  assert.fail("expected a Divergence");
}

Deno.test("TraceReplayer returns recorded outcomes", () => {
  const r = replayer();
  assert.equal(r.syscall(1000, 1843, 45, [0]).ret, 134541312);
  r.checkResult(134541312);
  const w = r.syscall(1000, 2210, 4, [1, 134529024, 6]);
  assert.equal(new TextDecoder().decode(w.out!.bytes), "hello\n");
  const rd = r.syscall(1000, 2999, 3, [0, 3221225000, 64]);
  assert.equal(rd.mem[0][0], 3221225000);
});

Deno.test("TraceReplayer accepts a matching run to the end", () => {
  const r = replayer();
  playAll(r);
  r.finish({ kind: "exited", code: 0 }, 70000, "cd".repeat(32), 1000);
});

Deno.test("TraceReplayer reports a changed argument", () => {
  const r = replayer();
  r.syscall(1000, 1843, 45, [0]);
  const d = divergence(() => r.syscall(1000, 2210, 4, [1, 134529024, 5]));
  assert.equal(
    d.message,
    "replay diverged at event 1 (tid 1000): write arg 2: trace has 6, program passed 5",
  );
  assert.equal(d.index, 1);
  assert.equal(d.field, "write arg 2");
});

Deno.test("TraceReplayer reports a different syscall, thread and ic", () => {
  assert.equal(
    divergence(() => replayer().syscall(1000, 1843, 4, [0])).message,
    "replay diverged at event 0 (tid 1000): syscall: trace has brk (45), program made write (4)",
  );
  assert.match(
    divergence(() => replayer().syscall(1001, 1843, 45, [0])).message,
    /brk thread: trace has tid 1000, program made it on tid 1001$/,
  );
  assert.match(
    divergence(() => replayer().syscall(1000, 1844, 45, [0])).message,
    /brk instruction count: trace has ic 1843, program reached it at ic 1844$/,
  );
});

Deno.test("TraceReplayer reports a re-executed result that differs", () => {
  const r = replayer();
  r.syscall(1000, 1843, 45, [0]);
  assert.match(
    divergence(() => r.checkResult(1)).message,
    /brk result: trace has 134541312, program re-executed it and got 1$/,
  );
});

Deno.test("TraceReplayer reports extra and missing syscalls", () => {
  const r = replayer();
  playAll(r);
  assert.equal(
    divergence(() => r.syscall(1000, 70000, 4, [1, 2, 3])).message,
    "replay diverged at event 7 (tid 1000): the trace has ended but the program made syscall write",
  );
  const short = replayer();
  short.syscall(1000, 1843, 45, [0]);
  assert.match(
    divergence(() => short.finish({ kind: "exited", code: 0 }, 70000, "x", 1000)).message,
    /at event 1 \(tid 1000\): program ended \(\+\+\+ exited with 0 \+\+\+\) but the trace has 6 more event\(s\), next: syscall write \(4\)$/,
  );
});

Deno.test("TraceReplayer checks exit status, ic and state", () => {
  const exits: [Parameters<TraceReplayer["finish"]>, RegExp][] = [
    [
      [{ kind: "exited", code: 1 }, 70000, "cd".repeat(32), 1000],
      /exit: trace has \+\+\+ exited with 0/,
    ],
    [[{ kind: "exited", code: 0 }, 69999, "cd".repeat(32), 1000], /exit instruction count/],
    [[{ kind: "exited", code: 0 }, 70000, "ab".repeat(32), 1000], /final state hash/],
  ];
  for (const [args, re] of exits) {
    const r = replayer();
    playAll(r);
    assert.match(divergence(() => r.finish(...args)).message, re);
  }
});

Deno.test("TraceReplayer reports a signal where a syscall was recorded", () => {
  assert.equal(
    divergence(() => replayer().signal(1000, 11, 100)).message,
    "replay diverged at event 0 (tid 1000): event: trace has syscall brk (45), program got signal 11",
  );
});

Deno.test("TraceReplayer checks recorded output against the guest's buffer", () => {
  const guest = new TextEncoder().encode("hellO\n");
  const r = replayer();
  r.attach((_addr, len) => guest.slice(0, len));
  r.syscall(1000, 1843, 45, [0]);
  const d = divergence(() => r.syscall(1000, 2210, 4, [1, 134529024, 6]));
  assert.equal(d.index, 1);
  assert.equal(d.field, "write output byte 4");
  assert.equal(
    d.message,
    "replay diverged at event 1 (tid 1000): write output byte 4: trace has 0x6f, program has 0x4f",
  );
});
