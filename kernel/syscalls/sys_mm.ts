/**
 * @module Memory-management syscalls: brk, mmap2, old mmap, munmap, mprotect, mremap, madvise,
 * msync. File mappings are linked to their file in kernel/file_mappings.ts.
 * The address space is the Memory page table itself; new mappings are placed top-down below
 * MMAP_BASE like Linux's legacy-free layout with ASLR off.
 */
import { PAGE_SIZE, Prot } from "../../core/memory.ts";
import { Errno } from "../abi/errno.ts";
import { MADV, MAP, MREMAP, MS, PROT } from "../abi/mman.ts";
import type { Kernel } from "../kernel.ts";
import { STACK_BOTTOM, STACK_TOP } from "../loader/initial_stack.ts";
import type { Task } from "../task.ts";
import type { Inode } from "../vfs/inode.ts";

/** Linux mmap_base with an 8 MiB stack rlimit: TASK_SIZE minus the 128 MiB minimum gap. */
export const MMAP_BASE = STACK_TOP - 128 * 1024 * 1024;
/** vm.mmap_min_addr */
export const MMAP_MIN_ADDR = 0x10000;
/** Highest user address + 1 (TASK_SIZE of an ia32 task). */
export const TASK_SIZE = STACK_TOP;
/** RLIMIT_DATA is unlimited; brk just may not run into another mapping. */

const PAGES_BELOW_BASE = MMAP_BASE / PAGE_SIZE;
const MIN_PAGE = MMAP_MIN_ADDR / PAGE_SIZE;

function pageAligned(a: number): boolean {
  return (a & (PAGE_SIZE - 1)) === 0;
}

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** True when no page of [addr, addr+len) is mapped. */
export function rangeFree(k: Kernel, addr: number, len: number): boolean {
  const first = addr / PAGE_SIZE, last = (addr + len) / PAGE_SIZE;
  for (let p = first; p < last; p++) if (k.mem.isMapped(p)) return false;
  return true;
}

/** True when every page of [addr, addr+len) is mapped. */
function rangeMapped(k: Kernel, addr: number, len: number): boolean {
  const first = addr / PAGE_SIZE, last = pageUp(addr + len) / PAGE_SIZE;
  for (let p = first; p < last; p++) if (!k.mem.isMapped(p)) return false;
  return true;
}

/** Highest free gap of `len` bytes below MMAP_BASE (unmapped_area_topdown), or -1. */
export function findFree(k: Kernel, len: number): number {
  const need = len / PAGE_SIZE;
  let run = 0;
  for (let p = PAGES_BELOW_BASE - 1; p >= MIN_PAGE; p--) {
    if (k.mem.isMapped(p)) run = 0;
    else if (++run === need) return p * PAGE_SIZE;
  }
  return -1;
}

/** Adds PROT_EXEC to readable mappings for READ_IMPLIES_EXEC programs. */
function effectiveProt(k: Kernel, prot: number): number {
  prot &= 7;
  if (k.readImpliesExec && (prot & Prot.READ)) prot |= Prot.EXEC;
  return prot;
}

const PROT_VALID = 7 | PROT.GROWSDOWN | PROT.GROWSUP;

/** Implements Linux syscall brk(2): returns the new break, or the old one on failure. */
export function sysBrk(k: Kernel, t: Task, addr: number): number {
  const p = t.proc;
  if (addr < p.brkStart) return p.brk;
  const oldEnd = pageUp(p.brk);
  const newEnd = pageUp(addr);
  if (newEnd > STACK_BOTTOM) return p.brk;
  if (newEnd < oldEnd) {
    k.fileMaps.cut(k, newEnd, oldEnd - newEnd);
    k.mem.unmap(newEnd, oldEnd - newEnd);
  } else if (newEnd > oldEnd) {
    // must not run into another mapping, nor leave no guard page below one
    if (!rangeFree(k, oldEnd, Math.min(newEnd + PAGE_SIZE, TASK_SIZE) - oldEnd)) return p.brk;
    k.mem.map(oldEnd, newEnd - oldEnd, effectiveProt(k, Prot.READ | Prot.WRITE));
  }
  p.brk = addr;
  return addr;
}

