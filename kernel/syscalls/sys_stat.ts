/** @module File metadata syscalls: stat64 family, statx, access family, chmod/chown family, utimensat. */
import { Errno } from "../abi/errno.ts";
import { AT } from "../abi/fcntl.ts";
import { S, STAT64, STATX, STATX_MASK } from "../abi/stat.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import type { Inode } from "../vfs/inode.ts";
import { top } from "../vfs/path.ts";
import type { Vfs } from "../vfs/vfs.ts";
import { fileOf, isAtFdcwd, readPath, startLoc } from "./_file_util.ts";

const NS = 1_000_000_000n;
const BLKSIZE = 4096;

/** st_blocks: pages holding data (holes are free, as on tmpfs); a host file not yet read counts whole. */
function blocks(n: Inode, size: number): number {
  if (!n.isReg) return 0;
  const pages = n.dataLoaded ? n.allocatedPages : Math.ceil(size / BLKSIZE);
  return pages * (BLKSIZE / 512);
}

function splitTime(ns: bigint): [bigint, number] {
  let sec = ns / NS;
  let nsec = ns % NS;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += NS;
  }
  return [sec, Number(nsec)];
}

/** The i386 struct stat64 bytes for an inode. */
export function encodeStat64(vfs: Vfs, n: Inode): Uint8Array {
  const out = new Uint8Array(STAT64.SIZE);
  const dv = new DataView(out.buffer);
  const size = vfs.statSize(n);
  dv.setUint32(STAT64.DEV, n.sb.dev, true);
  dv.setUint32(STAT64.INO32, n.ino >>> 0, true);
  dv.setUint32(STAT64.MODE, n.mode, true);
  dv.setUint32(STAT64.NLINK, n.nlink, true);
  dv.setUint32(STAT64.UID, n.uid, true);
  dv.setUint32(STAT64.GID, n.gid, true);
  dv.setUint32(STAT64.RDEV, n.rdev, true);
  dv.setBigInt64(STAT64.FSIZE, BigInt(size), true);
  dv.setUint32(STAT64.BLKSIZE, BLKSIZE, true);
  dv.setBigUint64(STAT64.BLOCKS, BigInt(blocks(n, size)), true);
  const times: [number, bigint][] = [[STAT64.ATIME, n.atime], [STAT64.MTIME, n.mtime], [
    STAT64.CTIME,
    n.ctime,
  ]];
  for (const [off, ns] of times) {
    const [sec, nsec] = splitTime(ns);
    dv.setUint32(off, Number(BigInt.asUintN(32, sec)), true);
    dv.setUint32(off + 4, nsec, true);
  }
  dv.setBigUint64(STAT64.INO, BigInt(n.ino), true);
  return out;
}

/** The struct statx bytes for an inode (basic stats only). */
export function encodeStatx(vfs: Vfs, n: Inode): Uint8Array {
  const out = new Uint8Array(STATX.SIZE);
  const dv = new DataView(out.buffer);
  const size = vfs.statSize(n);
  dv.setUint32(STATX.MASK, STATX_MASK.BASIC_STATS, true);
  dv.setUint32(STATX.BLKSIZE, BLKSIZE, true);
  dv.setUint32(STATX.NLINK, n.nlink, true);
  dv.setUint32(STATX.UID, n.uid, true);
  dv.setUint32(STATX.GID, n.gid, true);
  dv.setUint16(STATX.MODE, n.mode, true);
  dv.setBigUint64(STATX.INO, BigInt(n.ino), true);
  dv.setBigUint64(STATX.FSIZE, BigInt(size), true);
  dv.setBigUint64(STATX.BLOCKS, BigInt(blocks(n, size)), true);
  const times: [number, bigint][] = [[STATX.ATIME, n.atime], [STATX.MTIME, n.mtime], [
    STATX.CTIME,
    n.ctime,
  ]];
  for (const [off, ns] of times) {
    const [sec, nsec] = splitTime(ns);
    dv.setBigInt64(off, sec, true);
    dv.setUint32(off + 8, nsec, true);
  }
  dv.setUint32(STATX.RDEV_MAJOR, (n.rdev >>> 8) & 0xfff, true);
  dv.setUint32(STATX.RDEV_MINOR, (n.rdev & 0xff) | ((n.rdev >>> 12) & 0xfff00), true);
  dv.setUint32(STATX.DEV_MAJOR, (n.sb.dev >>> 8) & 0xfff, true);
  dv.setUint32(STATX.DEV_MINOR, (n.sb.dev & 0xff) | ((n.sb.dev >>> 12) & 0xfff00), true);
  return out;
}

