/** @module Tests for the strace-style printer. */
import assert from "node:assert/strict";
import type { ArgKind } from "../kernel/syscall_row.ts";
import { parseTrace } from "./reader.ts";
import { quote, straceLines } from "./strace.ts";
import { sampleTrace } from "./_test_sample.ts";

const KINDS: Record<number, ArgKind[]> = {
  3: ["fd", "buf_out", "size"],
  4: ["fd", "buf_in", "size"],
  5: ["path", "open_flags", "mode"],
  45: ["ptr"],
  101: ["hex", "hex", "int"],
  192: ["ptr", "size", "prot", "mmap_flags", "fd", "uint"],
};

Deno.test("straceLines prints every event kind", () => {
  const lines = straceLines(parseTrace(sampleTrace(), "t.json"), (nr) => KINDS[nr]);
  assert.deepEqual(lines, [
    "[1000] brk(NULL) = 0x804f000",
    '[1000] write(1, "hello\\n", 6) = 6',
    '[1000] read(0, "hello", 64) = 5',
    "[1001] --- scheduled ---",
    "[1000] --- SIGALRM ---",
    '[1000] open("/etc/passwd", O_RDONLY, 0000) = -1 ENOENT',
    "[1000] ioperm(0x0, 0x0, 0) = -1 ENOSYS (not implemented)",
    "+++ exited with 0 +++",
  ]);
});

Deno.test("straceLines decodes flags and falls back to hex for unknown syscalls", () => {
  const t = parseTrace(sampleTrace(), "t.json");
  t.events = [{
    kind: "syscall",
    i: 0,
    tid: 1000,
    ic: 1,
    sys: "mmap2",
    nr: 192,
    args: [0, 8192, 3, 0x22, 0xffffffff, 0],
    ret: 0xb7ff0000,
    mem: [],
  }, {
    kind: "syscall",
    i: 1,
    tid: 1000,
    ic: 2,
    sys: "nr_999",
    nr: 999,
    args: [1, 2],
    ret: 0,
    mem: [],
  }];
  t.exit.status = { kind: "signaled", signal: 11 };
  assert.deepEqual(straceLines(t, (nr) => KINDS[nr], { ic: true }), [
    "         1 [1000] mmap2(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xb7ff0000",
    "         2 [1000] nr_999(0x1, 0x2) = 0",
    "     70000 +++ killed by SIGSEGV +++",
  ]);
});

Deno.test("quote() escapes and truncates", () => {
  assert.equal(quote(new Uint8Array([0x61, 0x0a, 0x00, 0x22, 0xff]), 32), '"a\\n\\x00\\"\\xff"');
  assert.equal(quote(new TextEncoder().encode("abcdef"), 3), '"abc"...');
});
