/** @module The paged 4 GiB guest address space: protections, lazy zero pages, fast access and code-page tracking. */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = 0xfff;
const NUM_PAGES = 1 << 20;

/** Page protection bits; the same values as Linux PROT_*. */
export const Prot = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;
const MAPPED = 8;

/**
 * Thrown (as this one preallocated object) when a guest access hits an unmapped
 * or protected page. Read `addr` and `write` right after catching it.
 */
export class MemoryFault {
  addr = 0;
  /** 0 = read, 1 = write, 2 = instruction fetch */
  access = 0;
  /** true when the page is mapped but the access is not permitted (SEGV_ACCERR) */
  protection = false;
}
export const MEMORY_FAULT: MemoryFault = new MemoryFault();

function fault(addr: number, access: number, protection: boolean): never {
  MEMORY_FAULT.addr = addr >>> 0;
  MEMORY_FAULT.access = access;
  MEMORY_FAULT.protection = protection;
  throw MEMORY_FAULT;
}

/**
 * Guest memory. The `r`/`w` arrays are a software TLB: `r[p]` is the page's
 * bytes when page p is materialised and readable, `w[p]` when it is writable and
 * holds no cached code. Everything else goes through the slow path.
 */
export class Memory {
  /** Page bytes, materialised on first touch. */
  readonly pages: (Uint8Array | undefined)[] = new Array(NUM_PAGES);
  /** Prot bits | MAPPED per page. */
  readonly prot: Uint8Array = new Uint8Array(NUM_PAGES);
  /** Non-zero when decoded code from this page is cached. */
  readonly code: Uint8Array = new Uint8Array(NUM_PAGES);
  readonly r: (Uint8Array | undefined)[] = new Array(NUM_PAGES);
  readonly w: (Uint8Array | undefined)[] = new Array(NUM_PAGES);
  /** Called before a write lands on a page that holds cached code. */
  onCodeWrite: (page: number) => void = () => {};

  // ---- mapping (used by the kernel's mm and the loader) ----

