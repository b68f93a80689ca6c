/** @module Trace fuzzing: seeded mutations of golden traces never crash or fool reader and replayer. */
import assert from "node:assert/strict";
import { UserError } from "../kernel/errors.ts";
import { DIVERGENCE_EXIT_CODE } from "../replay/divergence.ts";
import { replayTrace } from "../replay/session.ts";
import { parseTrace } from "../traces/reader.ts";
import { dejavu, tempDir } from "./_cli.ts";
import { MemoryHost } from "./_memory_host.ts";

const GOLDEN = new URL("./golden/", import.meta.url);
const BIN = new URL("./programs/bin/", import.meta.url);
const NAMES = ["hello_asm", "stdin_c", "signal_c", "fileio_c"];
/** Replays are the slow part (~50 ms each): at most this many per trace. */
const REPLAYS_PER_TRACE = 14;
const REPLAYS_PER_BIG_TRACE = 5;

type Json = Record<string, unknown>;

interface Golden {
  name: string;
  text: string;
  image: Uint8Array;
  stdout: string;
  stderr: string;
  exitCode: number;
}

function load(name: string): Golden {
  const text = Deno.readTextFileSync(new URL(`${name}.trace.json`, GOLDEN));
  const image = Deno.readFileSync(new URL(name, BIN));
  const host = new MemoryHost();
  const r = replayTrace({ host, trace: parseTrace(text, "t.json"), image });
  return { name, text, image, stdout: host.stdout(), stderr: host.stderr(), exitCode: r.exitCode };
}

/** xorshift32: the same mutations on every run. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** A one-line message, no stack, naming a place when it is about the trace's contents. */
function assertOneLine(e: unknown, label: string): UserError {
  if (!(e instanceof UserError)) {
    assert.fail(`${label}: uncaught ${(e as Error)?.stack ?? e}`);
  }
  assert.ok(!/[\n\r]/.test(e.message), `${label}: multi-line message: ${e.message}`);
  assert.ok(e.message.length > 0 && e.message.length < 400, `${label}: ${e.message}`);
  return e;
}

/** Applies one mutation and checks the outcome; returns whether it needed a replay. */
class Fuzzer {
  replays = 0;
  readonly outcomes = { rejected: 0, diverged: 0, identical: 0, skipped: 0 };

  constructor(readonly g: Golden, readonly maxReplays: number) {}

  check(label: string, text: string): void {
    let trace;
    try {
      trace = parseTrace(text, "t.json");
    } catch (e) {
      const u = assertOneLine(e, label);
      assert.equal(u.exitCode, 1, label);
      assert.ok(u.message.startsWith("t.json: "), `${label}: ${u.message}`);
      this.outcomes.rejected++;
      return;
    }
    if (this.replays >= this.maxReplays) {
      this.outcomes.skipped++;
      return;
    }
    this.replays++;
    const host = new MemoryHost();
    try {
      // a bound well past the recorded run: a mutation must not make replay hang
      const r = replayTrace({
        host,
        trace,
        image: this.g.image,
        maxInstructions: trace.exit.ic + 1_000_000,
      });
      // replay said ok: the guest must have shown exactly the recorded behaviour
      assert.equal(host.stdout(), this.g.stdout, `${label}: replay ok with different stdout`);
      assert.equal(host.stderr(), this.g.stderr, `${label}: replay ok with different stderr`);
      assert.equal(r.exitCode, this.g.exitCode, `${label}: replay ok with a different exit`);
      this.outcomes.identical++;
    } catch (e) {
      const u = assertOneLine(e, label);
      if (u.exitCode === DIVERGENCE_EXIT_CODE) {
        assert.match(u.message, /^replay diverged at event \d+ \(tid \d+\): \S/, label);
        this.outcomes.diverged++;
      } else {
        assert.equal(u.exitCode, 1, label);
        this.outcomes.rejected++;
      }
    }
  }
}

/** The trace split into header lines, one JSON object per event, and the closing lines. */
function split(text: string): { head: string[]; events: Json[]; tail: string[] } {
  const lines = text.split("\n");
  const start = lines.indexOf('"events":[') + 1;
  const end = lines.findIndex((l) => l.startsWith("],"));
  return {
    head: lines.slice(0, start),
    events: lines.slice(start, end).map((l) => JSON.parse(l.replace(/,$/, ""))),
    tail: lines.slice(end),
  };
}

function join(head: string[], events: Json[], tail: string[], renumber: boolean): string {
  const ls = events.map((e, i) =>
    JSON.stringify(renumber ? { ...e, i } : e) + (i < events.length - 1 ? "," : "")
  );
  return [...head, ...ls, ...tail].join("\n");
}

/** Wrong-typed and out-of-range values tried for every field. */
const BAD_VALUES: unknown[] = [
  -1,
  1.5,
  null,
  "7",
  [],
  {},
  true,
  2 ** 53,
  1e308,
  0x100000000,
  -0x80000000,
  [[0, "!!"]],
  [[-1, "AAAA"]],
  [[0xfffffff0, "AAAAAAAAAAAAAAAAAAAAAAAA"]],
];

