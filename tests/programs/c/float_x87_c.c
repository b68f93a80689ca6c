/*
 * Floating point through glibc: printf/strtod, libm, conversions, rounding modes, exception
 * flags, x87 precision control. Built twice from this file:
 *   float_x87_c   gcc -m32 -static -O2                      (double math on the x87)
 *   float_sse2_c  gcc -m32 -static -O2 -msse2 -mfpmath=sse  (double math in SSE2 scalar)
 * long double is x87 in both. Results of the x87 transcendental instructions (f2xm1, fyl2x,
 * fpatan, fsin...) are not exactly specified, so what depends on them is printed to 14 digits
 * only; everything exactly specified (arithmetic, sqrt, fprem, frndint, conversions, printf,
 * strtod) is printed bit for bit.
 */
#include <errno.h>
#include <fenv.h>
#include <float.h>
#include <fpu_control.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2_MATH__
#define MODE "sse2"
#else
#define MODE "x87"
#endif

/* Volatile round trips keep gcc from folding anything at compile time. */
static double V(double x) {
  volatile double t = x;
  return t;
}
static float VF(float x) {
  volatile float t = x;
  return t;
}
static long double VL(long double x) {
  volatile long double t = x;
  return t;
}

static uint64_t bits(double x) {
  uint64_t u;
  memcpy(&u, &x, 8);
  return u;
}
static uint32_t fbits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}
static void lbits(long double x, uint16_t *se, uint64_t *m) {
  unsigned char b[16];
  memcpy(b, &x, sizeof x);
  memcpy(m, b, 8);
  memcpy(se, b + 8, 2);
}

static void pd(const char *label, double x) {
  printf("%s = %a %.17g [%016llx]\n", label, x, x, (unsigned long long)bits(x));
}
static void pf(const char *label, float x) {
  printf("%s = %a %.9g [%08x]\n", label, (double)x, (double)x, (unsigned)fbits(x));
}
static void pl(const char *label, long double x) {
  uint16_t se;
  uint64_t m;
  lbits(x, &se, &m);
  printf("%s = %La %.21Lg [%04x:%016llx]\n", label, x, x, se, (unsigned long long)m);
}
/* For results of the inexact x87 transcendental instructions. */
static void pd14(const char *label, double x) {
  printf("%s ~ %.14g\n", label, x);
}
static void pl14(const char *label, long double x) {
  printf("%s ~ %.14Lg\n", label, x);
}

static void flags(const char *label) {
  int f = fetestexcept(FE_ALL_EXCEPT);
  printf("  %-28s flags:%s%s%s%s%s\n", label, f & FE_INVALID ? " invalid" : "",
         f & FE_DIVBYZERO ? " divbyzero" : "", f & FE_OVERFLOW ? " overflow" : "",
         f & FE_UNDERFLOW ? " underflow" : "", f & FE_INEXACT ? " inexact" : "");
}

static const double DVALS[] = {
    0.0,        -0.0,        1.0,          -1.0,         0.1,
    1.0 / 3,    2.0 / 3,     1e300,        1e-300,       DBL_MAX,
    DBL_MIN,    4.9e-324,    5e-310,       INFINITY,     -INFINITY,
    NAN,        -NAN,        123456789.125, 3.141592653589793, 1e22,
    1e23,       9007199254740993.0, 0.5,   2.5,          -1234.5678,
    999999.9999, 1e-5,       0.000123456789, 100.0,      1e15 + 0.3,
};
#define NDVALS (sizeof DVALS / sizeof DVALS[0])

static const char *const DFMTS[] = {
    "%.17g", "%a",     "%e",     "%.0e",   "%.3e",    "%g",      "%.1g",   "%.10g",
    "%f",    "%.0f",   "%.20f",  "%#g",    "%+.5g",   "%010.3f", "%-14.4e|", "%.30g",
    "%A",    "%.3a",   "%.0a",   "%#.0f",  "%G",      "%.40e",
};
#define NDFMTS (sizeof DFMTS / sizeof DFMTS[0])

