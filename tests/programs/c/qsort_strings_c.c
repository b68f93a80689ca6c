/* qsort_strings_c: qsort/bsearch on ints and strings, and string.h routines
 * (strlen, strcmp, strncmp, strchr, strrchr, strstr, strtok, strspn, memmove,
 * memcpy, memset, memcmp, memchr) on many sizes and alignments. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 2463534242u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t hash_bytes(const void *p, size_t n, uint32_t h) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 16777619u;
  return h;
}

int main(void) {
  enum { N = 5000 };
  static int a[N];
  for (int i = 0; i < N; i++) a[i] = (int)(next() % 100000) - 50000;
  qsort(a, N, sizeof a[0], cmp_int);
  int sorted = 1;
  for (int i = 1; i < N; i++)
    if (a[i - 1] > a[i]) sorted = 0;
  printf("ints sorted=%d min=%d max=%d median=%d hash=%08x\n", sorted, a[0], a[N - 1], a[N / 2],
         hash_bytes(a, sizeof a, 2166136261u));
  int key = a[1234];
  int *found = bsearch(&key, a, N, sizeof a[0], cmp_int);
  printf("bsearch found=%d value=%d\n", found != NULL, found ? *found : 0);
  key = 999999;
  printf("bsearch missing=%d\n", bsearch(&key, a, N, sizeof a[0], cmp_int) == NULL);

  enum { S = 2000 };
  static char *words[S];
  static char pool[S * 16];
  char *w = pool;
  for (int i = 0; i < S; i++) {
    int len = 1 + next() % 12;
    words[i] = w;
    for (int j = 0; j < len; j++) *w++ = "etaoinshrdlucmfw"[next() % 16];
    *w++ = 0;
  }
  qsort(words, S, sizeof words[0], cmp_str);
  sorted = 1;
  int dups = 0;
  for (int i = 1; i < S; i++) {
    int c = strcmp(words[i - 1], words[i]);
    if (c > 0) sorted = 0;
    if (c == 0) dups++;
  }
  printf("strings sorted=%d dups=%d first=%s last=%s mid=%s\n", sorted, dups, words[0],
         words[S - 1], words[S / 2]);
  uint32_t h = 2166136261u;
  for (int i = 0; i < S; i++) h = hash_bytes(words[i], strlen(words[i]) + 1, h);
  printf("strings hash=%08x\n", h);

  /* string functions on many sizes and misalignments */
  static char buf1[600], buf2[600];
  uint32_t acc = 0;
  for (int len = 0; len < 300; len += 1 + len / 16) {
    for (int off = 0; off < 8; off++) {
      char *s = buf1 + off;
      for (int i = 0; i < len; i++) s[i] = (char)('a' + (i * 7 + off) % 26);
      s[len] = 0;
      acc = acc * 3 + (uint32_t)strlen(s);
      char *d = buf2 + (7 - off);
      memcpy(d, s, (size_t)len + 1);
      acc = acc * 3 + (uint32_t)(strcmp(d, s) == 0);
      if (len > 2) {
        d[len - 1] = 'Z';
        acc = acc * 3 + (uint32_t)(strcmp(d, s) < 0) + 2 * (uint32_t)(strncmp(d, s, len - 1) == 0);
        acc = acc * 3 + (uint32_t)(memcmp(d, s, len) < 0);
      }
      char *p = strchr(s, 'q');
      acc = acc * 3 + (p ? (uint32_t)(p - s) : 999u);
      p = strrchr(s, 'c');
      acc = acc * 3 + (p ? (uint32_t)(p - s) : 999u);
      p = memchr(s, 'z', len);
      acc = acc * 3 + (p ? (uint32_t)(p - s) : 999u);
      memmove(s + 3, s, len / 2);
      acc = hash_bytes(s, len, acc);
      memmove(s, s + 5, len > 5 ? len - 5 : 0);
      acc = hash_bytes(s, len, acc);
      memset(s, 'x', len / 3);
      acc = hash_bytes(s, len, acc);
    }
  }
  printf("string ops acc=%08x\n", acc);

  const char *hay = "the rain in spain stays mainly in the plain";
  printf("strstr ain=%ld plain=%ld xyz=%s\n", (long)(strstr(hay, "ain") - hay),
         (long)(strstr(hay, "plain") - hay), strstr(hay, "xyz") ? "found" : "null");
  printf("strspn=%zu strcspn=%zu\n", strspn(hay, "the "), strcspn(hay, "sp"));
  char tok[] = "alpha, beta;gamma ,, delta;";
  int nt = 0;
  for (char *t = strtok(tok, ",; "); t; t = strtok(NULL, ",; ")) printf("tok%d=%s\n", nt++, t);
  char t2[] = "k1=v1&k2=v2&&k3";
  char *save = NULL;
  for (char *t = strtok_r(t2, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
    char *eq = strchr(t, '=');
    printf("pair %.*s -> %s\n", eq ? (int)(eq - t) : (int)strlen(t), t, eq ? eq + 1 : "(none)");
  }
  char up[] = "Mixed Case 123";
  for (char *p = up; *p; p++) *p = (char)toupper((unsigned char)*p);
  printf("upper=%s\n", up);
  printf("strtol=%ld strtoul=%lu atoi=%d strtol_hex=%ld strtoll=%lld\n", strtol("-12345xyz", NULL, 10),
         strtoul("4000000000", NULL, 10), atoi("  77"), strtol("0x7fff", NULL, 0),
         strtoll("-9000000000", NULL, 10));
  char *end;
  long v = strtol("  42abc", &end, 10);
  printf("strtol end=%s v=%ld\n", end, v);
  char *dup = strdup(hay);
  printf("strdup equal=%d len=%zu\n", strcmp(dup, hay) == 0, strlen(dup));
  free(dup);
  return 0;
}
