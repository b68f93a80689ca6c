/** @module A TextSink that writes `<out>.tmp-<pid>` and renames it into place when complete. */
import { UserError } from "../kernel/errors.ts";
import type { TextSink } from "../traces/writer.ts";

/** Streams trace text to a temporary file; an existing file at `path` survives a failed run. */
export class FileSink implements TextSink {
  readonly path: string;
  readonly tmp: string;
  #file: Deno.FsFile;
  #enc = new TextEncoder();

  constructor(path: string) {
    this.path = path;
    this.tmp = FileSink.tempPath(path);
    this.#file = Deno.openSync(this.tmp, { write: true, create: true, truncate: true });
  }

  /** The temporary name a sink for `path` writes to. */
  static tempPath(path: string): string {
    return `${path}.tmp-${Deno.pid}`;
  }

  write(chunk: string): void {
    const bytes = this.#enc.encode(chunk);
    let done = 0;
    while (done < bytes.length) done += this.#file.writeSync(bytes.subarray(done));
  }

  close(): void {
    this.#file.close();
    try {
      Deno.renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      const why = e instanceof Error
        ? e.message.split(":")[0].replace(/ \(os error \d+\)$/, "").toLowerCase()
        : String(e);
      throw new UserError(`cannot write trace ${JSON.stringify(this.path)}: ${why}`);
    }
  }

  abort(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
    try {
      Deno.removeSync(this.tmp);
    } catch { /* already gone */ }
  }
}
