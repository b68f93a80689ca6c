/** @module CLI tests for record --pack, diff, Ctrl-C during record and the --verbose summary. */
import assert from "node:assert/strict";
import { dejavu, tempDir } from "./_cli.ts";
import { catElf, enosysElf, helloElf, loopElf, syscallLoopElf, writeElf } from "./_tiny_elf.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;

function names(dir: string): string[] {
  return Deno.readDirSync(dir).map((e) => e.name).toArray().sort();
}

Deno.test("dejavu record --pack replays with neither the binary nor the files", async () => {
  using tmp = tempDir();
  Deno.mkdirSync(`${tmp.dir}/data`);
  Deno.writeTextFileSync(`${tmp.dir}/data/in.txt`, "packed input\n");
  Deno.writeFileSync(`${tmp.dir}/cat`, catElf("/data/in.txt"));
  const rec = await dejavu(
    ["record", "--pack", "--mount", "data:/data", "-o", "p.json", "cat"],
    { cwd: tmp.dir },
  );
  assert.equal(rec.stderr, "");
  assert.equal(rec.stdout, "packed input\n");
  assert.equal(rec.code, 0);
  const text = Deno.readTextFileSync(`${tmp.dir}/p.json`);
  const trace = JSON.parse(text);
  assert.equal(trace.pack.files.length, 1);
  const f = trace.pack.files[0];
  assert.equal(f.guest, "/data/in.txt");
  assert.equal(f.host, `${Deno.realPathSync(tmp.dir)}/data/in.txt`.replace(/^\/private/, ""));
  assert.equal(f.size, 13);
  // line-oriented: the pack section is a few lines of its own, before the exit record
  assert.match(
    text,
    /\n"pack":\{"program":"H4sI[^\n]*",\n"files":\[\n\{"host":[^\n]*\}\n\]\},\n"exit":/,
  );

  // replay alone, in another directory: no binary, no mount
  using alone = tempDir();
  Deno.copyFileSync(`${tmp.dir}/p.json`, `${alone.dir}/p.json`);
  const rep = await dejavu(["replay", "p.json"], { cwd: alone.dir });
  assert.equal(rep.stderr, "");
  assert.equal(rep.stdout, "packed input\n");
  assert.equal(rep.code, 0);
  assert.deepEqual(names(alone.dir), ["p.json"]);

  // the same run without --pack: the same events, no pack section
  const plain = await dejavu(["record", "--mount", "data:/data", "-o", "q.json", "cat"], {
    cwd: tmp.dir,
  });
  assert.equal(plain.code, 0);
  assert.doesNotMatch(Deno.readTextFileSync(`${tmp.dir}/q.json`), /"pack"/);
  const d = await dejavu(["diff", "p.json", "q.json"], { cwd: tmp.dir });
  assert.equal(d.code, 0);
  assert.equal(d.stdout, "traces are identical (4 events)\n");
});

Deno.test("dejavu replay rejects a packed program that does not match", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/hello`, helloElf("hi\n"));
  await dejavu(["record", "--pack", "-o", "p.json", "hello"], { cwd: tmp.dir });
  const trace = JSON.parse(Deno.readTextFileSync(`${tmp.dir}/p.json`));
  const text = Deno.readTextFileSync(`${tmp.dir}/p.json`)
    .replace(trace.pack.program, "AAAA");
  Deno.writeTextFileSync(`${tmp.dir}/bad.json`, text);
  const r = await dejavu(["replay", "bad.json"], { cwd: tmp.dir });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "dejavu: bad.json: pack: program: packed data is not valid gzip\n");
});

Deno.test("dejavu diff prints the first differing event of both traces", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/a`, helloElf("hello\n"));
  Deno.writeFileSync(`${tmp.dir}/b`, helloElf("hellp\n", 1));
  await dejavu(["record", "-o", "a.json", "a"], { cwd: tmp.dir });
  await dejavu(["record", "-o", "b.json", "b"], { cwd: tmp.dir });
  const same = await dejavu(["diff", "a.json", "a.json"], { cwd: tmp.dir });
  assert.equal(same.code, 0);
  const d = await dejavu(["diff", "a.json", "b.json"], { cwd: tmp.dir });
  assert.equal(d.stderr, "");
  assert.equal(d.code, 1);
  assert.equal(
    d.stdout,
    [
      "program sha256 differs",
      "program argv differs",
      "first difference at event 0 (out):",
      `  a.json  #0 ic 5  [1000] write(1, "hello\\n", 6) = 6`,
      `  b.json  #0 ic 5  [1000] write(1, "hellp\\n", 6) = 6`,
      "",
    ].join("\n"),
  );
});

