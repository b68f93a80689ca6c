/** @module Linux i386 constant names for the strace-style printer (flags, commands, signals). */

/** Bit flags, printed as A|B|0x...; listed most significant meaning first. */
export type FlagTable = readonly (readonly [number, string])[];

export const OPEN_FLAGS: FlagTable = [
  [0o100, "O_CREAT"],
  [0o200, "O_EXCL"],
  [0o400, "O_NOCTTY"],
  [0o1000, "O_TRUNC"],
  [0o2000, "O_APPEND"],
  [0o4000, "O_NONBLOCK"],
  [0o4010000, "O_SYNC"],
  [0o10000, "O_DSYNC"],
  [0o20000, "O_ASYNC"],
  [0o40000, "O_DIRECT"],
  [0o100000, "O_LARGEFILE"],
  [0o20200000, "O_TMPFILE"],
  [0o200000, "O_DIRECTORY"],
  [0o400000, "O_NOFOLLOW"],
  [0o1000000, "O_NOATIME"],
  [0o2000000, "O_CLOEXEC"],
  [0o10000000, "O_PATH"],
];

export const PROT_FLAGS: FlagTable = [
  [1, "PROT_READ"],
  [2, "PROT_WRITE"],
  [4, "PROT_EXEC"],
  [0x01000000, "PROT_GROWSDOWN"],
  [0x02000000, "PROT_GROWSUP"],
];

export const MMAP_FLAGS: FlagTable = [
  [0x01, "MAP_SHARED"],
  [0x02, "MAP_PRIVATE"],
  [0x10, "MAP_FIXED"],
  [0x20, "MAP_ANONYMOUS"],
  [0x100, "MAP_GROWSDOWN"],
  [0x800, "MAP_DENYWRITE"],
  [0x1000, "MAP_EXECUTABLE"],
  [0x2000, "MAP_LOCKED"],
  [0x4000, "MAP_NORESERVE"],
  [0x8000, "MAP_POPULATE"],
  [0x10000, "MAP_NONBLOCK"],
  [0x20000, "MAP_STACK"],
  [0x40000, "MAP_HUGETLB"],
  [0x100000, "MAP_FIXED_NOREPLACE"],
];

export const SIGNAL_NAMES: readonly string[] = [
  "0",
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

export function signalName(n: number): string {
  if (n > 0 && n < SIGNAL_NAMES.length) return SIGNAL_NAMES[n];
  if (n >= 32 && n <= 64) return `SIGRT_${n - 32}`;
  return String(n);
}

export const CLOCK_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "CLOCK_REALTIME"],
  [1, "CLOCK_MONOTONIC"],
  [2, "CLOCK_PROCESS_CPUTIME_ID"],
  [3, "CLOCK_THREAD_CPUTIME_ID"],
  [4, "CLOCK_MONOTONIC_RAW"],
  [5, "CLOCK_REALTIME_COARSE"],
  [6, "CLOCK_MONOTONIC_COARSE"],
  [7, "CLOCK_BOOTTIME"],
]);

export const WHENCE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "SEEK_SET"],
  [1, "SEEK_CUR"],
  [2, "SEEK_END"],
  [3, "SEEK_DATA"],
  [4, "SEEK_HOLE"],
]);

export const FCNTL_NAMES: ReadonlyMap<number, string> = new Map([
  [0, "F_DUPFD"],
  [1, "F_GETFD"],
  [2, "F_SETFD"],
  [3, "F_GETFL"],
  [4, "F_SETFL"],
  [5, "F_GETLK"],
  [6, "F_SETLK"],
  [7, "F_SETLKW"],
  [8, "F_SETOWN"],
  [9, "F_GETOWN"],
  [10, "F_SETSIG"],
  [11, "F_GETSIG"],
  [12, "F_GETLK64"],
  [13, "F_SETLK64"],
  [14, "F_SETLKW64"],
  [1030, "F_DUPFD_CLOEXEC"],
  [1031, "F_SETPIPE_SZ"],
  [1032, "F_GETPIPE_SZ"],
  [1033, "F_ADD_SEALS"],
  [1034, "F_GET_SEALS"],
]);

export const IOCTL_NAMES: ReadonlyMap<number, string> = new Map([
  [0x5401, "TCGETS"],
  [0x5402, "TCSETS"],
  [0x5403, "TCSETSW"],
  [0x5404, "TCSETSF"],
  [0x540f, "TIOCGPGRP"],
  [0x5410, "TIOCSPGRP"],
  [0x5413, "TIOCGWINSZ"],
  [0x5414, "TIOCSWINSZ"],
  [0x541b, "FIONREAD"],
  [0x5421, "FIONBIO"],
  [0x5450, "FIONCLEX"],
  [0x5451, "FIOCLEX"],
  [0x5452, "FIOASYNC"],
]);

export const SOCKETCALL_NAMES: readonly string[] = [
  "0",
  "SYS_SOCKET",
  "SYS_BIND",
  "SYS_CONNECT",
  "SYS_LISTEN",
  "SYS_ACCEPT",
  "SYS_GETSOCKNAME",
  "SYS_GETPEERNAME",
  "SYS_SOCKETPAIR",
  "SYS_SEND",
  "SYS_RECV",
  "SYS_SENDTO",
  "SYS_RECVFROM",
  "SYS_SHUTDOWN",
  "SYS_SETSOCKOPT",
  "SYS_GETSOCKOPT",
  "SYS_SENDMSG",
  "SYS_RECVMSG",
  "SYS_ACCEPT4",
  "SYS_RECVMMSG",
  "SYS_SENDMMSG",
];

/** A|B|0x40 for the set bits of v; `zero` when v is 0. */
export function flagsText(v: number, table: FlagTable, zero = "0"): string {
  const parts: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) === bit) {
      parts.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) parts.push("0x" + rest.toString(16));
  return parts.length === 0 ? zero : parts.join("|");
}
