/**
 * @module ELF32 i386 parsing, validation and loading of static executables (ET_EXEC and
 * static-PIE ET_DYN). Bad input becomes one-line UserErrors naming the problem.
 */
import { type Memory, PAGE_SIZE, Prot } from "../../core/memory.ts";
import { UserError } from "../errors.ts";

export const ET = { EXEC: 2, DYN: 3 } as const;
export const PT = {
  NULL: 0,
  LOAD: 1,
  DYNAMIC: 2,
  INTERP: 3,
  NOTE: 4,
  PHDR: 6,
  TLS: 7,
  GNU_STACK: 0x6474e551,
} as const;
export const PF = { X: 1, W: 2, R: 4 } as const;
export const EM_386 = 3;
export const EHDR_SIZE = 52;
export const PHDR_SIZE = 32;

/**
 * Where a static-PIE (ET_DYN) image is placed: the base an ia32 process gets on x86_64 Linux
 * with ASLR off (2/3 of the 3 GiB TASK_SIZE, page aligned).
 */
export const PIE_BASE = 0x56555000;
/** Images must end below this (the mmap area and the stack sit above). */
export const LOAD_LIMIT = 0xf0000000;
/** vm.mmap_min_addr: nothing may be mapped below it. */
const MIN_ADDR = 0x10000;

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  phdrs: ProgramHeader[];
  /** true when PT_GNU_STACK asks for an executable stack, or is missing */
  execStack: boolean;
  /**
   * No PT_GNU_STACK: Linux gives such ia32 programs the READ_IMPLIES_EXEC personality, so every
   * readable mapping (segments, mmap, mprotect) is executable too.
   */
  readImpliesExec: boolean;
}

/** Parses and validates the headers; `name` prefixes error messages ("prog: ..."). */
export function parseElf(image: Uint8Array, name: string): ElfImage {
  const fail = (msg: string): never => {
    throw new UserError(`${name}: ${msg}`);
  };
  if (
    image.length < 4 || image[0] !== 0x7f || image[1] !== 0x45 || image[2] !== 0x4c ||
    image[3] !== 0x46
  ) {
    fail("not an ELF file");
  }
  if (image.length < EHDR_SIZE) fail("truncated ELF (file shorter than the ELF header)");
  if (image[4] === 2) fail("64-bit ELF; only 32-bit i386 programs are supported");
  if (image[4] !== 1) fail(`unknown ELF class ${image[4]}`);
  if (image[5] !== 1) fail("big-endian ELF; only little-endian i386 programs are supported");
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_386) fail(`not an i386 ELF (e_machine ${machine})`);
  if (type === 1) fail("relocatable object (ET_REL), not an executable; link it first");
  if (type === 4) fail("core dump, not an executable");
  if (type !== ET.EXEC && type !== ET.DYN) fail(`not an executable (ELF type ${type})`);
  const entry = u32(24);
  const phoff = u32(28);
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum === 0) fail("no program headers");
  if (phentsize !== PHDR_SIZE) fail(`bad program header size ${phentsize}`);
  if (phoff + phnum * PHDR_SIZE > image.length) {
    fail("truncated ELF (program header table past end of file)");
  }
  const phdrs: ProgramHeader[] = [];
  let execStack = true;
  let hasGnuStack = false;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * PHDR_SIZE;
    const ph: ProgramHeader = {
      type: u32(o),
      offset: u32(o + 4),
      vaddr: u32(o + 8),
      filesz: u32(o + 16),
      memsz: u32(o + 20),
      flags: u32(o + 24),
      align: u32(o + 28),
    };
    phdrs.push(ph);
    if (ph.type === PT.INTERP) {
      let interp = "?";
      if (ph.offset + ph.filesz <= image.length && ph.filesz > 0) {
        const raw = image.subarray(ph.offset, ph.offset + Math.min(ph.filesz, 256));
        const end = raw.indexOf(0);
        interp = printable(end < 0 ? raw : raw.subarray(0, end));
      }
      fail(`dynamically linked (interpreter ${interp}); only static binaries are supported`);
    }
    if (ph.type === PT.GNU_STACK) {
      hasGnuStack = true;
      execStack = (ph.flags & PF.X) !== 0;
    }
  }
  const loads = phdrs.filter((p) => p.type === PT.LOAD);
  if (loads.length === 0) fail("no loadable segments");
  const bias = type === ET.DYN ? PIE_BASE - pageDown(loads[0].vaddr) : 0;
  loads.forEach((p) => {
    const n = phdrs.indexOf(p);
    if (p.offset + p.filesz > image.length) {
      fail(`truncated ELF (segment ${n} past end of file)`);
    }
    if (p.filesz > p.memsz) fail(`bad segment ${n} (file size larger than memory size)`);
    if ((p.vaddr - p.offset) % PAGE_SIZE !== 0) {
      fail(`bad segment ${n} (address and file offset not congruent modulo the page size)`);
    }
    // unsorted static-PIE segments can land below the base: check where each one really goes
    const start = bias + p.vaddr;
    if (start < 0 || start + p.memsz > LOAD_LIMIT) {
      fail(`segment ${n} at 0x${hex(p.vaddr)} lies outside the user address space`);
    }
    if (p.memsz > 0 && start < MIN_ADDR) {
      fail(`segment at 0x${hex(p.vaddr)} lies below the lowest mappable address 0x10000`);
    }
  });
  return { type, entry, phoff, phnum, phdrs, execStack, readImpliesExec: !hasGnuStack };
}

