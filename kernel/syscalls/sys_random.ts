/** @module getrandom(2) from the kernel's seeded "getrandom" stream. */
import { Errno } from "../abi/errno.ts";
import type { Kernel } from "../kernel.ts";
import type { Task } from "../task.ts";

export const GRND = { NONBLOCK: 1, RANDOM: 2, INSECURE: 4 } as const;
/** Linux caps one getrandom call at INT_MAX >> (SHIFT+3) = 33554431 bytes. */
export const GETRANDOM_MAX = 33554431;

/** Implements Linux syscall getrandom(2). */
export function sysGetrandom(k: Kernel, _t: Task, buf: number, len: number, flags: number): number {
  if (flags & ~(GRND.NONBLOCK | GRND.RANDOM | GRND.INSECURE)) return -Errno.EINVAL;
  if ((flags & GRND.INSECURE) && (flags & GRND.RANDOM)) return -Errno.EINVAL;
  const n = Math.min(len >>> 0, GETRANDOM_MAX);
  if (n === 0) return 0;
  if (!k.mem.check(buf, n, 2)) return -Errno.EFAULT;
  const out = new Uint8Array(n);
  k.random.fill("getrandom", out);
  return k.copyOut(buf, out) ? n : -Errno.EFAULT;
}
