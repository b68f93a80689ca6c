/** @module Golden traces: recording each fixture with seed 1 is byte-equal; each golden replays. */
import assert from "node:assert/strict";
import { replayTrace } from "../replay/session.ts";
import { parseTrace } from "../traces/reader.ts";
import { MemoryHost } from "./_memory_host.ts";
import { expectedOf, goldenUrl, imageOf, loadFixtures, recordFixture } from "./_fixtures.ts";

for (const f of loadFixtures()) {
  Deno.test(`golden ${f.name} is reproduced byte for byte`, () => {
    let golden: string;
    try {
      golden = Deno.readTextFileSync(goldenUrl(f));
    } catch {
      assert.fail(`missing tests/golden/${f.name}.trace.json (run deno task golden)`);
    }
    const { text } = recordFixture(f);
    if (text !== golden) {
      const a = text.split("\n"), b = golden.split("\n");
      const line = a.findIndex((l, i) => l !== b[i]);
      assert.fail(
        `${f.name}: recording differs from the golden trace at line ${line + 1}:\n` +
          `  golden:   ${b[line]?.slice(0, 200)}\n  recorded: ${a[line]?.slice(0, 200)}`,
      );
    }
  });

  Deno.test(`golden ${f.name} replays with the native output`, () => {
    let text: string;
    try {
      text = Deno.readTextFileSync(goldenUrl(f));
    } catch {
      return; // reported by the test above
    }
    const trace = parseTrace(text, `${f.name}.trace.json`);
    const host = new MemoryHost();
    const r = replayTrace({ host, trace, image: imageOf(f) });
    const expected = expectedOf(f);
    assert.equal(host.stdout(), expected.stdout);
    assert.equal(r.exitCode, expected.exit);
  });
}
