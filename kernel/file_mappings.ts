/**
 * @module File-backed mappings and their coherence with the file. Guest pages are plain memory,
 * so the kernel synchronises them with the inode at syscall boundaries, deterministically:
 * before every syscall, pages of MAP_SHARED mappings the guest changed are written to the file
 * (no guest-visible effect); after every syscall that replay does not re-execute, pages whose
 * file content changed are refreshed through copyOutKernel, so the recorder captures them and
 * replay applies them from the trace. MAP_PRIVATE pages follow file changes until the guest
 * writes them (copy-on-write), detected by comparing the page with what the kernel last put
 * there. In replay no file is open: mappings are linked to no inode and only mark their pages
 * as file-backed.
 */
import { type Memory, PAGE_SIZE } from "../core/memory.ts";
import { flushHost } from "./vfs/file.ts";
import type { Inode } from "./vfs/inode.ts";

/** What the mappings need from the kernel (a Kernel fits). */
export interface MappingPort {
  readonly mem: Memory;
  copyOutKernel(addr: number, bytes: Uint8Array): void;
}

interface FileMapping {
  /** first page number */
  page: number;
  /** file offset of the first page */
  offset: number;
  /** null in replay: the bytes come from the trace */
  inode: Inode | null;
  shared: boolean;
  /**
   * Per page: the bytes the kernel last synchronised (file → page or page → file); null for a
   * private page the guest wrote (no longer follows the file).
   */
  synced: (Uint8Array | null)[];
  /** inode version (size, mtime, ctime) at the last refresh */
  version: string;
}

/** Every content change updates mtime/ctime with the logical clock, which advances between syscalls. */
function versionOf(inode: Inode): string {
  return `${inode.size}:${inode.mtime}:${inode.ctime}`;
}

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

function pageBytes(mem: Memory, p: number): Uint8Array {
  return mem.pages[p] ?? ZERO_PAGE;
}

