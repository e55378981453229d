/*
 * fp_arith.h - Arm floating-point arithmetic on raw bit patterns (H, S, D).
 *
 * Every operation follows the Arm ARM pseudocode (DDI 0487, "Floating-point
 * operations": FPUnpack, FPRound, FPProcessNaNs, FPAdd, FPMulAdd, FPToFixed,
 * ...): rounding mode from FPCR.RMode (or the instruction's own), FPCR.DN
 * default NaN, FPCR.FZ / FZ16 flush-to-zero of inputs (IDC) and outputs (UFC),
 * NaN propagation (first signalling NaN quietened, else the first quiet NaN,
 * operand order as the pseudocode lists it), tininess detected before
 * rounding, and the cumulative FPSR flags IOC DZC OFC UFC IXC IDC. Without
 * FEAT_AFP (QEMU 7.2 -cpu max has none), FPCR.AH/FIZ/NEP do not exist.
 *
 * Sizes are log2 bytes: 1 = half, 2 = single, 3 = double; values travel as
 * uint64_t bit patterns (upper bits zero).
 *
 * The exact software path (fp_soft.c) is the definition. The S/D inline
 * wrappers below try the host's SSE arithmetic first where it cannot differ
 * from Arm: both operands normal, the result normal and above the smallest
 * normal (no underflow, overflow or NaN possible), round-to-nearest and no
 * flush-to-zero, and FPSR.IXC already set (the only flag such an operation
 * can raise is inexact, which then changes nothing). The host's MXCSR is
 * assumed to be at its default (round to nearest, no DAZ/FTZ), as every
 * x86-64 ABI starts a thread.
 */
#ifndef SOFTKVM_ENGINE_EXEC_FP_ARITH_H
#define SOFTKVM_ENGINE_EXEC_FP_ARITH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "engine/cpu.h"

/* FPCR (Arm ARM D17.2.48) and FPSR (D17.2.53) bits. */
#define FPCR_AHP      (1u << 26)
#define FPCR_DN       (1u << 25)
#define FPCR_FZ       (1u << 24)
#define FPCR_RMODE_SHIFT 22
#define FPCR_RMODE    (3u << 22)
#define FPCR_FZ16     (1u << 19)
#define FPSR_IOC      (1u << 0)
#define FPSR_DZC      (1u << 1)
#define FPSR_OFC      (1u << 2)
#define FPSR_UFC      (1u << 3)
#define FPSR_IXC      (1u << 4)
#define FPSR_IDC      (1u << 7)
#define FPSR_QC       (1u << 27)

/* Arm FPRounding values; 0-3 equal FPCR.RMode. */
enum fp_rounding { FPR_TIEEVEN = 0, FPR_POSINF = 1, FPR_NEGINF = 2, FPR_ZERO = 3, FPR_TIEAWAY = 4, FPR_ODD = 5 };

/* One instruction's view of FPCR and the exception flags it raised. */
struct fpst {
    uint32_t fpcr;
    uint32_t exc;            /* FPSR bits to OR in when the instruction completes */
    bool fast;               /* host fast path allowed (see the file comment) */
};

static inline void fpst_init(struct fpst *s, const struct cpu *cpu)
{
    s->fpcr = cpu->fpcr;
    s->exc = 0;
    s->fast = (cpu->fpsr & FPSR_IXC) && !(cpu->fpcr & (FPCR_FZ | FPCR_RMODE));
}

static inline void fpst_done(const struct fpst *s, struct cpu *cpu)
{
    if (s->exc)
        cpu->fpsr |= s->exc;
}

static inline enum fp_rounding fp_rmode(const struct fpst *s)
{
    return (enum fp_rounding)((s->fpcr >> FPCR_RMODE_SHIFT) & 3);
}

/* ---- the exact (software) operations: fp_soft.c ---------------------------- */

