/*
 * simd_int.c - Advanced SIMD integer arithmetic with same-size lanes: three
 * same (vector and scalar), two-register miscellaneous, across lanes,
 * pairwise, vector by element, dot product (SDOT/UDOT) and SQRDMLAH/SQRDMLSH.
 * Each instruction is one line over the element
 * loops of simd_shape.h; the op_ functions below pick the handler for the
 * lane size. Semantics from the Arm ARM C7 instruction pages (saturation sets
 * FPSR.QC; shifts by register use the signed low byte of the shift operand).
 * Long, wide, narrow and shift-by-immediate forms are in simd_long.c.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

/* ---- lane helpers ---------------------------------------------------------------- */

static inline uint64_t clz_n(uint64_t v, unsigned bits)
{
    return v ? (uint64_t)(__builtin_clzll(v) - (64 - (int)bits)) : bits;
}

static inline uint64_t cls_n(int64_t v, unsigned bits)
{
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1;
    return clz_n(((uint64_t)v ^ (uint64_t)(v >> 1)) & mask, bits) - 1;
}

static inline uint8_t pmul8(uint8_t a, uint8_t b)
{
    unsigned r = 0;
    for (unsigned i = 0; i < 8; i++)
        if (b & (1u << i))
            r ^= (unsigned)a << i;
    return (uint8_t)r;
}

static inline uint8_t rbit8(uint8_t v)
{
    v = (uint8_t)(((v & 0xf0) >> 4) | ((v & 0x0f) << 4));
    v = (uint8_t)(((v & 0xcc) >> 2) | ((v & 0x33) << 2));
    return (uint8_t)(((v & 0xaa) >> 1) | ((v & 0x55) << 1));
}

#define ONES ((U)~(U)0)
#define SABS_DIFF ((S)a > (S)b ? (U)(a - b) : (U)(b - a))
#define UABS_DIFF (a > b ? (U)(a - b) : (U)(b - a))

/* ---- three same --------------------------------------------------------------------- */

DEF3(ADD, a + b)
DEF3(SUB, a - b)
DEF3(MUL, 1u * a * b)
DEF3(MLA, c + 1u * a * b)
DEF3(MLS, c - 1u * a * b)
DEF3(PMUL, pmul8((uint8_t)a, (uint8_t)b))
DEF3(CMEQ, a == b ? ONES : 0)
DEF3(CMTST, (a & b) ? ONES : 0)
DEF3(CMGT, (S)a > (S)b ? ONES : 0)
DEF3(CMGE, (S)a >= (S)b ? ONES : 0)
DEF3(CMHI, a > b ? ONES : 0)
DEF3(CMHS, a >= b ? ONES : 0)
DEF3(SMAX, (S)a > (S)b ? a : b)
DEF3(SMIN, (S)a < (S)b ? a : b)
DEF3(UMAX, a > b ? a : b)
DEF3(UMIN, a < b ? a : b)
DEF3(SABD, SABS_DIFF)
DEF3(UABD, UABS_DIFF)
DEF3(SABA, c + SABS_DIFF)
DEF3(UABA, c + UABS_DIFF)
DEF3(SHADD, ((SW)(S)a + (S)b) >> 1)
DEF3(UHADD, ((W)a + b) >> 1)
DEF3(SRHADD, ((SW)(S)a + (S)b + 1) >> 1)
DEF3(URHADD, ((W)a + b + 1) >> 1)
DEF3(SHSUB, ((SW)(S)a - (S)b) >> 1)
DEF3(UHSUB, ((i128)a - (i128)b) >> 1)
DEF3(SSHL, shl_reg((S)a, (int8_t)b, false))
DEF3(USHL, shl_reg(a, (int8_t)b, false))
DEF3(SRSHL, shl_reg((S)a, (int8_t)b, true))
DEF3(URSHL, shl_reg(a, (int8_t)b, true))
DEF3Q(SQADD, sat_s((i128)(S)a + (S)b, EB, &qc))
DEF3Q(UQADD, sat_u((i128)a + b, EB, &qc))
DEF3Q(SQSUB, sat_s((i128)(S)a - (S)b, EB, &qc))
DEF3Q(UQSUB, sat_u((i128)a - b, EB, &qc))
DEF3Q(SQSHL, sat_s(shl_reg((S)a, (int8_t)b, false), EB, &qc))
DEF3Q(UQSHL, sat_u(shl_reg(a, (int8_t)b, false), EB, &qc))
DEF3Q(SQRSHL, sat_s(shl_reg((S)a, (int8_t)b, true), EB, &qc))
DEF3Q(UQRSHL, sat_u(shl_reg(a, (int8_t)b, true), EB, &qc))
DEF3Q(SQDMULH, sat_s(((i128)(S)a * (S)b * 2) >> EB, EB, &qc))
DEF3Q(SQRDMULH, sat_s(((i128)(S)a * (S)b * 2 + ((i128)1 << (EB - 1))) >> EB, EB, &qc))
DEFP(ADDP, a + b)
DEFP(SMAXP, (S)a > (S)b ? a : b)
DEFP(SMINP, (S)a < (S)b ? a : b)
DEFP(UMAXP, a > b ? a : b)
DEFP(UMINP, a < b ? a : b)

