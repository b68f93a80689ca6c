/** @module Namespace syscalls: getcwd, chdir, mkdir, rmdir, unlink, rename, link, symlink, readlink, getdents. */
import { Errno } from "../abi/errno.ts";
import { AT, RENAME } from "../abi/fcntl.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import type { DirEntry } from "../vfs/vfs.ts";
import { type Loc, locPath, top } from "../vfs/path.ts";
import { fileOf, readPath, startLoc, utf8 } from "./_file_util.ts";

const FDCWD = AT.FDCWD >>> 0;

/** Reads a path and its start location for an *at syscall. */
function pathAt(k: Kernel, t: Task, dirfd: number, pathAddr: number): [Loc, string] | number {
  const path = readPath(k, pathAddr);
  if (typeof path === "number") return path;
  const start = startLoc(k, t, dirfd, path);
  return typeof start === "number" ? start : [start, path];
}

/** Implements Linux syscall getcwd(2): returns the length including the NUL. */
export function sysGetcwd(k: Kernel, t: Task, buf: number, size: number): number {
  const bytes = utf8(locPath(k.vfs.cwdLoc(t.proc)) + "\0");
  if (size < bytes.length) return -Errno.ERANGE;
  return k.copyOut(buf, bytes) ? bytes.length : -Errno.EFAULT;
}

/** Implements Linux syscall chdir(2). */
export function sysChdir(k: Kernel, t: Task, pathAddr: number): number {
  const pa = pathAt(k, t, FDCWD, pathAddr);
  if (typeof pa === "number") return pa;
  const loc = k.vfs.resolve(t.proc, pa[0], pa[1], true);
  if (typeof loc === "number") return loc;
  if (!top(loc).isDir) return -Errno.ENOTDIR;
  k.vfs.setCwd(t.proc, loc);
  return 0;
}

/** Implements Linux syscall fchdir(2). */
export function sysFchdir(k: Kernel, t: Task, fd: number): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  if (!f.inode.isDir || !f.loc) return -Errno.ENOTDIR;
  k.vfs.setCwd(t.proc, f.loc);
  return 0;
}

/** Implements Linux syscall mkdirat(2). */
export function sysMkdirat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  mode: number,
): number {
  const pa = pathAt(k, t, dirfd, pathAddr);
  return typeof pa === "number" ? pa : k.vfs.mkdir(t.proc, pa[0], pa[1], mode);
}

/** Implements Linux syscall mkdir(2). */
export function sysMkdir(k: Kernel, t: Task, pathAddr: number, mode: number): number {
  return sysMkdirat(k, t, FDCWD, pathAddr, mode);
}

/** Implements Linux syscall rmdir(2). */
export function sysRmdir(k: Kernel, t: Task, pathAddr: number): number {
  const pa = pathAt(k, t, FDCWD, pathAddr);
  return typeof pa === "number" ? pa : k.vfs.rmdir(t.proc, pa[0], pa[1]);
}

/** Implements Linux syscall unlinkat(2). */
export function sysUnlinkat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  flags: number,
): number {
  if (flags & ~AT.REMOVEDIR) return -Errno.EINVAL;
  const pa = pathAt(k, t, dirfd, pathAddr);
  if (typeof pa === "number") return pa;
  return flags & AT.REMOVEDIR
    ? k.vfs.rmdir(t.proc, pa[0], pa[1])
    : k.vfs.unlink(t.proc, pa[0], pa[1]);
}

/** Implements Linux syscall unlink(2). */
export function sysUnlink(k: Kernel, t: Task, pathAddr: number): number {
  return sysUnlinkat(k, t, FDCWD, pathAddr, 0);
}

/** Implements Linux syscall renameat2(2): RENAME_NOREPLACE and RENAME_EXCHANGE. */
export function sysRenameat2(
  k: Kernel,
  t: Task,
  olddirfd: number,
  oldAddr: number,
  newdirfd: number,
  newAddr: number,
  flags: number,
): number {
  if (flags & ~(RENAME.NOREPLACE | RENAME.EXCHANGE)) return -Errno.EINVAL;
  const a = pathAt(k, t, olddirfd, oldAddr);
  if (typeof a === "number") return a;
  const b = pathAt(k, t, newdirfd, newAddr);
  if (typeof b === "number") return b;
  return k.vfs.rename(t.proc, a[0], a[1], b[0], b[1], flags);
}

/** Implements Linux syscall renameat(2). */
export function sysRenameat(
  k: Kernel,
  t: Task,
  od: number,
  oa: number,
  nd: number,
  na: number,
): number {
  return sysRenameat2(k, t, od, oa, nd, na, 0);
}

/** Implements Linux syscall rename(2). */
export function sysRename(k: Kernel, t: Task, oldAddr: number, newAddr: number): number {
  return sysRenameat2(k, t, FDCWD, oldAddr, FDCWD, newAddr, 0);
}

