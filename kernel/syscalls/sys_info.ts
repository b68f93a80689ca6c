/**
 * @module System information: uname, sysinfo, resource limits, rusage, CPU affinity and
 * scheduling queries, all fixed values so every run sees the same machine.
 */
import { Errno } from "../abi/errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";

export const UTS = {
  sysname: "Linux",
  nodename: "dejavu",
  release: "6.1.0-dejavu",
  version: "#1 SMP PREEMPT_DYNAMIC Sat Jan  1 00:00:00 UTC 2000",
  machine: "i686",
  domainname: "(none)",
} as const;

const enc = new TextEncoder();

/** Implements Linux syscall uname(2) (struct new_utsname: six 65-byte fields). */
export function sysUname(k: Kernel, _t: Task, buf: number): number {
  const out = new Uint8Array(6 * 65);
  [UTS.sysname, UTS.nodename, UTS.release, UTS.version, UTS.machine, UTS.domainname].forEach(
    (s, i) => out.set(enc.encode(s).subarray(0, 64), i * 65),
  );
  return k.copyOut(buf, out) ? 0 : -Errno.EFAULT;
}

const TOTAL_RAM = 1024 * 1024 * 1024;

/** Implements Linux syscall sysinfo(2): a 1 GiB machine running one process. */
export function sysSysinfo(k: Kernel, t: Task, info: number): number {
  const b = new Uint8Array(64);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, Number(k.clock.monotonicNs(k.ic) / 1_000_000_000n), true);
  dv.setUint32(16, TOTAL_RAM, true); // totalram
  dv.setUint32(20, TOTAL_RAM / 2, true); // freeram
  dv.setUint16(40, k.tasks.filter((x) => x.proc === t.proc).length, true); // procs
  dv.setUint32(52, 1, true); // mem_unit
  return k.copyOut(info, b) ? 0 : -Errno.EFAULT;
}

export const RLIMIT = {
  CPU: 0,
  FSIZE: 1,
  DATA: 2,
  STACK: 3,
  CORE: 4,
  RSS: 5,
  NPROC: 6,
  NOFILE: 7,
  MEMLOCK: 8,
  AS: 9,
  LOCKS: 10,
  SIGPENDING: 11,
  MSGQUEUE: 12,
  NICE: 13,
  RTPRIO: 14,
  RTTIME: 15,
} as const;
const RLIM_NLIMITS = 16;
export const RLIM_INFINITY = 0xffffffffffffffffn;

/** The limits a fresh process gets: [soft, hard] per resource, 64-bit. */
export function defaultRlimits(): [bigint, bigint][] {
  const inf = RLIM_INFINITY;
  const l: [bigint, bigint][] = Array.from({ length: RLIM_NLIMITS }, () => [inf, inf]);
  l[RLIMIT.STACK] = [8n * 1024n * 1024n, inf];
  l[RLIMIT.CORE] = [0n, inf];
  l[RLIMIT.NPROC] = [4096n, 4096n];
  l[RLIMIT.NOFILE] = [1024n, 4096n];
  l[RLIMIT.MEMLOCK] = [8n * 1024n * 1024n, 8n * 1024n * 1024n];
  l[RLIMIT.SIGPENDING] = [4096n, 4096n];
  l[RLIMIT.MSGQUEUE] = [819200n, 819200n];
  l[RLIMIT.NICE] = [0n, 0n];
  l[RLIMIT.RTPRIO] = [0n, 0n];
  return l;
}

