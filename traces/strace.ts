/** @module strace-style text for trace events, driven by the syscall table's argument kinds. */
import { ERRNO_NAMES } from "../kernel/abi/errno.ts";
import type { ArgKind } from "../kernel/syscall_row.ts";
import {
  CLOCK_NAMES,
  FCNTL_NAMES,
  flagsText,
  IOCTL_NAMES,
  MMAP_FLAGS,
  OPEN_FLAGS,
  PROT_FLAGS,
  signalName,
  SOCKETCALL_NAMES,
  WHENCE_NAMES,
} from "./_strace_names.ts";
import type { SyscallRecord, Trace, TraceEvent, TraceStatus } from "./format.ts";

/** Argument kinds of syscall `nr`, or undefined when the table does not know it. */
export type ArgKindsOf = (nr: number) => readonly ArgKind[] | undefined;

export interface StraceOptions {
  /** prefix each line with the instruction count */
  ic?: boolean;
  /** longest string shown before "..." */
  strLen?: number;
}

/** Syscalls whose result is an address, printed in hex. */
const ADDRESS_RESULT = new Set(["mmap", "mmap2", "brk", "mremap", "shmat"]);

/** The whole trace as strace-like lines, ending with the exit line. */
export function straceLines(trace: Trace, kinds: ArgKindsOf, opts: StraceOptions = {}): string[] {
  const lines = trace.events.map((ev) => straceEvent(ev, kinds, opts));
  const prefix = opts.ic ? `${String(trace.exit.ic).padStart(10)} ` : "";
  lines.push(prefix + exitLine(trace.exit.status));
  return lines;
}

export function exitLine(status: TraceStatus): string {
  return status.kind === "exited"
    ? `+++ exited with ${status.code} +++`
    : `+++ killed by ${signalName(status.signal)} +++`;
}

export function straceEvent(ev: TraceEvent, kinds: ArgKindsOf, opts: StraceOptions = {}): string {
  const prefix = (opts.ic ? `${String(ev.ic).padStart(10)} ` : "") + `[${ev.tid}] `;
  switch (ev.kind) {
    case "signal":
      return prefix + `--- ${signalName(ev.signal)} ---`;
    case "switch":
      return prefix + `--- scheduled ---`;
    case "syscall":
      return prefix + syscallText(ev, kinds, opts.strLen ?? 32);
  }
}

function syscallText(ev: SyscallRecord, kinds: ArgKindsOf, strLen: number): string {
  const ks = kinds(ev.nr);
  const n = ks ? Math.min(ks.length, ev.args.length) : ev.args.length;
  const args: string[] = [];
  for (let k = 0; k < n; k++) args.push(argText(ev, k, ks ? ks[k] : "hex", strLen));
  return `${ev.sys}(${args.join(", ")}) = ${retText(ev)}`;
}

/** Kernel-internal restart codes (include/linux/errno.h), shown as strace shows them. */
const RESTART_NAMES: ReadonlyMap<number, string> = new Map([
  [512, "ERESTARTSYS"],
  [513, "ERESTARTNOINTR"],
  [514, "ERESTARTNOHAND"],
  [516, "ERESTART_RESTARTBLOCK"],
]);

function retText(ev: SyscallRecord): string {
  const r = ev.ret;
  if (r < 0 && r >= -4095) {
    const name = ERRNO_NAMES.get(-r) ?? RESTART_NAMES.get(-r) ?? String(-r);
    return ev.enosys ? `-1 ${name} (not implemented)` : `-1 ${name}`;
  }
  if (ADDRESS_RESULT.has(ev.sys)) return hex(r);
  return String(r);
}

function hex(v: number): string {
  return "0x" + (v >>> 0).toString(16);
}

function ptr(v: number): string {
  return v === 0 ? "NULL" : hex(v);
}

type ArgPrinter = (v: number, ev: SyscallRecord, k: number, strLen: number) => string;

const ARG_PRINTERS: Record<ArgKind, ArgPrinter> = {
  int: (v) => String(v | 0),
  uint: (v) => String(v >>> 0),
  size: (v) => String(v >>> 0),
  hex: (v) => hex(v),
  ptr: (v) => ptr(v),
  fd: (v) => String(v | 0),
  dirfd: (v) => ((v | 0) === -100 ? "AT_FDCWD" : String(v | 0)),
  path: strArg,
  str: strArg,
  buf_in: (v, ev, _k, strLen) => ev.out !== undefined ? quote(ev.out.bytes, strLen) : ptr(v),
  buf_out: (v, ev, _k, strLen) => {
    const hit = ev.mem.find(([a]) => a === v);
    if (hit === undefined || ev.ret < 0) return ptr(v);
    const n = Math.min(hit[1].length, ev.ret > 0 ? ev.ret : hit[1].length);
    return quote(hit[1].subarray(0, n), strLen);
  },
  open_flags: (v) => {
    const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][v & 3];
    const rest = flagsText(v & ~3, OPEN_FLAGS, "");
    return rest === "" ? acc : `${acc}|${rest}`;
  },
  mode: (v) => "0" + (v >>> 0).toString(8).padStart(3, "0"),
  prot: (v) => flagsText(v, PROT_FLAGS, "PROT_NONE"),
  mmap_flags: (v) => flagsText(v, MMAP_FLAGS),
  signal: (v) => signalName(v | 0),
  clock: (v) => CLOCK_NAMES.get(v) ?? String(v | 0),
  whence: (v) => WHENCE_NAMES.get(v) ?? String(v | 0),
  fcntl_cmd: (v) => FCNTL_NAMES.get(v) ?? String(v | 0),
  ioctl_cmd: (v) => IOCTL_NAMES.get(v) ?? hex(v),
  socketcall_op: (v) => (v > 0 && v < SOCKETCALL_NAMES.length ? SOCKETCALL_NAMES[v] : String(v)),
};

function argText(ev: SyscallRecord, k: number, kind: ArgKind, strLen: number): string {
  const printer = ARG_PRINTERS[kind] ?? ARG_PRINTERS.hex;
  return printer(ev.args[k], ev, k, strLen);
}

/** Paths and strings are shown whole (like strace); only buffers are cut at strLen. */
function strArg(v: number, ev: SyscallRecord, k: number, _strLen: number): string {
  const s = ev.str?.[k];
  return s === undefined ? ptr(v) : quote(new TextEncoder().encode(s), Infinity);
}

const ESCAPES: Record<number, string> = {
  0x09: "\\t",
  0x0a: "\\n",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

/** C-style quoted bytes, cut after `max` bytes with "...". */
export function quote(bytes: Uint8Array, max: number): string {
  let s = '"';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    const esc = ESCAPES[b];
    if (esc !== undefined) s += esc;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += "\\x" + b.toString(16).padStart(2, "0");
  }
  return s + '"' + (bytes.length > max ? "..." : "");
}
