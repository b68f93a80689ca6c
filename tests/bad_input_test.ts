/** @module Bad-input tests: corrupt traces, tampered events, wrong program, runaway guests. */
import assert from "node:assert/strict";
import { dejavu, tempDir } from "./_cli.ts";
import { helloElf, loopElf } from "./_tiny_elf.ts";

function noStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `stack trace in:\n${stderr}`);
  assert.doesNotMatch(stderr, /internal error/);
}

function oneLine(stderr: string): string {
  noStack(stderr);
  const lines = stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  return lines[0];
}

/** Records the hello program into dir/t.json and returns the trace text. */
async function recordHello(dir: string): Promise<string> {
  Deno.writeFileSync(`${dir}/hello`, helloElf("hello\n", 0));
  const r = await dejavu(["record", "-o", "t.json", "hello"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return Deno.readTextFileSync(`${dir}/t.json`);
}

Deno.test("replay and dump reject a truncated trace in one line", async () => {
  using tmp = tempDir();
  const text = await recordHello(tmp.dir);
  Deno.writeTextFileSync(`${tmp.dir}/cut.json`, text.slice(0, Math.floor(text.length * 0.8)));
  for (const cmd of ["replay", "dump"]) {
    const r = await dejavu([cmd, "cut.json"], { cwd: tmp.dir });
    assert.equal(r.code, 1);
    assert.equal(oneLine(r.stderr), `dejavu: cut.json: truncated (no "exit" record)`);
  }
});

Deno.test("replay rejects garbage and mistyped traces in one line", async () => {
  using tmp = tempDir();
  const text = await recordHello(tmp.dir);
  const files: Record<string, string | Uint8Array> = {
    "garbage.json": "hello world",
    "binary.json": helloElf("x"),
    "type.json": text.replace(/"ret":6/, `"ret":"six"`),
    "missing.json": "",
  };
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") Deno.writeTextFileSync(`${tmp.dir}/${name}`, content);
    else Deno.writeFileSync(`${tmp.dir}/${name}`, content);
    const r = await dejavu(["replay", name], { cwd: tmp.dir });
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(oneLine(r.stderr), new RegExp(`^dejavu: ${name.replace(".", "\\.")}: `));
  }
  const nofile = await dejavu(["replay", "nope.json"], { cwd: tmp.dir });
  assert.equal(nofile.code, 1);
  assert.equal(
    oneLine(nofile.stderr),
    `dejavu: cannot read trace "nope.json": no such file or directory`,
  );
});

Deno.test("replay reports a tampered argument as a divergence with disassembly", async () => {
  using tmp = tempDir();
  const text = await recordHello(tmp.dir);
  const tampered = text.replace(/("sys":"write","nr":4,"args":\[1,\d+,)6\]/, "$15]");
  assert.notEqual(tampered, text);
  Deno.writeTextFileSync(`${tmp.dir}/t.json`, tampered);
  const r = await dejavu(["replay", "t.json"], { cwd: tmp.dir });
  assert.equal(r.code, 3);
  noStack(r.stderr);
  const lines = r.stderr.trimEnd().split("\n");
  assert.match(
    lines[0],
    /^dejavu: replay diverged at event \d+ \(tid \d+\): write arg 2: trace has 5, program passed 6$/,
  );
  assert.match(lines[1], /^ {2}eip 0x[0-9a-f]{8}:$/);
  assert.ok(lines.some((l) => /=> 0x[0-9a-f]{8}: /.test(l)), r.stderr);
  assert.ok(lines.some((l) => /int 0x80/.test(l)), r.stderr);
});

Deno.test("replay reports a trace with an extra event", async () => {
  using tmp = tempDir();
  const text = await recordHello(tmp.dir);
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.startsWith("],"));
  const last = JSON.parse(lines[at - 1]);
  lines.splice(at, 0, `,{"i":${last.i + 1},"signal":14,"tid":${last.tid},"ic":${last.ic}}`);
  Deno.writeTextFileSync(`${tmp.dir}/t.json`, lines.join("\n").replace("}\n,{", "},\n{"));
  const r = await dejavu(["replay", "t.json"], { cwd: tmp.dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^dejavu: replay diverged at event \d+ /);
  noStack(r.stderr);
});

Deno.test("replay refuses a program whose sha256 differs", async () => {
  using tmp = tempDir();
  await recordHello(tmp.dir);
  Deno.writeFileSync(`${tmp.dir}/other`, helloElf("other\n"));
  const r = await dejavu(["replay", "--prog", "other", "t.json"], { cwd: tmp.dir });
  assert.equal(r.code, 1);
  assert.match(oneLine(r.stderr), /^dejavu: program does not match the trace: sha256 /);
});

Deno.test("replay explains a missing program", async () => {
  using tmp = tempDir();
  await recordHello(tmp.dir);
  Deno.removeSync(`${tmp.dir}/hello`);
  const r = await dejavu(["replay", "t.json"], { cwd: tmp.dir });
  assert.equal(r.code, 1);
  assert.match(oneLine(r.stderr), /cannot find the traced program at ".*hello"; pass --prog PATH$/);
});

Deno.test("run stops a runaway guest at --max-instructions in one line", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/loop`, loopElf());
  const r = await dejavu(["run", "--max-instructions", "100000", "loop"], { cwd: tmp.dir });
  assert.notEqual(r.code, 0);
  assert.match(oneLine(r.stderr), /^dejavu: .*100000/);
});