static void section_printf(void) {
  printf("== printf double\n");
  char buf[2048];
  for (unsigned i = 0; i < NDVALS; i++) {
    double x = V(DVALS[i]);
    printf("[%u]", i);
    for (unsigned j = 0; j < NDFMTS; j++) {
      /* %f of 1e300 and DBL_MAX is long but fits. */
      snprintf(buf, sizeof buf, DFMTS[j], x);
      printf(" %s", buf);
    }
    printf("\n");
  }

  printf("== printf long double\n");
  static const char *const LFMTS[] = {"%La", "%Lg", "%.21Lg", "%.25Le", "%.3Lf", "%LA",
                                      "%.5La", "%.0Le", "%#Lg", "%.30Lg"};
  long double lv[] = {
      VL(1.0L) / VL(3.0L), VL(0.1L),   LDBL_MAX,    LDBL_MIN,   LDBL_TRUE_MIN, LDBL_MIN / 4,
      -VL(2.0L) / VL(7.0L), 1e4000L,   1e-4000L,    (long double)DBL_MAX * 8, 0.0L, -0.0L,
      (long double)INFINITY, -(long double)INFINITY, (long double)NAN, 18446744073709551615.0L,
      12345678901234567890.5L, 0.5L, 1.0L + LDBL_EPSILON, 1.0L - LDBL_EPSILON / 2,
  };
  for (unsigned i = 0; i < sizeof lv / sizeof lv[0]; i++) {
    long double x = VL(lv[i]);
    printf("[%u]", i);
    for (unsigned j = 0; j < sizeof LFMTS / sizeof LFMTS[0]; j++) {
      /* Decimal output of 1e4000 is slow (%Lf: 3e7 instructions): keep two formats. */
      if (!(fabsl(x) < 1e30L) && isfinite(x) && j != 0 && j != 2) {
        printf(" -");
        continue;
      }
      snprintf(buf, sizeof buf, LFMTS[j], x);
      printf(" %s", buf);
    }
    printf("\n");
  }

  printf("== printf float\n");
  float fv[] = {1.0f / 3, 0.1f, FLT_MAX, FLT_MIN, 1e-45f, 16777217.0f, -3.4028235e38f, 1e-40f};
  for (unsigned i = 0; i < sizeof fv / sizeof fv[0]; i++) pf("  f", VF(fv[i]));
}

static void section_arith(void) {
  printf("== arithmetic and excess precision\n");
  pf("0.1f+0.2f", VF(0.1f) + VF(0.2f));
  pd("0.1+0.2", V(0.1) + V(0.2));
  pl("0.1L+0.2L", VL(0.1L) + VL(0.2L));
  pf("1f/3f", VF(1.0f) / VF(3.0f));
  pd("1/3", V(1.0) / V(3.0));
  pl("1L/3L", VL(1.0L) / VL(3.0L));
  pf("16777216f+1f", VF(16777216.0f) + VF(1.0f));
  /* 1 + 2^-53 + 2^-85: rounds twice on the x87 (to 64 bits, then to 53). */
  pd("double rounding", V(1.0) + V(0x1.00000001p-53));
  pd("a*b-c", V(0x1.0000001p0) * V(0x1.0000001p0) - V(1.0));
  pd("(a*b)/c", V(1e300) * V(1e10) / V(1e20));
  pd("a+b-a", V(1e16) + V(2.9999) - V(1e16));
  pf("fa*fb-fc", VF(1.0000001f) * VF(1.0000001f) - VF(1.0f));
  pl("la*lb-lc", VL(1.0L + LDBL_EPSILON) * VL(1.0L + LDBL_EPSILON) - VL(1.0L));
  pd("denormal * 0.5", V(4.9e-324) * V(0.5));
  pd("denormal * 1.5", V(1.5e-323) * V(1.5));
  pd("DBL_MIN * 0.75", V(DBL_MIN) * V(0.75));
  pd("denormal / 3", V(5e-310) / V(3.0));
  pd("DBL_MAX + DBL_MAX", V(DBL_MAX) + V(DBL_MAX));
  pd("inf - inf", V(INFINITY) - V(INFINITY));
  pd("0 / 0", V(0.0) / V(0.0));
  pd("0 * inf", V(0.0) * V(INFINITY));
  pd("-0 + 0", V(-0.0) + V(0.0));
  pd("-0 * 5", V(-0.0) * V(5.0));
  pd("1 / -0", V(1.0) / V(-0.0));
  pl("lnan + 1", VL((long double)NAN) + VL(1.0L));
  pl("linf * 0", VL((long double)INFINITY) * VL(0.0L));
  pl("LDBL_MAX * 2", VL(LDBL_MAX) * VL(2.0L));
  pl("LDBL_TRUE_MIN / 2", VL(LDBL_TRUE_MIN) / VL(2.0L));
  pl("LDBL_MIN * 0.75", VL(LDBL_MIN) * VL(0.75L));
  pf("float overflow", (float)V(1e300));
  pf("float underflow", (float)V(1e-50));
  pf("float denormal", (float)V(1e-40));
  pd("long double to double ties", (double)VL(1.0L + 0x1p-53L));
  pd("long double to double up", (double)VL(1.0L + 0x1.8p-53L));

  float fs = 0;
  double ds = 0;
  long double ls = 0;
  for (int i = 1; i <= 3000; i++) {
    fs += VF(1.0f) / (float)i;
    ds += V(1.0) / (double)i;
    ls += VL(1.0L) / (long double)i;
  }
  pf("harmonic float", fs);
  pd("harmonic double", ds);
  pl("harmonic long double", ls);
  double acc = 0, comp = 0;
  for (int i = 0; i < 3000; i++) {
    double y = V(0.1) - comp;
    double t = acc + y;
    comp = (t - acc) - y;
    acc = t;
  }
  pd("kahan 3000*0.1", acc);
  double prod = 1;
  for (int i = 1; i <= 170; i++) prod *= V((double)i);
  pd("170!", prod);
  pd("171!", prod * V(171.0));
  long double lprod = 1;
  for (int i = 1; i <= 1754; i++) lprod *= VL((long double)i);
  pl("1754!", lprod);
}

