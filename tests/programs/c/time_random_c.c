/* time_random_c: clock_gettime (REALTIME, MONOTONIC), gettimeofday, time,
 * nanosleep, getrandom and /dev/urandom, getpid/uid and uname. The emulated
 * clock and generator differ from the host's, so only invariants are printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define EPOCH_2000 946684800LL

static void ok(const char *what, int cond) { printf("%s %s\n", what, cond ? "ok" : "FAIL"); }

static long long ns_of(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec r1, r2, m1, m2;
  ok("clock_gettime realtime", clock_gettime(CLOCK_REALTIME, &r1) == 0);
  ok("realtime after 2000-01-01", r1.tv_sec >= EPOCH_2000);
  ok("realtime nsec in range", r1.tv_nsec >= 0 && r1.tv_nsec < 1000000000L);
  ok("clock_gettime monotonic", clock_gettime(CLOCK_MONOTONIC, &m1) == 0);
  ok("monotonic nsec in range", m1.tv_nsec >= 0 && m1.tv_nsec < 1000000000L);

  struct timeval tv;
  ok("gettimeofday", gettimeofday(&tv, NULL) == 0);
  ok("gettimeofday usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  ok("gettimeofday not before realtime", tv.tv_sec >= r1.tv_sec);
  time_t t = time(NULL);
  ok("time not before realtime", t >= r1.tv_sec);
  ok("time close to realtime", t - r1.tv_sec < 60);

  struct timespec res;
  ok("clock_getres monotonic", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 &&
                                   res.tv_nsec > 0 && res.tv_nsec <= 1000000);

  volatile unsigned spin = 0;
  for (unsigned i = 0; i < 100000; i++) spin += i;
  clock_gettime(CLOCK_MONOTONIC, &m2);
  ok("monotonic non-decreasing", ns_of(m2) >= ns_of(m1));

  struct timespec req = {0, 20000000}, rem = {0, 0};
  ok("nanosleep 20ms", nanosleep(&req, &rem) == 0);
  struct timespec m3, r3;
  clock_gettime(CLOCK_MONOTONIC, &m3);
  clock_gettime(CLOCK_REALTIME, &r3);
  ok("monotonic advanced by sleep", ns_of(m3) - ns_of(m2) >= 20000000LL);
  ok("realtime advanced by sleep", ns_of(r3) - ns_of(r1) >= 20000000LL);
  ok("sleep took under 10s", ns_of(m3) - ns_of(m2) < 10000000000LL);
  ok("usleep", usleep(1000) == 0);
  struct timespec m4;
  clock_gettime(CLOCK_MONOTONIC, &m4);
  ok("monotonic advanced by usleep", ns_of(m4) - ns_of(m3) >= 1000000LL);

  struct tm tm;
  time_t fixed = 951782400; /* 2000-02-29 00:00:00 UTC */
  gmtime_r(&fixed, &tm);
  char tbuf[64];
  strftime(tbuf, sizeof tbuf, "%Y-%m-%d %H:%M:%S %j %a", &tm);
  printf("gmtime fixed: %s\n", tbuf);
  ok("timegm roundtrip", timegm(&tm) == fixed);

  unsigned char a[16], b[16];
  ok("getrandom 16", getrandom(a, sizeof a, 0) == 16);
  ok("getrandom 16 again", getrandom(b, sizeof b, 0) == 16);
  ok("getrandom differs", memcmp(a, b, 16) != 0);
  unsigned char big[256];
  ok("getrandom 256 nonblock", getrandom(big, sizeof big, GRND_NONBLOCK) == 256);
  int zeros = 0;
  for (int i = 0; i < 256; i++) zeros += big[i] == 0;
  ok("getrandom not all zero", zeros < 64);

  int fd = open("/dev/urandom", O_RDONLY);
  ok("open /dev/urandom", fd >= 0);
  unsigned char u1[32], u2[32];
  ok("read urandom 32", read(fd, u1, 32) == 32);
  ok("read urandom 32 again", read(fd, u2, 32) == 32);
  ok("urandom differs", memcmp(u1, u2, 32) != 0);
  close(fd);

  ok("getpid positive", getpid() > 0);
  ok("getppid non-negative", getppid() >= 0);
  ok("gettid equals pid", gettid() == getpid());
  printf("uid=%d euid=%d gid=%d egid=%d\n", (int)getuid(), (int)geteuid(), (int)getgid(),
         (int)getegid());
  struct utsname u;
  ok("uname", uname(&u) == 0);
  ok("uname sysname Linux", strcmp(u.sysname, "Linux") == 0);
  ok("uname release non-empty", u.release[0] != 0);
  return 0;
}
