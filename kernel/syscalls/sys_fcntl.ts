/** @module Descriptor control: fcntl/fcntl64, ioctl (no ttys: terminal requests fail with ENOTTY), flock. */
import { Errno } from "../abi/errno.ts";
import { F, FD_CLOEXEC, LockType, O, SETFL_MASK } from "../abi/fcntl.ts";
import { Ioctl } from "../abi/ioctl.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import { FD_LIMIT } from "../vfs/fd_table.ts";
import type { OpenFile } from "../vfs/file.ts";
import { fileOf, getU32, putU32 } from "./_file_util.ts";

type FcntlOp = (k: Kernel, t: Task, fd: number, f: OpenFile, arg: number) => number;

function dupFrom(t: Task, f: OpenFile, arg: number, cloexec: boolean): number {
  if ((arg | 0) < 0 || arg >= FD_LIMIT) return -Errno.EINVAL;
  f.refs++;
  return t.proc.fds.alloc(f, arg, cloexec);
}

const OFD_LOCK_CMDS: ReadonlySet<number> = new Set([F.OFD_GETLK, F.OFD_SETLK, F.OFD_SETLKW]);
const WIDE_LOCK_CMDS: ReadonlySet<number> = new Set([
  F.GETLK64,
  F.SETLK64,
  F.SETLKW64,
  ...OFD_LOCK_CMDS,
]);

/**
 * Validates a struct flock (flock64 for the 64-bit and OFD commands) as Linux flock_to_posix_lock does: l_whence,
 * the resulting start and a negative l_len; returns the lock type or -errno.
 */
function lockType(k: Kernel, f: OpenFile, arg: number, cmd: number): number {
  const wide = WIDE_LOCK_CMDS.has(cmd);
  const raw = k.copyIn(arg, wide ? 24 : 16);
  if (!raw) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer, raw.byteOffset);
  const type = dv.getInt16(0, true), whence = dv.getInt16(2, true);
  const start = wide ? Number(dv.getBigInt64(4, true)) : dv.getInt32(4, true);
  const len = wide ? Number(dv.getBigInt64(12, true)) : dv.getInt32(8, true);
  const base = [0, f.pos, f.inode.size][whence];
  if (base === undefined) return -Errno.EINVAL;
  if (base + start < 0 || (len < 0 && base + start + len < 0)) return -Errno.EINVAL;
  if (type !== LockType.RDLCK && type !== LockType.WRLCK && type !== LockType.UNLCK) {
    return -Errno.EINVAL;
  }
  // open file description locks have no owner pid: l_pid must be 0
  if (OFD_LOCK_CMDS.has(cmd) && dv.getInt32(20, true) !== 0) return -Errno.EINVAL;
  return type;
}

/** F_GETLK: nothing is ever locked by another process, so report F_UNLCK. */
function getLock(cmd: number): FcntlOp {
  return (k, _t, _fd, f, arg) => {
    if (f.kind === "path") return -Errno.EBADF;
    const type = lockType(k, f, arg, cmd);
    if (type < 0) return type;
    // asking about F_UNLCK makes no sense (Linux fcntl_getlk)
    if (type === LockType.UNLCK) return -Errno.EINVAL;
    const b = new Uint8Array([LockType.UNLCK, 0]);
    return k.copyOut(arg, b) ? 0 : -Errno.EFAULT;
  };
}

/** F_SETLK/F_SETLKW: one process owns every lock, so locking always succeeds. */
function setLock(cmd: number): FcntlOp {
  return (k, _t, _fd, f, arg) => {
    if (f.kind === "path") return -Errno.EBADF;
    const type = lockType(k, f, arg, cmd);
    if (type < 0) return type;
    if (type === LockType.RDLCK && !f.readable) return -Errno.EBADF;
    if (type === LockType.WRLCK && !f.writable) return -Errno.EBADF;
    return 0;
  };
}

