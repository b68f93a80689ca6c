/** @module Data transfer syscalls: read, write, readv, writev, pread64, pwrite64, lseek, _llseek, fsync, sync. */
import { Errno } from "../abi/errno.ts";
import { SEEK } from "../abi/fcntl.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import { flushHost, MAX_RW, type OpenFile } from "../vfs/file.ts";
import { fileOf, join64, u64le } from "./_file_util.ts";

const UIO_MAXIOV = 1024;

function deliver(k: Kernel, buf: number, r: Uint8Array | number): number {
  if (typeof r === "number") return r;
  if (r.length && !k.copyOut(buf, r)) return -Errno.EFAULT;
  return r.length;
}

/** Implements Linux syscall read(2). */
export function sysRead(k: Kernel, t: Task, fd: number, buf: number, count: number): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  return deliver(k, buf, f.read(k, count >>> 0));
}

/** Implements Linux syscall write(2). */
export function sysWrite(k: Kernel, t: Task, fd: number, buf: number, count: number): number {
  const f = fileOf(t, fd);
  if (!f || !f.writable) return -Errno.EBADF;
  const data = k.copyIn(buf, Math.min(count >>> 0, MAX_RW));
  if (!data) return -Errno.EFAULT;
  return f.write(k, data);
}

/** Implements Linux syscall pread64(2): the offset arrives as (low, high). */
export function sysPread64(
  k: Kernel,
  t: Task,
  fd: number,
  buf: number,
  count: number,
  lo: number,
  hi: number,
): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  const pos = join64(lo, hi);
  if (pos < 0) return -Errno.EINVAL;
  return deliver(k, buf, f.read(k, count >>> 0, pos));
}

/** Implements Linux syscall pwrite64(2): the offset arrives as (low, high). */
export function sysPwrite64(
  k: Kernel,
  t: Task,
  fd: number,
  buf: number,
  count: number,
  lo: number,
  hi: number,
): number {
  const f = fileOf(t, fd);
  if (!f || !f.writable) return -Errno.EBADF;
  const pos = join64(lo, hi);
  if (pos < 0) return -Errno.EINVAL;
  const data = k.copyIn(buf, Math.min(count >>> 0, MAX_RW));
  if (!data) return -Errno.EFAULT;
  return f.write(k, data, pos);
}

/** Reads an iovec array: [base, len] pairs, or -errno. */
function readIov(k: Kernel, iov: number, iovcnt: number): [number, number][] | number {
  if ((iovcnt | 0) < 0 || iovcnt > UIO_MAXIOV) return -Errno.EINVAL;
  if (iovcnt === 0) return [];
  const raw = k.copyIn(iov, iovcnt * 8);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset);
  const segs: [number, number][] = [];
  let total = 0;
  for (let i = 0; i < iovcnt; i++) {
    const len = dv.getUint32(i * 8 + 4, true);
    total += len;
    if (len > 0x7fffffff || total > 0x7fffffff) return -Errno.EINVAL;
    segs.push([dv.getUint32(i * 8, true), len]);
  }
  return segs;
}

function readvAt(k: Kernel, t: Task, fd: number, iov: number, iovcnt: number, at: number | null) {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  const segs = readIov(k, iov, iovcnt);
  if (typeof segs === "number") return segs;
  const total = segs.reduce((n, [, len]) => n + len, 0);
  const r = f.read(k, total, at);
  if (typeof r === "number") return r;
  let off = 0;
  for (const [base, len] of segs) {
    if (off >= r.length) break;
    const part = r.subarray(off, off + len);
    if (!k.copyOut(base, part)) return off > 0 ? off : -Errno.EFAULT;
    off += part.length;
  }
  return r.length;
}

