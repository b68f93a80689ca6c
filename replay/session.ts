/** @module The programmatic API: run, record and replay a program on a Host (no Deno, no I/O of its own). */
import { disassemble } from "../core/disasm.ts";
import { DEFAULT_ENV, DEFAULT_EPOCH, DEFAULT_SEED } from "../kernel/defaults.ts";
import { UserError } from "../kernel/errors.ts";
import type { Host } from "../kernel/host.ts";
import type { KernelMode } from "../kernel/hooks.ts";
import { Kernel, type Mount } from "../kernel/kernel.ts";
import type { ExitStatus } from "../kernel/task.ts";
import {
  exitCodeOf,
  type Trace,
  TRACE_CPU,
  type TraceHeader,
  type TracePack,
} from "../traces/format.ts";
import { type TextSink, TraceWriter } from "../traces/writer.ts";
import { argKindsOf, sha256Hex, syscallNameOf } from "./_kernel_info.ts";
import { disassembleAround, Divergence } from "./divergence.ts";
import { ReplayHostFs } from "./_replay_fs.ts";
import { TraceRecorder } from "./recorder.ts";
import { TraceReplayer } from "./replayer.ts";

/** What a guest run needs besides the kernel mode. */
export interface ProgramOptions {
  host: Host;
  /** the ELF image */
  image: Uint8Array;
  /** guest argv; argv[0] is the program as typed */
  argv: string[];
  env?: readonly string[];
  seed?: number;
  epoch?: number;
  cwd?: string;
  mounts?: Mount[];
  /** 0 = no limit */
  maxInstructions?: number;
  verbose?: boolean;
}

export interface RunResult {
  status: ExitStatus;
  /** the status as a process exit code: the code, or 128+N for signal N */
  exitCode: number;
  /** instructions retired */
  ic: number;
  /** kernel state hash at exit */
  state: string;
  /** syscalls the guest called that are not implemented, with counts */
  unimplemented: Map<string, number>;
}

export interface RecordOptions extends ProgramOptions {
  sink: TextSink;
  /** program name for the trace header (the binary's basename) */
  name: string;
  /** binary path relative to the trace file's directory */
  path?: string;
  /**
   * Called at every recorded event (each syscall, signal and switch). It may throw to stop the
   * run (the CLI's Ctrl-C handling): the trace is then aborted and the error rethrown.
   */
  checkpoint?: () => void;
  /** Called once the guest has ended; its result is embedded in the trace (record --pack). */
  pack?: () => TracePack;
}

export interface ReplayOptions {
  /** receives the guest's output; replay never reads its stdin or files */
  host: Host;
  trace: Trace;
  image: Uint8Array;
  maxInstructions?: number;
  verbose?: boolean;
}

/** Runs a program without recording. */
export function runProgram(opts: ProgramOptions): RunResult {
  return execute(opts, { kind: "run" }).result;
}

/** Runs a program and streams its trace to `opts.sink` (aborted, never closed, on failure). */
export function recordProgram(opts: RecordOptions): RunResult {
  const header: TraceHeader = {
    program: {
      name: opts.name,
      sha256: sha256Hex(opts.image),
      size: opts.image.length,
      path: opts.path,
      argv: [...opts.argv],
      env: [...(opts.env ?? DEFAULT_ENV)],
    },
    config: {
      seed: opts.seed ?? DEFAULT_SEED,
      epoch: opts.epoch ?? DEFAULT_EPOCH,
      cpu: TRACE_CPU,
      cwd: opts.cwd ?? "/",
      mounts: (opts.mounts ?? []).map((m) => ({ host: m.host, guest: m.guest, mode: m.mode })),
    },
  };
  const writer = new TraceWriter(opts.sink, header);
  try {
    const recorder = new TraceRecorder(writer, argKindsOf, opts.checkpoint);
    const { result } = execute(
      opts,
      { kind: "record", recorder },
      (k) => recorder.attach((addr, max) => k.readCString(addr, max)),
    );
    writer.finish({
      status: statusOf(result.status),
      ic: result.ic,
      state: result.state,
    }, opts.pack?.());
    return result;
  } catch (e) {
    writer.abort();
    throw e;
  }
}

