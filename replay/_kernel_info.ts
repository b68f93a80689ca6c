/** @module What replay needs to know about the kernel: syscall names and argument kinds. */
import type { ArgKind } from "../kernel/syscall_row.ts";
import { SYSCALL_TABLE } from "../kernel/syscall_table.ts";
export { sha256Hex } from "../kernel/state_hash.ts";

/** Argument kinds of syscall `nr` from the kernel's table. */
export function argKindsOf(nr: number): readonly ArgKind[] | undefined {
  return SYSCALL_TABLE[nr]?.args;
}

export function syscallNameOf(nr: number): string | undefined {
  return SYSCALL_TABLE[nr]?.name;
}
