/** @module record --pack: notes the host files the guest read and embeds them, gzip-compressed. */
import { gunzipSync, gzipSync } from "node:zlib";
import { UserError } from "../kernel/errors.ts";
import type { HostFs, HostStat } from "../kernel/host.ts";
import type { Mount } from "../kernel/kernel.ts";
import { sha256Hex } from "../kernel/state_hash.ts";
import type { PackedFile, Trace, TracePack } from "../traces/format.ts";

/** A HostFs that remembers the first content of every file the guest read through it. */
export class ReadLoggingHostFs implements HostFs {
  readonly #inner: HostFs;
  /** host path → bytes as first read, in first-read order */
  readonly read = new Map<string, Uint8Array>();

  constructor(inner: HostFs) {
    this.#inner = inner;
  }

  readFile(path: string): Uint8Array | null {
    const bytes = this.#inner.readFile(path);
    if (bytes !== null && !this.read.has(path)) this.read.set(path, bytes.slice());
    return bytes;
  }
  lstat(path: string): HostStat | null {
    return this.#inner.lstat(path);
  }
  readDir(path: string): string[] | null {
    return this.#inner.readDir(path);
  }
  readLink(path: string): string | null {
    return this.#inner.readLink(path);
  }
  writeFile(path: string, data: Uint8Array): boolean {
    return this.#inner.writeFile(path, data);
  }
  mkdir(path: string, mode: number): boolean {
    return this.#inner.mkdir(path, mode);
  }
  remove(path: string): boolean {
    return this.#inner.remove(path);
  }
  rename(from: string, to: string): boolean {
    return this.#inner.rename(from, to);
  }
}

/** gzip with fixed settings: the same bytes always give the same output. */
export function gzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(bytes, { level: 9 }));
}

export function gunzip(bytes: Uint8Array, what: string): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch {
    throw new UserError(`${what}: packed data is not valid gzip`);
  }
}

/** The pack section for a finished run: the program and the files read, by guest path. */
export function buildPack(
  image: Uint8Array,
  read: Map<string, Uint8Array>,
  mounts: readonly Mount[],
): TracePack {
  const files: PackedFile[] = [];
  for (const [host, bytes] of read) {
    files.push({
      host,
      guest: guestPathOf(host, mounts) ?? host,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      gzip: gzip(bytes),
    });
  }
  return { program: gzip(image), files };
}

/** The guest path of host file `host` through the longest matching mount. */
export function guestPathOf(host: string, mounts: readonly Mount[]): string | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const root = m.host.replace(/\/+$/, "");
    if (
      (host === root || host.startsWith(root + "/")) && root.length >= (best?.host.length ?? -1)
    ) {
      best = { ...m, host: root };
    }
  }
  if (best === undefined) return undefined;
  const rest = host.slice(best.host.length);
  return best.guest === "/" ? (rest || "/") : best.guest.replace(/\/+$/, "") + rest;
}

/** The program binary of a packed trace. */
export function packedProgram(trace: Trace, file: string): Uint8Array | undefined {
  if (trace.pack === undefined) return undefined;
  return gunzip(trace.pack.program, `${file}: pack: program`);
}
