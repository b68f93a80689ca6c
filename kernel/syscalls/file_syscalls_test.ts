import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { Errno } from "../abi/errno.ts";
import { AT, F, O, RENAME } from "../abi/fcntl.ts";
import { Ioctl } from "../abi/ioctl.ts";
import { S } from "../abi/stat.ts";
import { makeKernel, SCRATCH, T0 } from "../vfs/_test_env.ts";
import { FILE_ROWS } from "./file_rows.ts";

const FDCWD = AT.FDCWD >>> 0;
const P = SCRATCH; // path scratch
const P2 = SCRATCH + 0x1000;
const BUF = SCRATCH + 0x2000;
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Calls a row by syscall name, the way the kernel would. */
function sys(env: ReturnType<typeof makeKernel>, name: string, ...args: number[]): number {
  const entry = Object.values(FILE_ROWS).find((r) => r.name === name);
  if (!entry) throw new RangeError(`No row ${name}`);
  const a = [...args, 0, 0, 0, 0, 0, 0].map((x) => x >>> 0);
  return entry.handler(env.k, env.t, a[0], a[1], a[2], a[3], a[4], a[5]);
}

function openPath(env: ReturnType<typeof makeKernel>, path: string, flags: number, mode = 0o644) {
  return sys(env, "open", env.str(P, path), flags, mode);
}

function u32(b: Uint8Array, off: number): number {
  return new DataView(b.buffer, b.byteOffset).getUint32(off, true);
}

Deno.test("FILE_ROWS uses the i386 numbers", () => {
  assertEquals(FILE_ROWS[4].name, "write");
  assertEquals(FILE_ROWS[140].name, "_llseek");
  assertEquals(FILE_ROWS[195].name, "stat64");
  assertEquals(FILE_ROWS[220].name, "getdents64");
  assertEquals(FILE_ROWS[295].name, "openat");
  assertEquals(FILE_ROWS[383].name, "statx");
});

Deno.test("write() to fd 1 and 2 goes to k.output; read() of fd 0 comes from stdin", () => {
  const env = makeKernel({ stdin: "input!" });
  env.str(BUF, "hi");
  assertEquals(sys(env, "write", 1, BUF, 2), 2);
  assertEquals(sys(env, "write", 2, BUF, 1), 1);
  assertEquals(dec(new Uint8Array(env.out.stdout)), "hi");
  assertEquals(dec(new Uint8Array(env.out.stderr)), "h");
  assertEquals(sys(env, "read", 0, BUF, 100), 6);
  assertEquals(dec(env.bytes(BUF, 6)), "input!");
  assertEquals(sys(env, "read", 0, BUF, 100), 0);
  assertEquals(sys(env, "read", 1, BUF, 1), -Errno.EBADF);
  assertEquals(sys(env, "write", 9, BUF, 1), -Errno.EBADF);
  assertEquals(sys(env, "write", 1, 0x100, 1), -Errno.EFAULT);
  assertEquals(sys(env, "lseek", 1, 0, 0), -Errno.ESPIPE);
});

Deno.test("open/write/lseek/read/close round-trip a tmpfs file", () => {
  const env = makeKernel();
  const fd = openPath(env, "/tmp/f", O.RDWR | O.CREAT | O.EXCL, 0o666);
  assertEquals(fd, 3);
  env.str(BUF, "0123456789");
  assertEquals(sys(env, "write", fd, BUF, 10), 10);
  assertEquals(sys(env, "lseek", fd, 2, 0), 2);
  assertEquals(sys(env, "read", fd, BUF + 100, 3), 3);
  assertEquals(dec(env.bytes(BUF + 100, 3)), "234");
  assertEquals(sys(env, "lseek", fd, -1 >>> 0, 2), 9);
  assertEquals(sys(env, "lseek", fd, -20 >>> 0, 1), -Errno.EINVAL);
  assertEquals(sys(env, "_llseek", fd, 0, 4, BUF + 200, 0), 0);
  assertEquals(u32(env.bytes(BUF + 200, 8), 0), 4);
  assertEquals(sys(env, "pread64", fd, BUF + 300, 4, 6, 0), 4);
  assertEquals(dec(env.bytes(BUF + 300, 4)), "6789");
  assertEquals(sys(env, "pread64", fd, BUF + 300, 4, 0, 0xffffffff), -Errno.EINVAL);
  assertEquals(sys(env, "close", fd), 0);
  assertEquals(sys(env, "close", fd), -Errno.EBADF);
  assertEquals(openPath(env, "/tmp/f", O.RDONLY | O.CREAT | O.EXCL), -Errno.EEXIST);
});

