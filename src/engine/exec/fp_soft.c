/*
 * fp_soft.c - exact Arm floating-point arithmetic in software (see
 * fp_arith.h): unpacking, rounding, NaN propagation and the arithmetic
 * operations, written from the Arm ARM pseudocode (DDI 0487 J1.3 shared
 * pseudocode: FPUnpackBase, FPRoundBase, FPProcessNaNs, FPAdd, FPMul,
 * FPMulAdd, FPDiv, FPSqrt, FPMax/FPMin(Num), FPCompare*, FPRecipStepFused,
 * FPRSqrtStepFused, FPMulX, FPRecipEstimate, FPRSqrtEstimate, FPRecpX).
 * Conversions and rounding to integral are in fp_conv.c.
 *
 * A finite value is held exactly as sign, a 128-bit integer significand and a
 * binary exponent (value = m * 2^exp). Operations compute the exact result
 * (or one with a sticky bit far below the rounding point) and fp_round()
 * rounds it once, detecting tininess before rounding as Arm does.
 */
#include "engine/exec/fp_soft.h"

#if FP_HOST
#include <immintrin.h>

/* The host's FMA, compiled for it and used only when the CPU has it. */
bool fp_host_fma;

__attribute__((target("fma"))) double fp_host_fma_d(double a, double b, double c)
{
    return _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c)));
}

__attribute__((target("fma"))) float fp_host_fma_s(float a, float b, float c)
{
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}

__attribute__((target("fma"))) void fp_host_fma_ps(const float *a, const float *b, const float *c, float *r)
{
    _mm_storeu_ps(r, _mm_fmadd_ps(_mm_loadu_ps(a), _mm_loadu_ps(b), _mm_loadu_ps(c)));
}

__attribute__((target("fma"))) void fp_host_fma_pd(const double *a, const double *b, const double *c, double *r)
{
    _mm_storeu_pd(r, _mm_fmadd_pd(_mm_loadu_pd(a), _mm_loadu_pd(b), _mm_loadu_pd(c)));
}

__attribute__((constructor)) static void fp_host_init(void)
{
    __builtin_cpu_init();
    fp_host_fma = __builtin_cpu_supports("fma");
}
#endif

/* ---- formats ----------------------------------------------------------------- */

const struct fp_fmt fp_fmts[4] = {
    { 8, 7, 127 },      /* BFloat16 (FP_BF16): single's exponent, 7 fraction bits */
    { 5, 10, 15 },      /* half */
    { 8, 23, 127 },     /* single */
    { 11, 52, 1023 },   /* double */
};

uint64_t fp_default_nan(unsigned sz)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    return (((1ull << f->E) - 1) << f->F) | (1ull << (f->F - 1));
}

uint64_t fp_inf(unsigned sz, int sign)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    return ((uint64_t)sign << (f->E + f->F)) | (((1ull << f->E) - 1) << f->F);
}

uint64_t fp_zero(unsigned sz, int sign)
{
    return (uint64_t)sign << (fp_fmts[sz].E + fp_fmts[sz].F);
}

static uint64_t fp_max_normal(unsigned sz, int sign)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    return ((uint64_t)sign << (f->E + f->F)) | (((1ull << f->E) - 2) << f->F) | ((1ull << f->F) - 1);
}

/* Does FPCR flush denormals of this size (FZ16 for half, FZ otherwise)? */
static bool fz_on(const struct fpst *s, unsigned sz)
{
    return sz == 1 ? (s->fpcr & FPCR_FZ16) != 0 : (s->fpcr & FPCR_FZ) != 0;
}

