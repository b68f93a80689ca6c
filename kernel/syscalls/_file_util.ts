/** @module Shared helpers for the file syscalls: path arguments, dirfd starts, 64-bit splits, encoders. */
import { Errno } from "../abi/errno.ts";
import { AT } from "../abi/fcntl.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import type { OpenFile } from "../vfs/file.ts";
import type { Loc } from "../vfs/path.ts";

const PATH_MAX = 4096;
const ENC = new TextEncoder();

export function utf8(s: string): Uint8Array {
  return ENC.encode(s);
}

/** Reads a path argument: -EFAULT for a bad pointer, -ENAMETOOLONG past PATH_MAX. */
export function readPath(k: Kernel, addr: number): string | number {
  if (addr === 0) return -Errno.EFAULT;
  const s = k.readCString(addr, PATH_MAX);
  if (s !== null) return s;
  return k.copyIn(addr, PATH_MAX) ? -Errno.ENAMETOOLONG : -Errno.EFAULT;
}

/** True when a raw dirfd register holds AT_FDCWD. */
export function isAtFdcwd(dirfd: number): boolean {
  return (dirfd | 0) === AT.FDCWD;
}

/** The open file for fd, or null (→ -EBADF). */
export function fileOf(t: Task, fd: number): OpenFile | null {
  return t.proc.fds.get(fd | 0);
}

/**
 * Where a relative path starts for an *at syscall: the cwd for AT_FDCWD, else the directory
 * open on dirfd. Absolute paths ignore dirfd entirely (even an invalid one).
 */
export function startLoc(k: Kernel, t: Task, dirfd: number, path: string): Loc | number {
  if (path.startsWith("/")) return k.vfs.rootLoc();
  if (isAtFdcwd(dirfd)) return k.vfs.cwdLoc(t.proc);
  const f = fileOf(t, dirfd);
  if (!f) return -Errno.EBADF;
  if (!f.inode.isDir || !f.loc) return -Errno.ENOTDIR;
  return f.loc;
}

/** A signed 64-bit value passed as (low, high) registers, as a JS number. */
export function join64(lo: number, hi: number): number {
  return (hi | 0) * 0x100000000 + (lo >>> 0);
}

/** 8 bytes little-endian of a non-negative integer below 2^53 (or a bigint). */
export function u64le(v: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return out;
}

/** Writes a 32-bit int to guest memory through copyOut; -EFAULT or 0. */
export function putU32(k: Kernel, addr: number, v: number): number {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return k.copyOut(addr, b) ? 0 : -Errno.EFAULT;
}

/** Reads a 32-bit little-endian value from guest memory, or null. */
export function getU32(k: Kernel, addr: number): number | null {
  const b = k.copyIn(addr, 4);
  return b ? new DataView(b.buffer, b.byteOffset).getUint32(0, true) : null;
}
