/**
 * @module Scheduling knobs and per-thread attributes: getpriority/setpriority/nice, the
 * sched_* policy calls and prctl. Values are remembered and reported back; the seeded
 * scheduler ignores them, so they never change what the guest computes.
 */
import { Errno } from "../abi/errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Process, Task } from "../task.ts";

export const PRIO = { PROCESS: 0, PGRP: 1, USER: 2 } as const;
export const SCHED = { OTHER: 0, FIFO: 1, RR: 2, BATCH: 3, IDLE: 5, DEADLINE: 6 } as const;
export const SCHED_RESET_ON_FORK = 0x40000000;
export const PR = {
  SET_PDEATHSIG: 1,
  GET_PDEATHSIG: 2,
  GET_DUMPABLE: 3,
  SET_DUMPABLE: 4,
  SET_NAME: 15,
  GET_NAME: 16,
  SET_NO_NEW_PRIVS: 38,
  GET_NO_NEW_PRIVS: 39,
} as const;

const MIN_NICE = -20, MAX_NICE = 19;
/** MAX_RT_PRIO - 1 */
const MAX_RT_PRIORITY = 99;
/** TASK_COMM_LEN */
const COMM_LEN = 16;

// ---- nice ----

/** The threads `which`/`who` selects (Linux find_task_by_vpid, the process group, the uid). */
function prioTargets(k: Kernel, t: Task, which: number, who: number): Task[] {
  const live = k.tasks.filter((x) => x.state.kind !== "exited");
  if (which === PRIO.PROCESS) {
    return who === 0 ? [t] : live.filter((x) => x.tid === who);
  }
  // every process leads its own group; the guest runs as uid 0
  if (which === PRIO.PGRP) return live.filter((x) => x.proc.pid === (who || t.proc.pid));
  return who === 0 ? live : [];
}

/** Implements Linux syscall getpriority(2): the raw call returns 20 - nice (1..40); libc converts. */
export function sysGetpriority(k: Kernel, t: Task, which: number, who: number): number {
  if (which > PRIO.USER) return -Errno.EINVAL;
  let best = -Errno.ESRCH;
  for (const x of prioTargets(k, t, which, who | 0)) best = Math.max(best, 20 - (x.nice ?? 0));
  return best;
}

/** Implements Linux syscall setpriority(2): we are root, so lowering nice is allowed too. */
export function sysSetpriority(
  k: Kernel,
  t: Task,
  which: number,
  who: number,
  nice: number,
): number {
  if (which > PRIO.USER) return -Errno.EINVAL;
  const targets = prioTargets(k, t, which, who | 0);
  if (targets.length === 0) return -Errno.ESRCH;
  const v = Math.min(MAX_NICE, Math.max(MIN_NICE, nice | 0));
  for (const x of targets) x.nice = v;
  return 0;
}

/** Implements Linux syscall nice(2): adds `inc` (clamped) to the thread's nice; returns 0. */
export function sysNice(_k: Kernel, t: Task, inc: number): number {
  const step = Math.min(40, Math.max(-40, inc | 0));
  t.nice = Math.min(MAX_NICE, Math.max(MIN_NICE, (t.nice ?? 0) + step));
  return 0;
}

// ---- scheduling policy ----

/** Linux find_process_by_pid: 0 is the caller; a negative pid was refused before. */
function findTask(k: Kernel, t: Task, pid: number): Task | undefined {
  if (pid === 0) return t;
  return k.tasks.find((x) => x.tid === pid && x.state.kind !== "exited");
}

function rtPolicy(policy: number): boolean {
  return policy === SCHED.FIFO || policy === SCHED.RR;
}

const POLICIES: ReadonlySet<number> = new Set(Object.values(SCHED));

/** Implements Linux syscall sched_getscheduler(2). */
export function sysSchedGetscheduler(k: Kernel, t: Task, pid: number): number {
  if ((pid | 0) < 0) return -Errno.EINVAL;
  const x = findTask(k, t, pid);
  if (x === undefined) return -Errno.ESRCH;
  return x.sched?.policy ?? SCHED.OTHER;
}

/** Implements Linux syscall sched_getparam(2): struct sched_param is one int. */
export function sysSchedGetparam(k: Kernel, t: Task, pid: number, param: number): number {
  if (param === 0 || (pid | 0) < 0) return -Errno.EINVAL;
  const x = findTask(k, t, pid);
  if (x === undefined) return -Errno.ESRCH;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, x.sched?.priority ?? 0, true);
  return k.copyOut(param, out) ? 0 : -Errno.EFAULT;
}

