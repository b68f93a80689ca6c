import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { Errno } from "../abi/errno.ts";
import { O, RENAME } from "../abi/fcntl.ts";
import { S } from "../abi/stat.ts";
import { OpenFile, type StdioPort } from "./file.ts";
import { MemoryHostFs } from "./memory_host_fs.ts";
import { locPath, top } from "./path.ts";
import { makeVfs, type TestEnv } from "./_test_env.ts";

const PORT: StdioPort = { output: () => {}, host: { readStdin: () => 0 } };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function open(
  env: TestEnv,
  path: string,
  flags: number = O.RDONLY,
  mode = 0o644,
): OpenFile | number {
  return env.vfs.open(env.proc, env.vfs.cwdLoc(env.proc), path, flags, mode);
}
function resolve(env: TestEnv, path: string, follow = true): string | number {
  const r = env.vfs.resolve(env.proc, env.vfs.cwdLoc(env.proc), path, follow);
  return typeof r === "number" ? r : locPath(r);
}
function writeFile(env: TestEnv, path: string, text: string): void {
  const f = open(env, path, O.WRONLY | O.CREAT | O.TRUNC);
  assert(f instanceof OpenFile);
  assertEquals(f.write(PORT, enc(text)), text.length);
  f.release();
}
function readFile(env: TestEnv, path: string): string | number {
  const f = open(env, path);
  if (typeof f === "number") return f;
  const r = f.read(PORT, 1 << 20);
  f.release();
  return typeof r === "number" ? r : dec(r);
}
const root = (env: TestEnv) => env.vfs.rootLoc();
/** Narrows a value-or-errno result in tests. */
function must<T>(v: T | number): T {
  if (typeof v === "number") throw new RangeError(`Unexpected errno ${v}`);
  return v;
}

Deno.test("walk() resolves ., .. and repeated slashes", () => {
  const env = makeVfs();
  assertEquals(resolve(env, "/tmp/./..//etc/"), "/etc");
  assertEquals(resolve(env, "/../../tmp"), "/tmp");
  env.proc.cwd = "/etc";
  assertEquals(resolve(env, "passwd"), "/etc/passwd");
  assertEquals(resolve(env, ".."), "/");
});

Deno.test("walk() reports ENOENT, ENOTDIR and a trailing slash on a file", () => {
  const env = makeVfs();
  assertEquals(resolve(env, "/nope/x"), -Errno.ENOENT);
  assertEquals(resolve(env, "/nope"), -Errno.ENOENT);
  assertEquals(resolve(env, "/etc/passwd/x"), -Errno.ENOTDIR);
  assertEquals(resolve(env, "/etc/passwd/"), -Errno.ENOTDIR);
  assertEquals(resolve(env, ""), -Errno.ENOENT);
});

Deno.test("walk() follows symlinks, relative and absolute, and stops at ELOOP", () => {
  const env = makeVfs();
  const r = root(env);
  assertEquals(env.vfs.mkdir(env.proc, r, "/tmp/d", 0o755), 0);
  assertEquals(env.vfs.symlink(env.proc, "d", r, "/tmp/rel"), 0);
  assertEquals(env.vfs.symlink(env.proc, "/etc", r, "/tmp/abs"), 0);
  assertEquals(env.vfs.symlink(env.proc, "../etc/passwd", r, "/tmp/d/pw"), 0);
  assertEquals(resolve(env, "/tmp/rel"), "/tmp/d");
  assertEquals(resolve(env, "/tmp/rel", false), "/tmp/rel");
  assertEquals(resolve(env, "/tmp/abs/hosts"), "/etc/hosts");
  assertEquals(resolve(env, "/tmp/rel/pw"), "/tmp/etc/passwd".length ? -Errno.ENOENT : 0);
  assertEquals(resolve(env, "/tmp/d/pw"), -Errno.ENOENT);
  assertEquals(env.vfs.symlink(env.proc, "../../etc/passwd", r, "/tmp/d/pw2"), 0);
  assertEquals(resolve(env, "/tmp/d/pw2"), "/etc/passwd");
  assertEquals(env.vfs.symlink(env.proc, "loop2", r, "/tmp/loop1"), 0);
  assertEquals(env.vfs.symlink(env.proc, "loop1", r, "/tmp/loop2"), 0);
  assertEquals(resolve(env, "/tmp/loop1"), -Errno.ELOOP);
  assertEquals(resolve(env, "/tmp/loop1", false), "/tmp/loop1");
  assertEquals(env.vfs.symlink(env.proc, "/tmp/d/", r, "/tmp/slash"), 0);
  assertEquals(resolve(env, "/tmp/slash/"), "/tmp/d");
});

