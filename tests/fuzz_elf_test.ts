/** @module ELF fuzzing: seeded corruptions of fixture binaries give a one-line UserError or a guest run. */
import assert from "node:assert/strict";
import { UserError } from "../kernel/errors.ts";
import { parseElf } from "../kernel/loader/elf.ts";
import { runProgram } from "../replay/session.ts";
import { MemoryHost } from "./_memory_host.ts";
import { exitCode, helloElf, illegalElf, tinyElf } from "./_tiny_elf.ts";
import { tempDir } from "./_cli.ts";

const BIN = new URL("./programs/bin/", import.meta.url);
/** Boots are the slow part (~50 ms each): at most this many per binary. */
const RUNS_PER_BINARY = 25;

type Outcome = { kind: "error"; message: string } | { kind: "ran"; exitCode: number };

function runImage(image: Uint8Array): Outcome {
  try {
    const r = runProgram({ host: new MemoryHost(), image, argv: ["p"], maxInstructions: 20_000 });
    return { kind: "ran", exitCode: r.exitCode };
  } catch (e) {
    if (!(e instanceof UserError)) assert.fail(`uncaught ${(e as Error)?.stack ?? e}`);
    assert.ok(!/[\n\r]/.test(e.message), `multi-line message: ${e.message}`);
    return { kind: "error", message: e.message };
  }
}

/** Checks one corrupted image: rejected in one line by the loader, or booted and run (bounded). */
class Fuzzer {
  runs = 0;
  readonly seen = { rejected: 0, ran: 0, parsedOnly: 0 };

  check(label: string, image: Uint8Array): void {
    try {
      parseElf(image, "p");
    } catch (e) {
      if (!(e instanceof UserError)) assert.fail(`${label}: uncaught ${(e as Error)?.stack ?? e}`);
      assert.ok(!/[\n\r]/.test(e.message), `${label}: multi-line message: ${e.message}`);
      assert.match(e.message, /^p: \S/, label);
      this.seen.rejected++;
      return;
    }
    if (this.runs >= RUNS_PER_BINARY) {
      this.seen.parsedOnly++;
      return;
    }
    this.runs++;
    try {
      runImage(image);
    } catch (e) {
      throw new Error(`${label}: ${(e as Error).message}`);
    }
    this.seen.ran++;
  }
}

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

/** Interesting values: zero, small, page edges, the PIE base, the top of the 4 GiB space. */
const VALUES = [
  0,
  1,
  2,
  3,
  0x20,
  0x34,
  0xff,
  0xfff,
  0x1000,
  0xffff,
  0x10000,
  0x08048000,
  0x56555000,
  0x7fffffff,
  0xbffff000,
  0xc0000000,
  0xf0000000,
  0xffffe000,
  0xffffffff,
];

const EHDR: [string, number, 1 | 2 | 4][] = [
  ["e_ident class", 4, 1],
  ["e_ident data", 5, 1],
  ["e_ident version", 6, 1],
  ["e_type", 16, 2],
  ["e_machine", 18, 2],
  ["e_version", 20, 4],
  ["e_entry", 24, 4],
  ["e_phoff", 28, 4],
  ["e_ehsize", 40, 2],
  ["e_phentsize", 42, 2],
  ["e_phnum", 44, 2],
];

const PHDR: [string, number][] = [
  ["p_type", 0],
  ["p_offset", 4],
  ["p_vaddr", 8],
  ["p_filesz", 16],
  ["p_memsz", 20],
  ["p_flags", 24],
  ["p_align", 28],
];

function set(image: Uint8Array, off: number, size: 1 | 2 | 4, v: number): Uint8Array {
  const m = image.slice();
  const dv = new DataView(m.buffer);
  if (off + size > m.length) return m;
  if (size === 1) dv.setUint8(off, v & 0xff);
  else if (size === 2) dv.setUint16(off, v & 0xffff, true);
  else dv.setUint32(off, v >>> 0, true);
  return m;
}

/** A static-PIE (ET_DYN) version of the tiny hello program. */
function pieElf(): Uint8Array {
  return set(helloElf("pie\n"), 16, 2, 3);
}

const BINARIES: [string, () => Uint8Array][] = [
  ["hello_asm", () => Deno.readFileSync(new URL("hello_asm", BIN))],
  ["printf_c", () => Deno.readFileSync(new URL("printf_c", BIN))],
  ["tiny", () => helloElf("hi\n")],
  ["tiny static-PIE", pieElf],
];