const FCNTL_OPS: Record<number, FcntlOp> = {
  [F.DUPFD]: (_k, t, _fd, f, arg) => dupFrom(t, f, arg, false),
  [F.DUPFD_CLOEXEC]: (_k, t, _fd, f, arg) => dupFrom(t, f, arg, true),
  [F.GETFD]: (_k, t, fd) => t.proc.fds.getCloexec(fd) ? FD_CLOEXEC : 0,
  [F.SETFD]: (_k, t, fd, _f, arg) => (t.proc.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0), 0),
  [F.GETFL]: (_k, _t, _fd, f) => f.flags,
  [F.SETFL]: (_k, _t, _fd, f, arg) => {
    if (f.kind === "path") return -Errno.EBADF;
    f.flags = (f.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
    return 0;
  },
  [F.GETLK]: getLock(F.GETLK),
  [F.GETLK64]: getLock(F.GETLK64),
  [F.OFD_GETLK]: getLock(F.OFD_GETLK),
  [F.SETLK]: setLock(F.SETLK),
  [F.SETLKW]: setLock(F.SETLKW),
  [F.SETLK64]: setLock(F.SETLK64),
  [F.SETLKW64]: setLock(F.SETLKW64),
  [F.OFD_SETLK]: setLock(F.OFD_SETLK),
  [F.OFD_SETLKW]: setLock(F.OFD_SETLKW),
  [F.GETOWN]: () => 0,
  [F.SETOWN]: () => 0,
  [F.GETSIG]: () => 0,
  [F.SETSIG]: () => 0,
  [F.GETPIPE_SZ]: (_k, _t, _fd, f) => f.pipe ? f.pipe.capacity : -Errno.EINVAL,
  [F.SETPIPE_SZ]: (_k, _t, _fd, f, arg) => {
    if (!f.pipe) return -Errno.EINVAL;
    if (arg > 1 << 20) return -Errno.EPERM;
    const size = Math.max(4096, 2 ** Math.ceil(Math.log2(Math.max(arg, 1))));
    if (size < f.pipe.available) return -Errno.EBUSY;
    f.pipe.capacity = size;
    return size;
  },
};

/** Implements Linux syscall fcntl64(2) (also serves fcntl(2)). */
export function sysFcntl64(k: Kernel, t: Task, fd: number, cmd: number, arg: number): number {
  const f = fileOf(t, fd);
  if (!f) return -Errno.EBADF;
  const op = FCNTL_OPS[cmd];
  return op ? op(k, t, fd, f, arg) : -Errno.EINVAL;
}

type IoctlOp = (k: Kernel, t: Task, fd: number, f: OpenFile, arg: number) => number;

function setFlag(k: Kernel, f: OpenFile, arg: number, flag: number): number {
  const v = getU32(k, arg);
  if (v === null) return -Errno.EFAULT;
  f.flags = v ? f.flags | flag : f.flags & ~flag;
  return 0;
}

/** Bytes readable without blocking, or null when FIONREAD does not apply (→ ENOTTY). */
function readable(f: OpenFile): number | null {
  if (f.kind === "reg") return Math.max(0, f.inode.size - f.pos);
  if (f.kind === "proc") return Math.max(0, f.content!.length - f.pos);
  if (f.pipe) return f.pipe.available;
  if (f.kind === "stdin") return 0;
  return null;
}

const IOCTL_OPS: Record<number, IoctlOp> = {
  [Ioctl.FIOCLEX]: (_k, t, fd) => (t.proc.fds.setCloexec(fd, true), 0),
  [Ioctl.FIONCLEX]: (_k, t, fd) => (t.proc.fds.setCloexec(fd, false), 0),
  [Ioctl.FIONBIO]: (k, _t, _fd, f, arg) => setFlag(k, f, arg, O.NONBLOCK),
  [Ioctl.FIOASYNC]: (k, _t, _fd, f, arg) => setFlag(k, f, arg, O.ASYNC),
  [Ioctl.FIONREAD]: (k, _t, _fd, f, arg) => {
    const n = readable(f);
    return n === null ? -Errno.ENOTTY : putU32(k, arg, n);
  },
};

/** Implements Linux syscall ioctl(2). No fd is a terminal: TCGETS, TIOCGWINSZ, … fail with ENOTTY. */
export function sysIoctl(k: Kernel, t: Task, fd: number, req: number, arg: number): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  const op = IOCTL_OPS[req >>> 0];
  return op ? op(k, t, fd, f, arg) : -Errno.ENOTTY;
}

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

/** Implements Linux syscall flock(2): a single process owns every lock, so it always succeeds. */
export function sysFlock(_k: Kernel, t: Task, fd: number, op: number): number {
  const f = fileOf(t, fd);
  if (!f || f.kind === "path") return -Errno.EBADF;
  const kind = op & ~LOCK_NB;
  return kind === LOCK_SH || kind === LOCK_EX || kind === LOCK_UN ? 0 : -Errno.EINVAL;
}