Deno.test("readv() and writev() scatter and gather", () => {
  const env = makeKernel();
  const fd = openPath(env, "/tmp/v", O.RDWR | O.CREAT);
  env.str(BUF, "abc");
  env.str(BUF + 16, "defg");
  const iov = new Uint8Array(16);
  const dv = new DataView(iov.buffer);
  dv.setUint32(0, BUF, true);
  dv.setUint32(4, 3, true);
  dv.setUint32(8, BUF + 16, true);
  dv.setUint32(12, 4, true);
  env.mem.writeBytes(BUF + 64, iov);
  assertEquals(sys(env, "writev", fd, BUF + 64, 2), 7);
  assertEquals(sys(env, "lseek", fd, 0, 0), 0);
  dv.setUint32(0, BUF + 200, true);
  dv.setUint32(8, BUF + 300, true);
  env.mem.writeBytes(BUF + 64, iov);
  assertEquals(sys(env, "readv", fd, BUF + 64, 2), 7);
  assertEquals(dec(env.bytes(BUF + 200, 3)), "abc");
  assertEquals(dec(env.bytes(BUF + 300, 4)), "defg");
  assertEquals(sys(env, "readv", fd, BUF + 64, 1025), -Errno.EINVAL);
});

Deno.test("stat64() fills the i386 struct stat64 byte for byte", () => {
  const env = makeKernel();
  env.clock.ns = T0 + 1_500_000_000n;
  const fd = openPath(env, "/tmp/s", O.WRONLY | O.CREAT, 0o640);
  env.str(BUF, "x".repeat(5000));
  sys(env, "write", fd, BUF, 5000);
  assertEquals(sys(env, "stat64", env.str(P, "/tmp/s"), BUF), 0);
  const b = env.bytes(BUF, 96);
  const ino = u32(b, 88);
  const expected = new Uint8Array(96);
  const dv = new DataView(expected.buffer);
  dv.setUint32(0, 1, true); // st_dev 0:1
  dv.setUint32(12, ino, true);
  dv.setUint32(16, S.IFREG | 0o640, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(44, 5000, true);
  dv.setUint32(52, 4096, true);
  dv.setUint32(56, 16, true);
  for (const off of [64, 72, 80]) {
    dv.setUint32(off, 946684801, true);
    dv.setUint32(off + 4, 500_000_000, true);
  }
  dv.setUint32(88, ino, true);
  assertEquals([...b], [...expected]);
  assertEquals(sys(env, "fstat64", fd, BUF + 200), 0);
  assertEquals([...env.bytes(BUF + 200, 96)], [...expected]);
  assertEquals(sys(env, "stat64", env.str(P, "/tmp/nope"), BUF), -Errno.ENOENT);
  assertEquals(sys(env, "stat64", env.str(P, "/tmp/s"), 0x100), -Errno.EFAULT);
  assertEquals(sys(env, "fstat64", 77, BUF), -Errno.EBADF);
});

Deno.test("lstat64/fstatat64/statx distinguish links and honour AT_EMPTY_PATH", () => {
  const env = makeKernel();
  sys(env, "symlink", env.str(P, "/etc/passwd"), env.str(P2, "/tmp/l"));
  assertEquals(sys(env, "lstat64", env.str(P, "/tmp/l"), BUF), 0);
  assertEquals(u32(env.bytes(BUF, 96), 16), S.IFLNK | 0o777);
  assertEquals(u32(env.bytes(BUF, 96), 44), 11);
  assertEquals(sys(env, "fstatat64", FDCWD, env.str(P, "/tmp/l"), BUF, 0), 0);
  assertEquals(u32(env.bytes(BUF, 96), 16), S.IFREG | 0o644);
  const fd = openPath(env, "/etc", O.RDONLY | O.DIRECTORY);
  assertEquals(sys(env, "fstatat64", fd, env.str(P, ""), BUF, 0), -Errno.ENOENT);
  assertEquals(sys(env, "fstatat64", fd, env.str(P, ""), BUF, AT.EMPTY_PATH), 0);
  assertEquals(u32(env.bytes(BUF, 96), 16), S.IFDIR | 0o755);
  assertEquals(sys(env, "fstatat64", fd, env.str(P, "hosts"), BUF, 0), 0);
  assertEquals(sys(env, "fstatat64", 1, env.str(P, "hosts"), BUF, 0), -Errno.ENOTDIR);
  assertEquals(sys(env, "statx", FDCWD, env.str(P, "/tmp/l"), AT.SYMLINK_NOFOLLOW, 0x7ff, BUF), 0);
  const sx = env.bytes(BUF, 256);
  assertEquals(u32(sx, 0), 0x7ff);
  assertEquals(new DataView(sx.buffer).getUint16(28, true), S.IFLNK | 0o777);
  assertEquals(u32(sx, 40), 11);
  assertEquals(u32(sx, 64), 946684800);
  assertEquals(u32(sx, 140), 1);
  assertEquals(sys(env, "statx", FDCWD, env.str(P, "/dev/null"), 0, 0x7ff, BUF), 0);
  assertEquals([u32(env.bytes(BUF, 256), 128), u32(env.bytes(BUF, 256), 132)], [1, 3]);
  assertEquals(sys(env, "statx", FDCWD, env.str(P, "/"), 0x6000, 0x7ff, BUF), -Errno.EINVAL);
});

Deno.test("getdents64() encodes linux_dirent64 records byte for byte", () => {
  const env = makeKernel();
  sys(env, "mkdir", env.str(P, "/tmp/d"), 0o755);
  openPath(env, "/tmp/d/b", O.CREAT | O.WRONLY);
  sys(env, "mkdir", env.str(P, "/tmp/d/a"), 0o755);
  const fd = openPath(env, "/tmp/d", O.RDONLY | O.DIRECTORY);
  const n = sys(env, "getdents64", fd, BUF, 4096);
  assertEquals(n, 24 + 24 + 24 + 24);
  const b = env.bytes(BUF, n);
  const dv = new DataView(b.buffer);
  const recs: [number, number, number, number, string][] = [];
  for (let off = 0; off < n;) {
    const reclen = dv.getUint16(off + 16, true);
    const name = dec(b.subarray(off + 19, off + reclen)).replace(/\0+$/, "");
    recs.push([
      Number(dv.getBigUint64(off, true)),
      Number(dv.getBigInt64(off + 8, true)),
      reclen,
      b[off + 18],
      name,
    ]);
    off += reclen;
  }
  const ino = (
    p: string,
  ) => (sys(env, "stat64", env.str(P, p), BUF + 1024), u32(env.bytes(BUF + 1024, 96), 88));
  assertEquals(recs, [
    [ino("/tmp/d"), 1, 24, 4, "."],
    [ino("/tmp"), 2, 24, 4, ".."],
    [ino("/tmp/d/a"), 3, 24, 4, "a"],
    [ino("/tmp/d/b"), 4, 24, 8, "b"],
  ]);
  assertEquals([...b.subarray(19, 24)], [46, 0, 0, 0, 0]);
  assertEquals(sys(env, "getdents64", fd, BUF, 4096), 0);
  sys(env, "lseek", fd, 0, 0);
  assertEquals(sys(env, "getdents64", fd, BUF, 30), 24);
  assertEquals(sys(env, "getdents64", fd, BUF, 10), -Errno.EINVAL);
  assertEquals(sys(env, "getdents64", 1, BUF, 4096), -Errno.ENOTDIR);
});

Deno.test("getcwd/chdir/fchdir and openat with a dirfd", () => {
  const env = makeKernel();
  assertEquals(sys(env, "getcwd", BUF, 100), 2);
  assertEquals(dec(env.bytes(BUF, 2)), "/\0");
  assertEquals(sys(env, "chdir", env.str(P, "/etc/../tmp/")), 0);
  assertEquals(env.t.proc.cwd, "/tmp");
  assertEquals(sys(env, "getcwd", BUF, 4), -Errno.ERANGE);
  assertEquals(sys(env, "chdir", env.str(P, "/etc/passwd")), -Errno.ENOTDIR);
  const fd = openPath(env, "rel", O.CREAT | O.WRONLY);
  assert(fd > 0);
  const etc = openPath(env, "/etc", O.RDONLY | O.DIRECTORY);
  const hosts = sys(env, "openat", etc, env.str(P, "hosts"), O.RDONLY, 0);
  assert(hosts > 0);
  assertEquals(sys(env, "openat", 99, env.str(P, "hosts"), O.RDONLY, 0), -Errno.EBADF);
  assertEquals(sys(env, "openat", 99, env.str(P, "/etc/hosts"), O.RDONLY, 0) > 0, true);
  assertEquals(sys(env, "fchdir", etc), 0);
  assertEquals(env.t.proc.cwd, "/etc");
  assertEquals(sys(env, "fchdir", hosts), -Errno.ENOTDIR);
  assertEquals(sys(env, "access", env.str(P, "passwd"), 4), 0);
  assertEquals(sys(env, "access", env.str(P, "passwd"), 1), -Errno.EACCES);
  assertEquals(sys(env, "access", env.str(P, "passwd"), 8), -Errno.EINVAL);
  assertEquals(sys(env, "faccessat", FDCWD, env.str(P, "/tmp/rel"), 0), 0);
});

Deno.test("dup/dup2/dup3/fcntl manage descriptors and flags", () => {
  const env = makeKernel();
  const fd = openPath(env, "/tmp/f", O.RDWR | O.CREAT | O.CLOEXEC);
  assertEquals(sys(env, "fcntl64", fd, F.GETFD, 0), 1);
  assertEquals(sys(env, "fcntl64", fd, F.GETFL, 0), O.RDWR);
  assertEquals(sys(env, "fcntl64", fd, F.SETFL, O.APPEND | O.NONBLOCK | O.RDONLY), 0);
  assertEquals(sys(env, "fcntl64", fd, F.GETFL, 0), O.RDWR | O.APPEND | O.NONBLOCK);
  assertEquals(sys(env, "dup", fd), fd + 1);
  assertEquals(sys(env, "fcntl64", fd + 1, F.GETFD, 0), 0);
  assertEquals(sys(env, "fcntl64", fd, F.DUPFD_CLOEXEC, 10), 10);
  assertEquals(sys(env, "fcntl64", 10, F.GETFD, 0), 1);
  assertEquals(sys(env, "dup2", fd, fd), fd);
  assertEquals(sys(env, "dup2", 50, 51), -Errno.EBADF);
  assertEquals(sys(env, "dup3", fd, fd, 0), -Errno.EINVAL);
  assertEquals(sys(env, "dup3", fd, 1, O.CLOEXEC), 1);
  env.str(BUF, "via1");
  assertEquals(sys(env, "write", 1, BUF, 4), 4);
  assertEquals(env.out.stdout.length, 0);
  env.mem.writeBytes(BUF, new Uint8Array(16).fill(0).fill(1, 0, 1)); // F_WRLCK, whole file
  assertEquals(sys(env, "fcntl64", fd, F.GETLK, BUF), 0);
  assertEquals([...env.bytes(BUF, 2)], [2, 0]);
  assertEquals(sys(env, "fcntl64", fd, 999, 0), -Errno.EINVAL);
  assertEquals(sys(env, "fcntl64", 77, F.GETFD, 0), -Errno.EBADF);
});

Deno.test("ioctl() reports ENOTTY for terminal requests and supports FIONREAD/FIOCLEX", () => {
  const env = makeKernel();
  for (const fd of [0, 1, 2]) {
    assertEquals(sys(env, "ioctl", fd, Ioctl.TCGETS, BUF), -Errno.ENOTTY);
    assertEquals(sys(env, "ioctl", fd, Ioctl.TIOCGWINSZ, BUF), -Errno.ENOTTY);
  }
  assertEquals(sys(env, "pipe", BUF), 0);
  const [r, w] = [u32(env.bytes(BUF, 8), 0), u32(env.bytes(BUF, 8), 4)];
  assertEquals([r, w], [3, 4]);
  env.str(BUF + 100, "abcde");
  assertEquals(sys(env, "write", w, BUF + 100, 5), 5);
  assertEquals(sys(env, "ioctl", r, Ioctl.FIONREAD, BUF + 200), 0);
  assertEquals(u32(env.bytes(BUF + 200, 4), 0), 5);
  assertEquals(sys(env, "ioctl", r, Ioctl.FIOCLEX, 0), 0);
  assertEquals(sys(env, "fcntl64", r, F.GETFD, 0), 1);
  assertEquals(sys(env, "ioctl", 40, Ioctl.TCGETS, BUF), -Errno.EBADF);
});

Deno.test("pipe2() honours O_NONBLOCK and O_CLOEXEC and EOF after close", () => {
  const env = makeKernel();
  assertEquals(sys(env, "pipe2", BUF, O.NONBLOCK | O.CLOEXEC), 0);
  const [r, w] = [u32(env.bytes(BUF, 8), 0), u32(env.bytes(BUF, 8), 4)];
  assertEquals(sys(env, "read", r, BUF + 100, 10), -Errno.EAGAIN);
  assertEquals(sys(env, "fcntl64", w, F.GETFL, 0), O.WRONLY | O.NONBLOCK);
  assertEquals(sys(env, "fcntl64", w, F.GETFD, 0), 1);
  sys(env, "close", w);
  assertEquals(sys(env, "read", r, BUF + 100, 10), 0);
  assertEquals(sys(env, "pipe2", BUF, 0x1), -Errno.EINVAL);
  assertEquals(sys(env, "pipe", 0x100), -Errno.EFAULT);
});

Deno.test("namespace syscalls: mkdirat, unlinkat, renameat2, linkat, symlinkat, readlinkat", () => {
  const env = makeKernel();
  assertEquals(sys(env, "mkdirat", FDCWD, env.str(P, "/tmp/d"), 0o777), 0);
  assertEquals(sys(env, "stat64", env.str(P, "/tmp/d"), BUF), 0);
  assertEquals(u32(env.bytes(BUF, 96), 16), S.IFDIR | 0o755);
  assertEquals(sys(env, "umask", 0o077), 0o022);
  openPath(env, "/tmp/d/f", O.CREAT | O.WRONLY, 0o666);
  sys(env, "stat64", env.str(P, "/tmp/d/f"), BUF);
  assertEquals(u32(env.bytes(BUF, 96), 16), S.IFREG | 0o600);
  assertEquals(sys(env, "unlinkat", FDCWD, env.str(P, "/tmp/d"), 0), -Errno.EISDIR);
  assertEquals(sys(env, "unlinkat", FDCWD, env.str(P, "/tmp/d"), AT.REMOVEDIR), -Errno.ENOTEMPTY);
  assertEquals(sys(env, "unlinkat", FDCWD, env.str(P, "/tmp/d"), 0x1), -Errno.EINVAL);
  assertEquals(
    sys(env, "linkat", FDCWD, env.str(P, "/tmp/d/f"), FDCWD, env.str(P2, "/tmp/h"), 0),
    0,
  );
  sys(env, "stat64", env.str(P, "/tmp/h"), BUF);
  assertEquals(u32(env.bytes(BUF, 96), 20), 2);
  assertEquals(
    sys(
      env,
      "renameat2",
      FDCWD,
      env.str(P, "/tmp/h"),
      FDCWD,
      env.str(P2, "/tmp/d/f"),
      RENAME.NOREPLACE,
    ),
    -Errno.EEXIST,
  );
  assertEquals(
    sys(env, "renameat2", FDCWD, env.str(P, "/tmp/h"), FDCWD, env.str(P2, "/tmp/d/f"), 8),
    -Errno.EINVAL,
  );
  assertEquals(sys(env, "rename", env.str(P, "/tmp/h"), env.str(P2, "/tmp/g")), 0);
  assertEquals(sys(env, "symlinkat", env.str(P, "d/f"), FDCWD, env.str(P2, "/tmp/s")), 0);
  assertEquals(sys(env, "readlink", env.str(P, "/tmp/s"), BUF, 100), 3);
  assertEquals(dec(env.bytes(BUF, 3)), "d/f");
  assertEquals(sys(env, "readlink", env.str(P, "/tmp/s"), BUF, 2), 2);
  assertEquals(sys(env, "readlink", env.str(P, "/tmp/s"), BUF, 0), -Errno.EINVAL);
  assertEquals(sys(env, "readlinkat", FDCWD, env.str(P, "/tmp/g"), BUF, 10), -Errno.EINVAL);
  assertEquals(sys(env, "readlink", env.str(P, "/proc/self/exe"), BUF, 100), 9);
  assertEquals(dec(env.bytes(BUF, 9)), "/bin/prog");
});

Deno.test("truncate64/ftruncate64 take 64-bit lengths split low/high", () => {
  const env = makeKernel();
  const fd = openPath(env, "/tmp/t", O.RDWR | O.CREAT);
  assertEquals(sys(env, "ftruncate64", fd, 100, 0), 0);
  sys(env, "fstat64", fd, BUF);
  assertEquals(u32(env.bytes(BUF, 96), 44), 100);
  assertEquals(sys(env, "truncate64", env.str(P, "/tmp/t"), 7, 0), 0);
  sys(env, "fstat64", fd, BUF);
  assertEquals(u32(env.bytes(BUF, 96), 44), 7);
  assertEquals(sys(env, "ftruncate64", fd, 0, 0xffffffff), -Errno.EINVAL);
  assertEquals(sys(env, "truncate64", env.str(P, "/tmp"), 0, 0), -Errno.EISDIR);
  const ro = openPath(env, "/tmp/t", O.RDONLY);
  assertEquals(sys(env, "ftruncate64", ro, 0, 0), -Errno.EINVAL);
});

Deno.test("readPath() reports EFAULT and ENAMETOOLONG", () => {
  const env = makeKernel();
  assertEquals(sys(env, "open", 0x100, 0, 0), -Errno.EFAULT);
  env.mem.writeBytes(P, new Uint8Array(4096).fill(97));
  assertEquals(sys(env, "open", P, 0, 0), -Errno.ENAMETOOLONG);
});