/* FPUnpackBase. cv: a conversion's unpack (FZ16 ignored, FPCR.AHP honoured for half). */
struct fp_unp fp_unpack_x(struct fpst *s, unsigned sz, uint64_t x, bool cv)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    struct fp_unp u;
    uint64_t emax = (1ull << f->E) - 1;
    uint64_t e = (x >> f->F) & emax, frac = x & ((1ull << f->F) - 1);
    u.sign = (int)((x >> (f->E + f->F)) & 1);
    u.exp = 0;
    u.mant = 0;
    bool ahp = cv && sz == 1 && (s->fpcr & FPCR_AHP);
    bool fz = cv && sz == 1 ? false : fz_on(s, sz);
    if (e == 0) {
        if (frac == 0) {
            u.type = FPT_ZERO;
        } else if (fz) {
            u.type = FPT_ZERO;
            if (sz != 1)
                s->exc |= FPSR_IDC;   /* Arm: FPProcessException(FPExc_InputDenorm) for S/D only */
        } else {
            u.type = FPT_DENORM;
            u.mant = frac;
            u.exp = 1 - f->bias - f->F;
        }
    } else if (e == emax && !ahp) {
        if (frac == 0)
            u.type = FPT_INF;
        else
            u.type = (frac >> (f->F - 1)) & 1 ? FPT_QNAN : FPT_SNAN;
    } else {
        u.type = FPT_NORMAL;
        u.mant = frac | (1ull << f->F);
        u.exp = (int)e - f->bias - f->F;
    }
    return u;
}

/* FPProcessNaN: quieten (IOC for a signalling NaN), or the default NaN with DN. */
uint64_t fp_process_nan(struct fpst *s, unsigned sz, int type, uint64_t x)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    if (type == FPT_SNAN) {
        s->exc |= FPSR_IOC;
        x |= 1ull << (f->F - 1);
    }
    if (s->fpcr & FPCR_DN)
        return fp_default_nan(sz);
    return x;
}

/* FPProcessNaNs: first signalling NaN, else first quiet NaN. */
static bool process_nans(struct fpst *s, unsigned sz, const struct fp_unp *u1, const struct fp_unp *u2,
                         uint64_t a, uint64_t b, uint64_t *res)
{
    if (u1->type == FPT_SNAN)
        *res = fp_process_nan(s, sz, u1->type, a);
    else if (u2->type == FPT_SNAN)
        *res = fp_process_nan(s, sz, u2->type, b);
    else if (u1->type == FPT_QNAN)
        *res = fp_process_nan(s, sz, u1->type, a);
    else if (u2->type == FPT_QNAN)
        *res = fp_process_nan(s, sz, u2->type, b);
    else
        return false;
    return true;
}

static bool process_nans3(struct fpst *s, unsigned sz, const struct fp_unp *u1, const struct fp_unp *u2,
                          const struct fp_unp *u3, uint64_t a, uint64_t b, uint64_t c, uint64_t *res)
{
    if (u1->type == FPT_SNAN)
        *res = fp_process_nan(s, sz, u1->type, a);
    else if (u2->type == FPT_SNAN)
        *res = fp_process_nan(s, sz, u2->type, b);
    else if (u3->type == FPT_SNAN)
        *res = fp_process_nan(s, sz, u3->type, c);
    else if (u1->type == FPT_QNAN)
        *res = fp_process_nan(s, sz, u1->type, a);
    else if (u2->type == FPT_QNAN)
        *res = fp_process_nan(s, sz, u2->type, b);
    else if (u3->type == FPT_QNAN)
        *res = fp_process_nan(s, sz, u3->type, c);
    else
        return false;
    return true;
}

/* ---- rounding ----------------------------------------------------------------- */

static int bitlen128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    if (hi)
        return 128 - __builtin_clzll(hi);
    return lo ? 64 - __builtin_clzll(lo) : 0;
}

/* FPRoundBase for the nonzero value (-1)^sign * m * 2^exp. fz: output flush
 * applies; ahp: alternative half-precision result. */
