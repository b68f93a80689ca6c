/*
 * SSE2 intrinsics (emmintrin.h, gcc -m32 -static -O2 -msse2), results printed in hex:
 * integer SIMD, packed float/double arithmetic, NaN handling, conversions, shuffles, MXCSR
 * rounding modes and exception flags, plus a few MMX (mmintrin.h) operations.
 * No rcpps/rsqrtps: their approximations differ between CPU models.
 */
#include <emmintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* An empty asm makes gcc forget the value, so nothing is folded at compile time. */
#define H(v) __asm__ volatile("" : "+x"(v))

static void pi(const char *label, __m128i v) {
  uint32_t w[4];
  memcpy(w, &v, 16);
  printf("%-22s %08x %08x %08x %08x\n", label, w[3], w[2], w[1], w[0]);
}
static void pps(const char *label, __m128 v) {
  pi(label, _mm_castps_si128(v));
}
static void ppd(const char *label, __m128d v) {
  pi(label, _mm_castpd_si128(v));
}
static void p64(const char *label, __m64 v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  printf("%-22s %016llx\n", label, (unsigned long long)u);
}

/* Vector constants, laundered so that gcc cannot fold the operations on them. */
static __m128i I4(int a, int b, int c, int d) {
  __m128i v = _mm_set_epi32(a, b, c, d);
  H(v);
  return v;
}
static __m128 PS4(float a, float b, float c, float d) {
  __m128 v = _mm_set_ps(a, b, c, d);
  H(v);
  return v;
}
static __m128 PS1(float a) {
  return PS4(a, a, a, a);
}
static __m128d PD2(double a, double b) {
  __m128d v = _mm_set_pd(a, b);
  H(v);
  return v;
}
static __m128d PD1(double a) {
  return PD2(a, a);
}
static __m128d SD(double a) {
  return PD2(0.0, a);
}

static void flags(const char *label) {
  unsigned m = _mm_getcsr();
  printf("%-22s mxcsr %08x flags %02x\n", label, m, m & 0x3f);
}

static const uint32_t SEED_A[4] = {0x80017fff, 0x0000ffff, 0x7f80ff01, 0x12345678};
static const uint32_t SEED_B[4] = {0x7fff8000, 0xffff0001, 0x8081017f, 0xfedcba98};

static __m128i load(const uint32_t *w) {
  __m128i v = _mm_loadu_si128((const __m128i *)w);
  H(v);
  return v;
}

