/** @module Tests for trace comparison. */
import assert from "node:assert/strict";
import { diffTraces, firstDifference } from "./diff.ts";
import { parseTrace } from "./reader.ts";
import { sampleTrace } from "./_test_sample.ts";

const load = (text: string) => parseTrace(text, "t.json");

Deno.test("firstDifference is undefined for equal traces", () => {
  assert.equal(firstDifference(load(sampleTrace()), load(sampleTrace())), undefined);
});

Deno.test("firstDifference names the first differing event", () => {
  const b = load(sampleTrace().replace(`"args":[1,134529024,6]`, `"args":[1,134529024,7]`));
  assert.match(
    firstDifference(load(sampleTrace()), b)!,
    /^event 1: \{"i":1,.*"args":\[1,134529024,6\]/,
  );
});

Deno.test("firstDifference reports extra events and exit changes", () => {
  const a = load(sampleTrace());
  const b = load(sampleTrace());
  b.events.pop();
  assert.match(firstDifference(a, b)!, /^event 6: only in the first trace/);
  const c = load(sampleTrace());
  c.exit.status = { kind: "exited", code: 1 };
  assert.match(firstDifference(a, c)!, /^exit: /);
});

Deno.test("diffTraces is undefined for equal traces and ignores path and pack", () => {
  const b = load(sampleTrace());
  b.program.path = "elsewhere/hello";
  b.pack = { program: new Uint8Array([1]), files: [] };
  assert.equal(diffTraces(load(sampleTrace()), b), undefined);
});

Deno.test("diffTraces names the differing fields of the first differing event", () => {
  const b = load(sampleTrace().replace(`"args":[1,134529024,6]`, `"args":[1,134529024,7]`));
  const d = diffTraces(load(sampleTrace()), b)!;
  assert.equal(d.event?.index, 1);
  assert.deepEqual(d.event?.fields, ["args"]);
  assert.deepEqual(d.header, []);
});

Deno.test("diffTraces reports a shorter trace, header fields and exit changes", () => {
  const a = load(sampleTrace());
  const b = load(sampleTrace());
  b.events.pop();
  b.config.seed = 2;
  const d = diffTraces(a, b)!;
  assert.deepEqual(d.header, ["config"]);
  assert.equal(d.event?.index, 6);
  assert.equal(d.event?.b, undefined);
  const c = load(sampleTrace());
  c.exit.ic++;
  assert.equal(diffTraces(a, c)?.exit?.b.ic, a.exit.ic + 1);
});
