/** @module Inodes and superblocks: the in-memory objects every filesystem (tmpfs, host, proc, pipes) uses. */
import { S } from "../abi/stat.ts";
import type { HostFs } from "../host.ts";
import type { FdTable } from "./fd_table.ts";
import type { Loc } from "./path.ts";

/** What a path walk and the procfs need to know about the calling process (a kernel Process fits). */
export interface VfsCtx {
  pid: number;
  cwd: string;
  umask: number;
  exe?: string;
  fds: FdTable;
}

/** A mounted filesystem instance. */
export interface SuperBlock {
  /** encoded st_dev */
  dev: number;
  /** "tmpfs" | "devtmpfs" | "proc" | "host" | "pipefs" */
  type: string;
  /** errno returned for any modification (EROFS for ro mounts, EACCES for procfs), 0 when writable */
  readOnly: number;
  nextIno: number;
  /** the logical realtime clock (ns), for timestamps */
  now: () => bigint;
  /** host filesystem backing this one, for host mounts */
  hostFs?: HostFs;
}

/** A character device: read fills, write consumes; return counts or -errno. */
export interface CharDevice {
  read(out: Uint8Array): number;
  write(data: Uint8Array): number;
}

/** Dynamic procfs behaviour: directory listing/lookup or symlink target computed per process. */
export interface ProcOps {
  list?(ctx: VfsCtx): string[];
  lookup?(ctx: VfsCtx, name: string): Inode | null;
  target?(ctx: VfsCtx): string | null;
  /** magic links (/proc/self/fd/N) jump straight to the open file's location */
  jump?(ctx: VfsCtx): Loc | null;
  /** file content generated at open */
  content?(ctx: VfsCtx): Uint8Array;
}

/**
 * One inode. Which fields matter depends on the type in `mode & S.IFMT`: regular files use
 * data/size, directories entries, symlinks target, character devices chr. Host-backed inodes
 * load their content lazily (entries null / dataLoaded false until first use).
 */
export class Inode {
  readonly ino: number;
  readonly sb: SuperBlock;
  mode: number;
  nlink = 1;
  uid = 0;
  gid = 0;
  /** encoded st_rdev for devices */
  rdev = 0;
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
  /** regular files: bytes [0, size) of data are the content; data may be larger (capacity) */
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  dataLoaded = true;
  /** content differs from the host file (host-backed rw files) */
  dirty = false;
  /** directories: name → child; null until a host directory is loaded */
  entries: Map<string, Inode> | null = null;
  target = "";
  chr: CharDevice | null = null;
  proc: ProcOps | null = null;
  /** absolute host path for host-backed inodes */
  hostPath: string | null = null;
  /** true for the root inode of a mount (cannot be removed or renamed) */
  mountRoot = false;

  constructor(sb: SuperBlock, mode: number, now: bigint) {
    this.sb = sb;
    this.ino = sb.nextIno++;
    this.mode = mode;
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    if ((mode & S.IFMT) === S.IFDIR) {
      this.entries = new Map();
      this.nlink = 2;
    }
  }

  get type(): number {
    return this.mode & S.IFMT;
  }
  get isDir(): boolean {
    return (this.mode & S.IFMT) === S.IFDIR;
  }
  get isReg(): boolean {
    return (this.mode & S.IFMT) === S.IFREG;
  }
  get isLink(): boolean {
    return (this.mode & S.IFMT) === S.IFLNK;
  }

  /** Ensures capacity for `len` bytes of content, zero-filling growth. */
  reserve(len: number): void {
    if (len <= this.data.length) return;
    const cap = Math.max(len, Math.min(this.data.length * 2, len + (64 << 20)), 64);
    const next = new Uint8Array(cap);
    next.set(this.data.subarray(0, this.size));
    this.data = next;
  }

  /** Sets the size, zeroing any bytes that become visible. */
  truncate(len: number): void {
    if (len > this.size) {
      this.reserve(len);
      this.data.fill(0, this.size, len);
    }
    this.size = len;
  }

  /** Writes at pos, growing the file; returns bytes written. */
  writeAt(pos: number, bytes: Uint8Array): number {
    const end = pos + bytes.length;
    if (end > this.size) this.truncate(end);
    this.data.set(bytes, pos);
    return bytes.length;
  }

  /** A view of up to max bytes at pos (empty at or past EOF). */
  readAt(pos: number, max: number): Uint8Array {
    if (pos >= this.size) return new Uint8Array(0);
    return this.data.subarray(pos, Math.min(this.size, pos + max));
  }

  touch(now: bigint, what: "m" | "c" | "a"): void {
    if (what === "m") this.mtime = now;
    if (what === "a") this.atime = now;
    else this.ctime = now;
  }
}
