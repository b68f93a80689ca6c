/** @module Linux i386 signal numbers, sigaction flags and the structures' sizes. */

export const SIG = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  PWR: 30,
  SYS: 31,
} as const;

export const SIGRTMIN = 32;
/** _NSIG: signals are 1..64 */
export const NSIG = 64;

/** Special handler values. */
export const SIG_DFL = 0;
export const SIG_IGN = 1;

export const SA = {
  NOCLDSTOP: 0x00000001,
  NOCLDWAIT: 0x00000002,
  SIGINFO: 0x00000004,
  RESTORER: 0x04000000,
  ONSTACK: 0x08000000,
  RESTART: 0x10000000,
  NODEFER: 0x40000000,
  RESETHAND: 0x80000000,
} as const;

/** rt_sigprocmask `how` */
export const SIG_HOW = { BLOCK: 0, UNBLOCK: 1, SETMASK: 2 } as const;

/** sigaltstack ss_flags */
export const SS = { ONSTACK: 1, DISABLE: 2, AUTODISARM: 0x80000000 } as const;
export const MINSIGSTKSZ = 2048;

/** The kernel's sigset_t is 64 bits on i386: rt_* syscalls insist on sigsetsize 8. */
export const SIGSET_SIZE = 8;
/** struct sigaction as the i386 kernel reads it: handler, flags, restorer, mask (u64). */
export const KSIGACTION_SIZE = 20;
/** stack_t: ss_sp, ss_flags, ss_size */
export const STACK_T_SIZE = 12;

/** Name of signal n ("SIGSEGV"), or "SIGRT<n>" / "signal <n>". */
export function signalName(n: number): string {
  for (const [k, v] of Object.entries(SIG)) if (v === n) return "SIG" + k;
  if (n >= SIGRTMIN && n <= NSIG) return `SIGRT${n - SIGRTMIN}`;
  return `signal ${n}`;
}

/** siginfo si_code values: who sent the signal (SI_*) and fault details (SEGV_*, FPE_*, ...). */
export const SI = {
  USER: 0,
  KERNEL: 0x80,
  QUEUE: -1,
  TIMER: -2,
  MESGQ: -3,
  ASYNCIO: -4,
  SIGIO: -5,
  TKILL: -6,
} as const;
export const SEGV_CODE = { MAPERR: 1, ACCERR: 2 } as const;
export const FPE_CODE = { INTDIV: 1, INTOVF: 2, FLTDIV: 3 } as const;

/** The signals a CPU exception raises; dequeued before any other (Linux SYNCHRONOUS_MASK). */
export const SYNCHRONOUS_SIGNALS = [
  SIG.SEGV,
  SIG.BUS,
  SIG.ILL,
  SIG.TRAP,
  SIG.FPE,
  SIG.SYS,
] as const;

/** setitimer/getitimer `which` */
export const ITIMER = { REAL: 0, VIRTUAL: 1, PROF: 2 } as const;

/** sizeof(siginfo_t) on i386 */
export const SIGINFO_SIZE = 128;

/** ucontext uc_flags: UC_FP_XSTATE is only set when the CPU has XSAVE, which ours does not. */
export const UC_FP_XSTATE = 1;
