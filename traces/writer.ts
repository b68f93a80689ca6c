/** @module Streaming trace writer: header, one event per line, exit record; output goes to a sink. */
import {
  encodeBase64,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceEvent,
  type TraceExit,
  type TraceHeader,
  type TracePack,
} from "./format.ts";

/** Where trace text goes. The CLI provides a file sink; tests collect strings. */
export interface TextSink {
  write(chunk: string): void;
  /** called once after the last write of a complete trace */
  close(): void;
  /** called instead of close() when the trace will not be completed */
  abort(): void;
}

/** A sink that keeps the text in memory. */
export class StringSink implements TextSink {
  #parts: string[] = [];
  closed = false;
  aborted = false;
  write(chunk: string): void {
    this.#parts.push(chunk);
  }
  close(): void {
    this.closed = true;
  }
  abort(): void {
    this.aborted = true;
  }
  text(): string {
    return this.#parts.join("");
  }
}

const FLUSH_CHARS = 1 << 16;

/** An event as handed to the writer; it assigns the index `i`. */
export type PendingEvent = DistributiveOmit<TraceEvent, "i">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Writes a trace incrementally. Byte layout is fixed (deterministic): the same events give the
 * same text.
 */
export class TraceWriter {
  #sink: TextSink;
  #buf: string[] = [];
  #bufLen = 0;
  #count = 0;
  #done = false;

  constructor(sink: TextSink, header: TraceHeader) {
    this.#sink = sink;
    this.#push(formatHeader(header));
  }

  /** Number of events written so far. */
  get count(): number {
    return this.#count;
  }

  event(ev: PendingEvent): void {
    if (this.#done) throw new RangeError("Trace writer already finished");
    const line = formatEvent({ ...ev, i: this.#count } as TraceEvent);
    this.#push(this.#count === 0 ? line : ",\n" + line);
    this.#count++;
  }

  /** Ends the trace: the optional pack section (record --pack), then the exit record. */
  finish(exit: TraceExit, pack?: TracePack): void {
    if (this.#done) throw new RangeError("Trace writer already finished");
    this.#done = true;
    this.#push((this.#count === 0 ? "" : "\n") + "],\n");
    if (pack !== undefined) this.#push(formatPack(pack));
    this.#push(formatExit(exit) + "}\n");
    this.#flush();
    this.#sink.close();
  }

  /** Gives up on the trace (the sink discards its partial output). */
  abort(): void {
    if (this.#done) return;
    this.#done = true;
    this.#buf = [];
    this.#sink.abort();
  }

  #push(s: string): void {
    this.#buf.push(s);
    this.#bufLen += s.length;
    if (this.#bufLen >= FLUSH_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#buf.length === 0) return;
    this.#sink.write(this.#buf.join(""));
    this.#buf = [];
    this.#bufLen = 0;
  }
}

const q = JSON.stringify;

function formatHeader(h: TraceHeader): string {
  const p = h.program;
  const c = h.config;
  const program = `{"name":${q(p.name)},"sha256":${q(p.sha256)},"size":${p.size},` +
    (p.path !== undefined ? `"path":${q(p.path)},` : "") +
    `"argv":${q(p.argv)},"env":${q(p.env)}}`;
  const mounts = c.mounts.map((m) =>
    `{"host":${q(m.host)},"guest":${q(m.guest)},"mode":${q(m.mode)}}`
  );
  const config = `{"seed":${c.seed},"epoch":${c.epoch},"cpu":${q(c.cpu)},"cwd":${q(c.cwd)},` +
    `"mounts":[${mounts.join(",")}]}`;
  return `{"format":${q(TRACE_FORMAT)},"version":${TRACE_VERSION},\n` +
    `"program":${program},\n"config":${config},\n"events":[\n`;
}

/** One event as its canonical JSON line (no trailing comma). */
export function formatEvent(ev: TraceEvent): string {
  switch (ev.kind) {
    case "signal":
      return `{"i":${ev.i},"signal":${ev.signal},"tid":${ev.tid},"ic":${ev.ic}}`;
    case "switch":
      return `{"i":${ev.i},"switch":${ev.tid},"ic":${ev.ic}}`;
    case "syscall": {
      let s = `{"i":${ev.i},"tid":${ev.tid},"ic":${ev.ic},"sys":${q(ev.sys)},"nr":${ev.nr},` +
        `"args":[${ev.args.join(",")}],"ret":${ev.ret}`;
      if (ev.str !== undefined) {
        const keys = Object.keys(ev.str).map(Number).sort((a, b) => a - b);
        if (keys.length > 0) {
          s += `,"str":{${keys.map((k) => `"${k}":${q(ev.str![k])}`).join(",")}}`;
        }
      }
      if (ev.mem.length > 0) {
        s += `,"mem":[${ev.mem.map(([a, b]) => `[${a},"${encodeBase64(b)}"]`).join(",")}]`;
      }
      if (ev.out !== undefined) s += `,"fd":${ev.out.fd},"out":"${encodeBase64(ev.out.bytes)}"`;
      if (ev.enosys) s += `,"enosys":true`;
      return s + "}";
    }
  }
}

/** The pack section: the program on one line, then one line per file. */
function formatPack(p: TracePack): string {
  const files = p.files.map((f) =>
    `{"host":${q(f.host)},"guest":${q(f.guest)},"size":${f.size},"sha256":${q(f.sha256)},` +
    `"gzip":"${encodeBase64(f.gzip)}"}`
  );
  return `"pack":{"program":"${encodeBase64(p.program)}",\n"files":[` +
    (files.length > 0 ? `\n${files.join(",\n")}\n` : "") + `]},\n`;
}

function formatExit(e: TraceExit): string {
  const how = e.status.kind === "exited"
    ? `"code":${e.status.code}`
    : `"signal":${e.status.signal}`;
  return `"exit":{${how},"ic":${e.ic},"state":${q(e.state)}}`;
}