/* ---- by element --------------------------------------------------------------------- */

DEF3E(MUL_elem, 1u * a * b)
DEF3E(MLA_elem, c + 1u * a * b)
DEF3E(MLS_elem, c - 1u * a * b)
DEF3E(SQDMULH_elem, sat_s(((i128)(S)a * (S)b * 2) >> EB, EB, &qc))
DEF3E(SQRDMULH_elem, sat_s(((i128)(S)a * (S)b * 2 + ((i128)1 << (EB - 1))) >> EB, EB, &qc))

/* ---- two-register miscellaneous -------------------------------------------------------- */

DEF2(CMGT0, (S)a > 0 ? ONES : 0)
DEF2(CMGE0, (S)a >= 0 ? ONES : 0)
DEF2(CMEQ0, a == 0 ? ONES : 0)
DEF2(CMLE0, (S)a <= 0 ? ONES : 0)
DEF2(CMLT0, (S)a < 0 ? ONES : 0)
DEF2(ABS, (S)a < 0 ? (U)(~a + 1) : a)
DEF2(NEG, ~a + 1)
DEF2(NOT, ~a)
DEF2(RBIT, rbit8((uint8_t)a))
DEF2(CNT, __builtin_popcount((uint8_t)a))
DEF2(CLZ, clz_n(a, EB))
DEF2(CLS, cls_n((S)a, EB))
DEF2Q(SQABS, sat_s((S)a < 0 ? -(i128)(S)a : (i128)(S)a, EB, &qc))
DEF2Q(SQNEG, sat_s(-(i128)(S)a, EB, &qc))
DEF2Q(SUQADD, sat_s((i128)(S)c + a, EB, &qc))
DEF2Q(USQADD, sat_u((i128)c + (S)a, EB, &qc))

/* REV16/32/64: lanes of c0 bytes reversed in containers of c2 bytes:
 * byte i goes to i ^ (c2 - c0). */
static struct dinsn *x_rev(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t in[16], out[16];
    memcpy(in, vreg(r, d->n), 16);
    unsigned x = d->c2 - d->c0;
    for (unsigned i = 0; i < 16; i++)
        out[i ^ x] = in[i];
    vset(r, d->d, out, d->c1);
    NEXT(d + 1);
}

/* SADDLP/UADDLP/SADALP/UADALP: wide lane i = ext(a[2i]) + ext(a[2i+1]) (+ old lane). */
#define SHAPELP(N, SZ, U_, S_, W_, SW_, EXPR)                                        \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)];                                                          \
        W vc[LANES(W)], vr[LANES(W)];                                            \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        for (unsigned i = 0; i < LANES(W); i++) {                                \
            U a = va[2 * i], b = va[2 * i + 1];                                  \
            W c = vc[i];                                                         \
            (void)c;                                                             \
            vr[i] = (W)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
FOR_BHS(SHAPELP, SADDLP, (SW)(S)a + (S)b) TAB3(SADDLP)
FOR_BHS(SHAPELP, UADDLP, (W)a + b) TAB3(UADDLP)
FOR_BHS(SHAPELP, SADALP, c + (W)((SW)(S)a + (S)b)) TAB3(SADALP)
FOR_BHS(SHAPELP, UADALP, c + (W)a + b) TAB3(UADALP)

/* ---- across lanes --------------------------------------------------------------------- */

/* c0 = lane size, c1 = bytes of Vn used; result = one lane (wide for the L forms). */
#define SHAPEV(N, SZ, U_, S_, W_, SW_, ACC, INIT, STEP)                              \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        FP_CHECK(r, d);                                                          \
        U va[LANES(U)];                                                          \
        memcpy(va, vreg(r, d->n), 16);                                           \
        ACC acc = (ACC)(INIT);                                                   \
        for (unsigned i = 1; i < d->c1 / sizeof(U); i++) {                       \
            U a = va[i];                                                         \
            acc = (ACC)(STEP);                                                   \
        }                                                                        \
        vset(r, d->d, &acc, sizeof(ACC));                                        \
        NEXT(d + 1);                                                             \
    }
