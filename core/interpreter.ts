/** @module run(cpu, mem, budget): the instruction loop and the decoded-block cache. */
import type { Cpu } from "./cpu.ts";
import type { Memory } from "./memory.ts";

/**
 * Executes instructions until a stop reason (syscall, fault, budget, halt), which it stores
 * in `cpu.stop`. Returns the number of instructions retired (a faulting instruction does not
 * retire; `int 0x80` does, and eip then points after it).
 */
export function run(_cpu: Cpu, _mem: Memory, _budget: number): number {
  throw new Error("interpreter not implemented yet");
}
