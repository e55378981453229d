/*
 * sve2_ops.h - element-loop shapes and integer helpers the SVE2 execution
 * files (exec/sve2_*.c) share, beside sve_ops.h's.
 *
 * Widening and narrowing shapes work on element pairs: the wide element i
 * (type T, B bits) overlaps the half-size elements 2i and 2i + 1 (type H);
 * "bottom" forms read or write the even one (2i), "top" forms the odd one
 * (2i + 1). Because wide element i covers exactly those two, every shape
 * below may run in place (Zd = Zn or Zm): element i's inputs are read before
 * its bytes are written, and no later element reads them.
 *
 * Values: helpers compute in __int128 so that no intermediate overflows
 * (a 64-bit product doubled, a sum of two 64-bit values), then saturate or
 * truncate to the element size as the Arm pseudocode's integer arithmetic does.
 */
#ifndef SOFTKVM_ENGINE_EXEC_SVE2_OPS_H
#define SOFTKVM_ENGINE_EXEC_SVE2_OPS_H

#include "engine/exec/sve_ops.h"

#pragma GCC visibility push(hidden)

typedef __int128 s128;
typedef unsigned __int128 u128;

#define SVE2_BITS (8 * (unsigned)sizeof(T))
#define SVE2_ESZ ((unsigned)__builtin_ctz(sizeof(T)))
/* Signed / unsigned saturation of an s128 to the destination lane type. */
#define SSAT(v) sve_ssat((v), SVE2_ESZ)
#define USAT(v) sve_usat((v), SVE2_ESZ)

/* v << sh (sh may be negative: a right shift, rounded when rnd) in infinite
 * precision, for |v| < 2^64: left shifts past 64 keep only the sign and a
 * "too big" magnitude, which saturates or truncates to 0 as the caller wants. */
static inline s128 sve2_shl(s128 v, int sh, bool rnd)
{
    if (sh >= 0) {
        if (v == 0)
            return 0;
        if (sh > 64)
            return v > 0 ? ((s128)1 << 120) : -((s128)1 << 120);
        return (s128)((u128)v << sh);
    }
    int s = -sh > 66 ? 66 : -sh;
    if (rnd)
        v += (s128)1 << (s - 1);
    return v >> s;
}

/* Truncation of an s128 to the lane (the low bits, as a bit vector). */
#define TRUNC(v) ((T)(uint64_t)(u128)(v))

/* Zd = EXPR(a = Zd, b = Zn, c = Zm), unpredicated; sh = d->imm. */
#define SVE_ZZZA_1(NAME, B, EXPR)                                                 \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        const int64_t sh = (int64_t)d->imm;                                       \
        (void)sh;                                                                 \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            T a = zd[i], b = zn[i], c = zm[i];                                    \
            (void)c;                                                              \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZZZA(NAME, EXPR) SVE_FOR_SIZES(SVE_ZZZA_1, NAME, EXPR)

/* Long: Zd.T[i] = EXPR(a = Zn.H[2i + c1], b = Zm.H[2i + c2], c = Zd.T[i]);
 * H / SH are the half-size lane types, sh = d->imm (shift-long forms read no
 * Zm: the decoder points m at n). */
#define SVE_LONG_1(NAME, B, HB, EXPR)                                             \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        typedef sve_u##HB H;                                                      \
        typedef sve_s##HB SH;                                                     \
        (void)sizeof(S);                                                          \
        (void)sizeof(SH);                                                         \
        const int64_t sh = (int64_t)d->imm;                                       \
        (void)sh;                                                                 \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const H *zn = (const H *)(const void *)zreg(r, d->n);                     \
        const H *zm = (const H *)(const void *)zreg(r, d->m);                     \
        const unsigned tn = d->c1, tm = d->c2;                                    \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            H a = zn[2 * i + tn], b = zm[2 * i + tm];                             \
            T c = zd[i];                                                          \
            (void)b;                                                              \
            (void)c;                                                              \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_LONG(NAME, EXPR) \
    SVE_LONG_1(NAME, 16, 8, EXPR) SVE_LONG_1(NAME, 32, 16, EXPR) SVE_LONG_1(NAME, 64, 32, EXPR)
#define SVE_L3(NAME) { NULL, x_##NAME##_16, x_##NAME##_32, x_##NAME##_64 }

/* Wide: Zd.T[i] = EXPR(a = Zn.T[i], b = Zm.H[2i + c2]). */
#define SVE_WIDE_1(NAME, B, HB, EXPR)                                             \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##HB SH;                                                     \
        typedef sve_u##HB H;                                                      \
        (void)sizeof(SH);                                                         \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const H *zm = (const H *)(const void *)zreg(r, d->m);                     \
        const unsigned tm = d->c2;                                                \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            T a = zn[i];                                                          \
            H b = zm[2 * i + tm];                                                 \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_WIDE(NAME, EXPR) \
    SVE_WIDE_1(NAME, 16, 8, EXPR) SVE_WIDE_1(NAME, 32, 16, EXPR) SVE_WIDE_1(NAME, 64, 32, EXPR)

/* Narrow: Zd.T[2i + c1] = EXPR(a = Zn.W[i], b = Zm.W[i]) where T is now the
 * narrow lane and W (SW) the wide one; bottom forms (c1 = 0) zero the odd
 * element, top forms keep the even one. sh = d->imm. */
#define SVE_NARROW_1(NAME, B, WB, EXPR)                                           \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_u##WB W;                                                      \
        typedef sve_s##WB SW;                                                     \
        (void)sizeof(SW);                                                         \
        const int64_t sh = (int64_t)d->imm;                                       \
        (void)sh;                                                                 \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const W *zn = (const W *)(const void *)zreg(r, d->n);                     \
        const W *zm = (const W *)(const void *)zreg(r, d->m);                     \
        const unsigned top = d->c1;                                               \
        for (unsigned i = 0; i < vl / sizeof(W); i++) {                           \
            W a = zn[i], b = zm[i];                                               \
            (void)b;                                                              \
            T v = (T)(EXPR);                                                      \
            zd[2 * i + top] = v;                                                  \
            if (!top)                                                             \
                zd[2 * i + 1] = 0;                                                \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_NARROW(NAME, EXPR) \
    SVE_NARROW_1(NAME, 8, 16, EXPR) SVE_NARROW_1(NAME, 16, 32, EXPR) SVE_NARROW_1(NAME, 32, 64, EXPR)
#define SVE_N3(NAME) { x_##NAME##_8, x_##NAME##_16, x_##NAME##_32, NULL }

/* Element size and shift of a tszh:tszl:imm3 immediate (the highest set bit
 * of tsz gives the size): right shifts 2 * esize - value, left value - esize. */
static inline int sve2_tsz_esz(unsigned tsz)
{
    return tsz ? 31 - __builtin_clz(tsz) : -1;
}

/* Register rows and sizes of an indexed operand (Zm and the index share the
 * bits 20:16 by element size): .h i3h(22):i3l(20:19) and Zm 18:16, .s i2
 * (20:19) and Zm 18:16, .d i1 (20) and Zm 19:16. z is the size field. */
static inline void sve2_idx(unsigned z, unsigned m, unsigned *esz, unsigned *idx, unsigned *zm)
{
    if (z < 2) {
        *esz = 1;
        *idx = ((z & 1) << 2) | (m >> 3);
        *zm = m & 7;
    } else if (z == 2) {
        *esz = 2;
        *idx = m >> 3;
        *zm = m & 7;
    } else {
        *esz = 3;
        *idx = m >> 4;
        *zm = m & 15;
    }
}

#pragma GCC visibility pop

#endif
