/* argv_env_c: argc, argv[1..], getenv, environ, setenv/unsetenv and
 * auxiliary-vector values that are the same natively and emulated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=\"%s\" len=%zu\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-null");
  int envc = 0;
  for (char **e = environ; *e; e++) envc++;
  printf("environ count=%d\n", envc);
  const char *names[] = {"PATH", "HOME", "LANG", "TERM", "USER", "DEJAVU_UNSET"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *v = getenv(names[i]);
    printf("getenv(%s)=%s\n", names[i], v ? v : "(null)");
  }
  setenv("DEJAVU_NEW", "1", 0);
  setenv("HOME", "/home/replaced", 1);
  unsetenv("TERM");
  envc = 0;
  for (char **e = environ; *e; e++) envc++;
  printf("after setenv: HOME=%s NEW=%s TERM=%s count=%d\n", getenv("HOME"), getenv("DEJAVU_NEW"),
         getenv("TERM") ? getenv("TERM") : "(null)", envc);
  printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
  printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu\n", getauxval(AT_UID), getauxval(AT_EUID),
         getauxval(AT_GID), getauxval(AT_EGID));
  printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
  printf("AT_RANDOM %s\n", getauxval(AT_RANDOM) ? "present" : "missing");
  printf("AT_PHDR %s\n", getauxval(AT_PHDR) ? "present" : "missing");
  printf("AT_ENTRY %s\n", getauxval(AT_ENTRY) ? "present" : "missing");
  return 0;
}
