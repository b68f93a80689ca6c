/** @module dejavu: deterministic record/replay emulator for Linux i386 static programs (CLI entry and public API). */
import { main } from "./cli/main.ts";

export { main } from "./cli/main.ts";
export {
  type ProgramOptions,
  type RecordOptions,
  recordProgram,
  type ReplayOptions,
  replayTrace,
  runProgram,
  type RunResult,
} from "./replay/session.ts";
export { Divergence, DIVERGENCE_EXIT_CODE } from "./replay/divergence.ts";
export { parseTrace } from "./traces/reader.ts";
export { StringSink, type TextSink, TraceWriter } from "./traces/writer.ts";
export { straceLines } from "./traces/strace.ts";
export type { Trace, TraceEvent, TraceExit, TraceHeader } from "./traces/format.ts";
export type { Host, HostFs } from "./kernel/host.ts";
export { UserError } from "./kernel/errors.ts";
export { DEFAULT_ENV, DEFAULT_EPOCH, DEFAULT_SEED } from "./kernel/defaults.ts";

if (import.meta.main) Deno.exit(main(Deno.args));
