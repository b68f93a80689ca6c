/**
 * @module Signal default actions (signal(7)): which signals terminate, dump core, are ignored or
 * stop. Delivery to guest handlers (rt_sigframe, sigreturn) comes later.
 */
import { SIG } from "./abi/signal.ts";

export type DefaultAction = "term" | "core" | "ign" | "stop" | "cont";

const ACTIONS: Record<number, DefaultAction> = {
  [SIG.HUP]: "term",
  [SIG.INT]: "term",
  [SIG.QUIT]: "core",
  [SIG.ILL]: "core",
  [SIG.TRAP]: "core",
  [SIG.ABRT]: "core",
  [SIG.BUS]: "core",
  [SIG.FPE]: "core",
  [SIG.KILL]: "term",
  [SIG.USR1]: "term",
  [SIG.SEGV]: "core",
  [SIG.USR2]: "term",
  [SIG.PIPE]: "term",
  [SIG.ALRM]: "term",
  [SIG.TERM]: "term",
  [SIG.STKFLT]: "term",
  [SIG.CHLD]: "ign",
  [SIG.CONT]: "cont",
  [SIG.STOP]: "stop",
  [SIG.TSTP]: "stop",
  [SIG.TTIN]: "stop",
  [SIG.TTOU]: "stop",
  [SIG.URG]: "ign",
  [SIG.XCPU]: "core",
  [SIG.XFSZ]: "core",
  [SIG.VTALRM]: "term",
  [SIG.PROF]: "term",
  [SIG.WINCH]: "ign",
  [SIG.IO]: "term",
  [SIG.PWR]: "term",
  [SIG.SYS]: "core",
};

/** The default action of signal `sig` (1..64); real-time signals terminate. */
export function defaultAction(sig: number): DefaultAction {
  return ACTIONS[sig] ?? "term";
}

/** True when the default action ends the process (term or core). */
export function killsByDefault(sig: number): boolean {
  const a = defaultAction(sig);
  return a === "term" || a === "core";
}

/** Mask bit of signal `sig` in a 64-bit sigset (bit sig-1). */
export function sigbit(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** SIGKILL and SIGSTOP can be neither caught, blocked nor ignored. */
export const UNBLOCKABLE: bigint = sigbit(SIG.KILL) | sigbit(SIG.STOP);
