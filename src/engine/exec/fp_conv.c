/*
 * fp_conv.c - Arm floating-point conversions and estimates in software:
 * FPConvert (between H, S and D, with FPCR.AHP's alternative half precision),
 * FPToFixed / FixedToFP (FCVT*S/U, SCVTF/UCVTF, fixed-point forms included:
 * saturation with IOC as Arm does, where x86's cvtt* would return the
 * "integer indefinite"), FPRoundInt / FPRoundIntN (FRINT*), and
 * FPRecipEstimate / FPRSqrtEstimate / FPRecpX. Written from the Arm ARM
 * shared pseudocode of the same names.
 */
#include "engine/exec/fp_soft.h"

static bool nan_type(int t)
{
    return t == FPT_SNAN || t == FPT_QNAN;
}

/* FPConvertNaN: sign kept, fraction's top bits carried over, quiet bit set. */
static uint64_t convert_nan(unsigned from, unsigned to, uint64_t a)
{
    const struct fp_fmt *fi = &fp_fmts[from], *fo = &fp_fmts[to];
    uint64_t sign = (a >> (fi->E + fi->F)) & 1;
    uint64_t frac = a & ((1ull << fi->F) - 1);
    frac = fo->F > fi->F ? frac << (fo->F - fi->F) : frac >> (fi->F - fo->F);
    return (sign << (fo->E + fo->F)) | (((1ull << fo->E) - 1) << fo->F) | frac | (1ull << (fo->F - 1));
}

uint64_t fp_convert(struct fpst *s, unsigned from, unsigned to, uint64_t a, enum fp_rounding rnd)
{
    struct fp_unp u = fp_unpack_x(s, from, a, true);
    bool alt = to == 1 && (s->fpcr & FPCR_AHP);
    if (nan_type(u.type)) {
        uint64_t r;
        if (alt)
            r = fp_zero(to, u.sign);
        else if (s->fpcr & FPCR_DN)
            r = fp_default_nan(to);
        else
            r = convert_nan(from, to, a);
        if (u.type == FPT_SNAN || alt)
            s->exc |= FPSR_IOC;
        return r;
    }
    if (u.type == FPT_INF) {
        if (alt) {
            s->exc |= FPSR_IOC;
            return ((uint64_t)u.sign << 15) | 0x7fff;
        }
        return fp_inf(to, u.sign);
    }
    if (u.type == FPT_ZERO)
        return fp_zero(to, u.sign);
    /* FPRoundCV: FZ16 does not apply to conversions; FZ does for S and D. */
    bool fz = to != 1 && (s->fpcr & FPCR_FZ);
    return fp_round_x(s, to, u.sign, u.exp, u.mant, rnd, fz, alt);
}

/* |value| as an integer plus the rounding-bit / sticky of the discarded part. */
struct imag { u128 mag; bool rb, st, big; };

static struct imag int_magnitude(const struct fp_unp *u, int e)
{
    struct imag m = { 0, false, false, false };
    if (e >= 0) {
        if (64 - __builtin_clzll(u->mant) + e > 100)
            m.big = true;
        else
            m.mag = (u128)u->mant << e;
        return m;
    }
    int sh = -e;
    m.mag = sh < 64 ? u->mant >> sh : 0;
    if (sh - 1 < 64) {
        m.rb = (u->mant >> (sh - 1)) & 1;
        m.st = (u->mant & ((1ull << (sh - 1)) - 1)) != 0;
    } else {
        m.st = u->mant != 0;
    }
    return m;
}

/* Round a magnitude for a value of the given sign (Arm's RoundDown + round_up
 * expressed on the magnitude). */
static bool round_up_mag(enum fp_rounding rnd, int sign, const struct imag *m)
{
    bool inexact = m->rb || m->st;
    switch (rnd) {
    case FPR_TIEEVEN: return m->rb && (m->st || (m->mag & 1));
    case FPR_TIEAWAY: return m->rb;
    case FPR_POSINF: return inexact && !sign;
    case FPR_NEGINF: return inexact && sign;
    default: return false;
    }
}

uint64_t fp_to_fixed(struct fpst *s, unsigned sz, uint64_t a, unsigned fbits, bool is_unsigned,
                     enum fp_rounding rnd, unsigned ibits)
{
    struct fp_unp u = fp_unpack(s, sz, a);
    uint64_t mask = ibits == 64 ? ~0ull : (1ull << ibits) - 1;
    if (nan_type(u.type)) {
        s->exc |= FPSR_IOC;
        return 0;
    }
    if (u.type == FPT_ZERO)
        return 0;
    struct imag m = { 0, false, false, true };
    if (u.type != FPT_INF) {
        m = int_magnitude(&u, u.exp + (int)fbits);
        if (!m.big && round_up_mag(rnd, u.sign, &m))
            m.mag++;
    }
    bool inexact = m.rb || m.st;
    uint64_t res;
    bool ovf = false;
    if (is_unsigned) {
        if (u.sign && (m.big || m.mag)) {
            res = 0;
            ovf = true;
        } else if (m.big || m.mag > mask) {
            res = mask;
            ovf = true;
        } else {
            res = (uint64_t)m.mag;
        }
    } else {
        u128 lim = (u128)1 << (ibits - 1);
        if (u.sign) {
            if (m.big || m.mag > lim) {
                res = (uint64_t)lim;      /* most negative: -2^(ibits-1) */
                ovf = true;
            } else {
                res = -(uint64_t)m.mag;
            }
        } else if (m.big || m.mag > lim - 1) {
            res = (uint64_t)(lim - 1);
            ovf = true;
        } else {
            res = (uint64_t)m.mag;
        }
    }
    if (ovf)
        s->exc |= FPSR_IOC;
    else if (inexact)
        s->exc |= FPSR_IXC;
    return res & mask;
}

