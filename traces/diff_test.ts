/** @module Tests for trace comparison. */
import assert from "node:assert/strict";
import { firstDifference } from "./diff.ts";
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
