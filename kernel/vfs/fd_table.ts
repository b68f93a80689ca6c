/** @module Per-process file descriptor tables: fd → open file description plus the close-on-exec flag. */
import { Errno } from "../abi/errno.ts";
import { O } from "../abi/fcntl.ts";
import { S } from "../abi/stat.ts";
import { encodeDev } from "../abi/stat.ts";
import { Inode, type SuperBlock } from "./inode.ts";
import { OpenFile } from "./file.ts";

/** RLIMIT_NOFILE soft limit we report and enforce. */
export const FD_LIMIT = 1024;

interface Slot {
  file: OpenFile;
  cloexec: boolean;
}

/**
 * A descriptor table. `new FdTable()` is empty; `FdTable.withStdio()` has fds 0/1/2 on the host's
 * stdin/stdout/stderr (pipe-like, not ttys). `fork()` shares the open file descriptions.
 */
export class FdTable {
  #slots: (Slot | undefined)[] = [];

  /** A table with fds 0, 1, 2 open on host stdin (O_RDONLY), stdout and stderr (O_WRONLY). */
  static withStdio(): FdTable {
    const t = new FdTable();
    const sb: SuperBlock = {
      dev: encodeDev(0, 12),
      type: "pipefs",
      readOnly: 0,
      nextIno: 1,
      now: () => 0n,
    };
    const kinds = ["stdin", "stdout", "stderr"] as const;
    kinds.forEach((kind, fd) => {
      const inode = new Inode(sb, S.IFIFO | 0o600, 0n);
      const flags = fd === 0 ? O.RDONLY : O.WRONLY;
      t.#slots[fd] = {
        file: new OpenFile({ kind, inode, flags, path: `pipe:[${inode.ino}]` }),
        cloexec: false,
      };
    });
    return t;
  }

  get(fd: number): OpenFile | null {
    if (!Number.isInteger(fd) || fd < 0) return null;
    return this.#slots[fd]?.file ?? null;
  }

  getCloexec(fd: number): boolean {
    return this.#slots[fd]?.cloexec ?? false;
  }

  setCloexec(fd: number, on: boolean): void {
    const s = this.#slots[fd];
    if (s) s.cloexec = on;
  }

  /** Installs `file` (taking over one reference) at the lowest free fd ≥ min; -EMFILE when full. */
  alloc(file: OpenFile, min = 0, cloexec = false): number {
    for (let fd = min; fd < FD_LIMIT; fd++) {
      if (!this.#slots[fd]) {
        this.#slots[fd] = { file, cloexec };
        return fd;
      }
    }
    file.release();
    return -Errno.EMFILE;
  }

  /** Installs `file` (taking over one reference) at exactly fd, closing what was there (dup2). */
  installAt(fd: number, file: OpenFile, cloexec = false): number {
    if (fd < 0 || fd >= FD_LIMIT) {
      file.release();
      return -Errno.EBADF;
    }
    const old = this.#slots[fd];
    this.#slots[fd] = { file, cloexec };
    old?.file.release();
    return fd;
  }

  close(fd: number): number {
    const s = fd >= 0 ? this.#slots[fd] : undefined;
    if (!s) return -Errno.EBADF;
    this.#slots[fd] = undefined;
    s.file.release();
    return 0;
  }

  /** A copy for fork(): same open file descriptions, one more reference each. */
  fork(): FdTable {
    const t = new FdTable();
    this.#slots.forEach((s, fd) => {
      if (!s) return;
      s.file.refs++;
      t.#slots[fd] = { file: s.file, cloexec: s.cloexec };
    });
    return t;
  }

  /** execve: closes every close-on-exec descriptor. */
  closeOnExec(): void {
    this.#slots.forEach((s, fd) => {
      if (s?.cloexec) this.close(fd);
    });
  }

  closeAll(): void {
    this.#slots.forEach((s, fd) => {
      if (s) this.close(fd);
    });
  }

  /** Open descriptors in ascending order. */
  entries(): [number, OpenFile][] {
    const out: [number, OpenFile][] = [];
    this.#slots.forEach((s, fd) => {
      if (s) out.push([fd, s.file]);
    });
    return out;
  }
}