  /** Maps [addr, addr+len) with `prot`, zero-filled. Existing pages in range are replaced. */
  map(addr: number, len: number, prot: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      if (this.code[p]) this.#invalidate(p);
      this.pages[p] = undefined;
      this.prot[p] = (prot & 7) | MAPPED;
      this.r[p] = undefined;
      this.w[p] = undefined;
    }
  }

  unmap(addr: number, len: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      if (this.code[p]) this.#invalidate(p);
      this.pages[p] = undefined;
      this.prot[p] = 0;
      this.r[p] = undefined;
      this.w[p] = undefined;
    }
  }

  protect(addr: number, len: number, prot: number): void {
    const [first, last] = pageRange(addr, len);
    for (let p = first; p < last; p++) {
      if (!(this.prot[p] & MAPPED)) continue;
      if (this.code[p] && !(prot & Prot.EXEC)) this.#invalidate(p);
      this.prot[p] = (prot & 7) | MAPPED;
      this.#refresh(p);
    }
  }

  isMapped(page: number): boolean {
    return (this.prot[page] & MAPPED) !== 0;
  }

  protOf(page: number): number {
    return this.prot[page] & 7;
  }

  /** True when every page of [addr, addr+len) is mapped and allows `prot`. */
  check(addr: number, len: number, prot: number): boolean {
    if (len === 0) return true;
    addr >>>= 0;
    if (addr + len > 0x100000000) return false;
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + len - 1) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      const pr = this.prot[p];
      if (!(pr & MAPPED) || (pr & prot) !== prot) return false;
    }
    return true;
  }

  /** Marks page p as holding cached decoded code; writes to it will call onCodeWrite. */
  markCode(page: number): void {
    this.code[page] = 1;
    this.w[page] = undefined;
  }

  // ---- kernel-side bulk access (no protection checks beyond mapping; callers use check()) ----

  /** Copies guest bytes out; the caller has validated the range with check(). */
  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    addr >>>= 0;
    while (done < len) {
      const a = (addr + done) >>> 0;
      const p = a >>> PAGE_SHIFT;
      const off = a & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - off, len - done);
      const pg = this.pages[p];
      if (pg) out.set(pg.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes into guest memory ignoring write protection (loader, kernel copyOut after check()). */
  writeBytes(addr: number, bytes: Uint8Array): void {
    let done = 0;
    addr >>>= 0;
    const len = bytes.length;
    while (done < len) {
      const a = (addr + done) >>> 0;
      const p = a >>> PAGE_SHIFT;
      const off = a & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - off, len - done);
      if (this.code[p]) this.#invalidate(p);
      const pg = this.#materialize(p);
      pg.set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }

  // ---- guest access (throws MEMORY_FAULT) ----

  read8(addr: number): number {
    const pg = this.r[addr >>> PAGE_SHIFT];
    if (pg !== undefined) return pg[addr & PAGE_MASK];
    return this.#slowRead(addr >>> 0, 0)[addr & PAGE_MASK];
  }

  read16(addr: number): number {
    const off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 2) {
      const pg = this.r[addr >>> PAGE_SHIFT] ?? this.#slowRead(addr >>> 0, 0);
      return pg[off] | (pg[off + 1] << 8);
    }
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  /** Returns the value as a signed int32; use >>> 0 where unsigned is needed. */
  read32(addr: number): number {
    const off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      const pg = this.r[addr >>> PAGE_SHIFT] ?? this.#slowRead(addr >>> 0, 0);
      return pg[off] | (pg[off + 1] << 8) | (pg[off + 2] << 16) | (pg[off + 3] << 24);
    }
    return this.read16(addr) | (this.read16(addr + 2) << 16);
  }

  write8(addr: number, v: number): void {
    const pg = this.w[addr >>> PAGE_SHIFT] ?? this.#slowWrite(addr >>> 0);
    pg[addr & PAGE_MASK] = v;
  }

  write16(addr: number, v: number): void {
    const off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 2) {
      const pg = this.w[addr >>> PAGE_SHIFT] ?? this.#slowWrite(addr >>> 0);
      pg[off] = v;
      pg[off + 1] = v >> 8;
      return;
    }
    // check both pages before writing either, so a faulting write changes nothing
    this.#slowWrite((addr + 1) >>> 0);
    this.write8(addr, v);
    this.write8(addr + 1, v >> 8);
  }

  write32(addr: number, v: number): void {
    const off = addr & PAGE_MASK;
    if (off <= PAGE_SIZE - 4) {
      const pg = this.w[addr >>> PAGE_SHIFT] ?? this.#slowWrite(addr >>> 0);
      pg[off] = v;
      pg[off + 1] = v >> 8;
      pg[off + 2] = v >> 16;
      pg[off + 3] = v >> 24;
      return;
    }
    this.#slowWrite(addr >>> 0);
    this.#slowWrite((addr + 3) >>> 0);
    for (let i = 0; i < 4; i++) this.write8(addr + i, v >> (8 * i));
  }

  /** Instruction fetch of one byte: requires EXEC. */
  fetch8(addr: number): number {
    addr >>>= 0;
    const p = addr >>> PAGE_SHIFT;
    const pr = this.prot[p];
    if (!(pr & MAPPED)) fault(addr, 2, false);
    if (!(pr & Prot.EXEC)) fault(addr, 2, true);
    return this.#materialize(p)[addr & PAGE_MASK];
  }

  /** Validates a write to addr's page (throws on fault), for multi-part writes that must be atomic. */
  probeWrite(addr: number): void {
    if (this.w[addr >>> PAGE_SHIFT] === undefined) this.#slowWrite(addr >>> 0);
  }

  // ---- internals ----

  #materialize(p: number): Uint8Array {
    let pg = this.pages[p];
    if (pg === undefined) {
      pg = new Uint8Array(PAGE_SIZE);
      this.pages[p] = pg;
      this.#refresh(p);
    }
    return pg;
  }

  #refresh(p: number): void {
    const pr = this.prot[p];
    const pg = this.pages[p];
    this.r[p] = pg !== undefined && (pr & Prot.READ) ? pg : undefined;
    this.w[p] = pg !== undefined && (pr & Prot.WRITE) && !this.code[p] ? pg : undefined;
  }

  #invalidate(p: number): void {
    this.onCodeWrite(p);
    this.code[p] = 0;
    this.#refresh(p);
  }

  #slowRead(addr: number, access: number): Uint8Array {
    const p = addr >>> PAGE_SHIFT;
    const pr = this.prot[p];
    if (!(pr & MAPPED)) fault(addr, access, false);
    if (!(pr & Prot.READ)) fault(addr, access, true);
    return this.#materialize(p);
  }

  #slowWrite(addr: number): Uint8Array {
    const p = addr >>> PAGE_SHIFT;
    const pr = this.prot[p];
    if (!(pr & MAPPED)) fault(addr, 1, false);
    if (!(pr & Prot.WRITE)) fault(addr, 1, true);
    if (this.code[p]) this.#invalidate(p);
    return this.#materialize(p);
  }
}

function pageRange(addr: number, len: number): [number, number] {
  addr >>>= 0;
  const first = addr >>> PAGE_SHIFT;
  const last = Math.min(NUM_PAGES, Math.ceil((addr + len) / PAGE_SIZE));
  return [first, last];
}
