/** @module The replay source: feeds recorded syscall outcomes to the kernel and checks each event. */
import type { RecordedOutcome, ReplaySource } from "../kernel/hooks.ts";
import type { SyscallRecord, Trace, TraceEvent, TraceStatus } from "../traces/format.ts";
import { exitLine } from "../traces/strace.ts";
import { Divergence } from "./divergence.ts";

/** Reads guest memory (for the output check); null when any byte is unreadable. */
export type GuestReader = (addr: number, len: number) => Uint8Array | null;

/**
 * Where each syscall that can write to the host's stdout/stderr takes its bytes from: the
 * guest's buffer. Replay prints the trace's `out` bytes, so they must match that buffer.
 */
const OUTPUT_SOURCES: Record<
  number,
  (read: GuestReader, args: number[], len: number) => Uint8Array | null
> = {
  4: (read, a, len) => read(a[1], len), // write(fd, buf, count)
  146: (read, a, len) => gather(read, a[1], a[2], len), // writev(fd, iov, iovcnt)
};

export interface ReplayerOptions {
  /** syscall name for a number, for messages about syscalls the trace does not have */
  nameOf?: (nr: number) => string | undefined;
  /** how many argument registers syscall `nr` takes (the recorder keeps only those) */
  arityOf?: (nr: number) => number | undefined;
}

/** Walks a trace in order; every kernel callback must match the next event exactly. */
export class TraceReplayer implements ReplaySource {
  readonly #events: TraceEvent[];
  readonly #trace: Trace;
  readonly #nameOf: (nr: number) => string | undefined;
  readonly #arityOf: (nr: number) => number | undefined;
  #pos = 0;
  #current: SyscallRecord | undefined;
  #read: GuestReader | undefined;

  constructor(trace: Trace, opts: ReplayerOptions = {}) {
    this.#trace = trace;
    this.#events = trace.events;
    this.#nameOf = opts.nameOf ?? (() => undefined);
    this.#arityOf = opts.arityOf ?? (() => undefined);
  }

  /** Gives access to guest memory, enabling the check of recorded output against the guest's buffers. */
  attach(read: GuestReader): void {
    this.#read = read;
  }

  /** Index of the next event to be consumed. */
  get position(): number {
    return this.#pos;
  }

