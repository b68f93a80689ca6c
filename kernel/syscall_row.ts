/** @module The shape of one syscall table row (gVisor style) and the constructors for rows. */
import type { Kernel } from "./kernel.ts";
import type { Task } from "./task.ts";

/**
 * How the strace-style printer shows an argument. `_in` buffers are guest → kernel,
 * `_out` buffers are filled by the kernel (shown from the event's mem).
 */
export type ArgKind =
  | "int"
  | "uint"
  | "hex"
  | "ptr"
  | "fd"
  | "dirfd"
  | "size"
  | "path"
  | "str"
  | "buf_in"
  | "buf_out"
  | "open_flags"
  | "mode"
  | "prot"
  | "mmap_flags"
  | "signal"
  | "clock"
  | "whence"
  | "fcntl_cmd"
  | "ioctl_cmd"
  | "socketcall_op";

/** Raw register arguments ebx ecx edx esi edi ebp, as unsigned 32-bit numbers. Returns a result or -errno. */
export type SyscallHandler = (
  k: Kernel,
  t: Task,
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
) => number;

export interface SyscallRow {
  name: string;
  handler: SyscallHandler;
  support: "full" | "partial" | "unsupported";
  note?: string;
  args: ArgKind[];
  /**
   * Replay re-executes this syscall instead of taking its result from the trace, because it
   * changes emulator state that no copyOut captures (address space, TLS, clock, exit).
   */
  reexec?: boolean;
}

export interface RowOptions {
  args: ArgKind[];
  reexec?: boolean;
}

export function row(name: string, handler: SyscallHandler, opts: RowOptions): SyscallRow {
  return { name, handler, support: "full", args: opts.args, reexec: opts.reexec };
}

export function partial(
  name: string,
  handler: SyscallHandler,
  note: string,
  opts: RowOptions,
): SyscallRow {
  return { name, handler, support: "partial", note, args: opts.args, reexec: opts.reexec };
}

/** A syscall we deliberately refuse with a fixed errno (e.g. ioperm → EPERM). */
export function unsupported(name: string, errno: number, args: ArgKind[] = []): SyscallRow {
  return { name, handler: () => -errno, support: "unsupported", args };
}
