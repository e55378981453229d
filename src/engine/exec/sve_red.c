/*
 * sve_red.c - SVE integer reductions to a scalar (SADDV, UADDV, SMAXV,
 * UMAXV, SMINV, UMINV, ORV, EORV, ANDV) and the predicated MOVPRFX that
 * shares their encoding group.
 *
 * Arm ARM C8: the result goes to the SIMD&FP register Vd (element size, or
 * 64 bits for the add reductions), zero-extended to the whole Z register.
 * With no active element the result is the operation's identity: 0 for the
 * additions, ORV, EORV and the unsigned maximum, all ones for ANDV and the
 * unsigned minimum, the most negative / positive value for SMAXV / SMINV.
 */
#include "engine/exec/sve_ops.h"

enum { R_SADD, R_UADD, R_SMAX, R_UMAX, R_SMIN, R_UMIN, R_ORR, R_EOR, R_AND };

/* One loop per element size; the operation is a switch outside the loop's
 * dependence chain (the compiler unswitches it). */
#define SVE_RED_1(B)                                                              \
    static uint64_t red_##B(const uint8_t *zn, const uint8_t *pg, unsigned vl, unsigned op) \
    {                                                                             \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        const T *z = (const T *)(const void *)zn;                                 \
        uint64_t acc;                                                             \
        switch (op) {                                                             \
        case R_SMAX: acc = (uint64_t)(S)((T)1 << (B - 1)); break;                 \
        case R_SMIN: acc = (uint64_t)(S)(((T)1 << (B - 1)) - 1); break;           \
        case R_UMIN: case R_AND: acc = (T)~(T)0; break;                           \
        default: acc = 0; break;                                                  \
        }                                                                         \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (!pact(pg, i, sizeof(T)))                                          \
                continue;                                                         \
            T v = z[i];                                                           \
            switch (op) {                                                         \
            case R_SADD: acc += (uint64_t)(int64_t)(S)v; break;                   \
            case R_UADD: acc += v; break;                                         \
            case R_SMAX: if ((int64_t)(S)v > (int64_t)acc) acc = (uint64_t)(int64_t)(S)v; break; \
            case R_SMIN: if ((int64_t)(S)v < (int64_t)acc) acc = (uint64_t)(int64_t)(S)v; break; \
            case R_UMAX: if (v > acc) acc = v; break;                             \
            case R_UMIN: if (v < acc) acc = v; break;                             \
            case R_ORR: acc |= v; break;                                          \
            case R_EOR: acc ^= v; break;                                          \
            default: acc &= v; break;                                             \
            }                                                                     \
        }                                                                         \
        return acc;                                                               \
    }
SVE_RED_1(8)
SVE_RED_1(16)
SVE_RED_1(32)
SVE_RED_1(64)

/* c1 = operation, c2 = log2 element size. */
static struct dinsn *x_red(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    const uint8_t *zn = zreg(r, d->n), *pg = preg(r, d->c0);
    unsigned esz = d->c2, op = d->c1;
    uint64_t v;
    switch (esz) {
    case 0: v = red_8(zn, pg, vl, op); break;
    case 1: v = red_16(zn, pg, vl, op); break;
    case 2: v = red_32(zn, pg, vl, op); break;
    default: v = red_64(zn, pg, vl, op); break;
    }
    /* Additions give 64 bits; the others the element (SMAX/SMIN: its low bits). */
    if (op != R_SADD && op != R_UADD)
        v = sve_zext(v, esz);
    uint8_t *zd = zreg(r, d->d);
    memset(zd, 0, sve_vlmax(r));
    memcpy(zd, &v, 8);
    NEXT(d + 1);
}

/* MOVPRFX Zd, Pg/Z or /M, Zn: c1 = 1 merging; c2 = log2 element size. */
static struct dinsn *x_movprfx_p(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *pg = preg(r, d->c0);
    unsigned esz = d->c2, e = 1u << esz;
    for (unsigned i = 0; i < vl >> esz; i++) {
        if (pact(pg, i, e))
            memmove(zd + i * e, zn + i * e, e);
        else if (!d->c1)
            memset(zd + i * e, 0, e);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_INT_zpz_red(struct decode *dc, const struct args_INT_zpz_red *a)
{
    static const signed char ops[32] = {
        [0] = R_SADD, [1] = R_UADD, [8] = R_SMAX, [9] = R_UMAX, [10] = R_SMIN, [11] = R_UMIN,
        [16] = 100, [17] = 101, [24] = R_ORR, [25] = R_EOR, [26] = R_AND,
        [2] = -1, [3] = -1, [4] = -1, [5] = -1, [6] = -1, [7] = -1, [12] = -1, [13] = -1, [14] = -1,
        [15] = -1, [18] = -1, [19] = -1, [20] = -1, [21] = -1, [22] = -1, [23] = -1, [27] = -1,
        [28] = -1, [29] = -1, [30] = -1, [31] = -1,
    };
    unsigned k = a->c * 8 + a->o;
    int op = ops[k];
    if (op < 0)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->z;
    if (op >= 100) {
        e->fn = x_movprfx_p;
        e->c1 = (uint8_t)(op - 100);
        return true;
    }
    if (op == R_SADD && a->z == 3)
        return false;                       /* SADDV of 64-bit elements is unallocated */
    e->fn = x_red;
    e->c1 = (uint8_t)op;
    return true;
}
