/**
 * @module Thread-support syscalls: set_thread_area/get_thread_area (TLS descriptors in the GDT),
 * set_robust_list, and futex for a single thread (waits that could never be woken are reported).
 */
import {
  GDT_ENTRY_TLS_ENTRIES,
  GDT_ENTRY_TLS_MIN,
  type SegmentDescriptor,
} from "../../core/cpu.ts";
import { Errno } from "../abi/errno.ts";
import { UserError } from "../errors.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";
import { CLOCK, clockNow, readTimespec } from "./sys_time.ts";

const USER_DESC_SIZE = 16;

function decodeDesc(raw: Uint8Array): { entry: number; desc: SegmentDescriptor } {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const bits = dv.getUint32(12, true);
  return {
    entry: dv.getInt32(0, true),
    desc: {
      base: dv.getUint32(4, true),
      limit: dv.getUint32(8, true),
      seg32bit: (bits & 1) !== 0,
      contents: (bits >> 1) & 3,
      readExecOnly: (bits & 8) !== 0,
      limitInPages: (bits & 16) !== 0,
      segNotPresent: (bits & 32) !== 0,
      useable: (bits & 64) !== 0,
    },
  };
}

function encodeDesc(entry: number, d: SegmentDescriptor | undefined): Uint8Array {
  const b = new Uint8Array(USER_DESC_SIZE);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, entry, true);
  // an empty slot reads back as LDT_empty: read_exec_only and seg_not_present set
  const x = d ?? {
    base: 0,
    limit: 0,
    seg32bit: false,
    contents: 0,
    readExecOnly: true,
    limitInPages: false,
    segNotPresent: true,
    useable: false,
  };
  dv.setUint32(4, x.base, true);
  dv.setUint32(8, x.limit, true);
  const bits = (x.seg32bit ? 1 : 0) | (x.contents << 1) | (x.readExecOnly ? 8 : 0) |
    (x.limitInPages ? 16 : 0) | (x.segNotPresent ? 32 : 0) | (x.useable ? 64 : 0);
  dv.setUint32(12, bits, true);
  return b;
}

/** LDT_empty / LDT_zero: a descriptor that clears the slot. */
function isEmpty(d: SegmentDescriptor): boolean {
  const zero = d.base === 0 && d.limit === 0 && d.contents === 0 && !d.seg32bit &&
    !d.limitInPages && !d.useable;
  return zero && ((d.readExecOnly && d.segNotPresent) || (!d.readExecOnly && !d.segNotPresent));
}

/** Implements Linux syscall set_thread_area(2): entry -1 picks the first free TLS slot (12..14). */
export function sysSetThreadArea(k: Kernel, t: Task, uinfo: number): number {
  const raw = k.copyIn(uinfo, USER_DESC_SIZE);
  if (raw === null) return -Errno.EFAULT;
  let { entry, desc } = decodeDesc(raw);
  const empty = isEmpty(desc);
  // tls_desc_okay: only 32-bit data segments in the TLS array
  if (!empty && (!desc.seg32bit || desc.contents > 1)) return -Errno.EINVAL;
  const gdt = t.cpu.gdt;
  if (entry === -1) {
    entry = -1;
    for (let i = GDT_ENTRY_TLS_MIN; i < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES; i++) {
      if (gdt[i] === undefined) {
        entry = i;
        break;
      }
    }
    if (entry === -1) return -Errno.ESRCH;
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, entry, true);
    if (!k.copyOut(uinfo, out)) return -Errno.EFAULT;
  }
  if (entry < GDT_ENTRY_TLS_MIN || entry >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) {
    return -Errno.EINVAL;
  }
  gdt[entry] = empty ? undefined : desc;
  // a segment register holding this selector sees the new base at once, as on Linux
  for (let s = 0; s < 6; s++) {
    const sel = t.cpu.seg[s];
    if ((sel >> 3) === entry && !(sel & 4)) {
      if (!t.cpu.loadSegment(s, sel)) t.cpu.loadSegment(s, 0);
    }
  }
  return 0;
}

/** Implements Linux syscall get_thread_area(2). */
export function sysGetThreadArea(k: Kernel, t: Task, uinfo: number): number {
  const raw = k.copyIn(uinfo, 4);
  if (raw === null) return -Errno.EFAULT;
  const entry = new DataView(raw.buffer).getInt32(0, true);
  if (entry < GDT_ENTRY_TLS_MIN || entry >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) {
    return -Errno.EINVAL;
  }
  return k.copyOut(uinfo, encodeDesc(entry, t.cpu.gdt[entry])) ? 0 : -Errno.EFAULT;
}

/** struct robust_list_head on i386 */
const ROBUST_LIST_HEAD_SIZE = 12;

/** Implements Linux syscall set_robust_list(2). */
export function sysSetRobustList(_k: Kernel, t: Task, head: number, len: number): number {
  if (len !== ROBUST_LIST_HEAD_SIZE) return -Errno.EINVAL;
  t.robustList = head;
  return 0;
}