static const double MARGS[] = {
    0.0, -0.0, 0.5,  1.0,   -1.0,  2.0,    10.0,  100.0, 1e10, 1e22, -3.75, 3.141592653589793,
    INFINITY, -INFINITY, NAN, 4.9e-324, 1e-310, 709.7, 710.0, -745.0, -746.0, 0.1, 1e-8, 7.5e300,
};
#define NMARGS (sizeof MARGS / sizeof MARGS[0])

static void section_libm(void) {
  printf("== libm double\n");
  char l[64];
  for (unsigned i = 0; i < NMARGS; i++) {
    double x = V(MARGS[i]);
    printf("x = %a\n", x);
    pd("  sin", sin(x));
    pd("  cos", cos(x));
    pd("  tan", tan(x));
    pd14("  exp", exp(x));
    pd14("  log", log(x));
    pd14("  log10", log10(x));
    pd14("  pow(x, 2.5)", pow(x, V(2.5)));
    pd14("  pow(1.5, x)", pow(V(1.5), x));
    pd14("  pow(x, -3)", pow(x, V(-3.0)));
    pd("  sqrt", sqrt(x));
    pd14("  atan2(x, 2)", atan2(x, V(2.0)));
    pd14("  atan2(-1, x)", atan2(V(-1.0), x));
    pd("  fmod(x, 3)", fmod(x, V(3.0)));
    pd("  fmod(1e22, x)", fmod(V(1e22), x));
    pd("  floor", floor(x));
    pd("  ceil", ceil(x));
    pd("  round", round(x));
    pd("  trunc", trunc(x));
    pd("  rint", rint(x));
    pd("  fabs", fabs(x));
    pd("  copysign(1, x)", copysign(V(1.0), x));
    pd("  ldexp(x, -1070)", ldexp(x, -1070));
    int e = 0;
    double m = frexp(x, &e);
    snprintf(l, sizeof l, "  frexp (e=%d)", (isfinite(x) ? e : 0));
    pd(l, m);
    printf("  lrint %ld llrint %lld lround %ld fpclassify %d signbit %d isnan %d isinf %d\n",
           lrint(x), llrint(x), lround(x), fpclassify(x), signbit(x) != 0, isnan(x) != 0,
           isinf(x));
  }
  printf("== libm pow edge cases\n");
  static const double PX[][2] = {
      {0.0, -1.0}, {-0.0, -1.0}, {-0.0, -2.0}, {-8.0, 1.0 / 3}, {-2.0, 3.0}, {1.0, NAN},
      {NAN, 0.0},  {-1.0, INFINITY}, {0.5, INFINITY}, {2.0, 1024.0}, {2.0, -1075.0}, {10.0, 308.0},
  };
  for (unsigned i = 0; i < sizeof PX / sizeof PX[0]; i++) {
    snprintf(l, sizeof l, "  pow(%g, %g)", PX[i][0], PX[i][1]);
    pd14(l, pow(V(PX[i][0]), V(PX[i][1])));
  }

  printf("== libm float and long double\n");
  static const float FARGS[] = {0.0f, 0.5f, 1.0f, -2.25f, 100.0f, 1e-40f, 3e38f, INFINITY, NAN};
  for (unsigned i = 0; i < sizeof FARGS / sizeof FARGS[0]; i++) {
    float x = VF(FARGS[i]);
    printf("xf = %a\n", (double)x);
    pf("  sqrtf", sqrtf(x));
    pf("  floorf", floorf(x));
    pf("  ceilf", ceilf(x));
    pf("  roundf", roundf(x));
    pf("  fmodf(x, 0.75)", fmodf(x, VF(0.75f)));
#ifdef __SSE2_MATH__
    /* glibc picks SSE2 versions of these when CPUID says SSE2: exact SSE2 code. */
    pf("  sinf", sinf(x));
    pf("  cosf", cosf(x));
    pf("  expf", expf(x));
    pf("  logf", logf(x));
    pf("  powf(x, 1.5)", powf(x, VF(1.5f)));
#endif
  }
  static const long double LARGS[] = {0.0L, 0.5L, 1.0L, -2.25L, 100.0L, 1e-4940L, 1e40L};
  for (unsigned i = 0; i < sizeof LARGS / sizeof LARGS[0]; i++) {
    long double x = VL(LARGS[i]);
    printf("xl = %La\n", x);
    pl("  sqrtl", sqrtl(x));
    pl("  fmodl(x, 0.3)", fmodl(x, VL(0.3L)));
    pl("  remainderl(x, 0.3)", remainderl(x, VL(0.3L)));
    pl("  rintl", rintl(x));
    pl("  floorl", floorl(x));
    pl("  scalbnl(x, 100)", scalbnl(x, 100));
    pl14("  expl", expl(x));
    pl14("  logl", logl(x));
    pl14("  powl(x, 0.75)", powl(x, VL(0.75L)));
    if (fabsl(x) < 4) {
      pl14("  sinl", sinl(x));
      pl14("  cosl", cosl(x));
      pl14("  atanl", atanl(x));
    }
  }
}

