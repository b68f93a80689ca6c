import assert from "node:assert/strict";
import { Prot } from "../../core/memory.ts";
import { bootCode, CODE_OFFSET, imm32, sys, testHost, TEXT_BASE } from "../_test_kernel.ts";
import { Errno } from "../abi/errno.ts";
import { MADV, MAP, MREMAP } from "../abi/mman.ts";
import { MemoryHostFs } from "../vfs/memory_host_fs.ts";
import type { SyscallEvent } from "../hooks.ts";
import {
  MMAP_BASE,
  sysBrk,
  sysMadvise,
  sysMmap2,
  sysMprotect,
  sysMremap,
  sysMunmap,
  sysOldMmap,
} from "./sys_mm.ts";

const ANON = MAP.PRIVATE | MAP.ANONYMOUS;
const RW = Prot.READ | Prot.WRITE;

function boot() {
  const { k } = bootCode([]);
  return { k, t: k.current };
}

Deno.test("sysBrk() follows Linux semantics", () => {
  const { k, t } = boot();
  const b0 = sysBrk(k, t, 0);
  assert.equal(b0, t.proc.brkStart);
  assert.equal(b0 % 4096, 0);
  assert.equal(sysBrk(k, t, b0 + 0x1801), b0 + 0x1801);
  assert.ok(k.mem.check(b0, 0x2000, RW));
  assert.ok(!k.mem.isMapped((b0 + 0x2000) / 4096));
  k.mem.write32(b0 + 0x1000, 0x12345678);
  assert.equal(sysBrk(k, t, 0x1000), b0 + 0x1801); // below start: unchanged
  assert.equal(sysBrk(k, t, b0 + 0x10), b0 + 0x10); // shrink
  assert.ok(!k.mem.isMapped((b0 + 0x1000) / 4096));
  assert.equal(sysBrk(k, t, b0 + 0x2000), b0 + 0x2000);
  assert.equal(k.mem.read32(b0 + 0x1000), 0); // regrown memory is zero
});

Deno.test("sysBrk() refuses to grow into a mapping", () => {
  const { k, t } = boot();
  const b0 = sysBrk(k, t, 0);
  assert.equal(sysMmap2(k, t, b0 + 0x3000, 0x1000, RW, ANON | MAP.FIXED, -1, 0), b0 + 0x3000);
  assert.equal(sysBrk(k, t, b0 + 0x4000), b0);
  assert.equal(sysBrk(k, t, b0 + 0x1000), b0 + 0x1000);
});

Deno.test("sysMmap2() places anonymous mappings top-down below MMAP_BASE", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0, 0x3000, RW, ANON, -1, 0);
  assert.equal(a, MMAP_BASE - 0x3000);
  const b = sysMmap2(k, t, 0, 100, Prot.READ, ANON, -1, 0);
  assert.equal(b, a - 0x1000);
  assert.equal(k.mem.protOf(b / 4096), Prot.READ);
  assert.equal(k.mem.read32(a + 0x2ffc), 0);
  // a free hint is honoured
  assert.equal(sysMmap2(k, t, 0x40000000, 0x1000, RW, ANON, -1, 0), 0x40000000);
  // unmapping leaves a hole the next mapping reuses
  assert.equal(sysMunmap(k, t, a, 0x3000), 0);
  assert.equal(sysMmap2(k, t, 0, 0x2000, RW, ANON, -1, 0), MMAP_BASE - 0x2000);
});

Deno.test("sysMmap2() validates its arguments", () => {
  const { k, t } = boot();
  assert.equal(sysMmap2(k, t, 0, 0, RW, ANON, -1, 0), -Errno.EINVAL);
  assert.equal(sysMmap2(k, t, 0, 4096, RW, MAP.ANONYMOUS, -1, 0), -Errno.EINVAL);
  assert.equal(sysMmap2(k, t, 0x40000001, 4096, RW, ANON | MAP.FIXED, -1, 0), -Errno.EINVAL);
  assert.equal(sysMmap2(k, t, 0, 4096, RW, MAP.PRIVATE, 99, 0), -Errno.EBADF);
  assert.equal(sysMmap2(k, t, 0, 0xfffff000, RW, ANON, -1, 0), -Errno.ENOMEM);
  const a = sysMmap2(k, t, 0x40000000, 4096, RW, ANON, -1, 0);
  assert.equal(
    sysMmap2(k, t, a, 4096, RW, ANON | MAP.FIXED_NOREPLACE, -1, 0),
    -Errno.EEXIST,
  );
});

Deno.test("sysMmap2() MAP_FIXED replaces what was there", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0, 0x2000, RW, ANON, -1, 0);
  k.mem.write32(a, 7);
  assert.equal(sysMmap2(k, t, a, 0x1000, Prot.READ, ANON | MAP.FIXED, -1, 0), a);
  assert.equal(k.mem.read32(a), 0);
  assert.equal(k.mem.protOf(a / 4096), Prot.READ);
});

Deno.test("sysOldMmap() reads its six arguments from memory", () => {
  const { k, t } = boot();
  const args = sysMmap2(k, t, 0, 4096, RW, ANON, -1, 0);
  const w = new Uint8Array(24);
  const dv = new DataView(w.buffer);
  [0, 0x2000, RW, ANON, 0xffffffff, 0].forEach((v, i) => dv.setUint32(i * 4, v, true));
  k.mem.writeBytes(args, w);
  assert.equal(sysOldMmap(k, t, args), args - 0x2000);
  dv.setUint32(20, 100, true);
  k.mem.writeBytes(args, w);
  assert.equal(sysOldMmap(k, t, args), -Errno.EINVAL);
  assert.equal(sysOldMmap(k, t, 0), -Errno.EFAULT);
});

