/*
 * fp_soft.h - internals shared by the software floating-point files
 * (fp_soft.c: arithmetic, fp_conv.c: conversions and rounding to integral).
 */
#ifndef SOFTKVM_ENGINE_EXEC_FP_SOFT_H
#define SOFTKVM_ENGINE_EXEC_FP_SOFT_H

#include "engine/exec/fp_arith.h"

#pragma GCC visibility push(hidden)

typedef unsigned __int128 u128;

/* Exponent bits, fraction bits, bias. Indexed by size (1 H, 2 S, 3 D). */
struct fp_fmt { int E, F, bias; };
extern const struct fp_fmt fp_fmts[4];

/* Arm FPType. */
enum { FPT_ZERO, FPT_DENORM, FPT_NORMAL, FPT_INF, FPT_QNAN, FPT_SNAN };

/* Unpacked value: finite values are (-1)^sign * mant * 2^exp exactly. */
struct fp_unp {
    int type;
    int sign;
    int exp;
    uint64_t mant;
};

struct fp_unp fp_unpack_x(struct fpst *s, unsigned sz, uint64_t x, bool cv);
static inline struct fp_unp fp_unpack(struct fpst *s, unsigned sz, uint64_t x)
{
    return fp_unpack_x(s, sz, x, false);
}
uint64_t fp_process_nan(struct fpst *s, unsigned sz, int type, uint64_t x);
uint64_t fp_round_x(struct fpst *s, unsigned sz, int sign, int exp, u128 m, enum fp_rounding rnd, bool fz,
                    bool ahp);
uint64_t fp_round(struct fpst *s, unsigned sz, int sign, int exp, u128 m, enum fp_rounding rnd);
uint64_t fp_default_nan(unsigned sz);
uint64_t fp_inf(unsigned sz, int sign);
uint64_t fp_zero(unsigned sz, int sign);
uint64_t fp_two(unsigned sz, int sign);
uint64_t fp_one_point_five(unsigned sz);

#pragma GCC visibility pop

#endif
