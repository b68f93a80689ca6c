/* x87/SSE state in i386 signal frames: built with gcc -m32 -static by tests/tools/build_fixtures.ts,
 * run natively and in the emulator; the outputs must match. Offsets are struct _fpstate_32's. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define FX 112 /* the fxsave area inside _fpstate_32 */
static volatile int segv;

struct live {
  uint16_t cw, sw, tag;
  uint32_t mxcsr;
  uint32_t xmm0[4];
};

/* The FPU state the handler starts with. */
static void read_live(struct live *l) {
  unsigned char env[28];
  __asm__ volatile("fnstenv %0\n\tfldcw %0" : "=m"(env)); /* fnstenv masks exceptions: undo */
  l->cw = env[0] | env[1] << 8;
  l->sw = env[4] | env[5] << 8;
  l->tag = env[8] | env[9] << 8;
  __asm__ volatile("stmxcsr %0" : "=m"(l->mxcsr));
  __asm__ volatile("movdqu %%xmm0, %0" : "=m"(l->xmm0));
}

static uint32_t u32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t u16(const unsigned char *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static void dump_fpstate(const char *who, const unsigned char *fp) {
  printf("%s: fpstate+112 aligned64=%d magic=%04x status=%04x\n", who,
         (int)(((uintptr_t)fp + FX) % 64 == 0), u16(fp + 110), u16(fp + 108));
  printf("%s: cw=%08x sw=%08x tag=%08x cssel=%08x datasel=%08x\n", who, u32(fp), u32(fp + 4),
         u32(fp + 8), u32(fp + 16), u32(fp + 24));
  printf("%s: st0=", who);
  for (int i = 9; i >= 0; i--) printf("%02x", fp[28 + i]);
  printf(" st1=");
  for (int i = 9; i >= 0; i--) printf("%02x", fp[38 + i]);
  printf("\n%s: fx cw=%04x sw=%04x ftw=%02x mxcsr=%08x xmm0=%08x:%08x xmm1=%08x\n", who,
         u16(fp + FX), u16(fp + FX + 2), fp[FX + 4], u32(fp + FX + 24), u32(fp + FX + 160),
         u32(fp + FX + 172), u32(fp + FX + 176));
}

static int mode;

static void rt_handler(int sig, siginfo_t *si, void *ctx) {
  struct live l;
  read_live(&l);
  ucontext_t *uc = ctx;
  unsigned char *fp = (unsigned char *)uc->uc_mcontext.fpregs;
  printf("rt: sig=%d code=%d fp_above_uc=%d\n", sig, si->si_code, (int)(fp > (unsigned char *)uc));
  printf("rt: live cw=%04x sw=%04x tag=%04x mxcsr=%08x xmm0=%08x%08x%08x%08x\n", l.cw, l.sw,
         l.tag, l.mxcsr, l.xmm0[3], l.xmm0[2], l.xmm0[1], l.xmm0[0]);
  dump_fpstate("rt", fp);
  if (mode == 1) {
    /* what sigreturn restores: xmm/mxcsr from the fxsave area, x87 from the fsave header */
    uint32_t x = 0xfeedf00d;
    memcpy(fp + FX + 176, &x, 4);                       /* xmm1[0] */
    static const unsigned char two[10] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0x00, 0x40}; /* 2.0 */
    memcpy(fp + 28, two, 10);                            /* header st0: 2.0 */
    memset(fp + FX + 32, 0, 10);                         /* fxsave st0: ignored */
    uint32_t mx = 0x5f80;                                 /* round up */
    memcpy(fp + FX + 24, &mx, 4);
  } else if (mode == 2) {
    uint32_t mx = 0x10000 | 0x1f80;                      /* reserved bit: bad frame */
    memcpy(fp + FX + 24, &mx, 4);
  } else if (mode == 3) {
    uc->uc_mcontext.fpregs = 0;                          /* no FPU state: init state */
  }
}

static void old_handler(int sig) {
  struct sigcontext *sc = (struct sigcontext *)(&sig + 1);
  unsigned char *fp = (unsigned char *)sc->fpstate;
  printf("old: sig=%d fp_above_sc=%d\n", sig, (int)(fp > (unsigned char *)sc));
  dump_fpstate("old", fp);
}

static void segv_handler(int sig) { segv = sig; }

/* Loads a known FPU state, sends SIGUSR1 to ourselves, then reads the state back. */
static void run(const char *name) {
  static const uint32_t pat0[4] = {0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00};
  static const uint32_t pat1[4] = {0xa1a2a3a4, 0xb1b2b3b4, 0xc1c2c3c4, 0xd1d2d3d4};
  uint32_t mx = 0x3f80, mx_after = 0, xmm0[4], xmm1[4];
  uint16_t cw = 0x027f, cw_after = 0, sw_after = 0;
  long double st0 = 0, st1 = 0;
  int pid = getpid();
  int ret;
  __asm__ volatile(
      "movdqu %[p0], %%xmm0\n\t"
      "movdqu %[p1], %%xmm1\n\t"
      "ldmxcsr %[mx]\n\t"
      "fninit\n\t"
      "fldcw %[cw]\n\t"
      "fld1\n\t"
      "fldz\n\t"
      "movl $37, %%eax\n\t"
      "int $0x80\n\t"
      "stmxcsr %[mxa]\n\t"
      "fnstcw %[cwa]\n\t"
      "fnstsw %[swa]\n\t"
      "movdqu %%xmm0, %[x0]\n\t"
      "movdqu %%xmm1, %[x1]\n\t"
      "fstpt %[s0]\n\t"
      "fstpt %[s1]\n\t"
      "fldcw %[cw37f]\n\t"
      : "=&a"(ret), [mxa] "=m"(mx_after), [cwa] "=m"(cw_after), [swa] "=m"(sw_after),
        [x0] "=m"(xmm0), [x1] "=m"(xmm1), [s0] "=m"(st0), [s1] "=m"(st1)
      : [p0] "m"(pat0), [p1] "m"(pat1), [mx] "m"(mx), [cw] "m"(cw), "b"(pid), "c"(SIGUSR1),
        [cw37f] "m"((uint16_t){0x037f})
      : "memory", "xmm0", "xmm1");
  printf("%s: ret=%d segv=%d mxcsr=%08x cw=%04x sw=%04x xmm0=%08x xmm1=%08x st0=%Lg st1=%Lg\n",
         name, ret, segv, mx_after, cw_after, sw_after, xmm0[0], xmm1[0], st0, st1);
  __asm__ volatile("ldmxcsr %0" : : "m"((uint32_t){0x1f80}));
  segv = 0;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = rt_handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_handler = segv_handler;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0);
  setvbuf(stdout, 0, _IONBF, 0);
  mode = 0;
  run("plain");
  mode = 1;
  run("edited");
  mode = 2;
  run("bad_mxcsr");
  mode = 3;
  run("null_fpstate");
  sa.sa_handler = old_handler;
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, 0);
  run("old_frame");
  return 0;
}
