/** @module `deno task bench`: runs CPU-bound fixtures natively and emulated; prints MIPS and slowdown. */
import { parseArgs } from "node:util";
import { DEFAULT_ENV } from "../../kernel/defaults.ts";
import { runProgram } from "../../replay/session.ts";
import { MemoryHost } from "../_memory_host.ts";
import {
  expectedOf,
  type Fixture,
  imageOf,
  loadFixtures,
  PROGRAMS,
  SLOW_FIXTURES,
  stdinOf,
} from "../_fixtures.ts";

/**
 * Usage: deno task bench [--runs N] [NAME]...
 *   NAME     fixtures to run (default: the slow ones, bench, bench_x87 and bench_sse2)
 *   --runs   emulated runs per fixture, the best one counts (default 1)
 * Ends with a Markdown table for BENCHMARKS.md.
 */
const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "1" } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs wants a positive integer, got ${values.runs}`);
  Deno.exit(1);
}
const wanted = positionals.length > 0 ? positionals : [...SLOW_FIXTURES];
const all = loadFixtures({ slow: true });
const missing = wanted.filter((n) => !all.some((f) => f.name === n));
if (missing.length > 0) {
  console.error(`bench: no fixture named ${missing.join(", ")} in tests/programs/fixtures.json`);
  Deno.exit(1);
}
const fixtures = wanted.map((n) => all.find((f) => f.name === n)!);

interface Timing {
  ms: number;
  code: number;
}

async function native(f: Fixture): Promise<Timing> {
  const env = Object.fromEntries(DEFAULT_ENV.map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
  const cmd = new Deno.Command(new URL(f.bin, PROGRAMS).pathname, {
    args: f.argv.slice(1),
    cwd: "/",
    env,
    clearEnv: true,
    stdin: f.stdin === null ? "null" : "piped",
    stdout: "null",
    stderr: "null",
  });
  const t0 = performance.now();
  const child = cmd.spawn();
  if (f.stdin !== null) {
    const w = child.stdin.getWriter();
    await w.write(stdinOf(f));
    await w.close();
  }
  const { code } = await child.status;
  return { ms: performance.now() - t0, code };
}

function emulated(f: Fixture): Timing & { ic: number; stdout: string } {
  const host = new MemoryHost({ stdin: stdinOf(f) });
  const image = imageOf(f);
  const t0 = performance.now();
  const r = runProgram({ host, image, argv: f.argv });
  return { ms: performance.now() - t0, code: r.exitCode, ic: r.ic, stdout: host.stdout() };
}

function best<T extends { ms: number }>(xs: T[]): T {
  return xs.toSorted((a, b) => a.ms - b.ms)[0];
}

const rows: string[][] = [];
for (const f of fixtures) {
  // best of 3 native runs: process start-up noise dominates short programs
  const nat = best([await native(f), await native(f), await native(f)]);
  const emu = best(Array.from({ length: runs }, () => emulated(f)));
  const mips = emu.ic / emu.ms / 1000;
  const slowdown = emu.ms / nat.ms;
  const expected = expectedOf(f);
  console.log(`${f.name}:`);
  console.log(`  guest instructions  ${emu.ic.toLocaleString("en-US")}`);
  console.log(`  native              ${nat.ms.toFixed(1)} ms (exit ${nat.code})`);
  console.log(`  emulated            ${emu.ms.toFixed(1)} ms (exit ${emu.code})`);
  console.log(`  emulated speed      ${mips.toFixed(1)} MIPS`);
  console.log(`  slowdown            ${slowdown.toFixed(1)}x`);
  if (nat.code !== emu.code) console.log(`  WARNING: exit codes differ`);
  if (emu.stdout !== expected.stdout) {
    console.log(`  WARNING: emulated stdout differs from expected/`);
  }
  rows.push([
    f.name,
    emu.ic.toLocaleString("en-US"),
    `${nat.ms.toFixed(1)} ms`,
    `${emu.ms.toFixed(1)} ms`,
    `${mips.toFixed(1)} MIPS`,
    `${Math.round(slowdown)}x`,
  ]);
}

const head = ["fixture", "guest instructions", "native", "emulated", "speed", "slowdown"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log("");
console.log(line(head));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