export interface LoadedImage {
  /** load bias added to every vaddr (0 for ET_EXEC) */
  bias: number;
  entry: number;
  /** guest address of the program header table (AT_PHDR) */
  phdrAddr: number;
  /** page-aligned end of the highest segment: the initial program break */
  brkStart: number;
}

/** Maps the PT_LOAD segments into `mem`, copies their file bytes and leaves bss zeroed. */
export function loadElf(mem: Memory, elf: ElfImage, image: Uint8Array): LoadedImage {
  const bias = elf.type === ET.DYN ? PIE_BASE - pageDown(firstLoad(elf).vaddr) : 0;
  let end = 0;
  let phdrAddr = 0;
  for (const p of elf.phdrs) {
    if (p.type !== PT.LOAD) continue;
    if (p.memsz === 0) continue;
    const start = pageDown(bias + p.vaddr);
    const stop = pageUp(bias + p.vaddr + p.memsz);
    let prot = ((p.flags & PF.R) ? Prot.READ : 0) | ((p.flags & PF.W) ? Prot.WRITE : 0) |
      ((p.flags & PF.X) ? Prot.EXEC : 0);
    if (elf.readImpliesExec && (prot & Prot.READ)) prot |= Prot.EXEC;
    for (let a = start; a < stop; a += PAGE_SIZE) {
      const pg = a / PAGE_SIZE;
      // segments sharing a page (old linkers) keep the first's bytes and get both protections
      if (mem.isMapped(pg)) mem.protect(a, PAGE_SIZE, mem.protOf(pg) | prot);
      else mem.map(a, PAGE_SIZE, prot);
    }
    if (p.filesz > 0) {
      mem.writeBytes(bias + p.vaddr, image.subarray(p.offset, p.offset + p.filesz));
    }
    if (elf.phoff >= p.offset && elf.phoff + elf.phnum * PHDR_SIZE <= p.offset + p.filesz) {
      phdrAddr = bias + p.vaddr + (elf.phoff - p.offset);
    }
    end = Math.max(end, stop);
  }
  const pt = elf.phdrs.find((p) => p.type === PT.PHDR);
  if (pt) phdrAddr = bias + pt.vaddr;
  // like Linux: without a loaded copy, point at where the headers would be in the first segment
  if (phdrAddr === 0) phdrAddr = bias + firstLoad(elf).vaddr - firstLoad(elf).offset + elf.phoff;
  return { bias, entry: (bias + elf.entry) >>> 0, phdrAddr, brkStart: end };
}

function firstLoad(elf: ElfImage): ProgramHeader {
  return elf.phdrs.find((p) => p.type === PT.LOAD)!;
}

export function pageDown(a: number): number {
  return a - (a % PAGE_SIZE);
}

export function pageUp(a: number): number {
  return Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;
}

/** A file-supplied name for a one-line message: non-printable bytes as \\xNN, at most 80 of them. */
function printable(raw: Uint8Array): string {
  let out = "";
  for (const b of raw.subarray(0, 80)) {
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return raw.length > 80 ? out + "..." : out;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