uint64_t fp_round_x(struct fpst *s, unsigned sz, int sign, int exp, u128 m, enum fp_rounding rnd, bool fz,
                    bool ahp)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    int p = bitlen128(m) - 1;
    int exponent = exp + p;                  /* 2^exponent <= |value| < 2^(exponent+1) */
    int minexp = 1 - f->bias;
    if (fz && exponent < minexp) {
        s->exc |= FPSR_UFC;                  /* flush to zero: UFC, never IXC */
        return fp_zero(sz, sign);
    }
    int biased = exponent - minexp + 1;
    if (biased < 0)
        biased = 0;
    int q = (biased == 0 ? minexp : exponent) - f->F;   /* weight of the result's last bit */
    int sh = q - exp;
    uint64_t im;
    bool rb = false, st = false;
    if (sh <= 0) {
        im = (uint64_t)(m << -sh);
    } else {
        im = sh < 128 ? (uint64_t)(m >> sh) : 0;
        if (sh - 1 < 128) {
            rb = (m >> (sh - 1)) & 1;
            st = (m & ((((u128)1) << (sh - 1)) - 1)) != 0;
        } else {
            st = m != 0;
        }
    }
    bool inexact = rb || st;
    if (biased == 0 && inexact)
        s->exc |= FPSR_UFC;
    bool up, to_inf;
    switch (rnd) {
    case FPR_TIEEVEN: up = rb && (st || (im & 1)); to_inf = true; break;
    case FPR_POSINF: up = inexact && !sign; to_inf = !sign; break;
    case FPR_NEGINF: up = inexact && sign; to_inf = sign; break;
    case FPR_TIEAWAY: up = rb; to_inf = true; break;
    case FPR_ODD: up = false; to_inf = false; if (inexact) im |= 1; break;
    default: up = false; to_inf = false; break;
    }
    if (up) {
        im++;
        if (biased == 0 && im == (1ull << f->F))
            biased = 1;                       /* rounded up to the smallest normal */
        else if (im == (2ull << f->F)) {
            biased++;
            im >>= 1;
        }
    }
    uint64_t res;
    uint64_t signb = (uint64_t)sign << (f->E + f->F);
    if (!ahp) {
        if (biased >= (1 << f->E) - 1) {
            s->exc |= FPSR_OFC;
            inexact = true;
            res = to_inf ? fp_inf(sz, sign) : fp_max_normal(sz, sign);
        } else {
            res = signb | ((uint64_t)biased << f->F) | (im & ((1ull << f->F) - 1));
        }
    } else {
        if (biased >= (1 << f->E)) {
            res = signb | 0x7fff;
            s->exc |= FPSR_IOC;
            inexact = false;
        } else {
            res = signb | ((uint64_t)biased << f->F) | (im & ((1ull << f->F) - 1));
        }
    }
    if (inexact)
        s->exc |= FPSR_IXC;
    return res;
}

uint64_t fp_round(struct fpst *s, unsigned sz, int sign, int exp, u128 m, enum fp_rounding rnd)
{
    return fp_round_x(s, sz, sign, exp, m, rnd, fz_on(s, sz), false);
}

/* Exact sum of two signed values (m = 0 is zero). Operands have at most 126
 * significant bits; the one whose top lies more than a few bits below the
 * other's is shifted right with a sticky bit far below any rounding point. */
struct xv { int sign; int exp; u128 m; };

static u128 align_to(const struct xv *x, int e0)
{
    int d = x->exp - e0;
    if (d >= 0)
        return x->m << d;
    d = -d;
    if (d >= 128)
        return x->m != 0;
    return (x->m >> d) | ((x->m & ((((u128)1) << d) - 1)) != 0);
}

static struct xv xadd(struct xv a, struct xv b)
{
    if (!a.m)
        return b;
    if (!b.m)
        return a;
    int ta = a.exp + bitlen128(a.m), tb = b.exp + bitlen128(b.m);
    int e0 = (ta > tb ? ta : tb) - 126;
    u128 A = align_to(&a, e0), B = align_to(&b, e0);
    struct xv r = { a.sign, e0, 0 };
    if (a.sign == b.sign) {
        r.m = A + B;
    } else if (A >= B) {
        r.m = A - B;
    } else {
        r.m = B - A;
        r.sign = b.sign;
    }
    return r;
}