/** 32-bit rlimit: values above `inf32` are reported as `inf32`. */
function rlimit32(k: Kernel, res: number, addr: number, inf32: number): number {
  if (res >= RLIM_NLIMITS) return -Errno.EINVAL;
  const [cur, max] = k.rlimits[res];
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  const clamp = (v: bigint) => (v >= BigInt(inf32) ? inf32 : Number(v));
  dv.setUint32(0, clamp(cur), true);
  dv.setUint32(4, clamp(max), true);
  return k.copyOut(addr, b) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall ugetrlimit (RLIM_INFINITY = 0xffffffff). */
export function sysUgetrlimit(k: Kernel, _t: Task, res: number, addr: number): number {
  return rlimit32(k, res, addr, 0xffffffff);
}

/** Implements Linux syscall getrlimit (old: infinity reported as 0x7fffffff). */
export function sysOldGetrlimit(k: Kernel, _t: Task, res: number, addr: number): number {
  return rlimit32(k, res, addr, 0x7fffffff);
}

function setLimit(k: Kernel, res: number, cur: bigint, max: bigint): number {
  if (res >= RLIM_NLIMITS) return -Errno.EINVAL;
  if (cur > max) return -Errno.EINVAL;
  if (res === RLIMIT.NOFILE && max > 1048576n) return -Errno.EPERM;
  k.rlimits[res] = [cur, max];
  return 0;
}

/** Implements Linux syscall setrlimit(2): the limits are remembered, not enforced. */
export function sysSetrlimit(k: Kernel, _t: Task, res: number, addr: number): number {
  const raw = k.copyIn(addr, 8);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const v = (o: number) => {
    const x = dv.getUint32(o, true);
    return x === 0xffffffff ? RLIM_INFINITY : BigInt(x);
  };
  return setLimit(k, res, v(0), v(4));
}

/** Implements Linux syscall prlimit64(2) for this process. */
export function sysPrlimit64(
  k: Kernel,
  t: Task,
  pid: number,
  res: number,
  newp: number,
  oldp: number,
): number {
  if (pid !== 0 && pid !== t.proc.pid) return -Errno.ESRCH;
  if (res >= RLIM_NLIMITS) return -Errno.EINVAL;
  let next: [bigint, bigint] | null = null;
  if (newp !== 0) {
    const raw = k.copyIn(newp, 16);
    if (raw === null) return -Errno.EFAULT;
    const dv = new DataView(raw.buffer);
    next = [dv.getBigUint64(0, true), dv.getBigUint64(8, true)];
    if (next[0] > next[1]) return -Errno.EINVAL;
  }
  if (oldp !== 0) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, k.rlimits[res][0], true);
    dv.setBigUint64(8, k.rlimits[res][1], true);
    if (!k.copyOut(oldp, b)) return -Errno.EFAULT;
  }
  return next ? setLimit(k, res, next[0], next[1]) : 0;
}

/** Implements Linux syscall getrusage(2): user time from instructions retired. */
export function sysGetrusage(k: Kernel, _t: Task, who: number, addr: number): number {
  const w = who | 0;
  if (w !== 0 && w !== -1 && w !== 1) return -Errno.EINVAL;
  const b = new Uint8Array(72);
  if (w !== -1) {
    const us = k.clock.cpuNs(k.ic) / 1000n;
    const dv = new DataView(b.buffer);
    dv.setInt32(0, Number(us / 1_000_000n), true);
    dv.setInt32(4, Number(us % 1_000_000n), true);
  }
  return k.copyOut(addr, b) ? 0 : -Errno.EFAULT;
}

/** Implements Linux syscall sched_getaffinity(2): one CPU. */
export function sysSchedGetaffinity(
  k: Kernel,
  _t: Task,
  pid: number,
  len: number,
  mask: number,
): number {
  if (pid !== 0 && !k.tasks.some((x) => x.tid === pid)) return -Errno.ESRCH;
  if (len < 4 || (len & 3) !== 0) return -Errno.EINVAL;
  return k.copyOut(mask, new Uint8Array([1, 0, 0, 0])) ? 4 : -Errno.EFAULT;
}

/** Implements Linux syscall sched_setaffinity(2): CPU 0 must be in the mask. */
export function sysSchedSetaffinity(
  k: Kernel,
  _t: Task,
  pid: number,
  len: number,
  mask: number,
): number {
  if (pid !== 0 && !k.tasks.some((x) => x.tid === pid)) return -Errno.ESRCH;
  const raw = k.copyIn(mask, Math.min(len, 4));
  if (raw === null) return -Errno.EFAULT;
  return raw.length > 0 && (raw[0] & 1) ? 0 : -Errno.EINVAL;
}

/** Implements Linux syscall sched_yield(2). */
export function sysSchedYield(): number {
  return 0;
}

/** Implements Linux syscall getcpu(2): CPU 0, node 0. */
export function sysGetcpu(k: Kernel, _t: Task, cpu: number, node: number): number {
  if (cpu !== 0 && !k.copyOut(cpu, new Uint8Array(4))) return -Errno.EFAULT;
  if (node !== 0 && !k.copyOut(node, new Uint8Array(4))) return -Errno.EFAULT;
  return 0;
}
