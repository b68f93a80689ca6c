/** @module Validating trace reader: text → Trace, or a one-line UserError naming the problem. */
import { UserError } from "../kernel/errors.ts";
import {
  decodeBase64,
  type SyscallRecord,
  type Trace,
  TRACE_FORMAT,
  TRACE_VERSION,
  type TraceConfig,
  type TraceEvent,
  type TraceExit,
  type TraceMount,
  type TracePack,
  type TraceProgram,
} from "./format.ts";

type Json = unknown;
type Obj = Record<string, Json>;

/** A validation failure inside one part of the trace; turned into a UserError by parseTrace. */
class Bad extends Error {
  constructor(message: string, readonly event?: number) {
    super(message);
  }
}

/**
 * Parses and validates a whole trace. `name` prefixes every error message
 * (e.g. `t.json: line 12: event 7: "ret" must be an integer`).
 */
export function parseTrace(text: string, name: string): Trace {
  try {
    return parse(text);
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    let where = "";
    if (e.event !== undefined) {
      const line = eventLine(text, e.event);
      where = (line !== undefined ? `line ${line}: ` : "") + `event ${e.event}: `;
    }
    throw new UserError(`${name}: ${where}${e.message}`);
  }
}

function parse(text: string): Trace {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new Bad("empty file, not a dejavu trace");
  if (!trimmed.startsWith("{")) throw new Bad("not a dejavu trace (expected a JSON document)");
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    if (!/\n"exit":\{[^\n]*\}\}\s*$/.test(text) && trimmed.startsWith(`{"format":`)) {
      throw new Bad(`truncated (no "exit" record)`);
    }
    throw new Bad(`not valid JSON (${oneLine((e as Error).message)})`);
  }
  if (!isObj(doc)) throw new Bad("not a dejavu trace (expected a JSON object)");
  if (doc.format !== TRACE_FORMAT) {
    throw new Bad(`not a dejavu trace ("format" is ${show(doc.format)})`);
  }
  if (doc.version !== TRACE_VERSION) {
    throw new Bad(
      `unsupported trace version ${show(doc.version)} (this dejavu reads version ${TRACE_VERSION})`,
    );
  }
  const program = readProgram(field(doc, "program", "trace"));
  const config = readConfig(field(doc, "config", "trace"));
  if (!Array.isArray(doc.events)) throw new Bad(`"events" must be an array`);
  const events: TraceEvent[] = [];
  let lastIc = 0;
  for (let i = 0; i < doc.events.length; i++) {
    const ev = readEvent(doc.events[i], i);
    if (ev.ic < lastIc) throw new Bad(`"ic" goes backwards (${ev.ic} < ${lastIc})`, i);
    lastIc = ev.ic;
    events.push(ev);
  }
  if (doc.exit === undefined) throw new Bad(`truncated (no "exit" record)`);
  const exit = readExit(doc.exit);
  if (exit.ic < lastIc) throw new Bad(`exit: "ic" goes backwards (${exit.ic} < ${lastIc})`);
  const trace: Trace = { program, config, events, exit };
  if (doc.pack !== undefined) trace.pack = readPack(doc.pack);
  return trace;
}

function readProgram(v: Json): TraceProgram {
  const o = obj(v, "program");
  const p: TraceProgram = {
    name: str(o, "name", "program"),
    sha256: str(o, "sha256", "program"),
    size: uint(o, "size", "program"),
    argv: strArray(o, "argv", "program"),
    env: strArray(o, "env", "program"),
  };
  if (!/^[0-9a-f]{64}$/.test(p.sha256)) {
    throw new Bad(`program: "sha256" must be 64 lowercase hex digits`);
  }
  if (o.path !== undefined) p.path = str(o, "path", "program");
  return p;
}

function readConfig(v: Json): TraceConfig {
  const o = obj(v, "config");
  const mounts = o.mounts;
  if (!Array.isArray(mounts)) throw new Bad(`config: "mounts" must be an array`);
  return {
    seed: uint(o, "seed", "config"),
    epoch: int(o, "epoch", "config"),
    cpu: str(o, "cpu", "config"),
    cwd: str(o, "cwd", "config"),
    mounts: mounts.map((m, i): TraceMount => {
      const ctx = `config: mount ${i}`;
      const mo = obj(m, ctx);
      const mode = mo.mode;
      if (mode !== "ro" && mode !== "rw") throw new Bad(`${ctx}: "mode" must be "ro" or "rw"`);
      return { host: str(mo, "host", ctx), guest: str(mo, "guest", ctx), mode };
    }),
  };
}