/* FPToFixedJS (FJCVTZS): the double a truncated toward zero, modulo 2^32
 * (JavaScript's ToInt32). Out of range (or infinite, NaN) raises IOC, else an
 * inexact result IXC; *z is the Z flag: an exact in-range conversion of
 * anything but -0 or a denormal that FZ flushed. */
uint32_t fp_to_int32_js(struct fpst *s, uint64_t a, bool *z)
{
    struct fp_unp u = fp_unpack(s, 3, a);
    *z = false;
    if (nan_type(u.type) || u.type == FPT_INF) {
        s->exc |= FPSR_IOC;
        return 0;
    }
    if (u.type == FPT_ZERO) {
        *z = !u.sign && !(a & ((1ull << 52) - 1));
        return 0;
    }
    struct imag m = int_magnitude(&u, u.exp);
    /* A magnitude of over 100 bits has at least 48 zero low bits. */
    uint32_t low = m.big ? 0 : (uint32_t)m.mag;
    u128 lim = (u128)1 << 31;
    if (m.big || (u.sign ? m.mag > lim : m.mag > lim - 1))
        s->exc |= FPSR_IOC;
    else if (m.rb || m.st)
        s->exc |= FPSR_IXC;
    else
        *z = true;
    return u.sign ? 0u - low : low;
}

uint64_t fp_from_fixed(struct fpst *s, unsigned sz, uint64_t v, unsigned fbits, bool is_unsigned,
                       unsigned ibits, enum fp_rounding rnd)
{
    if (ibits < 64)
        v &= (1ull << ibits) - 1;
    int sign = 0;
    if (!is_unsigned && ibits && ((v >> (ibits - 1)) & 1)) {
        sign = 1;
        v = (ibits == 64 ? 0 : (1ull << ibits)) - v;   /* magnitude, 2^(ibits-1) at most */
    }
    if (!v)
        return fp_zero(sz, 0);
    return fp_round(s, sz, sign, -(int)fbits, v, rnd);
}

uint64_t fp_round_int(struct fpst *s, unsigned sz, uint64_t a, enum fp_rounding rnd, bool exact)
{
    struct fp_unp u = fp_unpack(s, sz, a);
    if (nan_type(u.type))
        return fp_process_nan(s, sz, u.type, a);
    if (u.type == FPT_INF)
        return fp_inf(sz, u.sign);
    if (u.type == FPT_ZERO)
        return fp_zero(sz, u.sign);
    if (u.exp >= 0)
        return a;                             /* already integral */
    struct imag m = int_magnitude(&u, u.exp);
    bool inexact = m.rb || m.st;
    if (round_up_mag(rnd, u.sign, &m))
        m.mag++;
    if (inexact && exact)
        s->exc |= FPSR_IXC;
    if (!m.mag)
        return fp_zero(sz, u.sign);
    return fp_round(s, sz, u.sign, 0, m.mag, FPR_ZERO);
}

uint64_t fp_round_int_n(struct fpst *s, unsigned sz, uint64_t a, enum fp_rounding rnd, unsigned intsize)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    uint64_t most_neg = fp_signbit(sz) | ((uint64_t)(intsize - 1 + f->bias) << f->F);   /* -2^(intsize-1) */
    struct fp_unp u = fp_unpack(s, sz, a);
    if (nan_type(u.type) || u.type == FPT_INF) {
        s->exc |= FPSR_IOC;
        return most_neg;
    }
    if (u.type == FPT_ZERO)
        return fp_zero(sz, u.sign);
    struct imag m = { 0, false, false, false };
    if (u.exp >= 0) {
        m = int_magnitude(&u, u.exp);
    } else {
        m = int_magnitude(&u, u.exp);
        if (round_up_mag(rnd, u.sign, &m))
            m.mag++;
    }
    u128 lim = (u128)1 << (intsize - 1);
    if (m.big || (u.sign ? m.mag > lim : m.mag > lim - 1)) {
        s->exc |= FPSR_IOC;
        return most_neg;
    }
    if (m.rb || m.st)
        s->exc |= FPSR_IXC;
    if (!m.mag)
        return fp_zero(sz, u.sign);
    return fp_round(s, sz, u.sign, 0, m.mag, FPR_ZERO);
}