/* ---- arithmetic ----------------------------------------------------------------- */

static uint64_t addsub(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool sub)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    uint64_t res;
    if (process_nans(s, sz, &u1, &u2, a, b, &res))
        return res;
    if (sub)
        u2.sign ^= 1;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    if (inf1 && inf2 && u1.sign != u2.sign) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (inf1 || inf2)
        return fp_inf(sz, inf1 ? u1.sign : u2.sign);
    if (zero1 && zero2 && u1.sign == u2.sign)
        return fp_zero(sz, u1.sign);
    struct xv x = xadd((struct xv){ u1.sign, u1.exp, u1.mant }, (struct xv){ u2.sign, u2.exp, u2.mant });
    if (!x.m)
        return fp_zero(sz, fp_rmode(s) == FPR_NEGINF);
    return fp_round(s, sz, x.sign, x.exp, x.m, fp_rmode(s));
}

uint64_t fp_add(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return addsub(s, sz, a, b, false);
}

uint64_t fp_sub(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return addsub(s, sz, a, b, true);
}

/* FPMul; mulx: FPMulX (infinity times zero is 2.0 with the product's sign). */
static uint64_t mul(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool mulx)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    uint64_t res;
    if (process_nans(s, sz, &u1, &u2, a, b, &res))
        return res;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    int sign = u1.sign ^ u2.sign;
    if ((inf1 && zero2) || (zero1 && inf2)) {
        if (mulx)
            return fp_two(sz, sign);
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (inf1 || inf2)
        return fp_inf(sz, sign);
    if (zero1 || zero2)
        return fp_zero(sz, sign);
    return fp_round(s, sz, sign, u1.exp + u2.exp, (u128)u1.mant * u2.mant, fp_rmode(s));
}

uint64_t fp_mul(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return mul(s, sz, a, b, false);
}

uint64_t fp_mulx(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return mul(s, sz, a, b, true);
}

uint64_t fp_two(unsigned sz, int sign)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    return ((uint64_t)sign << (f->E + f->F)) | ((uint64_t)(f->bias + 1) << f->F);
}

uint64_t fp_div(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    uint64_t res;
    if (process_nans(s, sz, &u1, &u2, a, b, &res))
        return res;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    int sign = u1.sign ^ u2.sign;
    if ((inf1 && inf2) || (zero1 && zero2)) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (inf1 || zero2) {
        if (!inf1)
            s->exc |= FPSR_DZC;
        return fp_inf(sz, sign);
    }
    if (zero1 || inf2)
        return fp_zero(sz, sign);
    /* Normalise both significands to bit 63, then a 128/64 division gives a
     * quotient of 64 or 65 bits; a nonzero remainder becomes the sticky bit. */
    int l1 = 63 - __builtin_clzll(u1.mant), l2 = 63 - __builtin_clzll(u2.mant);
    uint64_t n1 = u1.mant << (63 - l1), n2 = u2.mant << (63 - l2);
    u128 num = (u128)n1 << 64;
    u128 q = num / n2;
    bool rem = (num % n2) != 0;
    int exp = (u1.exp - (63 - l1)) - (u2.exp - (63 - l2)) - 64;
    return fp_round(s, sz, sign, exp, q | rem, fp_rmode(s));
}

static uint64_t isqrt128(u128 v, bool *inexact)
{
    /* Newton's iteration from above: x(k+1) = (x + v/x) / 2 decreases to floor(sqrt(v)). */
    int bl = bitlen128(v);
    u128 x = (u128)1 << ((bl + 1) / 2 + 1);
    for (;;) {
        u128 y = (x + v / x) >> 1;
        if (y >= x)
            break;
        x = y;
    }
    *inexact = x * x != v;
    return (uint64_t)x;
}