function readEvent(v: Json, i: number): TraceEvent {
  if (!isObj(v)) throw new Bad("must be a JSON object", i);
  const e = (m: string) => new Bad(m, i);
  const num = (k: string, check: (n: number) => boolean, what: string): number => {
    const n = v[k];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || !check(n)) {
      throw e(n === undefined ? `missing "${k}"` : `"${k}" must be ${what}`);
    }
    return n;
  };
  const nonneg = (n: number) => n >= 0;
  const any = () => true;
  if (v.i !== i) {
    throw e(`"i" is ${show(v.i)}, expected ${i} (events must be numbered in order)`);
  }
  if (v.signal !== undefined) {
    return {
      kind: "signal",
      i,
      signal: num("signal", (n) => n >= 1 && n <= 64, "a signal number (1-64)"),
      tid: num("tid", nonneg, "a non-negative integer"),
      ic: num("ic", nonneg, "a non-negative integer"),
    };
  }
  if (v.switch !== undefined) {
    return {
      kind: "switch",
      i,
      tid: num("switch", nonneg, "a thread id"),
      ic: num("ic", nonneg, "a non-negative integer"),
    };
  }
  if (v.sys === undefined) throw e(`unknown event (no "sys", "signal" or "switch")`);
  if (typeof v.sys !== "string") throw e(`"sys" must be a string`);
  const ev: SyscallRecord = {
    kind: "syscall",
    i,
    tid: num("tid", nonneg, "a non-negative integer"),
    ic: num("ic", nonneg, "a non-negative integer"),
    sys: v.sys,
    nr: num("nr", nonneg, "a non-negative integer"),
    args: [],
    ret: num("ret", any, "an integer"),
    mem: [],
  };
  if (!Array.isArray(v.args) || v.args.length > 6) {
    throw e(v.args === undefined ? `missing "args"` : `"args" must be an array of at most 6`);
  }
  v.args.forEach((a, k) => {
    if (typeof a !== "number" || !Number.isInteger(a) || a < 0 || a > 0xffffffff) {
      throw e(`"args"[${k}] must be an unsigned 32-bit integer`);
    }
  });
  ev.args = v.args as number[];
  if (v.mem !== undefined) {
    if (!Array.isArray(v.mem)) throw e(`"mem" must be an array`);
    ev.mem = v.mem.map((m, k): [number, Uint8Array] => {
      if (!Array.isArray(m) || m.length !== 2) throw e(`"mem"[${k}] must be [address, base64]`);
      const [addr, b64] = m;
      if (typeof addr !== "number" || !Number.isInteger(addr) || addr < 0 || addr > 0xffffffff) {
        throw e(`"mem"[${k}] address must be an unsigned 32-bit integer`);
      }
      const bytes = typeof b64 === "string" ? decodeBase64(b64) : null;
      if (bytes === null) throw e(`"mem"[${k}] data is not valid base64`);
      return [addr, bytes];
    });
  }
  if (v.out !== undefined || v.fd !== undefined) {
    if (v.fd !== 1 && v.fd !== 2) throw e(`"fd" must be 1 or 2 when "out" is present`);
    const bytes = typeof v.out === "string" ? decodeBase64(v.out) : null;
    if (bytes === null) throw e(`"out" is not valid base64`);
    ev.out = { fd: v.fd, bytes };
  }
  if (v.str !== undefined) {
    if (!isObj(v.str)) throw e(`"str" must be an object`);
    const strs: Record<number, string> = {};
    for (const [k, s] of Object.entries(v.str)) {
      if (!/^[0-5]$/.test(k) || typeof s !== "string") {
        throw e(`"str" must map argument indexes 0-5 to strings`);
      }
      strs[Number(k)] = s;
    }
    ev.str = strs;
  }
  if (v.enosys !== undefined) {
    if (typeof v.enosys !== "boolean") throw e(`"enosys" must be a boolean`);
    if (v.enosys) ev.enosys = true;
  }
  return ev;
}