Deno.test("walk() rejects names longer than NAME_MAX and paths at PATH_MAX", () => {
  const env = makeVfs();
  assertEquals(resolve(env, "/tmp/" + "a".repeat(256)), -Errno.ENAMETOOLONG);
  assertEquals(resolve(env, "/" + "a/".repeat(2048)), -Errno.ENAMETOOLONG);
});

Deno.test("open() honours O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW", () => {
  const env = makeVfs();
  assertEquals(open(env, "/tmp/a"), -Errno.ENOENT);
  writeFile(env, "/tmp/a", "hello");
  assertEquals(open(env, "/tmp/a", O.CREAT | O.EXCL | O.WRONLY), -Errno.EEXIST);
  assertEquals(open(env, "/tmp/a", O.DIRECTORY), -Errno.ENOTDIR);
  assertEquals(open(env, "/tmp", O.WRONLY), -Errno.EISDIR);
  assertEquals(open(env, "/tmp", O.CREAT | O.RDONLY), -Errno.EISDIR);
  assertEquals(open(env, "/tmp/new/", O.CREAT | O.WRONLY), -Errno.EISDIR);
  const f = open(env, "/tmp/a", O.WRONLY | O.APPEND);
  assert(f instanceof OpenFile);
  f.write(PORT, enc(" world"));
  f.release();
  assertEquals(readFile(env, "/tmp/a"), "hello world");
  writeFile(env, "/tmp/a", "x");
  assertEquals(readFile(env, "/tmp/a"), "x");
  env.vfs.symlink(env.proc, "a", root(env), "/tmp/l");
  assertEquals(open(env, "/tmp/l", O.NOFOLLOW), -Errno.ELOOP);
  const p = open(env, "/tmp/l", O.NOFOLLOW | O.PATH);
  assert(p instanceof OpenFile);
  assertEquals(p.kind, "path");
  assertEquals(p.read(PORT, 10), -Errno.EBADF);
});

Deno.test("open() creates through a dangling symlink and applies the umask", () => {
  const env = makeVfs();
  env.vfs.symlink(env.proc, "target", root(env), "/tmp/dangling");
  const f = open(env, "/tmp/dangling", O.CREAT | O.WRONLY, 0o666);
  assert(f instanceof OpenFile);
  assertEquals(f.path, "/tmp/target");
  assertEquals(f.inode.mode, S.IFREG | 0o644);
  assertEquals(open(env, "/tmp/dangling", O.CREAT | O.EXCL | O.WRONLY), -Errno.EEXIST);
});

Deno.test("write() extends with zeros and updates mtime and ctime", () => {
  const env = makeVfs();
  const f = open(env, "/tmp/s", O.RDWR | O.CREAT);
  assert(f instanceof OpenFile);
  env.clock.ns += 5_000_000_000n;
  assertEquals(f.write(PORT, enc("ab"), 4), 2);
  assertEquals(f.inode.size, 6);
  assertEquals([...(f.read(PORT, 10, 0) as Uint8Array)], [0, 0, 0, 0, 97, 98]);
  assertEquals(f.inode.mtime, env.clock.ns);
  assertEquals(f.inode.ctime, env.clock.ns);
  assertEquals(f.pos, 0);
});

Deno.test("mkdir() and rmdir() keep nlink and report EEXIST, ENOTEMPTY, EINVAL, EBUSY", () => {
  const env = makeVfs();
  const r = root(env);
  const tmp = top(must(env.vfs.resolve(env.proc, r, "/tmp", true)));
  const before = tmp.nlink;
  assertEquals(env.vfs.mkdir(env.proc, r, "/tmp/d/", 0o777), 0);
  assertEquals(tmp.nlink, before + 1);
  assertEquals(env.vfs.mkdir(env.proc, r, "/tmp/d", 0o777), -Errno.EEXIST);
  assertEquals(env.vfs.mkdir(env.proc, r, "/tmp/x/y", 0o777), -Errno.ENOENT);
  writeFile(env, "/tmp/d/f", "");
  assertEquals(env.vfs.rmdir(env.proc, r, "/tmp/d"), -Errno.ENOTEMPTY);
  assertEquals(env.vfs.rmdir(env.proc, r, "/tmp/d/f"), -Errno.ENOTDIR);
  assertEquals(env.vfs.rmdir(env.proc, r, "/tmp/d/."), -Errno.EINVAL);
  assertEquals(env.vfs.rmdir(env.proc, r, "/tmp/d/.."), -Errno.ENOTEMPTY);
  assertEquals(env.vfs.rmdir(env.proc, r, "/"), -Errno.EBUSY);
  assertEquals(env.vfs.rmdir(env.proc, r, "/proc"), -Errno.EBUSY);
  assertEquals(env.vfs.unlink(env.proc, r, "/tmp/d/f"), 0);
  assertEquals(env.vfs.rmdir(env.proc, r, "/tmp/d"), 0);
  assertEquals(tmp.nlink, before);
  const d = top(must(env.vfs.resolve(env.proc, r, "/tmp", true)));
  assertEquals(d.mode, S.IFDIR | 0o1777);
});