/** Implements Linux syscall linkat(2) (AT_SYMLINK_FOLLOW; AT_EMPTY_PATH links dirfd's file). */
export function sysLinkat(
  k: Kernel,
  t: Task,
  olddirfd: number,
  oldAddr: number,
  newdirfd: number,
  newAddr: number,
  flags: number,
): number {
  if (flags & ~(AT.SYMLINK_FOLLOW | AT.EMPTY_PATH)) return -Errno.EINVAL;
  const a = pathAt(k, t, olddirfd, oldAddr);
  if (typeof a === "number") return a;
  const b = pathAt(k, t, newdirfd, newAddr);
  if (typeof b === "number") return b;
  return k.vfs.link(t.proc, a[0], a[1], b[0], b[1], (flags & AT.SYMLINK_FOLLOW) !== 0);
}

/** Implements Linux syscall link(2). */
export function sysLink(k: Kernel, t: Task, oldAddr: number, newAddr: number): number {
  return sysLinkat(k, t, FDCWD, oldAddr, FDCWD, newAddr, 0);
}

/** Implements Linux syscall symlinkat(2). */
export function sysSymlinkat(
  k: Kernel,
  t: Task,
  targetAddr: number,
  newdirfd: number,
  pathAddr: number,
): number {
  const target = readPath(k, targetAddr);
  if (typeof target === "number") return target;
  const pa = pathAt(k, t, newdirfd, pathAddr);
  return typeof pa === "number" ? pa : k.vfs.symlink(t.proc, target, pa[0], pa[1]);
}

/** Implements Linux syscall symlink(2). */
export function sysSymlink(k: Kernel, t: Task, targetAddr: number, pathAddr: number): number {
  return sysSymlinkat(k, t, targetAddr, FDCWD, pathAddr);
}

/** Implements Linux syscall readlinkat(2): truncates silently, no NUL. */
export function sysReadlinkat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  buf: number,
  size: number,
): number {
  if ((size | 0) <= 0) return -Errno.EINVAL;
  const pa = pathAt(k, t, dirfd, pathAddr);
  if (typeof pa === "number") return pa;
  const target = k.vfs.readlink(t.proc, pa[0], pa[1]);
  if (typeof target === "number") return target;
  const bytes = utf8(target).subarray(0, size);
  return k.copyOut(buf, bytes) ? bytes.length : -Errno.EFAULT;
}

/** Implements Linux syscall readlink(2). */
export function sysReadlink(
  k: Kernel,
  t: Task,
  pathAddr: number,
  buf: number,
  size: number,
): number {
  return sysReadlinkat(k, t, FDCWD, pathAddr, buf, size);
}

/** One linux_dirent64 record: ino u64, off s64, reclen u16, type u8, name NUL, padded to 8. */
export function encodeDirent64(e: DirEntry, nextOff: number): Uint8Array {
  const name = utf8(e.name);
  const reclen = (19 + name.length + 1 + 7) & ~7;
  const out = new Uint8Array(reclen);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(e.ino), true);
  dv.setBigInt64(8, BigInt(nextOff), true);
  dv.setUint16(16, reclen, true);
  out[18] = e.type;
  out.set(name, 19);
  return out;
}

/** One old linux_dirent record: ino u32, off u32, reclen u16, name NUL, pad, type in the last byte. */
export function encodeDirent(e: DirEntry, nextOff: number): Uint8Array {
  const name = utf8(e.name);
  const reclen = (10 + name.length + 2 + 3) & ~3;
  const out = new Uint8Array(reclen);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, e.ino, true);
  dv.setUint32(4, nextOff, true);
  dv.setUint16(8, reclen, true);
  out.set(name, 10);
  out[reclen - 1] = e.type;
  return out;
}

function getdents(
  k: Kernel,
  t: Task,
  fd: number,
  dirp: number,
  count: number,
  encode: (e: DirEntry, nextOff: number) => Uint8Array,
): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  if (f.kind !== "dir" || !f.loc) return -Errno.ENOTDIR;
  const entries = k.vfs.listDir(t.proc, f.loc);
  const recs: Uint8Array[] = [];
  let used = 0;
  let i = f.pos;
  for (; i < entries.length; i++) {
    const rec = encode(entries[i], i + 1);
    if (used + rec.length > count) {
      if (used === 0) return -Errno.EINVAL;
      break;
    }
    recs.push(rec);
    used += rec.length;
  }
  if (used === 0) return 0;
  const out = new Uint8Array(used);
  let off = 0;
  for (const r of recs) {
    out.set(r, off);
    off += r.length;
  }
  if (!k.copyOut(dirp, out)) return -Errno.EFAULT;
  f.pos = i;
  return used;
}

/** Implements Linux syscall getdents64(2): ".", "..", then names sorted; d_off is the next index. */
export function sysGetdents64(k: Kernel, t: Task, fd: number, dirp: number, count: number): number {
  return getdents(k, t, fd, dirp, count >>> 0, encodeDirent64);
}

/** Implements Linux syscall getdents(2) (the old 32-bit linux_dirent). */
export function sysGetdents(k: Kernel, t: Task, fd: number, dirp: number, count: number): number {
  return getdents(k, t, fd, dirp, count >>> 0, encodeDirent);
}