static void integer_ops(void) {
  printf("== integer\n");
  __m128i a = load(SEED_A), b = load(SEED_B);
  pi("a", a);
  pi("b", b);
  pi("add_epi8", _mm_add_epi8(a, b));
  pi("add_epi16", _mm_add_epi16(a, b));
  pi("add_epi32", _mm_add_epi32(a, b));
  pi("add_epi64", _mm_add_epi64(a, b));
  pi("sub_epi8", _mm_sub_epi8(a, b));
  pi("sub_epi64", _mm_sub_epi64(a, b));
  pi("adds_epi8", _mm_adds_epi8(a, b));
  pi("adds_epu8", _mm_adds_epu8(a, b));
  pi("adds_epi16", _mm_adds_epi16(a, b));
  pi("adds_epu16", _mm_adds_epu16(a, b));
  pi("subs_epi8", _mm_subs_epi8(a, b));
  pi("subs_epu8", _mm_subs_epu8(a, b));
  pi("subs_epi16", _mm_subs_epi16(a, b));
  pi("subs_epu16", _mm_subs_epu16(a, b));
  pi("mullo_epi16", _mm_mullo_epi16(a, b));
  pi("mulhi_epi16", _mm_mulhi_epi16(a, b));
  pi("mulhi_epu16", _mm_mulhi_epu16(a, b));
  pi("madd_epi16", _mm_madd_epi16(a, b));
  pi("mul_epu32", _mm_mul_epu32(a, b));
  pi("cmpeq_epi8", _mm_cmpeq_epi8(a, b));
  pi("cmpeq_epi16", _mm_cmpeq_epi16(a, a));
  pi("cmpeq_epi32", _mm_cmpeq_epi32(a, b));
  pi("cmpgt_epi8", _mm_cmpgt_epi8(a, b));
  pi("cmpgt_epi16", _mm_cmpgt_epi16(a, b));
  pi("cmpgt_epi32", _mm_cmpgt_epi32(a, b));
  pi("cmplt_epi32", _mm_cmplt_epi32(a, b));
  pi("min_epi16", _mm_min_epi16(a, b));
  pi("max_epi16", _mm_max_epi16(a, b));
  pi("min_epu8", _mm_min_epu8(a, b));
  pi("max_epu8", _mm_max_epu8(a, b));
  pi("avg_epu8", _mm_avg_epu8(a, b));
  pi("avg_epu16", _mm_avg_epu16(a, b));
  pi("sad_epu8", _mm_sad_epu8(a, b));
  pi("packs_epi16", _mm_packs_epi16(a, b));
  pi("packs_epi32", _mm_packs_epi32(a, b));
  pi("packus_epi16", _mm_packus_epi16(a, b));
  pi("unpacklo_epi8", _mm_unpacklo_epi8(a, b));
  pi("unpackhi_epi8", _mm_unpackhi_epi8(a, b));
  pi("unpacklo_epi16", _mm_unpacklo_epi16(a, b));
  pi("unpackhi_epi16", _mm_unpackhi_epi16(a, b));
  pi("unpacklo_epi32", _mm_unpacklo_epi32(a, b));
  pi("unpackhi_epi32", _mm_unpackhi_epi32(a, b));
  pi("unpacklo_epi64", _mm_unpacklo_epi64(a, b));
  pi("unpackhi_epi64", _mm_unpackhi_epi64(a, b));
  pi("and", _mm_and_si128(a, b));
  pi("andnot", _mm_andnot_si128(a, b));
  pi("or", _mm_or_si128(a, b));
  pi("xor", _mm_xor_si128(a, b));
  pi("slli_epi16 3", _mm_slli_epi16(a, 3));
  pi("slli_epi32 17", _mm_slli_epi32(a, 17));
  pi("slli_epi64 33", _mm_slli_epi64(a, 33));
  pi("srli_epi16 3", _mm_srli_epi16(a, 3));
  pi("srli_epi32 31", _mm_srli_epi32(a, 31));
  pi("srli_epi64 1", _mm_srli_epi64(a, 1));
  pi("srai_epi16 15", _mm_srai_epi16(a, 15));
  pi("srai_epi32 7", _mm_srai_epi32(a, 7));
  pi("srai_epi16 16", _mm_srai_epi16(a, 16));
  pi("slli_epi16 16", _mm_slli_epi16(a, 16));
  pi("slli_si128 3", _mm_slli_si128(a, 3));
  pi("srli_si128 5", _mm_srli_si128(a, 5));
  pi("slli_si128 15", _mm_slli_si128(a, 15));
  pi("srli_si128 16", _mm_srli_si128(a, 16));
  for (int n = 0; n <= 66; n += 11) {
    __m128i c = _mm_cvtsi32_si128(n);
    H(c);
    char l[32];
    snprintf(l, sizeof l, "sll/srl/sra by %d", n);
    pi(l, _mm_sll_epi16(a, c));
    pi("", _mm_srl_epi32(a, c));
    pi("", _mm_sra_epi32(a, c));
    pi("", _mm_sll_epi64(a, c));
  }
  printf("movemask_epi8         %04x %04x\n", _mm_movemask_epi8(a), _mm_movemask_epi8(b));
  printf("extract_epi16         %04x %04x %04x\n", _mm_extract_epi16(a, 0),
         _mm_extract_epi16(a, 5), _mm_extract_epi16(b, 7));
  pi("insert_epi16 3", _mm_insert_epi16(a, 0xbeef, 3));
  pi("shuffle_epi32 1b", _mm_shuffle_epi32(a, 0x1b));
  pi("shufflelo_epi16 b1", _mm_shufflelo_epi16(a, 0xb1));
  pi("shufflehi_epi16 4e", _mm_shufflehi_epi16(a, 0x4e));
  printf("cvtsi128_si32         %08x\n", (unsigned)_mm_cvtsi128_si32(b));
  pi("move_epi64", _mm_move_epi64(b));
  pi("set_epi8", _mm_set_epi8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (char)SEED_A[0]));

  /* A running checksum over many shuffles and saturating ops. */
  __m128i acc = a;
  for (int i = 0; i < 2000; i++) {
    acc = _mm_adds_epi16(acc, (i & 1 ? _mm_shuffle_epi32(b, 0x39) : _mm_shuffle_epi32(b, 0xd8)));
    acc = _mm_xor_si128(acc, _mm_slli_epi64(acc, 7));
    acc = _mm_subs_epu8(acc, _mm_srli_si128(b, 3));
    acc = _mm_add_epi32(acc, _mm_madd_epi16(acc, b));
    acc = _mm_packs_epi32(acc, _mm_unpackhi_epi16(acc, a));
    b = _mm_add_epi8(b, _mm_set1_epi8(0x3b));
  }
  pi("loop checksum", acc);
}