Deno.test("unlink() refuses directories and keeps open files readable", () => {
  const env = makeVfs();
  const r = root(env);
  assertEquals(env.vfs.unlink(env.proc, r, "/tmp"), -Errno.EISDIR);
  writeFile(env, "/tmp/f", "data");
  const f = open(env, "/tmp/f") as OpenFile;
  assertEquals(env.vfs.unlink(env.proc, r, "/tmp/f/"), -Errno.ENOTDIR);
  assertEquals(env.vfs.unlink(env.proc, r, "/tmp/f"), 0);
  assertEquals(f.inode.nlink, 0);
  assertEquals(dec(f.read(PORT, 10) as Uint8Array), "data");
  assertEquals(env.vfs.unlink(env.proc, r, "/tmp/f"), -Errno.ENOENT);
});

Deno.test("rename() covers replace, NOREPLACE, EXCHANGE, ENOTEMPTY, EISDIR, ENOTDIR, EINVAL", () => {
  const env = makeVfs();
  const r = root(env);
  const ren = (a: string, b: string, flags = 0) => env.vfs.rename(env.proc, r, a, r, b, flags);
  writeFile(env, "/tmp/a", "A");
  writeFile(env, "/tmp/b", "B");
  env.vfs.mkdir(env.proc, r, "/tmp/d", 0o755);
  env.vfs.mkdir(env.proc, r, "/tmp/e", 0o755);
  writeFile(env, "/tmp/e/x", "");
  assertEquals(ren("/tmp/a", "/tmp/b", RENAME.NOREPLACE), -Errno.EEXIST);
  assertEquals(ren("/tmp/a", "/tmp/b", RENAME.EXCHANGE), 0);
  assertEquals(readFile(env, "/tmp/a"), "B");
  assertEquals(ren("/tmp/a", "/tmp/b"), 0);
  assertEquals(readFile(env, "/tmp/b"), "B");
  assertEquals(readFile(env, "/tmp/a"), -Errno.ENOENT);
  assertEquals(ren("/tmp/b", "/tmp/d"), -Errno.EISDIR);
  assertEquals(ren("/tmp/d", "/tmp/b"), -Errno.ENOTDIR);
  assertEquals(ren("/tmp/d", "/tmp/e"), -Errno.ENOTEMPTY);
  assertEquals(ren("/tmp/d", "/tmp/d/sub"), -Errno.EINVAL);
  assertEquals(ren("/tmp/b/", "/tmp/c"), -Errno.ENOTDIR);
  assertEquals(ren("/tmp/nope", "/tmp/c"), -Errno.ENOENT);
  assertEquals(ren("/tmp/b", "/dev/b"), -Errno.EXDEV);
  assertEquals(ren("/tmp/b", "/tmp/b", RENAME.NOREPLACE | RENAME.EXCHANGE), -Errno.EINVAL);
  assertEquals(ren("/tmp/e", "/tmp/d"), 0);
  assertEquals(resolve(env, "/tmp/d/x"), "/tmp/d/x");
  assertEquals(ren("/tmp/d/x", "/tmp/d/x"), 0);
});

Deno.test("link() shares the inode and refuses directories and other filesystems", () => {
  const env = makeVfs();
  const r = root(env);
  writeFile(env, "/tmp/a", "A");
  assertEquals(env.vfs.link(env.proc, r, "/tmp/a", r, "/tmp/b", false), 0);
  const a = open(env, "/tmp/a") as OpenFile;
  const b = open(env, "/tmp/b") as OpenFile;
  assertEquals(a.inode, b.inode);
  assertEquals(a.inode.nlink, 2);
  assertEquals(env.vfs.link(env.proc, r, "/tmp/a", r, "/tmp/b", false), -Errno.EEXIST);
  assertEquals(env.vfs.link(env.proc, r, "/tmp", r, "/tmp/t", false), -Errno.EPERM);
  assertEquals(env.vfs.link(env.proc, r, "/tmp/a", r, "/dev/a", false), -Errno.EXDEV);
});