function writevAt(k: Kernel, t: Task, fd: number, iov: number, iovcnt: number, at: number | null) {
  const f = fileOf(t, fd);
  if (!f || !f.writable) return -Errno.EBADF;
  const segs = readIov(k, iov, iovcnt);
  if (typeof segs === "number") return segs;
  const total = segs.reduce((n, [, len]) => n + len, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const [base, len] of segs) {
    const part = k.copyIn(base, len);
    if (!part) return -Errno.EFAULT;
    data.set(part, off);
    off += len;
  }
  return f.write(k, data, at);
}

/** Implements Linux syscall readv(2). */
export function sysReadv(k: Kernel, t: Task, fd: number, iov: number, iovcnt: number): number {
  return readvAt(k, t, fd, iov, iovcnt, null);
}

/** Implements Linux syscall writev(2). */
export function sysWritev(k: Kernel, t: Task, fd: number, iov: number, iovcnt: number): number {
  return writevAt(k, t, fd, iov, iovcnt, null);
}

/** Implements Linux syscall preadv(2): the offset arrives as (low, high). */
export function sysPreadv(
  k: Kernel,
  t: Task,
  fd: number,
  iov: number,
  iovcnt: number,
  lo: number,
  hi: number,
): number {
  const pos = join64(lo, hi);
  return pos < 0 ? -Errno.EINVAL : readvAt(k, t, fd, iov, iovcnt, pos);
}

/** Implements Linux syscall pwritev(2): the offset arrives as (low, high). */
export function sysPwritev(
  k: Kernel,
  t: Task,
  fd: number,
  iov: number,
  iovcnt: number,
  lo: number,
  hi: number,
): number {
  const pos = join64(lo, hi);
  return pos < 0 ? -Errno.EINVAL : writevAt(k, t, fd, iov, iovcnt, pos);
}

/** The new position for a seek, or -errno (the file position is not changed here). */
export function seekTarget(f: OpenFile, offset: number, whence: number): number {
  if (f.kind === "path") return -Errno.EBADF;
  if (!f.seekable) return -Errno.ESPIPE;
  if (f.kind === "chr") return whence <= SEEK.END ? 0 : -Errno.EINVAL;
  const size = f.kind === "proc" ? f.content!.length : f.inode.size;
  let pos: number;
  if (whence === SEEK.SET) pos = offset;
  else if (whence === SEEK.CUR) pos = f.pos + offset;
  else if (whence === SEEK.END && f.kind !== "dir") pos = size + offset;
  else if ((whence === SEEK.DATA || whence === SEEK.HOLE) && f.kind !== "dir") {
    if (offset < 0 || offset >= size) return -Errno.ENXIO;
    pos = whence === SEEK.DATA ? offset : size;
  } else return -Errno.EINVAL;
  return pos < 0 ? -Errno.EINVAL : pos;
}

/** Implements Linux syscall lseek(2) (32-bit off_t: EOVERFLOW past 2 GiB, position still moves). */
export function sysLseek(_k: Kernel, t: Task, fd: number, offset: number, whence: number): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  const pos = seekTarget(f, offset | 0, whence);
  if (pos < 0) return pos;
  f.pos = pos;
  return pos > 0x7fffffff ? -Errno.EOVERFLOW : pos;
}

/** Implements Linux syscall _llseek(2): offset as (high, low), the result stored as a loff_t. */
export function sysLlseek(
  k: Kernel,
  t: Task,
  fd: number,
  hi: number,
  lo: number,
  result: number,
  whence: number,
): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  const pos = seekTarget(f, join64(lo, hi), whence);
  if (pos < 0) return pos;
  f.pos = pos;
  return k.copyOut(result, u64le(pos)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall fsync(2) (and fdatasync): flushes host-backed files. */
export function sysFsync(_k: Kernel, t: Task, fd: number): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  if (f.kind === "pipe" || f.kind === "stdin" || f.kind === "stdout" || f.kind === "stderr") {
    return -Errno.EINVAL;
  }
  return flushHost(f.inode) ? 0 : -Errno.EIO;
}

/** Implements Linux syscall sync(2). */
export function sysSync(k: Kernel): number {
  k.vfs.sync();
  return 0;
}
