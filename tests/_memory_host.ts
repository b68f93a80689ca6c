/** @module An in-memory Host for tests: captured stdout/stderr, stdin from bytes, host files from a MemoryHostFs. */
import type { Host, HostFs } from "../kernel/host.ts";
import { MemoryHostFs } from "../kernel/vfs/memory_host_fs.ts";

export class MemoryHost implements Host {
  readonly fs: HostFs;
  readonly #stdin: Uint8Array;
  #stdinPos = 0;
  readonly #out: Uint8Array[] = [];
  readonly #err: Uint8Array[] = [];

  constructor(opts: { stdin?: Uint8Array; fs?: HostFs } = {}) {
    this.#stdin = opts.stdin ?? new Uint8Array(0);
    this.fs = opts.fs ?? new MemoryHostFs();
  }

  writeStdout(bytes: Uint8Array): void {
    this.#out.push(bytes.slice());
  }

  writeStderr(bytes: Uint8Array): void {
    this.#err.push(bytes.slice());
  }

  readStdin(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.#stdin.length - this.#stdinPos);
    buf.set(this.#stdin.subarray(this.#stdinPos, this.#stdinPos + n));
    this.#stdinPos += n;
    return n;
  }

  stdoutBytes(): Uint8Array {
    return concat(this.#out);
  }

  stdout(): string {
    return new TextDecoder().decode(this.stdoutBytes());
  }

  stderr(): string {
    return new TextDecoder().decode(concat(this.#err));
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