/**
 * The inode a (dirfd, path, flags) triple names: AT_EMPTY_PATH with "" (or a NULL path) means
 * dirfd itself; AT_SYMLINK_NOFOLLOW keeps a final symlink.
 */
export function atTarget(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  flags: number,
): Inode | number {
  const path = pathAddr === 0 && (flags & AT.EMPTY_PATH) ? "" : readPath(k, pathAddr);
  if (typeof path === "number") return path;
  if (path === "") {
    if (!(flags & AT.EMPTY_PATH)) return -Errno.ENOENT;
    if (isAtFdcwd(dirfd)) return top(k.vfs.cwdLoc(t.proc));
    const f = fileOf(t, dirfd);
    return f ? f.inode : -Errno.EBADF;
  }
  const start = startLoc(k, t, dirfd, path);
  if (typeof start === "number") return start;
  const loc = k.vfs.resolve(t.proc, start, path, !(flags & AT.SYMLINK_NOFOLLOW));
  return typeof loc === "number" ? loc : top(loc);
}

function putStat64(k: Kernel, buf: number, n: Inode | number): number {
  if (typeof n === "number") return n;
  return k.copyOut(buf, encodeStat64(k.vfs, n)) ? 0 : -Errno.EFAULT;
}

const FDCWD = AT.FDCWD >>> 0;

/** Implements Linux syscall stat64(2). */
export function sysStat64(k: Kernel, t: Task, pathAddr: number, buf: number): number {
  return putStat64(k, buf, atTarget(k, t, FDCWD, pathAddr, 0));
}

/** Implements Linux syscall lstat64(2). */
export function sysLstat64(k: Kernel, t: Task, pathAddr: number, buf: number): number {
  return putStat64(k, buf, atTarget(k, t, FDCWD, pathAddr, AT.SYMLINK_NOFOLLOW));
}

/** Implements Linux syscall fstat64(2). */
export function sysFstat64(k: Kernel, t: Task, fd: number, buf: number): number {
  const f = fileOf(t, fd);
  return putStat64(k, buf, f ? f.inode : -Errno.EBADF);
}

/** Implements Linux syscall fstatat64(2). */
export function sysFstatat64(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  buf: number,
  flags: number,
) {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT)) return -Errno.EINVAL;
  return putStat64(k, buf, atTarget(k, t, dirfd, pathAddr, flags));
}

/** Implements Linux syscall statx(2). */
export function sysStatx(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  flags: number,
  mask: number,
  buf: number,
): number {
  const known = AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT | AT.STATX_SYNC_TYPE;
  if (flags & ~known || (flags & AT.STATX_SYNC_TYPE) === AT.STATX_SYNC_TYPE) return -Errno.EINVAL;
  if (mask & 0x80000000) return -Errno.EINVAL;
  const n = atTarget(k, t, dirfd, pathAddr, flags);
  if (typeof n === "number") return n;
  return k.copyOut(buf, encodeStatx(k.vfs, n)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall faccessat2(2). */
export function sysFaccessat2(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  mode: number,
  flags: number,
): number {
  if (mode & ~7) return -Errno.EINVAL;
  if (flags & ~(AT.EACCESS | AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -Errno.EINVAL;
  const n = atTarget(k, t, dirfd, pathAddr, flags);
  if (typeof n === "number") return n;
  return k.vfs.access(n, mode);
}

/** Implements Linux syscall faccessat(2) (no flags argument). */
export function sysFaccessat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  mode: number,
): number {
  return sysFaccessat2(k, t, dirfd, pathAddr, mode, 0);
}

/** Implements Linux syscall access(2). */
export function sysAccess(k: Kernel, t: Task, pathAddr: number, mode: number): number {
  return sysFaccessat2(k, t, FDCWD, pathAddr, mode, 0);
}

function chmodInode(k: Kernel, n: Inode | number, mode: number): number {
  if (typeof n === "number") return n;
  if (n.sb.readOnly) return -n.sb.readOnly;
  if (n.isLink) return -Errno.EOPNOTSUPP;
  n.mode = (n.mode & S.IFMT) | (mode & 0o7777);
  n.ctime = k.vfs.now();
  return 0;
}

/** Implements Linux syscall fchmodat(2) (in memory only for host files: HostFs has no chmod). */
export function sysFchmodat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  mode: number,
): number {
  return chmodInode(k, atTarget(k, t, dirfd, pathAddr, 0), mode);
}

/** Implements Linux syscall fchmodat2(2). */
export function sysFchmodat2(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  mode: number,
  flags: number,
): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -Errno.EINVAL;
  return chmodInode(k, atTarget(k, t, dirfd, pathAddr, flags), mode);
}

/** Implements Linux syscall chmod(2). */
export function sysChmod(k: Kernel, t: Task, pathAddr: number, mode: number): number {
  return chmodInode(k, atTarget(k, t, FDCWD, pathAddr, 0), mode);
}

/** Implements Linux syscall fchmod(2). */
export function sysFchmod(k: Kernel, t: Task, fd: number, mode: number): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  return chmodInode(k, f.inode, mode);
}