static void float_ops(void) {
  printf("== packed float/double\n");
  __m128 x = PS4(1.5f, -0.0f, 3.0e38f, 1e-40f);
  __m128 y = PS4(NAN, 7.25f, 3.0e38f, 1e-3f);
  __m128d dx = PD2(1e308, -2.5);
  __m128d dy = PD2(NAN, 0x1p-1070);
  H(x);
  H(y);
  H(dx);
  H(dy);
  _mm_setcsr(0x1f80);
  pps("add_ps", _mm_add_ps(x, y));
  pps("sub_ps", _mm_sub_ps(x, y));
  pps("mul_ps", _mm_mul_ps(x, y));
  pps("div_ps", _mm_div_ps(x, y));
  pps("sqrt_ps", _mm_sqrt_ps(x));
  pps("min_ps x,y", _mm_min_ps(x, y));
  pps("min_ps y,x", _mm_min_ps(y, x));
  pps("max_ps x,y", _mm_max_ps(x, y));
  pps("max_ps y,x", _mm_max_ps(y, x));
  pps("cmplt_ps", _mm_cmplt_ps(x, y));
  pps("cmpunord_ps", _mm_cmpunord_ps(x, y));
  pps("cmpneq_ps", _mm_cmpneq_ps(x, y));
  pps("add_ss", _mm_add_ss(x, y));
  pps("and_ps", _mm_and_ps(x, y));
  pps("xor_ps", _mm_xor_ps(x, y));
  pps("shuffle_ps 93", _mm_shuffle_ps(x, y, 0x93));
  pps("unpacklo_ps", _mm_unpacklo_ps(x, y));
  pps("movehl_ps", _mm_movehl_ps(x, y));
  printf("movemask_ps           %x %x\n", _mm_movemask_ps(x), _mm_movemask_ps(y));
  ppd("add_pd", _mm_add_pd(dx, dy));
  ppd("mul_pd", _mm_mul_pd(dx, dx));
  ppd("div_pd", _mm_div_pd(dy, dx));
  ppd("sqrt_pd", _mm_sqrt_pd(dx));
  ppd("sqrt_sd", _mm_sqrt_sd(dy, dx));
  ppd("min_pd x,y", _mm_min_pd(dx, dy));
  ppd("min_pd y,x", _mm_min_pd(dy, dx));
  ppd("max_pd x,y", _mm_max_pd(dx, dy));
  ppd("max_pd y,x", _mm_max_pd(dy, dx));
  ppd("min_sd", _mm_min_sd(dx, dy));
  ppd("cmple_pd", _mm_cmple_pd(dx, dy));
  ppd("cmpnle_pd", _mm_cmpnle_pd(dx, dy));
  ppd("cmpord_pd", _mm_cmpord_pd(dx, dy));
  ppd("shuffle_pd 1", _mm_shuffle_pd(dx, dy, 1));
  ppd("unpackhi_pd", _mm_unpackhi_pd(dx, dy));
  ppd("andnot_pd", _mm_andnot_pd(dx, dy));
  printf("movemask_pd           %x %x\n", _mm_movemask_pd(dx), _mm_movemask_pd(dy));
  printf("comi/ucomi            %d %d %d %d\n", _mm_comilt_sd(dx, dy), _mm_ucomieq_sd(dx, dx),
         _mm_comigt_sd(dx, dy), _mm_ucomineq_sd(dy, dy));
  flags("after packed ops");
}

