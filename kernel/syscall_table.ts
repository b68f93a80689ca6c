/**
 * @module The i386 syscall table: number → row (name, handler, support, argument kinds, replay
 * re-execution). File rows come from syscalls/file_rows.ts; numbers not listed are ENOSYS.
 */
import { partial, row, type SyscallRow } from "./syscall_row.ts";
import { FILE_ROWS } from "./syscalls/file_rows.ts";
import { POLL_ROWS } from "./syscalls/sys_poll.ts";
import * as info from "./syscalls/sys_info.ts";
import * as mm from "./syscalls/sys_mm.ts";
import * as proc from "./syscalls/sys_process.ts";
import * as rnd from "./syscalls/sys_random.ts";
import * as sched from "./syscalls/sys_sched.ts";
import * as sig from "./syscalls/sys_signal.ts";
import * as thr from "./syscalls/sys_thread.ts";
import * as time from "./syscalls/sys_time.ts";
import * as timer from "./syscalls/sys_timer.ts";
export { SYSCALL_NAMES, syscallName } from "./syscalls/_names.ts";

const id = (name: string) => row(name, proc.sysGetId, { args: [] });
const setId = (name: string, n: number) =>
  partial(name, proc.sysSetId, "we are root: accepted, identities stay 0", {
    args: Array(n).fill("int"),
  });
const REEXEC = { reexec: true } as const;

