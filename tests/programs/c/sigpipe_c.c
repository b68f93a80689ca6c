/* Writing to a pipe without a reader: SIGPIPE, or EPIPE when it is ignored, blocked or handled. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static volatile int got, code, from_self;

static void handler(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  got = sig;
  code = si->si_code;
  from_self = si->si_pid == getpid();
}

static int broken_pipe(void) {
  int p[2];
  pipe(p);
  close(p[0]);
  return p[1];
}

int main(void) {
  int w = broken_pipe();
  signal(SIGPIPE, SIG_IGN);
  ssize_t r = write(w, "x", 1);
  printf("ignored: write=%zd errno=%s\n", r, strerror(errno));

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGPIPE, &sa, 0);
  struct iovec iov = {"yz", 2};
  errno = 0;
  r = writev(w, &iov, 1);
  printf("handled: writev=%zd errno=%s sig=%d code=%d self=%d\n", r, strerror(errno), got, code,
         from_self);

  sigset_t set, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  sigprocmask(SIG_BLOCK, &set, 0);
  got = 0;
  errno = 0;
  r = write(w, "x", 1);
  sigpending(&pend);
  printf("blocked: write=%zd errno=%s pending=%d\n", r, strerror(errno), sigismember(&pend, SIGPIPE));
  int sig = 0;
  sigwait(&set, &sig);
  printf("sigwait took %d, handler ran: %d\n", sig, got);
  sigprocmask(SIG_UNBLOCK, &set, 0);

  signal(SIGPIPE, SIG_DFL);
  printf("default: about to be killed\n");
  fflush(stdout);
  write(w, "x", 1);
  printf("not killed\n");
  return 0;
}