#define DEFV(N, ACC, INIT, STEP) FOR_BHS(SHAPEV, N, ACC, INIT, STEP) TAB3(N)
DEFV(ADDV, U, va[0], acc + a)
DEFV(SMAXV, U, va[0], (S)a > (S)acc ? a : acc)
DEFV(SMINV, U, va[0], (S)a < (S)acc ? a : acc)
DEFV(UMAXV, U, va[0], a > acc ? a : acc)
DEFV(UMINV, U, va[0], a < acc ? a : acc)
DEFV(SADDLV, W, (SW)(S)va[0], acc + (W)(SW)(S)a)
DEFV(UADDLV, W, va[0], acc + a)

/* ADDP (scalar): D0 = Vn.D[0] + Vn.D[1]. */
static struct dinsn *x_addp_scalar(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t v[2];
    memcpy(v, vreg(r, d->n), 16);
    uint64_t s = v[0] + v[1];
    vset(r, d->d, &s, 8);
    NEXT(d + 1);
}

/* ---- decoding ------------------------------------------------------------------------- */

/* Vector form: 8 or 16 bytes; 64-bit lanes need Q = 1. */
static bool dec_vec(struct decode *dc, const exec_fn *tab, unsigned mask, unsigned q, unsigned size, uint32_t rd,
                    uint32_t rn, uint32_t rm)
{
    if (size == 3 && !q)
        return false;
    return simd_dec_lanes(dc, tab, mask, size, q ? 16 : 8, rd, rn, rm);
}

/* AdvSIMD scalar form: one lane. */
static bool dec_scalar(struct decode *dc, const exec_fn *tab, unsigned mask, unsigned size, uint32_t rd,
                       uint32_t rn, uint32_t rm)
{
    return simd_dec_lanes(dc, tab, mask, size, 1u << size, rd, rn, rm);
}

#define OP_V3(N, MASK)                                                           \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_vec(dc, t_##N, MASK, a->q, a->z, a->d, a->n, a->m);           \
    }
#define OP_S3(N, MASK)                                                           \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_scalar(dc, t_##N, MASK, a->z, a->d, a->n, a->m);              \
    }
#define OP_V2(N, T, MASK)                                                        \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_vec(dc, t_##T, MASK, a->q, a->z, a->d, a->n, 0);              \
    }
#define OP_S2(N, T, MASK)                                                        \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_scalar(dc, t_##T, MASK, a->z, a->d, a->n, 0);                 \
    }

