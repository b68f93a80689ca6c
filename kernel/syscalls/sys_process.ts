/**
 * @module Process identity and lifetime: exit, exit_group, getpid and friends, credentials (we are
 * root; set* succeed without changing anything), process groups and sessions, set_tid_address,
 * personality. Sending signals (kill, tgkill, tkill) lives in sys_signal.ts.
 */
import { Errno } from "../abi/errno.ts";
import type { Kernel } from "../kernel.ts";
import { INIT_SID, type Task } from "../task.ts";

/** Implements Linux syscall exit(2): ends the thread; the last thread ends the process. */
export function sysExit(k: Kernel, t: Task, code: number): number {
  k.exitThread(t, code & 0xff);
  return 0;
}

/** Implements Linux syscall exit_group(2). */
export function sysExitGroup(k: Kernel, t: Task, code: number): number {
  k.exitProcess(t, { kind: "exited", code: code & 0xff });
  return 0;
}

/** Implements Linux syscall getpid(2). */
export function sysGetpid(_k: Kernel, t: Task): number {
  return t.proc.pid;
}

/** Implements Linux syscall getppid(2). */
export function sysGetppid(_k: Kernel, t: Task): number {
  return t.proc.ppid;
}

/** Implements Linux syscall gettid(2). */
export function sysGettid(_k: Kernel, t: Task): number {
  return t.tid;
}

/** Implements the get[e][ug]id(32) family: the guest runs as root. */
export function sysGetId(): number {
  return 0;
}

/** Implements the set*id family: as root every change is allowed; identities stay 0. */
export function sysSetId(): number {
  return 0;
}

/** Implements getresuid/getresgid (16- and 32-bit): three ids of `size` bytes, all 0. */
function getres(k: Kernel, size: number, a: number, b: number, c: number): number {
  for (const p of [a, b, c]) if (!k.copyOut(p, new Uint8Array(size))) return -Errno.EFAULT;
  return 0;
}

/** Implements Linux syscall getresuid32/getresgid32. */
export function sysGetres32(k: Kernel, _t: Task, a: number, b: number, c: number): number {
  return getres(k, 4, a, b, c);
}

/** Implements Linux syscall getresuid/getresgid (16-bit ids). */
export function sysGetres16(k: Kernel, _t: Task, a: number, b: number, c: number): number {
  return getres(k, 2, a, b, c);
}

/** Implements Linux syscall getgroups(2): no supplementary groups. */
export function sysGetgroups(_k: Kernel, _t: Task, size: number): number {
  return (size | 0) < 0 ? -Errno.EINVAL : 0;
}

/** Implements Linux syscall getpgrp(2): the process leads its own group. */
export function sysGetpgrp(_k: Kernel, t: Task): number {
  return t.proc.pid;
}

/** Implements Linux syscall getpgid(2). */
export function sysGetpgid(_k: Kernel, t: Task, pid: number): number {
  if (pid !== 0 && pid !== t.proc.pid) return -Errno.ESRCH;
  return t.proc.pid;
}

/** Implements Linux syscall setpgid(2). */
export function sysSetpgid(_k: Kernel, t: Task, pid: number, pgid: number): number {
  if ((pgid | 0) < 0) return -Errno.EINVAL;
  if (pid !== 0 && pid !== t.proc.pid) return -Errno.ESRCH;
  if (pgid !== 0 && pgid !== t.proc.pid) return -Errno.EPERM;
  return 0;
}

/** Implements Linux syscall getsid(2): the session of the (virtual) shell that started us. */
export function sysGetsid(_k: Kernel, t: Task, pid: number): number {
  if (pid !== 0 && pid !== t.proc.pid) return -Errno.ESRCH;
  return INIT_SID;
}

/** Implements Linux syscall setsid(2): a process-group leader may not start a session. */
export function sysSetsid(): number {
  return -Errno.EPERM;
}

/** Implements Linux syscall set_tid_address(2). */
export function sysSetTidAddress(_k: Kernel, t: Task, addr: number): number {
  t.clearChildTid = addr;
  return t.tid;
}

/** Implements Linux syscall personality(2): always PER_LINUX; changes are refused quietly. */
export function sysPersonality(k: Kernel, _t: Task, persona: number): number {
  const current = k.readImpliesExec ? 0x0400000 : 0;
  if (persona === 0xffffffff) return current;
  return (persona & 0xff) === 0 ? current : -Errno.EINVAL;
}
