/* exit_code_c: atexit handlers run in reverse order, stdio buffers are flushed
 * at exit, and exit(42) is the status. */
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit first registered, runs last\n"); }
static void second(void) { printf("atexit second registered, runs second\n"); }
static void third(void) {
  printf("atexit third registered, runs first\n");
  fflush(stdout);
}

static void __attribute__((constructor)) ctor(void) { printf("constructor ran before main\n"); }
static void __attribute__((destructor)) dtor(void) { printf("destructor ran at exit\n"); }

int main(void) {
  atexit(first);
  atexit(second);
  atexit(third);
  printf("main: buffered line without flush");
  printf(" ... continued\n");
  exit(42);
}