OP_V3(SHADD, SZ_BHS)  OP_V3(UHADD, SZ_BHS)  OP_V3(SRHADD, SZ_BHS) OP_V3(URHADD, SZ_BHS)
OP_V3(SHSUB, SZ_BHS)  OP_V3(UHSUB, SZ_BHS)  OP_V3(SQADD, SZ_ALL)  OP_V3(UQADD, SZ_ALL)
OP_V3(SQSUB, SZ_ALL)  OP_V3(UQSUB, SZ_ALL)  OP_V3(CMGT, SZ_ALL)   OP_V3(CMHI, SZ_ALL)
OP_V3(CMGE, SZ_ALL)   OP_V3(CMHS, SZ_ALL)   OP_V3(SSHL, SZ_ALL)   OP_V3(USHL, SZ_ALL)
OP_V3(SQSHL, SZ_ALL)  OP_V3(UQSHL, SZ_ALL)  OP_V3(SRSHL, SZ_ALL)  OP_V3(URSHL, SZ_ALL)
OP_V3(SQRSHL, SZ_ALL) OP_V3(UQRSHL, SZ_ALL) OP_V3(SMAX, SZ_BHS)   OP_V3(UMAX, SZ_BHS)
OP_V3(SMIN, SZ_BHS)   OP_V3(UMIN, SZ_BHS)   OP_V3(SABD, SZ_BHS)   OP_V3(UABD, SZ_BHS)
OP_V3(SABA, SZ_BHS)   OP_V3(UABA, SZ_BHS)   OP_V3(ADD, SZ_ALL)    OP_V3(SUB, SZ_ALL)
OP_V3(CMTST, SZ_ALL)  OP_V3(CMEQ, SZ_ALL)   OP_V3(MLA, SZ_BHS)    OP_V3(MLS, SZ_BHS)
OP_V3(MUL, SZ_BHS)    OP_V3(PMUL, SZ_B)     OP_V3(SMAXP, SZ_BHS)  OP_V3(UMAXP, SZ_BHS)
OP_V3(SMINP, SZ_BHS)  OP_V3(UMINP, SZ_BHS)  OP_V3(SQDMULH, SZ_HS) OP_V3(SQRDMULH, SZ_HS)
OP_V3(ADDP, SZ_ALL)

OP_S3(SQADD, SZ_ALL)  OP_S3(UQADD, SZ_ALL)  OP_S3(SQSUB, SZ_ALL)  OP_S3(UQSUB, SZ_ALL)
OP_S3(CMGT, SZ_D)     OP_S3(CMHI, SZ_D)     OP_S3(CMGE, SZ_D)     OP_S3(CMHS, SZ_D)
OP_S3(SSHL, SZ_D)     OP_S3(USHL, SZ_D)     OP_S3(SQSHL, SZ_ALL)  OP_S3(UQSHL, SZ_ALL)
OP_S3(SRSHL, SZ_D)    OP_S3(URSHL, SZ_D)    OP_S3(SQRSHL, SZ_ALL) OP_S3(UQRSHL, SZ_ALL)
OP_S3(ADD, SZ_D)      OP_S3(SUB, SZ_D)      OP_S3(CMTST, SZ_D)    OP_S3(CMEQ, SZ_D)
OP_S3(SQDMULH, SZ_HS) OP_S3(SQRDMULH, SZ_HS)

OP_V2(SUQADD, SUQADD, SZ_ALL) OP_V2(USQADD, USQADD, SZ_ALL) OP_V2(CLS, CLS, SZ_BHS)
OP_V2(CLZ, CLZ, SZ_BHS)       OP_V2(CNT, CNT, SZ_B)         OP_V2(SQABS, SQABS, SZ_ALL)
OP_V2(SQNEG, SQNEG, SZ_ALL)   OP_V2(CMGT0, CMGT0, SZ_ALL)   OP_V2(CMEQ0, CMEQ0, SZ_ALL)
OP_V2(CMLT0, CMLT0, SZ_ALL)   OP_V2(CMGE0, CMGE0, SZ_ALL)   OP_V2(CMLE0, CMLE0, SZ_ALL)
OP_V2(ABS, ABS, SZ_ALL)       OP_V2(NEG, NEG, SZ_ALL)
OP_V2(SADDLP, SADDLP, SZ_BHS) OP_V2(UADDLP, UADDLP, SZ_BHS)
OP_V2(SADALP, SADALP, SZ_BHS) OP_V2(UADALP, UADALP, SZ_BHS)

OP_S2(SUQADD, SUQADD, SZ_ALL) OP_S2(USQADD, USQADD, SZ_ALL) OP_S2(SQABS, SQABS, SZ_ALL)
OP_S2(SQNEG, SQNEG, SZ_ALL)   OP_S2(CMGT0, CMGT0, SZ_D)     OP_S2(CMEQ0, CMEQ0, SZ_D)
OP_S2(CMLT0, CMLT0, SZ_D)     OP_S2(CMGE0, CMGE0, SZ_D)     OP_S2(CMLE0, CMLE0, SZ_D)
OP_S2(ABS, ABS, SZ_D)         OP_S2(NEG, NEG, SZ_D)

