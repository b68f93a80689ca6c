/** @module CLI tests: help, usage errors (exit 2, one line), missing/garbage programs, exit codes. */
import assert from "node:assert/strict";
import { dejavu, tempDir } from "./_cli.ts";
import { helloElf, illegalElf, tinyElf } from "./_tiny_elf.ts";

/** stderr is exactly one `dejavu: ...` line (no stack trace). */
function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], /^dejavu: /);
  return lines[0];
}

Deno.test("dejavu --help lists the commands", async () => {
  const r = await dejavu(["--help"]);
  assert.equal(r.code, 0);
  for (const cmd of ["run", "record", "replay", "dump", "diff"]) {
    assert.match(r.stdout, new RegExp(`dejavu ${cmd}`));
  }
});

Deno.test("dejavu <command> --help shows that command's usage", async () => {
  for (const cmd of ["run", "record", "replay", "dump", "diff"]) {
    const r = await dejavu([cmd, "--help"]);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`^Usage: dejavu ${cmd}`), cmd);
  }
});

Deno.test("dejavu without arguments prints help and exits 2", async () => {
  const r = await dejavu([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage:/);
});

Deno.test("dejavu rejects bad command lines with exit 2 and one line", async () => {
  const cases: [string[], string][] = [
    [["run", "--frob", "x"], "dejavu: unknown option --frob"],
    [["run", "--seed", "x", "prog"], `dejavu: --seed expects a non-negative integer, got "x"`],
    [["run", "--seed=-1", "prog"], `dejavu: --seed expects a non-negative integer, got "-1"`],
    [["run", "--seed"], "dejavu: --seed expects a value"],
    [["run"], "dejavu: run: missing program (see dejavu run --help)"],
    [["replay"], "dejavu: replay: missing trace file"],
    [["frob"], `dejavu: unknown command "frob" (expected run, record, replay, dump or diff)`],
    [["run", "--env", "NOEQUALS", "p"], `dejavu: --env expects K=V, got "NOEQUALS"`],
    [
      ["run", "--mount", "/tmp", "p"],
      `dejavu: --mount expects HOST:GUEST[:ro|:rw] with an absolute GUEST path, got "/tmp"`,
    ],
    [["run", "--cwd", "rel", "p"], `dejavu: --cwd expects an absolute guest path, got "rel"`],
    [["dump", "--verbose", "t.json"], "dejavu: unknown option --verbose"],
  ];
  for (const [args, msg] of cases) {
    const r = await dejavu(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(oneLine(r.stderr), msg);
  }
});

Deno.test("dejavu run reports a missing program in one line", async () => {
  const r = await dejavu(["run", "/nonexistent/prog"]);
  assert.equal(r.code, 1);
  assert.equal(
    oneLine(r.stderr),
    `dejavu: cannot read program "/nonexistent/prog": no such file or directory`,
  );
});

Deno.test("dejavu run reports garbage and truncated ELF files in one line", async () => {
  using tmp = tempDir();
  const files: Record<string, Uint8Array> = {
    garbage: new TextEncoder().encode("this is not an ELF file at all\n".repeat(10)),
    empty: new Uint8Array(0),
    truncated: helloElf("hi\n").slice(0, 40),
    elf64: (() => {
      const b = helloElf("hi\n");
      b[4] = 2; // ELFCLASS64
      return b;
    })(),
    nophdr: (() => {
      const b = tinyElf([0xcd, 0x80]);
      b[44] = 0; // e_phnum = 0
      return b;
    })(),
  };
  for (const [name, bytes] of Object.entries(files)) {
    const path = `${tmp.dir}/${name}`;
    Deno.writeFileSync(path, bytes);
    const r = await dejavu(["run", path]);
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    oneLine(r.stderr);
  }
});

Deno.test("dejavu run passes through output and exit code", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/hello`, helloElf("hello, world\n", 42));
  const r = await dejavu(["run", `${tmp.dir}/hello`, "-v", "--seed", "3"]);
  assert.equal(r.stdout, "hello, world\n");
  assert.equal(r.stderr, "");
  assert.equal(r.code, 42);
});

Deno.test("dejavu run exits 128+N when signal N kills the guest", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/ill`, illegalElf());
  const r = await dejavu(["run", `${tmp.dir}/ill`]);
  assert.equal(r.code, 128 + 4); // SIGILL
});

Deno.test("dejavu record, dump and replay round-trip", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/hello`, helloElf("hello\n", 3));
  const rec = await dejavu(["record", "-o", "t.json", "hello", "a"], { cwd: tmp.dir });
  assert.equal(rec.stdout, "hello\n");
  assert.equal(rec.code, 3);
  const trace = JSON.parse(Deno.readTextFileSync(`${tmp.dir}/t.json`));
  assert.equal(trace.program.path, "hello");
  assert.deepEqual(trace.program.argv, ["hello", "a"]);
  assert.deepEqual(Deno.readDirSync(tmp.dir).map((e) => e.name).toArray().sort(), [
    "hello",
    "t.json",
  ]);

  const dump = await dejavu(["dump", `${tmp.dir}/t.json`]);
  assert.equal(dump.code, 0);
  assert.match(dump.stdout, /^\[\d+\] write\(1, "hello\\n", 6\) = 6$/m);
  assert.match(dump.stdout, /\+\+\+ exited with 3 \+\+\+\n$/);

  const rep = await dejavu(["replay", `${tmp.dir}/t.json`]);
  assert.equal(rep.stderr, "");
  assert.equal(rep.stdout, "hello\n");
  assert.equal(rep.code, 3);
});

Deno.test("dejavu record names the trace after the program by default", async () => {
  using tmp = tempDir();
  Deno.mkdirSync(`${tmp.dir}/bin`);
  Deno.writeFileSync(`${tmp.dir}/bin/hello`, helloElf("x\n"));
  const rec = await dejavu(["record", "bin/hello"], { cwd: tmp.dir });
  assert.equal(rec.code, 0);
  const trace = JSON.parse(Deno.readTextFileSync(`${tmp.dir}/hello.trace.json`));
  assert.equal(trace.program.path, "bin/hello");
  assert.equal(trace.program.name, "hello");
});

Deno.test("dejavu record keeps an existing trace when the run fails", async () => {
  using tmp = tempDir();
  Deno.writeFileSync(`${tmp.dir}/bad`, new TextEncoder().encode("garbage"));
  Deno.writeFileSync(`${tmp.dir}/t.json`, new TextEncoder().encode("precious"));
  const r = await dejavu(["record", "-o", "t.json", "bad"], { cwd: tmp.dir });
  assert.equal(r.code, 1);
  oneLine(r.stderr);
  assert.equal(Deno.readTextFileSync(`${tmp.dir}/t.json`), "precious");
  assert.deepEqual(Deno.readDirSync(tmp.dir).map((e) => e.name).toArray().sort(), [
    "bad",
    "t.json",
  ]);
});
