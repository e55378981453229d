/*
 * sve_int.c - SVE integer arithmetic on vectors: the predicated binary
 * operations (add..bic), shifts (by immediate, by vector, by wide elements,
 * predicated and not), the unary operations (extensions, abs, neg, bit
 * counts, not, fabs/fneg), multiply-add, the unpredicated add/subtract
 * (with saturation) and logical operations, ADR and MOVPRFX.
 *
 * Source: Arm ARM C8 (per-instruction pages of ADD..UXTW). Predicated forms
 * merge: inactive elements keep the destination's value. Integer division by
 * zero gives 0 and INT_MIN / -1 gives INT_MIN (no trap). Shifts by an amount
 * of at least the element width give 0 (LSL, LSR) or the sign (ASR).
 */
#include "engine/exec/sve_ops.h"

/* ---- predicated binary (INT_zpzz) ------------------------------------------------ */

#define BITS (8 * sizeof(T))
#define SMAX_(a, b) ((S)(a) > (S)(b) ? (a) : (b))
#define SMIN_(a, b) ((S)(a) < (S)(b) ? (a) : (b))

static inline uint64_t mulh_u(uint64_t a, uint64_t b, unsigned bits)
{
    if (bits == 64)
        return (uint64_t)(((unsigned __int128)a * b) >> 64);
    return (a * b) >> bits;
}

static inline uint64_t mulh_s(int64_t a, int64_t b, unsigned bits)
{
    if (bits == 64)
        return (uint64_t)(((__int128)a * b) >> 64);
    return (uint64_t)((a * b) >> bits);
}

static inline int64_t sdiv_(int64_t a, int64_t b, unsigned bits)
{
    if (b == 0)
        return 0;
    if (b == -1)
        return (int64_t)sext((uint64_t)-(uint64_t)a, bits);   /* INT_MIN / -1 wraps to INT_MIN */
    return a / b;
}

SVE_ZPZZ(add_zpzz, a + b)
SVE_ZPZZ(sub_zpzz, a - b)
SVE_ZPZZ(subr_zpzz, b - a)
SVE_ZPZZ(smax_zpzz, SMAX_(a, b))
SVE_ZPZZ(umax_zpzz, a > b ? a : b)
SVE_ZPZZ(smin_zpzz, SMIN_(a, b))
SVE_ZPZZ(umin_zpzz, a < b ? a : b)
SVE_ZPZZ(sabd_zpzz, (S)a > (S)b ? a - b : b - a)
SVE_ZPZZ(uabd_zpzz, a > b ? a - b : b - a)
SVE_ZPZZ(mul_zpzz, (uint64_t)a * b)
SVE_ZPZZ(smulh_zpzz, mulh_s((S)a, (S)b, BITS))
SVE_ZPZZ(umulh_zpzz, mulh_u(a, b, BITS))
SVE_ZPZZ(sdiv_zpzz, sdiv_((S)a, (S)b, BITS))
SVE_ZPZZ(udiv_zpzz, b ? a / b : 0)
SVE_ZPZZ(sdivr_zpzz, sdiv_((S)b, (S)a, BITS))
SVE_ZPZZ(udivr_zpzz, a ? b / a : 0)
SVE_ZPZZ(orr_zpzz, a | b)
SVE_ZPZZ(eor_zpzz, a ^ b)
SVE_ZPZZ(and_zpzz, a & b)
SVE_ZPZZ(bic_zpzz, a & ~b)

bool op_INT_zpzz(struct decode *dc, const struct args_INT_zpzz *a)
{
    static const exec_fn tab[32][4] = {
        [0] = SVE_H4(add_zpzz), [1] = SVE_H4(sub_zpzz), [3] = SVE_H4(subr_zpzz),
        [8] = SVE_H4(smax_zpzz), [9] = SVE_H4(umax_zpzz), [10] = SVE_H4(smin_zpzz),
        [11] = SVE_H4(umin_zpzz), [12] = SVE_H4(sabd_zpzz), [13] = SVE_H4(uabd_zpzz),
        [16] = SVE_H4(mul_zpzz), [18] = SVE_H4(smulh_zpzz), [19] = SVE_H4(umulh_zpzz),
        [20] = { NULL, NULL, x_sdiv_zpzz_32, x_sdiv_zpzz_64 },
        [21] = { NULL, NULL, x_udiv_zpzz_32, x_udiv_zpzz_64 },
        [22] = { NULL, NULL, x_sdivr_zpzz_32, x_sdivr_zpzz_64 },
        [23] = { NULL, NULL, x_udivr_zpzz_32, x_udivr_zpzz_64 },
        [24] = SVE_H4(orr_zpzz), [25] = SVE_H4(eor_zpzz), [26] = SVE_H4(and_zpzz), [27] = SVE_H4(bic_zpzz),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->c * 8 + a->o][a->z]);
}

