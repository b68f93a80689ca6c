/** @module Builds the fixture programs from source and captures their native expectations. */
import { parseArgs } from "node:util";
import { DEFAULT_ENV } from "../../kernel/defaults.ts";

/**
 * Usage: deno task fixtures [--no-build] [--check] [--count] [--only NAME]...
 *   --no-build  keep bin/ as it is; only run the programs and write expected/
 *   --check     write nothing; exit 1 if a binary or an expectation would change
 *   --count     also count user-mode instructions per fixture (valgrind cachegrind)
 *   --only      limit to the named fixtures (repeatable) *
 * fixtures.json lists runnable fixtures under "fixtures" and the ones the emulator cannot run yet
 * (with a reason) under "pending"; both get expected/ files.
 */

const ROOT = new URL("../programs/", import.meta.url).pathname;

const Toolchain = { nasm: "nasm", gcc: "gcc", musl: "musl" } as const;
type Toolchain = (typeof Toolchain)[keyof typeof Toolchain];

/** One binary in bin/, built from one source file. */
interface Program {
  bin: string;
  src: string;
  tool: Toolchain;
  /** extra gcc flags after -O2 */
  cflags?: readonly string[];
  /** extra gcc arguments after the source, e.g. -lm */
  libs?: readonly string[];
}

/** One native run: a program with its argv and stdin. */
interface Fixture {
  name: string;
  bin: string;
  argv: string[];
  stdin: string | null;
  /**
   * Why the emulator cannot run it yet. Pending fixtures are built and their expectations
   * captured, but fixtures.json lists them under "pending", which the tests do not read.
   */
  pending?: string;
}

const PROGRAMS: readonly Program[] = [
  { bin: "hello_asm", src: "asm/hello_asm.asm", tool: "nasm" },
  { bin: "args_asm", src: "asm/args_asm.asm", tool: "nasm" },
  { bin: "loop_asm", src: "asm/loop_asm.asm", tool: "nasm" },
  { bin: "errno_asm", src: "asm/errno_asm.asm", tool: "nasm" },
  { bin: "divzero_asm", src: "asm/divzero_asm.asm", tool: "nasm" },
  { bin: "segv_asm", src: "asm/segv_asm.asm", tool: "nasm" },
  { bin: "brk_mmap_asm", src: "asm/brk_mmap_asm.asm", tool: "nasm" },
  { bin: "cpu_ops_asm", src: "asm/cpu_ops_asm.asm", tool: "nasm" },
  { bin: "printf_c", src: "c/printf_c.c", tool: "gcc" },
  { bin: "argv_env_c", src: "c/argv_env_c.c", tool: "gcc" },
  { bin: "fileio_c", src: "c/fileio_c.c", tool: "gcc" },
  { bin: "malloc_c", src: "c/malloc_c.c", tool: "gcc" },
  { bin: "qsort_strings_c", src: "c/qsort_strings_c.c", tool: "gcc" },
  { bin: "time_random_c", src: "c/time_random_c.c", tool: "gcc" },
  { bin: "stdin_c", src: "c/stdin_c.c", tool: "gcc" },
  { bin: "exit_code_c", src: "c/exit_code_c.c", tool: "gcc" },
  { bin: "signal_c", src: "c/signal_c.c", tool: "gcc" },
  { bin: "signal_fpu_c", src: "c/signal_fpu_c.c", tool: "gcc", cflags: ["-msse2"] },
  { bin: "signal_timers_c", src: "c/signal_timers_c.c", tool: "gcc" },
  { bin: "mmap_shared_c", src: "c/mmap_shared_c.c", tool: "gcc" },
  { bin: "sigpipe_c", src: "c/sigpipe_c.c", tool: "gcc" },
  { bin: "sched_c", src: "c/sched_c.c", tool: "gcc" },
  { bin: "poll_c", src: "c/poll_c.c", tool: "gcc" },
  { bin: "bench", src: "c/bench.c", tool: "gcc" },
  { bin: "bench_x87", src: "c/bench_float.c", tool: "gcc", libs: ["-lm"] },
  {
    bin: "bench_sse2",
    src: "c/bench_float.c",
    tool: "gcc",
    cflags: ["-msse2", "-mfpmath=sse"],
    libs: ["-lm"],
  },
  { bin: "hello_musl", src: "c/hello_musl.c", tool: "musl" },
  { bin: "printf_musl", src: "c/printf_c.c", tool: "musl" },
  { bin: "float_x87_c", src: "c/float_x87_c.c", tool: "gcc", libs: ["-lm"] },
  {
    bin: "float_sse2_c",
    src: "c/float_x87_c.c",
    tool: "gcc",
    cflags: ["-msse2", "-mfpmath=sse"],
    libs: ["-lm"],
  },
  { bin: "sse2_intrin_c", src: "c/sse2_intrin_c.c", tool: "gcc", cflags: ["-msse2"] },
];

