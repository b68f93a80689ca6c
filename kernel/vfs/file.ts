/** @module Open file descriptions: position, status flags and the read/write behaviour per file kind. */
import { Errno } from "../abi/errno.ts";
import { O } from "../abi/fcntl.ts";
import { DEFAULT_POLLMASK, POLL } from "../abi/poll.ts";
import type { Inode } from "./inode.ts";
import type { Loc } from "./path.ts";
import type { Pipe } from "./pipe.ts";

/** What stdio files need from the kernel (a Kernel fits): output to the host and stdin. */
export interface StdioPort {
  output(fd: 1 | 2, bytes: Uint8Array): void;
  host: { readStdin(buf: Uint8Array): number };
}

export type FileKind =
  | "reg"
  | "dir"
  | "chr"
  | "proc"
  | "pipe"
  | "stdin"
  | "stdout"
  | "stderr"
  | "path";

/** Largest single read/write we serve, like Linux MAX_RW_COUNT (INT_MAX & PAGE_MASK). */
export const MAX_RW = 0x7ffff000;
/** Chunk size for stdin and device reads. */
const STREAM_CHUNK = 1 << 16;

export interface OpenFileInit {
  kind: FileKind;
  inode: Inode;
  flags: number;
  /** canonical guest path, for /proc/self/fd */
  path: string;
  loc?: Loc | null;
  pipe?: Pipe | null;
  /** procfs content snapshot */
  content?: Uint8Array;
}

/** One open file description, shared by dup'ed and inherited descriptors. */
export class OpenFile {
  readonly kind: FileKind;
  readonly inode: Inode;
  /** access mode and status flags (F_GETFL) */
  flags: number;
  pos = 0;
  refs = 1;
  readonly path: string;
  readonly loc: Loc | null;
  readonly pipe: Pipe | null;
  readonly content: Uint8Array | null;

  constructor(init: OpenFileInit) {
    this.kind = init.kind;
    this.inode = init.inode;
    this.flags = init.flags;
    this.path = init.path;
    this.loc = init.loc ?? null;
    this.pipe = init.pipe ?? null;
    this.content = init.content ?? null;
  }

  get readable(): boolean {
    const acc = this.flags & O.ACCMODE;
    return this.kind !== "path" && (acc === O.RDONLY || acc === O.RDWR);
  }

  get writable(): boolean {
    const acc = this.flags & O.ACCMODE;
    return this.kind !== "path" && (acc === O.WRONLY || acc === O.RDWR);
  }

  get nonblock(): boolean {
    return (this.flags & O.NONBLOCK) !== 0;
  }

  /** Seekable files have a position (regular files, directories, procfs snapshots, devices). */
  get seekable(): boolean {
    return this.kind === "reg" || this.kind === "dir" || this.kind === "proc" ||
      this.kind === "chr";
  }

  /**
   * Reads up to max bytes at `at` (pread) or at the file position (advancing it).
   * Returns the bytes (possibly empty at EOF) or -errno.
   */
  read(port: StdioPort, max: number, at: number | null = null): Uint8Array | number {
    if (!this.readable) return -Errno.EBADF;
    max = Math.min(max, MAX_RW);
    const reader = READERS[this.kind];
    return reader(this, port, max, at);
  }

  /** Writes data at `at` (pwrite) or at the position (O_APPEND: at the end). Returns count or -errno. */
  write(port: StdioPort, data: Uint8Array, at: number | null = null): number {
    if (!this.writable) return -Errno.EBADF;
    return WRITERS[this.kind](this, port, data, at);
  }

  /**
   * Readiness as Linux f_op->poll reports it (POLL* bits, before masking by the events asked).
   * Files that never block report DEFAULT_POLLMASK; host stdin counts as readable (a read ends
   * at EOF at worst), stdout and stderr as writable pipe ends.
   */
  poll(): number {
    return POLLERS[this.kind](this);
  }

  /** Drops one reference; the last one closes pipe ends and flushes host files. */
  release(): void {
    if (--this.refs > 0) return;
    if (this.pipe) {
      if (this.readable) this.pipe.readers--;
      if (this.writable) this.pipe.writers--;
    }
    flushHost(this.inode);
  }
}

/** Writes a dirty host-backed file back to the host; false when the host refused. */
export function flushHost(inode: Inode): boolean {
  if (!inode.dirty || inode.hostPath === null || !inode.sb.hostFs) return true;
  inode.dirty = false;
  return inode.sb.hostFs.writeFile(inode.hostPath, inode.data.slice(0, inode.size));
}

/** Pipe buffers are pages: a pipe is full when every slot holds one (Linux pipe_full). */
const PIPE_SLOT = 4096;