/** Rows of the kernel core (memory, time, process, signals, threads, info). */
export const CORE_ROWS: Record<number, SyscallRow> = {
  0: row("restart_syscall", sig.sysRestartSyscall, { args: [], ...REEXEC }),
  1: row("exit", proc.sysExit, { args: ["int"], ...REEXEC }),
  13: row("time", time.sysTime, { args: ["ptr"] }),
  20: row("getpid", proc.sysGetpid, { args: [] }),
  23: setId("setuid", 1),
  24: id("getuid"),
  27: row("alarm", timer.sysAlarm, { args: ["int"], ...REEXEC }),
  29: row("pause", sig.sysPause, { args: [], ...REEXEC }),
  34: partial("nice", sched.sysNice, "remembered; the seeded scheduler ignores it", {
    args: ["int"],
  }),
  37: partial("kill", sig.sysKill, "only this process exists; pid -1 reaches nobody", {
    args: ["int", "signal"],
    ...REEXEC,
  }),
  43: row("times", time.sysTimes, { args: ["ptr"] }),
  45: row("brk", mm.sysBrk, { args: ["hex"], ...REEXEC }),
  46: setId("setgid", 1),
  47: id("getgid"),
  49: id("geteuid"),
  50: id("getegid"),
  57: row("setpgid", proc.sysSetpgid, { args: ["int", "int"] }),
  64: row("getppid", proc.sysGetppid, { args: [] }),
  65: row("getpgrp", proc.sysGetpgrp, { args: [] }),
  66: row("setsid", proc.sysSetsid, { args: [] }),
  70: setId("setreuid", 2),
  71: setId("setregid", 2),
  72: row("sigsuspend", sig.sysSigsuspend, { args: ["int", "int", "hex"], ...REEXEC }),
  73: row("sigpending", sig.sysSigpending, { args: ["ptr"] }),
  75: partial("setrlimit", info.sysSetrlimit, "remembered, not enforced", {
    args: ["int", "ptr"],
  }),
  76: row("getrlimit", info.sysOldGetrlimit, { args: ["int", "ptr"] }),
  77: row("getrusage", info.sysGetrusage, { args: ["int", "ptr"] }),
  78: row("gettimeofday", time.sysGettimeofday, { args: ["ptr", "ptr"] }),
  80: row("getgroups", proc.sysGetgroups, { args: ["int", "ptr"] }),
  81: setId("setgroups", 2),
  90: row("mmap", mm.sysOldMmap, { args: ["ptr"], ...REEXEC }),
  91: row("munmap", mm.sysMunmap, { args: ["hex", "size"], ...REEXEC }),
  96: row("getpriority", sched.sysGetpriority, { args: ["int", "int"] }),
  97: partial("setpriority", sched.sysSetpriority, "remembered; the seeded scheduler ignores it", {
    args: ["int", "int", "int"],
  }),
  104: row("setitimer", timer.sysSetitimer, { args: ["int", "ptr", "ptr"], ...REEXEC }),
  105: row("getitimer", timer.sysGetitimer, { args: ["int", "ptr"] }),
  116: row("sysinfo", info.sysSysinfo, { args: ["ptr"] }),
  119: row("sigreturn", sig.sysSigreturn, { args: [], ...REEXEC }),
  122: row("uname", info.sysUname, { args: ["ptr"] }),
  125: row("mprotect", mm.sysMprotect, { args: ["hex", "size", "prot"], ...REEXEC }),
  132: row("getpgid", proc.sysGetpgid, { args: ["int"] }),
  136: partial("personality", proc.sysPersonality, "queries only", { args: ["hex"] }),
  138: setId("setfsuid", 1),
  139: setId("setfsgid", 1),
  144: row("msync", mm.sysMsync, { args: ["hex", "size", "hex"] }),
  147: row("getsid", proc.sysGetsid, { args: ["int"] }),
  154: partial("sched_setparam", sched.sysSchedSetparam, "remembered, not applied", {
    args: ["int", "ptr"],
  }),
  155: row("sched_getparam", sched.sysSchedGetparam, { args: ["int", "ptr"] }),
  156: partial("sched_setscheduler", sched.sysSchedSetscheduler, "remembered, not applied", {
    args: ["int", "int", "ptr"],
  }),
  157: row("sched_getscheduler", sched.sysSchedGetscheduler, { args: ["int"] }),
  158: row("sched_yield", info.sysSchedYield, { args: [] }),
  159: row("sched_get_priority_max", sched.sysSchedGetPriorityMax, { args: ["int"] }),
  160: row("sched_get_priority_min", sched.sysSchedGetPriorityMin, { args: ["int"] }),
  162: row("nanosleep", time.sysNanosleep, { args: ["ptr", "ptr"], ...REEXEC }),
  163: row("mremap", mm.sysMremap, { args: ["hex", "size", "size", "hex", "hex"], ...REEXEC }),
  164: setId("setresuid", 3),
  165: row("getresuid", proc.sysGetres16, { args: ["ptr", "ptr", "ptr"] }),
  170: setId("setresgid", 3),
  171: row("getresgid", proc.sysGetres16, { args: ["ptr", "ptr", "ptr"] }),
  172: partial("prctl", sched.sysPrctl, "names, pdeathsig (never sent), dumpable, no_new_privs", {
    args: ["int", "hex", "hex", "hex", "hex"],
  }),
  173: row("rt_sigreturn", sig.sysRtSigreturn, { args: [], ...REEXEC }),
  174: partial("rt_sigaction", sig.sysRtSigaction, "no FPU state in frames (fpstate = 0)", {
    args: ["signal", "ptr", "ptr", "size"],
    ...REEXEC,
  }),
  175: row("rt_sigprocmask", sig.sysRtSigprocmask, {
    args: ["int", "ptr", "ptr", "size"],
    ...REEXEC,
  }),
  176: row("rt_sigpending", sig.sysRtSigpending, { args: ["ptr", "size"] }),
  177: row("rt_sigtimedwait", sig.sysRtSigtimedwait, {
    args: ["ptr", "ptr", "ptr", "size"],
    ...REEXEC,
  }),
  178: row("rt_sigqueueinfo", sig.sysRtSigqueueinfo, {
    args: ["int", "signal", "ptr"],
    ...REEXEC,
  }),
  179: row("rt_sigsuspend", sig.sysRtSigsuspend, { args: ["ptr", "size"], ...REEXEC }),
  186: row("sigaltstack", sig.sysSigaltstack, { args: ["ptr", "ptr"], ...REEXEC }),
  191: row("ugetrlimit", info.sysUgetrlimit, { args: ["int", "ptr"] }),
  192: row("mmap2", mm.sysMmap2, {
    args: ["hex", "size", "prot", "mmap_flags", "fd", "hex"],
    ...REEXEC,
  }),
  199: id("getuid32"),
  200: id("getgid32"),
  201: id("geteuid32"),
  202: id("getegid32"),
  203: setId("setreuid32", 2),
  204: setId("setregid32", 2),
  205: row("getgroups32", proc.sysGetgroups, { args: ["int", "ptr"] }),
  206: setId("setgroups32", 2),
  208: setId("setresuid32", 3),
  209: row("getresuid32", proc.sysGetres32, { args: ["ptr", "ptr", "ptr"] }),
  210: setId("setresgid32", 3),
  211: row("getresgid32", proc.sysGetres32, { args: ["ptr", "ptr", "ptr"] }),
  213: setId("setuid32", 1),
  214: setId("setgid32", 1),
  215: setId("setfsuid32", 1),
  216: setId("setfsgid32", 1),
  219: row("madvise", mm.sysMadvise, { args: ["hex", "size", "int"], ...REEXEC }),
  224: row("gettid", proc.sysGettid, { args: [] }),
  238: row("tkill", sig.sysTkill, { args: ["int", "signal"], ...REEXEC }),
  240: partial("futex", thr.sysFutex, "one thread: wakes find nobody, untimed waits deadlock", {
    args: ["ptr", "int", "int", "ptr", "ptr", "int"],
    ...REEXEC,
  }),
  241: row("sched_setaffinity", info.sysSchedSetaffinity, { args: ["int", "size", "ptr"] }),
  242: row("sched_getaffinity", info.sysSchedGetaffinity, { args: ["int", "size", "ptr"] }),
  243: row("set_thread_area", thr.sysSetThreadArea, { args: ["ptr"], ...REEXEC }),
  244: row("get_thread_area", thr.sysGetThreadArea, { args: ["ptr"] }),
  252: row("exit_group", proc.sysExitGroup, { args: ["int"], ...REEXEC }),
  258: row("set_tid_address", proc.sysSetTidAddress, { args: ["ptr"], ...REEXEC }),
  259: row("timer_create", timer.sysTimerCreate, { args: ["clock", "ptr", "ptr"], ...REEXEC }),
  260: row("timer_settime", timer.sysTimerSettime, {
    args: ["int", "int", "ptr", "ptr"],
    ...REEXEC,
  }),
  261: row("timer_gettime", timer.sysTimerGettime, { args: ["int", "ptr"] }),
  262: row("timer_getoverrun", timer.sysTimerGetoverrun, { args: ["int"] }),
  263: row("timer_delete", timer.sysTimerDelete, { args: ["int"], ...REEXEC }),
  265: row("clock_gettime", time.sysClockGettime, { args: ["clock", "ptr"] }),
  266: row("clock_getres", time.sysClockGetres, { args: ["clock", "ptr"] }),
  267: row("clock_nanosleep", time.sysClockNanosleep, {
    args: ["clock", "int", "ptr", "ptr"],
    ...REEXEC,
  }),
  270: row("tgkill", sig.sysTgkill, { args: ["int", "int", "signal"], ...REEXEC }),
  311: row("set_robust_list", thr.sysSetRobustList, { args: ["ptr", "size"], ...REEXEC }),
  318: row("getcpu", info.sysGetcpu, { args: ["ptr", "ptr", "ptr"] }),
  335: row("rt_tgsigqueueinfo", sig.sysRtTgsigqueueinfo, {
    args: ["int", "int", "signal", "ptr"],
    ...REEXEC,
  }),
  340: row("prlimit64", info.sysPrlimit64, { args: ["int", "int", "ptr", "ptr"] }),
  355: row("getrandom", rnd.sysGetrandom, { args: ["buf_out", "size", "hex"] }),
  403: row("clock_gettime64", time.sysClockGettime64, { args: ["clock", "ptr"] }),
  406: row("clock_getres_time64", time.sysClockGetres64, { args: ["clock", "ptr"] }),
  408: row("timer_gettime64", timer.sysTimerGettime64, { args: ["int", "ptr"] }),
  409: row("timer_settime64", timer.sysTimerSettime64, {
    args: ["int", "int", "ptr", "ptr"],
    ...REEXEC,
  }),
  407: row("clock_nanosleep_time64", time.sysClockNanosleep64, {
    args: ["clock", "int", "ptr", "ptr"],
    ...REEXEC,
  }),
  421: row("rt_sigtimedwait_time64", sig.sysRtSigtimedwait64, {
    args: ["ptr", "ptr", "ptr", "size"],
    ...REEXEC,
  }),
  422: partial("futex_time64", thr.sysFutexTime64, "as futex", {
    args: ["ptr", "int", "int", "ptr", "ptr", "int"],
    ...REEXEC,
  }),
};

/** The whole table. */
export const SYSCALL_TABLE: Record<number, SyscallRow> = {
  ...FILE_ROWS,
  ...POLL_ROWS,
  ...CORE_ROWS,
};
