/** @module Test helper: a sample trace exercising every event kind. */
import type { TraceHeader } from "./format.ts";
import { StringSink, TraceWriter } from "./writer.ts";

export const HEADER: TraceHeader = {
  program: {
    name: "hello",
    sha256: "ab".repeat(32),
    size: 8192,
    path: "../bin/hello",
    argv: ["hello", "a"],
    env: ["PATH=/bin"],
  },
  config: { seed: 1, epoch: 946684800, cpu: "i686", cwd: "/", mounts: [] },
};

export function sampleTrace(): string {
  const sink = new StringSink();
  const w = new TraceWriter(sink, HEADER);
  w.event({
    kind: "syscall",
    tid: 1000,
    ic: 1843,
    sys: "brk",
    nr: 45,
    args: [0],
    ret: 134541312,
    mem: [],
  });
  w.event({
    kind: "syscall",
    tid: 1000,
    ic: 2210,
    sys: "write",
    nr: 4,
    args: [1, 134529024, 6],
    ret: 6,
    mem: [],
    out: { fd: 1, bytes: new TextEncoder().encode("hello\n") },
  });
  w.event({
    kind: "syscall",
    tid: 1000,
    ic: 2999,
    sys: "read",
    nr: 3,
    args: [0, 3221225000, 64],
    ret: 5,
    mem: [[3221225000, new TextEncoder().encode("hello")]],
  });
  w.event({ kind: "switch", tid: 1001, ic: 50000 });
  w.event({ kind: "signal", tid: 1000, signal: 14, ic: 61234 });
  w.event({
    kind: "syscall",
    tid: 1000,
    ic: 61300,
    sys: "open",
    nr: 5,
    args: [134529100, 0, 0],
    ret: -2,
    mem: [],
    str: { 0: "/etc/passwd" },
  });
  w.event({
    kind: "syscall",
    tid: 1000,
    ic: 61400,
    sys: "ioperm",
    nr: 101,
    args: [0, 0, 0],
    ret: -38,
    mem: [],
    enosys: true,
  });
  w.finish({ status: { kind: "exited", code: 0 }, ic: 70000, state: "cd".repeat(32) });
  if (!sink.closed) throw new RangeError("Sample trace sink was not closed");
  return sink.text();
}