interface MmapRequest {
  addr: number;
  len: number;
  prot: number;
  flags: number;
  fd: number;
  /** byte offset into the file */
  offset: number;
}

/** Implements Linux syscall mmap2(2): the offset is in 4096-byte units. */
export function sysMmap2(
  k: Kernel,
  t: Task,
  addr: number,
  len: number,
  prot: number,
  flags: number,
  fd: number,
  pgoff: number,
): number {
  return doMmap(k, t, { addr, len, prot, flags, fd: fd | 0, offset: pgoff * PAGE_SIZE });
}

/** Implements Linux syscall mmap (old_mmap): one pointer to six words. */
export function sysOldMmap(k: Kernel, t: Task, argp: number): number {
  const raw = k.copyIn(argp, 24);
  if (raw === null) return -Errno.EFAULT;
  const dv = new DataView(raw.buffer);
  const w = (i: number) => dv.getUint32(i * 4, true);
  const offset = w(5);
  if (!pageAligned(offset)) return -Errno.EINVAL;
  return doMmap(k, t, { addr: w(0), len: w(1), prot: w(2), flags: w(3), fd: w(4) | 0, offset });
}

function doMmap(k: Kernel, t: Task, r: MmapRequest): number {
  const type = r.flags & MAP.TYPE;
  if (type !== MAP.SHARED && type !== MAP.PRIVATE && type !== MAP.SHARED_VALIDATE) {
    return -Errno.EINVAL;
  }
  if (r.len === 0) return -Errno.EINVAL;
  if (r.prot & ~PROT_VALID) return -Errno.EINVAL;
  const len = pageUp(r.len);
  if (len === 0 || len > TASK_SIZE) return -Errno.ENOMEM;
  const anon = (r.flags & MAP.ANONYMOUS) !== 0;
  let data: Uint8Array | null = null;
  let inode: Inode | null = null;
  if (!anon) {
    const file = t.proc.fds.get(r.fd);
    if (file === null) return -Errno.EBADF;
    if (file.kind === "dir" || file.kind === "path") return -Errno.ENODEV;
    if (!file.readable) return -Errno.EACCES;
    if (type !== MAP.PRIVATE && (r.prot & PROT.WRITE) && !file.writable) return -Errno.EACCES;
    if (file.kind !== "reg" && file.kind !== "chr" && file.kind !== "proc") return -Errno.ENODEV;
    if (file.kind === "reg") {
      const got = file.read(k, len, r.offset);
      if (typeof got === "number") return got < 0 ? got : -Errno.EIO;
      data = got;
      inode = file.inode;
    }
  }
  let addr: number;
  const fixed = (r.flags & (MAP.FIXED | MAP.FIXED_NOREPLACE)) !== 0;
  if (fixed) {
    addr = r.addr;
    if (!pageAligned(addr)) return -Errno.EINVAL;
    if (addr + len > TASK_SIZE) return -Errno.ENOMEM;
    if (addr < MMAP_MIN_ADDR) return -Errno.EPERM;
    if ((r.flags & MAP.FIXED_NOREPLACE) && !(r.flags & MAP.FIXED) && !rangeFree(k, addr, len)) {
      return -Errno.EEXIST;
    }
  } else {
    const hint = r.addr - (r.addr % PAGE_SIZE);
    if (
      hint >= MMAP_MIN_ADDR && hint + len <= TASK_SIZE && hint + len <= STACK_BOTTOM &&
      rangeFree(k, hint, len)
    ) {
      addr = hint;
    } else {
      addr = findFree(k, len);
      if (addr < 0) return -Errno.ENOMEM;
    }
  }
  k.fileMaps.cut(k, addr, len);
  k.mem.map(addr, len, effectiveProt(k, r.prot));
  // file bytes go through the recorded kernel copy so replay can rebuild the mapping
  if (data !== null && data.length > 0) k.copyOutKernel(addr, data);
  if (inode !== null) {
    k.fileMaps.add(addr, len, {
      inode,
      offset: r.offset,
      shared: type !== MAP.PRIVATE,
      initial: data,
    });
  }
  return addr;
}

