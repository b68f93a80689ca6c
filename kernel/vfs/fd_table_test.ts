import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { Errno } from "../abi/errno.ts";
import { FD_LIMIT, FdTable } from "./fd_table.ts";
import { makeVfs } from "./_test_env.ts";

Deno.test("FdTable.withStdio() opens 0, 1, 2 as non-tty pipes", () => {
  const t = FdTable.withStdio();
  assertEquals(t.entries().map(([fd, f]) => [fd, f.kind, f.path]), [
    [0, "stdin", "pipe:[1]"],
    [1, "stdout", "pipe:[2]"],
    [2, "stderr", "pipe:[3]"],
  ]);
});

Deno.test("FdTable.alloc() takes the lowest free fd and stops at the limit", () => {
  const { vfs } = makeVfs();
  const t = FdTable.withStdio();
  const [r, w] = vfs.createPipe(0);
  assertEquals(t.alloc(r), 3);
  assertEquals(t.alloc(w, 10, true), 10);
  assertEquals(t.getCloexec(10), true);
  t.close(1);
  w.refs++;
  assertEquals(t.alloc(w), 1);
  w.refs++;
  assertEquals(t.installAt(FD_LIMIT - 1, w), FD_LIMIT - 1);
  w.refs++;
  assertEquals(t.alloc(w, FD_LIMIT - 1), -Errno.EMFILE);
  assertEquals(t.close(500), -Errno.EBADF);
});

Deno.test("FdTable pipe ends close when the last reference goes (fork, closeOnExec)", () => {
  const { vfs } = makeVfs();
  const t = new FdTable();
  const [r, w] = vfs.createPipe(0);
  t.alloc(r);
  t.alloc(w, 0, true);
  const child = t.fork();
  t.closeOnExec();
  assertEquals(r.pipe!.writers, 1);
  child.closeAll();
  assertEquals(r.pipe!.writers, 0);
  assertEquals(r.pipe!.readers, 1);
  assertEquals(t.entries().map(([fd]) => fd), [0]);
});
