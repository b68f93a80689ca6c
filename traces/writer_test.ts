/** @module Tests for the streaming trace writer and the reader round trip. */
import assert from "node:assert/strict";
import { decodeBase64, encodeBase64 } from "./format.ts";
import { HEADER, sampleTrace } from "./_test_sample.ts";
import { parseTrace } from "./reader.ts";
import { StringSink, TraceWriter } from "./writer.ts";

Deno.test("TraceWriter writes the v1 layout", () => {
  const text = sampleTrace();
  const lines = text.split("\n");
  assert.equal(lines[0], `{"format":"dejavu-trace","version":1,`);
  assert.match(lines[1], /^"program":\{"name":"hello",/);
  assert.match(lines[2], /^"config":\{"seed":1,"epoch":946684800,"cpu":"i686"/);
  assert.equal(lines[3], `"events":[`);
  assert.equal(
    lines[4],
    `{"i":0,"tid":1000,"ic":1843,"sys":"brk","nr":45,"args":[0],"ret":134541312},`,
  );
  assert.equal(
    lines[5],
    `{"i":1,"tid":1000,"ic":2210,"sys":"write","nr":4,"args":[1,134529024,6],"ret":6,"fd":1,"out":"aGVsbG8K"},`,
  );
  assert.equal(lines[7], `{"i":3,"switch":1001,"ic":50000},`);
  assert.equal(lines[8], `{"i":4,"signal":14,"tid":1000,"ic":61234},`);
  assert.equal(lines[11], `],`);
  assert.equal(lines[12], `"exit":{"code":0,"ic":70000,"state":"${"cd".repeat(32)}"}}`);
  JSON.parse(text);
});

Deno.test("TraceWriter output is deterministic", () => {
  assert.equal(sampleTrace(), sampleTrace());
});

Deno.test("TraceWriter with no events is valid JSON", () => {
  const sink = new StringSink();
  const w = new TraceWriter(sink, HEADER);
  w.finish({ status: { kind: "signaled", signal: 11 }, ic: 5, state: "x" });
  const t = parseTrace(sink.text(), "t.json");
  assert.equal(t.events.length, 0);
  assert.deepEqual(t.exit.status, { kind: "signaled", signal: 11 });
});

Deno.test("TraceWriter abort discards the sink", () => {
  const sink = new StringSink();
  const w = new TraceWriter(sink, HEADER);
  w.abort();
  assert.ok(sink.aborted && !sink.closed);
});

Deno.test("parseTrace round-trips the writer's output", () => {
  const t = parseTrace(sampleTrace(), "t.json");
  assert.deepEqual(t.program, HEADER.program);
  assert.deepEqual(t.config, HEADER.config);
  assert.equal(t.events.length, 7);
  const read = t.events[2];
  assert.equal(read.kind, "syscall");
  if (read.kind === "syscall") {
    assert.equal(new TextDecoder().decode(read.mem[0][1]), "hello");
  }
  const open = t.events[5];
  assert.ok(open.kind === "syscall" && open.str?.[0] === "/etc/passwd");
  const nosys = t.events[6];
  assert.ok(nosys.kind === "syscall" && nosys.enosys === true);
  assert.deepEqual(t.events[3], { kind: "switch", i: 3, tid: 1001, ic: 50000 });
  assert.equal(t.exit.ic, 70000);
});

Deno.test("base64 round-trips every length", () => {
  for (let n = 0; n < 20; n++) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    const s = encodeBase64(b);
    assert.equal(s, btoa(String.fromCharCode(...b)));
    assert.deepEqual(decodeBase64(s), b);
  }
  assert.equal(decodeBase64("abc"), null);
  assert.equal(decodeBase64("ab!="), null);
});

Deno.test("TraceWriter writes the pack section on its own lines and the reader reads it back", () => {
  const sink = new StringSink();
  const w = new TraceWriter(sink, HEADER);
  w.event({ kind: "switch", tid: 1, ic: 10 });
  const file = {
    host: "/h/in.txt",
    guest: "/data/in.txt",
    size: 2,
    sha256: "cd".repeat(32),
    gzip: new Uint8Array([1, 2, 3]),
  };
  w.finish({ status: { kind: "exited", code: 0 }, ic: 20, state: "s" }, {
    program: new Uint8Array([9, 8]),
    files: [file],
  });
  const lines = sink.text().split("\n");
  assert.deepEqual(lines.slice(5), [
    `],`,
    `"pack":{"program":"CQg=",`,
    `"files":[`,
    `{"host":"/h/in.txt","guest":"/data/in.txt","size":2,"sha256":"${"cd".repeat(32)}",` +
    `"gzip":"AQID"}`,
    `]},`,
    `"exit":{"code":0,"ic":20,"state":"s"}}`,
    ``,
  ]);
  const t = parseTrace(sink.text(), "t.json");
  assert.deepEqual(t.pack, { program: new Uint8Array([9, 8]), files: [file] });
  assert.equal(parseTrace(sampleTrace(), "t.json").pack, undefined);
  assert.throws(
    () => parseTrace(sink.text().replace(`"gzip":"AQID"`, `"gzip":"A"`), "t.json"),
    /^UserError: t\.json: pack: file 0: "gzip" is not valid base64$/,
  );
});
