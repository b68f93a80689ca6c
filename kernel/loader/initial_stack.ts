/**
 * @module The initial process stack exactly as Linux's fs/binfmt_elf.c create_elf_tables builds
 * it (ASLR off): strings at the top, then AT_PLATFORM and AT_RANDOM bytes, then the 16-byte
 * aligned argc, argv, envp and auxv. No AT_SYSINFO: libcs then make syscalls with int $0x80.
 */
import { type Memory, PAGE_SIZE, Prot } from "../../core/memory.ts";
import { AT } from "../abi/auxv.ts";
import { CLK_TCK } from "../clock.ts";
import { UserError } from "../errors.ts";

/**
 * End of the stack mapping: TASK_SIZE of an ia32 process on x86_64 Linux (the oracle host), where
 * its [stack] ends with ASLR off.
 */
export const STACK_TOP = 0xffffe000;
/** The stack is mapped at its RLIMIT_STACK size up front; pages materialise on first touch. */
export const STACK_SIZE = 8 * 1024 * 1024;
export const STACK_BOTTOM = STACK_TOP - STACK_SIZE;
/** Largest total of argv + envp strings we accept (Linux allows a quarter of the stack). */
export const MAX_ARG_BYTES = STACK_SIZE / 4;
export const PLATFORM = "i686";

export interface StackSetup {
  argv: string[];
  env: string[];
  /** AT_EXECFN string: the path the program was executed as */
  execfn: string;
  /** the 16 AT_RANDOM bytes */
  random: Uint8Array;
  hwcap: number;
  phdr: number;
  phnum: number;
  entry: number;
  /** AT_BASE: the interpreter's base (0: static) */
  base: number;
  uid: number;
  gid: number;
  /** stack protection (PROT_EXEC added for executable stacks) */
  prot: number;
}

export interface InitialStack {
  esp: number;
  /** where the AT_RANDOM, AT_EXECFN and AT_PLATFORM values point */
  randomAddr: number;
  execfnAddr: number;
  platformAddr: number;
  /** the auxv written, in order, AT_NULL last */
  auxv: [number, number][];
}

const enc = new TextEncoder();

/** Maps the stack and writes the initial frame; returns the initial esp (pointing at argc). */
export function buildInitialStack(mem: Memory, s: StackSetup): InitialStack {
  const argv = s.argv.map((a) => cstr(a));
  const env = s.env.map((e) => cstr(e));
  const execfn = cstr(s.execfn);
  const total = [...argv, ...env].reduce((n, b) => n + b.length, 0) + execfn.length;
  if (total > MAX_ARG_BYTES) {
    throw new UserError(`argument list too long (${total} bytes of arguments and environment)`);
  }
  mem.map(STACK_BOTTOM, STACK_SIZE, s.prot);
  // bprm->p starts one pointer below the top; the word at the top stays zero
  let p = STACK_TOP - 4;
  const put = (bytes: Uint8Array): number => {
    p -= bytes.length;
    mem.writeBytes(p, bytes);
    return p;
  };
  const execfnAddr = put(execfn);
  // copy_strings copies the last string first, so the first ends up lowest
  const envAddrs = env.map(() => 0);
  for (let i = env.length - 1; i >= 0; i--) envAddrs[i] = put(env[i]);
  const argAddrs = argv.map(() => 0);
  for (let i = argv.length - 1; i >= 0; i--) argAddrs[i] = put(argv[i]);
  p = (p & ~0xf) >>> 0; // arch_align_stack without randomisation
  const platformAddr = put(cstr(PLATFORM));
  const randomAddr = put(s.random.subarray(0, 16));
  const auxv: [number, number][] = [
    [AT.HWCAP, s.hwcap],
    [AT.PAGESZ, PAGE_SIZE],
    [AT.CLKTCK, CLK_TCK],
    [AT.PHDR, s.phdr],
    [AT.PHENT, 32],
    [AT.PHNUM, s.phnum],
    [AT.BASE, s.base],
    [AT.FLAGS, 0],
    [AT.ENTRY, s.entry],
    [AT.UID, s.uid],
    [AT.EUID, s.uid],
    [AT.GID, s.gid],
    [AT.EGID, s.gid],
    [AT.SECURE, 0],
    [AT.RANDOM, randomAddr],
    [AT.EXECFN, execfnAddr],
    [AT.PLATFORM, platformAddr],
    [AT.NULL, 0],
  ];
  const items = (argv.length + 1) + (env.length + 1) + 1;
  const words = items + auxv.length * 2;
  const sp = ((p - words * 4) & ~0xf) >>> 0;
  const frame = new Uint8Array(words * 4);
  const dv = new DataView(frame.buffer);
  let i = 0;
  const word = (v: number) => {
    dv.setUint32(i, v >>> 0, true);
    i += 4;
  };
  word(argv.length);
  argAddrs.forEach(word);
  word(0);
  envAddrs.forEach(word);
  word(0);
  for (const [k, v] of auxv) {
    word(k);
    word(v);
  }
  mem.writeBytes(sp, frame);
  return { esp: sp, randomAddr, execfnAddr, platformAddr, auxv };
}

function cstr(s: string): Uint8Array {
  const b = enc.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** Default stack protection: RW, plus EXEC for an executable stack. */
export function stackProt(exec: boolean): number {
  return Prot.READ | Prot.WRITE | (exec ? Prot.EXEC : 0);
}
