/* Interrupted sleeps, SA_RESTART and POSIX timers: a fixture (tests/programs): native
 * and emulated outputs must match. Times are
 * printed in 100 ms units so that host scheduling jitter does not show. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* <errno.h> needs <asm/errno.h>, which this host's multilib headers may lack */
extern int *__errno_location(void);
#define errno (*__errno_location())

static volatile sig_atomic_t hits, last_code, last_value;

static void on_sig(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  hits++;
  last_code = si->si_code;
  last_value = si->si_value.sival_int;
}

static long tenths(const struct timespec *ts) {
  return (ts->tv_sec * 1000 + ts->tv_nsec / 1000000 + 50) / 100;
}

static void handle(int sig, int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO | flags;
  sigaction(sig, &sa, 0);
}

static timer_t make(clockid_t clock, int notify, int sig, int value) {
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = notify;
  sev.sigev_signo = sig;
  sev.sigev_value.sival_int = value;
  timer_t id;
  if (timer_create(clock, &sev, &id) != 0) perror("timer_create");
  return id;
}

static void arm(timer_t id, long value_ms, long interval_ms) {
  struct itimerspec its = {{interval_ms / 1000, interval_ms % 1000 * 1000000},
                           {value_ms / 1000, value_ms % 1000 * 1000000}};
  if (timer_settime(id, 0, &its, 0) != 0) perror("timer_settime");
}

int main(void) {
  setvbuf(stdout, 0, _IONBF, 0);
  int rt = SIGRTMIN + 1;
  handle(rt, 0);
  timer_t a = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, rt, 77);
  printf("timer id %d\n", (int)(long)a);

  /* nanosleep: EINTR with the time left */
  struct timespec req = {1, 0}, rem = {0, 0};
  arm(a, 300, 0);
  int r = nanosleep(&req, &rem);
  printf("nanosleep=%d errno=%s rem=%ld hits=%d code=%d value=%d\n", r,
         r ? strerrorname_np(errno) : "-", tenths(&rem), hits, last_code, last_value);

  /* SA_RESTART does not restart nanosleep */
  handle(rt, SA_RESTART);
  arm(a, 200, 0);
  r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
  printf("clock_nanosleep(SA_RESTART)=%d rem=%ld hits=%d\n", r, tenths(&rem), hits);

  /* an absolute sleep is not shortened in rem */
  struct timespec now, until;
  clock_gettime(CLOCK_MONOTONIC, &now);
  until = now;
  until.tv_sec += 1;
  arm(a, 400, 0);
  rem.tv_sec = 42;
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, &rem);
  printf("clock_nanosleep(ABSTIME)=%d rem.sec=%ld hits=%d\n", r, (long)rem.tv_sec, hits);

  /* timer_gettime on a running timer and a SIGEV_NONE one */
  arm(a, 1500, 250);
  struct itimerspec cur;
  timer_gettime(a, &cur);
  printf("gettime value=%ld interval=%ld\n", tenths(&cur.it_value), tenths(&cur.it_interval));
  arm(a, 0, 0);
  timer_gettime(a, &cur);
  printf("disarmed value=%ld interval=%ld\n", tenths(&cur.it_value), tenths(&cur.it_interval));
  timer_t n = make(CLOCK_REALTIME, SIGEV_NONE, 0, 0);
  arm(n, 500, 0);
  struct timespec d = {0, 200000000};
  nanosleep(&d, 0);
  timer_gettime(n, &cur);
  printf("sigev_none after 200ms value=%ld\n", tenths(&cur.it_value));
  d.tv_nsec = 400000000;
  nanosleep(&d, 0);
  timer_gettime(n, &cur);
  printf("sigev_none expired value=%ld hits=%d\n", tenths(&cur.it_value), hits);
  timer_delete(n);

  /* a periodic timer whose signal stays blocked: one signal, overruns counted */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, rt);
  sigprocmask(SIG_BLOCK, &set, 0);
  arm(a, 100, 100);
  d.tv_sec = 1;
  d.tv_nsec = 50000000;
  nanosleep(&d, 0);
  siginfo_t si;
  r = sigwaitinfo(&set, &si);
  printf("sigwaitinfo=%d code=%d overrun=%d getoverrun=%d value=%d\n", r == rt, si.si_code,
         si.si_overrun, timer_getoverrun(a), si.si_value.sival_int);
  arm(a, 0, 0);

  /* timer_delete drops its pending signal */
  arm(a, 100, 0);
  d.tv_sec = 0;
  d.tv_nsec = 200000000;
  nanosleep(&d, 0);
  sigset_t pend;
  sigpending(&pend);
  printf("pending before delete=%d\n", sigismember(&pend, rt));
  timer_delete(a);
  sigpending(&pend);
  printf("pending after delete=%d\n", sigismember(&pend, rt));
  sigprocmask(SIG_UNBLOCK, &set, 0);
  printf("after unblock hits=%d\n", hits);
  r = timer_gettime(a, &cur);
  printf("gettime deleted=%d errno=%s\n", r, strerrorname_np(errno));

  /* re-arming a timer whose signal is pending */
  timer_t b = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, rt, 9);
  sigprocmask(SIG_BLOCK, &set, 0);
  arm(b, 100, 0);
  nanosleep(&d, 0);
  arm(b, 5000, 0);
  sigpending(&pend);
  printf("re-armed: pending=%d\n", sigismember(&pend, rt));
  sigprocmask(SIG_UNBLOCK, &set, 0);
  printf("re-armed: after unblock hits=%d\n", hits);
  timer_delete(b);

  /* a signal without a handler (SIGCONT) restarts the sleep, which then runs to the end */
  timer_t c = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGCONT, 0);
  arm(c, 200, 0);
  clock_gettime(CLOCK_MONOTONIC, &now);
  req.tv_sec = 0;
  req.tv_nsec = 600000000;
  r = nanosleep(&req, &rem);
  clock_gettime(CLOCK_MONOTONIC, &until);
  long slept = ((until.tv_sec - now.tv_sec) * 1000 + (until.tv_nsec - now.tv_nsec) / 1000000 + 50) / 100;
  printf("nanosleep across SIGCONT=%d slept=%ld\n", r, slept);

  /* sigsuspend and pause end with EINTR once a handler ran */
  timer_t p = make(CLOCK_REALTIME, SIGEV_SIGNAL, rt, 5);
  arm(p, 100, 0);
  sigset_t empty;
  sigemptyset(&empty);
  r = sigsuspend(&empty);
  printf("sigsuspend=%d errno=%s value=%d\n", r, strerrorname_np(errno), last_value);
  arm(p, 100, 0);
  r = pause();
  printf("pause=%d errno=%s hits=%d\n", r, strerrorname_np(errno), hits);
  return 0;
}