function equalBytes(a: Uint8Array, b: Uint8Array, len = a.length): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class FileMappings {
  #maps: FileMapping[] = [];

  /** Number of linked mappings (pieces after partial unmaps count separately). */
  get count(): number {
    return this.#maps.length;
  }

  /**
   * Links `len` bytes at `addr` (page-aligned, just mapped and filled with `initial`) to `inode`
   * at `offset`.
   */
  add(
    addr: number,
    len: number,
    link: { inode: Inode | null; offset: number; shared: boolean; initial: Uint8Array | null },
  ): void {
    const n = Math.ceil(len / PAGE_SIZE);
    const synced: (Uint8Array | null)[] = [];
    for (let i = 0; i < n; i++) {
      const page = new Uint8Array(PAGE_SIZE);
      if (link.initial !== null) {
        page.set(link.initial.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
      }
      synced.push(page);
    }
    this.#maps.push({
      page: addr / PAGE_SIZE,
      offset: link.offset,
      inode: link.inode,
      shared: link.shared,
      synced,
      version: link.inode === null ? "" : versionOf(link.inode),
    });
  }

  /** True when the page at `addr` belongs to a file mapping. */
  covers(addr: number): boolean {
    const p = Math.floor(addr / PAGE_SIZE);
    return this.#maps.some((m) => p >= m.page && p < m.page + m.synced.length);
  }

  /**
   * Ends the links of [addr, addr+len) (munmap, mmap over, mremap): shared pages are written
   * back first, and the file goes to the host if it is host-backed.
   */
  cut(port: MappingPort, addr: number, len: number): void {
    const first = Math.floor(addr / PAGE_SIZE), last = Math.ceil((addr + len) / PAGE_SIZE);
    const kept: FileMapping[] = [];
    for (const m of this.#maps) {
      const end = m.page + m.synced.length;
      if (end <= first || m.page >= last) {
        kept.push(m);
        continue;
      }
      if (m.shared && m.inode !== null) {
        this.#flushOne(port, m);
        flushHost(m.inode);
      }
      if (m.page < first) kept.push({ ...m, synced: m.synced.slice(0, first - m.page) });
      if (end > last) {
        const skip = last - m.page;
        kept.push({
          ...m,
          page: last,
          offset: m.offset + skip * PAGE_SIZE,
          synced: m.synced.slice(skip),
        });
      }
    }
    this.#maps = kept;
  }

  /** Moves the links of the `len` bytes at `from` to `to` (mremap moved the pages). */
  move(from: number, len: number, to: number): void {
    const first = from / PAGE_SIZE, last = Math.ceil((from + len) / PAGE_SIZE);
    this.#split(first);
    this.#split(last);
    const delta = to / PAGE_SIZE - first;
    for (const m of this.#maps) if (m.page >= first && m.page < last) m.page += delta;
  }

  /** Splits the mapping that spans the start of page `p` into two. */
  #split(p: number): void {
    const i = this.#maps.findIndex((m) => p > m.page && p < m.page + m.synced.length);
    if (i < 0) return;
    const m = this.#maps[i], skip = p - m.page;
    this.#maps.splice(i, 1, { ...m, synced: m.synced.slice(0, skip) }, {
      ...m,
      page: p,
      offset: m.offset + skip * PAGE_SIZE,
      synced: m.synced.slice(skip),
    });
  }

  /** Writes guest stores in shared mappings to their files (before each syscall, at exit). */
  flush(port: MappingPort): void {
    for (const m of this.#maps) if (m.shared && m.inode !== null) this.#flushOne(port, m);
  }

  /** flush, then hands host-backed files to the host (the process ends). */
  flushAll(port: MappingPort): void {
    this.flush(port);
    for (const m of this.#maps) if (m.shared && m.inode !== null) flushHost(m.inode);
  }

  #flushOne(port: MappingPort, m: FileMapping): void {
    const inode = m.inode!;
    let changed = false;
    for (let i = 0; i < m.synced.length; i++) {
      const cur = pageBytes(port.mem, m.page + i), was = m.synced[i]!;
      if (equalBytes(cur, was)) continue;
      was.set(cur);
      // stores past EOF stay in the page and never reach the file, as in Linux
      const pos = m.offset + i * PAGE_SIZE;
      const valid = Math.min(PAGE_SIZE, inode.size - pos);
      if (valid <= 0) continue;
      inode.writeAt(pos, cur.slice(0, valid));
      changed = true;
    }
    if (!changed) return;
    const now = inode.sb.now();
    inode.mtime = now;
    inode.ctime = now;
    if (inode.hostPath !== null) inode.dirty = true;
  }

  /**
   * Brings file changes into the mappings (after each syscall replay takes from the trace). The
   * copies go through copyOutKernel: the recorder keeps them in the syscall's event.
   */
  refresh(port: MappingPort): void {
    for (const m of this.#maps) {
      const inode = m.inode;
      if (inode === null) continue;
      const version = versionOf(inode);
      if (version === m.version) continue;
      m.version = version;
      for (let i = 0; i < m.synced.length; i++) {
        const was = m.synced[i];
        if (was === null) continue;
        const want = inode.readAt(m.offset + i * PAGE_SIZE, PAGE_SIZE);
        if (equalBytes(want, was)) continue;
        const cur = pageBytes(port.mem, m.page + i);
        if (!m.shared && !equalBytes(cur, was)) {
          m.synced[i] = null; // the guest wrote this private page: it keeps its copy
          continue;
        }
        // only the changed bytes, to keep trace events small
        let lo = 0, hi = want.length;
        while (want[lo] === was[lo]) lo++;
        while (want[hi - 1] === was[hi - 1]) hi--;
        was.set(want);
        port.copyOutKernel((m.page + i) * PAGE_SIZE + lo, want.subarray(lo, hi));
      }
    }
  }
}
