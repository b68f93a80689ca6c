/** @module Test helpers for the kernel core: a tiny handmade ELF, an in-memory Host, booting code. */
import type { KernelMode } from "./hooks.ts";
import type { Host } from "./host.ts";
import { Kernel, type KernelOptions } from "./kernel.ts";
import { MemoryHostFs } from "./vfs/memory_host_fs.ts";

export const TEXT_BASE = 0x08048000;
/** file offset (and vaddr offset) of the code in tinyElf images */
export const CODE_OFFSET = 0x54 + 32 * 4;

export interface TinyElfOptions {
  /** extra program headers: [type, flags, payload written after the code (for PT_INTERP)] */
  interp?: string;
  gnuStack?: "rw" | "rwx" | "none";
  type?: 2 | 3;
  /** bytes of bss after the image (memsz - filesz) */
  bss?: number;
  /** write access for the single segment */
  writable?: boolean;
}

/**
 * An ELF32 i386 image: header, program headers (PT_LOAD of the whole file at 0x08048000, optional
 * PT_INTERP and PT_GNU_STACK), then `code`. The entry point is the first code byte.
 */
export function tinyElf(code: number[], o: TinyElfOptions = {}): Uint8Array {
  const interp = o.interp ? [...new TextEncoder().encode(o.interp), 0] : [];
  const phdrs: number[][] = [];
  const fileLen = CODE_OFFSET + code.length + interp.length;
  const base = (o.type ?? 2) === 3 ? 0 : TEXT_BASE;
  // p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
  phdrs.push([1, 0, base, base, fileLen, fileLen + (o.bss ?? 0), o.writable ? 7 : 5, 0x1000]);
  if (o.interp) {
    const off = CODE_OFFSET + code.length;
    phdrs.push([3, off, base + off, base + off, interp.length, interp.length, 4, 1]);
  }
  const gs = o.gnuStack ?? "rw";
  if (gs !== "none") phdrs.push([0x6474e551, 0, 0, 0, 0, 0, gs === "rwx" ? 7 : 6, 16]);
  const out = new Uint8Array(fileLen);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  dv.setUint16(16, o.type ?? 2, true); // e_type
  dv.setUint16(18, 3, true); // e_machine EM_386
  dv.setUint32(20, 1, true); // e_version
  dv.setUint32(24, base + CODE_OFFSET, true); // e_entry
  dv.setUint32(28, 0x34, true); // e_phoff
  dv.setUint16(40, 0x34, true); // e_ehsize
  dv.setUint16(42, 32, true); // e_phentsize
  dv.setUint16(44, phdrs.length, true); // e_phnum
  phdrs.forEach((p, i) => p.forEach((v, j) => dv.setUint32(0x34 + i * 32 + j * 4, v, true)));
  out.set(code, CODE_OFFSET);
  out.set(interp, CODE_OFFSET + code.length);
  return out;
}

/** Little-endian bytes of a 32-bit immediate. */
export function imm32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/** mov eax, nr; mov ebx, a; mov ecx, b; mov edx, c; int 0x80 */
export function sys(nr: number, a = 0, b = 0, c = 0): number[] {
  return [
    0xb8,
    ...imm32(nr), // mov eax, nr
    0xbb,
    ...imm32(a), // mov ebx, a
    0xb9,
    ...imm32(b), // mov ecx, b
    0xba,
    ...imm32(c), // mov edx, c
    0xcd,
    0x80, // int 0x80
  ];
}

export interface TestHost extends Host {
  stdout: number[];
  stderr: number[];
  text(): string;
  errText(): string;
}

export function testHost(fs = new MemoryHostFs()): TestHost {
  const stdout: number[] = [], stderr: number[] = [];
  const dec = new TextDecoder();
  return {
    stdout,
    stderr,
    writeStdout: (b) => stdout.push(...b),
    writeStderr: (b) => stderr.push(...b),
    readStdin: () => 0,
    fs,
    text: () => dec.decode(new Uint8Array(stdout)),
    errText: () => dec.decode(new Uint8Array(stderr)),
  };
}

export function bootImage(
  image: Uint8Array,
  opts: Partial<KernelOptions> & { mode?: KernelMode } = {},
): { k: Kernel; host: TestHost } {
  const host = (opts.host as TestHost | undefined) ?? testHost();
  const k = Kernel.boot(image, {
    host,
    mode: opts.mode ?? { kind: "run" },
    seed: opts.seed ?? 1,
    epoch: opts.epoch ?? 946684800,
    mounts: opts.mounts ?? [],
    cwd: opts.cwd ?? "/",
    argv: opts.argv ?? ["prog"],
    env: opts.env ?? ["HOME=/root"],
    maxInstructions: opts.maxInstructions ?? 0,
    verbose: opts.verbose ?? false,
    exePath: opts.exePath,
  });
  return { k, host };
}

/** Boots `code` (padded with an exit_group(0) the test may never reach). */
export function bootCode(
  code: number[],
  opts: Partial<KernelOptions> & { mode?: KernelMode; elf?: TinyElfOptions } = {},
): { k: Kernel; host: TestHost } {
  return bootImage(tinyElf([...code, ...sys(252, 0)], opts.elf), opts);
}
