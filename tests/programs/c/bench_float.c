/* bench_float: CPU-bound double-precision workload for `deno task bench`: an n-body
 * simulation, a Mandelbrot set and a matrix multiply, with no syscalls in the hot loops and
 * no libm calls besides sqrt (exact on both units). Built twice from this file:
 *   bench_x87   gcc -m32 -static -O2                      (double math on the x87)
 *   bench_sse2  gcc -m32 -static -O2 -msse2 -mfpmath=sse  (double math in SSE2 scalar)
 * About 5*10^7 instructions natively; deterministic output (one checksum per phase, printed
 * bit for bit). The two builds may print different checksums: the x87 rounds intermediates
 * to 64-bit mantissas. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __SSE2_MATH__
#define MODE "sse2"
#else
#define MODE "x87"
#endif

#define BODIES 5
#define NBODY_STEPS 60000
#define MANDEL_W 96
#define MANDEL_H 64
#define MANDEL_ITER 200
#define MAT_N 48

static uint64_t bits(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

struct body {
  double x, y, z, vx, vy, vz, m;
};

static struct body bodies[BODIES] = {
  {0, 0, 0, 0, 0, 0, 39.47841760435743},
  {4.84143144246472, -1.16032004402742, -0.103622044471123, 0.606326392995832,
   2.81198684491626, -0.02521836165988763, 0.03769367487038949},
  {8.34336671824458, 4.1247985641243, -0.403523417114321, -1.01077434617730,
   1.82566237123041, 0.008415761376584154, 0.011286326131968767},
  {12.894369562139, -15.1111514016986, -0.223307578892655, 1.08279100644154,
   0.868713018169608, -0.01010836165988763, 0.0017237240570597112},
  {15.3796971148509, -25.9193146099879, 0.179258772950371, 0.979090732243898,
   0.594698998647676, -0.034755955504078, 0.0020336868699246304},
};

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    struct body *b = &bodies[i];
    e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y, dz = b->z - bodies[j].z;
      e -= b->m * bodies[j].m / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++) {
    struct body *b = &bodies[i];
    for (int j = i + 1; j < BODIES; j++) {
      struct body *c = &bodies[j];
      double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b->vx -= dx * c->m * mag;
      b->vy -= dy * c->m * mag;
      b->vz -= dz * c->m * mag;
      c->vx += dx * b->m * mag;
      c->vy += dy * b->m * mag;
      c->vz += dz * b->m * mag;
    }
  }
  for (int i = 0; i < BODIES; i++) {
    bodies[i].x += dt * bodies[i].vx;
    bodies[i].y += dt * bodies[i].vy;
    bodies[i].z += dt * bodies[i].vz;
  }
}

static uint32_t mandelbrot(double *area) {
  uint32_t h = 2166136261u, inside = 0;
  for (int py = 0; py < MANDEL_H; py++) {
    for (int px = 0; px < MANDEL_W; px++) {
      double cr = -2.0 + 2.6 * px / MANDEL_W, ci = -1.1 + 2.2 * py / MANDEL_H;
      double zr = 0, zi = 0;
      int n = 0;
      while (n < MANDEL_ITER && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n++;
      }
      if (n == MANDEL_ITER) inside++;
      h = (h ^ (uint32_t)n) * 16777619u;
    }
  }
  *area = 2.6 * 2.2 * inside / (MANDEL_W * MANDEL_H);
  return h;
}

static double ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static double matmul(void) {
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      ma[i][j] = (double)((i * 7 + j * 3) % 17) / 7.0 - 1.1;
      mb[i][j] = (double)((i * 5 + j * 11) % 13) / 3.0 + 0.25;
    }
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) {
      double s = 0;
      for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
      mc[i][j] = s;
    }
  double t = 0;
  for (int i = 0; i < MAT_N; i++)
    for (int j = 0; j < MAT_N; j++) t = t * 0.999 + mc[i][j];
  return t;
}

int main(void) {
  double e0 = energy();
  for (int s = 0; s < NBODY_STEPS; s++) advance(0.01);
  double e1 = energy();
  printf("%s nbody: e0=%.9f (%016llx) e1=%.9f (%016llx)\n", MODE, e0,
         (unsigned long long)bits(e0), e1, (unsigned long long)bits(e1));
  double area;
  uint32_t h = mandelbrot(&area);
  printf("%s mandelbrot: hash=%08x area=%.6f\n", MODE, h, area);
  double t = matmul();
  printf("%s matmul: trace=%.6f (%016llx)\n", MODE, t, (unsigned long long)bits(t));
  return 0;
}
