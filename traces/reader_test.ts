/** @module Tests for the validating trace reader's one-line errors. */
import assert from "node:assert/strict";
import { UserError } from "../kernel/errors.ts";
import { parseTrace } from "./reader.ts";
import { sampleTrace } from "./_test_sample.ts";

function errorOf(text: string): string {
  try {
    parseTrace(text, "t.json");
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${e}`);
    assert.ok(!e.message.includes("\n"));
    return e.message;
  }
  assert.fail("expected an error");
}

function edit(from: string | RegExp, to: string): string {
  const text = sampleTrace();
  const out = text.replace(from, to);
  assert.notEqual(out, text);
  return out;
}

Deno.test("parseTrace reports truncation at any cut", () => {
  const text = sampleTrace();
  for (const cut of [text.length - 3, text.length - 40, 300, 120, 20]) {
    assert.equal(errorOf(text.slice(0, cut)), `t.json: truncated (no "exit" record)`);
  }
});

Deno.test("parseTrace names the line and event of a bad field", () => {
  assert.equal(
    errorOf(edit(`"ret":6,`, `"ret":"6",`)),
    `t.json: line 6: event 1: "ret" must be an integer`,
  );
  assert.equal(
    errorOf(edit(`"args":[1,134529024,6]`, `"args":[1,-1,6]`)),
    `t.json: line 6: event 1: "args"[1] must be an unsigned 32-bit integer`,
  );
  assert.equal(
    errorOf(edit(`"out":"aGVsbG8K"`, `"out":"aGVsb*8K"`)),
    `t.json: line 6: event 1: "out" is not valid base64`,
  );
  assert.equal(
    errorOf(edit(`{"i":2,`, `{"i":7,`)),
    `t.json: event 2: "i" is 7, expected 2 (events must be numbered in order)`,
  );
});

Deno.test("parseTrace rejects other documents", () => {
  assert.equal(errorOf(""), "t.json: empty file, not a dejavu trace");
  assert.equal(errorOf("\x7fELF\x01"), "t.json: not a dejavu trace (expected a JSON document)");
  assert.equal(errorOf(`{"format":"other"}`), `t.json: not a dejavu trace ("format" is "other")`);
  assert.equal(
    errorOf(edit(`"version":1`, `"version":2`)),
    "t.json: unsupported trace version 2 (this dejavu reads version 1)",
  );
  assert.equal(
    errorOf(edit(/"sha256":"[0-9a-f]+"/, `"sha256":"xyz"`)),
    `t.json: program: "sha256" must be 64 lowercase hex digits`,
  );
  assert.equal(errorOf(edit(`"code":0,`, ``)), `t.json: exit: needs "code" or "signal"`);
});

Deno.test("parseTrace rejects an ic that goes backwards", () => {
  assert.equal(
    errorOf(edit(`"ic":2999`, `"ic":2`)),
    `t.json: line 7: event 2: "ic" goes backwards (2 < 2210)`,
  );
});