function chownInode(k: Kernel, n: Inode | number, uid: number, gid: number): number {
  if (typeof n === "number") return n;
  if (n.sb.readOnly) return -n.sb.readOnly;
  if ((uid | 0) !== -1) n.uid = uid >>> 0;
  if ((gid | 0) !== -1) n.gid = gid >>> 0;
  n.ctime = k.vfs.now();
  return 0;
}

/** Implements Linux syscall fchownat(2) (we run as root, so any owner is allowed). */
export function sysFchownat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  uid: number,
  gid: number,
  flags: number,
): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -Errno.EINVAL;
  return chownInode(k, atTarget(k, t, dirfd, pathAddr, flags), uid, gid);
}

/** Implements Linux syscall chown32(2). */
export function sysChown32(k: Kernel, t: Task, pathAddr: number, uid: number, gid: number): number {
  return chownInode(k, atTarget(k, t, FDCWD, pathAddr, 0), uid, gid);
}

/** Implements Linux syscall lchown32(2). */
export function sysLchown32(
  k: Kernel,
  t: Task,
  pathAddr: number,
  uid: number,
  gid: number,
): number {
  return chownInode(k, atTarget(k, t, FDCWD, pathAddr, AT.SYMLINK_NOFOLLOW), uid, gid);
}

/** Implements Linux syscall fchown32(2). */
export function sysFchown32(k: Kernel, t: Task, fd: number, uid: number, gid: number): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  return chownInode(k, f.inode, uid, gid);
}

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

function utimens(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  timesAddr: number,
  flags: number,
  wide: boolean,
): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) return -Errno.EINVAL;
  const now = k.vfs.now();
  let times: (bigint | null)[] = [now, now];
  if (timesAddr !== 0) {
    const size = wide ? 16 : 8;
    const raw = k.copyIn(timesAddr, size * 2);
    if (!raw) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer, raw.byteOffset);
    times = [];
    for (let i = 0; i < 2; i++) {
      const sec = wide ? dv.getBigInt64(i * size, true) : BigInt(dv.getInt32(i * size, true));
      const nsec = wide
        ? Number(dv.getBigInt64(i * size + 8, true))
        : dv.getInt32(i * size + 4, true);
      if (nsec === UTIME_NOW) times.push(now);
      else if (nsec === UTIME_OMIT) times.push(null);
      else if (nsec < 0 || nsec >= 1e9) return -Errno.EINVAL;
      else times.push(sec * NS + BigInt(nsec));
    }
  }
  // a NULL path (futimens) means dirfd itself
  const n = pathAddr === 0
    ? (isAtFdcwd(dirfd) ? -Errno.EFAULT : fileOf(t, dirfd)?.inode ?? -Errno.EBADF)
    : atTarget(k, t, dirfd, pathAddr, flags);
  if (typeof n === "number") return n;
  if (n.sb.readOnly) return -n.sb.readOnly;
  if (times[0] !== null) n.atime = times[0];
  if (times[1] !== null) n.mtime = times[1];
  n.ctime = now;
  return 0;
}

/** Implements Linux syscall utimensat(2) (32-bit timespecs). */
export function sysUtimensat(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  timesAddr: number,
  flags: number,
): number {
  return utimens(k, t, dirfd, pathAddr, timesAddr, flags, false);
}

/** Implements Linux syscall utimensat_time64(2) (64-bit timespecs). */
export function sysUtimensatTime64(
  k: Kernel,
  t: Task,
  dirfd: number,
  pathAddr: number,
  timesAddr: number,
  flags: number,
): number {
  return utimens(k, t, dirfd, pathAddr, timesAddr, flags, true);
}
