/** @module Inodes and superblocks: the in-memory objects every filesystem (tmpfs, host, proc, pipes) uses. */
import { S } from "../abi/stat.ts";
import type { HostFs } from "../host.ts";
import type { FdTable } from "./fd_table.ts";
import type { Loc } from "./path.ts";

/** Storage granule of file content, as the page cache's. */
const PAGE = 4096;

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
  /**
   * Regular files: the content is `size` bytes stored sparsely in 4 KiB pages; a page never
   * written is a hole that reads as zeros and costs nothing (a 1 GiB ftruncate allocates nothing).
   */
  readonly #pages: Map<number, Uint8Array> = new Map();
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

  /** The whole content as one new dense buffer (holes as zeros). */
  get data(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (const [i, page] of this.#pages) {
      const off = i * PAGE;
      if (off < this.size) out.set(page.subarray(0, Math.min(PAGE, this.size - off)), off);
    }
    return out;
  }

  /** Replaces the content with `bytes` (the caller sets size); pages view `bytes` when whole. */
  set data(bytes: Uint8Array) {
    this.#pages.clear();
    for (let off = 0; off < bytes.length; off += PAGE) {
      let page = bytes.subarray(off, off + PAGE);
      if (page.length < PAGE) {
        const full = new Uint8Array(PAGE);
        full.set(page);
        page = full;
      }
      this.#pages.set(off / PAGE, page);
    }
  }

  /** Pages that hold data (tmpfs st_blocks counts these: 8 blocks of 512 bytes each). */
  get allocatedPages(): number {
    return this.#pages.size;
  }

  /** Sets the size: growing adds a hole, shrinking frees whole pages and zeroes the cut one. */
  truncate(len: number): void {
    if (len < this.size) {
      const keep = Math.ceil(len / PAGE);
      for (const i of [...this.#pages.keys()]) if (i >= keep) this.#pages.delete(i);
      if (len % PAGE !== 0) this.#pages.get(keep - 1)?.fill(0, len % PAGE);
    }
    this.size = len;
  }

  /** Writes at pos, growing the file; returns bytes written. */
  writeAt(pos: number, bytes: Uint8Array): number {
    const end = pos + bytes.length;
    for (let at = pos; at < end;) {
      const i = Math.floor(at / PAGE), off = at % PAGE;
      let page = this.#pages.get(i);
      if (page === undefined) {
        page = new Uint8Array(PAGE);
        this.#pages.set(i, page);
      }
      const n = Math.min(PAGE - off, end - at);
      page.set(bytes.subarray(at - pos, at - pos + n), off);
      at += n;
    }
    if (end > this.size) this.size = end;
    return bytes.length;
  }

  /** A copy of up to max bytes at pos (empty at or past EOF). */
  readAt(pos: number, max: number): Uint8Array {
    if (pos >= this.size) return new Uint8Array(0);
    const end = Math.min(this.size, pos + max);
    const out = new Uint8Array(end - pos);
    for (let at = pos; at < end;) {
      const i = Math.floor(at / PAGE), off = at % PAGE;
      const n = Math.min(PAGE - off, end - at);
      const page = this.#pages.get(i);
      if (page !== undefined) out.set(page.subarray(off, off + n), at - pos);
      at += n;
    }
    return out;
  }

  touch(now: bigint, what: "m" | "c" | "a"): void {
    if (what === "m") this.mtime = now;
    if (what === "a") this.atime = now;
    else this.ctime = now;
  }
}