static void section_convert(void) {
  printf("== conversions\n");
  static const double CV[] = {
      0.5,          -0.5,          1.5,          2.5,           -2.5,         0.99999999999,
      2147483647.5, 2147483648.0,  -2147483648.9, -2147483649.0, 4294967295.9, 4294967296.0,
      1e19,         9.2233720368547758e18, 1.8446744073709552e19, 1e20, -1e20, INFINITY,
      -INFINITY,    NAN,           -1.0,         65535.9,       -32768.5,     4.9e-324,
  };
  for (unsigned i = 0; i < sizeof CV / sizeof CV[0]; i++) {
    double x = V(CV[i]);
    printf("%a: int %d uint %u ll %lld ull %llu short %d uchar %u\n", x, (int)x, (unsigned)x,
           (long long)x, (unsigned long long)x, (short)(int)x, (unsigned char)(int)x);
    float f = VF((float)CV[i]);
    printf("  float %a: int %d ll %lld ull %llu\n", (double)f, (int)f, (long long)f,
           (unsigned long long)f);
    long double lx = VL((long double)CV[i]);
    printf("  long double: int %d ll %lld ull %llu\n", (int)lx, (long long)lx,
           (unsigned long long)lx);
  }
  static const long long IV[] = {
      0, 1, -1, 16777217, -16777217, 2147483647, -2147483647 - 1, 9007199254740993LL,
      -9007199254740993LL, 0x7fffffffffffffffLL, -0x7fffffffffffffffLL - 1, 0x20000020000001LL,
  };
  for (unsigned i = 0; i < sizeof IV / sizeof IV[0]; i++) {
    volatile long long v = IV[i];
    volatile unsigned long long u = (unsigned long long)IV[i];
    volatile int w = (int)IV[i];
    volatile unsigned uw = (unsigned)IV[i];
    printf("%lld:", (long long)v);
    printf(" ll->d %a ll->f %a ull->d %a ull->f %a", (double)v, (double)(float)v, (double)u,
           (double)(float)u);
    printf(" int->f %a uint->d %a uint->f %a ll->ld %La ull->ld %La\n", (double)(float)w,
           (double)uw, (double)(float)uw, (long double)v, (long double)u);
  }
}

static const char *const RNAMES[] = {"nearest", "upward", "downward", "towardzero"};
static const int RMODES[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};

