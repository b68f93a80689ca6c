/** @module The Deno Host: real stdout/stderr/stdin and host files for mounts. */
import type { Host, HostFs } from "../kernel/host.ts";
import { DenoHostFs } from "./deno_host_fs.ts";

/** Writes every byte synchronously (guest output interleaves exactly with ours). */
export function writeAllSync(w: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += w.writeSync(bytes.subarray(done));
}

export interface DenoHostOptions {
  /** stdin contents (from --stdin FILE); host stdin when absent */
  stdin?: Uint8Array;
  /** no stdin at all (replay takes input from the trace) */
  noStdin?: boolean;
  fs?: HostFs;
}

export class DenoHost implements Host {
  readonly fs: HostFs;
  readonly #stdin: Uint8Array | undefined;
  readonly #noStdin: boolean;
  #stdinPos = 0;
  #stdinEof = false;

  constructor(opts: DenoHostOptions = {}) {
    this.fs = opts.fs ?? new DenoHostFs();
    this.#stdin = opts.stdin;
    this.#noStdin = opts.noStdin ?? false;
  }

  writeStdout(bytes: Uint8Array): void {
    writeAllSync(Deno.stdout, bytes);
  }

  writeStderr(bytes: Uint8Array): void {
    writeAllSync(Deno.stderr, bytes);
  }

  readStdin(buf: Uint8Array): number {
    if (this.#noStdin || buf.length === 0) return 0;
    if (this.#stdin !== undefined) {
      const n = Math.min(buf.length, this.#stdin.length - this.#stdinPos);
      buf.set(this.#stdin.subarray(this.#stdinPos, this.#stdinPos + n));
      this.#stdinPos += n;
      return n;
    }
    if (this.#stdinEof) return 0;
    try {
      const n = Deno.stdin.readSync(buf);
      if (n === null) {
        this.#stdinEof = true;
        return 0;
      }
      return n;
    } catch {
      this.#stdinEof = true;
      return 0;
    }
  }
}
