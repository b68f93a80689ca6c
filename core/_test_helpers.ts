/** @module Test helpers: a tiny address space (code, data, stack) and snippet runner for core/ tests. */
import { Cpu } from "./cpu.ts";
import { run } from "./interpreter.ts";
import { Memory, Prot } from "./memory.ts";

export const CODE = 0x1000;
export const DATA = 0x10000;
export const STACK_TOP = 0x30000;

export interface Machine {
  cpu: Cpu;
  mem: Memory;
}

/** Maps code (R|X) holding `bytes` at CODE, a data page (RW) at DATA and a 64 KiB stack below STACK_TOP. */
export function machine(bytes: number[]): Machine {
  const mem = new Memory();
  mem.map(CODE, 0x2000, Prot.READ | Prot.EXEC);
  mem.writeBytes(CODE, new Uint8Array(bytes));
  mem.map(DATA, 0x2000, Prot.READ | Prot.WRITE);
  mem.map(STACK_TOP - 0x10000, 0x10000, Prot.READ | Prot.WRITE);
  const cpu = new Cpu();
  cpu.eip = CODE;
  cpu.regs[4] = STACK_TOP - 0x100;
  return { cpu, mem };
}

/** Runs `bytes` followed by `int 0x80` until the syscall stop; returns the machine and retired count. */
export function exec(
  bytes: number[],
  init: (m: Machine) => void = () => {},
  budget = 10000,
): Machine & { n: number } {
  const m = machine([...bytes, 0xcd, 0x80]);
  init(m);
  const n = run(m.cpu, m.mem, budget);
  return { ...m, n };
}