const EVENT_FIELDS = [
  "i",
  "tid",
  "ic",
  "nr",
  "sys",
  "args",
  "ret",
  "mem",
  "out",
  "fd",
  "enosys",
  "str",
  "signal",
  "switch",
];

const HEADER_FIELDS: [string, string][] = [
  ["", "format"],
  ["", "version"],
  ["", "program"],
  ["", "config"],
  ["", "events"],
  ["", "exit"],
  ["", "pack"],
  ["program", "name"],
  ["program", "sha256"],
  ["program", "size"],
  ["program", "argv"],
  ["program", "env"],
  ["program", "path"],
  ["config", "seed"],
  ["config", "epoch"],
  ["config", "cpu"],
  ["config", "cwd"],
  ["config", "mounts"],
  ["exit", "code"],
  ["exit", "signal"],
  ["exit", "ic"],
  ["exit", "state"],
];

const HEADER_VALUES: unknown[] = [
  ...BAD_VALUES,
  0,
  256,
  65,
  "",
  "relative/dir",
  ["a", 1],
  [{ host: 1 }],
  [{ host: "/", guest: "/", mode: "rx" }],
];

for (const name of NAMES) {
  Deno.test(`fuzzed ${name} trace is rejected or diverges in one line, never crashes`, () => {
    const g = load(name);
    const { text } = g;
    // the header checks do not depend on the trace: run them in full on the small ones only
    const big = text.length > 50_000;
    const f = new Fuzzer(g, big ? REPLAYS_PER_BIG_TRACE : REPLAYS_PER_TRACE);
    const rnd = rng(0x5eed ^ name.length * 7919);

    // truncation at every line boundary and at random offsets
    for (let p = text.indexOf("\n"); p >= 0; p = text.indexOf("\n", p + 1)) {
      f.check(`cut at line end ${p}`, text.slice(0, p + 1));
      f.check(`cut before newline ${p}`, text.slice(0, p));
    }
    for (let k = 0; k < 40; k++) {
      const at = rnd(text.length);
      f.check(`cut at byte ${at}`, text.slice(0, at));
    }
    // random byte flips (including control characters and non-ASCII)
    for (let k = 0; k < 80; k++) {
      const at = rnd(text.length);
      const c = String.fromCharCode(rnd(256));
      f.check(`byte ${at} = ${c.charCodeAt(0)}`, text.slice(0, at) + c + text.slice(at + 1));
    }
    // garbage
    for (const junk of ["", "null", "[]", "{}", '"x"', "1e999", "\u0000\u0001", "{", "}{"]) {
      f.check(`garbage ${JSON.stringify(junk)}`, junk);
    }
    f.check("trailing garbage", text + "x");

    const { head, events, tail } = split(text);
    // whole-event edits, renumbered (reach the replayer) and not (caught by the reader)
    for (let k = 0; k < 6; k++) {
      const i = rnd(events.length), j = rnd(events.length);
      const del = events.filter((_, n) => n !== i);
      const dup = [...events.slice(0, i + 1), events[i], ...events.slice(i + 1)];
      const swap = [...events];
      [swap[i], swap[j]] = [swap[j], swap[i]];
      f.check(`delete event ${i}`, join(head, del, tail, false));
      f.check(`delete event ${i}, renumbered`, join(head, del, tail, true));
      f.check(`duplicate event ${i}`, join(head, dup, tail, true));
      if (i !== j) f.check(`swap events ${i} ${j}`, join(head, swap, tail, true));
    }
    // every field of a few events: removed, wrong-typed, out of range, off by one
    for (let k = 0; k < (big ? 2 : 5); k++) {
      const i = rnd(events.length);
      const ev = events[i];
      for (const field of EVENT_FIELDS) {
        const cur = ev[field];
        const values: unknown[] = [undefined, ...BAD_VALUES];
        if (typeof cur === "number") values.push(cur + 1);
        if (Array.isArray(cur) && field === "args" && cur.length > 0) {
          values.push([...cur, 0], cur.slice(0, -1));
        }
        for (const v of values) {
          const e: Json = { ...ev };
          if (v === undefined) delete e[field];
          else e[field] = v;
          const list = [...events];
          list[i] = e;
          f.check(`event ${i} ${field} = ${JSON.stringify(v)}`, join(head, list, tail, false));
        }
      }
    }
    // header and exit fields
    const doc = JSON.parse(text);
    for (const [part, key] of HEADER_FIELDS) {
      for (const v of big ? [undefined, "x", -1] : [undefined, ...HEADER_VALUES]) {
        const d = structuredClone(doc);
        const o = part ? d[part] : d;
        if (v === undefined) delete o[key];
        else o[key] = v;
        f.check(`${part || "trace"}.${key} = ${JSON.stringify(v)}`, JSON.stringify(d));
      }
    }
    assert.ok(f.outcomes.rejected > 100 && f.outcomes.diverged > 0, JSON.stringify(f.outcomes));
  });
}

