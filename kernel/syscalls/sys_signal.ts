/**
 * @module Signal syscalls: sigaction, masks, sigaltstack, sending (kill, tgkill, tkill,
 * rt_sigqueueinfo), waiting (sigsuspend, pause, rt_sigtimedwait, sigpending) and sigreturn.
 * Delivery itself happens in Kernel.deliverSignals at each return to user mode.
 */
import { Reg } from "../../core/cpu.ts";
import { Errno } from "../abi/errno.ts";
import {
  KSIGACTION_SIZE,
  MINSIGSTKSZ,
  NSIG,
  SI,
  SIG,
  SIG_DFL,
  SIG_HOW,
  SIG_IGN,
  SIGINFO_SIZE,
  SIGSET_SIZE,
  SS,
  STACK_T_SIZE,
} from "../abi/signal.ts";
import type { Kernel } from "../kernel.ts";
import { encodeSiginfo, restoreFrame } from "../signal_frame.ts";
import { defaultAction, RESTART, type SigInfo, UNBLOCKABLE } from "../signals.ts";
import type { SigAction, Task } from "../task.ts";
import { readTimespec } from "./sys_time.ts";

function encodeAction(a: SigAction | undefined): Uint8Array {
  const b = new Uint8Array(KSIGACTION_SIZE);
  if (a === undefined) return b;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, a.handler, true);
  dv.setUint32(4, a.flags, true);
  dv.setUint32(8, a.restorer, true);
  dv.setBigUint64(12, a.mask, true);
  return b;
}

/** Implements Linux syscall rt_sigaction(2). */
export function sysRtSigaction(
  k: Kernel,
  t: Task,
  sig: number,
  act: number,
  oact: number,
  sigsetsize: number,
): number {
  if (sigsetsize !== SIGSET_SIZE) return -Errno.EINVAL;
  if (sig < 1 || sig > NSIG) return -Errno.EINVAL;
  let next: SigAction | undefined;
  if (act !== 0) {
    if (sig === SIG.KILL || sig === SIG.STOP) return -Errno.EINVAL;
    const raw = k.copyIn(act, KSIGACTION_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    next = {
      handler: dv.getUint32(0, true),
      flags: dv.getUint32(4, true),
      restorer: dv.getUint32(8, true),
      mask: dv.getBigUint64(12, true) & ~UNBLOCKABLE,
    };
  }
  const acts = t.proc.sigactions;
  if (oact !== 0 && !k.copyOut(oact, encodeAction(acts[sig]))) return -Errno.EFAULT;
  if (next !== undefined) {
    acts[sig] = next;
    // a signal whose disposition becomes "ignore" is dropped from every pending queue
    const h = next.handler;
    if (h === SIG_IGN || (h === SIG_DFL && defaultAction(sig) === "ign")) {
      k.discardSignal(t.proc, sig);
    }
  }
  return 0;
}

/** Implements Linux syscall rt_sigprocmask(2); unblocked pending signals arrive on return. */
export function sysRtSigprocmask(
  k: Kernel,
  t: Task,
  how: number,
  set: number,
  oset: number,
  sigsetsize: number,
): number {
  if (sigsetsize !== SIGSET_SIZE) return -Errno.EINVAL;
  let next: bigint | null = null;
  if (set !== 0) {
    const raw = k.copyIn(set, 8);
    if (raw === null) return -Errno.EFAULT;
    const v = new DataView(raw.buffer).getBigUint64(0, true);
    if (how === SIG_HOW.BLOCK) next = t.sigmask | v;
    else if (how === SIG_HOW.UNBLOCK) next = t.sigmask & ~v;
    else if (how === SIG_HOW.SETMASK) next = v;
    else return -Errno.EINVAL;
  }
  if (oset !== 0) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, t.sigmask, true);
    if (!k.copyOut(oset, b)) return -Errno.EFAULT;
  }
  if (next !== null) t.sigmask = next & ~UNBLOCKABLE;
  return 0;
}

