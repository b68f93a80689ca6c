/** @module The deterministic virtual kernel: owns clock, random, vfs, tasks and the syscall entry. */
import { Cpu, Reg } from "../core/cpu.ts";
import { cpuid } from "../core/cpuid.ts";
import { run } from "../core/interpreter.ts";
import { Memory } from "../core/memory.ts";
import { Errno } from "./abi/errno.ts";
import { SIG, SIG_IGN, signalName } from "./abi/signal.ts";
import { Clock, TSC_PER_INSN } from "./clock.ts";
import { UserError } from "./errors.ts";
import type { KernelMode } from "./hooks.ts";
import type { Host } from "./host.ts";
import { loadElf, parseElf } from "./loader/elf.ts";
import { buildInitialStack, stackProt } from "./loader/initial_stack.ts";
import { Random } from "./random.ts";
import { Scheduler } from "./scheduler.ts";
import { defaultAction, sigbit } from "./signals.ts";
import { stateHash } from "./state_hash.ts";
import { SYSCALL_TABLE, syscallName } from "./syscall_table.ts";
import { defaultRlimits } from "./syscalls/sys_info.ts";
import { replayFileMmap } from "./syscalls/sys_mm.ts";
import { type ExitStatus, INIT_PID, INIT_PPID, newTask, type Process, type Task } from "./task.ts";
import { FdTable } from "./vfs/fd_table.ts";
import { Vfs } from "./vfs/vfs.ts";

/** A host directory mounted into the guest tree. */
export interface Mount {
  host: string;
  guest: string;
  mode: "ro" | "rw";
}

export interface KernelOptions {
  host: Host;
  mode: KernelMode;
  seed: number;
  /** Unix seconds the logical clock starts at */
  epoch: number;
  mounts: Mount[];
  cwd: string;
  argv: string[];
  env: string[];
  /** stop with an error after this many instructions (0 = no limit) */
  maxInstructions: number;
  verbose: boolean;
  /**
   * Guest path of the program: /proc/self/exe, AT_EXECFN, and where the image appears in the tree.
   * Default: argv[0] resolved against cwd when it contains a slash, else "/bin/" + argv[0].
   */
  exePath?: string;
  /** Name used in error messages ("prog: not an ELF file"). Default: basename of argv[0]. */
  progName?: string;
}

/** The event data a syscall collects while it runs (record mode). */
interface Capture {
  mem: [number, Uint8Array][];
  out?: { fd: 1 | 2; bytes: Uint8Array };
}

/**
 * The kernel. Syscall handlers rely on: mem, host, copyIn, copyOut, readCString, output, vfs,
 * clock, random, tasks, and the process-control methods (exitProcess, sendSignal, ...).
 */
export class Kernel {
  readonly mem: Memory;
  readonly host: Host;
  readonly opts: KernelOptions;
  /** global retired-instruction count */
  ic = 0;
  current!: Task;
  vfs!: Vfs;
  readonly clock: Clock;
  readonly random: Random;
  readonly scheduler: Scheduler;
  /** ENOSYS syscall name (or "syscall_NNN") → count */
  readonly unimplemented: Map<string, number> = new Map();
  /** resource limits [soft, hard] per RLIMIT_* */
  readonly rlimits: [bigint, bigint][] = defaultRlimits();
  /** READ_IMPLIES_EXEC personality (no PT_GNU_STACK): readable mappings are executable */
  readImpliesExec = false;
  /** guest path of the executable */
  exePath = "";
  progName = "";
  #status: ExitStatus | undefined;
  #capture: Capture | null = null;
  /** a signal kill noticed inside a syscall: reported after the syscall's event */
  #deferredSignal: { tid: number; sig: number } | null = null;
  #inSyscall = false;
  /** signals sent while blocked, per task (bit n-1 = signal n) */
  #pending = new Map<Task, bigint>();

  constructor(mem: Memory, opts: KernelOptions) {
    this.mem = mem;
    this.host = opts.host;
    this.opts = opts;
    this.clock = new Clock(opts.epoch);
    this.random = new Random(opts.seed);
    this.scheduler = new Scheduler(this.random.stream("sched"));
  }

  get tasks(): Task[] {
    return this.scheduler.tasks;
  }