static void section_rounding(void) {
  printf("== rounding modes\n");
  char buf[64];
  for (int r = 0; r < 4; r++) {
    if (fesetround(RMODES[r]) != 0) printf("fesetround failed\n");
    printf("mode %s (fegetround ok %d)\n", RNAMES[r], fegetround() == RMODES[r]);
    pd("  1/3", V(1.0) / V(3.0));
    pd("  -1/3", V(-1.0) / V(3.0));
    pd("  2/3", V(2.0) / V(3.0));
    pf("  1f/3f", VF(1.0f) / VF(3.0f));
    pf("  -2f/3f", VF(-2.0f) / VF(3.0f));
    pl("  1L/3L", VL(1.0L) / VL(3.0L));
    pl("  -1L/3L", VL(-1.0L) / VL(3.0L));
    pd("  sqrt(2)", sqrt(V(2.0)));
    pl("  sqrtl(2)", sqrtl(VL(2.0L)));
    pd("  1 + 2^-60", V(1.0) + V(0x1p-60));
    pd("  -1 - 2^-60", V(-1.0) - V(0x1p-60));
    pd("  DBL_MAX * 2", V(DBL_MAX) * V(2.0));
    pd("  (double)(1L + 2^-60)", (double)VL(1.0L + 0x1p-60L));
    pf("  (float)0.1", (float)V(0.1));
    pd("  (double)ll 2^53+1", (double)(volatile long long){9007199254740993LL});
    printf("  rint 2.5 %g -2.5 %g 3.5 %g -0.5 %g 0.7 %g\n", rint(V(2.5)), rint(V(-2.5)),
           rint(V(3.5)), rint(V(-0.5)), rint(V(0.7)));
    printf("  nearbyint 2.5 %g -1.5 %g rintl %Lg %Lg\n", nearbyint(V(2.5)), nearbyint(V(-1.5)),
           rintl(VL(2.5L)), rintl(VL(-2.5L)));
    printf("  lrint 2.5 %ld -1.5 %ld 0.4 %ld llrint -7.5 %lld lrintf 1.5 %ld\n", lrint(V(2.5)),
           lrint(V(-1.5)), lrint(V(0.4)), llrint(V(-7.5)), lrintf(VF(1.5f)));
    printf("  (int)2.7 %d (int)-2.7 %d round 2.5 %g floor -0.5 %g ceil -0.5 %g\n",
           (int)V(2.7), (int)V(-2.7), round(V(2.5)), floor(V(-0.5)), ceil(V(-0.5)));
    printf("  printf %.3f %.3f %.0f %.0f %.2e %.1Lf %.3g\n", V(0.0005), V(-0.0005), V(0.5),
           V(1.5), V(1.125e10), VL(0.25L), V(2.0 / 3));
    snprintf(buf, sizeof buf, "%.17g", V(0.1));
    printf("  %%.17g 0.1 %s", buf);
    pd(" strtod(0.1)", strtod("0.1", NULL));
    pd("  strtod(1e-320)", strtod("1e-320", NULL));
    pd("  strtod(1.7976931348623159e308)", strtod("1.7976931348623159e308", NULL));
    pl("  strtold(0.1)", strtold("0.1", NULL));
    pf("  strtof(0.1)", strtof("0.1", NULL));
  }
  fesetround(FE_TONEAREST);

  printf("== x87 precision control\n");
  static const struct {
    const char *name;
    fpu_control_t pc;
  } PCS[] = {{"single", _FPU_SINGLE}, {"double", _FPU_DOUBLE}, {"extended", _FPU_EXTENDED}};
  fpu_control_t saved;
  _FPU_GETCW(saved);
  printf("  initial control word %#x\n", (unsigned)saved);
  for (int i = 0; i < 3; i++) {
    fpu_control_t cw = (saved & ~_FPU_EXTENDED) | PCS[i].pc;
    _FPU_SETCW(cw);
    long double third = VL(1.0L) / VL(3.0L);
    long double sum = VL(1.0L) + VL(0x1p-40L);
    long double sq = sqrtl(VL(2.0L));
    long double prod = VL(1.0L + 0x1p-30L) * VL(1.0L + 0x1p-30L);
    _FPU_SETCW(saved);
    printf("  pc %s:\n", PCS[i].name);
    pl("    1/3", third);
    pl("    1 + 2^-40", sum);
    pl("    sqrt 2", sq);
    pl("    (1+2^-30)^2", prod);
  }
}

