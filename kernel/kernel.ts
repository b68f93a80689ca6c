/** @module The deterministic virtual kernel: owns clock, random, vfs, tasks and the syscall entry. */
import { Cpu, Reg } from "../core/cpu.ts";
import { cpuid } from "../core/cpuid.ts";
import { run } from "../core/interpreter.ts";
import { Memory, MEMORY_FAULT } from "../core/memory.ts";
import { Errno } from "./abi/errno.ts";
import { SA, SEGV_CODE, SI, SIG, SIG_DFL, SIG_IGN, SS } from "./abi/signal.ts";
import { Clock, NS_PER_INSN, TSC_PER_INSN } from "./clock.ts";
import { UserError } from "./errors.ts";
import { FileMappings } from "./file_mappings.ts";
import type { KernelMode, RecordedOutcome } from "./hooks.ts";
import type { Host } from "./host.ts";
import { loadElf, parseElf } from "./loader/elf.ts";
import { buildInitialStack, stackProt } from "./loader/initial_stack.ts";
import { Random } from "./random.ts";
import { Scheduler } from "./scheduler.ts";
import { frameLayout, setupFrame, type StackT } from "./signal_frame.ts";
import {
  defaultAction,
  isRestartCode,
  killsByDefault,
  RESTART,
  sigbit,
  type SigInfo,
} from "./signals.ts";
import { stateHash } from "./state_hash.ts";
import { SYSCALL_TABLE, syscallName } from "./syscall_table.ts";
import { defaultRlimits } from "./syscalls/sys_info.ts";
import { replayFileMmap } from "./syscalls/sys_mm.ts";
import { timerSignalDelivered } from "./syscalls/sys_timer.ts";
import {
  type ExitStatus,
  INIT_PID,
  INIT_PPID,
  newTask,
  type Process,
  sharedPending,
  type SigAction,
  type Task,
  threadPending,
  type Timer,
} from "./task.ts";
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
  /** file-backed mappings, kept coherent with their files at syscall boundaries */
  readonly fileMaps: FileMappings = new FileMappings();
  /** guest path of the executable */
  exePath = "";
  progName = "";
  /**
   * Replay: the recorded outcome of the re-executed syscall in progress. Hybrid handlers (poll,
   * select) take their VFS-dependent part from it and re-run the rest (clock jumps, masks).
   */
  replayed: RecordedOutcome | null = null;
  #status: ExitStatus | undefined;
  #capture: Capture | null = null;
  /** a signal kill noticed inside a syscall: reported after the syscall's event */
  #deferredSignal: { tid: number; sig: number } | null = null;
  #inSyscall = false;
  /** threads whose last syscall returned a RESTART code: the code and the syscall number */
  readonly #restarts: Map<Task, { code: number; nr: number }> = new Map();
  /** what restart_syscall(2) runs for a thread (Linux current->restart_block) */
  readonly #restartBlocks: Map<Task, () => number> = new Map();

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

  /**
   * Runs until the process ends. Throws UserError when maxInstructions is reached or on deadlock;
   * either way, what the guest wrote to rw host mounts reaches the host.
   */
  run(): ExitStatus {
    try {
      return this.#run();
    } finally {
      this.#writeBack();
    }
  }

  /** Flushes shared file mappings and dirty host-backed files (never in replay: no host writes). */
  #writeBack(): void {
    if (this.opts.mode.kind === "replay") return;
    this.fileMaps.flushAll(this);
    this.vfs.sync();
  }

  #run(): ExitStatus {
    const max = this.opts.maxInstructions;
    while (this.#status === undefined) {
      const t = this.scheduler.next(this.current);
      if (t === null) throw new UserError("deadlock: every thread is blocked and no timer is set");
      if (t !== this.current) {
        this.current = t;
        this.#switched(t);
      }
      // return to user mode: expired timers fire, pending signals are delivered
      this.fireTimers();
      this.deliverSignals(t);
      if (this.#status !== undefined || t.state.kind !== "runnable") continue;
      let budget = Math.min(this.scheduler.quantum(), this.#timerBudget());
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
      else if (stop.kind === "fault") this.#fault(t, stop.signal, stop.code, stop.addr);
      else if (stop.kind === "halt") this.#fault(t, SIG.SEGV, SI.KERNEL, 0); // hlt is privileged: #GP
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
   * Generates `sig` for thread `t` (or, with `toProcess`, for its process): a signal that would be
   * ignored is dropped unless blocked; otherwise it waits in a pending queue until the next return
   * to user mode (deliverSignals) or a sigwait takes it.
   */
  sendSignal(
    t: Task,
    sig: number,
    info: SigInfo = { signo: sig, code: SI.KERNEL },
    toProcess = false,
  ): void {
    if (sig < 1 || sig > 64) return;
    if ((t.sigmask & sigbit(sig)) === 0n && this.#ignored(t.proc, sig)) return;
    (toProcess ? sharedPending(t.proc) : threadPending(t)).add({ ...info, signo: sig });
  }

  /**
   * A write to a pipe or stream socket without a reader (Linux send_sig(SIGPIPE, current, 0)):
   * thread-directed, SI_USER from the process itself. The call still returns -EPIPE.
   */
  raiseSigpipe(t: Task): void {
    this.sendSignal(t, SIG.PIPE, { signo: SIG.PIPE, code: SI.USER, pid: t.proc.pid });
  }

  /** Pending signals of `t`: its own and its process's. */
  pendingSignals(t: Task): bigint {
    return threadPending(t).bits | sharedPending(t.proc).bits;
  }

  /** Takes the next pending signal among `allowed` (thread queue first), as dequeue_signal. */
  dequeueSignal(t: Task, allowed: bigint): SigInfo | undefined {
    for (;;) {
      let sig = threadPending(t).next(allowed);
      let info: SigInfo | undefined;
      if (sig !== 0) info = threadPending(t).take(sig);
      else {
        const shared = sharedPending(t.proc);
        sig = shared.next(allowed);
        if (sig !== 0) info = shared.take(sig);
      }
      if (info?.discard) continue; // its timer was deleted or re-armed meanwhile
      if (info?.code === SI.TIMER) timerSignalDelivered(t.proc, info);
      return info;
    }
  }

  /** Drops pending instances of `sig` everywhere (its disposition became "ignore"). */
  discardSignal(proc: Process, sig: number): void {
    sharedPending(proc).flush(sigbit(sig));
    for (const x of this.tasks) if (x.proc === proc) threadPending(x).flush(sigbit(sig));
  }

  #ignored(proc: Process, sig: number): boolean {
    const h = proc.sigactions[sig]?.handler ?? SIG_DFL;
    return h === SIG_IGN || (h === SIG_DFL && defaultAction(sig) === "ign");
  }

  /**
   * Return to user mode for `t` (Linux get_signal/handle_signal in a loop): each pending signal
   * that `t` does not block is ignored, kills the process, or gets a frame on the stack; frames of
   * several signals nest. Each delivery and kill is reported to the recorder / checked in replay.
   */
  deliverSignals(t: Task): void {
    let restart = this.#restarts.get(t);
    if (restart !== undefined) this.#restarts.delete(t);
    while (this.#status === undefined && t.state.kind !== "exited") {
      const info = this.dequeueSignal(t, ~t.sigmask);
      if (info === undefined) break;
      const sig = info.signo;
      const act = t.proc.sigactions[sig];
      const h = act?.handler ?? SIG_DFL;
      if (h === SIG_IGN) continue;
      if (h === SIG_DFL || act === undefined) {
        if (sig === SIG.ILL && info.fault) this.#reportIll(t);
        if (killsByDefault(sig)) this.#kill(t, sig);
        continue; // "ign", "cont"; "stop": no job control, so the stop is ignored
      }
      if (restart !== undefined) {
        this.#restartSyscall(t, restart, act);
        restart = undefined;
      }
      if (this.#setupHandler(t, info, act)) this.#reportSignal(t.tid, sig);
      else this.#forceSigsegv(t, sig);
    }
    if (restart !== undefined && t.state.kind !== "exited") this.#restartSyscall(t, restart);
    if (t.savedMask !== undefined && t.state.kind !== "exited") {
      t.sigmask = t.savedMask;
      t.savedMask = undefined;
    }
  }

  /**
   * Resolves a RESTART result as Linux handle_signal (a handler `act` runs) or the no-handler
   * path does: -EINTR, or eax = the syscall number (restart_syscall for RESTART.BLOCK) and eip
   * back on the `int 0x80`.
   */
  #restartSyscall(t: Task, r: { code: number; nr: number }, act?: SigAction): void {
    const regs = t.cpu.regs;
    let again: boolean;
    if (r.code === RESTART.NOINTR) again = true;
    else if (r.code === RESTART.SYS) again = act === undefined || (act.flags & SA.RESTART) !== 0;
    else again = act === undefined;
    if (!again) {
      regs[Reg.EAX] = -Errno.EINTR;
      return;
    }
    regs[Reg.EAX] = r.code === RESTART.BLOCK ? NR_RESTART_SYSCALL : r.nr;
    t.cpu.eip = (t.cpu.eip - 2) >>> 0;
  }

  /** Sets (or with undefined, clears) what restart_syscall(2) will run for `t`. */
  setRestartBlock(t: Task, fn: (() => number) | undefined): void {
    if (fn === undefined) this.#restartBlocks.delete(t);
    else this.#restartBlocks.set(t, fn);
  }

  /** Takes `t`'s restart block (restart_syscall); undefined when none is set. */
  takeRestartBlock(t: Task): (() => number) | undefined {
    const fn = this.#restartBlocks.get(t);
    this.#restartBlocks.delete(t);
    return fn;
  }

  /** True when `sp` is inside t's enabled alternate stack (Linux on_sig_stack). */
  onSigStack(t: Task, sp: number): boolean {
    const a = t.altStack;
    if (a === undefined || a.size === 0 || (a.flags & SS.AUTODISARM) !== 0) return false;
    return sp > a.sp && sp - a.sp <= a.size;
  }

  #setupHandler(t: Task, info: SigInfo, act: SigAction): boolean {
    const cpu = t.cpu, sig = info.signo;
    const esp = cpu.regs[Reg.ESP] >>> 0;
    const wasOnStack = this.onSigStack(t, esp);
    const alt = t.altStack;
    let sp = esp;
    let switched = false;
    if ((act.flags & SA.ONSTACK) !== 0 && alt !== undefined && alt.size !== 0 && !wasOnStack) {
      sp = (alt.sp + alt.size) >>> 0;
      switched = true;
    }
    const rt = (act.flags & SA.SIGINFO) !== 0;
    const { frame } = frameLayout(sp, rt);
    // a frame that would run off the alternate stack is a failure, as in Linux get_sigframe
    if ((wasOnStack || switched) && !withinAltStack(alt, frame)) return false;
    const ok = setupFrame(this.mem, cpu, {
      sig,
      info,
      rt,
      handler: act.handler,
      restorer: (act.flags & SA.RESTORER) !== 0 ? act.restorer : 0,
      sp,
      mask: t.savedMask ?? t.sigmask,
      stack: alt === undefined ? { sp: 0, flags: 0, size: 0 } : { ...alt },
      trap: t.trap ?? { trapno: 0, err: 0, cr2: 0 },
      fault: info.fault === true,
    });
    if (!ok) return false;
    if (switched && alt !== undefined && (alt.flags & SS.AUTODISARM) !== 0) {
      t.altStack = { sp: 0, size: 0, flags: SS.DISABLE };
    }
    t.savedMask = undefined;
    t.sigmask |= act.mask | ((act.flags & SA.NODEFER) !== 0 ? 0n : sigbit(sig));
    if ((act.flags & SA.RESETHAND) !== 0) t.proc.sigactions[sig] = { ...act, handler: SIG_DFL };
    return true;
  }

  /** A frame could not be written: SIGSEGV, which kills if it was SIGSEGV's own frame. */
  #forceSigsegv(t: Task, sig: number): void {
    if (sig === SIG.SEGV) {
      const a = t.proc.sigactions[SIG.SEGV];
      if (a !== undefined) t.proc.sigactions[SIG.SEGV] = { ...a, handler: SIG_DFL };
    }
    this.forceSignal(t, { signo: SIG.SEGV, code: SI.KERNEL });
  }

  /** Linux force_sig_info: a blocked or ignored signal gets its default action and is unblocked. */
  forceSignal(t: Task, info: SigInfo): void {
    const sig = info.signo, bit = sigbit(sig);
    const act = t.proc.sigactions[sig];
    const blocked = (t.sigmask & bit) !== 0n;
    if (blocked || act?.handler === SIG_IGN) {
      if (act !== undefined) t.proc.sigactions[sig] = { ...act, handler: SIG_DFL };
      t.sigmask &= ~bit;
    }
    threadPending(t).add(info);
  }

  // ---- timers ----

  /** Sends the signals of every timer whose time has come and re-arms periodic ones. */
  fireTimers(): void {
    const procs = new Set(this.tasks.map((x) => x.proc));
    for (const proc of procs) {
      const timers = proc.timers;
      if (timers === undefined || timers.size === 0) continue;
      for (const [name, tm] of [...timers].sort((a, b) => cmp(a[1].due, b[1].due))) {
        const now = this.#timerNow(tm);
        if (now < tm.due) continue;
        let overrun = 0n;
        if (tm.interval > 0n) {
          overrun = (now - tm.due) / tm.interval;
          tm.due += (overrun + 1n) * tm.interval;
        } else timers.delete(name);
        if (tm.info.signo === 0) continue; // SIGEV_NONE
        const thread = tm.info.thread;
        const target = this.tasks.find((x) =>
          x.proc === proc && x.state.kind !== "exited" && (thread === undefined || x.tid === thread)
        );
        if (target === undefined) continue;
        if (tm.info.timerid === undefined) {
          this.sendSignal(target, tm.info.signo, tm.info, true);
          continue;
        }
        // a POSIX timer has one signal in flight: expiries while it is pending are overruns
        const queue = thread === undefined ? sharedPending(proc) : threadPending(target);
        const queued = queue.items.find((x) =>
          x.code === SI.TIMER && x.timerid === tm.info.timerid && !x.discard
        );
        if (queued !== undefined) queued.overrun = (queued.overrun ?? 0) + 1 + Number(overrun);
        else {
          const info = { ...tm.info, overrun: Number(overrun) };
          this.sendSignal(target, info.signo, info, thread === undefined);
        }
      }
    }
  }

  #timerNow(tm: Timer): bigint {
    return tm.clock === "real" ? this.clock.uptimeNs(this.ic) : this.clock.cpuNs(this.ic);
  }

  /** Instructions until the next timer expires (the run stops there, deterministically). */
  #timerBudget(): number {
    let best = Number.MAX_SAFE_INTEGER;
    for (const t of this.tasks) {
      if (t.proc.timers === undefined) continue;
      for (const tm of t.proc.timers.values()) {
        const left = tm.due - this.#timerNow(tm);
        const n = Number((left + BigInt(NS_PER_INSN) - 1n) / BigInt(NS_PER_INSN));
        best = Math.min(best, Math.max(1, n));
      }
    }
    return best;
  }

  /**
   * Blocks `t` until `ready()` (typically: a signal it waits for is pending) or until logical
   * uptime `deadline` (ns). Nothing else can run, so logical time jumps to each real timer in
   * turn. Returns false on timeout; throws UserError when nothing could ever wake it.
   */
  waitFor(t: Task, ready: () => boolean, deadline?: bigint): boolean {
    for (;;) {
      if (this.#status !== undefined || ready()) return true;
      const now = this.clock.uptimeNs(this.ic);
      if (deadline !== undefined && now >= deadline) return false;
      let next = deadline;
      for (const tm of t.proc.timers?.values() ?? []) {
        if (tm.clock === "real" && (next === undefined || tm.due < next)) next = tm.due;
      }
      if (next === undefined) {
        throw new UserError(
          `deadlock: thread ${t.tid} waits for a signal and no timer is set ` +
            `(eip 0x${hex(t.cpu.eip)})`,
        );
      }
      this.clock.advance(next - now);
      this.fireTimers();
    }
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

  /**
   * A CPU exception: the thread's trap state is set as Linux would (trapno, error code, cr2) and
   * the signal is forced (a blocked or ignored fault signal kills). Delivery follows at once.
   */
  #fault(t: Task, sig: number, code: number, addr: number): void {
    const info: SigInfo = { signo: sig, code, fault: true };
    if (sig === SIG.SEGV && (code === SEGV_CODE.MAPERR || code === SEGV_CODE.ACCERR)) {
      // #PF: error code U | W (write) | P (protection) | I (fetch), cr2 = the address
      const access = MEMORY_FAULT.access;
      const err = 4 | (access === 1 ? 2 : 0) | (code === SEGV_CODE.ACCERR ? 1 : 0) |
        (access === 2 ? 0x10 : 0);
      t.trap = { trapno: 14, err, cr2: addr >>> 0 };
      info.addr = addr >>> 0;
    } else {
      t.trap = { trapno: TRAPNO[sig] ?? 13, err: 0, cr2: t.trap?.cr2 ?? 0 };
      if (code !== SI.KERNEL) info.addr = addr >>> 0;
    }
    this.forceSignal(t, info);
  }

  #reportIll(t: Task): void {
    const eip = t.cpu.eip >>> 0;
    const bytes: string[] = [];
    for (let i = 0; i < 8 && this.mem.check(eip + i, 1, 0); i++) {
      bytes.push(this.mem.readBytes(eip + i, 1)[0].toString(16).padStart(2, "0"));
    }
    const shown = bytes.length > 0 ? bytes.join(" ") + " ..." : "(unmapped)";
    this.host.writeStderr(enc.encode(`dejavu: SIGILL at 0x${hex(eip)}: bytes ${shown}\n`));
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
          this.replayed = o;
          try {
            ret = this.#invoke(t, nr, args);
          } finally {
            this.replayed = null;
          }
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
    // Linux pipe_write and stream sockets raise SIGPIPE along with -EPIPE
    if (ret === -Errno.EPIPE && SIGPIPE_ON_EPIPE.has(nr)) this.raiseSigpipe(t);
    if (this.#deferredSignal) {
      const d = this.#deferredSignal;
      this.#deferredSignal = null;
      this.#reportSignal(d.tid, d.sig);
    }
    if (t.state.kind !== "exited") {
      r[Reg.EAX] = ret;
      if (isRestartCode(-ret)) this.#restarts.set(t, { code: -ret, nr });
    }
  }

  #invoke(t: Task, nr: number, a: number[]): number {
    const row = SYSCALL_TABLE[nr];
    if (row === undefined) {
      this.#countUnimplemented(nr);
      return -Errno.ENOSYS;
    }
    // shared file mappings: guest stores reach the file before the call, file changes reach
    // the mappings after it (recorded; reexec rows would lose the copy in replay, so not then)
    this.fileMaps.flush(this);
    const ret = row.handler(this, t, a[0], a[1], a[2], a[3], a[4], a[5]) | 0;
    if (!row.reexec) this.fileMaps.refresh(this);
    return ret;
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

/** write, writev: their -EPIPE raises SIGPIPE (send/sendmsg call raiseSigpipe unless MSG_NOSIGNAL). */
const SIGPIPE_ON_EPIPE: ReadonlySet<number> = new Set([4, 146]);

/** restart_syscall(2), what an interrupted RESTART.BLOCK call resumes through. */
const NR_RESTART_SYSCALL = 0;

/** The x86 exception behind each fault signal, for sigcontext.trapno (#DE, #UD, #BP, #GP). */
const TRAPNO: Record<number, number> = { [SIG.FPE]: 0, [SIG.ILL]: 6, [SIG.TRAP]: 3, [SIG.BUS]: 13 };

/** Linux __on_sig_stack: `sp` inside the alternate stack, whatever its flags. */
function withinAltStack(a: StackT | undefined, sp: number): boolean {
  return a !== undefined && sp > a.sp && sp - a.sp <= a.size;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

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
