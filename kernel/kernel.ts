/** @module The deterministic virtual kernel: owns clock, random, vfs, tasks and the syscall entry. */
import type { Memory } from "../core/memory.ts";
import type { Host } from "./host.ts";
import type { KernelMode } from "./hooks.ts";
import type { Task } from "./task.ts";
import type { Vfs } from "./vfs/vfs.ts";

/** A host directory mounted into the guest tree. */
export interface Mount {
  host: string;
  guest: string;
  mode: "ro" | "rw";
}

export interface KernelOptions {
  host: Host;
  mode: KernelMode;
  seed: number;
  /** Unix seconds the logical clock starts at */
  epoch: number;
  mounts: Mount[];
  cwd: string;
  argv: string[];
  env: string[];
  /** stop with an error after this many instructions (0 = no limit) */
  maxInstructions: number;
  verbose: boolean;
}

/**
 * Skeleton contract, filled in by the kernel work. Syscall handlers rely on:
 * mem, host, copyIn, copyOut, readCString, and (from their own modules) vfs, clock, random.
 */
export class Kernel {
  readonly mem: Memory;
  readonly host: Host;
  readonly opts: KernelOptions;
  /** global retired-instruction count */
  ic = 0;
  current!: Task;
  vfs!: Vfs;

  constructor(mem: Memory, opts: KernelOptions) {
    this.mem = mem;
    this.host = opts.host;
    this.opts = opts;
  }

  /**
   * Guest output to the host's stdout (fd 1) or stderr (fd 2); the recorder keeps a copy in the
   * event so replay and dump can reproduce it.
   */
  output(fd: 1 | 2, bytes: Uint8Array): void {
    if (fd === 1) this.host.writeStdout(bytes);
    else this.host.writeStderr(bytes);
  }

  /** Guest → kernel copy; null when any byte is unreadable (the caller returns -EFAULT). */
  copyIn(addr: number, len: number): Uint8Array | null {
    if (!this.mem.check(addr, len, 1)) return null;
    return this.mem.readBytes(addr, len);
  }

  /** Kernel → guest copy, observed by the recorder; false when unwritable (→ -EFAULT). */
  copyOut(addr: number, bytes: Uint8Array): boolean {
    if (!this.mem.check(addr, bytes.length, 2)) return false;
    this.mem.writeBytes(addr, bytes);
    return true;
  }

  /** Reads a NUL-terminated string; null on a bad pointer, or when longer than max (→ caller's errno). */
  readCString(addr: number, max = 4096): string | null {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      if (!this.mem.check(addr + i, 1, 1)) return null;
      const b = this.mem.readBytes(addr + i, 1)[0];
      if (b === 0) return new TextDecoder().decode(new Uint8Array(out));
      out.push(b);
    }
    return null;
  }
}
