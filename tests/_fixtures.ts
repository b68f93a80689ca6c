/** @module Test helper: the fixture manifest, and recording a fixture in-process on a MemoryHost. */
import { recordProgram, type RunResult } from "../replay/session.ts";
import { StringSink } from "../traces/writer.ts";
import { MemoryHost } from "./_memory_host.ts";

export const PROGRAMS = new URL("./programs/", import.meta.url);
export const GOLDEN = new URL("./golden/", import.meta.url);

export interface Fixture {
  name: string;
  /** relative to tests/programs/ */
  bin: string;
  argv: string[];
  /** relative to tests/programs/, or null for empty stdin */
  stdin: string | null;
}

export interface Expected {
  stdout: string;
  exit: number;
}

/** Fixtures too slow for every `deno task test` (run by `deno task bench`). */
export const SLOW_FIXTURES: ReadonlySet<string> = new Set([
  "bench",
  "bench_x87",
  "bench_sse2",
]);

export function loadFixtures(opts: { slow?: boolean } = {}): Fixture[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(new URL("fixtures.json", PROGRAMS));
  } catch {
    return [];
  }
  const all = (JSON.parse(text) as { fixtures: Fixture[] }).fixtures;
  return opts.slow ? all : all.filter((f) => !SLOW_FIXTURES.has(f.name));
}

export function expectedOf(f: Fixture): Expected {
  return JSON.parse(Deno.readTextFileSync(new URL(`expected/${f.name}.json`, PROGRAMS)));
}

export function imageOf(f: Fixture): Uint8Array {
  return Deno.readFileSync(new URL(f.bin, PROGRAMS));
}

export function stdinOf(f: Fixture): Uint8Array {
  return f.stdin === null ? new Uint8Array(0) : Deno.readFileSync(new URL(f.stdin, PROGRAMS));
}

export function goldenUrl(f: Fixture): URL {
  return new URL(`${f.name}.trace.json`, GOLDEN);
}

/** The binary's path relative to tests/golden/, as the golden traces record it. */
export function goldenProgramPath(f: Fixture): string {
  return `../programs/${f.bin}`;
}

export interface Recorded {
  text: string;
  result: RunResult;
  host: MemoryHost;
}

/** Records a fixture with the given seed (default 1) in-process. */
export function recordFixture(f: Fixture, seed = 1): Recorded {
  const host = new MemoryHost({ stdin: stdinOf(f) });
  const sink = new StringSink();
  const result = recordProgram({
    host,
    image: imageOf(f),
    argv: f.argv,
    seed,
    sink,
    name: f.bin.split("/").pop()!,
    path: goldenProgramPath(f),
  });
  return { text: sink.text(), result, host };
}