/* ---- shifts --------------------------------------------------------------------- */

/* Shift amounts are whole unsigned elements (vector forms) or 64-bit lanes. */
#define LSL_(a, s) ((s) >= BITS ? 0 : (T)((a) << (s)))
#define LSR_(a, s) ((s) >= BITS ? 0 : (T)((a) >> (s)))
#define ASR_(a, s) ((T)((S)(a) >> ((s) >= BITS ? BITS - 1 : (s))))
/* ASRD: arithmetic shift right rounding towards zero (a division by 2^s; by
 * 2^esize: 0 for every value). */
#define ASRD_(a, s) ((s) >= BITS ? 0 : (T)(((S)(a) + (((S)(a) < 0) ? (S)(((uint64_t)1 << (s)) - 1) : 0)) >> (s)))

SVE_ZPZI(asr_zpzi, ASR_(a, b))
SVE_ZPZI(lsr_zpzi, LSR_(a, b))
SVE_ZPZI(lsl_zpzi, LSL_(a, b))
SVE_ZPZI(asrd_zpzi, ASRD_(a, b))

/* tsz:imm3 -> element size (highest set bit of tsz) and the shift. */
static int tsz_esz(unsigned tsz)
{
    if (!tsz)
        return -1;
    return 31 - __builtin_clz(tsz);
}

bool op_SHIFT_zpzi(struct decode *dc, const struct args_SHIFT_zpzi *a)
{
    static const exec_fn tab[8][4] = {
        [0] = SVE_H4(asr_zpzi), [1] = SVE_H4(lsr_zpzi), [3] = SVE_H4(lsl_zpzi), [4] = SVE_H4(asrd_zpzi),
    };
    unsigned tsz = a->t, imm = (tsz << 3) | a->i;
    int esz = tsz_esz(tsz);
    if (esz < 0)
        return false;
    unsigned bits = 8u << esz;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->imm = a->o == 3 ? imm - bits : 2 * bits - imm;    /* left: imm - esize; right: 2*esize - imm */
    return sve_set(dc, tab[a->o][esz]);
}

SVE_ZPZZ(asr_zpzz, ASR_(a, b))
SVE_ZPZZ(lsr_zpzz, LSR_(a, b))
SVE_ZPZZ(lsl_zpzz, LSL_(a, b))
SVE_ZPZZ(asrr_zpzz, ASR_(b, a))
SVE_ZPZZ(lsrr_zpzz, LSR_(b, a))
SVE_ZPZZ(lslr_zpzz, LSL_(b, a))

/* Wide: the shift of element i is the 64-bit lane of Zm holding it. */
#define SVE_ZPZW_1(NAME, B, EXPR)                                                 \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const sve_u64 *zm = (const sve_u64 *)(const void *)zreg(r, d->m);         \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (!d->c1 || pact(pg, i, sizeof(T))) {                               \
                T a = zn[i];                                                      \
                uint64_t b = zm[i * sizeof(T) / 8];                               \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
SVE_ZPZW_1(asr_w, 8, ASR_(a, b)) SVE_ZPZW_1(asr_w, 16, ASR_(a, b)) SVE_ZPZW_1(asr_w, 32, ASR_(a, b))
SVE_ZPZW_1(lsr_w, 8, LSR_(a, b)) SVE_ZPZW_1(lsr_w, 16, LSR_(a, b)) SVE_ZPZW_1(lsr_w, 32, LSR_(a, b))
SVE_ZPZW_1(lsl_w, 8, LSL_(a, b)) SVE_ZPZW_1(lsl_w, 16, LSL_(a, b)) SVE_ZPZW_1(lsl_w, 32, LSL_(a, b))

static const exec_fn wide_tab[4][4] = {
    [0] = { x_asr_w_8, x_asr_w_16, x_asr_w_32, NULL },
    [1] = { x_lsr_w_8, x_lsr_w_16, x_lsr_w_32, NULL },
    [3] = { x_lsl_w_8, x_lsl_w_16, x_lsl_w_32, NULL },
};