/** Replays a one-field mutation of a golden trace; the Divergence message, or "ok". */
function replayMutated(g: Golden, index: number, change: (e: Json) => void): string {
  const { head, events, tail } = split(g.text);
  change(events[index]);
  const trace = parseTrace(join(head, events, tail, false), "t.json");
  const host = new MemoryHost();
  try {
    replayTrace({ host, trace, image: g.image, maxInstructions: trace.exit.ic + 1_000_000 });
  } catch (e) {
    return assertOneLine(e, "replay").message;
  }
  return "ok";
}

function withOut(events: Json[]): number {
  const i = events.findIndex((e) => typeof e.out === "string" && (e.out as string).length > 4);
  assert.ok(i >= 0);
  return i;
}

Deno.test("replay detects output bytes that differ from the guest's buffer", () => {
  const g = load("signal_c");
  const i = withOut(split(g.text).events);
  const flip = (b64: string) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    bytes[2] ^= 0x20;
    return btoa(String.fromCharCode(...bytes));
  };
  assert.match(
    replayMutated(g, i, (e) => (e.out = flip(e.out as string))),
    new RegExp(`^replay diverged at event ${i} \\(tid \\d+\\): write output byte 2: trace has `),
  );
  assert.match(
    replayMutated(g, i, (e) => (e.out = btoa(atob(e.out as string) + "x"))),
    new RegExp(`^replay diverged at event ${i} .*: write output: trace has \\d+ bytes but result`),
  );
  assert.match(
    replayMutated(g, i, (e) => e.fd = 2),
    /^replay diverged at event \d+ .*: final state hash|^ok$/,
  );
});

Deno.test("replay refuses output on a syscall that writes none", () => {
  const g = load("hello_asm");
  // event 1 is exit(0): give it stdout bytes
  const msg = replayMutated(g, 1, (e) => {
    e.fd = 1;
    e.out = btoa("injected\n");
  });
  assert.match(msg, /^replay diverged at event 1 \(tid \d+\): exit output: trace has 9 bytes, but/);
});

Deno.test("replay is not fooled by a changed read result or read bytes", () => {
  const g = load("stdin_c");
  const { events } = split(g.text);
  const i = events.findIndex((e) =>
    e.sys === "read" && Array.isArray(e.mem) && e.ret as number > 2
  );
  assert.ok(i >= 0);
  const flipMem = (e: Json) => {
    const [[addr, b64]] = e.mem as [number, string][];
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    bytes[0] ^= 1;
    e.mem = [[addr, btoa(String.fromCharCode(...bytes))]];
  };
  for (const [what, change] of [["mem", flipMem], ["ret", (e: Json) => e.ret = 1]] as const) {
    const msg = replayMutated(g, i, change);
    assert.match(msg, /^replay diverged at event \d+ /, `${what}: ${msg}`);
  }
});

Deno.test("CLI reports fuzzed traces in one line with exit 1 or 3", async () => {
  using tmp = tempDir();
  const g = load("hello_asm");
  Deno.writeFileSync(`${tmp.dir}/hello_asm`, g.image);
  const { head, events, tail } = split(g.text);
  const ev0 = (change: (e: Json) => void) => {
    const list = events.map((e) => ({ ...e }));
    change(list[0]);
    return join(head, list, tail, false).replace(`"../programs/bin/hello_asm"`, `"hello_asm"`);
  };
  const base = ev0(() => {});
  const cases: [string, string, number, RegExp][] = [
    ["cut", base.slice(0, base.length - 40), 1, /^dejavu: t\.json: truncated/],
    ["flip", base.replace('{"i":0,"tid"', '{"i": ,"tid"'), 1, /^dejavu: t\.json: not valid JSON/],
    ["ret", ev0((e) => e.ret = "x"), 1, /^dejavu: t\.json: line 5: event 0: "ret" must be/],
    ["args", ev0((e) => e.args = [1]), 3, /^dejavu: replay diverged at event 0 .*write args/],
    ["out", ev0((e) => e.out = btoa("Jello from dejavu!\n")), 3, /write output byte 0/],
    ["exit", base.replace(/"code":0/, `"code":-1`), 1, /exit: "code" must be/],
  ];
  for (const [label, text, code, re] of cases) {
    Deno.writeTextFileSync(`${tmp.dir}/t.json`, text);
    const r = await dejavu(["replay", "t.json"], { cwd: tmp.dir });
    assert.equal(r.code, code, `${label}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${label}: stack trace in:\n${r.stderr}`);
    const first = r.stderr.split("\n")[0];
    assert.match(first, re, `${label}: ${r.stderr}`);
    if (code === 1) assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  }
});
