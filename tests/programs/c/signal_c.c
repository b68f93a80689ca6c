/* signal_c: signal delivery: sigaction handlers (plain and SA_SIGINFO), raise
 * and kill, blocking with sigprocmask and sigpending, SIG_IGN, an interval timer
 * waking sigsuspend, SIGSEGV and SIGFPE caught on an alternate stack and left
 * with siglongjmp, and finally death by SIGTERM (exit 143). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, last_signo, alarm_count;
static volatile int info_code, info_pid_ok, info_signo;
static volatile int fault_code, fault_addr_zero, on_altstack;
static sigjmp_buf jump;
static char altstack[65536];

static void on_usr1(int sig) {
  usr1_count++;
  last_signo = sig;
}

static void on_usr2(int sig, siginfo_t *si, void *uctx) {
  (void)uctx;
  info_signo = sig == si->si_signo;
  info_code = si->si_code;
  info_pid_ok = si->si_pid == getpid();
}

static void on_alarm(int sig) {
  (void)sig;
  alarm_count++;
}

static void on_fault(int sig, siginfo_t *si, void *uctx) {
  (void)uctx;
  char here;
  on_altstack = &here >= altstack && &here < altstack + sizeof altstack;
  fault_code = si->si_code;
  fault_addr_zero = si->si_addr == NULL;
  siglongjmp(jump, sig);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("usr1 handler count=%d signo=%d\n", usr1_count, last_signo);
  kill(getpid(), SIGUSR1);
  printf("usr1 after kill count=%d\n", usr1_count);

  struct sigaction old;
  sigaction(SIGUSR1, NULL, &old);
  printf("sigaction query returns handler=%d\n", old.sa_handler == on_usr1);

  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, NULL);
  kill(getpid(), SIGUSR2);
  printf("usr2 siginfo signo_ok=%d code=%d (SI_USER=%d) pid_ok=%d\n", info_signo, info_code,
         SI_USER, info_pid_ok);
  raise(SIGUSR2);
  printf("usr2 via raise code=%d (SI_TKILL=%d)\n", info_code, SI_TKILL);

  sigset_t set, pending, prev;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, &prev);
  raise(SIGUSR1);
  raise(SIGUSR1);
  sigpending(&pending);
  printf("blocked: pending usr1=%d usr2=%d count=%d\n", sigismember(&pending, SIGUSR1),
         sigismember(&pending, SIGUSR2), usr1_count);
  sigprocmask(SIG_SETMASK, &prev, NULL);
  printf("unblocked: count=%d (standard signals do not queue)\n", usr1_count);

  signal(SIGUSR1, SIG_IGN);
  raise(SIGUSR1);
  printf("ignored: count=%d\n", usr1_count);

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, &prev);
  struct itimerval it = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &it, NULL);
  sigset_t wait_mask;
  sigemptyset(&wait_mask);
  int r = sigsuspend(&wait_mask);
  sigprocmask(SIG_SETMASK, &prev, NULL);
  printf("timer: sigsuspend=%d alarm_count=%d\n", r, alarm_count);

  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGFPE, &sa, NULL);

  int sig = sigsetjmp(jump, 1);
  if (sig == 0) {
    *(volatile int *)0 = 1;
    printf("store to NULL did not fault\n");
  } else {
    printf("caught signal %d code=%d addr_zero=%d altstack=%d\n", sig, fault_code, fault_addr_zero,
           on_altstack);
  }
  sig = sigsetjmp(jump, 1);
  if (sig == 0) {
    volatile int zero = 0;
    volatile int x = 100 / zero;
    printf("division by zero did not fault %d\n", x);
  } else {
    printf("caught signal %d code=%d altstack=%d\n", sig, fault_code, on_altstack);
  }
  sigprocmask(SIG_BLOCK, NULL, &set);
  printf("mask restored by siglongjmp: segv_blocked=%d\n", sigismember(&set, SIGSEGV));

  printf("raising SIGTERM\n");
  fflush(stdout);
  signal(SIGTERM, SIG_DFL);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