/** Implements Linux syscall munmap(2). */
export function sysMunmap(k: Kernel, _t: Task, addr: number, len: number): number {
  if (!pageAligned(addr) || len === 0) return -Errno.EINVAL;
  const n = pageUp(len);
  if (addr + n > TASK_SIZE || n === 0) return -Errno.EINVAL;
  k.fileMaps.cut(k, addr, n);
  k.mem.unmap(addr, n);
  return 0;
}

/** Implements Linux syscall mprotect(2). */
export function sysMprotect(k: Kernel, _t: Task, addr: number, len: number, prot: number): number {
  if (!pageAligned(addr)) return -Errno.EINVAL;
  if (prot & ~PROT_VALID) return -Errno.EINVAL;
  if ((prot & PROT.GROWSDOWN) && (prot & PROT.GROWSUP)) return -Errno.EINVAL;
  const n = pageUp(len);
  if (addr + n > TASK_SIZE) return -Errno.ENOMEM;
  if (n === 0) return 0;
  if (!rangeMapped(k, addr, n)) return -Errno.ENOMEM;
  k.mem.protect(addr, n, effectiveProt(k, prot));
  return 0;
}

/** Implements Linux syscall mremap(2): shrink in place, grow in place, or move (MREMAP_MAYMOVE). */
export function sysMremap(
  k: Kernel,
  _t: Task,
  old: number,
  oldLen: number,
  newLen: number,
  flags: number,
  newAddr: number,
): number {
  if (!pageAligned(old)) return -Errno.EINVAL;
  if (flags & ~(MREMAP.MAYMOVE | MREMAP.FIXED | MREMAP.DONTUNMAP)) return -Errno.EINVAL;
  if ((flags & MREMAP.FIXED) && !(flags & MREMAP.MAYMOVE)) return -Errno.EINVAL;
  if (flags & MREMAP.DONTUNMAP) return -Errno.EINVAL;
  const oldN = pageUp(oldLen), newN = pageUp(newLen);
  if (newN === 0) return -Errno.EINVAL;
  if (oldN === 0) return -Errno.EINVAL; // duplicating shared mappings is not supported
  if (!rangeMapped(k, old, oldN)) return -Errno.EFAULT;
  const mem = k.mem;
  const move = (to: number): number => {
    if (newN < oldN) k.fileMaps.cut(k, old + newN, oldN - newN);
    k.fileMaps.move(old, Math.min(oldN, newN), to);
    const bytes = mem.readBytes(old, Math.min(oldN, newN));
    const prots: number[] = [];
    for (let p = 0; p < newN / PAGE_SIZE; p++) {
      prots.push(mem.protOf(old / PAGE_SIZE + Math.min(p, oldN / PAGE_SIZE - 1)));
    }
    mem.unmap(old, oldN);
    for (let p = 0; p < prots.length; p++) mem.map(to + p * PAGE_SIZE, PAGE_SIZE, prots[p]);
    mem.writeBytes(to, bytes);
    return to;
  };
  if (flags & MREMAP.FIXED) {
    if (!pageAligned(newAddr) || newAddr + newN > TASK_SIZE) return -Errno.EINVAL;
    if (newAddr < old + oldN && old < newAddr + newN) return -Errno.EINVAL;
    k.fileMaps.cut(k, newAddr, newN);
    mem.unmap(newAddr, newN);
    return move(newAddr);
  }
  if (newN <= oldN) {
    if (newN < oldN) {
      k.fileMaps.cut(k, old + newN, oldN - newN);
      mem.unmap(old + newN, oldN - newN);
    }
    return old;
  }
  if (old + newN <= TASK_SIZE && rangeFree(k, old + oldN, newN - oldN)) {
    const prot = mem.protOf(old / PAGE_SIZE + oldN / PAGE_SIZE - 1);
    mem.map(old + oldN, newN - oldN, prot);
    return old;
  }
  if (!(flags & MREMAP.MAYMOVE)) return -Errno.ENOMEM;
  const to = findFree(k, newN);
  if (to < 0) return -Errno.ENOMEM;
  return move(to);
}

