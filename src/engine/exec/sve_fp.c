/*
 * sve_fp.c - SVE floating-point arithmetic: FADD/FSUB/FMUL (unpredicated),
 * the predicated binary operations (FADD, FSUB, FSUBR, FMUL, FMULX, FDIV,
 * FDIVR, FMAX, FMIN, FMAXNM, FMINNM, FABD, FSCALE), the same with an
 * immediate constant, FRECPS/FRSQRTS, FTSMUL, the fused multiply-adds FMLA, FMLS,
 * FNMLA, FNMLS, FMAD, FMSB, FNMAD, FNMSB, and FMLA/FMLS/FMUL (indexed).
 *
 * Every operation is the exact Arm one from fp_arith.h (FPCR rounding mode,
 * FZ, DN; NaN propagation in the pseudocode's operand order; FPSR cumulative
 * flags), for half, single and double elements. Only active elements are
 * computed, so inactive ones raise no exception. FMLS/FNMLA/... negate their
 * operands' sign bits before the fused operation, as the pseudocode's FPNeg.
 */
#include "engine/exec/sve_ops.h"
#include "engine/exec/fp_soft.h"
#include "engine/exec/sve_fpfast.h"

/* FPScale(op, scale): op * 2^scale, one rounding. */
static uint64_t fp_scale(struct fpst *s, unsigned sz, uint64_t a, int64_t scale)
{
    struct fp_unp u = fp_unpack(s, sz, a);
    switch (u.type) {
    case FPT_SNAN: case FPT_QNAN: return fp_process_nan(s, sz, u.type, a);
    case FPT_ZERO: return fp_zero(sz, u.sign);
    case FPT_INF: return fp_inf(sz, u.sign);
    default:
        break;
    }
    if (scale > 4096)
        scale = 4096;                       /* far beyond any overflow: keeps exp in range */
    if (scale < -4096)
        scale = -4096;
    return fp_round(s, sz, u.sign, u.exp + (int)scale, (u128)u.mant, fp_rmode(s));
}

/* FPTrigSMul: a * a, its sign replaced by b<0> unless the product is a NaN. */
static uint64_t fp_tsmul(struct fpst *s, unsigned sz, uint64_t a, uint64_t b)
{
    static const uint64_t expm[4] = { 0, 0x7c00, 0x7f800000, 0x7ff0000000000000ull };
    uint64_t r = fp_mul_z(s, sz, a, a), sign = fp_signbit(sz), exp = expm[sz];
    if ((r & exp) == exp && (r & (sign - 1) & ~exp))
        return r;
    return (r & ~sign) | ((b & 1) ? sign : 0);
}

/* ---- element loops ------------------------------------------------------------------------ */

/* One handler per operation and size (Z = log2 bytes: 1 H, 2 S, 3 D); a, b
 * (c) are the operands as raw bits, s the FP state. */
#define SVE_FP_ZPZZ_1(NAME, B, Z, EXPR)                                           \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        const unsigned sz = Z;                                                    \
        (void)sz;                                                                 \
        struct fpst st, *s = &st;                                                 \
        fpst_init(s, r->cpu);                                                     \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                uint64_t a = zd[i], b = zm[i];                                    \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        fpst_done(s, r->cpu);                                                     \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_FP_ZPZZ(NAME, EXPR) \
    SVE_FP_ZPZZ_1(NAME, 16, 1, EXPR) SVE_FP_ZPZZ_1(NAME, 32, 2, EXPR) SVE_FP_ZPZZ_1(NAME, 64, 3, EXPR)
#define FP_H3(NAME) { NULL, x_##NAME##_16, x_##NAME##_32, x_##NAME##_64 }

/* Unpredicated: Zd = EXPR(Zn, Zm). */
#define SVE_FP_ZZZ_1(NAME, B, Z, EXPR)                                            \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        const unsigned sz = Z;                                                    \
        (void)sz;                                                                 \
        struct fpst st, *s = &st;                                                 \
        fpst_init(s, r->cpu);                                                     \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            uint64_t a = zn[i], b = zm[i];                                        \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        fpst_done(s, r->cpu);                                                     \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_FP_ZZZ(NAME, EXPR) \
    SVE_FP_ZZZ_1(NAME, 16, 1, EXPR) SVE_FP_ZZZ_1(NAME, 32, 2, EXPR) SVE_FP_ZZZ_1(NAME, 64, 3, EXPR)

/* Predicated fused: Zd = EXPR(a = Za, b = Zn, c = Zm) with neg masks; the
 * decoder maps FMLA's Zda and FMAD's Zdn/Za onto d, a, n, m. imm = sign bit
 * to flip in the product operand, imm2 = in the addend. */