function readPack(v: Json): TracePack {
  const o = obj(v, "pack");
  const bytes = (b64: Json, ctx: string): Uint8Array => {
    const b = typeof b64 === "string" ? decodeBase64(b64) : null;
    if (b === null) throw new Bad(`${ctx} is not valid base64`);
    return b;
  };
  if (!Array.isArray(o.files)) throw new Bad(`pack: "files" must be an array`);
  return {
    program: bytes(o.program, `pack: "program"`),
    files: o.files.map((f, i) => {
      const ctx = `pack: file ${i}`;
      const fo = obj(f, ctx);
      const sha256 = str(fo, "sha256", ctx);
      if (!/^[0-9a-f]{64}$/.test(sha256)) {
        throw new Bad(`${ctx}: "sha256" must be 64 lowercase hex digits`);
      }
      return {
        host: str(fo, "host", ctx),
        guest: str(fo, "guest", ctx),
        size: uint(fo, "size", ctx),
        sha256,
        gzip: bytes(fo.gzip, `${ctx}: "gzip"`),
      };
    }),
  };
}

function readExit(v: Json): TraceExit {
  const o = obj(v, "exit");
  const ic = uint(o, "ic", "exit");
  const state = str(o, "state", "exit");
  if (o.code !== undefined) {
    const code = uint(o, "code", "exit");
    if (code > 255) throw new Bad(`exit: "code" must be 0-255`);
    return { status: { kind: "exited", code }, ic, state };
  }
  if (o.signal !== undefined) {
    const signal = uint(o, "signal", "exit");
    if (signal < 1 || signal > 64) throw new Bad(`exit: "signal" must be 1-64`);
    return { status: { kind: "signaled", signal }, ic, state };
  }
  throw new Bad(`exit: needs "code" or "signal"`);
}

// ---- helpers ----

function isObj(v: Json): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: Json, ctx: string): Obj {
  if (!isObj(v)) throw new Bad(v === undefined ? `missing "${ctx}"` : `"${ctx}" must be an object`);
  return v;
}

function field(o: Obj, k: string, _ctx: string): Json {
  if (o[k] === undefined) throw new Bad(`missing "${k}"`);
  return o[k];
}

function str(o: Obj, k: string, ctx: string): string {
  const v = o[k];
  if (typeof v !== "string") {
    throw new Bad(`${ctx}: ${v === undefined ? `missing "${k}"` : `"${k}" must be a string`}`);
  }
  return v;
}

function int(o: Obj, k: string, ctx: string): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    throw new Bad(`${ctx}: ${v === undefined ? `missing "${k}"` : `"${k}" must be an integer`}`);
  }
  return v;
}

function uint(o: Obj, k: string, ctx: string): number {
  const v = int(o, k, ctx);
  if (v < 0) throw new Bad(`${ctx}: "${k}" must be a non-negative integer`);
  return v;
}

function strArray(o: Obj, k: string, ctx: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) {
    throw new Bad(`${ctx}: "${k}" must be an array of strings`);
  }
  return v as string[];
}

function show(v: Json): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? s.slice(0, 37) + "..." : s;
}

/** The parser's message quotes the text around the error: escape its newlines and control characters. */
function oneLine(message: string): string {
  // deno-lint-ignore no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** 1-based line of event k when the file has the writer's layout (one event per line). */
function eventLine(text: string, k: number): number | undefined {
  const start = text.indexOf('\n"events":[\n');
  if (start < 0) return undefined;
  let line = 1;
  for (let p = text.indexOf("\n"); p >= 0 && p < start; p = text.indexOf("\n", p + 1)) line++;
  // `start` is the newline before `"events":[`; events begin on the following line
  line += 1;
  let pos = start + 1;
  for (let i = 0; i <= k; i++) {
    pos = text.indexOf("\n", pos);
    if (pos < 0) return undefined;
    pos++;
    line++;
  }
  return text.startsWith(`{"i":${k},`, pos) ? line : undefined;
}
