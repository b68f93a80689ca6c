import assert from "node:assert/strict";
import { Prot } from "../core/memory.ts";
import { bootCode } from "./_test_kernel.ts";
import { Errno } from "./abi/errno.ts";
import { O } from "./abi/fcntl.ts";
import { MAP, MS } from "./abi/mman.ts";
import { sysClose, sysOpen } from "./syscalls/sys_file.ts";
import { sysMmap2, sysMremap, sysMsync, sysMunmap } from "./syscalls/sys_mm.ts";
import { sysPread64, sysPwrite64 } from "./syscalls/sys_read_write.ts";

const RW = Prot.READ | Prot.WRITE;
const enc = new TextEncoder(), dec = new TextDecoder();

/** A kernel with a scratch page at 0x40000000 and /tmp/f holding `content`. */
function setup(content: string) {
  const { k } = bootCode([]);
  const t = k.current;
  const scratch = sysMmap2(k, t, 0x40000000, 0x10000, RW, MAP.PRIVATE | MAP.ANONYMOUS, -1, 0);
  k.mem.writeBytes(scratch, enc.encode("/tmp/f\0"));
  const fd = sysOpen(k, t, scratch, O.RDWR | O.CREAT | O.TRUNC, 0o644);
  assert.ok(fd >= 0);
  const buf = scratch + 0x1000;
  // every syscall retires at least its int 0x80: the logical clock (file times) moves on
  const pwrite = (s: string, at: number) => {
    k.ic++;
    k.mem.writeBytes(buf, enc.encode(s));
    return sysPwrite64(k, t, fd, buf, s.length, at, 0);
  };
  const pread = (n: number, at: number) => {
    assert.equal(sysPread64(k, t, fd, buf, n, at, 0), n);
    return dec.decode(k.mem.readBytes(buf, n));
  };
  assert.equal(pwrite(content, 0), content.length);
  const str = (addr: number, n: number) => dec.decode(k.mem.readBytes(addr, n));
  /** what the syscall entry does around a handler */
  const boundary = () => {
    k.ic++;
    k.fileMaps.flush(k);
    k.fileMaps.refresh(k);
  };
  return { k, t, fd, pwrite, pread, str, boundary };
}

Deno.test("FileMappings writes shared stores to the file at a syscall boundary", () => {
  const { k, t, fd, pread, str, boundary } = setup("aaaaaaaa");
  const m = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  assert.equal(str(m, 8), "aaaaaaaa");
  k.mem.writeBytes(m, enc.encode("SHARED"));
  assert.equal(pread(8, 0), "aaaaaaaa"); // no boundary yet
  boundary();
  assert.equal(pread(8, 0), "SHAREDaa");
  // stores past EOF stay in the page
  k.mem.writeBytes(m + 100, enc.encode("zz"));
  boundary();
  assert.equal(k.fileMaps.count, 1);
});

Deno.test("FileMappings brings file writes into shared mappings", () => {
  const { k, t, fd, pwrite, str, boundary } = setup("aaaaaaaa");
  const m = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  assert.equal(pwrite("WRITE", 2), 5);
  boundary();
  assert.equal(str(m, 8), "aaWRITEa");
  // the file grew: the page shows the new bytes too
  assert.equal(pwrite("++", 8), 2);
  boundary();
  assert.equal(str(m, 10), "aaWRITEa++");
});

Deno.test("FileMappings keeps two shared mappings of one file in step", () => {
  const { k, t, fd, str, boundary } = setup("aaaaaaaa");
  const a = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  const b = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  k.mem.writeBytes(a, enc.encode("X"));
  boundary();
  assert.equal(str(b, 2), "Xa");
});

Deno.test("FileMappings lets private pages follow the file until written", () => {
  const { k, t, fd, pwrite, str, boundary } = setup("a".repeat(4096) + "b".repeat(4096));
  const p = sysMmap2(k, t, 0, 8192, RW, MAP.PRIVATE, fd, 0);
  k.mem.writeBytes(p + 4096, enc.encode("P"));
  boundary();
  pwrite("NEW", 0);
  pwrite("NEW", 4097);
  boundary();
  assert.equal(str(p, 3), "NEW");
  assert.equal(str(p + 4096, 4), "Pbbb"); // copied on write: keeps its bytes
  pwrite("AGAIN", 0);
  boundary();
  assert.equal(str(p, 5), "AGAIN");
});

Deno.test("munmap writes a shared mapping back, even after close", () => {
  const { k, t, fd, str } = setup("aaaaaaaa");
  const m = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  assert.equal(sysClose(k, t, fd), 0);
  k.mem.writeBytes(m, enc.encode("KEPT"));
  assert.equal(sysMunmap(k, t, m, 4096), 0);
  assert.equal(k.fileMaps.count, 0);
  const again = sysMmap2(k, t, 0, 4096, Prot.READ, MAP.PRIVATE, sysOpen(k, t, 0x40000000, 0, 0), 0);
  assert.equal(str(again, 8), "KEPTaaaa");
});

Deno.test("partial munmap and mremap keep the rest of a mapping linked", () => {
  const { k, t, fd, pread, boundary } = setup("a".repeat(3 * 4096));
  const m = sysMmap2(k, t, 0, 3 * 4096, RW, MAP.SHARED, fd, 0);
  assert.equal(sysMunmap(k, t, m + 4096, 4096), 0);
  assert.equal(k.fileMaps.count, 2);
  k.mem.writeBytes(m + 2 * 4096, enc.encode("third"));
  boundary();
  assert.equal(pread(5, 2 * 4096), "third");
  const to = sysMremap(k, t, m + 2 * 4096, 4096, 4096, 3, 0x50000000); // MAYMOVE | FIXED
  assert.equal(to, 0x50000000);
  k.mem.writeBytes(to, enc.encode("moved"));
  boundary();
  assert.equal(pread(5, 2 * 4096), "moved");
});

Deno.test("sysMsync() checks its arguments like Linux", () => {
  const { k, t, fd } = setup("aaaaaaaa");
  const m = sysMmap2(k, t, 0, 4096, RW, MAP.SHARED, fd, 0);
  assert.equal(sysMsync(k, t, m, 4096, MS.SYNC), 0);
  assert.equal(sysMsync(k, t, m, 100, MS.ASYNC | MS.INVALIDATE), 0);
  assert.equal(sysMsync(k, t, m + 1, 4096, MS.SYNC), -Errno.EINVAL);
  assert.equal(sysMsync(k, t, m, 4096, MS.SYNC | MS.ASYNC), -Errno.EINVAL);
  assert.equal(sysMsync(k, t, m, 4096, 8), -Errno.EINVAL);
  assert.equal(sysMsync(k, t, m, 0, MS.SYNC), 0);
  assert.equal(sysMsync(k, t, 0x60000000, 4096, MS.SYNC), -Errno.ENOMEM);
});