static void conversions(void) {
  printf("== conversions\n");
  _mm_setcsr(0x1f80);
  __m128 f = PS4(2.5f, -2.5f, 3.0e9f, NAN);
  __m128 g = PS4(-0.5f, 1.5f, -2147483648.0f, 2147483520.0f);
  __m128d d = PD2(-3.5, 4.5e9);
  __m128d e = PD2(0.49999999999999994, -2147483648.5);
  __m128i i = I4(0x7fffffff, -1, 16777217, (int)0x80000000);
  H(f);
  H(g);
  H(d);
  H(e);
  H(i);
  pi("cvtps_epi32 f", _mm_cvtps_epi32(f));
  pi("cvtps_epi32 g", _mm_cvtps_epi32(g));
  pi("cvttps_epi32 f", _mm_cvttps_epi32(f));
  pi("cvttps_epi32 g", _mm_cvttps_epi32(g));
  pi("cvtpd_epi32 d", _mm_cvtpd_epi32(d));
  pi("cvtpd_epi32 e", _mm_cvtpd_epi32(e));
  pi("cvttpd_epi32 d", _mm_cvttpd_epi32(d));
  pi("cvttpd_epi32 e", _mm_cvttpd_epi32(e));
  pps("cvtepi32_ps", _mm_cvtepi32_ps(i));
  ppd("cvtepi32_pd", _mm_cvtepi32_pd(i));
  pps("cvtpd_ps", _mm_cvtpd_ps(PD2(1e300, 0x1.000001p0)));
  ppd("cvtps_pd", _mm_cvtps_pd(f));
  pps("cvtsd_ss", _mm_cvtsd_ss(f, d));
  ppd("cvtss_sd", _mm_cvtss_sd(d, g));
  ppd("cvtsi32_sd", _mm_cvtsi32_sd(d, -7));
  pps("cvtsi32_ss", _mm_cvtsi32_ss(f, 16777217));
  printf("cvtsd_si32 %d %d cvttsd_si32 %d %d\n", _mm_cvtsd_si32(d), _mm_cvtsd_si32(e),
         _mm_cvttsd_si32(d), _mm_cvttsd_si32(e));
  printf("cvtss_si32 %d %d cvttss_si32 %d %d\n", _mm_cvtss_si32(f), _mm_cvtss_si32(g),
         _mm_cvttss_si32(f), _mm_cvttss_si32(g));
  flags("after conversions");
}