function pollPipe(f: OpenFile): number {
  const p = f.pipe!;
  let mask = 0;
  if (f.readable) {
    if (p.available > 0) mask |= POLL.IN | POLL.RDNORM;
    if (p.writers === 0) mask |= POLL.HUP;
  }
  if (f.writable) {
    if (Math.ceil(p.available / PIPE_SLOT) < p.capacity / PIPE_SLOT) mask |= POLL.OUT | POLL.WRNORM;
    if (p.readers === 0) mask |= POLL.ERR;
  }
  return mask;
}

const POLLERS: Record<FileKind, (f: OpenFile) => number> = {
  reg: () => DEFAULT_POLLMASK,
  dir: () => DEFAULT_POLLMASK,
  chr: () => DEFAULT_POLLMASK,
  proc: () => DEFAULT_POLLMASK,
  pipe: pollPipe,
  stdin: () => POLL.IN | POLL.RDNORM,
  stdout: () => POLL.OUT | POLL.WRNORM,
  stderr: () => POLL.OUT | POLL.WRNORM,
  // Linux fdget() skips O_PATH files: poll sees no file at all
  path: () => POLL.NVAL,
};

type Reader = (f: OpenFile, port: StdioPort, max: number, at: number | null) => Uint8Array | number;
type Writer = (f: OpenFile, port: StdioPort, data: Uint8Array, at: number | null) => number;

function readSnapshot(
  f: OpenFile,
  bytes: Uint8Array,
  size: number,
  max: number,
  at: number | null,
) {
  const pos = at ?? f.pos;
  const out = pos >= size ? new Uint8Array(0) : bytes.subarray(pos, Math.min(size, pos + max));
  if (at === null) f.pos = pos + out.length;
  return out;
}

const READERS: Record<FileKind, Reader> = {
  reg: (f, _p, max, at) => {
    const pos = at ?? f.pos;
    const out = f.inode.readAt(pos, max);
    if (at === null) f.pos = pos + out.length;
    return out;
  },
  proc: (f, _p, max, at) => readSnapshot(f, f.content!, f.content!.length, max, at),
  dir: () => -Errno.EISDIR,
  chr: (f, _p, max) => {
    const out = new Uint8Array(Math.min(max, STREAM_CHUNK * 16));
    const n = f.inode.chr ? f.inode.chr.read(out) : -Errno.ENXIO;
    return n < 0 ? n : out.subarray(0, n);
  },
  pipe: (f, _p, max, at) => at !== null ? -Errno.ESPIPE : f.pipe!.read(max, f.nonblock),
  stdin: (_f, port, max, at) => {
    if (at !== null) return -Errno.ESPIPE;
    const buf = new Uint8Array(Math.min(max, STREAM_CHUNK));
    if (buf.length === 0) return buf;
    const n = port.host.readStdin(buf);
    return buf.subarray(0, Math.max(0, n));
  },
  stdout: () => -Errno.EBADF,
  stderr: () => -Errno.EBADF,
  path: () => -Errno.EBADF,
};

function writeReg(f: OpenFile, _p: StdioPort, data: Uint8Array, at: number | null): number {
  const ino = f.inode;
  // like Linux, O_APPEND wins even over a pwrite offset
  const pos = (f.flags & O.APPEND) ? ino.size : at ?? f.pos;
  if (pos + data.length > Number.MAX_SAFE_INTEGER / 2) return -Errno.EFBIG;
  if (data.length === 0) return 0;
  ino.writeAt(pos, data);
  if (at === null) f.pos = pos + data.length;
  const now = ino.sb.now();
  ino.mtime = now;
  ino.ctime = now;
  if (ino.hostPath !== null) ino.dirty = true;
  return data.length;
}

const WRITERS: Record<FileKind, Writer> = {
  reg: writeReg,
  proc: () => -Errno.EACCES,
  dir: () => -Errno.EISDIR,
  chr: (f, _p, data) => f.inode.chr ? f.inode.chr.write(data) : -Errno.ENXIO,
  pipe: (f, _p, data, at) => at !== null ? -Errno.ESPIPE : f.pipe!.write(data, f.nonblock),
  stdin: () => -Errno.EBADF,
  stdout: (_f, port, data, at) => {
    if (at !== null) return -Errno.ESPIPE;
    if (data.length) port.output(1, data);
    return data.length;
  },
  stderr: (_f, port, data, at) => {
    if (at !== null) return -Errno.ESPIPE;
    if (data.length) port.output(2, data);
    return data.length;
  },
  path: () => -Errno.EBADF,
};
