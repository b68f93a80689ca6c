/** @module Test fixtures for the VFS and file syscalls: a Vfs on a MemoryHostFs, and a minimal kernel + task. */
import { Memory, Prot } from "../../core/memory.ts";
import { Cpu } from "../../core/cpu.ts";
import { Kernel } from "../kernel.ts";
import type { Process, Task } from "../task.ts";
import { FdTable } from "./fd_table.ts";
import { MemoryHostFs } from "./memory_host_fs.ts";
import { Vfs, type VfsOptions } from "./vfs.ts";

/** 2000-01-01T00:00:00Z in ns; tests advance it by hand. */
export const T0 = 946684800n * 1_000_000_000n;

export interface TestEnv {
  vfs: Vfs;
  host: MemoryHostFs;
  proc: Process;
  clock: { ns: bigint };
}

export function makeVfs(opts: Partial<VfsOptions> & { host?: MemoryHostFs } = {}): TestEnv {
  const host = opts.host ?? new MemoryHostFs();
  const clock = { ns: T0 };
  let seed = 1;
  const vfs = new Vfs({
    hostFs: host,
    mounts: opts.mounts ?? [],
    now: () => clock.ns,
    randomFill: (out) => {
      for (let i = 0; i < out.length; i++) {
        out[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      }
    },
    exe: opts.exe ?? "/bin/prog",
    exeImage: opts.exeImage,
  });
  const proc: Process = {
    pid: 1,
    ppid: 0,
    fds: FdTable.withStdio(),
    cwd: "/",
    umask: 0o022,
    brkStart: 0,
    brk: 0,
    exe: opts.exe ?? "/bin/prog",
    sigactions: [],
  };
  return { vfs, host, proc, clock };
}

export interface TestKernel extends TestEnv {
  k: Kernel;
  t: Task;
  out: { stdout: number[]; stderr: number[]; stdin: number[] };
  /** scratch guest memory: [SCRATCH, SCRATCH + 64 KiB) is mapped read/write */
  mem: Memory;
  /** writes a NUL-terminated string at addr */
  str(addr: number, s: string): number;
  bytes(addr: number, len: number): Uint8Array;
}

export const SCRATCH = 0x10000;

export function makeKernel(
  opts: Partial<VfsOptions> & { host?: MemoryHostFs; stdin?: string } = {},
): TestKernel {
  const env = makeVfs(opts);
  const mem = new Memory();
  mem.map(SCRATCH, 0x10000, Prot.READ | Prot.WRITE);
  const out = {
    stdout: [] as number[],
    stderr: [] as number[],
    stdin: [...new TextEncoder().encode(opts.stdin ?? "")],
  };
  const k = new Kernel(mem, {
    host: {
      writeStdout: (b) => out.stdout.push(...b),
      writeStderr: (b) => out.stderr.push(...b),
      readStdin: (buf) => {
        const n = Math.min(buf.length, out.stdin.length);
        buf.set(out.stdin.splice(0, n));
        return n;
      },
      fs: env.host,
    },
    mode: { kind: "run" },
    seed: 1,
    epoch: 946684800,
    mounts: opts.mounts ?? [],
    cwd: "/",
    argv: ["prog"],
    env: [],
    maxInstructions: 0,
    verbose: false,
  });
  k.vfs = env.vfs;
  const t: Task = {
    tid: 1,
    proc: env.proc,
    cpu: new Cpu(),
    state: { kind: "runnable" },
    sigmask: 0n,
    clearChildTid: 0,
    robustList: 0,
  };
  k.current = t;
  return {
    ...env,
    k,
    t,
    out,
    mem,
    str(addr, s) {
      const b = new TextEncoder().encode(s + "\0");
      mem.writeBytes(addr, b);
      return addr;
    },
    bytes(addr, len) {
      return mem.readBytes(addr, len);
    },
  };
}