static void rounding(void) {
  printf("== MXCSR rounding modes\n");
  static const struct {
    const char *name;
    unsigned mode;
  } MODES[] = {{"nearest", _MM_ROUND_NEAREST},
               {"down", _MM_ROUND_DOWN},
               {"up", _MM_ROUND_UP},
               {"toward zero", _MM_ROUND_TOWARD_ZERO}};
  for (int m = 0; m < 4; m++) {
    _mm_setcsr(0x1f80);
    _MM_SET_ROUNDING_MODE(MODES[m].mode);
    printf("mode %s: get %04x\n", MODES[m].name, _MM_GET_ROUNDING_MODE());
    __m128 one = PS1(1.0f), three = PS4(3.0f, -3.0f, 7.0f, -7.0f);
    __m128d done = PD1(1.0), dthree = PD2(3.0, -3.0);
    __m128 half = PS4(2.5f, -2.5f, 1.5f, -0.5f);
    __m128d dhalf = PD2(2.5, -3.5);
    H(one);
    H(three);
    H(done);
    H(dthree);
    H(half);
    H(dhalf);
    pps("  1/x ps", _mm_div_ps(one, three));
    ppd("  1/x pd", _mm_div_pd(done, dthree));
    pps("  sqrt ps", _mm_sqrt_ps(three));
    ppd("  sqrt pd", _mm_sqrt_pd(PD2(2.0, 5.0)));
    pi("  cvtps_epi32", _mm_cvtps_epi32(half));
    pi("  cvttps_epi32", _mm_cvttps_epi32(half));
    pi("  cvtpd_epi32", _mm_cvtpd_epi32(dhalf));
    pps("  cvtpd_ps", _mm_cvtpd_ps(_mm_div_pd(done, dthree)));
    pps("  cvtepi32_ps", _mm_cvtepi32_ps(I4(16777217, -16777217, 0x7fffffff, 3)));
    ppd("  add_pd tiny", _mm_add_pd(done, PD1(0x1p-60)));
    ppd("  overflow", _mm_mul_pd(PD1(1e308), PD2(10.0, -10.0)));
    printf("  cvtsd_si32 %d %d\n", _mm_cvtsd_si32(dhalf),
           _mm_cvtsd_si32(_mm_unpackhi_pd(dhalf, dhalf)));
    flags("  flags");
  }
  _mm_setcsr(0x1f80);

  printf("== MXCSR exception flags\n");
  static const struct {
    const char *name;
    double a, b;
  } CASES[] = {{"1/3", 1.0, 3.0},          {"1/0", 1.0, 0.0},        {"0/0", 0.0, 0.0},
               {"inf/inf", INFINITY, INFINITY}, {"max/0.5", 1.7e308, 0.5}, {"min/3", 0x1p-1022, 3.0},
               {"min/4", 0x1p-1022, 4.0}, {"qnan/1", NAN, 1.0},    {"4/2", 4.0, 2.0}};
  for (unsigned c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
    __m128d a = SD(CASES[c].a), b = SD(CASES[c].b);
    H(a);
    H(b);
    _mm_setcsr(0x1f80);
    __m128d r = _mm_div_sd(a, b);
    H(r);
    unsigned m = _mm_getcsr();
    ppd(CASES[c].name, r);
    printf("  flags %02x\n", m & 0x3f);
  }
  _mm_setcsr(0x1f80);
  __m128d s = _mm_sqrt_sd(PD1(0.0), SD(-1.0));
  H(s);
  ppd("sqrt(-1)", s);
  flags("  flags");
  _mm_setcsr(0x1f80);
  int t = _mm_cvttsd_si32(SD(3e9));
  printf("cvttsd_si32 3e9 %08x\n", (unsigned)t);
  flags("  flags");
  _mm_setcsr(0x1f80);
  int u = _mm_comilt_sd(SD(NAN), SD(1.0));
  int v = _mm_ucomilt_sd(SD(1.0), SD(2.0));
  printf("comilt nan %d ucomilt %d\n", u, v);
  flags("  flags");
  /* Flush-to-zero and denormals-are-zero. */
  __m128d tiny = PD2(0x1p-1060, 0x1p-1022);
  __m128d quarter = PD1(0.25);
  H(tiny);
  H(quarter);
  _mm_setcsr(0x1f80 | 0x8000);
  ppd("FTZ min*0.25", _mm_mul_pd(tiny, quarter));
  flags("  flags");
  _mm_setcsr(0x1f80 | 0x0040);
  ppd("DAZ denormal+0", _mm_add_pd(tiny, PD1(0.0)));
  flags("  flags");
  _mm_setcsr(0x1f80);
}

static void mmx_ops(void) {
  printf("== MMX\n");
  __m64 a = _mm_set_pi32((int)0x80017fff, 0x12345678);
  __m64 b = _mm_set_pi32(0x7fff8000, (int)0xfedcba98);
  __asm__ volatile("" : "+y"(a), "+y"(b));
  p64("paddb", _mm_add_pi8(a, b));
  p64("paddsw", _mm_adds_pi16(a, b));
  p64("paddusb", _mm_adds_pu8(a, b));
  p64("psubsb", _mm_subs_pi8(a, b));
  p64("pmullw", _mm_mullo_pi16(a, b));
  p64("pmulhw", _mm_mulhi_pi16(a, b));
  p64("pmaddwd", _mm_madd_pi16(a, b));
  p64("pcmpgtw", _mm_cmpgt_pi16(a, b));
  p64("packsswb", _mm_packs_pi16(a, b));
  p64("packuswb", _mm_packs_pu16(a, b));
  p64("punpcklbw", _mm_unpacklo_pi8(a, b));
  p64("punpckhdq", _mm_unpackhi_pi32(a, b));
  p64("psllq 12", _mm_slli_si64(a, 12));
  p64("psraw 3", _mm_srai_pi16(a, 3));
  p64("psrld 40", _mm_srli_pi32(a, 40));
  p64("pandn", _mm_andnot_si64(a, b));
  printf("movd                  %08x\n", (unsigned)_mm_cvtsi64_si32(b));
  _mm_empty();
  /* The x87 must work again after emms. */
  volatile double x = 1.0;
  printf("after emms 1/3 = %a\n", x / 3.0);
}

int main(void) {
  integer_ops();
  float_ops();
  conversions();
  rounding();
  mmx_ops();
  printf("done\n");
  return 0;
}
