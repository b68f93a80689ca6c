/* hello_musl: the musl libc startup path (static, i386): stdio, write(2),
 * argc and a getenv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("Hello from musl! argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  const char *home = getenv("HOME");
  printf("HOME=%s\n", home ? home : "(null)");
  fflush(stdout); /* stdout may be line- or fully-buffered: keep the order fixed */
  const char raw[] = "raw write(2)\n";
  write(1, raw, strlen(raw));
  return 0;
}