/** Implements Linux syscall sigaltstack(2). */
export function sysSigaltstack(k: Kernel, t: Task, ss: number, oss: number): number {
  const sp = t.cpu.regs[Reg.ESP] >>> 0;
  const cur = t.altStack ?? { sp: 0, size: 0, flags: 0 };
  const old = new Uint8Array(STACK_T_SIZE);
  const odv = new DataView(old.buffer);
  odv.setUint32(0, cur.sp, true);
  const state = cur.size === 0 ? SS.DISABLE : k.onSigStack(t, sp) ? SS.ONSTACK : 0;
  odv.setUint32(4, (state | (cur.flags & SS.AUTODISARM)) >>> 0, true);
  odv.setUint32(8, cur.size, true);
  if (ss !== 0) {
    const raw = k.copyIn(ss, STACK_T_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    const r = setAltStack(
      k,
      t,
      dv.getUint32(0, true),
      dv.getUint32(4, true),
      dv.getUint32(8, true),
    );
    if (r !== 0) return r;
  }
  if (oss !== 0 && !k.copyOut(oss, old)) return -Errno.EFAULT;
  return 0;
}

/** Linux do_sigaltstack's checks and update (also used by rt_sigreturn for uc_stack). */
function setAltStack(k: Kernel, t: Task, sp: number, flags: number, size: number): number {
  if (k.onSigStack(t, t.cpu.regs[Reg.ESP] >>> 0)) return -Errno.EPERM;
  const mode = (flags & ~SS.AUTODISARM) >>> 0;
  if (mode !== 0 && mode !== SS.DISABLE && mode !== SS.ONSTACK) return -Errno.EINVAL;
  if (mode === SS.DISABLE) t.altStack = { sp: 0, size: 0, flags: flags >>> 0 };
  else {
    if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
    t.altStack = { sp, size, flags: flags >>> 0 };
  }
  return 0;
}

// ---- sending ----

function validSignal(sig: number): boolean {
  return sig >= 0 && sig <= NSIG;
}

/**
 * Implements Linux syscall kill(2): only this process (and its group) exists; pid -1 means every
 * other process, none of which is emulated, so it succeeds without sending anything.
 */
export function sysKill(k: Kernel, t: Task, pid: number, sig: number): number {
  const p = pid | 0;
  if (!validSignal(sig)) return -Errno.EINVAL;
  if (p === -1) return 0;
  if (p !== 0 && p !== t.proc.pid && p !== -t.proc.pid) return -Errno.ESRCH;
  if (sig !== 0) k.sendSignal(t, sig, { signo: sig, code: SI.USER, pid: t.proc.pid }, true);
  return 0;
}

function findThread(k: Kernel, tgid: number, tid: number): Task | undefined {
  return k.tasks.find((x) =>
    x.tid === tid && (tgid === -1 || x.proc.pid === tgid) && x.state.kind !== "exited"
  );
}

/** Implements Linux syscall tgkill(2). */
export function sysTgkill(k: Kernel, t: Task, tgid: number, tid: number, sig: number): number {
  if ((tgid | 0) <= 0 || (tid | 0) <= 0 || !validSignal(sig)) return -Errno.EINVAL;
  const target = findThread(k, tgid, tid);
  if (target === undefined) return -Errno.ESRCH;
  if (sig !== 0) k.sendSignal(target, sig, { signo: sig, code: SI.TKILL, pid: t.proc.pid });
  return 0;
}

/** Implements Linux syscall tkill(2). */
export function sysTkill(k: Kernel, t: Task, tid: number, sig: number): number {
  if ((tid | 0) <= 0 || !validSignal(sig)) return -Errno.EINVAL;
  const target = findThread(k, -1, tid);
  if (target === undefined) return -Errno.ESRCH;
  if (sig !== 0) k.sendSignal(target, sig, { signo: sig, code: SI.TKILL, pid: t.proc.pid });
  return 0;
}

function userInfo(k: Kernel, uinfo: number): SigInfo | number {
  const raw = k.copyIn(uinfo, SIGINFO_SIZE);
  if (raw === null) return -Errno.EFAULT;
  const code = new DataView(raw.buffer).getInt32(8, true);
  return { signo: 0, code, raw };
}

/** Implements Linux syscall rt_sigqueueinfo(2): to this process, any si_code is allowed. */
export function sysRtSigqueueinfo(
  k: Kernel,
  t: Task,
  tgid: number,
  sig: number,
  uinfo: number,
): number {
  const info = userInfo(k, uinfo);
  if (typeof info === "number") return info;
  if (!validSignal(sig)) return -Errno.EINVAL;
  if ((tgid | 0) !== t.proc.pid) return -Errno.ESRCH;
  if (sig !== 0) k.sendSignal(t, sig, { ...info, signo: sig }, true);
  return 0;
}

/** Implements Linux syscall rt_tgsigqueueinfo(2). */
export function sysRtTgsigqueueinfo(
  k: Kernel,
  _t: Task,
  tgid: number,
  tid: number,
  sig: number,
  uinfo: number,
): number {
  const info = userInfo(k, uinfo);
  if (typeof info === "number") return info;
  if ((tgid | 0) <= 0 || (tid | 0) <= 0 || !validSignal(sig)) return -Errno.EINVAL;
  const target = findThread(k, tgid, tid);
  if (target === undefined) return -Errno.ESRCH;
  if (sig !== 0) k.sendSignal(target, sig, { ...info, signo: sig });
  return 0;
}

// ---- waiting ----

function copyMask(k: Kernel, addr: number, mask: bigint, size: number): boolean {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  if (size === 8) dv.setBigUint64(0, mask, true);
  else dv.setUint32(0, Number(mask & 0xffffffffn), true);
  return k.copyOut(addr, b);
}

/** Implements Linux syscall rt_sigpending(2): pending signals that are blocked. */
export function sysRtSigpending(k: Kernel, t: Task, set: number, sigsetsize: number): number {
  if (sigsetsize > SIGSET_SIZE) return -Errno.EINVAL;
  const mask = k.pendingSignals(t) & t.sigmask;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, mask, true);
  return k.copyOut(set, b.subarray(0, sigsetsize)) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall sigpending(2) (old 32-bit set). */
export function sysSigpending(k: Kernel, t: Task, set: number): number {
  return copyMask(k, set, k.pendingSignals(t) & t.sigmask, 4) ? 0 : -Errno.EFAULT;
}

/** Waits with `mask` in place until an unblocked signal is pending; the handler sees the old mask. */
function suspend(k: Kernel, t: Task, mask: bigint): number {
  t.savedMask = t.sigmask;
  t.sigmask = mask & ~UNBLOCKABLE;
  k.waitFor(t, () => (k.pendingSignals(t) & ~t.sigmask) !== 0n);
  return -RESTART.NOHAND;
}

/** Implements Linux syscall rt_sigsuspend(2): -EINTR once a handler runs, never restarted. */
export function sysRtSigsuspend(k: Kernel, t: Task, set: number, sigsetsize: number): number {
  if (sigsetsize !== SIGSET_SIZE) return -Errno.EINVAL;
  const raw = k.copyIn(set, 8);
  if (raw === null) return -Errno.EFAULT;
  return suspend(k, t, new DataView(raw.buffer).getBigUint64(0, true));
}

/** Implements Linux syscall sigsuspend(2) (i386: the old mask is the third argument). */
export function sysSigsuspend(k: Kernel, t: Task, _a: number, _b: number, mask: number): number {
  return suspend(k, t, (t.sigmask & ~0xffffffffn) | BigInt(mask >>> 0));
}

/** Implements Linux syscall pause(2). */
export function sysPause(k: Kernel, t: Task): number {
  k.waitFor(t, () => (k.pendingSignals(t) & ~t.sigmask) !== 0n);
  return -RESTART.NOHAND;
}

/** Implements Linux syscall restart_syscall(2): resumes an interrupted sleep, else -EINTR. */
export function sysRestartSyscall(k: Kernel, t: Task): number {
  return k.takeRestartBlock(t)?.() ?? -Errno.EINTR;
}

function sigtimedwait(
  k: Kernel,
  t: Task,
  uthese: number,
  uinfo: number,
  uts: number,
  sigsetsize: number,
  wide: boolean,
): number {
  if (sigsetsize !== SIGSET_SIZE) return -Errno.EINVAL;
  const raw = k.copyIn(uthese, 8);
  if (raw === null) return -Errno.EFAULT;
  const which = new DataView(raw.buffer).getBigUint64(0, true) & ~UNBLOCKABLE;
  let timeout: bigint | undefined;
  if (uts !== 0) {
    const ns = readTimespec(k, uts, wide);
    if (typeof ns === "number") return ns;
    timeout = ns;
  }
  let info = k.dequeueSignal(t, which);
  if (info === undefined && timeout !== 0n) {
    const deadline = timeout === undefined ? undefined : k.clock.uptimeNs(k.ic) + timeout;
    k.waitFor(t, () => (k.pendingSignals(t) & (which | ~t.sigmask)) !== 0n, deadline);
    info = k.dequeueSignal(t, which);
    if (info === undefined && (k.pendingSignals(t) & ~t.sigmask) !== 0n) return -Errno.EINTR;
  }
  if (info === undefined) return -Errno.EAGAIN;
  if (uinfo !== 0 && !k.copyOut(uinfo, encodeSiginfo(info))) return -Errno.EFAULT;
  return info.signo;
}

/** Implements Linux syscall rt_sigtimedwait(2) (32-bit timespec). */
export function sysRtSigtimedwait(
  k: Kernel,
  t: Task,
  uthese: number,
  uinfo: number,
  uts: number,
  sigsetsize: number,
): number {
  return sigtimedwait(k, t, uthese, uinfo, uts, sigsetsize, false);
}

/** Implements Linux syscall rt_sigtimedwait_time64. */
export function sysRtSigtimedwait64(
  k: Kernel,
  t: Task,
  uthese: number,
  uinfo: number,
  uts: number,
  sigsetsize: number,
): number {
  return sigtimedwait(k, t, uthese, uinfo, uts, sigsetsize, true);
}

// ---- return from a handler ----

function sigreturn(k: Kernel, t: Task, rt: boolean): number {
  k.setRestartBlock(t, undefined); // an interrupted sleep the handler ran over ends with EINTR
  const r = restoreFrame(k.mem, t.cpu, rt);
  if (r === null) {
    k.forceSignal(t, { signo: SIG.SEGV, code: SI.KERNEL });
    return 0;
  }
  t.sigmask = r.mask & ~UNBLOCKABLE;
  if (!r.fpuOk) {
    k.forceSignal(t, { signo: SIG.SEGV, code: SI.KERNEL });
    return 0;
  }
  if (r.stack !== undefined) setAltStack(k, t, r.stack.sp, r.stack.flags, r.stack.size);
  return t.cpu.regs[Reg.EAX];
}

/** Implements Linux syscall sigreturn(2): restores the context saved by the old frame. */
export function sysSigreturn(k: Kernel, t: Task): number {
  return sigreturn(k, t, false);
}

/** Implements Linux syscall rt_sigreturn(2): restores the ucontext of an rt frame. */
export function sysRtSigreturn(k: Kernel, t: Task): number {
  return sigreturn(k, t, true);
}
