/** @module Opcode coverage: every encoding the decoder accepts has stored vectors, or an allowlisted unit test. */
import assert from "node:assert/strict";
import {
  ALLOWLIST,
  coverageReport,
  PRIVILEGED_ALLOWED,
  REQUIRED_ADDRESSING,
} from "./tools/vectors/coverage.ts";
import type { VectorFile } from "./tools/vectors/format.ts";

const DIR = new URL("./vectors/", import.meta.url);
const files: VectorFile[] = [...Deno.readDirSync(DIR)]
  .filter((e) => e.isFile && e.name.endsWith(".json"))
  .map((e) => e.name)
  .sort()
  .map((name) => JSON.parse(Deno.readTextFileSync(new URL(name, DIR))));
const report = coverageReport(files);

Deno.test("vector coverage every accepted opcode has vectors or an allowlisted unit test", () => {
  const list = report.missing.map((a) => `  ${a.key} (${a.mn})`).join("\n");
  assert.equal(report.missing.length, 0, `Accepted encodings without vectors:\n${list}`);
  assert.deepEqual(report.unknown, [], "vectors decode to keys the tables do not list");
  const byFamily = new Map<string, Set<string>>();
  for (const [key, forms] of report.forms) {
    for (const f of forms) {
      const fam = f.slice(0, f.indexOf(":"));
      if (!byFamily.has(fam)) byFamily.set(fam, new Set());
      byFamily.get(fam)!.add(key);
    }
  }
  const forms = files.reduce((n, f) => n + f.forms.length, 0);
  console.log(
    `${report.vectors} vectors, ${forms} forms; ${report.covered.size} of ` +
      `${report.accepted.length} accepted keys have vectors, ${report.allowed.length} allowlisted\n  ` +
      files.map((f) =>
        `${f.family} ${f.forms.length} forms/${byFamily.get(f.family)?.size ?? 0} keys`
      )
        .join(", "),
  );
  assert.ok(report.vectors >= 20_000, `only ${report.vectors} vectors`);
  assert.ok(forms >= 400, `only ${forms} forms`);
});

Deno.test("vector coverage allowlist entries are accepted, unvectored and point to real tests", () => {
  const keys = new Set(report.accepted.map((a) => a.key));
  for (const a of ALLOWLIST) {
    assert.ok(keys.has(a.key), `allowlisted ${a.key} is not an accepted key`);
    assert.ok(!report.covered.has(a.key), `allowlisted ${a.key} has vectors now: drop it`);
  }
  for (const a of [...ALLOWLIST, PRIVILEGED_ALLOWED]) {
    const [file, name] = a.test.split(": ");
    const text = Deno.readTextFileSync(new URL(`../${file}`, import.meta.url));
    assert.ok(text.includes(`Deno.test("${name}"`), `${a.test} does not exist`);
  }
});

Deno.test("vector coverage every 16-bit addressing mode and FS/GS override has vectors", () => {
  const missing = REQUIRED_ADDRESSING.filter((k) => !report.addressing.has(k));
  assert.deepEqual(missing, [], `addressing forms without vectors: ${missing.join(", ")}`);
});
