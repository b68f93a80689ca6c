/** @module The recorder: turns the kernel's record-mode callbacks into trace events. */
import type { Recorder, SyscallEvent } from "../kernel/hooks.ts";
import type { ArgKindsOf } from "../traces/strace.ts";
import type { TraceWriter } from "../traces/writer.ts";

/** Reads a NUL-terminated guest string, or null (the shape of Kernel.readCString). */
export type StringReader = (addr: number, max?: number) => string | null;

/** Longest path/str argument copied into the trace for `dump`. */
const MAX_STR = 4096;

export class TraceRecorder implements Recorder {
  readonly #writer: TraceWriter;
  readonly #kinds: ArgKindsOf;
  readonly #checkpoint: () => void;
  #readString: StringReader = () => null;

  /** `checkpoint` runs before each event is written and may throw to stop the run. */
  constructor(writer: TraceWriter, kinds: ArgKindsOf, checkpoint: () => void = () => {}) {
    this.#writer = writer;
    this.#kinds = kinds;
    this.#checkpoint = checkpoint;
  }

  /** Gives the recorder guest memory access once the kernel exists (before it runs). */
  attach(readString: StringReader): void {
    this.#readString = readString;
  }

  syscall(ev: SyscallEvent): void {
    this.#checkpoint();
    // keep the registers the syscall takes; the rest are whatever the guest left there
    const arity = this.#kinds(ev.nr)?.length ?? ev.args.length;
    this.#writer.event({
      kind: "syscall",
      tid: ev.tid,
      ic: ev.ic,
      sys: ev.name,
      nr: ev.nr,
      args: ev.args.slice(0, arity).map((a) => a >>> 0),
      ret: ev.ret,
      str: this.#strings(ev),
      mem: ev.mem,
      out: ev.out,
      enosys: ev.enosys,
    });
  }

  signal(tid: number, sig: number, ic: number): void {
    this.#checkpoint();
    this.#writer.event({ kind: "signal", tid, signal: sig, ic });
  }

  switchTo(tid: number, ic: number): void {
    this.#checkpoint();
    this.#writer.event({ kind: "switch", tid, ic });
  }

  /** Strings of path/str arguments, read now so that `dump` can show them. */
  #strings(ev: SyscallEvent): Record<number, string> | undefined {
    const kinds = this.#kinds(ev.nr);
    if (kinds === undefined) return undefined;
    let out: Record<number, string> | undefined;
    for (let k = 0; k < kinds.length && k < ev.args.length; k++) {
      if (kinds[k] !== "path" && kinds[k] !== "str") continue;
      const s = ev.args[k] === 0 ? null : this.#readString(ev.args[k] >>> 0, MAX_STR);
      if (s === null) continue;
      (out ??= {})[k] = s;
    }
    return out;
  }
}