/* NOT (size 00) and RBIT (size 01) share the encoding; both act on bytes. */
bool op_NOT_v(struct decode *dc, const struct args_NOT_v *a)
{
    if (a->z > 1)
        return false;
    return dec_vec(dc, a->z ? t_RBIT : t_NOT, SZ_B, a->q, 0, a->d, a->n, 0);
}

static bool dec_rev(struct decode *dc, unsigned q, unsigned size, unsigned container, uint32_t rd, uint32_t rn)
{
    if ((1u << size) >= container)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_rev;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->c0 = (uint8_t)(1u << size);
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)container;
    return true;
}

bool op_REV64_v(struct decode *dc, const struct args_REV64_v *a)
{
    return dec_rev(dc, a->q, a->z, 8, a->d, a->n);
}

bool op_REV32_v(struct decode *dc, const struct args_REV32_v *a)
{
    return dec_rev(dc, a->q, a->z, 4, a->d, a->n);
}

bool op_REV16_v(struct decode *dc, const struct args_REV16_v *a)
{
    return dec_rev(dc, a->q, a->z, 2, a->d, a->n);
}

/* Across lanes: B/H with 8 or 16 bytes, S only with Q = 1 (4 lanes). */
static bool dec_across(struct decode *dc, const exec_fn *tab, unsigned q, unsigned size, uint32_t rd, uint32_t rn)
{
    if (size == 3 || (size == 2 && !q))
        return false;
    return simd_dec_lanes(dc, tab, SZ_BHS, size, q ? 16 : 8, rd, rn, 0);
}

#define OP_ACROSS(N)                                                             \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_across(dc, t_##N, a->q, a->z, a->d, a->n);                    \
    }
OP_ACROSS(ADDV) OP_ACROSS(SMAXV) OP_ACROSS(SMINV) OP_ACROSS(UMAXV) OP_ACROSS(UMINV)
OP_ACROSS(SADDLV) OP_ACROSS(UADDLV)

bool op_ADDP_sv(struct decode *dc, const struct args_ADDP_sv *a)
{
    if (a->z != 3)
        return false;
    static const exec_fn tab[4] = { NULL, NULL, NULL, x_addp_scalar };
    return simd_dec_lanes(dc, tab, SZ_D, 3, 8, a->d, a->n, 0);
}

/* By element: index and Vm from H:L:M (16-bit lanes: Vm in V0-V15) or H:L (32-bit). */
bool simd_elem_index(unsigned size, unsigned h, unsigned l, unsigned m, unsigned rm4, unsigned *idx,
                     unsigned *rm)
{
    switch (size) {
    case 1: *idx = h << 2 | l << 1 | m; *rm = rm4; return true;
    case 2: *idx = h << 1 | l; *rm = m << 4 | rm4; return true;
    case 3: if (l) return false; *idx = h; *rm = m << 4 | rm4; return true;
    default: return false;
    }
}

static bool dec_elem(struct decode *dc, const exec_fn *tab, unsigned mask, unsigned bytes, unsigned size,
                     unsigned h, unsigned l, unsigned m, unsigned rm4, uint32_t rd, uint32_t rn)
{
    unsigned idx, rm;
    if (!simd_elem_index(size, h, l, m, rm4, &idx, &rm))
        return false;
    if (!simd_dec_lanes(dc, tab, mask, size, bytes, rd, rn, rm))
        return false;
    dc->e->c3 = (uint8_t)idx;
    return true;
}

#define OP_ELEM(N, MASK)                                                         \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_elem(dc, t_##N, MASK, a->q ? 16 : 8, a->z, a->H, a->L, a->M, a->m, a->d, a->n); \
    }
OP_ELEM(MUL_elem, SZ_HS) OP_ELEM(MLA_elem, SZ_HS) OP_ELEM(MLS_elem, SZ_HS)
OP_ELEM(SQDMULH_elem, SZ_HS) OP_ELEM(SQRDMULH_elem, SZ_HS)

bool op_SQDMULH_elem_sv(struct decode *dc, const struct args_SQDMULH_elem_sv *a)
{
    return dec_elem(dc, t_SQDMULH_elem, SZ_HS, 1u << a->z, a->z, a->H, a->L, a->M, a->m, a->d, a->n);
}