/** A fixture whose argv is just its name and whose stdin is /dev/null. */
function plain(bin: string): Fixture {
  return { name: bin, bin: `bin/${bin}`, argv: [bin], stdin: null };
}

const FIXTURES: readonly Fixture[] = [
  plain("hello_asm"),
  {
    name: "args_asm",
    bin: "bin/args_asm",
    argv: ["args_asm", "alpha", "two words", "", "ünïcödé ✓"],
    stdin: null,
  },
  plain("loop_asm"),
  plain("errno_asm"),
  plain("divzero_asm"),
  plain("segv_asm"),
  plain("brk_mmap_asm"),
  plain("cpu_ops_asm"),
  plain("printf_c"),
  {
    name: "argv_env_c",
    bin: "bin/argv_env_c",
    argv: ["argv_env_c", "--flag=value", "-x", "", "spaces  inside", "ümlaut"],
    stdin: null,
  },
  plain("fileio_c"),
  plain("malloc_c"),
  plain("qsort_strings_c"),
  plain("time_random_c"),
  { name: "stdin_c", bin: "bin/stdin_c", argv: ["stdin_c"], stdin: "inputs/lines.txt" },
  { name: "stdin_empty_c", bin: "bin/stdin_c", argv: ["stdin_c"], stdin: null },
  plain("exit_code_c"),
  plain("signal_c"),
  plain("signal_fpu_c"),
  plain("signal_timers_c"),
  plain("mmap_shared_c"),
  plain("sigpipe_c"),
  plain("sched_c"),
  plain("poll_c"),
  plain("bench"),
  plain("bench_x87"),
  plain("bench_sse2"),
  { name: "hello_musl", bin: "bin/hello_musl", argv: ["hello_musl", "one", "two"], stdin: null },
  plain("printf_musl"),
  plain("float_x87_c"),
  plain("float_sse2_c"),
  plain("sse2_intrin_c"),
];

const MUSL_SPECS = "/usr/lib/i386-linux-musl/musl-gcc.specs";
/** Debian's multilib gcc lacks the i386 <asm/*.h>; the x86_64 ones cover both. */
const ASM_HEADERS = "/usr/include/x86_64-linux-gnu";
const RUN_TIMEOUT_MS = 120_000;

/**
 * Forks, sets up the child exactly as the contract says (cwd "/", given env and
 * argv[0], stdin from a file, default SIGPIPE) and exits with the child's status,
 * 128+N when it was killed by signal N.
 */
const RUNNER = `
import json, os, resource, signal, sys
spec = json.loads(sys.argv[1])
pid = os.fork()
if pid == 0:
    try:
        for s in (signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(s, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        fd = os.open(spec["stdin"], os.O_RDONLY)
        if fd != 0:
            os.dup2(fd, 0)
            os.close(fd)
        os.chdir("/")
        os.execve(spec["path"], spec["argv"], spec["env"])
    except BaseException as e:
        os.write(2, ("runner: %s\\n" % e).encode())
    os._exit(127)
_, status = os.waitpid(pid, 0)
os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
`;

interface Expected {
  stdout: string;
  exit: number;
}

async function run(cmd: string, args: string[], cwd = ROOT): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, { args, cwd, stdin: "null", stdout: "piped", stderr: "piped" })
    .output();
}