#define SVE_FP_FMA_1(B, Z)                                                        \
    static struct dinsn *x_fma_##B(struct run *r, struct dinsn *d, uint64_t n)   \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        struct fpst st, *s = &st;                                                 \
        fpst_init(s, r->cpu);                                                     \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *za = (const T *)(const void *)zreg(r, d->a);                     \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        const T negp = (T)d->imm, nega = (T)d->imm2;                              \
        for (unsigned i = 0; i < vl / sizeof(T); i++)                             \
            if (pact(pg, i, sizeof(T)))                                           \
                zd[i] = (T)fp_muladd_z(s, Z, za[i] ^ nega, zn[i] ^ negp, zm[i]);  \
        fpst_done(s, r->cpu);                                                     \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
SVE_FP_FMA_1(16, 1)
SVE_FP_FMA_1(32, 2)
SVE_FP_FMA_1(64, 3)

/* ---- predicated binary (FP_zpzz) -------------------------------------------------------------- */

SVE_FP_ZPZZ(fadd, fp_add_z(s, sz, a, b))
SVE_FP_ZPZZ(fsub, fp_sub_z(s, sz, a, b))
SVE_FP_ZPZZ(fmul, fp_mul_z(s, sz, a, b))
SVE_FP_ZPZZ(fsubr, fp_sub_z(s, sz, b, a))
SVE_FP_ZPZZ(fmaxnm, sve_fmaxmin(s, sz, a, b, true, true))
SVE_FP_ZPZZ(fminnm, sve_fmaxmin(s, sz, a, b, false, true))
SVE_FP_ZPZZ(fmax, sve_fmaxmin(s, sz, a, b, true, false))
SVE_FP_ZPZZ(fmin, sve_fmaxmin(s, sz, a, b, false, false))
SVE_FP_ZPZZ(fabd, fp_abd(s, sz, a, b))
SVE_FP_ZPZZ(fscale, fp_scale(s, sz, a, (int64_t)sext(b, 8u << sz)))
SVE_FP_ZPZZ(fmulx, fp_mulx(s, sz, a, b))
SVE_FP_ZPZZ(fdivr, fp_div_z(s, sz, b, a))
SVE_FP_ZPZZ(fdiv, fp_div_z(s, sz, a, b))