Deno.test("dejavu diff reports a trace that ends early and bad usage", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/a`, helloElf("hello\n"));
  await dejavu(["record", "-o", "a.json", "a"], { cwd: tmp.dir });
  const lines = Deno.readTextFileSync(`${tmp.dir}/a.json`).split("\n");
  // drop the second (last) event: exit(0)
  const at = lines.findIndex((l) => l.startsWith(`{"i":1,`));
  lines.splice(at, 1);
  lines[at - 1] = lines[at - 1].replace(/,$/, "");
  Deno.writeTextFileSync(`${tmp.dir}/short.json`, lines.join("\n"));
  const d = await dejavu(["diff", "a.json", "short.json"], { cwd: tmp.dir });
  assert.equal(d.code, 1);
  assert.match(d.stdout, /^first difference at event 1:\n/);
  assert.match(d.stdout, /\n {2}a\.json {6}#1 ic \d+ {2}\[1000\] exit\(0\)/);
  assert.match(
    d.stdout,
    /\n {2}short\.json {2}\(trace ended after 1 event\) ic \d+ {2}\+\+\+ exited/,
  );
  const u = await dejavu(["diff", "a.json"], { cwd: tmp.dir });
  assert.equal(u.code, 2);
  assert.equal(u.stderr, "dejavu: diff: expects two trace files\n");
  const m = await dejavu(["diff", "a.json", "missing.json"], { cwd: tmp.dir });
  assert.equal(m.code, 1);
  assert.match(m.stderr, /^dejavu: cannot read trace "missing\.json": no such file/);
});

Deno.test("dejavu --verbose prints the unimplemented syscall counts for run, record, replay", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/enosys`, enosysElf());
  const summary = "dejavu: unimplemented syscalls: syscall_999 ×1\n";
  for (
    const args of [
      ["run", "--verbose", "enosys"],
      ["record", "--verbose", "-o", "t.json", "enosys"],
      ["replay", "--verbose", "t.json"],
    ]
  ) {
    const r = await dejavu(args, { cwd: tmp.dir });
    assert.equal(r.code, 0, args[0]);
    assert.ok(r.stderr.startsWith(summary), `${args[0]}: ${r.stderr}`);
  }
});

/** Starts `dejavu record -o t.json prog` and signals it once the temp trace exists. */
async function interruptRecord(
  dir: string,
  signal: Deno.Signal,
): Promise<{ code: number; signal: Deno.Signal | null; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MOD, "record", "-o", "t.json", "prog"],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const tmp = `${dir}/t.json.tmp-${child.pid}`;
  for (let i = 0; i < 2000; i++) {
    try {
      Deno.statSync(tmp);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  child.kill(signal);
  const out = await child.output();
  return { code: out.code, signal: out.signal, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("dejavu record stops at the next syscall on SIGINT/SIGTERM, leaving no file", async () => {
  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    using tmp = tempDir();
    Deno.writeFileSync(`${tmp.dir}/prog`, syscallLoopElf());
    const r = await interruptRecord(tmp.dir, sig);
    assert.equal(r.stderr, `dejavu: interrupted by ${sig}; no trace written\n`);
    assert.equal(r.code, code);
    assert.deepEqual(names(tmp.dir), ["prog"]);
  }
});

Deno.test("dejavu record removes its temp file when a guest without syscalls is interrupted", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/prog`, loopElf());
  const r = await interruptRecord(tmp.dir, "SIGINT");
  assert.match(r.stderr, /^dejavu: interrupted by SIGINT; the guest made no syscall for \d+ ms/);
  assert.equal(r.signal, "SIGKILL");
  assert.deepEqual(names(tmp.dir), ["prog"]);
});

Deno.test("dejavu record removes stale temp files of dead processes only", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/hello`, helloElf("x\n"));
  Deno.writeTextFileSync(`${tmp.dir}/t.json.tmp-999999999`, "stale");
  Deno.writeTextFileSync(`${tmp.dir}/t.json.tmp-${Deno.pid}`, "live");
  Deno.writeTextFileSync(`${tmp.dir}/other.json.tmp-999999999`, "other name");
  const r = await dejavu(["record", "-o", "t.json", "hello"], { cwd: tmp.dir });
  assert.equal(r.code, 0);
  assert.deepEqual(names(tmp.dir), [
    "hello",
    "other.json.tmp-999999999",
    "t.json",
    `t.json.tmp-${Deno.pid}`,
  ]);
});

Deno.test("dejavu run writes a file on an rw mount back to the host even when the guest never closes it", async () => {
  using tmp = tempDir();
  Deno.mkdirSync(`${tmp.dir}/data`);
  Deno.writeFileSync(`${tmp.dir}/w`, writeElf("/data/out.txt", "persisted\n"));
  for (const cmd of [["run"], ["record", "-o", "w.json"]]) {
    const r = await dejavu([...cmd, "--mount", "data:/data:rw", "w"], { cwd: tmp.dir });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(Deno.readTextFileSync(`${tmp.dir}/data/out.txt`), "persisted\n");
    Deno.removeSync(`${tmp.dir}/data/out.txt`);
  }
  // replay never writes to the host
  const rep = await dejavu(["replay", "w.json"], { cwd: tmp.dir });
  assert.equal(rep.code, 0);
  assert.deepEqual(names(`${tmp.dir}/data`), []);
});