/** Shared body of sched_setscheduler and sched_setparam (policy -1 keeps the policy). */
function setScheduler(k: Kernel, t: Task, pid: number, policy: number, param: number): number {
  if (param === 0 || (pid | 0) < 0) return -Errno.EINVAL;
  const raw = k.copyIn(param, 4);
  if (raw === null) return -Errno.EFAULT;
  const x = findTask(k, t, pid);
  if (x === undefined) return -Errno.ESRCH;
  const priority = new DataView(raw.buffer).getUint32(0, true);
  const p = policy === -1 ? x.sched?.policy ?? SCHED.OTHER : policy & ~SCHED_RESET_ON_FORK;
  if (!POLICIES.has(p) || p === SCHED.DEADLINE) return -Errno.EINVAL;
  if (priority > MAX_RT_PRIORITY || rtPolicy(p) !== (priority !== 0)) return -Errno.EINVAL;
  x.sched = { policy: p, priority };
  return 0;
}

/** Implements Linux syscall sched_setscheduler(2): remembered; the seeded scheduler ignores it. */
export function sysSchedSetscheduler(
  k: Kernel,
  t: Task,
  pid: number,
  policy: number,
  param: number,
): number {
  if ((policy | 0) < 0) return -Errno.EINVAL;
  return setScheduler(k, t, pid, policy, param);
}

/** Implements Linux syscall sched_setparam(2). */
export function sysSchedSetparam(k: Kernel, t: Task, pid: number, param: number): number {
  return setScheduler(k, t, pid, -1, param);
}

/** Implements Linux syscall sched_get_priority_max(2). */
export function sysSchedGetPriorityMax(_k: Kernel, _t: Task, policy: number): number {
  if (!POLICIES.has(policy)) return -Errno.EINVAL;
  return rtPolicy(policy) ? MAX_RT_PRIORITY : 0;
}

/** Implements Linux syscall sched_get_priority_min(2). */
export function sysSchedGetPriorityMin(_k: Kernel, _t: Task, policy: number): number {
  if (!POLICIES.has(policy)) return -Errno.EINVAL;
  return rtPolicy(policy) ? 1 : 0;
}

// ---- prctl ----

/** The thread's name: PR_SET_NAME's, else the executable's basename (15 bytes at most). */
export function commOf(k: Kernel, t: Task): Uint8Array {
  if (t.comm !== undefined) return t.comm;
  const base = k.exePath.split("/").pop() ?? "";
  return new TextEncoder().encode(base).subarray(0, COMM_LEN - 1);
}

/** get_dumpable per process (SUID_DUMP_USER by default) and no_new_privs per thread. */
const dumpable = new WeakMap<Process, number>();
const noNewPrivs = new WeakSet<Task>();

type PrctlOp = (k: Kernel, t: Task, a2: number, a3: number, a4: number, a5: number) => number;

const PRCTL: Record<number, PrctlOp> = {
  [PR.SET_PDEATHSIG]: (_k, t, sig) => {
    if (sig > 64) return -Errno.EINVAL;
    t.pdeathSig = sig;
    return 0;
  },
  [PR.GET_PDEATHSIG]: (k, t, addr) => {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, t.pdeathSig ?? 0, true);
    return k.copyOut(addr, out) ? 0 : -Errno.EFAULT;
  },
  [PR.GET_DUMPABLE]: (_k, t) => dumpable.get(t.proc) ?? 1,
  [PR.SET_DUMPABLE]: (_k, t, v) => {
    if (v !== 0 && v !== 1) return -Errno.EINVAL;
    dumpable.set(t.proc, v);
    return 0;
  },
  [PR.SET_NAME]: (k, t, addr) => {
    // strncpy_from_user of at most 15 bytes
    const name: number[] = [];
    for (let i = 0; i < COMM_LEN - 1; i++) {
      const b = k.copyIn(addr + i, 1);
      if (b === null) return -Errno.EFAULT;
      if (b[0] === 0) break;
      name.push(b[0]);
    }
    t.comm = new Uint8Array(name);
    return 0;
  },
  [PR.GET_NAME]: (k, t, addr) => {
    const out = new Uint8Array(COMM_LEN);
    out.set(commOf(k, t));
    return k.copyOut(addr, out) ? 0 : -Errno.EFAULT;
  },
  [PR.SET_NO_NEW_PRIVS]: (_k, t, a2, a3, a4, a5) => {
    if (a2 !== 1 || a3 || a4 || a5) return -Errno.EINVAL;
    noNewPrivs.add(t);
    return 0;
  },
  [PR.GET_NO_NEW_PRIVS]: (_k, t, a2, a3, a4, a5) => {
    if (a2 || a3 || a4 || a5) return -Errno.EINVAL;
    return noNewPrivs.has(t) ? 1 : 0;
  },
};

/** Implements Linux syscall prctl(2): names, the parent-death signal (never sent), dumpable, no_new_privs. */
export function sysPrctl(
  k: Kernel,
  t: Task,
  option: number,
  a2: number,
  a3: number,
  a4: number,
  a5: number,
): number {
  const op = PRCTL[option];
  return op === undefined ? -Errno.EINVAL : op(k, t, a2, a3, a4, a5);
}