bool op_SHIFT_zpzz(struct decode *dc, const struct args_SHIFT_zpzz *a)
{
    static const exec_fn tab[8][4] = {
        [0] = SVE_H4(asr_zpzz), [1] = SVE_H4(lsr_zpzz), [3] = SVE_H4(lsl_zpzz),
        [4] = SVE_H4(asrr_zpzz), [5] = SVE_H4(lsrr_zpzz), [7] = SVE_H4(lslr_zpzz),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    if (a->W) {
        e->c1 = 1;                          /* predicated */
        return a->o < 4 && sve_set(dc, wide_tab[a->o][a->z]);
    }
    return sve_set(dc, tab[a->o][a->z]);
}

SVE_ZZI(asr_zzi, ASR_(a, b))
SVE_ZZI(lsr_zzi, LSR_(a, b))
SVE_ZZI(lsl_zzi, LSL_(a, b))

bool op_SHIFT_zzi(struct decode *dc, const struct args_SHIFT_zzi *a)
{
    static const exec_fn tab[4][4] = { SVE_H4(asr_zzi), SVE_H4(lsr_zzi), { 0 }, SVE_H4(lsl_zzi) };
    unsigned tsz = a->t, imm = (tsz << 3) | a->i;
    int esz = tsz_esz(tsz);
    if (esz < 0)
        return false;
    unsigned bits = 8u << esz;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->imm = a->o == 3 ? imm - bits : 2 * bits - imm;
    return sve_set(dc, tab[a->o][esz]);
}

bool op_SHIFT_zzw(struct decode *dc, const struct args_SHIFT_zzw *a)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = 0;                              /* unpredicated */
    return sve_set(dc, wide_tab[a->o][a->z]);
}

/* ---- unary (INT_zpz_un) ----------------------------------------------------------- */

static inline unsigned clz_(uint64_t v, unsigned bits)
{
    return v ? (unsigned)__builtin_clzll(v) - (64 - bits) : bits;
}

SVE_ZPZ(sxtb, (uint64_t)(int64_t)(int8_t)a)
SVE_ZPZ(uxtb, (uint8_t)a)
SVE_ZPZ(sxth, (uint64_t)(int64_t)(int16_t)a)
SVE_ZPZ(uxth, (uint16_t)a)
SVE_ZPZ(sxtw, (uint64_t)(int64_t)(int32_t)a)
SVE_ZPZ(uxtw, (uint32_t)a)
SVE_ZPZ(abs, (S)a < 0 ? (T)-a : a)
SVE_ZPZ(neg, (T)-a)
SVE_ZPZ(cls, clz_((uint64_t)(T)((S)a < 0 ? ~a : a), BITS) - 1)
SVE_ZPZ(clz, clz_(a, BITS))
SVE_ZPZ(cnt, __builtin_popcountll(a))
SVE_ZPZ(cnot, a == 0)
SVE_ZPZ(fabs, a & (T)~((T)1 << (BITS - 1)))
SVE_ZPZ(fneg, a ^ ((T)1 << (BITS - 1)))
SVE_ZPZ(not, (T)~a)

bool op_INT_zpz_un(struct decode *dc, const struct args_INT_zpz_un *a)
{
    static const exec_fn tab[16][4] = {
        [0] = { NULL, x_sxtb_16, x_sxtb_32, x_sxtb_64 }, [1] = { NULL, x_uxtb_16, x_uxtb_32, x_uxtb_64 },
        [2] = { NULL, NULL, x_sxth_32, x_sxth_64 }, [3] = { NULL, NULL, x_uxth_32, x_uxth_64 },
        [4] = { NULL, NULL, NULL, x_sxtw_64 }, [5] = { NULL, NULL, NULL, x_uxtw_64 },
        [6] = SVE_H4(abs), [7] = SVE_H4(neg),
        [8] = SVE_H4(cls), [9] = SVE_H4(clz), [10] = SVE_H4(cnt), [11] = SVE_H4(cnot),
        [12] = { NULL, x_fabs_16, x_fabs_32, x_fabs_64 }, [13] = { NULL, x_fneg_16, x_fneg_32, x_fneg_64 },
        [14] = SVE_H4(not),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->c * 8 + a->o][a->z]);
}

