/*
 * sve_fpfast.h - quick forms of FMAX/FMIN/FMAXNM/FMINNM for the SVE files.
 *
 * Without a NaN among the operands (and, with FPCR.FZ set, without a
 * denormal, which would be flushed and raise IDC), these operations raise no
 * exception and return one operand: the larger (smaller) by value, +0 over
 * -0 for the maximum and -0 over +0 for the minimum (Arm ARM FPMax, FPMin,
 * FPMaxNum, FPMinNum). Everything else goes to the exact fp_arith.h forms.
 */
#ifndef SOFTKVM_ENGINE_EXEC_SVE_FPFAST_H
#define SOFTKVM_ENGINE_EXEC_SVE_FPFAST_H

#include "engine/exec/fp_arith.h"

/* Ordering key of a non-NaN value of size sz: larger value, larger key; +0 and -0 equal. */
static inline int64_t sve_fkey(uint64_t x, unsigned sz)
{
    uint64_t sign = fp_signbit(sz), mag = x & (sign - 1);
    return (x & sign) ? -(int64_t)mag : (int64_t)mag;
}

/* max: 1 for the maximum; nm: the ...NM forms (different only for NaNs). */
static inline uint64_t sve_fmaxmin(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool max, bool nm)
{
    unsigned fbits = sz == 3 ? 52 : sz == 2 ? 23 : 10;
    uint64_t sign = fp_signbit(sz), inf = (sign - 1) & ~((1ull << fbits) - 1);   /* exponent all ones */
    uint64_t ma = a & (sign - 1), mb = b & (sign - 1);
    bool special = ma > inf || mb > inf;                                     /* a NaN */
    if (s->fpcr & (sz == 1 ? FPCR_FZ16 : FPCR_FZ))
        special = special || (ma && ma < (1ull << fbits)) || (mb && mb < (1ull << fbits));
    if (__builtin_expect(!special, 1)) {
        int64_t ka = sve_fkey(a, sz), kb = sve_fkey(b, sz);
        if (ka != kb)
            return (ka > kb) == max ? a : b;
        return max ? (a & b) : (a | b);      /* equal: only +0/-0 differ in bits */
    }
    if (nm)
        return max ? fp_maxnm(s, sz, a, b) : fp_minnm(s, sz, a, b);
    return max ? fp_max(s, sz, a, b) : fp_min(s, sz, a, b);
}

#endif
