/* Nice values, scheduling policies and prctl names (values a non-root process may set too). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  errno = 0;
  int r = getpriority(PRIO_PROCESS, 0);
  printf("getpriority: %d errno=%d\n", r, errno);
  printf("setpriority 5: %d\n", setpriority(PRIO_PROCESS, 0, 5));
  r = getpriority(PRIO_PROCESS, 0);
  printf("getpriority: %d raw=%ld\n", r, syscall(SYS_getpriority, PRIO_PROCESS, 0));
  printf("nice(2): %d\n", nice(2));
  r = setpriority(PRIO_PROCESS, 0, 99);
  printf("setpriority 99 (clamped): %d -> %d\n", r, getpriority(PRIO_PROCESS, 0));
  errno = 0;
  r = getpriority(7, 0);
  printf("getpriority bad which: %d errno=%d\n", r, errno);
  errno = 0;
  r = getpriority(PRIO_PROCESS, 0x3fffffff);
  printf("getpriority no such pid: %d errno=%d\n", r, errno);

  printf("policy: %d\n", sched_getscheduler(0));
  printf("FIFO range: %d..%d, OTHER range: %d..%d\n", sched_get_priority_min(SCHED_FIFO),
         sched_get_priority_max(SCHED_FIFO), sched_get_priority_min(SCHED_OTHER),
         sched_get_priority_max(SCHED_OTHER)); /* side-effect free: any order */
  errno = 0;
  r = sched_get_priority_max(42);
  printf("bad policy max: %d errno=%d\n", r, errno);
  struct sched_param sp = {0};
  printf("getparam: %d prio=%d\n", sched_getparam(0, &sp), sp.sched_priority);
  r = sched_setscheduler(0, SCHED_BATCH, &sp);
  printf("set BATCH: %d -> policy %d\n", r, sched_getscheduler(0));
  sp.sched_priority = 1;
  errno = 0;
  r = sched_setscheduler(0, SCHED_OTHER, &sp);
  printf("OTHER with prio 1: %d errno=%d\n", r, errno);
  sp.sched_priority = 0;
  r = sched_setscheduler(0, SCHED_OTHER, &sp);
  printf("back to OTHER: %d -> policy %d\n", r, sched_getscheduler(0));
  errno = 0;
  r = sched_getscheduler(-1);
  printf("getscheduler(-1): %d errno=%d\n", r, errno);

  char name[32];
  memset(name, 'q', sizeof name);
  prctl(PR_GET_NAME, name);
  printf("name: '%s'\n", name);
  printf("set name: %d\n", prctl(PR_SET_NAME, "a-very-long-thread-name"));
  memset(name, 'q', sizeof name);
  prctl(PR_GET_NAME, name);
  printf("name: '%s' (len %zu)\n", name, strlen(name));
  int sig = -1;
  r = prctl(PR_SET_PDEATHSIG, 15);
  printf("pdeathsig: %d", r);
  prctl(PR_GET_PDEATHSIG, &sig);
  printf(" -> %d\n", sig);
  printf("dumpable: %d\n", prctl(PR_GET_DUMPABLE));
  errno = 0;
  r = prctl(12345, 0, 0, 0, 0);
  printf("bad option: %d errno=%d\n", r, errno);
  errno = 0;
  r = prctl(PR_SET_PDEATHSIG, 65);
  printf("bad pdeathsig: %d errno=%d\n", r, errno);
  return 0;
}