export const FUTEX = {
  WAIT: 0,
  WAKE: 1,
  FD: 2,
  REQUEUE: 3,
  CMP_REQUEUE: 4,
  WAKE_OP: 5,
  LOCK_PI: 6,
  UNLOCK_PI: 7,
  TRYLOCK_PI: 8,
  WAIT_BITSET: 9,
  WAKE_BITSET: 10,
  PRIVATE_FLAG: 128,
  CLOCK_REALTIME: 256,
} as const;

function readU32(k: Kernel, addr: number): number | null {
  if ((addr & 3) !== 0) return null;
  const raw = k.copyIn(addr, 4);
  return raw === null ? null : new DataView(raw.buffer).getUint32(0, true);
}

/** FUTEX_WAKE_OP: *uaddr2 = oldval OP oparg; returns whether oldval CMP cmparg holds. */
function wakeOp(k: Kernel, uaddr2: number, encoded: number): number | boolean {
  const old = readU32(k, uaddr2);
  if (old === null) return -Errno.EFAULT;
  const op = (encoded >>> 28) & 7, shift = (encoded >>> 28) & 8;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  if (shift) oparg = 1 << (oparg & 31);
  const ops = [
    () => oparg,
    () => old + oparg,
    () => old | oparg,
    () => old & ~oparg,
    () => old ^ oparg,
  ];
  if (op >= ops.length) return -Errno.ENOSYS;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, ops[op]() >>> 0, true);
  if (!k.copyOut(uaddr2, b)) return -Errno.EFAULT;
  const o = old | 0;
  const cmps = [o === cmparg, o !== cmparg, o < cmparg, o <= cmparg, o > cmparg, o >= cmparg];
  if (cmp >= cmps.length) return -Errno.ENOSYS;
  return cmps[cmp];
}

function futex(
  k: Kernel,
  t: Task,
  uaddr: number,
  op: number,
  val: number,
  timeout: number,
  uaddr2: number,
  val3: number,
  wide: boolean,
): number {
  const cmd = op & ~(FUTEX.PRIVATE_FLAG | FUTEX.CLOCK_REALTIME);
  if ((op & FUTEX.CLOCK_REALTIME) && cmd !== FUTEX.WAIT_BITSET && cmd !== FUTEX.WAIT) {
    return -Errno.ENOSYS;
  }
  switch (cmd) {
    case FUTEX.WAIT:
    case FUTEX.WAIT_BITSET: {
      if (cmd === FUTEX.WAIT_BITSET && val3 === 0) return -Errno.EINVAL;
      const cur = readU32(k, uaddr);
      if (cur === null) return (uaddr & 3) ? -Errno.EINVAL : -Errno.EFAULT;
      if (cur !== val >>> 0) return -Errno.EAGAIN;
      if (timeout === 0) {
        throw new UserError(
          `deadlock: thread ${t.tid} waits on futex 0x${hex(uaddr)} with no timeout and no ` +
            `other thread to wake it (eip 0x${hex(t.cpu.eip)})`,
        );
      }
      const ns = readTimespec(k, timeout, wide);
      if (typeof ns === "number") return ns;
      // nobody can wake us: sleep the whole timeout (relative for WAIT, absolute for BITSET)
      const clock = op & FUTEX.CLOCK_REALTIME ? CLOCK.REALTIME : CLOCK.MONOTONIC;
      k.clock.advance(cmd === FUTEX.WAIT ? ns : ns - clockNow(k, clock)!);
      return -Errno.ETIMEDOUT;
    }
    case FUTEX.WAKE:
    case FUTEX.WAKE_BITSET:
      if (cmd === FUTEX.WAKE_BITSET && val3 === 0) return -Errno.EINVAL;
      return 0;
    case FUTEX.REQUEUE:
      return 0;
    case FUTEX.CMP_REQUEUE: {
      const cur = readU32(k, uaddr);
      if (cur === null) return -Errno.EFAULT;
      return cur === val3 >>> 0 ? 0 : -Errno.EAGAIN;
    }
    case FUTEX.WAKE_OP: {
      const r = wakeOp(k, uaddr2, val3);
      return typeof r === "number" ? r : 0;
    }
    default:
      return -Errno.ENOSYS;
  }
}

/** Implements Linux syscall futex(2) for one thread: wakes find nobody, waits cannot block. */
export function sysFutex(
  k: Kernel,
  t: Task,
  uaddr: number,
  op: number,
  val: number,
  timeout: number,
  uaddr2: number,
  val3: number,
): number {
  return futex(k, t, uaddr, op, val, timeout, uaddr2, val3, false);
}

/** Implements Linux syscall futex_time64. */
export function sysFutexTime64(
  k: Kernel,
  t: Task,
  uaddr: number,
  op: number,
  val: number,
  timeout: number,
  uaddr2: number,
  val3: number,
): number {
  return futex(k, t, uaddr, op, val, timeout, uaddr2, val3, true);
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, "0");
}
