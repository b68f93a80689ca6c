/** @module `deno task golden`: regenerates tests/golden/<fixture>.trace.json (seed 1) from the fixtures. */
import { goldenUrl, loadFixtures, recordFixture } from "../_fixtures.ts";

const only = new Set(Deno.args);
let written = 0, failed = 0;
for (const f of loadFixtures()) {
  if (only.size > 0 && !only.has(f.name)) continue;
  let rec;
  try {
    rec = recordFixture(f);
  } catch (e) {
    console.log(`${f.name}: FAILED, golden left as it was: ${(e as Error).message}`);
    failed++;
    continue;
  }
  const { text, result } = rec;
  const url = goldenUrl(f);
  let old: string | undefined;
  try {
    old = Deno.readTextFileSync(url);
  } catch { /* new golden */ }
  Deno.writeTextFileSync(url, text);
  const lines = text.split("\n").length;
  const what = old === undefined ? "new" : old === text ? "unchanged" : "UPDATED";
  console.log(
    `${f.name}: ${what} (${lines} lines, exit ${result.exitCode}, ${result.ic} instructions)`,
  );
  written++;
}
console.log(`${written} golden trace(s) written to tests/golden/, ${failed} failed`);
if (failed > 0) Deno.exit(1);