  syscall(tid: number, ic: number, nr: number, allArgs: number[]): RecordedOutcome {
    const args = allArgs.slice(0, this.#arityOf(nr) ?? allArgs.length);
    const what = this.#sysName(nr);
    const ev = this.#next(tid, `made syscall ${what}`);
    if (ev.kind !== "syscall") {
      throw this.#kindMismatch(ev, tid, `made syscall ${what}`);
    }
    const at = { index: ev.i, tid: ev.tid };
    if (ev.nr !== nr) {
      throw new Divergence(at, "syscall", `${ev.sys} (${ev.nr})`, `made ${what} (${nr})`);
    }
    if (ev.tid !== tid) {
      throw new Divergence(at, `${ev.sys} thread`, `tid ${ev.tid}`, `made it on tid ${tid}`);
    }
    if (ev.args.length !== args.length) {
      throw new Divergence(
        at,
        `${ev.sys} args`,
        `${ev.args.length} arguments`,
        `passed ${args.length}`,
      );
    }
    for (let k = 0; k < args.length; k++) {
      if ((ev.args[k] >>> 0) !== (args[k] >>> 0)) {
        throw new Divergence(at, `${ev.sys} arg ${k}`, `${ev.args[k]}`, `passed ${args[k] >>> 0}`);
      }
    }
    if (ev.ic !== ic) {
      throw new Divergence(
        at,
        `${ev.sys} instruction count`,
        `ic ${ev.ic}`,
        `reached it at ic ${ic}`,
      );
    }
    if (ev.out !== undefined && this.#read !== undefined) this.#checkOutput(ev, args, this.#read);
    this.#current = ev;
    return { ret: ev.ret, mem: ev.mem, out: ev.out };
  }

  /** The recorded output must be exactly what the guest's buffer holds now. */
  #checkOutput(ev: SyscallRecord, args: number[], read: GuestReader): void {
    const at = { index: ev.i, tid: ev.tid };
    const out = ev.out!.bytes;
    const field = `${ev.sys} output`;
    const source = OUTPUT_SOURCES[ev.nr];
    if (source === undefined) {
      throw new Divergence(
        at,
        field,
        `${out.length} bytes`,
        "none",
        `${field}: trace has ${out.length} bytes, but ${ev.sys} writes no output`,
      );
    }
    if (ev.ret !== out.length) {
      throw new Divergence(
        at,
        field,
        `${out.length} bytes`,
        `result ${ev.ret}`,
        `${field}: trace has ${out.length} bytes but result ${ev.ret}`,
      );
    }
    const guest = source(read, args, out.length);
    if (guest === null) {
      throw new Divergence(
        at,
        field,
        `${out.length} bytes`,
        "an unreadable buffer",
        `${field}: trace has ${out.length} bytes, program buffer is unreadable`,
      );
    }
    const k = out.findIndex((b, j) => b !== guest[j]);
    if (k >= 0) {
      throw new Divergence(at, `${field} byte ${k}`, hex2(out[k]), `has ${hex2(guest[k])}`);
    }
  }

  checkResult(ret: number): void {
    const ev = this.#current;
    if (ev === undefined) throw new RangeError("checkResult without a replayed syscall");
    if (ev.ret !== ret) {
      throw new Divergence(
        { index: ev.i, tid: ev.tid },
        `${ev.sys} result`,
        `${ev.ret}`,
        `re-executed it and got ${ret}`,
      );
    }
  }

  signal(tid: number, sig: number, ic: number): void {
    const ev = this.#next(tid, `got signal ${sig}`);
    if (ev.kind !== "signal") throw this.#kindMismatch(ev, tid, `got signal ${sig}`);
    const at = { index: ev.i, tid: ev.tid };
    if (ev.signal !== sig) throw new Divergence(at, "signal", `${ev.signal}`, `got ${sig}`);
    if (ev.tid !== tid) {
      throw new Divergence(at, "signal thread", `tid ${ev.tid}`, `delivered it to tid ${tid}`);
    }
    if (ev.ic !== ic) {
      throw new Divergence(at, "signal instruction count", `ic ${ev.ic}`, `got it at ic ${ic}`);
    }
    this.#current = undefined;
  }

  switchTo(tid: number, ic: number): void {
    const ev = this.#next(tid, `switched to tid ${tid}`);
    if (ev.kind !== "switch") throw this.#kindMismatch(ev, tid, `switched to tid ${tid}`);
    const at = { index: ev.i, tid: ev.tid };
    if (ev.tid !== tid) throw new Divergence(at, "switch", `tid ${ev.tid}`, `switched to ${tid}`);
    if (ev.ic !== ic) {
      throw new Divergence(at, "switch instruction count", `ic ${ev.ic}`, `switched at ic ${ic}`);
    }
    this.#current = undefined;
  }

  /** Checks the end of the run: no events left, same exit status, ic and state hash. */
  finish(status: TraceStatus, ic: number, state: string, tid: number): void {
    const exit = this.#trace.exit;
    const n = this.#events.length;
    if (this.#pos < n) {
      const next = this.#events[this.#pos];
      throw new Divergence(
        { index: this.#pos, tid: next.tid },
        "end",
        `${n - this.#pos} more event(s)`,
        `ended`,
        `program ended (${exitLine(status)}) but the trace has ${n - this.#pos} more event(s), ` +
          `next: ${describe(next)}`,
      );
    }
    const at = { index: n, tid };
    const a = exitLine(exit.status), b = exitLine(status);
    if (a !== b) throw new Divergence(at, "exit", a, `ended with ${b}`);
    if (exit.ic !== ic) {
      throw new Divergence(at, "exit instruction count", `ic ${exit.ic}`, `ended at ic ${ic}`);
    }
    if (exit.state !== state) {
      throw new Divergence(at, "final state hash", short(exit.state), `ended with ${short(state)}`);
    }
  }

  #next(tid: number, what: string): TraceEvent {
    if (this.#pos >= this.#events.length) {
      throw new Divergence(
        { index: this.#pos, tid },
        "end",
        "no more events",
        what,
        `the trace has ended but the program ${what}`,
      );
    }
    return this.#events[this.#pos++];
  }

  #kindMismatch(ev: TraceEvent, _tid: number, actual: string): Divergence {
    return new Divergence({ index: ev.i, tid: ev.tid }, "event", describe(ev), actual);
  }

  #sysName(nr: number): string {
    return this.#nameOf(nr) ?? `syscall ${nr}`;
  }
}

function describe(ev: TraceEvent): string {
  switch (ev.kind) {
    case "syscall":
      return `syscall ${ev.sys} (${ev.nr})`;
    case "signal":
      return `signal ${ev.signal}`;
    case "switch":
      return `switch to tid ${ev.tid}`;
  }
}

/** The first `len` bytes of an iovec array's buffers; null when any part is unreadable. */
function gather(read: GuestReader, iov: number, count: number, len: number): Uint8Array | null {
  const out = new Uint8Array(len);
  let off = 0;
  for (let i = 0; i < count && off < len; i++) {
    const vec = read((iov + i * 8) >>> 0, 8);
    if (vec === null) return null;
    const dv = new DataView(vec.buffer, vec.byteOffset, 8);
    const part = read(dv.getUint32(0, true), Math.min(dv.getUint32(4, true), len - off));
    if (part === null) return null;
    out.set(part, off);
    off += part.length;
  }
  return off === len ? out : null;
}

function hex2(b: number): string {
  return "0x" + b.toString(16).padStart(2, "0");
}

function short(hash: string): string {
  return hash.length > 16 ? hash.slice(0, 16) + "…" : hash;
}
