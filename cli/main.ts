/** @module The dejavu command line: run, record, replay, dump and diff. */
import { basename, dirname, relative, resolve } from "node:path";
import { DEFAULT_ENV, DEFAULT_EPOCH, DEFAULT_SEED } from "../kernel/defaults.ts";
import { UserError } from "../kernel/errors.ts";
import type { HostFs } from "../kernel/host.ts";
import type { Mount } from "../kernel/kernel.ts";
import { argKindsOf } from "../replay/_kernel_info.ts";
import { Divergence } from "../replay/divergence.ts";
import {
  type ProgramOptions,
  recordProgram,
  replayTrace,
  runProgram,
  type RunResult,
} from "../replay/session.ts";
import { diffTraces } from "../traces/diff.ts";
import type { Trace, TraceEvent, TraceExit } from "../traces/format.ts";
import { parseTrace } from "../traces/reader.ts";
import { exitLine, straceEvent, straceLines } from "../traces/strace.ts";
import { type OptionSpecs, parseCommand, uintOption, UsageError } from "./args.ts";
import { DenoHost, writeAllSync } from "./deno_host.ts";
import { DenoHostFs } from "./deno_host_fs.ts";
import { FileSink } from "./file_sink.ts";
import { HELP } from "./help.ts";
import { InterruptWatch } from "./interrupt.ts";
import { buildPack, packedProgram, ReadLoggingHostFs } from "./pack.ts";

/** Exit code for an emulator bug (EX_SOFTWARE). */
export const INTERNAL_ERROR_EXIT_CODE = 70;