static void section_fenv(void) {
  printf("== exception flags\n");
  volatile double r;
  volatile float rf;
  volatile long double rl;
  volatile int c;
  feclearexcept(FE_ALL_EXCEPT);
  flags("cleared");
  feclearexcept(FE_ALL_EXCEPT); r = V(1.0) + V(1.0); flags("1 + 1");
  feclearexcept(FE_ALL_EXCEPT); r = V(1.0) / V(3.0); flags("1 / 3");
  feclearexcept(FE_ALL_EXCEPT); r = V(1.0) / V(0.0); flags("1 / 0");
  feclearexcept(FE_ALL_EXCEPT); r = V(0.0) / V(0.0); flags("0 / 0");
  feclearexcept(FE_ALL_EXCEPT); r = V(INFINITY) - V(INFINITY); flags("inf - inf");
  feclearexcept(FE_ALL_EXCEPT); r = V(INFINITY) * V(2.0); flags("inf * 2");
  feclearexcept(FE_ALL_EXCEPT); r = V(DBL_MAX) * V(2.0); flags("DBL_MAX * 2");
  feclearexcept(FE_ALL_EXCEPT); r = V(DBL_MIN) / V(3.0); flags("DBL_MIN / 3");
  feclearexcept(FE_ALL_EXCEPT); r = V(DBL_MIN) / V(4.0); flags("DBL_MIN / 4 (exact)");
  feclearexcept(FE_ALL_EXCEPT); r = V(NAN) + V(1.0); flags("qnan + 1");
  feclearexcept(FE_ALL_EXCEPT); r = sqrt(V(-1.0)); flags("sqrt(-1)");
  feclearexcept(FE_ALL_EXCEPT); r = sqrt(V(4.0)); flags("sqrt(4)");
  feclearexcept(FE_ALL_EXCEPT); r = sqrt(V(2.0)); flags("sqrt(2)");
  feclearexcept(FE_ALL_EXCEPT); c = (int)V(1e10); flags("(int)1e10");
  feclearexcept(FE_ALL_EXCEPT); c = (int)V(2.5); flags("(int)2.5");
  feclearexcept(FE_ALL_EXCEPT); c = (int)V(NAN); flags("(int)nan");
  feclearexcept(FE_ALL_EXCEPT); c = (int)V(-3.0); flags("(int)-3");
  feclearexcept(FE_ALL_EXCEPT); rf = (float)V(1e300); flags("(float)1e300");
  feclearexcept(FE_ALL_EXCEPT); rf = (float)V(1e-300); flags("(float)1e-300");
  feclearexcept(FE_ALL_EXCEPT); rf = (float)V(0.1); flags("(float)0.1");
  feclearexcept(FE_ALL_EXCEPT); rf = (float)V(0.5); flags("(float)0.5");
  feclearexcept(FE_ALL_EXCEPT); r = (double)VL(1e4000L); flags("(double)1e4000L");
  feclearexcept(FE_ALL_EXCEPT); rl = VL(LDBL_MAX) * VL(2.0L); flags("LDBL_MAX * 2");
  feclearexcept(FE_ALL_EXCEPT); rl = VL(LDBL_MIN) / VL(3.0L); flags("LDBL_MIN / 3");
  feclearexcept(FE_ALL_EXCEPT); c = V(1.0) < V(NAN); flags("1 < nan");
  feclearexcept(FE_ALL_EXCEPT); c = V(1.0) == V(NAN); flags("1 == nan");
  feclearexcept(FE_ALL_EXCEPT); c = isless(V(1.0), V(NAN)); flags("isless(1, nan)");
  feclearexcept(FE_ALL_EXCEPT); c = VL(1.0L) > VL((long double)NAN); flags("1L > nanL");
  feclearexcept(FE_ALL_EXCEPT); r = rint(V(2.5)); flags("rint(2.5)");
  feclearexcept(FE_ALL_EXCEPT); r = nearbyint(V(2.5)); flags("nearbyint(2.5)");
  feclearexcept(FE_ALL_EXCEPT); r = fmod(V(5.5), V(0.0)); flags("fmod(5.5, 0)");
  feclearexcept(FE_ALL_EXCEPT); r = floor(V(-0.5)); flags("floor(-0.5)");
  feclearexcept(FE_ALL_EXCEPT);
  feraiseexcept(FE_OVERFLOW | FE_INEXACT);
  flags("feraiseexcept(of|ix)");
  fexcept_t saved;
  fegetexceptflag(&saved, FE_ALL_EXCEPT);
  feclearexcept(FE_ALL_EXCEPT);
  fesetexceptflag(&saved, FE_OVERFLOW);
  flags("fesetexceptflag(of)");
  fenv_t env;
  feholdexcept(&env);
  r = V(1.0) / V(0.0);
  flags("held 1 / 0");
  fesetenv(&env);
  flags("fesetenv");
  feclearexcept(FE_ALL_EXCEPT);
  errno = 0;
  r = log(V(0.0));
  printf("  log(0) errno %s\n", errno == ERANGE ? "ERANGE" : errno == 0 ? "0" : "other");
  flags("log(0)");
  feclearexcept(FE_ALL_EXCEPT);
  errno = 0;
  r = exp(V(1000.0));
  printf("  exp(1000) errno %s\n", errno == ERANGE ? "ERANGE" : errno == 0 ? "0" : "other");
  flags("exp(1000)");
  (void)r;
  (void)rf;
  (void)rl;
  (void)c;
}