async function mustRun(cmd: string, args: string[]): Promise<void> {
  const out = await run(cmd, args);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${err}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Builds one program into tmp/; returns the output path, or null when its toolchain is absent. */
async function build(p: Program, tmp: string): Promise<string | null> {
  const out = `${tmp}/${p.bin}`;
  if (p.tool === "nasm") {
    const obj = `${tmp}/${p.bin}.o`;
    await mustRun("nasm", ["-f", "elf32", "-I", "asm/", "-o", obj, p.src]);
    await mustRun("ld", ["-m", "elf_i386", "-o", out, obj]);
  } else if (p.tool === "gcc") {
    const cflags = p.cflags ?? [];
    const libs = p.libs ?? [];
    await mustRun("gcc", [
      "-m32",
      "-static",
      "-O2",
      ...cflags,
      "-idirafter",
      ASM_HEADERS,
      "-o",
      out,
      p.src,
      ...libs,
    ]);
  } else {
    if (!(await exists(MUSL_SPECS))) return null;
    const args = ["-m32", "-static", "-O2", "-specs", MUSL_SPECS, "-Wl,-melf_i386", "-o", out];
    await mustRun("gcc", [...args, p.src]);
  }
  return out;
}

async function runNative(f: Fixture): Promise<Expected> {
  const spec = {
    path: ROOT + f.bin,
    argv: f.argv,
    env: Object.fromEntries(DEFAULT_ENV.map((kv) => {
      const eq = kv.indexOf("=");
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    })),
    stdin: f.stdin === null ? "/dev/null" : ROOT + f.stdin,
  };
  const child = new Deno.Command("python3", {
    args: ["-c", RUNNER, JSON.stringify(spec)],
    clearEnv: true,
    env: { PATH: "/usr/bin:/bin" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
  const out = await child.output();
  clearTimeout(timer);
  const stderr = new TextDecoder().decode(out.stderr);
  if (stderr.startsWith("runner:")) throw new Error(`${f.name}: ${stderr.trim()}`);
  if (stderr !== "") console.warn(`${f.name}: stderr: ${stderr.trimEnd()}`);
  const stdout = new TextDecoder("utf-8", { fatal: true }).decode(out.stdout);
  return { stdout, exit: out.code };
}

async function countInstructions(f: Fixture): Promise<string> {
  const stdin = f.stdin === null ? "/dev/null" : ROOT + f.stdin;
  const script = `exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null ` +
    `"$0" "$@" < "${stdin}" > /dev/null`;
  const out = await run("bash", ["-c", script, ROOT + f.bin, ...f.argv.slice(1)], "/");
  const m = /I\s+refs:\s+([\d,]+)/.exec(new TextDecoder().decode(out.stderr));
  return m ? m[1] : "?";
}

/** Writes text unless the file already holds it; in check mode only reports. */
async function put(path: string, bytes: Uint8Array, check: boolean): Promise<boolean> {
  let old: Uint8Array | null = null;
  try {
    old = await Deno.readFile(path);
  } catch {
    old = null;
  }
  const same = old !== null && old.length === bytes.length && old.every((b, i) => b === bytes[i]);
  if (!same && !check) await Deno.writeFile(path, bytes);
  return !same;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "no-build": { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      count: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
    },
  });
  const only = values.only ?? [];
  const check = values.check;
  const fixtures = FIXTURES.filter((f) => only.length === 0 || only.includes(f.name))
    .toSorted((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const wanted = new Set(fixtures.map((f) => f.bin));
  const changed: string[] = [];

  if (!values["no-build"]) {
    const tmp = await Deno.makeTempDir({ prefix: "dejavu_fixtures_" });
    try {
      for (const p of PROGRAMS.filter((p) => wanted.has(`bin/${p.bin}`))) {
        const built = await build(p, tmp);
        if (built === null) {
          console.warn(`${p.bin}: ${p.tool} toolchain missing, keeping the committed binary`);
          continue;
        }
        const bytes = await Deno.readFile(built);
        if (await put(`${ROOT}bin/${p.bin}`, bytes, check)) changed.push(`bin/${p.bin}`);
        if (!check) await Deno.chmod(`${ROOT}bin/${p.bin}`, 0o755);
        console.log(`built ${p.bin} sha256=${(await sha256(bytes)).slice(0, 16)}`);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  }

  for (const f of fixtures) {
    const first = await runNative(f);
    const second = await runNative(f);
    if (first.stdout !== second.stdout || first.exit !== second.exit) {
      throw new Error(`${f.name}: two native runs differ; the fixture is not deterministic`);
    }
    if (await put(`${ROOT}expected/${f.name}.json`, json(first), check)) {
      changed.push(`expected/${f.name}.json`);
    }
    const count = values.count ? ` instructions=${await countInstructions(f)}` : "";
    const note = f.pending === undefined ? "" : " (pending)";
    console.log(
      `ran ${f.name}${note}: exit=${first.exit} stdout=${first.stdout.length} chars${count}`,
    );
  }

  if (only.length === 0) {
    const list = {
      fixtures: fixtures.filter((f) => f.pending === undefined)
        .map(({ name, bin, argv, stdin }) => ({ name, bin, argv, stdin })),
      pending: fixtures.filter((f) => f.pending !== undefined)
        .map(({ name, bin, argv, stdin, pending }) => ({
          name,
          bin,
          argv,
          stdin,
          reason: pending,
        })),
    };
    if (await put(`${ROOT}fixtures.json`, json(list), check)) changed.push("fixtures.json");
    const names = new Set(fixtures.map((f) => `${f.name}.json`));
    for await (const e of Deno.readDir(`${ROOT}expected`)) {
      if (names.has(e.name)) continue;
      changed.push(`expected/${e.name} (stale)`);
      if (!check) await Deno.remove(`${ROOT}expected/${e.name}`);
    }
  }

  if (changed.length > 0) {
    console.log(`${check ? "would change" : "changed"}: ${changed.join(", ")}`);
  } else console.log("no changes");
  return check && changed.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main());
