/** @module Trace format v1: the in-memory types, the version constants and base64 helpers. */

export const TRACE_FORMAT = "dejavu-trace";
export const TRACE_VERSION = 1;
/** The CPU model a trace was recorded on; replay refuses other values. */
export const TRACE_CPU = "i686";

/** The recorded program: identity of the binary plus what the guest saw at exec. */
export interface TraceProgram {
  name: string;
  /** hex sha256 of the binary */
  sha256: string;
  size: number;
  argv: string[];
  env: string[];
  /** the binary's path relative to the trace file's directory, when known */
  path?: string;
}

export interface TraceMount {
  host: string;
  guest: string;
  mode: "ro" | "rw";
}

export interface TraceConfig {
  seed: number;
  epoch: number;
  cpu: string;
  cwd: string;
  mounts: TraceMount[];
}

export interface TraceHeader {
  program: TraceProgram;
  config: TraceConfig;
}

/** Bytes the guest wrote to the host's stdout (1) or stderr (2). */
export interface TraceOutput {
  fd: 1 | 2;
  bytes: Uint8Array;
}

export interface SyscallRecord {
  kind: "syscall";
  i: number;
  tid: number;
  ic: number;
  sys: string;
  nr: number;
  args: number[];
  ret: number;
  /** guest strings of `path`/`str` arguments, by argument index (for dump) */
  str?: Record<number, string>;
  /** bytes the kernel copied into guest memory, in order */
  mem: [number, Uint8Array][];
  out?: TraceOutput;
  enosys?: boolean;
}

export interface SignalRecord {
  kind: "signal";
  i: number;
  tid: number;
  ic: number;
  signal: number;
}

export interface SwitchRecord {
  kind: "switch";
  i: number;
  /** the thread switched to */
  tid: number;
  ic: number;
}

export type TraceEvent = SyscallRecord | SignalRecord | SwitchRecord;

/** How the guest ended, as in kernel/task.ts ExitStatus. */
export type TraceStatus = { kind: "exited"; code: number } | { kind: "signaled"; signal: number };

export interface TraceExit {
  status: TraceStatus;
  ic: number;
  /** kernel state hash at exit */
  state: string;
}

/** A host file the guest read, embedded by `record --pack`. */
export interface PackedFile {
  /** the host path it was read from (informational: replay never reads it) */
  host: string;
  /** where the guest saw it (through its mount) */
  guest: string;
  /** uncompressed size */
  size: number;
  /** hex sha256 of the uncompressed bytes */
  sha256: string;
  /** gzip-compressed content */
  gzip: Uint8Array;
}

/** What `record --pack` embeds so the trace replays without the binary or the mounted files. */
export interface TracePack {
  /** the program binary, gzip-compressed */
  program: Uint8Array;
  files: PackedFile[];
}

export interface Trace extends TraceHeader {
  events: TraceEvent[];
  /** present in packed traces only */
  pack?: TracePack;
  exit: TraceExit;
}

/** The shell-style exit code of a status: the code, or 128+N when signal N killed the guest. */
export function exitCodeOf(status: TraceStatus): number {
  return status.kind === "exited" ? status.code : 128 + status.signal;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  let i = 0;
  const parts: string[] = [];
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + B64[v & 63];
    if (out.length >= 8192) {
      parts.push(out);
      out = "";
    }
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    out += B64[v >> 18] + B64[(v >> 12) & 63] + "==";
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[v >> 18] + B64[(v >> 12) & 63] + B64[(v >> 6) & 63] + "=";
  }
  parts.push(out);
  return parts.join("");
}

/** Strict base64 decoding (padding required); null when the text is not canonical base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let pad = 0;
  if (text.endsWith("==")) pad = 2;
  else if (text.endsWith("=")) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const c0 = idx(text, i), c1 = idx(text, i + 1);
    const c2 = last && pad === 2 ? 0 : idx(text, i + 2);
    const c3 = last && pad >= 1 ? 0 : idx(text, i + 3);
    if ((c0 | c1 | c2 | c3) < 0) return null;
    const v = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function idx(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? B64_INDEX[c] : -1;
}
