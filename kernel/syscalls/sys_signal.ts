/**
 * @module Signal state syscalls: rt_sigaction, rt_sigprocmask, sigaltstack. The state is kept and
 * validated as Linux does; delivery to handlers comes later (kernel/signals.ts has the defaults).
 */
import { Errno } from "../abi/errno.ts";
import {
  KSIGACTION_SIZE,
  MINSIGSTKSZ,
  NSIG,
  SIG,
  SIG_HOW,
  SIGSET_SIZE,
  SS,
  STACK_T_SIZE,
} from "../abi/signal.ts";
import type { Kernel } from "../kernel.ts";
import { UNBLOCKABLE } from "../signals.ts";
import type { SigAction, Task } from "../task.ts";

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
  if (next !== undefined) acts[sig] = next;
  return 0;
}

/** Implements Linux syscall rt_sigprocmask(2); unblocking a pending signal acts on it. */
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
  if (next !== null) {
    t.sigmask = next & ~UNBLOCKABLE;
    k.flushPendingSignals(t);
  }
  return 0;
}

/** Implements Linux syscall sigaltstack(2). */
export function sysSigaltstack(k: Kernel, t: Task, ss: number, oss: number): number {
  let next: Task["altStack"] | null = null;
  if (ss !== 0) {
    const raw = k.copyIn(ss, STACK_T_SIZE);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    const sp = dv.getUint32(0, true), flags = dv.getUint32(4, true), size = dv.getUint32(8, true);
    const mode = flags & ~SS.AUTODISARM;
    if (mode !== 0 && mode !== SS.DISABLE && mode !== SS.ONSTACK) return -Errno.EINVAL;
    if (mode === SS.DISABLE) next = undefined;
    else {
      if (size < MINSIGSTKSZ) return -Errno.ENOMEM;
      next = { sp, size, flags: flags & SS.AUTODISARM };
    }
  }
  if (oss !== 0) {
    const b = new Uint8Array(STACK_T_SIZE);
    const dv = new DataView(b.buffer);
    const cur = t.altStack;
    if (cur === undefined) dv.setUint32(4, SS.DISABLE, true);
    else {
      dv.setUint32(0, cur.sp, true);
      dv.setUint32(4, cur.flags, true);
      dv.setUint32(8, cur.size, true);
    }
    if (!k.copyOut(oss, b)) return -Errno.EFAULT;
  }
  if (next !== null) t.altStack = next;
  return 0;
}
