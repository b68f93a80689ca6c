/** @module Tests for the programmatic run/record/replay API on an in-memory host. */
import assert from "node:assert/strict";
import { UserError } from "../kernel/errors.ts";
import { parseTrace } from "../traces/reader.ts";
import { StringSink } from "../traces/writer.ts";
import { MemoryHost } from "../tests/_memory_host.ts";
import { helloElf } from "../tests/_tiny_elf.ts";
import { Divergence } from "./divergence.ts";
import { recordProgram, replayTrace, runProgram } from "./session.ts";

function record(image: Uint8Array, seed = 1) {
  const host = new MemoryHost();
  const sink = new StringSink();
  const result = recordProgram({ host, image, argv: ["hello"], sink, name: "hello", seed });
  return { host, text: sink.text(), result, closed: sink.closed };
}

Deno.test("runProgram returns the exit code and captures output", () => {
  const host = new MemoryHost();
  const r = runProgram({ host, image: helloElf("hi\n", 5), argv: ["hello"] });
  assert.equal(host.stdout(), "hi\n");
  assert.deepEqual(r.status, { kind: "exited", code: 5 });
  assert.equal(r.exitCode, 5);
  assert.ok(r.ic > 0);
  assert.match(r.state, /^[0-9a-f]{64}$/);
});

Deno.test("recordProgram then replayTrace reproduces output and status", () => {
  const image = helloElf("hello\n", 2);
  const rec = record(image);
  assert.ok(rec.closed);
  const trace = parseTrace(rec.text, "t.json");
  assert.equal(trace.events.length, 2);
  assert.equal(trace.exit.state, rec.result.state);
  const host = new MemoryHost();
  const r = replayTrace({ host, trace, image });
  assert.equal(host.stdout(), "hello\n");
  assert.equal(r.exitCode, 2);
  assert.equal(r.state, rec.result.state);
});

Deno.test("recordProgram is byte-identical for the same seed", () => {
  const image = helloElf("same\n");
  assert.equal(record(image).text, record(image).text);
});

Deno.test("replayTrace attaches eip and disassembly to a divergence", () => {
  const image = helloElf("hello\n");
  const text = record(image).text.replace(/("args":\[1,\d+,)6\]/, "$17]");
  const trace = parseTrace(text, "t.json");
  try {
    replayTrace({ host: new MemoryHost(), trace, image });
    assert.fail("expected a divergence");
  } catch (e) {
    assert.ok(e instanceof Divergence);
    assert.equal(e.field, "write arg 2");
    assert.match(e.details[0], /^ {2}eip 0x[0-9a-f]{8}:$/);
    assert.ok(e.details.some((l) => l.includes("int 0x80")), e.details.join("\n"));
  }
});

Deno.test("replayTrace refuses another program", () => {
  const trace = parseTrace(record(helloElf("a\n")).text, "t.json");
  assert.throws(
    () => replayTrace({ host: new MemoryHost(), trace, image: helloElf("b\n") }),
    (e) => e instanceof UserError && /does not match the trace: sha256/.test(e.message),
  );
});

Deno.test("replayTrace needs no host files for the traced mounts", () => {
  const image = helloElf("m\n");
  const trace = parseTrace(record(image).text, "t.json");
  trace.config.mounts = [{ host: "/nonexistent/dejavu/dir", guest: "/mnt", mode: "ro" }];
  // the state hash does not cover the VFS, so the recorded trace still matches
  const host = new MemoryHost();
  replayTrace({ host, trace, image });
  assert.equal(host.stdout(), "m\n");
});