/* ---- estimates ---------------------------------------------------------------------- */

/* Exponent and fraction of a as a double-format 52-bit fraction (Arm's scaling step). */
static void est_parts(unsigned sz, uint64_t a, uint64_t *fraction, int *exp)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    *fraction = (a & ((1ull << f->F) - 1)) << (52 - f->F);
    *exp = (int)((a >> f->F) & ((1u << f->E) - 1));
}

static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

static unsigned rsqrt_estimate(unsigned a)
{
    if (a < 256)
        a = a * 2 + 1;
    else
        a = ((a >> 1) << 1) * 2 + 2;
    unsigned b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28))
        b++;
    return (b + 1) / 2;
}

uint64_t fp_recpe(struct fpst *s, unsigned sz, uint64_t a)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    struct fp_unp u = fp_unpack(s, sz, a);
    if (nan_type(u.type))
        return fp_process_nan(s, sz, u.type, a);
    if (u.type == FPT_INF)
        return fp_zero(sz, u.sign);
    if (u.type == FPT_ZERO) {
        s->exc |= FPSR_DZC;
        return fp_inf(sz, u.sign);
    }
    /* |value| < 2^-(bias+1): the reciprocal overflows. */
    int vexp = u.exp + (63 - __builtin_clzll(u.mant));
    if (vexp < -(f->bias + 1)) {
        enum fp_rounding r = fp_rmode(s);
        bool to_inf = r == FPR_TIEEVEN || (r == FPR_POSINF && !u.sign) || (r == FPR_NEGINF && u.sign);
        s->exc |= FPSR_OFC | FPSR_IXC;
        if (to_inf)
            return fp_inf(sz, u.sign);
        return fp_signbit(sz) * (uint64_t)u.sign | (((1ull << f->E) - 2) << f->F) | ((1ull << f->F) - 1);
    }
    bool fz = sz == 1 ? (s->fpcr & FPCR_FZ16) : (s->fpcr & FPCR_FZ);
    if (fz && vexp >= f->bias - 1) {
        s->exc |= FPSR_UFC;
        return fp_zero(sz, u.sign);
    }
    uint64_t fraction;
    int exp;
    est_parts(sz, a, &fraction, &exp);
    if (exp == 0) {
        if (!((fraction >> 51) & 1)) {
            exp = -1;
            fraction = (fraction << 2) & ((1ull << 52) - 1);
        } else {
            fraction = (fraction << 1) & ((1ull << 52) - 1);
        }
    }
    unsigned scaled = 256 | (unsigned)(fraction >> 44);
    int result_exp = 2 * f->bias - 1 - exp;    /* 29, 253, 2045 minus exp */
    unsigned est = recip_estimate(scaled);
    fraction = (uint64_t)(est & 0xff) << 44;
    if (result_exp == 0) {
        fraction = (1ull << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = (1ull << 50) | (fraction >> 2);
        result_exp = 0;
    }
    return ((uint64_t)u.sign << (f->E + f->F)) | ((uint64_t)result_exp << f->F) | (fraction >> (52 - f->F));
}

uint64_t fp_rsqrte(struct fpst *s, unsigned sz, uint64_t a)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    struct fp_unp u = fp_unpack(s, sz, a);
    if (nan_type(u.type))
        return fp_process_nan(s, sz, u.type, a);
    if (u.type == FPT_ZERO) {
        s->exc |= FPSR_DZC;
        return fp_inf(sz, u.sign);
    }
    if (u.sign) {
        s->exc |= FPSR_IOC;
        return fp_default_nan(sz);
    }
    if (u.type == FPT_INF)
        return fp_zero(sz, 0);
    uint64_t fraction;
    int exp;
    est_parts(sz, a, &fraction, &exp);
    if (exp == 0) {
        while (!((fraction >> 51) & 1)) {
            fraction = (fraction << 1) & ((1ull << 52) - 1);
            exp--;
        }
        fraction = (fraction << 1) & ((1ull << 52) - 1);
    }
    unsigned scaled = !(exp & 1) ? (256 | (unsigned)(fraction >> 44)) : (128 | (unsigned)(fraction >> 45));
    int result_exp = (3 * f->bias - 1 - exp) / 2;    /* (44|380|3068 - exp) DIV 2 */
    unsigned est = rsqrt_estimate(scaled);
    return ((uint64_t)result_exp << f->F) | ((uint64_t)(est & 0xff) << (f->F - 8));
}

uint64_t fp_recpx(struct fpst *s, unsigned sz, uint64_t a)
{
    const struct fp_fmt *f = &fp_fmts[sz];
    struct fp_unp u = fp_unpack(s, sz, a);
    if (nan_type(u.type))
        return fp_process_nan(s, sz, u.type, a);
    uint64_t emax = (1ull << f->E) - 1;
    uint64_t exp = (a >> f->F) & emax;
    uint64_t signb = (uint64_t)u.sign << (f->E + f->F);
    if (exp == 0)
        return signb | ((emax - 1) << f->F);
    return signb | ((~exp & emax) << f->F);
}
