/** @module Every fixture runs emulated with the native stdout and exit code, deterministically. */
import assert from "node:assert/strict";
import { expectedOf, loadFixtures, recordFixture } from "./_fixtures.ts";

for (const f of loadFixtures()) {
  Deno.test(`fixture ${f.name} matches the native run and records deterministically`, () => {
    const expected = expectedOf(f);
    const a = recordFixture(f);
    assert.equal(a.host.stdout(), expected.stdout, `${f.name}: stdout`);
    assert.equal(a.result.exitCode, expected.exit, `${f.name}: exit code`);
    const b = recordFixture(f);
    assert.ok(a.text === b.text, `${f.name}: two recordings with seed 1 differ`);
  });
}