for (const [name, load] of BINARIES) {
  Deno.test(`fuzzed ${name} ELF is rejected in one line or runs, never crashes`, () => {
    const image = load();
    const f = new Fuzzer();
    const rnd = rng(0xe1f ^ name.length * 104729);
    const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
    const phoff = dv.getUint32(28, true), phnum = dv.getUint16(44, true);
    const tableEnd = phoff + phnum * 32;
    // truncations: inside the header, around the program header table, at random offsets
    for (const n of [0, 1, 4, 16, 51, 52, phoff + 31, tableEnd - 1, tableEnd, tableEnd + 1]) {
      f.check(`cut at ${n}`, image.slice(0, n));
    }
    for (let k = 0; k < 20; k++) {
      const n = rnd(image.length);
      f.check(`cut at ${n}`, image.slice(0, n));
    }
    // every header field and every program header field set to each interesting value
    const fields: [string, number, 1 | 2 | 4][] = [...EHDR];
    for (let i = 0; i < phnum; i++) {
      for (const [field, o] of PHDR) fields.push([`phdr ${i} ${field}`, phoff + i * 32 + o, 4]);
    }
    for (const [field, off, size] of fields) {
      for (const v of VALUES) {
        // a few huge p_memsz mappings take a second each: keep them out of the sweep
        if (field.endsWith("p_memsz") && v > 0x1000000) continue;
        f.check(`${field} = 0x${v.toString(16)}`, set(image, off, size, v));
      }
    }
    // random byte flips in the headers
    for (let k = 0; k < 60; k++) {
      const at = rnd(Math.min(image.length, tableEnd + 16));
      const m = image.slice();
      m[at] = rnd(256);
      f.check(`byte ${at} = ${m[at]}`, m);
    }
    assert.ok(f.seen.rejected > 50 && f.seen.ran > 0, JSON.stringify(f.seen));
  });
}

Deno.test("PT_INTERP with arbitrary bytes is named in one printable line", () => {
  const image = helloElf("Hello\nworld\u0001\n");
  const dv = new DataView(image.buffer);
  // a second program header can't fit: turn the only one into PT_INTERP over the message
  dv.setUint32(52, 3, true);
  dv.setUint32(52 + 4, image.length - 13, true);
  dv.setUint32(52 + 16, 13, true);
  const r = runImage(image);
  assert.deepEqual(r, {
    kind: "error",
    message:
      "p: dynamically linked (interpreter Hello\\x0aworld\\x01\\x0a); only static binaries are supported",
  });
});

Deno.test("static-PIE segments below the load base are rejected, not wrapped", () => {
  // two PT_LOADs, the first at 0x60000000 and the second at 0x1000: the second would land
  // below address 0 after the load bias
  const code = exitCode(0);
  const image = new Uint8Array(0x2000);
  image.set(tinyElf(code).subarray(0, 52));
  const dv = new DataView(image.buffer);
  dv.setUint16(16, 3, true); // ET_DYN
  dv.setUint16(44, 2, true); // e_phnum
  dv.setUint32(24, 0x60000000 + 116, true); // e_entry
  for (const [i, off, vaddr] of [[0, 0, 0x60000000], [1, 0x1000, 0x1000]]) {
    const o = 52 + i * 32;
    dv.setUint32(o, 1, true); // PT_LOAD
    dv.setUint32(o + 4, off, true);
    dv.setUint32(o + 8, vaddr, true);
    dv.setUint32(o + 16, 0x1000, true);
    dv.setUint32(o + 20, 0x1000, true);
    dv.setUint32(o + 24, 5, true);
  }
  image.set(code, 116);
  assert.deepEqual(runImage(image), {
    kind: "error",
    message: "p: segment 1 at 0x00001000 lies outside the user address space",
  });
});

Deno.test("ET_EXEC segments below 0x10000 are refused like Linux", () => {
  const image = helloElf("x");
  const dv = new DataView(image.buffer);
  dv.setUint32(52 + 8, 0, true);
  dv.setUint32(24, 84, true);
  const r = runImage(image);
  assert.equal(r.kind, "error");
});

/** Raw execve(2) (no shell fallback on ENOEXEC, unlike posix_spawnp): prints errno on failure. */
const EXECVE = "import os,sys\ntry: os.execv(sys.argv[1], [sys.argv[1]])\n" +
  "except OSError as e: print(e.errno); sys.exit(99)";

/** Runs an image natively: "refused" when execve fails, else the shell-style exit code. */
async function native(image: Uint8Array, dir: string): Promise<"refused" | number> {
  const path = `${dir}/prog`;
  Deno.writeFileSync(path, image, { mode: 0o755 });
  const out = await new Deno.Command("python3", {
    args: ["-c", EXECVE, path],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (out.code === 99 && /^\d+\n$/.test(new TextDecoder().decode(out.stdout))) return "refused";
  return out.signal !== null ? 128 + sigNum(out.signal) : out.code;
}

function sigNum(name: Deno.Signal): number {
  const nums: Partial<Record<Deno.Signal, number>> = { SIGILL: 4, SIGSEGV: 11, SIGBUS: 7 };
  return nums[name] ?? -1;
}

// Known difference: Linux ignores e_ident[EI_DATA] (it checks e_machine only) and runs a
// little-endian program marked big-endian; dejavu refuses it with a clear message.
Deno.test("corrupt ELFs end like the native execve", async () => {
  using tmp = tempDir();
  const hello = helloElf("hi\n", 3);
  const cases: [string, Uint8Array][] = [
    ["ok", hello],
    ["truncated", hello.slice(0, 40)],
    ["x86-64 machine", set(hello, 18, 2, 62)],
    ["ET_REL", set(hello, 16, 2, 1)],
    ["entry 0", set(hello, 24, 4, 0)],
    ["ud2", illegalElf()],
  ];
  for (const [label, image] of cases) {
    const want = await native(image, tmp.dir);
    const got = runImage(image);
    if (want === "refused") assert.equal(got.kind, "error", `${label}: ${JSON.stringify(got)}`);
    else assert.deepEqual(got, { kind: "ran", exitCode: want }, label);
  }
});
