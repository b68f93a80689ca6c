/** @module Opening and closing files: open, openat, creat, close, dup*, pipe*, umask, truncate*. */
import { Errno } from "../abi/errno.ts";
import { AT, O } from "../abi/fcntl.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import { FD_LIMIT } from "../vfs/fd_table.ts";
import { top } from "../vfs/path.ts";
import { fileOf, join64, readPath, startLoc } from "./_file_util.ts";

/** Implements Linux syscall openat(2). */
export function sysOpenat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mode: number,
): number {
  const path = readPath(k, pathAddr);
  if (typeof path === "number") return path;
  const start = startLoc(k, t, dirfd, path);
  if (typeof start === "number") return start;
  const f = k.vfs.open(t.proc, start, path, flags, mode);
  if (typeof f === "number") return f;
  return t.proc.fds.alloc(f, 0, (flags & O.CLOEXEC) !== 0);
}

/** Implements Linux syscall open(2). */
export function sysOpen(k: Kernel, t: Task, pathAddr: number, flags: number, mode: number): number {
  return sysOpenat(k, t, AT.FDCWD >>> 0, pathAddr, flags, mode);
}

/** Implements Linux syscall creat(2). */
export function sysCreat(k: Kernel, t: Task, pathAddr: number, mode: number): number {
  return sysOpenat(k, t, AT.FDCWD >>> 0, pathAddr, O.CREAT | O.WRONLY | O.TRUNC, mode);
}

/** Implements Linux syscall close(2). */
export function sysClose(_k: Kernel, t: Task, fd: number): number {
  return t.proc.fds.close(fd | 0);
}

/** Implements Linux syscall dup(2). */
export function sysDup(_k: Kernel, t: Task, fd: number): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  f.refs++;
  return t.proc.fds.alloc(f);
}

function dupTo(t: Task, oldfd: number, newfd: number, cloexec: boolean): number {
  const f = fileOf(t, oldfd);
  if (!f) return -Errno.EBADF;
  if ((newfd | 0) < 0 || newfd >= FD_LIMIT) return -Errno.EBADF;
  f.refs++;
  return t.proc.fds.installAt(newfd, f, cloexec);
}

/** Implements Linux syscall dup2(2). */
export function sysDup2(_k: Kernel, t: Task, oldfd: number, newfd: number): number {
  if (oldfd === newfd) return fileOf(t, oldfd) ? newfd : -Errno.EBADF;
  return dupTo(t, oldfd, newfd, false);
}

/** Implements Linux syscall dup3(2). */
export function sysDup3(_k: Kernel, t: Task, oldfd: number, newfd: number, flags: number): number {
  if (flags & ~O.CLOEXEC) return -Errno.EINVAL;
  if (oldfd === newfd) return -Errno.EINVAL;
  return dupTo(t, oldfd, newfd, (flags & O.CLOEXEC) !== 0);
}

/** Implements Linux syscall pipe2(2). */
export function sysPipe2(k: Kernel, t: Task, fdsAddr: number, flags: number): number {
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) return -Errno.EINVAL;
  const [r, w] = k.vfs.createPipe(flags);
  const cloexec = (flags & O.CLOEXEC) !== 0;
  const rfd = t.proc.fds.alloc(r, 0, cloexec);
  if (rfd < 0) {
    w.release();
    return rfd;
  }
  const wfd = t.proc.fds.alloc(w, 0, cloexec);
  if (wfd < 0) {
    t.proc.fds.close(rfd);
    return wfd;
  }
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, rfd, true);
  dv.setInt32(4, wfd, true);
  if (!k.copyOut(fdsAddr, out)) {
    t.proc.fds.close(rfd);
    t.proc.fds.close(wfd);
    return -Errno.EFAULT;
  }
  return 0;
}

/** Implements Linux syscall pipe(2). */
export function sysPipe(k: Kernel, t: Task, fdsAddr: number): number {
  return sysPipe2(k, t, fdsAddr, 0);
}

/** Implements Linux syscall umask(2). */
export function sysUmask(_k: Kernel, t: Task, mask: number): number {
  const old = t.proc.umask;
  t.proc.umask = mask & 0o777;
  return old;
}

function truncatePath(k: Kernel, t: Task, pathAddr: number, len: number): number {
  if (len < 0) return -Errno.EINVAL;
  const path = readPath(k, pathAddr);
  if (typeof path === "number") return path;
  const loc = k.vfs.resolve(t.proc, k.vfs.cwdLoc(t.proc), path, true);
  if (typeof loc === "number") return loc;
  return k.vfs.truncateInode(top(loc), len);
}

function truncateFd(k: Kernel, t: Task, fd: number, len: number): number {
  if (len < 0) return -Errno.EINVAL;
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  if (!f.inode.isReg || !f.writable) return -Errno.EINVAL;
  return k.vfs.truncateInode(f.inode, len);
}

/** Implements Linux syscall truncate64(2): the length arrives as (low, high). */
export function sysTruncate64(
  k: Kernel,
  t: Task,
  pathAddr: number,
  lo: number,
  hi: number,
): number {
  return truncatePath(k, t, pathAddr, join64(lo, hi));
}

/** Implements Linux syscall ftruncate64(2): the length arrives as (low, high). */
export function sysFtruncate64(k: Kernel, t: Task, fd: number, lo: number, hi: number): number {
  return truncateFd(k, t, fd, join64(lo, hi));
}

/** Implements Linux syscall truncate(2) (32-bit length). */
export function sysTruncate(k: Kernel, t: Task, pathAddr: number, len: number): number {
  return truncatePath(k, t, pathAddr, len | 0);
}

/** Implements Linux syscall ftruncate(2) (32-bit length). */
export function sysFtruncate(k: Kernel, t: Task, fd: number, len: number): number {
  return truncateFd(k, t, fd, len | 0);
}