const MADV_OK = new Set<number>(Object.values(MADV));

/**
 * Implements Linux syscall madvise(2): MADV_DONTNEED/FREE zero anonymous pages; the rest are hints.
 * File pages keep their bytes: right for shared ones (the file has them), while a private page
 * keeps its copy instead of going back to the file's content.
 */
export function sysMadvise(k: Kernel, _t: Task, addr: number, len: number, advice: number): number {
  if (!pageAligned(addr)) return -Errno.EINVAL;
  if (!MADV_OK.has(advice)) return -Errno.EINVAL;
  const n = pageUp(len);
  if (addr + n > TASK_SIZE) return -Errno.EINVAL;
  if (n === 0) return 0;
  if (!rangeMapped(k, addr, n)) return -Errno.ENOMEM;
  if (advice === MADV.DONTNEED || advice === MADV.FREE || advice === MADV.REMOVE) {
    for (let a = addr; a < addr + n; a += PAGE_SIZE) {
      if (k.fileMaps.covers(a)) continue;
      k.mem.map(a, PAGE_SIZE, k.mem.protOf(a / PAGE_SIZE));
    }
  }
  return 0;
}

/**
 * Replay of mmap/mmap2: anonymous mappings re-execute; a file mapping cannot (the file was never
 * opened in replay), so it becomes an anonymous mapping at the recorded address that the
 * recorded copy then fills. Returns the result, or null when the handler should simply run.
 */
export function replayFileMmap(
  k: Kernel,
  nr: number,
  args: number[],
  recordedRet: number,
): number | null {
  let len: number, prot: number, flags: number;
  if (nr === 192) [, len, prot, flags] = args;
  else {
    const raw = k.copyIn(args[0], 24);
    if (raw === null) return null;
    const dv = new DataView(raw.buffer);
    [len, prot, flags] = [dv.getUint32(4, true), dv.getUint32(8, true), dv.getUint32(12, true)];
  }
  if (flags & MAP.ANONYMOUS) return null;
  const ret = recordedRet | 0;
  if (ret < 0 && ret > -4096) return ret;
  const type = flags & MAP.TYPE;
  k.fileMaps.cut(k, ret >>> 0, pageUp(len));
  k.mem.map(ret >>> 0, pageUp(len), effectiveProt(k, prot));
  if (type === MAP.SHARED || type === MAP.SHARED_VALIDATE || type === MAP.PRIVATE) {
    k.fileMaps.add(ret >>> 0, pageUp(len), {
      inode: null,
      offset: 0,
      shared: type !== MAP.PRIVATE,
      initial: null,
    });
  }
  return ret;
}

/**
 * Implements Linux syscall msync(2). Shared mappings already reach their file before every
 * syscall, so there is nothing left to write; only the arguments are checked.
 */
export function sysMsync(k: Kernel, _t: Task, addr: number, len: number, flags: number): number {
  if (!pageAligned(addr)) return -Errno.EINVAL;
  if (flags & ~(MS.ASYNC | MS.INVALIDATE | MS.SYNC)) return -Errno.EINVAL;
  if ((flags & MS.ASYNC) && (flags & MS.SYNC)) return -Errno.EINVAL;
  const n = pageUp(len);
  if (addr + n > TASK_SIZE || addr + n < addr) return -Errno.ENOMEM;
  if (n === 0) return 0;
  return rangeMapped(k, addr, n) ? 0 : -Errno.ENOMEM;
}