uint64_t fp_add(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_sub(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_mul(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_mulx(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_div(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_sqrt(struct fpst *s, unsigned sz, uint64_t a);
/* FPMulAdd(addend, op1, op2) = addend + op1 * op2, one rounding. Negations
 * (FMSUB, FNMADD, FMLS) are applied by the caller to the operands. */
uint64_t fp_muladd(struct fpst *s, unsigned sz, uint64_t addend, uint64_t a, uint64_t b);
uint64_t fp_max(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_min(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_maxnm(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_minnm(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_abd(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_recps(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_rsqrts(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
uint64_t fp_recpe(struct fpst *s, unsigned sz, uint64_t a);
uint64_t fp_rsqrte(struct fpst *s, unsigned sz, uint64_t a);
uint64_t fp_recpx(struct fpst *s, unsigned sz, uint64_t a);
/* FPCompare: NZCV in bits 3:0 (0110 equal, 1000 less, 0010 greater, 0011
 * unordered); signal_nans makes a quiet NaN raise IOC too (FCMPE). */
unsigned fp_compare(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool signal_nans);
/* FPCompareEQ/GE/GT (vector compares): false on NaN. abs: FACGE/FACGT. */
bool fp_cmp_eq(struct fpst *s, unsigned sz, uint64_t a, uint64_t b);
bool fp_cmp_ge(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool abs);
bool fp_cmp_gt(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool abs);
/* FPConvert between sizes (FCVT, FCVTL, FCVTN; rounding from FPCR or FPR_ODD for FCVTXN). */
uint64_t fp_convert(struct fpst *s, unsigned from, unsigned to, uint64_t a, enum fp_rounding rnd);
/* FPToFixed: a * 2^fbits rounded to an integer of ibits (32 or 64, or 16
 * for half-size vector elements), saturated. */
uint64_t fp_to_fixed(struct fpst *s, unsigned sz, uint64_t a, unsigned fbits, bool is_unsigned,
                     enum fp_rounding rnd, unsigned ibits);
/* FixedToFP: the ibits-wide integer v / 2^fbits, rounded (FPCR mode). */
uint64_t fp_from_fixed(struct fpst *s, unsigned sz, uint64_t v, unsigned fbits, bool is_unsigned,
                       unsigned ibits, enum fp_rounding rnd);
/* FPRoundInt (FRINT*): exact raises IXC when the value changes (FRINTX). */
uint64_t fp_round_int(struct fpst *s, unsigned sz, uint64_t a, enum fp_rounding rnd, bool exact);
/* FPRoundIntN (FRINT32Z/X, FRINT64Z/X: FEAT_FRINTTS). */
uint64_t fp_round_int_n(struct fpst *s, unsigned sz, uint64_t a, enum fp_rounding rnd, unsigned intsize);

/* ---- host fast paths for S and D --------------------------------------------- */

static inline float fp_f(uint64_t x) { uint32_t u = (uint32_t)x; float f; memcpy(&f, &u, 4); return f; }
static inline double fp_d(uint64_t x) { double f; memcpy(&f, &x, 8); return f; }
static inline uint64_t fp_fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline uint64_t fp_dbits(double f) { uint64_t u; memcpy(&u, &f, 8); return u; }

/* Exponent field in [1, max-1] (normal) / [2, max-1] (normal, not in the lowest binade). */
static inline bool fp_nrm_s(uint64_t x) { return (((x >> 23) & 0xff) - 1) < 0xfe; }
static inline bool fp_nrm_d(uint64_t x) { return (((x >> 52) & 0x7ff) - 1) < 0x7fe; }
/* Normal or zero: a zero operand cannot make the host differ (results that
 * are zero or infinite fail the fp_big test and go the exact way). */
static inline bool fp_nrmz_s(uint64_t x) { return fp_nrm_s(x) || !(x & 0x7fffffffu); }
static inline bool fp_nrmz_d(uint64_t x) { return fp_nrm_d(x) || !(x << 1); }
static inline bool fp_big_s(uint64_t x) { return (((x >> 23) & 0xff) - 2) < 0xfd; }
static inline bool fp_big_d(uint64_t x) { return (((x >> 52) & 0x7ff) - 2) < 0x7fd; }

#define FP_FAST2(NAME, OP)                                                           \
    static inline uint64_t fp_##NAME##_s(struct fpst *s, uint64_t a, uint64_t b)     \
    {                                                                                \
        if (__builtin_expect(s->fast && fp_nrmz_s(a) && fp_nrmz_s(b), 1)) {          \
            uint64_t r = fp_fbits(fp_f(a) OP fp_f(b));                               \
            if (__builtin_expect(fp_big_s(r), 1))                                    \
                return r;                                                            \
        }                                                                            \
        return fp_##NAME(s, 2, a, b);                                                \
    }                                                                                \
    static inline uint64_t fp_##NAME##_d(struct fpst *s, uint64_t a, uint64_t b)     \
    {                                                                                \
        if (__builtin_expect(s->fast && fp_nrmz_d(a) && fp_nrmz_d(b), 1)) {          \
            uint64_t r = fp_dbits(fp_d(a) OP fp_d(b));                               \
            if (__builtin_expect(fp_big_d(r), 1))                                    \
                return r;                                                            \
        }                                                                            \
        return fp_##NAME(s, 3, a, b);                                                \
    }
FP_FAST2(add, +)
FP_FAST2(sub, -)
FP_FAST2(mul, *)
FP_FAST2(div, /)
#undef FP_FAST2

/* Host helpers (x86-64): SSE2 square roots; fused multiply-add only where the
 * host has FMA (fp_host_fma, set at load time; the library links no libm). */
#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#define FP_HOST 1
static inline double fp_host_sqrt_d(double x)
{
    __m128d v = _mm_set_sd(x);
    return _mm_cvtsd_f64(_mm_sqrt_sd(v, v));
}
static inline float fp_host_sqrt_s(float x)
{
    return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x)));
}
extern bool fp_host_fma;
double fp_host_fma_d(double a, double b, double c);
float fp_host_fma_s(float a, float b, float c);
#else
#define FP_HOST 0
#define fp_host_fma false
static inline double fp_host_sqrt_d(double x) { return x; }
static inline float fp_host_sqrt_s(float x) { return x; }
static inline double fp_host_fma_d(double a, double b, double c) { return a * b + c; }
static inline float fp_host_fma_s(float a, float b, float c) { return a * b + c; }
#endif

static inline uint64_t fp_muladd_s(struct fpst *s, uint64_t c, uint64_t a, uint64_t b)
{
    if (__builtin_expect(fp_host_fma && s->fast && fp_nrmz_s(a) && fp_nrmz_s(b) && fp_nrmz_s(c), 1)) {
        uint64_t r = fp_fbits(fp_host_fma_s(fp_f(a), fp_f(b), fp_f(c)));
        if (__builtin_expect(fp_big_s(r), 1))
            return r;
    }
    return fp_muladd(s, 2, c, a, b);
}

static inline uint64_t fp_muladd_d(struct fpst *s, uint64_t c, uint64_t a, uint64_t b)
{
    if (__builtin_expect(fp_host_fma && s->fast && fp_nrmz_d(a) && fp_nrmz_d(b) && fp_nrmz_d(c), 1)) {
        uint64_t r = fp_dbits(fp_host_fma_d(fp_d(a), fp_d(b), fp_d(c)));
        if (__builtin_expect(fp_big_d(r), 1))
            return r;
    }
    return fp_muladd(s, 3, c, a, b);
}

static inline uint64_t fp_sqrt_s(struct fpst *s, uint64_t a)
{
    if (__builtin_expect(FP_HOST && s->fast && fp_nrm_s(a) && !(a >> 31), 1))
        return fp_fbits(fp_host_sqrt_s(fp_f(a)));
    return fp_sqrt(s, 2, a);
}

static inline uint64_t fp_sqrt_d(struct fpst *s, uint64_t a)
{
    if (__builtin_expect(FP_HOST && s->fast && fp_nrm_d(a) && !(a >> 63), 1))
        return fp_dbits(fp_host_sqrt_d(fp_d(a)));
    return fp_sqrt(s, 3, a);
}

/* Generic dispatch by size (vector loops specialise on a constant size). */
static inline uint64_t fp_add_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return sz == 3 ? fp_add_d(s, a, b) : sz == 2 ? fp_add_s(s, a, b) : fp_add(s, sz, a, b);
}
static inline uint64_t fp_sub_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return sz == 3 ? fp_sub_d(s, a, b) : sz == 2 ? fp_sub_s(s, a, b) : fp_sub(s, sz, a, b);
}
static inline uint64_t fp_mul_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return sz == 3 ? fp_mul_d(s, a, b) : sz == 2 ? fp_mul_s(s, a, b) : fp_mul(s, sz, a, b);
}
static inline uint64_t fp_div_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return sz == 3 ? fp_div_d(s, a, b) : sz == 2 ? fp_div_s(s, a, b) : fp_div(s, sz, a, b);
}
static inline uint64_t fp_muladd_z(struct fpst *s, unsigned sz, uint64_t c, uint64_t a, uint64_t b)
{
    return sz == 3 ? fp_muladd_d(s, c, a, b) : sz == 2 ? fp_muladd_s(s, c, a, b) : fp_muladd(s, sz, c, a, b);
}
static inline uint64_t fp_sqrt_z(struct fpst *s, unsigned sz, uint64_t a)
{
    return sz == 3 ? fp_sqrt_d(s, a) : sz == 2 ? fp_sqrt_s(s, a) : fp_sqrt(s, sz, a);
}

/* FCVTZS/FCVTZU to an ibits-wide integer (no fraction bits): the host's
 * truncating conversion where it cannot differ (normal or zero input well
 * inside the range, IXC already set), else the exact path. */
static inline uint64_t fp_cvtz(struct fpst *s, unsigned sz, uint64_t a, bool uns, unsigned ibits)
{
    uint64_t mask = ibits == 64 ? ~0ull : (1ull << ibits) - 1;
    if (s->fast) {
        if (sz == 3 && fp_nrmz_d(a) && ((a >> 52) & 0x7ff) < 1023 + ibits - 2 && !(uns && (a >> 63)))
            return (uint64_t)(int64_t)fp_d(a) & mask;
        if (sz == 2 && fp_nrmz_s(a) && ((a >> 23) & 0xff) < 127 + ibits - 2 && !(uns && (a >> 31)))
            return (uint64_t)(int64_t)fp_f(a) & mask;
    }
    return fp_to_fixed(s, sz, a, 0, uns, FPR_ZERO, ibits);
}

/* SCVTF/UCVTF of an ibits-wide integer (no fraction bits): the host's
 * conversion rounds to nearest like Arm with RMode 00, the only flag it can
 * raise is IXC (already set on the fast path). */
static inline uint64_t fp_cvtf(struct fpst *s, unsigned sz, uint64_t v, bool uns, unsigned ibits)
{
    if (s->fast && sz >= 2) {
        if (ibits == 32)
            v = uns ? (uint64_t)(uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
        bool neg = !uns && (int64_t)v < 0;
        if (sz == 3)
            return fp_dbits(neg || !uns ? (double)(int64_t)v : (double)v);
        return fp_fbits(neg || !uns ? (float)(int64_t)v : (float)v);
    }
    return fp_from_fixed(s, sz, v, 0, uns, ibits, fp_rmode(s));
}

/* Sign bit of a value of size sz. */
static inline uint64_t fp_signbit(unsigned sz)
{
    return 1ull << ((8u << sz) - 1);
}

#endif
