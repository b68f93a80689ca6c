/* printf_c: integer, string and char formatting in glibc's printf family
 * (widths, precision, flags, length modifiers, snprintf truncation and return
 * values). No floating point. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  printf("[%d] [%i] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, -42, 42, 42, 42, 42, 42);
  printf("[%u] [%x] [%X] [%o] [%#x] [%#o] [%#X]\n", 3000000000u, 0xbeefu, 0xbeefu, 8u, 255u,
         8u, 255u);
  printf("[%.3d] [%8.3d] [%-8.3d|] [%.0d] [%.0x]\n", 7, -7, 7, 0, 0u);
  printf("[%ld] [%lu] [%lx]\n", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
  printf("[%lld] [%llu] [%llx] [%016llX]\n", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL,
         0xfedcba9876543210ULL);
  printf("[%hhd] [%hhu] [%hd] [%hu] [%hhx]\n", (signed char)200, (unsigned char)300, (short)70000,
         (unsigned short)-1, 0x1ff);
  printf("[%jd] [%zu] [%td]\n", (intmax_t)-123456789012LL, (size_t)4000000000u, (ptrdiff_t)-5);
  printf("[%s] [%10s] [%-10s] [%.3s] [%10.2s] [%c] [%3c] [%-3c|] [%%]\n", "hello", "right", "left",
         "truncate", "xy", 'A', 'B', 'C');
  printf("[%*d] [%-*d] [%.*d] [%*.*s]\n", 6, 12, 6, 12, 4, 5, 8, 3, "abcdef");
  printf("[%s]\n", "");
  printf("[%d %d %d %d %d %d %d %d %d %d]\n", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  printf("[%2$s %1$s]\n", "world", "hello");

  char buf[16];
  int n = snprintf(buf, sizeof buf, "%s-%d", "abcdefghij", 123456789);
  printf("snprintf ret=%d buf=[%s] len=%zu\n", n, buf, strlen(buf));
  n = snprintf(buf, 1, "xyz");
  printf("snprintf size1 ret=%d buf=[%s]\n", n, buf);
  n = snprintf(NULL, 0, "%08x%s", 0xabcu, "tail");
  printf("snprintf null ret=%d\n", n);
  n = sprintf(buf, "%x", 0xcafef00du);
  printf("sprintf ret=%d buf=[%s]\n", n, buf);

  unsigned long long acc = 0;
  for (int i = -300; i <= 300; i += 7) {
    char tmp[64];
    int len = snprintf(tmp, sizeof tmp, "%d|%x|%o|%+05d|%-4u|", i, (unsigned)i, (unsigned)i, i,
                       (unsigned)(i * i));
    for (int j = 0; j < len; j++) acc = acc * 131 + (unsigned char)tmp[j];
  }
  printf("format checksum=%llu\n", acc);

  n = printf("abc\n");
  printf("printf ret=%d\n", n);
  puts("puts line");
  putchar('!');
  putchar('\n');
  fputs("fputs line\n", stdout);
  fprintf(stdout, "fprintf %s\n", "stdout");
  return 0;
}