bool op_SQRDMULH_elem_sv(struct decode *dc, const struct args_SQRDMULH_elem_sv *a)
{
    return dec_elem(dc, t_SQRDMULH_elem, SZ_HS, 1u << a->z, a->z, a->H, a->L, a->M, a->m, a->d, a->n);
}

/* ---- dot product (FEAT_DotProd) ---------------------------------------------------------- */

/* SDOT/UDOT: 32-bit lane i += sum of the four byte products of lanes 4i..4i+3
 * (by element: the four bytes of 32-bit element c3 of Vm). c2: 1 signed;
 * c3: 0xff for the vector form. */
static struct dinsn *x_dot(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t a[16], b[16];
    uint32_t acc[4];
    memcpy(a, vreg(r, d->n), 16);
    memcpy(b, vreg(r, d->m), 16);
    memcpy(acc, vreg(r, d->d), 16);
    for (unsigned i = 0; i < d->c1 / 4; i++) {
        const uint8_t *bm = d->c3 == 0xff ? b + 4 * i : b + 4 * d->c3;
        int32_t s = 0;
        for (unsigned k = 0; k < 4; k++)
            s += d->c2 ? (int32_t)(int8_t)a[4 * i + k] * (int8_t)bm[k] : (int32_t)(a[4 * i + k] * bm[k]);
        acc[i] += (uint32_t)s;
    }
    vset(r, d->d, acc, d->c1);
    NEXT(d + 1);
}

static bool dec_dot(struct decode *dc, unsigned q, bool sgn, unsigned idx, uint32_t rd, uint32_t rn, uint32_t rm)
{
    struct dinsn *e = dc->e;
    e->fn = x_dot;
    e->c1 = q ? 16 : 8;
    e->c2 = sgn;
    e->c3 = (uint8_t)idx;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    return true;
}

bool op_SDOT(struct decode *dc, const struct args_SDOT *a)
{
    return dec_dot(dc, a->q, true, 0xff, a->d, a->n, a->m);
}

bool op_UDOT(struct decode *dc, const struct args_UDOT *a)
{
    return dec_dot(dc, a->q, false, 0xff, a->d, a->n, a->m);
}

bool op_SDOT_elem(struct decode *dc, const struct args_SDOT_elem *a)
{
    return dec_dot(dc, a->q, true, a->H << 1 | a->L, a->d, a->n, a->M << 4 | a->m);
}

bool op_UDOT_elem(struct decode *dc, const struct args_UDOT_elem *a)
{
    return dec_dot(dc, a->q, false, a->H << 1 | a->L, a->d, a->n, a->M << 4 | a->m);
}

/* ---- SQRDMLAH / SQRDMLSH (FEAT_RDM) -------------------------------------------------------- */

#define RDM(SGN) sat_s(((i128)(S)c * ((i128)1 << EB) SGN (i128)(S)a * (S)b * 2 + ((i128)1 << (EB - 1))) >> EB, EB, &qc)
DEF3Q(SQRDMLAH, RDM(+))
DEF3Q(SQRDMLSH, RDM(-))
DEF3E(SQRDMLAH_elem, RDM(+))
DEF3E(SQRDMLSH_elem, RDM(-))
OP_V3(SQRDMLAH, SZ_HS) OP_V3(SQRDMLSH, SZ_HS) OP_S3(SQRDMLAH, SZ_HS) OP_S3(SQRDMLSH, SZ_HS)
OP_ELEM(SQRDMLAH_elem, SZ_HS) OP_ELEM(SQRDMLSH_elem, SZ_HS)

bool op_SQRDMLAH_elem_sv(struct decode *dc, const struct args_SQRDMLAH_elem_sv *a)
{
    return dec_elem(dc, t_SQRDMLAH_elem, SZ_HS, 1u << a->z, a->z, a->H, a->L, a->M, a->m, a->d, a->n);
}

bool op_SQRDMLSH_elem_sv(struct decode *dc, const struct args_SQRDMLSH_elem_sv *a)
{
    return dec_elem(dc, t_SQRDMLSH_elem, SZ_HS, 1u << a->z, a->z, a->H, a->L, a->M, a->m, a->d, a->n);
}
