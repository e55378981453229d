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
 * from Arm: operands normal or zero, the result normal and above the
 * smallest normal (no underflow, overflow or NaN possible), round-to-nearest
 * and no flush-to-zero. The only flag such an operation can raise is
 * inexact: while FPSR.IXC is clear it is taken from MXCSR.PE (cleared before,
 * read after). The host's MXCSR is otherwise assumed to be at its default
 * (round to nearest, no DAZ/FTZ), as every x86-64 ABI starts a thread.
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

/* Size 0 in the conversion and rounding functions: BFloat16 (single's
 * exponent range, 7 fraction bits; FZ applies), for BFCVT / BFCVTN. */
#define FP_BF16 0u

/* Arm FPRounding values; 0-3 equal FPCR.RMode. */
enum fp_rounding { FPR_TIEEVEN = 0, FPR_POSINF = 1, FPR_NEGINF = 2, FPR_ZERO = 3, FPR_TIEAWAY = 4, FPR_ODD = 5 };

/* Host helpers (x86-64): SSE2 arithmetic whose inexact flag (MXCSR.PE) is
 * read when FPSR.IXC is still clear, square roots, and fused multiply-add
 * only where the host has FMA (fp_host_fma, set at load time; the library
 * links no libm). FP_ORDER keeps the host operation between the MXCSR
 * accesses (the compiler does not order FP arithmetic against them). */
#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
#define FP_HOST 1
#define FP_MXCSR_PE 0x20u
#define FP_ORDER(v) __asm__ volatile("" : "+x"(v))
extern bool fp_host_fma;
double fp_host_fma_d(double a, double b, double c);
float fp_host_fma_s(float a, float b, float c);
/* r[i] = a[i] * b[i] + c[i], one rounding, 4 floats / 2 doubles (only with fp_host_fma). */
void fp_host_fma_ps(const float *a, const float *b, const float *c, float *r);
void fp_host_fma_pd(const double *a, const double *b, const double *c, double *r);
#else
#define FP_HOST 0
#define FP_ORDER(v) ((void)(v))
#define fp_host_fma false
static inline double fp_host_fma_d(double a, double b, double c) { return a * b + c; }
static inline float fp_host_fma_s(float a, float b, float c) { return a * b + c; }
#endif

/* One instruction's view of FPCR and the exception flags it raised. */
struct fpst {
    uint32_t fpcr;
    uint32_t exc;            /* FPSR bits to OR in when the instruction completes */
    bool fast;               /* host fast path allowed (see the file comment) */
    bool ixc;                /* FPSR.IXC is (now) set: inexactness needs no tracking */
};