/* ---- multiply-add ----------------------------------------------------------------- */

SVE_ZPZZZ(mla, a + (uint64_t)b * c)   /* widen first: uint16 * uint16 promotes to int */
SVE_ZPZZZ(mls, a - (uint64_t)b * c)

bool op_MLA_zpzzz(struct decode *dc, const struct args_MLA_zpzzz *a)
{
    static const exec_fn tab[2][4] = { SVE_H4(mla), SVE_H4(mls) };
    struct dinsn *e = dc->e;
    e->d = e->a = (uint8_t)a->d;            /* Zda += Zn * Zm */
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->o][a->z]);
}

bool op_MAD_zpzzz(struct decode *dc, const struct args_MAD_zpzzz *a)
{
    static const exec_fn tab[2][4] = { SVE_H4(mla), SVE_H4(mls) };
    struct dinsn *e = dc->e;
    e->d = e->n = (uint8_t)a->d;            /* Zdn = Za + Zdn * Zm */
    e->a = (uint8_t)a->a;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- unpredicated ------------------------------------------------------------------ */

#define SQADD_(a, b) sve_ssat((__int128)(S)(a) + (S)(b), __builtin_ctz(sizeof(T)))
#define UQADD_(a, b) sve_usat((__int128)(a) + (b), __builtin_ctz(sizeof(T)))
#define SQSUB_(a, b) sve_ssat((__int128)(S)(a) - (S)(b), __builtin_ctz(sizeof(T)))
#define UQSUB_(a, b) sve_usat((__int128)(a) - (__int128)(b), __builtin_ctz(sizeof(T)))

SVE_ZZZ(add_zzz, a + b)
SVE_ZZZ(sub_zzz, a - b)
SVE_ZZZ(sqadd_zzz, SQADD_(a, b))
SVE_ZZZ(uqadd_zzz, UQADD_(a, b))
SVE_ZZZ(sqsub_zzz, SQSUB_(a, b))
SVE_ZZZ(uqsub_zzz, UQSUB_(a, b))

bool op_ADDSUB_zzz(struct decode *dc, const struct args_ADDSUB_zzz *a)
{
    static const exec_fn tab[8][4] = {
        [0] = SVE_H4(add_zzz), [1] = SVE_H4(sub_zzz), [4] = SVE_H4(sqadd_zzz),
        [5] = SVE_H4(uqadd_zzz), [6] = SVE_H4(sqsub_zzz), [7] = SVE_H4(uqsub_zzz),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->o][a->z]);
}

SVE_ZZZ_1(and_zzz, 64, a & b)
SVE_ZZZ_1(orr_zzz, 64, a | b)
SVE_ZZZ_1(eor_zzz, 64, a ^ b)
SVE_ZZZ_1(bic_zzz, 64, a & ~b)

bool op_LOGIC_zzz(struct decode *dc, const struct args_LOGIC_zzz *a)
{
    static const exec_fn tab[4] = { x_and_zzz_64, x_orr_zzz_64, x_eor_zzz_64, x_bic_zzz_64 };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->o]);
}

/* ADR: Zd = Zn + (offset << s); c1: 0 sxtw (64-bit lanes), 1 uxtw, 2 32-bit, 3 64-bit. */
static struct dinsn *x_adr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    unsigned sh = d->c2;
    if (d->c1 == 2) {
        for (unsigned i = 0; i < vl / 4; i++)
            sve_elem_set(zd, 2, i, sve_elem(zn, 2, i) + (sve_elem(zm, 2, i) << sh));
    } else {
        for (unsigned i = 0; i < vl / 8; i++) {
            uint64_t off = sve_elem(zm, 3, i);
            if (d->c1 == 0)
                off = (uint64_t)(int64_t)(int32_t)off;
            else if (d->c1 == 1)
                off = (uint32_t)off;
            sve_elem_set(zd, 3, i, sve_elem(zn, 3, i) + (off << sh));
        }
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_ADR_z(struct decode *dc, const struct args_ADR_z *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_adr;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)a->s;
    return true;
}

/* MOVPRFX (unpredicated): a plain vector copy when executed on its own. */
static struct dinsn *x_movprfx(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    memmove(zd, zreg(r, d->n), vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_MOVPRFX(struct decode *dc, const struct args_MOVPRFX *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_movprfx;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    return true;
}
