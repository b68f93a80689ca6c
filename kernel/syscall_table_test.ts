import assert from "node:assert/strict";
import { CORE_ROWS, SYSCALL_NAMES, SYSCALL_TABLE, syscallName } from "./syscall_table.ts";

const HEADERS = [
  "/usr/include/asm/unistd_32.h",
  "/usr/include/x86_64-linux-gnu/asm/unistd_32.h",
  "/usr/include/i386-linux-gnu/asm/unistd_32.h",
];

/** __NR_name → number from the host's unistd_32.h, or null when no header is installed. */
function headerNumbers(): Map<number, string> | null {
  for (const h of HEADERS) {
    try {
      const text = Deno.readTextFileSync(h);
      const m = new Map<number, string>();
      for (const [, name, nr] of text.matchAll(/#define __NR_(\w+)\s+(\d+)/g)) m.set(+nr, name);
      return m;
    } catch {
      // try the next location
    }
  }
  return null;
}

Deno.test("SYSCALL_TABLE rows carry the unistd_32.h name of their number", () => {
  for (const [nr, row] of Object.entries(SYSCALL_TABLE)) {
    assert.equal(row.name, SYSCALL_NAMES[+nr], `row ${nr}`);
  }
});

Deno.test(
  "SYSCALL_NAMES matches the host's unistd_32.h",
  { ignore: headerNumbers() === null },
  () => {
    const h = headerNumbers()!;
    for (const [nr, name] of h) assert.equal(SYSCALL_NAMES[nr], name, `__NR_${name}`);
    const newest = Math.max(...h.keys());
    SYSCALL_NAMES.forEach((n, nr) => {
      if (n !== undefined && nr <= newest) assert.equal(h.get(nr), n, `number ${nr}`);
    });
  },
);

Deno.test("syscallName() names unknown numbers syscall_NNN", () => {
  assert.equal(syscallName(4), "write");
  assert.equal(syscallName(386), "rseq");
  assert.equal(syscallName(9999), "syscall_9999");
  assert.equal(syscallName(223), "syscall_223");
});

Deno.test("SYSCALL_TABLE leaves rseq unimplemented and marks state-changing rows reexec", () => {
  assert.equal(SYSCALL_TABLE[386], undefined);
  for (
    const nr of [1, 45, 90, 91, 125, 162, 163, 174, 175, 192, 219, 243, 252, 258, 267, 311, 407]
  ) {
    assert.equal(CORE_ROWS[nr].reexec, true, CORE_ROWS[nr].name);
  }
  assert.equal(CORE_ROWS[20].reexec, undefined);
});