static inline void fpst_init(struct fpst *s, const struct cpu *cpu)
{
    s->fpcr = cpu->fpcr;
    s->exc = 0;
    s->fast = FP_HOST && !(cpu->fpcr & (FPCR_FZ | FPCR_RMODE));
    s->ixc = (cpu->fpsr & FPSR_IXC) != 0;
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

/* While FPSR.IXC is clear, an inexact host result must set it. MXCSR.PE is
 * only read after an operation (one STMXCSR, no LDMXCSR on the way): a set
 * PE may be stale (earlier host code), so the caller clears it, redoes the
 * operation and asks again (fp_host_inexact). Additions, multiplications,
 * divisions and square roots test exactness arithmetically instead. */
static inline bool fp_host_pe(void)
{
#if FP_HOST
    return (_mm_getcsr() & FP_MXCSR_PE) != 0;
#else
    return false;
#endif
}

static inline void fp_host_pe_clear(void)
{
#if FP_HOST
    _mm_setcsr(_mm_getcsr() & ~FP_MXCSR_PE);
#endif
}

static inline void fp_set_ixc(struct fpst *s)
{
    s->exc |= FPSR_IXC;
    s->ixc = true;
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
/* FPToFixedJS (FJCVTZS): double -> int32 toward zero, modulo 2^32; *z = PSTATE.Z. */
uint32_t fp_to_int32_js(struct fpst *s, uint64_t a, bool *z);
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

/* Exactness of a host result r = x OP y (round to nearest, no overflow or
 * underflow): 1 exact, 0 inexact, -1 cannot tell. TwoSum for sums; the FMA
 * residual for products and quotients, which is only itself exact while its
 * last bit (about 2^(2p) below the operands) is above the denormal range:
 * below that exponent the exact path decides. */
#define FP_EXACT_T(T, SFX, BEXP, MINB)                                               \
    static inline int fp_exact_add_##SFX(T x, T y, T r)                             \
    {                                                                                \
        T bb = r - x;                                                                \
        return (x - (r - bb)) + (y - bb) == 0;                                       \
    }                                                                                \
    static inline int fp_exact_sub_##SFX(T x, T y, T r)                             \
    {                                                                                \
        return fp_exact_add_##SFX(x, -y, r);                                         \
    }                                                                                \
    static inline int fp_exact_mul_##SFX(T x, T y, T r)                             \
    {                                                                                \
        if (!fp_host_fma || BEXP(r) < MINB)                                          \
            return -1;                                                               \
        return fp_host_fma_##SFX(x, y, -r) == 0;                                     \
    }                                                                                \
    static inline int fp_exact_div_##SFX(T x, T y, T r)                             \
    {                                                                                \
        if (!fp_host_fma || BEXP(x) < MINB)                                          \
            return -1;                                                               \
        return fp_host_fma_##SFX(r, y, -x) == 0;                                     \
    }

/* Biased exponent of a host value; the lower bound for residual checks. */
static inline unsigned fp_bexp_s(float x) { return (unsigned)(fp_fbits(x) >> 23) & 0xff; }
static inline unsigned fp_bexp_d(double x) { return (unsigned)(fp_dbits(x) >> 52) & 0x7ff; }
#define FP_RESID_MIN_S 52u       /* 2 * 24 + 4 */
#define FP_RESID_MIN_D 110u      /* 2 * 53 + 4 */
FP_EXACT_T(float, s, fp_bexp_s, FP_RESID_MIN_S)
FP_EXACT_T(double, d, fp_bexp_d, FP_RESID_MIN_D)
#undef FP_EXACT_T

#define FP_FAST2_T(NAME, OP, T, SFX, SZ, TOF, TOBITS, NRMZ, BIG)                     \
    static inline uint64_t fp_##NAME##_##SFX(struct fpst *s, uint64_t a, uint64_t b) \
    {                                                                                \
        if (__builtin_expect(s->fast && NRMZ(a) && NRMZ(b), 1)) {                    \
            T x = TOF(a), y = TOF(b);                                                \
            T z = x OP y;                                                            \
            uint64_t r = TOBITS(z);                                                  \
            if (__builtin_expect(BIG(r), 1)) {                                       \
                if (!s->ixc) {                                                       \
                    int ex = fp_exact_##NAME##_##SFX(x, y, z);                       \
                    if (ex < 0)                                                      \
                        return fp_##NAME(s, SZ, a, b);                               \
                    if (!ex)                                                         \
                        fp_set_ixc(s);                                               \
                }                                                                    \
                return r;                                                            \
            }                                                                        \
        }                                                                            \
        return fp_##NAME(s, SZ, a, b);                                               \
    }
FP_FAST2_T(add, +, float, s, 2, fp_f, fp_fbits, fp_nrmz_s, fp_big_s)
FP_FAST2_T(sub, -, float, s, 2, fp_f, fp_fbits, fp_nrmz_s, fp_big_s)
FP_FAST2_T(mul, *, float, s, 2, fp_f, fp_fbits, fp_nrmz_s, fp_big_s)
FP_FAST2_T(div, /, float, s, 2, fp_f, fp_fbits, fp_nrmz_s, fp_big_s)
FP_FAST2_T(add, +, double, d, 3, fp_d, fp_dbits, fp_nrmz_d, fp_big_d)
FP_FAST2_T(sub, -, double, d, 3, fp_d, fp_dbits, fp_nrmz_d, fp_big_d)
FP_FAST2_T(mul, *, double, d, 3, fp_d, fp_dbits, fp_nrmz_d, fp_big_d)
FP_FAST2_T(div, /, double, d, 3, fp_d, fp_dbits, fp_nrmz_d, fp_big_d)
#undef FP_FAST2_T

/* Fused multiply-add on the host (only with a host FMA); inexactness from
 * MXCSR.PE, the operation redone once if PE was stale. */
#define FP_FMA_T(T, SFX, SZ, TOF, TOBITS, NRMZ, BIG)                                 \
    static inline uint64_t fp_muladd_##SFX(struct fpst *s, uint64_t c, uint64_t a, uint64_t b) \
    {                                                                                \
        if (__builtin_expect(fp_host_fma && s->fast && NRMZ(a) && NRMZ(b) && NRMZ(c), 1)) { \
            uint64_t r = TOBITS(fp_host_fma_##SFX(TOF(a), TOF(b), TOF(c)));          \
            if (__builtin_expect(BIG(r), 1)) {                                       \
                if (!s->ixc && fp_host_pe()) {                                       \
                    fp_host_pe_clear();                                              \
                    r = TOBITS(fp_host_fma_##SFX(TOF(a), TOF(b), TOF(c)));           \
                    if (fp_host_pe())                                                \
                        fp_set_ixc(s);                                               \
                }                                                                    \
                return r;                                                            \
            }                                                                        \
        }                                                                            \
        return fp_muladd(s, SZ, c, a, b);                                            \
    }
FP_FMA_T(float, s, 2, fp_f, fp_fbits, fp_nrmz_s, fp_big_s)
FP_FMA_T(double, d, 3, fp_d, fp_dbits, fp_nrmz_d, fp_big_d)
#undef FP_FMA_T

static inline uint64_t fp_sqrt_s(struct fpst *s, uint64_t a)
{
#if FP_HOST
    if (__builtin_expect(s->fast && fp_nrm_s(a) && !(a >> 31) &&
                         (s->ixc || (fp_host_fma && ((a >> 23) & 0xff) >= FP_RESID_MIN_S)), 1)) {
        __m128 v = _mm_set_ss(fp_f(a));
        float r = _mm_cvtss_f32(_mm_sqrt_ss(v));
        if (!s->ixc && fp_host_fma_s(r, r, -fp_f(a)) != 0)
            fp_set_ixc(s);
        return fp_fbits(r);
    }
#endif
    return fp_sqrt(s, 2, a);
}

static inline uint64_t fp_sqrt_d(struct fpst *s, uint64_t a)
{
#if FP_HOST
    if (__builtin_expect(s->fast && fp_nrm_d(a) && !(a >> 63) &&
                         (s->ixc || (fp_host_fma && ((a >> 52) & 0x7ff) >= FP_RESID_MIN_D)), 1)) {
        __m128d v = _mm_set_sd(fp_d(a));
        double r = _mm_cvtsd_f64(_mm_sqrt_sd(v, v));
        if (!s->ixc && fp_host_fma_d(r, r, -fp_d(a)) != 0)
            fp_set_ixc(s);
        return fp_dbits(r);
    }
#endif
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
 * inside the range); inexact when converting back differs. */
static inline uint64_t fp_cvtz(struct fpst *s, unsigned sz, uint64_t a, bool uns, unsigned ibits)
{
    uint64_t mask = ibits == 64 ? ~0ull : (1ull << ibits) - 1;
    if (FP_HOST && !(s->fpcr & FPCR_FZ)) {
        if (sz == 3 && fp_nrmz_d(a) && ((a >> 52) & 0x7ff) < 1023 + ibits - 2 && !(uns && (a >> 63))) {
            int64_t v = (int64_t)fp_d(a);
            if (!s->ixc && (double)v != fp_d(a))
                fp_set_ixc(s);
            return (uint64_t)v & mask;
        }
        if (sz == 2 && fp_nrmz_s(a) && ((a >> 23) & 0xff) < 127 + ibits - 2 && !(uns && (a >> 31))) {
            int64_t v = (int64_t)fp_f(a);
            if (!s->ixc && (float)v != fp_f(a))
                fp_set_ixc(s);
            return (uint64_t)v & mask;
        }
    }
    return fp_to_fixed(s, sz, a, 0, uns, FPR_ZERO, ibits);
}

/* SCVTF/UCVTF of an ibits-wide integer (no fraction bits): the host's
 * conversion rounds to nearest like Arm with RMode 00; values that fit the
 * significand are exact, others take the exact path while IXC is clear. */
static inline uint64_t fp_cvtf(struct fpst *s, unsigned sz, uint64_t v, bool uns, unsigned ibits)
{
    if (s->fast && sz >= 2) {
        if (ibits == 32)
            v = uns ? (uint64_t)(uint32_t)v : (uint64_t)(int64_t)(int32_t)v;
        uint64_t mag = uns || (int64_t)v >= 0 ? v : -v;
        if (s->ixc || mag < (sz == 3 ? (1ull << 53) : (1ull << 24))) {
            if (sz == 3)
                return fp_dbits(uns ? (double)v : (double)(int64_t)v);
            return fp_fbits(uns ? (float)v : (float)(int64_t)v);
        }
    }
    return fp_from_fixed(s, sz, v, 0, uns, ibits, fp_rmode(s));
}

/* FMAX/FMIN/FMAXNM/FMINNM without NaNs (and without denormals under FZ):
 * the larger / smaller by value, the zero signs ANDed / ORed. */
static inline bool fp_minmax_fast(const struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool max,
                                  uint64_t *res)
{
    unsigned fb = sz == 3 ? 52 : sz == 2 ? 23 : 10, n = 8u << sz;
    uint64_t sign = 1ull << (n - 1), inf = ((1ull << (n - 1 - fb)) - 1) << fb;
    uint64_t ma = a & (sign - 1), mb = b & (sign - 1);
    if (ma > inf || mb > inf)
        return false;                                  /* NaN */
    if ((s->fpcr & (sz == 1 ? FPCR_FZ16 : FPCR_FZ)) && ((ma && ma < (1ull << fb)) || (mb && mb < (1ull << fb))))
        return false;                                  /* denormal to flush */
    if (!ma && !mb) {
        *res = max ? (a & b) : (a | b);
        return true;
    }
    int64_t ka = (a & sign) ? -(int64_t)ma : (int64_t)ma, kb = (b & sign) ? -(int64_t)mb : (int64_t)mb;
    *res = (max ? ka > kb : ka < kb) ? a : b;
    return true;
}

/* Ordered key of a value that is neither a NaN nor a denormal FPCR flushes
 * (false otherwise): +0 and -0 are both 0. */
static inline bool fp_key_fast(const struct fpst *s, unsigned sz, uint64_t a, int64_t *key)
{
    unsigned fb = sz == 3 ? 52 : sz == 2 ? 23 : 10, n = 8u << sz;
    uint64_t sign = 1ull << (n - 1), inf = ((1ull << (n - 1 - fb)) - 1) << fb;
    uint64_t m = a & (sign - 1);
    if (m > inf || (m && m < (1ull << fb) && (s->fpcr & (sz == 1 ? FPCR_FZ16 : FPCR_FZ))))
        return false;
    *key = (a & sign) ? -(int64_t)m : (int64_t)m;
    return true;
}

#define FP_MINMAX_Z(NAME, MAX)                                                       \
    static inline uint64_t fp_##NAME##_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b) \
    {                                                                                \
        uint64_t r;                                                                  \
        return fp_minmax_fast(s, sz, a, b, MAX, &r) ? r : fp_##NAME(s, sz, a, b);    \
    }
FP_MINMAX_Z(max, true)
FP_MINMAX_Z(min, false)
FP_MINMAX_Z(maxnm, true)
FP_MINMAX_Z(minnm, false)
#undef FP_MINMAX_Z

/* FPCompare / FPCompareEQ/GE/GT without NaNs: keys compared directly. */
static inline unsigned fp_compare_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool signal_nans)
{
    int64_t ka, kb;
    if (fp_key_fast(s, sz, a, &ka) && fp_key_fast(s, sz, b, &kb))
        return ka == kb ? 0x6 : ka < kb ? 0x8 : 0x2;
    return fp_compare(s, sz, a, b, signal_nans);
}

static inline bool fp_cmp_eq_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    int64_t ka, kb;
    if (fp_key_fast(s, sz, a, &ka) && fp_key_fast(s, sz, b, &kb))
        return ka == kb;
    return fp_cmp_eq(s, sz, a, b);
}

static inline bool fp_cmp_ge_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    int64_t ka, kb;
    if (fp_key_fast(s, sz, a, &ka) && fp_key_fast(s, sz, b, &kb))
        return ka >= kb;
    return fp_cmp_ge(s, sz, a, b, false);
}

static inline bool fp_cmp_gt_z(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    int64_t ka, kb;
    if (fp_key_fast(s, sz, a, &ka) && fp_key_fast(s, sz, b, &kb))
        return ka > kb;
    return fp_cmp_gt(s, sz, a, b, false);
}

/* Sign bit of a value of size sz. */
static inline uint64_t fp_signbit(unsigned sz)
{
    return 1ull << ((8u << sz) - 1);
}

#endif
