/*
 * fp_workloads.c - floating-point benchmark kernels (shared/bench/ANCHORS.md
 * table (a): daxpy, dot, stencil, reduce) for the engine vs qemu-aarch64.
 *
 * Built twice for aarch64 (bench/fp.cmake): "scalar" (-O2 -fno-tree-vectorize:
 * FP in scalar registers) and "neon" (-O3 -ffast-math: gcc vectorises the
 * loops, reductions included), and the same two ways for the host (scalar,
 * sse2). Each object is linked into a freestanding engine guest and into a
 * static Linux program for qemu-aarch64, as workloads.c is.
 *
 * Data are small multiples of powers of two, so every sum and product is
 * exact in its format: the checksum does not depend on the order in which a
 * vectorised reduction adds (-ffast-math) and must be equal on all sides.
 *
 * bench_run(id, scale): 0 daxpy, 1 dot, 2 stencil, 3 reduce.
 */
#include <stdint.h>

#define N_VEC   4096
#define GRID    64

static double dx[N_VEC], dy[N_VEC];
static float sa[GRID * GRID], sb[GRID * GRID];
static float fr[N_VEC];

static uint64_t dbits(double d)
{
    union { double d; uint64_t u; } v = { d };
    return v.u;
}

static void fill(void)
{
    for (unsigned i = 0; i < N_VEC; i++) {
        dx[i] = (double)(i & 63) * 0.25;           /* 0 .. 15.75 */
        dy[i] = (double)((i * 7) & 31) - 16.0;     /* -16 .. 15 */
        fr[i] = (float)((i * 13) & 255) * 0.5f - 40.0f;
    }
    for (unsigned i = 0; i < GRID * GRID; i++)
        sa[i] = (float)((i * 5) & 63);
}

/* y += a * x with a alternating +-0.5 (y stays bounded and exact). */
__attribute__((noinline)) static void daxpy(double a, const double *restrict x, double *restrict y, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        y[i] += a * x[i];
}

__attribute__((noinline)) static double dot(const double *restrict x, const double *restrict y, unsigned n)
{
    double s = 0;
    for (unsigned i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* 5-point stencil on the interior of a GRID x GRID single-precision grid. */
__attribute__((noinline)) static void stencil(const float *restrict in, float *restrict out)
{
    for (unsigned i = 1; i < GRID - 1; i++)
        for (unsigned j = 1; j < GRID - 1; j++)
            out[i * GRID + j] = 0.5f * in[i * GRID + j] +
                                0.125f * (in[(i - 1) * GRID + j] + in[(i + 1) * GRID + j] +
                                          in[i * GRID + j - 1] + in[i * GRID + j + 1]);
}

/* Sum, minimum and maximum of a single-precision array. */
__attribute__((noinline)) static float reduce(const float *restrict v, unsigned n, float *mn, float *mx)
{
    float s = 0, lo = v[0], hi = v[0];
    for (unsigned i = 0; i < n; i++) {
        s += v[i];
        lo = v[i] < lo ? v[i] : lo;
        hi = v[i] > hi ? v[i] : hi;
    }
    *mn = lo;
    *mx = hi;
    return s;
}

uint64_t bench_run(unsigned id, unsigned scale)
{
    fill();
    uint64_t sum = 0;
    switch (id) {
    case 0:
        for (unsigned r = 0; r < scale; r++)
            daxpy((r & 1) ? -0.5 : 0.5, dx, dy, N_VEC);
        for (unsigned i = 0; i < N_VEC; i++)
            sum = sum * 31 + dbits(dy[i]);
        break;
    case 1: {
        double total = 0;
        for (unsigned r = 0; r < scale; r++) {
            dy[r & (N_VEC - 1)] += 1.0;
            total += dot(dx, dy, N_VEC);
        }
        sum = dbits(total);
        break;
    }
    case 2: {
        double total = 0;
        for (unsigned r = 0; r < scale; r++) {
            sa[(r * 67) & (GRID * GRID - 1)] += 1.0f;
            stencil(sa, sb);
            stencil(sb, sa);                        /* second pass, back into sa */
            for (unsigned i = 0; i < GRID * GRID; i += 61)
                total += sa[i];
            for (unsigned i = 0; i < GRID * GRID; i++)
                sa[i] = (float)((i * 5 + r) & 63);
        }
        sum = dbits(total);
        break;
    }
    default: {
        double total = 0;
        for (unsigned r = 0; r < scale; r++) {
            float mn, mx;
            fr[r & (N_VEC - 1)] += 0.5f;
            total += reduce(fr, N_VEC, &mn, &mx);
            total += (double)mn * 3.0 + (double)mx;
        }
        sum = dbits(total);
        break;
    }
    }
    return sum;
}
