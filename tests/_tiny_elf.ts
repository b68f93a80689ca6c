/** @module Hand-built minimal i386 ELF executables for CLI and bad-input tests (no toolchain needed). */

const BASE = 0x08048000;
const HEADERS = 52 + 32;
/** Guest address of the first code byte. */
export const ENTRY = BASE + HEADERS;

/** One ELF32 executable with a single R+X PT_LOAD segment holding `body` at ENTRY. */
export function tinyElf(body: number[] | Uint8Array): Uint8Array {
  const size = HEADERS + body.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 3, true); // EM_386
  dv.setUint32(20, 1, true);
  dv.setUint32(24, ENTRY, true);
  dv.setUint32(28, 52, true); // e_phoff
  dv.setUint16(40, 52, true); // e_ehsize
  dv.setUint16(42, 32, true); // e_phentsize
  dv.setUint16(44, 1, true); // e_phnum
  dv.setUint16(46, 40, true); // e_shentsize
  const ph = 52;
  dv.setUint32(ph, 1, true); // PT_LOAD
  dv.setUint32(ph + 4, 0, true);
  dv.setUint32(ph + 8, BASE, true);
  dv.setUint32(ph + 12, BASE, true);
  dv.setUint32(ph + 16, size, true);
  dv.setUint32(ph + 20, size, true);
  dv.setUint32(ph + 24, 5, true); // R+X
  dv.setUint32(ph + 28, 0x1000, true);
  out.set(body, HEADERS);
  return out;
}

function le32(v: number): number[] {
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
}

/** exit(code) */
export function exitCode(code: number): number[] {
  return [
    ...[0xb8, ...le32(1)], // mov eax, 1
    ...[0xbb, ...le32(code)], // mov ebx, code
    ...[0xcd, 0x80], // int 0x80
  ];
}

/** write(1, text, len); exit(code) */
export function helloElf(text: string, code = 0): Uint8Array {
  const msg = new TextEncoder().encode(text);
  const codeLen = 5 + 5 + 5 + 5 + 2 + 12;
  const body = [
    ...[0xb8, ...le32(4)], // mov eax, 4
    ...[0xbb, ...le32(1)], // mov ebx, 1
    ...[0xb9, ...le32(ENTRY + codeLen)], // mov ecx, msg
    ...[0xba, ...le32(msg.length)], // mov edx, len
    ...[0xcd, 0x80], // int 0x80
    ...exitCode(code),
    ...msg,
  ];
  return tinyElf(body);
}

/** ud2: killed by SIGILL. */
export function illegalElf(): Uint8Array {
  return tinyElf([0x0f, 0x0b]); // ud2
}

/** jmp $: never ends. */
export function loopElf(): Uint8Array {
  return tinyElf([0xeb, 0xfe]); // jmp $
}

/** getpid() forever: never ends, but makes a syscall every few instructions. */
export function syscallLoopElf(): Uint8Array {
  return tinyElf([
    ...[0xb8, ...le32(20)], // mov eax, 20 (getpid)
    ...[0xcd, 0x80], // int 0x80
    ...[0xeb, 0xf7], // jmp -9 (back to mov eax)
  ]);
}

/** Syscall 999 (not implemented: -ENOSYS), then exit(0). */
export function enosysElf(): Uint8Array {
  return tinyElf([
    ...[0xb8, ...le32(999)], // mov eax, 999
    ...[0xcd, 0x80], // int 0x80
    ...exitCode(0),
  ]);
}

/** open(path, O_RDONLY); read(fd, esp-256, 256); write(1, buf, n); exit(0): prints a small file. */
export function catElf(path: string): Uint8Array {
  const name = new TextEncoder().encode(path + "\0");
  const codeLen = 5 + 2 + 5 + 2 + 2 + 6 + 2 + 5 + 5 + 2 + 2 + 5 + 2 + 5 + 2 + 12;
  return tinyElf([
    ...[0xbb, ...le32(ENTRY + codeLen)], // mov ebx, path
    ...[0x31, 0xc9], // xor ecx, ecx (O_RDONLY)
    ...[0xb8, ...le32(5)], // mov eax, 5 (open)
    ...[0xcd, 0x80], // int 0x80
    ...[0x89, 0xc3], // mov ebx, eax
    ...[0x81, 0xec, ...le32(256)], // sub esp, 256
    ...[0x89, 0xe1], // mov ecx, esp
    ...[0xba, ...le32(256)], // mov edx, 256
    ...[0xb8, ...le32(3)], // mov eax, 3 (read)
    ...[0xcd, 0x80], // int 0x80
    ...[0x89, 0xc2], // mov edx, eax
    ...[0xbb, ...le32(1)], // mov ebx, 1
    ...[0x89, 0xe1], // mov ecx, esp
    ...[0xb8, ...le32(4)], // mov eax, 4 (write)
    ...[0xcd, 0x80], // int 0x80
    ...exitCode(0),
    ...name,
  ]);
}

/** open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644); write(fd, text); exit(0) without close(). */
export function writeElf(path: string, text: string): Uint8Array {
  const name = new TextEncoder().encode(path + "\0");
  const data = new TextEncoder().encode(text);
  const codeLen = 5 + 5 + 5 + 5 + 2 + 2 + 5 + 5 + 5 + 2 + 12;
  return tinyElf([
    ...[0xbb, ...le32(ENTRY + codeLen)], // mov ebx, path
    ...[0xb9, ...le32(0o1101)], // mov ecx, O_WRONLY|O_CREAT|O_TRUNC
    ...[0xba, ...le32(0o644)], // mov edx, 0644
    ...[0xb8, ...le32(5)], // mov eax, 5 (open)
    ...[0xcd, 0x80], // int 0x80
    ...[0x89, 0xc3], // mov ebx, eax
    ...[0xb9, ...le32(ENTRY + codeLen + name.length)], // mov ecx, text
    ...[0xba, ...le32(data.length)], // mov edx, len
    ...[0xb8, ...le32(4)], // mov eax, 4 (write)
    ...[0xcd, 0x80], // int 0x80
    ...exitCode(0),
    ...name,
    ...data,
  ]);
}