bool op_FP_zpzz(struct decode *dc, const struct args_FP_zpzz *a)
{
    static const exec_fn tab[16][4] = {
        FP_H3(fadd), FP_H3(fsub), FP_H3(fmul), FP_H3(fsubr), FP_H3(fmaxnm), FP_H3(fminnm), FP_H3(fmax),
        FP_H3(fmin), FP_H3(fabd), FP_H3(fscale), FP_H3(fmulx), { 0 }, FP_H3(fdivr), FP_H3(fdiv),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- with an immediate (FP_zpzi): b = the constant (imm) ------------------------------------------- */

#define SVE_FP_ZPZI_1(NAME, B, Z, EXPR)                                           \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        const unsigned sz = Z;                                                    \
        (void)sz;                                                                 \
        struct fpst st, *s = &st;                                                 \
        fpst_init(s, r->cpu);                                                     \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const uint64_t b = d->imm;                                                \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                uint64_t a = zd[i];                                               \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        fpst_done(s, r->cpu);                                                     \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_FP_ZPZI(NAME, EXPR) \
    SVE_FP_ZPZI_1(NAME, 16, 1, EXPR) SVE_FP_ZPZI_1(NAME, 32, 2, EXPR) SVE_FP_ZPZI_1(NAME, 64, 3, EXPR)

SVE_FP_ZPZI(fadd_i, fp_add_z(s, sz, a, b))
SVE_FP_ZPZI(fsub_i, fp_sub_z(s, sz, a, b))
SVE_FP_ZPZI(fmul_i, fp_mul_z(s, sz, a, b))
SVE_FP_ZPZI(fsubr_i, fp_sub_z(s, sz, b, a))
SVE_FP_ZPZI(fmaxnm_i, sve_fmaxmin(s, sz, a, b, true, true))
SVE_FP_ZPZI(fminnm_i, sve_fmaxmin(s, sz, a, b, false, true))
SVE_FP_ZPZI(fmax_i, sve_fmaxmin(s, sz, a, b, true, false))
SVE_FP_ZPZI(fmin_i, sve_fmaxmin(s, sz, a, b, false, false))

/* The constants: 0.5 / 1.0 (add, sub), 0.5 / 2.0 (mul), 0.0 / 1.0 (max, min). */
static uint64_t fp_const(unsigned sz, unsigned op, unsigned i)
{
    static const uint64_t half[4] = { 0, 0x3800, 0x3f000000, 0x3fe0000000000000ull };
    static const uint64_t one[4] = { 0, 0x3c00, 0x3f800000, 0x3ff0000000000000ull };
    static const uint64_t two[4] = { 0, 0x4000, 0x40000000, 0x4000000000000000ull };
    if (op >= 4)
        return i ? one[sz] : 0;
    if (op == 2)
        return i ? two[sz] : half[sz];
    return i ? one[sz] : half[sz];
}

bool op_FP_zpzi(struct decode *dc, const struct args_FP_zpzi *a)
{
    static const exec_fn tab[8][4] = {
        FP_H3(fadd_i), FP_H3(fsub_i), FP_H3(fmul_i), FP_H3(fsubr_i),
        FP_H3(fmaxnm_i), FP_H3(fminnm_i), FP_H3(fmax_i), FP_H3(fmin_i),
    };
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->imm = fp_const(a->z, a->o, a->i);
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- unpredicated (FP_zzz) ----------------------------------------------------------------------------- */

SVE_FP_ZZZ(fadd_zzz, fp_add_z(s, sz, a, b))
SVE_FP_ZZZ(fsub_zzz, fp_sub_z(s, sz, a, b))
SVE_FP_ZZZ(fmul_zzz, fp_mul_z(s, sz, a, b))
SVE_FP_ZZZ(frecps, fp_recps(s, sz, a, b))
SVE_FP_ZZZ(ftsmul, fp_tsmul(s, sz, a, b))
SVE_FP_ZZZ(frsqrts, fp_rsqrts(s, sz, a, b))

bool op_FP_zzz(struct decode *dc, const struct args_FP_zzz *a)
{
    static const exec_fn tab[8][4] = {
        FP_H3(fadd_zzz), FP_H3(fsub_zzz), FP_H3(fmul_zzz), FP_H3(ftsmul), { 0 }, { 0 }, FP_H3(frecps), FP_H3(frsqrts),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- fused multiply-add ------------------------------------------------------------------------------ */

static bool fma_fill(struct decode *dc, unsigned z, unsigned op, unsigned rd, unsigned ra, unsigned rn, unsigned rm,
                     unsigned pg)
{
    static const exec_fn tab[4] = { NULL, x_fma_16, x_fma_32, x_fma_64 };
    if (z == 0)
        return false;
    uint64_t sign = 1ull << ((8u << z) - 1);
    struct dinsn *e = dc->e;
    e->d = (uint8_t)rd;
    e->a = (uint8_t)ra;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c0 = (uint8_t)pg;
    /* op: 0 fmla/fmad, 1 fmls/fmsb (negate product), 2 fnmla/fnmad (both), 3 fnmls/fnmsb (addend). */
    e->imm = (op == 1 || op == 2) ? sign : 0;
    e->imm2 = (op >= 2) ? sign : 0;
    return sve_set(dc, tab[z]);
}

bool op_FMLA_zpzzz(struct decode *dc, const struct args_FMLA_zpzzz *a)
{
    return fma_fill(dc, a->z, a->o, a->d, a->d, a->n, a->m, a->g);    /* Zda += Zn * Zm */
}

bool op_FMAD_zpzzz(struct decode *dc, const struct args_FMAD_zpzzz *a)
{
    return fma_fill(dc, a->z, a->o, a->d, a->a, a->d, a->m, a->g);    /* Zdn = Za + Zdn * Zm */
}

/* ---- indexed: FMLA/FMLS (c1 = 1: FMLS), FMUL (c1 = 2); c2 = index, c3 = esz ---------------------------- */

static struct dinsn *x_fp_idx(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c3, eb = 1u << sz, ne = vl >> sz, per_seg = 16u >> sz;
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    uint64_t neg = d->c1 == 1 ? fp_signbit(sz) : 0;
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        uint64_t b = sve_elem(zn, sz, i), c = sve_elem(zm, sz, (i / per_seg) * per_seg + d->c2), v;
        if (d->c1 == 2)
            v = fp_mul_z(&st, sz, b, c);
        else
            v = fp_muladd_z(&st, sz, sve_elem(zd, sz, i), b ^ neg, c);
        sve_elem_set(res, sz, i, v);
    }
    (void)eb;
    fpst_done(&st, r->cpu);
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

/* Index and Zm by size: H i3h(22):i3l(20:19), Zm 18:16; S i2 (20:19), Zm 18:16; D i1 (20), Zm 19:16. */
static bool idx_fill(struct decode *dc, unsigned z, unsigned m, unsigned rn, unsigned rd, unsigned kind)
{
    struct dinsn *e = dc->e;
    e->fn = x_fp_idx;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->c1 = (uint8_t)kind;
    if (z < 2) {
        e->c3 = 1;
        e->c2 = (uint8_t)(((z & 1) << 2) | (m >> 3));
        e->m = (uint8_t)(m & 7);
    } else if (z == 2) {
        e->c3 = 2;
        e->c2 = (uint8_t)(m >> 3);
        e->m = (uint8_t)(m & 7);
    } else {
        e->c3 = 3;
        e->c2 = (uint8_t)(m >> 4);
        e->m = (uint8_t)(m & 15);
    }
    return true;
}

bool op_FMLA_zzxz(struct decode *dc, const struct args_FMLA_zzxz *a)
{
    return idx_fill(dc, a->z, a->m, a->n, a->d, a->o);
}

bool op_FMUL_zzx(struct decode *dc, const struct args_FMUL_zzx *a)
{
    return idx_fill(dc, a->z, a->m, a->n, a->d, 2);
}