  /** Loads a static i386 ELF and builds the first task; throws UserError for unusable images. */
  static boot(image: Uint8Array, opts: KernelOptions): Kernel {
    const argv0 = opts.argv[0] ?? "prog";
    const progName = opts.progName ?? (argv0.split("/").pop() || "prog");
    const elf = parseElf(image, progName);
    const k = new Kernel(new Memory(), opts);
    k.progName = progName;
    k.exePath = opts.exePath ?? defaultExePath(argv0, opts.cwd);
    k.readImpliesExec = elf.readImpliesExec;
    const loaded = loadElf(k.mem, elf, image);
    const random = new Uint8Array(16);
    k.random.fill("auxv", random);
    const stack = buildInitialStack(k.mem, {
      argv: opts.argv,
      env: opts.env,
      execfn: k.exePath,
      random,
      hwcap: cpuid(1, 0)[3],
      phdr: loaded.phdrAddr,
      phnum: elf.phnum,
      entry: loaded.entry,
      base: 0,
      uid: 0,
      gid: 0,
      prot: stackProt(elf.execStack || elf.readImpliesExec),
    });
    k.vfs = new Vfs({
      hostFs: opts.host.fs,
      mounts: opts.mounts,
      now: () => k.clock.realtimeNs(k.ic),
      randomFill: (out) => k.random.fill("urandom", out),
      exe: k.exePath,
      exeImage: image,
    });
    const proc: Process = {
      pid: INIT_PID,
      ppid: INIT_PPID,
      fds: FdTable.withStdio(),
      cwd: opts.cwd,
      umask: 0o022,
      brkStart: loaded.brkStart,
      brk: loaded.brkStart,
      exe: k.exePath,
      sigactions: [],
    };
    const cpu = new Cpu();
    cpu.eip = loaded.entry;
    cpu.regs[Reg.ESP] = stack.esp;
    // Linux starts ELF programs with every other GPR zero and EFLAGS 0x202
    const task = newTask(INIT_PID, proc, cpu);
    k.scheduler.add(task);
    k.current = task;
    return k;
  }

  /** Runs until the process ends. Throws UserError when maxInstructions is reached. */
  run(): ExitStatus {
    const max = this.opts.maxInstructions;
    while (this.#status === undefined) {
      const t = this.scheduler.next(this.current);
      if (t === null) throw new UserError("deadlock: every thread is blocked and no timer is set");
      if (t !== this.current) {
        this.current = t;
        this.#switched(t);
      }
      let budget = this.scheduler.quantum();
      if (max > 0) {
        if (this.ic >= max) {
          throw new UserError(
            `instruction limit of ${max} reached at eip 0x${hex(t.cpu.eip)}`,
          );
        }
        budget = Math.min(budget, max - this.ic);
      }
      const cpu = t.cpu;
      cpu.icBase = this.ic;
      cpu.tscBase = this.clock.tscBase;
      cpu.tscPerInsn = TSC_PER_INSN;
      this.ic += run(cpu, this.mem, budget);
      const stop = cpu.stop;
      if (stop.kind === "syscall") this.#syscall(t);
      else if (stop.kind === "fault") this.#fault(t, stop.signal, stop.addr);
      else if (stop.kind === "halt") this.#fault(t, SIG.SEGV, 0); // hlt is privileged: #GP
    }
    if (this.opts.verbose && this.unimplemented.size > 0) {
      const list = [...this.unimplemented].map(([n, c]) => `${n} ×${c}`).join(", ");
      this.host.writeStderr(enc.encode(`dejavu: unimplemented syscalls: ${list}\n`));
    }
    return this.#status;
  }

  /** sha256 of every task's registers and every mapped page. */
  stateHash(): string {
    return stateHash(this.tasks, this.mem);
  }

  // ---- process control (used by syscall handlers) ----