uint64_t fp_sqrt(struct fpst *s, unsigned sz, uint64_t a)
{
    struct fp_unp u = fp_unpack(s, sz, a);
    if (u.type == FPT_SNAN || u.type == FPT_QNAN)
        return fp_process_nan(s, sz, u.type, a);
    if (u.type == FPT_ZERO)
        return fp_zero(sz, u.sign);
    if (u.type == FPT_INF && !u.sign)
        return fp_inf(sz, 0);
    if (u.sign) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    u128 m = u.mant;
    int exp = u.exp;
    if (exp & 1) {
        m <<= 1;
        exp--;
    }
    /* m < 2^54: shift by an even amount to about 2^124 for a 62-bit root. */
    int shift = 124 - bitlen128(m);
    shift &= ~1;
    m <<= shift;
    exp -= shift;
    bool inexact;
    uint64_t root = isqrt128(m, &inexact);
    return fp_round(s, sz, 0, exp / 2 - 1, ((u128)root << 1) | inexact, fp_rmode(s));
}

/* Shared by FPMulAdd, FPRecipStepFused, FPRSqrtStepFused: addend + a*b with
 * the signs already applied, both finite-or-zero and not NaN. */
static uint64_t fused(struct fpst *s, unsigned sz, const struct fp_unp *ua, const struct fp_unp *u1,
                      const struct fp_unp *u2, int exp_adj)
{
    struct xv p = { u1->sign ^ u2->sign, u1->exp + u2->exp, (u128)u1->mant * u2->mant };
    struct xv c = { ua->sign, ua->exp, ua->mant };
    struct xv x = xadd(c, p);
    if (!x.m)
        return fp_zero(sz, fp_rmode(s) == FPR_NEGINF);
    return fp_round(s, sz, x.sign, x.exp + exp_adj, x.m, fp_rmode(s));
}

uint64_t fp_muladd(struct fpst *s, unsigned sz, uint64_t addend, uint64_t a, uint64_t b)
{
    struct fp_unp ua = fp_unpack(s, sz, addend), u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    uint64_t res;
    bool done = process_nans3(s, sz, &ua, &u1, &u2, addend, a, b, &res);
    if (ua.type == FPT_QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (done)
        return res;
    bool infa = ua.type == FPT_INF, zeroa = ua.type == FPT_ZERO;
    int signp = u1.sign ^ u2.sign;
    bool infp = inf1 || inf2, zerop = zero1 || zero2;
    if ((inf1 && zero2) || (zero1 && inf2) || (infa && infp && ua.sign != signp)) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if ((infa && !ua.sign) || (infp && !signp))
        return fp_inf(sz, 0);
    if ((infa && ua.sign) || (infp && signp))
        return fp_inf(sz, 1);
    if (zeroa && zerop && ua.sign == signp)
        return fp_zero(sz, ua.sign);
    return fused(s, sz, &ua, &u1, &u2, 0);
}

/* FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2). */
static uint64_t step_fused(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool rsqrt)
{
    a ^= fp_signbit(sz);                     /* op1 = FPNeg(op1) before everything */
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    uint64_t res;
    if (process_nans(s, sz, &u1, &u2, a, b, &res))
        return res;
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    if ((inf1 && zero2) || (zero1 && inf2))
        return rsqrt ? fp_one_point_five(sz) : fp_two(sz, 0);
    if (inf1 || inf2)
        return fp_inf(sz, u1.sign ^ u2.sign);
    struct fp_unp c = { FPT_NORMAL, 0, rsqrt ? 0 : 1, rsqrt ? 3 : 1 };   /* 3 * 2^0 or 1 * 2^1 */
    return fused(s, sz, &c, &u1, &u2, rsqrt ? -1 : 0);
}

uint64_t fp_one_point_five(unsigned sz)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    return ((uint64_t)f->bias << f->F) | (1ull << (f->F - 1));
}

uint64_t fp_recps(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return step_fused(s, sz, a, b, false);
}

uint64_t fp_rsqrts(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return step_fused(s, sz, a, b, true);
}

/* ---- max / min / compare ---------------------------------------------------------- */

