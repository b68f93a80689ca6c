import assert from "node:assert/strict";
import { Memory, Prot } from "../../core/memory.ts";
import { CODE_OFFSET, TEXT_BASE, tinyElf } from "../_test_kernel.ts";
import { UserError } from "../errors.ts";
import { loadElf, parseElf, PIE_BASE } from "./elf.ts";

function rejects(image: Uint8Array, message: string): void {
  assert.throws(() => parseElf(image, "prog"), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("parseElf() rejects garbage", () => {
  rejects(new TextEncoder().encode("#!/bin/sh\necho hi\n"), "prog: not an ELF file");
  rejects(new Uint8Array(0), "prog: not an ELF file");
});

Deno.test("parseElf() rejects a truncated header", () => {
  rejects(
    tinyElf([0x90]).subarray(0, 30),
    "prog: truncated ELF (file shorter than the ELF header)",
  );
});

Deno.test("parseElf() rejects a program header table past the end", () => {
  rejects(
    tinyElf([0x90]).subarray(0, 60),
    "prog: truncated ELF (program header table past end of file)",
  );
});

Deno.test("parseElf() rejects a segment past the end", () => {
  const img = tinyElf([0x90, 0x90, 0x90, 0x90]);
  rejects(img.subarray(0, img.length - 2), "prog: truncated ELF (segment 0 past end of file)");
});

Deno.test("parseElf() refuses dynamic executables naming the interpreter", () => {
  rejects(
    tinyElf([0x90], { interp: "/lib/ld-linux.so.2" }),
    "prog: dynamically linked (interpreter /lib/ld-linux.so.2); only static binaries are supported",
  );
});

Deno.test("parseElf() rejects 64-bit and foreign machines", () => {
  const img = tinyElf([0x90]);
  img[4] = 2;
  rejects(img, "prog: 64-bit ELF; only 32-bit i386 programs are supported");
  const arm = tinyElf([0x90]);
  arm[18] = 40;
  rejects(arm, "prog: not an i386 ELF (e_machine 40)");
  const rel = tinyElf([0x90]);
  rel[16] = 1;
  rejects(rel, "prog: relocatable object (ET_REL), not an executable; link it first");
});

Deno.test("parseElf() reads PT_GNU_STACK", () => {
  assert.equal(parseElf(tinyElf([0x90]), "p").readImpliesExec, false);
  assert.equal(parseElf(tinyElf([0x90]), "p").execStack, false);
  assert.equal(parseElf(tinyElf([0x90], { gnuStack: "none" }), "p").readImpliesExec, true);
  assert.equal(parseElf(tinyElf([0x90], { gnuStack: "rwx" }), "p").execStack, true);
});

Deno.test("loadElf() maps segments with their protection and zeroes bss", () => {
  const img = tinyElf([0x90, 0xc3], { bss: 0x2000, writable: false });
  const mem = new Memory();
  const l = loadElf(mem, parseElf(img, "p"), img);
  assert.equal(l.entry, TEXT_BASE + CODE_OFFSET);
  assert.equal(l.phdrAddr, TEXT_BASE + 0x34);
  assert.equal(l.brkStart, TEXT_BASE + 0x3000);
  assert.deepEqual([...mem.readBytes(TEXT_BASE + CODE_OFFSET, 3)], [0x90, 0xc3, 0]);
  assert.equal(mem.protOf(TEXT_BASE >>> 12), Prot.READ | Prot.EXEC);
  assert.ok(mem.isMapped((TEXT_BASE + 0x2fff) >>> 12));
  assert.ok(!mem.isMapped((TEXT_BASE + 0x3000) >>> 12));
  assert.deepEqual([...mem.readBytes(TEXT_BASE + 0x2000, 4)], [0, 0, 0, 0]);
});

Deno.test("loadElf() places static-PIE images at PIE_BASE", () => {
  const img = tinyElf([0x90], { type: 3 });
  const mem = new Memory();
  const l = loadElf(mem, parseElf(img, "p"), img);
  assert.equal(l.bias, PIE_BASE);
  assert.equal(l.entry, PIE_BASE + CODE_OFFSET);
  assert.equal(mem.readBytes(PIE_BASE, 4)[1], 0x45);
});

Deno.test("loadElf() makes readable segments executable without PT_GNU_STACK", () => {
  const img = tinyElf([0x90], { gnuStack: "none", writable: true });
  const mem = new Memory();
  loadElf(mem, parseElf(img, "p"), img);
  assert.equal(mem.protOf(TEXT_BASE >>> 12), 7);
});
