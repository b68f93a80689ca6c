/** @module `deno task bench`: runs CPU-bound fixtures natively and emulated; prints MIPS and slowdown. */
import { DEFAULT_ENV } from "../../kernel/defaults.ts";
import { runProgram } from "../../replay/session.ts";
import { MemoryHost } from "../_memory_host.ts";
import { type Fixture, imageOf, loadFixtures, PROGRAMS, stdinOf } from "../_fixtures.ts";

const wanted = Deno.args.length > 0 ? new Set(Deno.args) : new Set(["bench"]);
const fixtures = loadFixtures({ slow: true }).filter((f) => wanted.has(f.name));
if (fixtures.length === 0) {
  console.error(
    `bench: no fixture named ${[...wanted].join(", ")} in tests/programs/fixtures.json`,
  );
  Deno.exit(1);
}

async function native(f: Fixture): Promise<{ ms: number; code: number }> {
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

function emulated(f: Fixture): { ms: number; code: number; ic: number } {
  const host = new MemoryHost({ stdin: stdinOf(f) });
  const image = imageOf(f);
  const t0 = performance.now();
  const r = runProgram({ host, image, argv: f.argv });
  return { ms: performance.now() - t0, code: r.exitCode, ic: r.ic };
}

for (const f of fixtures) {
  // best of 3 native runs: process start-up noise dominates short programs
  const nat = [await native(f), await native(f), await native(f)].sort((a, b) => a.ms - b.ms)[0];
  const emu = emulated(f);
  const mips = emu.ic / emu.ms / 1000;
  console.log(`${f.name}:`);
  console.log(`  guest instructions  ${emu.ic.toLocaleString("en-US")}`);
  console.log(`  native              ${nat.ms.toFixed(1)} ms (exit ${nat.code})`);
  console.log(`  emulated            ${emu.ms.toFixed(1)} ms (exit ${emu.code})`);
  console.log(`  emulated speed      ${mips.toFixed(1)} MIPS`);
  console.log(`  slowdown            ${(emu.ms / nat.ms).toFixed(1)}x`);
  if (nat.code !== emu.code) console.log(`  WARNING: exit codes differ`);
}