const RUN_OPTIONS: OptionSpecs = {
  seed: { type: "string" },
  epoch: { type: "string" },
  mount: { type: "string", multiple: true },
  cwd: { type: "string" },
  env: { type: "string", multiple: true },
  "max-instructions": { type: "string" },
  stdin: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const RECORD_OPTIONS: OptionSpecs = {
  ...RUN_OPTIONS,
  out: { type: "string", short: "o" },
  pack: { type: "boolean" },
};

const REPLAY_OPTIONS: OptionSpecs = {
  prog: { type: "string" },
  "max-instructions": { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const DUMP_OPTIONS: OptionSpecs = {
  ic: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const DIFF_OPTIONS: OptionSpecs = {
  help: { type: "boolean", short: "h" },
};

/** `dejavu diff` exit code when the traces differ (0 when identical, as diff(1)). */
export const DIFF_DIFFERENT_EXIT_CODE = 1;

type Command = (args: string[]) => number;

const COMMANDS: Record<string, Command> = {
  run: cmdRun,
  record: cmdRecord,
  replay: cmdReplay,
  dump: cmdDump,
  diff: cmdDiff,
};

/** Runs the CLI and returns the process exit code. Never throws. */
export function main(args: string[]): number {
  let verbose = args.includes("--verbose");
  try {
    const [cmd, ...rest] = args;
    if (cmd === undefined) {
      printErr(HELP.main);
      return 2;
    }
    if (cmd === "--help" || cmd === "-h" || cmd === "help") {
      const topic = cmd === "help" && rest[0] !== undefined ? HELP[rest[0]] : undefined;
      print(topic ?? HELP.main);
      return 0;
    }
    const command = COMMANDS[cmd];
    if (command === undefined) {
      throw new UsageError(
        cmd.startsWith("-")
          ? `unknown option ${cmd} (expected a command: run, record, replay, dump, diff)`
          : `unknown command "${cmd}" (expected run, record, replay, dump or diff)`,
      );
    }
    return command(rest);
  } catch (e) {
    if (e instanceof UserError) {
      printErr(`dejavu: ${e.message}`);
      if (e instanceof Divergence) { for (const line of e.details) printErr(line); }
      return e.exitCode;
    }
    verbose ||= Deno.env.get("DEJAVU_DEBUG") !== undefined;
    const err = e instanceof Error ? e : new Error(String(e));
    printErr(`dejavu: internal error: ${err.message} (a dejavu bug; DEJAVU_DEBUG=1 shows more)`);
    if (verbose && err.stack) printErr(err.stack);
    return INTERNAL_ERROR_EXIT_CODE;
  }
}

function cmdRun(args: string[]): number {
  const p = parseCommand(args, RUN_OPTIONS);
  if (p.values.help) return help("run");
  programArg(p.rest, "run");
  const opts = programOptions(p.values, p.rest);
  const t0 = performance.now();
  const r = runProgram(opts);
  if (opts.verbose) stats(r, t0);
  return r.exitCode;
}

function cmdRecord(args: string[]): number {
  const p = parseCommand(args, RECORD_OPTIONS);
  if (p.values.help) return help("record");
  const prog = programArg(p.rest, "record");
  const files = p.values.pack === true ? new ReadLoggingHostFs(new DenoHostFs()) : undefined;
  const opts = programOptions(p.values, p.rest, files);
  const out = (p.values.out as string | undefined) ?? `${basename(prog)}.trace.json`;
  if (out === "") throw new UsageError("--out expects a file name");
  const path = relative(dirname(resolve(out)), resolve(prog));
  if (isDirectory(out)) {
    throw new UserError(`cannot write trace ${JSON.stringify(out)}: is a directory`);
  }
  removeStaleTemps(out);
  // watch first: once the temp file exists, Ctrl-C always removes it
  const watch = new InterruptWatch(FileSink.tempPath(out));
  let sink: FileSink;
  try {
    sink = new FileSink(out);
  } catch (e) {
    watch.stop();
    throw new UserError(`cannot write trace ${JSON.stringify(out)}: ${fsReason(e)}`);
  }
  const t0 = performance.now();
  let r: RunResult;
  try {
    r = recordProgram({
      ...opts,
      sink,
      name: basename(prog),
      path,
      checkpoint: () => watch.check(),
      pack: files ? () => buildPack(opts.image, files.read, opts.mounts ?? []) : undefined,
    });
  } catch (e) {
    sink.abort(); // the writer already aborted unless the failure came before it existed
    throw e;
  } finally {
    watch.stop();
  }
  if (opts.verbose) {
    stats(r, t0);
    printErr(`dejavu: trace written to ${out}`);
  }
  return r.exitCode;
}

/**
 * Removes `<out>.tmp-<pid>` files left by a dejavu that was killed before it could clean up
 * (SIGKILL, or a signal before the watcher started). Files of live processes stay.
 */
function removeStaleTemps(out: string): void {
  const dir = dirname(resolve(out));
  const prefix = `${basename(out)}.tmp-`;
  const procfs = exists("/proc/self");
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = name.slice(prefix.length);
    if (!/^\d+$/.test(pid) || Number(pid) === Deno.pid) continue;
    if (procfs && exists(`/proc/${pid}`)) continue;
    try {
      Deno.removeSync(`${dir}/${name}`);
    } catch { /* another run removed it */ }
  }
}

function cmdReplay(args: string[]): number {
  const p = parseCommand(args, REPLAY_OPTIONS);
  if (p.values.help) return help("replay");
  const file = traceArg(p.rest, "replay");
  const trace = parseTrace(readText(file, "trace"), file);
  let progPath = p.values.prog as string | undefined;
  const packed = progPath === undefined ? packedProgram(trace, file) : undefined;
  if (progPath === undefined && packed === undefined) {
    if (trace.program.path === undefined) {
      throw new UserError(`${file}: the trace has no program path; pass --prog PATH`);
    }
    progPath = resolve(dirname(file), trace.program.path);
    if (!exists(progPath)) {
      throw new UserError(
        `cannot find the traced program at ${JSON.stringify(progPath)}; pass --prog PATH`,
      );
    }
  }
  const image = packed ?? readBytes(progPath!, "program");
  const verbose = p.values.verbose === true;
  const t0 = performance.now();
  const r = replayTrace({
    host: new DenoHost({ noStdin: true }),
    trace,
    image,
    maxInstructions: uintOption("max-instructions", p.values["max-instructions"] as string, 0),
    verbose,
  });
  if (verbose) {
    stats(r, t0);
    printErr(`dejavu: replay matched all ${trace.events.length} events`);
  }
  return r.exitCode;
}

function cmdDump(args: string[]): number {
  const p = parseCommand(args, DUMP_OPTIONS);
  if (p.values.help) return help("dump");
  const file = traceArg(p.rest, "dump");
  const trace = parseTrace(readText(file, "trace"), file);
  const lines = straceLines(trace, argKindsOf, { ic: p.values.ic === true });
  writeAllSync(Deno.stdout, new TextEncoder().encode(lines.join("\n") + "\n"));
  return 0;
}

function cmdDiff(args: string[]): number {
  const p = parseCommand(args, DIFF_OPTIONS);
  if (p.values.help) return help("diff");
  if (p.rest.length !== 2) {
    throw new UsageError(
      p.rest.length < 2
        ? "diff: expects two trace files"
        : `diff: unexpected argument ${JSON.stringify(p.rest[2])}`,
    );
  }
  const [fa, fb] = p.rest;
  const a = parseTrace(readText(fa, "trace"), fa);
  const b = parseTrace(readText(fb, "trace"), fb);
  const d = diffTraces(a, b);
  if (d === undefined) {
    print(`traces are identical (${a.events.length} events)`);
    return 0;
  }
  const w = Math.max(fa.length, fb.length);
  const lines: string[] = [];
  for (const what of d.header) lines.push(`${what} differs`);
  if (d.event !== undefined) {
    const { index, fields } = d.event;
    lines.push(
      `first difference at event ${index}` + (fields.length > 0 ? ` (${fields.join(", ")})` : "") +
        ":",
    );
    lines.push(`  ${fa.padEnd(w)}  ${diffEventLine(a, d.event.a)}`);
    lines.push(`  ${fb.padEnd(w)}  ${diffEventLine(b, d.event.b)}`);
  } else if (d.exit !== undefined) {
    lines.push(`all ${a.events.length} events match; the exit differs:`);
    lines.push(`  ${fa.padEnd(w)}  ${diffExitLine(d.exit.a)}`);
    lines.push(`  ${fb.padEnd(w)}  ${diffExitLine(d.exit.b)}`);
  } else {
    lines.push(`all ${a.events.length} events and the exit match`);
  }
  print(lines.join("\n"));
  return DIFF_DIFFERENT_EXIT_CODE;
}

function diffEventLine(t: Trace, ev: TraceEvent | undefined): string {
  if (ev === undefined) {
    const n = t.events.length;
    return `(trace ended after ${n} event${n === 1 ? "" : "s"}) ${diffExitLine(t.exit)}`;
  }
  return `#${ev.i} ic ${ev.ic}  ${straceEvent(ev, argKindsOf)}`;
}

function diffExitLine(e: TraceExit): string {
  return `ic ${e.ic}  ${exitLine(e.status)} state ${e.state.slice(0, 16)}…`;
}

// ---- helpers ----

function help(cmd: string): number {
  print(HELP[cmd]);
  return 0;
}

function programArg(rest: string[], cmd: string): string {
  if (rest.length === 0 || rest[0] === "") {
    throw new UsageError(`${cmd}: missing program (see dejavu ${cmd} --help)`);
  }
  return rest[0];
}

function traceArg(rest: string[], cmd: string): string {
  if (rest.length === 0) throw new UsageError(`${cmd}: missing trace file`);
  if (rest.length > 1) {
    throw new UsageError(`${cmd}: unexpected argument ${JSON.stringify(rest[1])}`);
  }
  return rest[0];
}

type Values = Record<string, string | boolean | string[] | undefined>;

function programOptions(
  v: Values,
  rest: string[],
  fs?: HostFs,
): ProgramOptions & { verbose: boolean } {
  // check the whole command line before touching any file
  const seed = uintOption("seed", v.seed as string | undefined, DEFAULT_SEED);
  const epoch = uintOption("epoch", v.epoch as string | undefined, DEFAULT_EPOCH);
  const maxInstructions = uintOption("max-instructions", v["max-instructions"] as string, 0);
  const env = envOption((v.env as string[] | undefined) ?? []);
  const cwd = (v.cwd as string | undefined) ?? "/";
  if (!cwd.startsWith("/")) {
    throw new UsageError(`--cwd expects an absolute guest path, got ${JSON.stringify(cwd)}`);
  }
  const mountSpecs = ((v.mount as string[] | undefined) ?? []).map(parseMount);
  const image = readBytes(rest[0], "program");
  const stdinFile = v.stdin as string | undefined;
  const stdin = stdinFile !== undefined ? readBytes(stdinFile, "stdin file") : undefined;
  return {
    host: new DenoHost({ stdin, fs }),
    image,
    argv: [...rest],
    env,
    seed,
    epoch,
    cwd,
    mounts: mountSpecs.map(checkMount),
    maxInstructions,
    verbose: v.verbose === true,
  };
}

/** DEFAULT_ENV with each --env K=V set or replaced, in order. */
function envOption(sets: string[]): string[] {
  const env = [...DEFAULT_ENV];
  for (const kv of sets) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new UsageError(`--env expects K=V, got ${JSON.stringify(kv)}`);
    const key = kv.slice(0, eq + 1);
    const at = env.findIndex((e) => e.startsWith(key));
    if (at >= 0) env[at] = kv;
    else env.push(kv);
  }
  return env;
}

function parseMount(spec: string): Mount & { typed: string } {
  const parts = spec.split(":");
  let mode: "ro" | "rw" = "ro";
  if (parts.length === 3 && (parts[2] === "ro" || parts[2] === "rw")) {
    mode = parts.pop() as "ro" | "rw";
  }
  if (parts.length !== 2 || parts[0] === "" || !parts[1].startsWith("/")) {
    throw new UsageError(
      `--mount expects HOST:GUEST[:ro|:rw] with an absolute GUEST path, got ${
        JSON.stringify(spec)
      }`,
    );
  }
  return { host: resolve(parts[0]), guest: parts[1], mode, typed: parts[0] };
}

function checkMount(m: Mount & { typed: string }): Mount {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(m.host);
  } catch (e) {
    throw new UserError(`--mount: cannot use host path ${JSON.stringify(m.typed)}: ${fsReason(e)}`);
  }
  if (!info.isDirectory) {
    throw new UserError(`--mount: host path ${JSON.stringify(m.typed)} is not a directory`);
  }
  return { host: m.host, guest: m.guest, mode: m.mode };
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return Deno.readFileSync(path);
  } catch (e) {
    throw new UserError(`cannot read ${what} ${JSON.stringify(path)}: ${fsReason(e)}`);
  }
}

function readText(path: string, what: string): string {
  const bytes = readBytes(path, what);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: not a dejavu trace (not UTF-8 text)`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function fsReason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  const msg = e instanceof Error ? e.message : String(e);
  if (/directory/i.test(msg) && /is a/i.test(msg)) return "is a directory";
  return msg.split(":")[0].replace(/ \(os error \d+\)$/, "").toLowerCase();
}

function stats(r: RunResult, t0: number): void {
  const ms = performance.now() - t0;
  const how = r.status.kind === "exited"
    ? `exited with ${r.status.code}`
    : `killed by signal ${r.status.signal}`;
  const mips = ms > 0 ? (r.ic / ms / 1000).toFixed(1) : "?";
  printErr(`dejavu: ${how} after ${r.ic} instructions in ${ms.toFixed(0)} ms (${mips} MIPS)`);
}

function print(text: string): void {
  writeAllSync(Deno.stdout, new TextEncoder().encode(text + "\n"));
}

function printErr(text: string): void {
  writeAllSync(Deno.stderr, new TextEncoder().encode(text + "\n"));
}