/**
 * Replays a trace: re-executes the program, feeding it the recorded syscall results and
 * checking every event. Throws a Divergence (exit code 3) at the first mismatch, with the
 * disassembly around eip in `details`.
 */
export function replayTrace(opts: ReplayOptions): RunResult {
  const { trace } = opts;
  const sha = sha256Hex(opts.image);
  if (sha !== trace.program.sha256) {
    throw new UserError(
      `program does not match the trace: sha256 ${sha.slice(0, 16)}… but the trace was ` +
        `recorded with ${trace.program.sha256.slice(0, 16)}… (${trace.program.name})`,
    );
  }
  if (trace.config.cpu !== TRACE_CPU) {
    throw new UserError(`trace was recorded for cpu "${trace.config.cpu}", not "${TRACE_CPU}"`);
  }
  const replayer = new TraceReplayer(trace, {
    nameOf: syscallNameOf,
    arityOf: (nr) => argKindsOf(nr)?.length,
  });
  let kernel: Kernel | undefined;
  try {
    const host: Host = {
      writeStdout: (b) => opts.host.writeStdout(b),
      writeStderr: (b) => opts.host.writeStderr(b),
      readStdin: () => 0,
      fs: new ReplayHostFs(trace.config.mounts.map((m) => m.host)),
    };
    const run = execute(
      {
        host,
        image: opts.image,
        argv: trace.program.argv,
        env: trace.program.env,
        seed: trace.config.seed,
        epoch: trace.config.epoch,
        cwd: trace.config.cwd,
        mounts: trace.config.mounts,
        maxInstructions: opts.maxInstructions,
        verbose: opts.verbose,
      },
      { kind: "replay", source: replayer },
      (k) => {
        kernel = k;
        replayer.attach((addr, len) => k.copyIn(addr, len));
      },
    );
    const r = run.result;
    replayer.finish(statusOf(r.status), r.ic, r.state, currentTid(run.kernel));
    return r;
  } catch (e) {
    if (e instanceof Divergence && kernel !== undefined) e.details = divergenceDetails(kernel);
    throw e;
  }
}

function execute(
  opts: ProgramOptions,
  mode: KernelMode,
  onBoot?: (k: Kernel) => void,
): { result: RunResult; kernel: Kernel } {
  const kernel = Kernel.boot(opts.image, {
    host: opts.host,
    mode,
    seed: opts.seed ?? DEFAULT_SEED,
    epoch: opts.epoch ?? DEFAULT_EPOCH,
    mounts: opts.mounts ?? [],
    cwd: opts.cwd ?? "/",
    argv: [...opts.argv],
    env: [...(opts.env ?? DEFAULT_ENV)],
    maxInstructions: opts.maxInstructions ?? 0,
    verbose: opts.verbose ?? false,
  });
  onBoot?.(kernel);
  const status = kernel.run();
  return {
    kernel,
    result: {
      status,
      exitCode: exitCodeOf(status),
      ic: kernel.ic,
      state: kernel.stateHash(),
      unimplemented: kernel.unimplemented,
    },
  };
}

function statusOf(s: ExitStatus): ExitStatus {
  return s.kind === "exited"
    ? { kind: "exited", code: s.code }
    : { kind: "signaled", signal: s.signal };
}

function currentTid(k: Kernel): number {
  return k.current?.tid ?? 0;
}

/** Report lines for a divergence: eip and the instructions around it. */
function divergenceDetails(k: Kernel): string[] {
  const cpu = k.current?.cpu;
  if (cpu === undefined) return [];
  const eip = cpu.eip >>> 0;
  const lines = [`  eip 0x${eip.toString(16).padStart(8, "0")}:`];
  // eip is past the `int 0x80` of the syscall being checked; show the code leading up to it
  for (const l of disassembleAround((a) => disassemble(k.mem, a), eip, 4, 1)) {
    lines.push("    " + l);
  }
  return lines;
}