Deno.test("readlink() returns the target and EINVAL for non-links", () => {
  const env = makeVfs();
  const r = root(env);
  env.vfs.symlink(env.proc, "some/where", r, "/tmp/l");
  assertEquals(env.vfs.readlink(env.proc, r, "/tmp/l"), "some/where");
  assertEquals(env.vfs.readlink(env.proc, r, "/tmp"), -Errno.EINVAL);
  assertEquals(env.vfs.symlink(env.proc, "", r, "/tmp/e"), -Errno.ENOENT);
  assertEquals(env.vfs.symlink(env.proc, "x", r, "/tmp/l"), -Errno.EEXIST);
});

Deno.test("listDir() lists . and .. first, then sorted names", () => {
  const env = makeVfs();
  const r = root(env);
  for (const n of ["zeta", "alpha", "Mid"]) writeFile(env, `/tmp/${n}`, "");
  const loc = must(env.vfs.resolve(env.proc, r, "/tmp", true));
  const names = env.vfs.listDir(env.proc, loc).map((e) => e.name);
  assertEquals(names, [".", "..", "Mid", "alpha", "zeta"]);
  assertEquals(env.vfs.listDir(env.proc, r).map((e) => e.name), [
    ".",
    "..",
    "dev",
    "etc",
    "home",
    "proc",
    "root",
    "tmp",
  ]);
});

Deno.test("boot tree has /etc files, devices and /proc/self links", () => {
  const env = makeVfs({ exe: "/bin/prog", exeImage: enc("ELF!") });
  assert(String(readFile(env, "/etc/passwd")).startsWith("root:x:0:0:root:/root:/bin/sh\n"));
  assert(String(readFile(env, "/etc/hosts")).includes("127.0.0.1"));
  assertEquals(readFile(env, "/proc/self/exe"), "ELF!");
  const r = root(env);
  assertEquals(env.vfs.readlink(env.proc, r, "/proc/self/exe"), "/bin/prog");
  assertEquals(env.vfs.readlink(env.proc, r, "/proc/self"), "1");
  env.proc.cwd = "/tmp";
  assertEquals(env.vfs.readlink(env.proc, r, "/proc/self/cwd"), "/tmp");
  assertEquals(resolve(env, "/proc/self/cwd"), "/tmp");
  assertEquals(env.vfs.readlink(env.proc, r, "/proc/self/fd/1"), "pipe:[2]");
  assertEquals(resolve(env, "/proc/self/fd/7"), -Errno.ENOENT);
  const f = open(env, "/etc/hosts") as OpenFile;
  const fd = env.proc.fds.alloc(f);
  assertEquals(env.vfs.readlink(env.proc, r, `/proc/self/fd/${fd}`), "/etc/hosts");
  assertEquals(resolve(env, `/dev/fd/${fd}`), "/etc/hosts");
  const fdDir = must(env.vfs.resolve(env.proc, r, "/proc/self/fd", true));
  assertEquals(env.vfs.listDir(env.proc, fdDir).map((e) => e.name), [
    ".",
    "..",
    "0",
    "1",
    "2",
    "3",
  ]);
  assertEquals(env.vfs.mkdir(env.proc, r, "/proc/x", 0o755), -Errno.EACCES);
});

Deno.test("/dev devices read and write like Linux", () => {
  const env = makeVfs();
  const rd = (p: string, n: number) => (open(env, p) as OpenFile).read(PORT, n) as Uint8Array;
  assertEquals(rd("/dev/null", 10).length, 0);
  assertEquals([...rd("/dev/zero", 3)], [0, 0, 0]);
  assertEquals(rd("/dev/urandom", 16).length, 16);
  const full = open(env, "/dev/full", O.WRONLY) as OpenFile;
  assertEquals(full.write(PORT, enc("x")), -Errno.ENOSPC);
  const nul = open(env, "/dev/null", O.WRONLY) as OpenFile;
  assertEquals(nul.write(PORT, enc("xyz")), 3);
  assertEquals(resolve(env, "/dev/tty"), -Errno.ENOENT);
  assertEquals(resolve(env, "/dev/shm"), "/dev/shm");
});

