/* bench: CPU-bound integer workload for `deno task bench`: a sieve of
 * Eratosthenes, FNV/xorshift hashing, an insertion+heap sort and a small
 * matrix multiply, repeated ROUNDS times. About 10^8 instructions natively;
 * deterministic output (one checksum per phase). No syscalls in the hot loops. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROUNDS 8
#define SIEVE_N 200000
#define SORT_N 6000
#define MAT_N 40

static uint8_t composite[SIEVE_N];
static uint32_t arr[SORT_N];
static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static uint32_t xs = 88172645u;
static uint32_t xorshift(void) {
  xs ^= xs << 13;
  xs ^= xs >> 17;
  xs ^= xs << 5;
  return xs;
}

static uint32_t sieve(void) {
  memset(composite, 0, sizeof composite);
  uint32_t count = 0, sum = 0;
  for (uint32_t i = 2; i < SIEVE_N; i++) {
    if (composite[i]) continue;
    count++;
    sum += i;
    for (uint32_t j = i * 2; j < SIEVE_N; j += i) composite[j] = 1;
  }
  return count * 2654435761u ^ sum;
}

static uint32_t hashing(uint32_t seed) {
  uint32_t h = 2166136261u ^ seed;
  for (uint32_t i = 0; i < 400000; i++) {
    h ^= (i & 0xff) ^ (i >> 8);
    h *= 16777619u;
    h = (h << 7) | (h >> 25);
  }
  return h;
}

static void sift(uint32_t *a, int start, int end) {
  int root = start;
  while (2 * root + 1 <= end) {
    int child = 2 * root + 1;
    if (child + 1 <= end && a[child] < a[child + 1]) child++;
    if (a[root] >= a[child]) return;
    uint32_t t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

static uint32_t sorting(void) {
  for (int i = 0; i < SORT_N; i++) arr[i] = xorshift();
  for (int s = (SORT_N - 2) / 2; s >= 0; s--) sift(arr, s, SORT_N - 1);
  for (int e = SORT_N - 1; e > 0; e--) {
    uint32_t t = arr[0];
    arr[0] = arr[e];
    arr[e] = t;
    sift(arr, 0, e - 1);
  }
  /* insertion sort on a small prefix, reversed first */
  for (int i = 0; i < 400; i++) arr[i] = ~arr[i];
  for (int i = 1; i < 400; i++) {
    uint32_t v = arr[i];
    int j = i - 1;
    while (j >= 0 && arr[j] > v) {
      arr[j + 1] = arr[j];
      j--;
    }
    arr[j + 1] = v;
  }
  uint32_t h = 0;
  for (int i = 0; i < SORT_N; i++) h = h * 31 + arr[i];
  return h;
}

static uint32_t matmul(void) {
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      ma[i][j] = (int32_t)(xorshift() % 200) - 100;
      mb[i][j] = (int32_t)(xorshift() % 200) - 100;
    }
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      int32_t s = 0;
      for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
      mc[i][j] = s;
    }
  uint32_t h = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) h = h * 33 + (uint32_t)mc[i][j];
  return h;
}

int main(void) {
  uint32_t total = 0;
  for (int r = 0; r < ROUNDS; r++) {
    uint32_t a = sieve(), b = hashing((uint32_t)r), c = sorting(), d = matmul();
    printf("round %d: sieve=%08x hash=%08x sort=%08x mat=%08x\n", r, a, b, c, d);
    total = total * 1000003u ^ a ^ b ^ c ^ d;
  }
  printf("bench checksum=%08x\n", total);
  return 0;
}