Deno.test("sysMmap2() maps a file's bytes through a recorded copy", () => {
  const fs = new MemoryHostFs().addFile("/h/data.bin", "0123456789");
  const events: SyscallEvent[] = [];
  const path = [...new TextEncoder().encode("/mnt/data.bin"), 0];
  const build = (at: number) => [
    ...sys(5, at, 0, 0), // open(path, O_RDONLY)
    0x89,
    0xc7, // mov edi, eax
    0xbb,
    ...imm32(0), // mov ebx, 0
    0xb9,
    ...imm32(4096), // mov ecx, 4096
    0xba,
    ...imm32(Prot.READ), // mov edx, PROT_READ
    0xbe,
    ...imm32(MAP.PRIVATE), // mov esi, MAP_PRIVATE
    0xbd,
    ...imm32(0), // mov ebp, 0
    0xb8,
    ...imm32(192),
    0xcd,
    0x80, // mmap2
    ...sys(252, 0),
  ];
  const code = [...build(TEXT_BASE + CODE_OFFSET + build(0).length), ...path];
  const { k } = bootCode(code, {
    host: testHost(fs),
    mounts: [{ host: "/h", guest: "/mnt", mode: "ro" }],
    mode: {
      kind: "record",
      recorder: { syscall: (e) => events.push(e), signal() {}, switchTo() {} },
    },
  });
  k.run();
  const mmap = events.find((e) => e.name === "mmap2")!;
  assert.equal(mmap.ret >>> 0, MMAP_BASE - 0x1000); // rets are int32, like eax
  assert.deepEqual(mmap.mem, [[MMAP_BASE - 0x1000, new TextEncoder().encode("0123456789")]]);
  assert.equal(k.mem.protOf((MMAP_BASE - 0x1000) / 4096), Prot.READ);
  assert.equal(k.mem.read8(MMAP_BASE - 0x1000 + 9), 0x39);

  // replay never opens the file: the mapping is rebuilt from the recorded address and bytes
  let i = 0;
  const r = bootCode(code, {
    mode: {
      kind: "replay",
      source: {
        syscall: () => events[i++],
        checkResult() {},
        signal() {},
        switchTo() {},
      },
    },
  });
  r.k.run();
  assert.equal(i, events.length);
  assert.equal(r.k.mem.read8(MMAP_BASE - 0x1000 + 9), 0x39);
  assert.equal(r.k.stateHash(), k.stateHash());
});

Deno.test("sysMprotect() changes protection and rejects holes", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0, 0x2000, RW, ANON, -1, 0);
  assert.equal(sysMprotect(k, t, a, 0x1000, Prot.READ), 0);
  assert.equal(k.mem.protOf(a / 4096), Prot.READ);
  assert.equal(k.mem.protOf(a / 4096 + 1), RW);
  assert.equal(sysMprotect(k, t, a + 1, 0x1000, Prot.READ), -Errno.EINVAL);
  assert.equal(sysMprotect(k, t, a, 0x3000, Prot.READ), -Errno.ENOMEM);
  assert.equal(sysMprotect(k, t, a, 0x1000, 0x10), -Errno.EINVAL);
});

Deno.test("sysMunmap() validates and unmaps", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0, 0x2000, RW, ANON, -1, 0);
  assert.equal(sysMunmap(k, t, a + 1, 10), -Errno.EINVAL);
  assert.equal(sysMunmap(k, t, a, 0), -Errno.EINVAL);
  assert.equal(sysMunmap(k, t, a, 1), 0);
  assert.ok(!k.mem.isMapped(a / 4096));
  assert.ok(k.mem.isMapped(a / 4096 + 1));
});

Deno.test("sysMremap() shrinks, grows in place and moves", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0x40000000, 0x2000, RW, ANON, -1, 0);
  k.mem.write32(a + 4, 99);
  assert.equal(sysMremap(k, t, a, 0x2000, 0x1000, 0, 0), a);
  assert.ok(!k.mem.isMapped(a / 4096 + 1));
  assert.equal(sysMremap(k, t, a, 0x1000, 0x3000, 0, 0), a);
  assert.ok(k.mem.check(a, 0x3000, RW));
  sysMmap2(k, t, a + 0x3000, 0x1000, RW, ANON | MAP.FIXED, -1, 0);
  assert.equal(sysMremap(k, t, a, 0x3000, 0x5000, 0, 0), -Errno.ENOMEM);
  const b = sysMremap(k, t, a, 0x3000, 0x5000, MREMAP.MAYMOVE, 0);
  assert.notEqual(b, a);
  assert.equal(k.mem.read32(b + 4), 99);
  assert.ok(!k.mem.isMapped(a / 4096));
  assert.ok(k.mem.check(b, 0x5000, RW));
});

Deno.test("sysMadvise() MADV_DONTNEED zeroes anonymous pages", () => {
  const { k, t } = boot();
  const a = sysMmap2(k, t, 0, 0x2000, RW, ANON, -1, 0);
  k.mem.write32(a, 5);
  k.mem.write32(a + 0x1000, 6);
  assert.equal(sysMadvise(k, t, a, 0x1000, MADV.WILLNEED), 0);
  assert.equal(k.mem.read32(a), 5);
  assert.equal(sysMadvise(k, t, a, 0x1000, MADV.DONTNEED), 0);
  assert.equal(k.mem.read32(a), 0);
  assert.equal(k.mem.read32(a + 0x1000), 6);
  assert.equal(sysMadvise(k, t, a, 0x1000, 999), -Errno.EINVAL);
  assert.equal(sysMadvise(k, t, 0x50000000, 0x1000, MADV.DONTNEED), -Errno.ENOMEM);
});