Deno.test("pipes deliver bytes, EOF after writers close, EPIPE without readers", () => {
  const env = makeVfs();
  const [r, w] = env.vfs.createPipe(0);
  assertEquals(r.read(PORT, 4), -Errno.EDEADLK);
  assertEquals(w.write(PORT, enc("hello")), 5);
  assertEquals(dec(r.read(PORT, 3) as Uint8Array), "hel");
  assertEquals(dec(r.read(PORT, 10) as Uint8Array), "lo");
  assertEquals(w.read(PORT, 1), -Errno.EBADF);
  assertEquals(r.write(PORT, enc("x")), -Errno.EBADF);
  w.release();
  assertEquals((r.read(PORT, 10) as Uint8Array).length, 0);
  const [r2, w2] = env.vfs.createPipe(O.NONBLOCK);
  assertEquals(r2.read(PORT, 4), -Errno.EAGAIN);
  assertEquals(w2.write(PORT, new Uint8Array(70000)), 65536);
  assertEquals(w2.write(PORT, enc("x")), -Errno.EAGAIN);
  r2.release();
  assertEquals(w2.write(PORT, enc("x")), -Errno.EPIPE);
});

function hostEnv(mode: "ro" | "rw") {
  const host = new MemoryHostFs()
    .addFile("/h/src/a.txt", "alpha")
    .addFile("/h/src/sub/b.txt", "beta")
    .addSymlink("/h/src/up", "../../outside")
    .addSymlink("/h/src/abs", "/etc/passwd")
    .addFile("/h/outside", "secret");
  return makeVfs({ host, mounts: [{ host: "/h/src/", guest: "/src", mode }] });
}

Deno.test("host mount reads files and lists directories sorted", () => {
  const env = hostEnv("ro");
  assertEquals(readFile(env, "/src/a.txt"), "alpha");
  assertEquals(readFile(env, "/src/sub/b.txt"), "beta");
  const loc = must(env.vfs.resolve(env.proc, root(env), "/src", true));
  assertEquals(env.vfs.listDir(env.proc, loc).map((e) => e.name), [
    ".",
    "..",
    "a.txt",
    "abs",
    "sub",
    "up",
  ]);
});

Deno.test("host mount never escapes: .. and symlinks resolve in the guest namespace", () => {
  const env = hostEnv("ro");
  assertEquals(resolve(env, "/src/.."), "/");
  assertEquals(resolve(env, "/src/../../../h"), -Errno.ENOENT);
  assertEquals(readFile(env, "/src/up"), -Errno.ENOENT);
  assert(String(readFile(env, "/src/abs")).startsWith("root:"));
  assert(!env.host.log.some((l) => l.includes("/h/outside")));
});

Deno.test("ro host mount refuses modifications with EROFS", () => {
  const env = hostEnv("ro");
  const r = root(env);
  assertEquals(open(env, "/src/a.txt", O.WRONLY), -Errno.EROFS);
  assertEquals(open(env, "/src/new", O.WRONLY | O.CREAT), -Errno.EROFS);
  assertEquals(env.vfs.mkdir(env.proc, r, "/src/d", 0o755), -Errno.EROFS);
  assertEquals(env.vfs.unlink(env.proc, r, "/src/a.txt"), -Errno.EROFS);
  assertEquals(env.vfs.rename(env.proc, r, "/src/a.txt", r, "/src/z", 0), -Errno.EROFS);
  assertEquals(env.vfs.rename(env.proc, r, "/src/a.txt", r, "/tmp/z", 0), -Errno.EXDEV);
  assertEquals(env.vfs.rmdir(env.proc, r, "/src"), -Errno.EBUSY);
  const a = must(env.vfs.resolve(env.proc, r, "/src/a.txt", true));
  assertEquals(env.vfs.access(top(a), 2), -Errno.EROFS);
  assertEquals(env.vfs.access(top(a), 4), 0);
});

Deno.test("rw host mount writes through to the host", () => {
  const env = hostEnv("rw");
  const r = root(env);
  writeFile(env, "/src/new.txt", "fresh");
  assertEquals(env.host.text("/h/src/new.txt"), "fresh");
  assertEquals(env.vfs.mkdir(env.proc, r, "/src/dir", 0o755), 0);
  assert(env.host.has("/h/src/dir"));
  assertEquals(env.vfs.rename(env.proc, r, "/src/sub", r, "/src/dir/moved", 0), 0);
  assertEquals(env.host.text("/h/src/dir/moved/b.txt"), "beta");
  writeFile(env, "/src/dir/moved/b.txt", "BETA");
  assertEquals(env.host.text("/h/src/dir/moved/b.txt"), "BETA");
  assertEquals(env.vfs.unlink(env.proc, r, "/src/a.txt"), 0);
  assert(!env.host.has("/h/src/a.txt"));
  assertEquals(env.vfs.link(env.proc, r, "/src/new.txt", r, "/src/l", false), -Errno.EPERM);
});
