/* malloc_c: glibc malloc/calloc/realloc/free over many sizes, including blocks
 * above the mmap threshold, memalign, and a checksum over the contents. Prints
 * invariants (alignment, zeroing, preserved contents), never addresses. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static void fill(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 31);
}

static int verify(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(seed + i * 31)) return 0;
  return 1;
}

#define SLOTS 512

int main(void) {
  static unsigned char *slot[SLOTS];
  static size_t size[SLOTS];
  unsigned misaligned = 0, corrupt = 0, allocs = 0, frees = 0;
  uint64_t bytes = 0;

  /* random churn of small and medium blocks */
  for (int round = 0; round < 4000; round++) {
    unsigned i = next() % SLOTS;
    if (slot[i]) {
      if (!verify(slot[i], size[i], i)) corrupt++;
      if (next() % 3 == 0) {
        size_t ns = next() % 700 + 1;
        unsigned char *p = realloc(slot[i], ns);
        size_t keep = ns < size[i] ? ns : size[i];
        if (!verify(p, keep, i)) corrupt++;
        fill(p, ns, i);
        slot[i] = p;
        size[i] = ns;
      } else {
        free(slot[i]);
        frees++;
        slot[i] = NULL;
      }
    } else {
      size_t n = (next() % 16 == 0) ? next() % 6000 + 1 : next() % 256 + 1;
      slot[i] = malloc(n);
      if ((uintptr_t)slot[i] % 8) misaligned++;
      fill(slot[i], n, i);
      size[i] = n;
      allocs++;
      bytes += n;
    }
  }
  for (int i = 0; i < SLOTS; i++) {
    if (slot[i] && !verify(slot[i], size[i], i)) corrupt++;
    free(slot[i]);
  }
  printf("churn allocs=%u frees=%u bytes=%llu misaligned=%u corrupt=%u\n", allocs, frees,
         (unsigned long long)bytes, misaligned, corrupt);

  /* large blocks: above the default 128 KiB mmap threshold */
  size_t big_sizes[] = {100000, 131072, 200000, 1 << 20, 3 << 20, 8 << 20};
  for (size_t k = 0; k < sizeof big_sizes / sizeof big_sizes[0]; k++) {
    size_t n = big_sizes[k];
    unsigned char *p = malloc(n);
    if (!p) {
      printf("malloc(%zu) failed\n", n);
      continue;
    }
    memset(p, 0x5a, n);
    p[n - 1] = 1;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i += 4096) h = (h ^ p[i]) * 16777619u;
    h = (h ^ p[n - 1]) * 16777619u;
    unsigned char *q = realloc(p, n * 2);
    int kept = q[0] == 0x5a && q[n - 2] == 0x5a && q[n - 1] == 1;
    q[2 * n - 1] = 7;
    printf("big %zu: hash=%08x realloc_x2_kept=%d aligned=%d\n", n, h, kept,
           (uintptr_t)q % 8 == 0);
    free(q);
  }

  /* calloc zeroes, even after reuse */
  for (int k = 0; k < 3; k++) {
    unsigned char *p = malloc(5000);
    memset(p, 0xff, 5000);
    free(p);
    unsigned char *z = calloc(1250, 4);
    int zero = 1;
    for (int i = 0; i < 5000; i++)
      if (z[i]) zero = 0;
    unsigned char *zb = calloc(1, 300000);
    for (int i = 0; i < 300000; i += 997)
      if (zb[i]) zero = 0;
    printf("calloc round %d zeroed=%d\n", k, zero);
    free(z);
    free(zb);
  }

  /* alignment requests */
  size_t aligns[] = {16, 64, 4096, 65536};
  for (size_t k = 0; k < 4; k++) {
    void *p = memalign(aligns[k], 1000);
    void *q = NULL;
    int rc = posix_memalign(&q, aligns[k], 3000);
    void *r = aligned_alloc(aligns[k], aligns[k] * 2);
    printf("align %zu: memalign=%d posix_memalign=%d rc=%d aligned_alloc=%d\n", aligns[k],
           (uintptr_t)p % aligns[k] == 0, (uintptr_t)q % aligns[k] == 0, rc,
           (uintptr_t)r % aligns[k] == 0);
    free(p);
    free(q);
    free(r);
  }

  /* a linked list of many small nodes */
  struct node {
    struct node *next;
    unsigned v;
  } *head = NULL;
  for (unsigned i = 0; i < 30000; i++) {
    struct node *n = malloc(sizeof *n);
    n->v = i * 2654435761u;
    n->next = head;
    head = n;
  }
  uint32_t sum = 0;
  unsigned count = 0;
  while (head) {
    struct node *n = head->next;
    sum = sum * 31 + head->v;
    count++;
    free(head);
    head = n;
  }
  printf("list count=%u sum=%08x\n", count, sum);
  printf("malloc(0) %s\n", malloc(0) ? "non-null" : "null");
  volatile size_t huge_size = (size_t)3 << 30;
  void *huge = malloc(huge_size);
  printf("malloc(3 GiB) %s\n", huge ? "succeeded" : "failed");
  free(huge);
  return 0;
}