/* Signed-magnitude bits of a non-NaN value as an ordered integer. */
static int64_t order_key(unsigned sz, const struct fp_unp *u, uint64_t x)
{
    if (u->type == FPT_ZERO)
        return 0;
    uint64_t mag = x & (fp_signbit(sz) - 1);
    return u->sign ? -(int64_t)mag : (int64_t)mag;
}

/* The operand as FPMax/FPMin return it: flushed denormals become zero. */
static uint64_t as_result(unsigned sz, const struct fp_unp *u, uint64_t x)
{
    return u->type == FPT_ZERO ? fp_zero(sz, u->sign) : x;
}

static uint64_t maxmin(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool max)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    uint64_t res;
    if (process_nans(s, sz, &u1, &u2, a, b, &res))
        return res;
    if (u1.type == FPT_ZERO && u2.type == FPT_ZERO)
        return fp_zero(sz, max ? (u1.sign & u2.sign) : (u1.sign | u2.sign));
    int64_t k1 = order_key(sz, &u1, a), k2 = order_key(sz, &u2, b);
    bool first = max ? k1 > k2 : k1 < k2;
    return first ? as_result(sz, &u1, a) : as_result(sz, &u2, b);
}

uint64_t fp_max(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return maxmin(s, sz, a, b, true);
}

uint64_t fp_min(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return maxmin(s, sz, a, b, false);
}

/* FPMaxNum / FPMinNum: a quiet NaN against a number loses (it becomes -inf
 * for max, +inf for min); signalling NaNs still propagate. */
static uint64_t maxminnm(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool max)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    if (u1.type == FPT_QNAN && u2.type != FPT_QNAN)
        a = fp_inf(sz, max);
    else if (u1.type != FPT_QNAN && u2.type == FPT_QNAN)
        b = fp_inf(sz, max);
    return maxmin(s, sz, a, b, max);
}

uint64_t fp_maxnm(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return maxminnm(s, sz, a, b, true);
}

uint64_t fp_minnm(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return maxminnm(s, sz, a, b, false);
}

uint64_t fp_abd(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    return fp_sub_z(s, sz, a, b) & ~fp_signbit(sz);
}

static bool is_nan(const struct fp_unp *u)
{
    return u->type == FPT_SNAN || u->type == FPT_QNAN;
}

unsigned fp_compare(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool signal_nans)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    if (is_nan(&u1) || is_nan(&u2)) {
        if (u1.type == FPT_SNAN || u2.type == FPT_SNAN || signal_nans)
            s->exc |= FPSR_IOC;
        return 0x3;
    }
    int64_t k1 = order_key(sz, &u1, a), k2 = order_key(sz, &u2, b);
    return k1 == k2 ? 0x6 : k1 < k2 ? 0x8 : 0x2;
}

bool fp_cmp_eq(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    if (is_nan(&u1) || is_nan(&u2)) {
        if (u1.type == FPT_SNAN || u2.type == FPT_SNAN)
            s->exc |= FPSR_IOC;
        return false;
    }
    return order_key(sz, &u1, a) == order_key(sz, &u2, b);
}

static int cmp_ordered(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool abs)
{
    if (abs) {
        a &= ~fp_signbit(sz);
        b &= ~fp_signbit(sz);
    }
    struct fp_unp u1 = fp_unpack(s, sz, a), u2 = fp_unpack(s, sz, b);
    if (is_nan(&u1) || is_nan(&u2)) {
        s->exc |= FPSR_IOC;
        return 2;
    }
    int64_t k1 = order_key(sz, &u1, a), k2 = order_key(sz, &u2, b);
    return k1 > k2 ? 1 : k1 == k2 ? 0 : -1;
}

bool fp_cmp_ge(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool abs)
{
    int c = cmp_ordered(s, sz, a, b, abs);
    return c == 1 || c == 0;
}

bool fp_cmp_gt(struct fpst *s, unsigned sz, uint64_t a, uint64_t b, bool abs)
{
    return cmp_ordered(s, sz, a, b, abs) == 1;
}
