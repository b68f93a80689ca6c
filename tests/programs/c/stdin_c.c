/* stdin_c: reads stdin line by line with fgets (long lines come in pieces) and
 * prints the line count, byte count, longest line, word count and a checksum,
 * then reads again at EOF. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char buf[64];
  unsigned lines = 0, bytes = 0, words = 0, longest = 0, cur = 0, blank = 0;
  uint32_t h = 2166136261u;
  int in_word = 0;
  while (fgets(buf, sizeof buf, stdin)) {
    size_t n = strlen(buf);
    bytes += (unsigned)n;
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)buf[i];
      h = (h ^ c) * 16777619u;
      int space = c == ' ' || c == '\n' || c == '\t';
      if (!space && !in_word) words++;
      in_word = !space;
    }
    cur += (unsigned)n;
    if (n && buf[n - 1] == '\n') {
      if (cur == 1) blank++;
      if (cur - 1 > longest) longest = cur - 1;
      lines++;
      if (lines <= 3 || lines % 50 == 0) printf("line %u: %u bytes\n", lines, cur - 1);
      cur = 0;
    }
  }
  if (cur) {
    if (cur > longest) longest = cur;
    lines++;
    printf("last line without newline: %u bytes\n", cur);
  }
  printf("lines=%u bytes=%u words=%u blank=%u longest=%u fnv=%08x\n", lines, bytes, words, blank,
         longest, h);
  printf("eof=%d error=%d again=%s\n", feof(stdin) != 0, ferror(stdin) != 0,
         fgets(buf, sizeof buf, stdin) ? "data" : "null");
  return 0;
}