  /** Ends the whole process with `status`. */
  exitProcess(t: Task, status: ExitStatus): void {
    if (this.#status !== undefined) return;
    this.#status = status;
    t.proc.exit = status;
    const code = status.kind === "exited" ? status.code : 128 + status.signal;
    for (const x of this.tasks) if (x.proc === t.proc) x.state = { kind: "exited", status: code };
  }

  /** Ends one thread; the process ends with the last one. */
  exitThread(t: Task, code: number): void {
    t.state = { kind: "exited", status: code };
    if (!this.tasks.some((x) => x.proc === t.proc && x.state.kind !== "exited")) {
      this.exitProcess(t, { kind: "exited", code });
    }
  }

  /**
   * Sends `sig` to task `t`: blocked signals wait in `pending`; otherwise the disposition decides.
   * Guest handlers are not run yet: a caught signal stops the emulation with a clear error.
   */
  sendSignal(t: Task, sig: number): void {
    if ((t.sigmask & sigbit(sig)) !== 0n && sig !== SIG.KILL && sig !== SIG.STOP) {
      this.#pending.set(t, (this.#pending.get(t) ?? 0n) | sigbit(sig));
      return;
    }
    this.#act(t, sig);
  }

  /** Acts on pending signals that `t`'s mask no longer blocks (after rt_sigprocmask). */
  flushPendingSignals(t: Task): void {
    const pend = this.#pending.get(t) ?? 0n;
    const ready = pend & ~t.sigmask;
    if (ready === 0n) return;
    this.#pending.set(t, pend & ~ready);
    for (let s = 1; s <= 64 && this.#status === undefined; s++) {
      if (ready & sigbit(s)) this.#act(t, s);
    }
  }

  #act(t: Task, sig: number): void {
    const action = t.proc.sigactions[sig];
    if (action !== undefined && action.handler === SIG_IGN) return;
    if (action !== undefined && action.handler !== 0) {
      throw new UserError(
        `${signalName(sig)} has a handler at 0x${hex(action.handler)}, but signal delivery to ` +
          `handlers is not implemented yet (eip 0x${hex(t.cpu.eip)})`,
      );
    }
    const d = defaultAction(sig);
    if (d === "term" || d === "core") this.#kill(t, sig);
    // "ign", "cont": nothing; "stop": no job control here, so the stop is ignored
  }

  #kill(t: Task, sig: number): void {
    if (this.#status !== undefined) return;
    this.exitProcess(t, { kind: "signaled", signal: sig });
    if (this.#inSyscall) this.#deferredSignal = { tid: t.tid, sig };
    else this.#reportSignal(t.tid, sig);
  }

  #reportSignal(tid: number, sig: number): void {
    const m = this.opts.mode;
    if (m.kind === "record") m.recorder.signal(tid, sig, this.ic);
    else if (m.kind === "replay") m.source.signal(tid, sig, this.ic);
  }

