/* poll, ppoll, select (both i386 entry points), pselect6: readiness of pipes and files, bad fds,
 * timeouts (the emulator jumps its clock), time-left write-back, signal masks and interruption.
 * Nothing here depends on how fast the machine is: elapsed times are only checked for bounds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct ts32 { int32_t sec, nsec; };
struct tv32 { int32_t sec, usec; };

static volatile int got;
static void on_signal(int sig) { got = sig; }

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void show(const char *what, long r) {
  printf("%-28s r=%ld errno=%s\n", what, r, r < 0 ? strerror(errno) : "-");
  errno = 0;
}

int main(void) {
  int p[2], q[2], e[2];
  pipe(p);
  pipe(q);
  pipe(e);
  int file = open("/tmp/poll_c.tmp", O_CREAT | O_RDWR | O_TRUNC, 0600);
  unlink("/tmp/poll_c.tmp");

  /* poll: readiness of pipe ends, regular files, closed and negative fds */
  struct pollfd pf[5] = {
      {p[0], POLLIN, 0}, {p[1], POLLOUT, 0}, {file, POLLIN | POLLOUT, 0}, {-1, POLLIN, 77}, {99, POLLIN, 0}};
  show("poll empty", poll(pf, 5, 0));
  printf("  revents %x %x %x %x %x\n", pf[0].revents, pf[1].revents, pf[2].revents, pf[3].revents,
         pf[4].revents);
  write(p[1], "x", 1);
  show("poll data", poll(pf, 2, 0));
  printf("  revents %x %x\n", pf[0].revents, pf[1].revents);
  close(q[1]);
  close(e[0]);
  struct pollfd hup[2] = {{q[0], POLLIN, 0}, {e[1], POLLOUT, 0}};
  show("poll hup/err", poll(hup, 2, 0));
  printf("  revents %x %x\n", hup[0].revents, hup[1].revents);

  /* poll timeout: nothing ready, time passes */
  long long t0 = now_ms();
  char c;
  read(p[0], &c, 1);
  show("poll timeout 30ms", poll(pf, 1, 30));
  printf("  waited>=30ms %d revents %x\n", now_ms() - t0 >= 30, pf[0].revents);

  /* select (glibc: pselect6 underneath) */
  fd_set rd, wr;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(p[0], &rd);
  FD_SET(q[0], &rd);
  FD_SET(p[1], &wr);
  FD_SET(file, &wr);
  struct timeval tv = {0, 0};
  show("select", select(file + 1, &rd, &wr, NULL, &tv));
  printf("  rd p0=%d q0=%d wr p1=%d file=%d\n", FD_ISSET(p[0], &rd), FD_ISSET(q[0], &rd),
         FD_ISSET(p[1], &wr), FD_ISSET(file, &wr));
  FD_ZERO(&rd);
  FD_SET(42, &rd);
  show("select bad fd", select(43, &rd, NULL, NULL, &tv));
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  tv.tv_sec = 0;
  tv.tv_usec = 25000;
  t0 = now_ms();
  show("select timeout 25ms", select(p[0] + 1, &rd, NULL, NULL, &tv));
  printf("  waited>=25ms %d left %ld.%06ld set %d\n", now_ms() - t0 >= 25, (long)tv.tv_sec,
         (long)tv.tv_usec, FD_ISSET(p[0], &rd));

  /* the raw i386 entry points: old select (args in memory) and _newselect */
  uint32_t words[1] = {1u << p[1]};
  struct tv32 tv32 = {0, 15000};
  uint32_t args[5] = {(uint32_t)p[1] + 1, 0, (uint32_t)(uintptr_t)words, 0, (uint32_t)(uintptr_t)&tv32};
  show("old select", syscall(82, args));
  /* a ready call leaves almost all of its time: how much depends on the machine's speed */
  printf("  words %x left>=14ms %d\n", words[0], tv32.sec == 0 && tv32.usec >= 14000);
  words[0] = 1u << p[0];
  tv32.sec = 0;
  tv32.usec = 15000;
  show("_newselect timeout", syscall(SYS__newselect, p[0] + 1, words, 0, 0, &tv32));
  printf("  words %x left %d.%06d\n", words[0], tv32.sec, tv32.usec);
  tv32.usec = 1000000 * 3;
  tv32.sec = -5;
  show("_newselect bad timeval", syscall(SYS__newselect, 1, 0, 0, 0, &tv32));

  /* ppoll and pselect6 through the 32-bit timespec calls: the kernel writes the time left */
  struct ts32 ts = {0, 20000000};
  show("ppoll timeout", syscall(309, pf, 1, &ts, 0, 8));
  printf("  left %d.%09d\n", ts.sec, ts.nsec);
  ts.sec = 1;
  ts.nsec = 0;
  show("ppoll ready", syscall(309, &pf[1], 1, &ts, 0, 8));
  printf("  left>=0.99s %d revents %x\n", ts.sec == 1 || ts.nsec >= 990000000, pf[1].revents);
  ts.nsec = 2000000000;
  show("ppoll bad timespec", syscall(309, pf, 1, &ts, 0, 8));
  words[0] = 1u << p[0];
  ts.sec = 0;
  ts.nsec = 10000000;
  show("pselect6 timeout", syscall(308, p[0] + 1, words, 0, 0, &ts, 0));
  printf("  words %x left %d.%09d\n", words[0], ts.sec, ts.nsec);

  /* masks: a blocked pending signal interrupts ppoll/pselect once their mask unblocks it */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGALRM, &sa, NULL);
  sigset_t block, empty, old;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigemptyset(&empty);
  sigprocmask(SIG_BLOCK, &block, &old);
  raise(SIGUSR1);
  struct timespec lts = {5, 0};
  show("ppoll keeps USR1 blocked", ppoll(&pf[1], 1, &lts, &block));
  show("ppoll unblocks USR1", ppoll(pf, 1, &lts, &empty));
  printf("  got %d\n", got);
  got = 0;
  raise(SIGUSR1);
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  show("pselect unblocks USR1", pselect(p[0] + 1, &rd, NULL, NULL, &lts, &empty));
  sigset_t now;
  sigprocmask(SIG_SETMASK, NULL, &now);
  printf("  got %d usr1 still blocked %d\n", got, sigismember(&now, SIGUSR1));
  sigprocmask(SIG_SETMASK, &old, NULL);

  /* an interval timer interrupts a poll that would wait forever */
  got = 0;
  struct itimerval it = {{0, 0}, {0, 40000}};
  setitimer(ITIMER_REAL, &it, NULL);
  t0 = now_ms();
  show("poll forever, then SIGALRM", poll(pf, 1, -1));
  printf("  got %d waited>=40ms %d\n", got, now_ms() - t0 >= 40);
  got = 0;
  setitimer(ITIMER_REAL, &it, NULL);
  FD_ZERO(&rd);
  FD_SET(p[0], &rd);
  show("select forever, then SIGALRM", select(p[0] + 1, &rd, NULL, NULL, NULL));
  printf("  got %d\n", got);
  return 0;
}
