/* Prints i386 signal structure offsets as JSON: compiled with gcc -m32 by kernel/signal_frame_test.ts. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <signal.h>
#include <ucontext.h>
#define P(name, v) printf("\"%s\": %zu,\n", name, (size_t)(v))
int main(void) {
  printf("{\n");
  P("sigcontext.size", sizeof(struct sigcontext));
  P("sigcontext.gs", offsetof(struct sigcontext, gs));
  P("sigcontext.fs", offsetof(struct sigcontext, fs));
  P("sigcontext.es", offsetof(struct sigcontext, es));
  P("sigcontext.ds", offsetof(struct sigcontext, ds));
  P("sigcontext.edi", offsetof(struct sigcontext, edi));
  P("sigcontext.esi", offsetof(struct sigcontext, esi));
  P("sigcontext.ebp", offsetof(struct sigcontext, ebp));
  P("sigcontext.esp", offsetof(struct sigcontext, esp));
  P("sigcontext.ebx", offsetof(struct sigcontext, ebx));
  P("sigcontext.edx", offsetof(struct sigcontext, edx));
  P("sigcontext.ecx", offsetof(struct sigcontext, ecx));
  P("sigcontext.eax", offsetof(struct sigcontext, eax));
  P("sigcontext.trapno", offsetof(struct sigcontext, trapno));
  P("sigcontext.err", offsetof(struct sigcontext, err));
  P("sigcontext.eip", offsetof(struct sigcontext, eip));
  P("sigcontext.cs", offsetof(struct sigcontext, cs));
  P("sigcontext.eflags", offsetof(struct sigcontext, eflags));
  P("sigcontext.sp_at_signal", offsetof(struct sigcontext, esp_at_signal));
  P("sigcontext.ss", offsetof(struct sigcontext, ss));
  P("sigcontext.fpstate", offsetof(struct sigcontext, fpstate));
  P("sigcontext.oldmask", offsetof(struct sigcontext, oldmask));
  P("sigcontext.cr2", offsetof(struct sigcontext, cr2));
  P("fpstate32.size", sizeof(struct _fpstate));
  P("ucontext.uc_flags", offsetof(ucontext_t, uc_flags));
  P("ucontext.uc_link", offsetof(ucontext_t, uc_link));
  P("ucontext.uc_stack", offsetof(ucontext_t, uc_stack));
  P("ucontext.uc_mcontext", offsetof(ucontext_t, uc_mcontext));
  P("ucontext.uc_sigmask", offsetof(ucontext_t, uc_sigmask));
  P("stack.ss_sp", offsetof(stack_t, ss_sp));
  P("stack.ss_flags", offsetof(stack_t, ss_flags));
  P("stack.ss_size", offsetof(stack_t, ss_size));
  P("stack.size", sizeof(stack_t));
  P("mcontext.gregs.gs", offsetof(mcontext_t, gregs) + 4 * REG_GS);
  P("mcontext.gregs.eip", offsetof(mcontext_t, gregs) + 4 * REG_EIP);
  P("mcontext.gregs.uesp", offsetof(mcontext_t, gregs) + 4 * REG_UESP);
  P("mcontext.gregs.ss", offsetof(mcontext_t, gregs) + 4 * REG_SS);
  P("mcontext.fpregs", offsetof(mcontext_t, fpregs));
  P("mcontext.oldmask", offsetof(mcontext_t, oldmask));
  P("mcontext.cr2", offsetof(mcontext_t, cr2));
  P("siginfo.size", sizeof(siginfo_t));
  P("siginfo.si_signo", offsetof(siginfo_t, si_signo));
  P("siginfo.si_errno", offsetof(siginfo_t, si_errno));
  P("siginfo.si_code", offsetof(siginfo_t, si_code));
  P("siginfo.si_pid", offsetof(siginfo_t, si_pid));
  P("siginfo.si_uid", offsetof(siginfo_t, si_uid));
  P("siginfo.si_value", offsetof(siginfo_t, si_value));
  P("siginfo.si_timerid", offsetof(siginfo_t, si_timerid));
  P("siginfo.si_overrun", offsetof(siginfo_t, si_overrun));
  P("siginfo.si_status", offsetof(siginfo_t, si_status));
  P("siginfo.si_utime", offsetof(siginfo_t, si_utime));
  P("siginfo.si_addr", offsetof(siginfo_t, si_addr));
  P("siginfo.si_addr_lsb", offsetof(siginfo_t, si_addr_lsb));
  P("siginfo.si_band", offsetof(siginfo_t, si_band));
  P("siginfo.si_fd", offsetof(siginfo_t, si_fd));
  printf("\"end\": 0\n}\n");
  return 0;
}