  #switched(t: Task): void {
    const m = this.opts.mode;
    if (m.kind === "record") m.recorder.switchTo(t.tid, this.ic);
    else if (m.kind === "replay") m.source.switchTo(t.tid, this.ic);
  }

  /** A CPU fault: the signal's default action (handlers come later). */
  #fault(t: Task, sig: number, _addr: number): void {
    if (sig === SIG.ILL) {
      const eip = t.cpu.eip >>> 0;
      const bytes: string[] = [];
      for (let i = 0; i < 8 && this.mem.check(eip + i, 1, 0); i++) {
        bytes.push(this.mem.readBytes(eip + i, 1)[0].toString(16).padStart(2, "0"));
      }
      const shown = bytes.length > 0 ? bytes.join(" ") + " ..." : "(unmapped)";
      this.host.writeStderr(enc.encode(`dejavu: SIGILL at 0x${hex(eip)}: bytes ${shown}\n`));
    }
    // a fault that cannot be handled kills even when the signal is ignored or blocked
    this.#kill(t, sig);
  }

  // ---- syscall entry ----

  #syscall(t: Task): void {
    const r = t.cpu.regs;
    const nr = r[Reg.EAX] >>> 0;
    const args = [
      r[Reg.EBX] >>> 0,
      r[Reg.ECX] >>> 0,
      r[Reg.EDX] >>> 0,
      r[Reg.ESI] >>> 0,
      r[Reg.EDI] >>> 0,
      r[Reg.EBP] >>> 0,
    ];
    const row = SYSCALL_TABLE[nr];
    const mode = this.opts.mode;
    let ret: number;
    this.#inSyscall = true;
    try {
      if (mode.kind === "run") {
        ret = this.#invoke(t, nr, args);
      } else if (mode.kind === "record") {
        const cap: Capture = { mem: [] };
        this.#capture = cap;
        try {
          ret = this.#invoke(t, nr, args);
        } finally {
          this.#capture = null;
        }
        mode.recorder.syscall({
          tid: t.tid,
          ic: this.ic,
          nr,
          name: row?.name ?? syscallName(nr),
          args,
          ret,
          mem: cap.mem,
          out: cap.out,
          enosys: row === undefined ? true : undefined,
        });
      } else {
        const o = mode.source.syscall(t.tid, this.ic, nr, args);
        const mapped = nr === 90 || nr === 192 ? replayFileMmap(this, nr, args, o.ret) : null;
        if (mapped !== null) {
          for (const [addr, bytes] of o.mem) this.mem.writeBytes(addr, bytes);
          ret = mapped;
        } else if (row?.reexec) {
          ret = this.#invoke(t, nr, args);
          mode.source.checkResult(ret);
        } else {
          if (row === undefined) this.#countUnimplemented(nr);
          for (const [addr, bytes] of o.mem) this.mem.writeBytes(addr, bytes);
          if (o.out) this.output(o.out.fd, o.out.bytes);
          ret = o.ret;
        }
      }
    } finally {
      this.#inSyscall = false;
    }
    if (this.#deferredSignal) {
      const d = this.#deferredSignal;
      this.#deferredSignal = null;
      this.#reportSignal(d.tid, d.sig);
    }
    if (t.state.kind !== "exited") r[Reg.EAX] = ret;
  }

  #invoke(t: Task, nr: number, a: number[]): number {
    const row = SYSCALL_TABLE[nr];
    if (row === undefined) {
      this.#countUnimplemented(nr);
      return -Errno.ENOSYS;
    }
    return row.handler(this, t, a[0], a[1], a[2], a[3], a[4], a[5]) | 0;
  }

  #countUnimplemented(nr: number): void {
    const name = syscallName(nr);
    this.unimplemented.set(name, (this.unimplemented.get(name) ?? 0) + 1);
  }

  // ---- guest memory and output ----

  /**
   * Guest output to the host's stdout (fd 1) or stderr (fd 2); the recorder keeps a copy in the
   * event so replay and dump can reproduce it.
   */
  output(fd: 1 | 2, bytes: Uint8Array): void {
    const cap = this.#capture;
    if (cap !== null && bytes.length > 0) {
      if (cap.out === undefined) cap.out = { fd, bytes: bytes.slice() };
      else cap.out = { fd: cap.out.fd, bytes: concat(cap.out.bytes, bytes) };
    }
    if (fd === 1) this.host.writeStdout(bytes);
    else this.host.writeStderr(bytes);
  }

  /** Guest → kernel copy; null when any byte is unreadable (the caller returns -EFAULT). */
  copyIn(addr: number, len: number): Uint8Array | null {
    if (!this.mem.check(addr, len, 1)) return null;
    return this.mem.readBytes(addr, len);
  }

  /** Kernel → guest copy, observed by the recorder; false when unwritable (→ -EFAULT). */
  copyOut(addr: number, bytes: Uint8Array): boolean {
    if (!this.mem.check(addr, bytes.length, 2)) return false;
    this.copyOutKernel(addr, bytes);
    return true;
  }

  /**
   * Kernel → guest copy that ignores write protection (filling a read-only file mapping);
   * the caller has mapped the range. Observed by the recorder like copyOut.
   */
  copyOutKernel(addr: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#capture?.mem.push([addr >>> 0, bytes.slice()]);
    this.mem.writeBytes(addr, bytes);
  }

  /** Reads a NUL-terminated string; null on a bad pointer, or when longer than max (→ caller's errno). */
  readCString(addr: number, max = 4096): string | null {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      if (!this.mem.check(addr + i, 1, 1)) return null;
      const b = this.mem.readBytes(addr + i, 1)[0];
      if (b === 0) return new TextDecoder().decode(new Uint8Array(out));
      out.push(b);
    }
    return null;
  }
}

const enc = new TextEncoder();

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** argv[0] resolved against cwd when it has a slash (as execve would), else under /bin. */
export function defaultExePath(argv0: string, cwd: string): string {
  if (!argv0.includes("/")) return "/bin/" + argv0;
  const parts: string[] = [];
  const full = argv0.startsWith("/") ? argv0 : `${cwd}/${argv0}`;
  for (const c of full.split("/")) {
    if (c === "" || c === ".") continue;
    if (c === "..") parts.pop();
    else parts.push(c);
  }
  return "/" + parts.join("/");
}