static uint32_t lcg_state = 12345;
static uint32_t lcg(void) {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state;
}

static void section_strtod(void) {
  printf("== strtod\n");
  static const char *const S[] = {
      "0.1",       "1e-400",  "4.9e-324", "2.4e-324", "2.2250738585072011e-308",
      "2.2250738585072014e-308", "1.7976931348623157e308", "1.7976931348623159e308",
      "0x1.fffffffffffffp1023", "0x1p-1074", "nan", "-inf", "infinity", "1e23",
      "9007199254740993", "123.456e-7", "  -0.0", "1.000000000000000111022302462515654042363167",
      "0.5e", "+.5", "1_000", "nan(123)", "1e400", "-1e-400", "0x.8p1",
      "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
  };
  for (unsigned i = 0; i < sizeof S / sizeof S[0]; i++) {
    char *end;
    errno = 0;
    double d = strtod(S[i], &end);
    int e1 = errno;
    errno = 0;
    long double ld = strtold(S[i], NULL);
    int e2 = errno;
    errno = 0;
    float f = strtof(S[i], NULL);
    int e3 = errno;
    printf("\"%.40s\" consumed %d erange %d%d%d\n", S[i], (int)(end - S[i]), e1 == ERANGE,
           e2 == ERANGE, e3 == ERANGE);
    pd("  d", d);
    pl("  ld", ld);
    pf("  f", f);
  }

  printf("== round trips\n");
  char buf[64];
  unsigned bad_d = 0, bad_l = 0, bad_f = 0;
  uint32_t hash = 2166136261u;
  for (int i = 0; i < 200; i++) {
    uint64_t u = ((uint64_t)lcg() << 32) | lcg();
    double d;
    memcpy(&d, &u, 8);
    if (!isfinite(d)) d = (double)lcg() / 7.0;
    snprintf(buf, sizeof buf, "%.17g", d);
    for (char *p = buf; *p; p++) hash = (hash ^ (unsigned char)*p) * 16777619u;
    if (bits(strtod(buf, NULL)) != bits(d)) bad_d++;
    if (i < 20) printf("  %s\n", buf);

    long double l = (long double)d * VL(1.0L + (long double)lcg() * 0x1p-63L);
    snprintf(buf, sizeof buf, "%.21Lg", l);
    for (char *p = buf; *p; p++) hash = (hash ^ (unsigned char)*p) * 16777619u;
    long double back = strtold(buf, NULL);
    if (memcmp(&back, &l, 10) != 0) bad_l++;

    uint32_t fu = lcg();
    float f;
    memcpy(&f, &fu, 4);
    if (!isfinite(f)) f = (float)(fu >> 9);
    snprintf(buf, sizeof buf, "%.9g", (double)f);
    for (char *p = buf; *p; p++) hash = (hash ^ (unsigned char)*p) * 16777619u;
    if (fbits(strtof(buf, NULL)) != fbits(f)) bad_f++;
  }
  printf("  round trip failures double %u long double %u float %u hash %08x\n", bad_d, bad_l,
         bad_f, hash);
}

int main(void) {
  printf("float fixture (%s) FLT_EVAL_METHOD %d\n", MODE, (int)FLT_EVAL_METHOD);
  section_printf();
  section_arith();
  section_libm();
  section_convert();
  section_rounding();
  section_fenv();
  section_strtod();
  printf("done\n");
  return 0;
}
