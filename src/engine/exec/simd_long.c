/*
 * simd_long.c - Advanced SIMD integer forms whose lanes change size or that
 * shift by an immediate: three different (long, wide, narrowing high half),
 * long by element, the AdvSIMD scalar SQDMULL/SQDMLAL/SQDMLSL, XTN and the
 * saturating extracts, SHLL, and shift by
 * immediate (vector and scalar: SSHR..SRI, SHL/SLI, saturating shifts, the
 * narrowing SHRN family, SSHLL/USHLL). Element loops from simd_shape.h; Arm
 * ARM C7 for each instruction (immh:immb gives the lane size and the shift:
 * right shifts 2*esize - imm, left shifts imm - esize).
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

#define ONES ((U)~(U)0)

static inline uint16_t pmull8(uint8_t a, uint8_t b)
{
    unsigned r = 0;
    for (unsigned i = 0; i < 8; i++)
        if (b & (1u << i))
            r ^= (unsigned)a << i;
    return (uint16_t)r;
}

/* ---- long and wide --------------------------------------------------------------- */

#define SABSL ((S)a > (S)b ? (W)((SW)(S)a - (S)b) : (W)((SW)(S)b - (S)a))
#define UABSL (a > b ? (W)((W)a - b) : (W)((W)b - a))
#define SQDMUL2 sat_s((i128)(S)a * (S)b * 2, 2 * EB, &qc)

DEFL(SADDL, (SW)(S)a + (S)b)
DEFL(UADDL, (W)a + b)
DEFL(SSUBL, (SW)(S)a - (S)b)
DEFL(USUBL, (W)a - b)
DEFL(SABAL, c + SABSL)
DEFL(UABAL, c + UABSL)
DEFL(SABDL, SABSL)
DEFL(UABDL, UABSL)
DEFL(SMLAL, c + (W)((SW)(S)a * (S)b))
DEFL(UMLAL, c + (W)a * b)
DEFL(SMLSL, c - (W)((SW)(S)a * (S)b))
DEFL(UMLSL, c - (W)a * b)
DEFL(SMULL, (SW)(S)a * (S)b)
DEFL(UMULL, (W)a * b)
DEFL(SQDMULL, SQDMUL2)
DEFL(SQDMLAL, sat_s((i128)(SW)c + (i128)(SW)SQDMUL2, 2 * EB, &qc))
DEFL(SQDMLSL, sat_s((i128)(SW)c - (i128)(SW)SQDMUL2, 2 * EB, &qc))
DEFL(PMULL, pmull8((uint8_t)a, (uint8_t)b))
DEFL(SHLL, (W)a << EB)
DEFW(SADDW, a + (W)(SW)(S)b)
DEFW(UADDW, a + b)
DEFW(SSUBW, a - (W)(SW)(S)b)
DEFW(USUBW, a - b)
DEFLE(SMULL_elem, (SW)(S)a * (S)b)
DEFLE(UMULL_elem, (W)a * b)
DEFLE(SMLAL_elem, c + (W)((SW)(S)a * (S)b))
DEFLE(UMLAL_elem, c + (W)a * b)
DEFLE(SMLSL_elem, c - (W)((SW)(S)a * (S)b))
DEFLE(UMLSL_elem, c - (W)a * b)
DEFLE(SQDMULL_elem, SQDMUL2)
DEFLE(SQDMLAL_elem, sat_s((i128)(SW)c + (i128)(SW)SQDMUL2, 2 * EB, &qc))
DEFLE(SQDMLSL_elem, sat_s((i128)(SW)c - (i128)(SW)SQDMUL2, 2 * EB, &qc))

/* PMULL/PMULL2 of 64-bit lanes (FEAT_PMULL): carry-less 64 x 64 -> 128. */
static struct dinsn *x_pmull64(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t a, b, res[2] = { 0, 0 };
    memcpy(&a, vreg(r, d->n) + 8 * d->c2, 8);
    memcpy(&b, vreg(r, d->m) + 8 * d->c2, 8);
    for (unsigned i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            res[0] ^= a << i;
            if (i)
                res[1] ^= a >> (64 - i);
        }
    }
    vset(r, d->d, res, 16);
    NEXT(d + 1);
}

/* ---- narrow ------------------------------------------------------------------------ */

#define RND(x) ((i128)(x) + ((i128)1 << (sh - 1)))

DEFN(XTN, a)
DEFN(SQXTN, sat_s((SW)a, EB, &qc))
DEFN(UQXTN, sat_u(a, EB, &qc))
DEFN(SQXTUN, sat_u((SW)a, EB, &qc))
DEFN(ADDHN, (W)(a + b) >> EB)
DEFN(RADDHN, (W)(a + b + ((W)1 << (EB - 1))) >> EB)
DEFN(SUBHN, (W)(a - b) >> EB)
DEFN(RSUBHN, (W)(a - b + ((W)1 << (EB - 1))) >> EB)
DEFN(SHRN, a >> sh)
DEFN(RSHRN, RND(a) >> sh)
DEFN(SQSHRN, sat_s((i128)(SW)a >> sh, EB, &qc))
DEFN(UQSHRN, sat_u((i128)a >> sh, EB, &qc))
DEFN(SQRSHRN, sat_s(RND((SW)a) >> sh, EB, &qc))
DEFN(UQRSHRN, sat_u(RND(a) >> sh, EB, &qc))
DEFN(SQSHRUN, sat_u((i128)(SW)a >> sh, EB, &qc))
DEFN(SQRSHRUN, sat_u(RND((SW)a) >> sh, EB, &qc))

/* ---- shift by immediate, same size --------------------------------------------------- */

DEF2(SSHR, (SW)(S)a >> sh)
DEF2(USHR, (W)a >> sh)
DEF2(SSRA, c + (U)((SW)(S)a >> sh))
DEF2(USRA, c + (U)((W)a >> sh))
DEF2(SRSHR, RND((S)a) >> sh)
DEF2(URSHR, RND(a) >> sh)
DEF2(SRSRA, c + (U)(RND((S)a) >> sh))
DEF2(URSRA, c + (U)(RND(a) >> sh))
DEF2(SHL, (W)a << sh)
DEF2(SLI, ((W)a << sh) | (c & (U)(((W)1 << sh) - 1)))
DEF2(SRI, ((W)a >> sh) | (c & (U) ~(U)((W)ONES >> sh)))
DEF2Q(SQSHL_imm, sat_s(shl_reg((S)a, (int)sh, false), EB, &qc))
DEF2Q(UQSHL_imm, sat_u(shl_reg(a, (int)sh, false), EB, &qc))
DEF2Q(SQSHLU, sat_u(shl_reg((S)a, (int)sh, false), EB, &qc))

/* ---- decoding ---------------------------------------------------------------------- */

/* Long/wide: source lanes from the upper half for the "2" forms (Q = 1). */
static bool dec_long(struct decode *dc, const exec_fn *tab, unsigned mask, unsigned q, unsigned size, uint32_t rd,
                     uint32_t rn, uint32_t rm)
{
    if (!simd_dec_lanes(dc, tab, mask, size, 16, rd, rn, rm))
        return false;
    dc->e->c2 = (uint8_t)(q ? 8u >> size : 0);
    return true;
}

#define OP_LONG(N, MASK)                                                         \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_long(dc, t_##N, MASK, a->q, a->z, a->d, a->n, a->m);          \
    }
OP_LONG(SADDL, SZ_BHS) OP_LONG(UADDL, SZ_BHS) OP_LONG(SSUBL, SZ_BHS) OP_LONG(USUBL, SZ_BHS)
OP_LONG(SADDW, SZ_BHS) OP_LONG(UADDW, SZ_BHS) OP_LONG(SSUBW, SZ_BHS) OP_LONG(USUBW, SZ_BHS)
OP_LONG(SABAL, SZ_BHS) OP_LONG(UABAL, SZ_BHS) OP_LONG(SABDL, SZ_BHS) OP_LONG(UABDL, SZ_BHS)
OP_LONG(SMLAL, SZ_BHS) OP_LONG(UMLAL, SZ_BHS) OP_LONG(SMLSL, SZ_BHS) OP_LONG(UMLSL, SZ_BHS)
OP_LONG(SMULL, SZ_BHS) OP_LONG(UMULL, SZ_BHS) OP_LONG(SQDMULL, SZ_HS) OP_LONG(SQDMLAL, SZ_HS)
OP_LONG(SQDMLSL, SZ_HS)

bool op_PMULL(struct decode *dc, const struct args_PMULL *a)
{
    if (a->z == 3) {
        /* The 64-bit form is FEAT_PMULL (ID_AA64ISAR0_EL1.AES = 2), not the base ISA. */
        if (!(dc->features & A64_FEAT_PMULL))
            return false;
        static const exec_fn tab[4] = { NULL, NULL, NULL, x_pmull64 };
        if (!simd_dec_lanes(dc, tab, SZ_D, 3, 16, a->d, a->n, a->m))
            return false;
        dc->e->c2 = (uint8_t)a->q;
        return true;
    }
    return dec_long(dc, t_PMULL, SZ_B, a->q, a->z, a->d, a->n, a->m);
}

bool op_SHLL_v(struct decode *dc, const struct args_SHLL_v *a)
{
    return dec_long(dc, t_SHLL, SZ_BHS, a->q, a->z, a->d, a->n, 0);
}

static bool dec_long_elem(struct decode *dc, const exec_fn *tab, unsigned q, unsigned size, unsigned h,
                          unsigned l, unsigned m, unsigned rm4, uint32_t rd, uint32_t rn)
{
    unsigned idx, rm;
    if (size == 3 || !simd_elem_index(size, h, l, m, rm4, &idx, &rm))
        return false;
    if (!dec_long(dc, tab, SZ_HS, q, size, rd, rn, rm))
        return false;
    dc->e->c3 = (uint8_t)idx;
    return true;
}

#define OP_LONG_ELEM(N)                                                          \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_long_elem(dc, t_##N, a->q, a->z, a->H, a->L, a->M, a->m, a->d, a->n); \
    }
OP_LONG_ELEM(SMULL_elem) OP_LONG_ELEM(UMULL_elem) OP_LONG_ELEM(SMLAL_elem) OP_LONG_ELEM(UMLAL_elem)
OP_LONG_ELEM(SMLSL_elem) OP_LONG_ELEM(UMLSL_elem)
OP_LONG_ELEM(SQDMULL_elem) OP_LONG_ELEM(SQDMLAL_elem) OP_LONG_ELEM(SQDMLSL_elem)

/* AdvSIMD scalar SQDMULL/SQDMLAL/SQDMLSL (three different and by element):
 * lane 0 of the long loops, one wide lane written (H -> S, S -> D). */
static bool scalar_long(struct decode *dc, unsigned size)
{
    dc->e->c1 = (uint8_t)(2u << size);
    dc->e->c2 = 0;
    return true;
}

#define OP_LONG_SV(N)                                                                    \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)                   \
    {                                                                                    \
        return dec_long(dc, t_##N, SZ_HS, 0, a->z, a->d, a->n, a->m) && scalar_long(dc, a->z); \
    }                                                                                    \
    bool op_##N##_elem_sv(struct decode *dc, const struct args_##N##_elem_sv *a)         \
    {                                                                                    \
        return dec_long_elem(dc, t_##N##_elem, 0, a->z, a->H, a->L, a->M, a->m, a->d, a->n) && \
               scalar_long(dc, a->z);                                                    \
    }
OP_LONG_SV(SQDMULL) OP_LONG_SV(SQDMLAL) OP_LONG_SV(SQDMLSL)

/* Narrow: size is the narrow lane; "2" forms write the upper half. */
static bool dec_narrow(struct decode *dc, const exec_fn *tab, unsigned q, unsigned size, uint32_t rd, uint32_t rn,
                       uint32_t rm, unsigned shift)
{
    if (!simd_dec_lanes(dc, tab, SZ_BHS, size, 8, rd, rn, rm))
        return false;
    dc->e->c2 = (uint8_t)q;
    dc->e->imm = shift;
    return true;
}

#define OP_NARROW3(N)                                                            \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_narrow(dc, t_##N, a->q, a->z, a->d, a->n, a->m, 0);           \
    }
OP_NARROW3(ADDHN) OP_NARROW3(RADDHN) OP_NARROW3(SUBHN) OP_NARROW3(RSUBHN)

#define OP_NARROW2(N)                                                            \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_narrow(dc, t_##N, a->q, a->z, a->d, a->n, 0, 0);              \
    }                                                                            \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return simd_dec_lanes(dc, t_##N, SZ_BHS, a->z, 1u << a->z, a->d, a->n, 0); \
    }
OP_NARROW2(SQXTN) OP_NARROW2(UQXTN) OP_NARROW2(SQXTUN)

bool op_XTN_v(struct decode *dc, const struct args_XTN_v *a)
{
    return dec_narrow(dc, t_XTN, a->q, a->z, a->d, a->n, 0, 0);
}

/* immh:immb -> lane size (from the highest set bit of immh), or -1 for immh = 0. */
static int shift_size(unsigned i)
{
    unsigned immh = i >> 3;
    return immh ? 31 - __builtin_clz(immh) : -1;
}

enum { SH_RIGHT, SH_LEFT };

static bool dec_shift(struct decode *dc, const exec_fn *tab, unsigned mask, bool scalar, unsigned q, unsigned i,
                      int dir, uint32_t rd, uint32_t rn)
{
    int size = shift_size(i);
    if (size < 0)
        return false;
    unsigned esize = 8u << size;
    unsigned bytes = scalar ? 1u << size : q ? 16 : 8;
    if (!scalar && size == 3 && !q)
        return false;
    if (!simd_dec_lanes(dc, tab, mask, (unsigned)size, bytes, rd, rn, 0))
        return false;
    dc->e->imm = dir == SH_RIGHT ? 2 * esize - i : i - esize;
    return true;
}

#define OP_SHIFT(N, DIR, VMASK, SMASK)                                           \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_shift(dc, t_##N, VMASK, false, a->q, a->i, DIR, a->d, a->n);  \
    }                                                                            \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_shift(dc, t_##N, SMASK, true, 0, a->i, DIR, a->d, a->n);      \
    }
OP_SHIFT(SSHR, SH_RIGHT, SZ_ALL, SZ_D)    OP_SHIFT(USHR, SH_RIGHT, SZ_ALL, SZ_D)
OP_SHIFT(SSRA, SH_RIGHT, SZ_ALL, SZ_D)    OP_SHIFT(USRA, SH_RIGHT, SZ_ALL, SZ_D)
OP_SHIFT(SRSHR, SH_RIGHT, SZ_ALL, SZ_D)   OP_SHIFT(URSHR, SH_RIGHT, SZ_ALL, SZ_D)
OP_SHIFT(SRSRA, SH_RIGHT, SZ_ALL, SZ_D)   OP_SHIFT(URSRA, SH_RIGHT, SZ_ALL, SZ_D)
OP_SHIFT(SRI, SH_RIGHT, SZ_ALL, SZ_D)     OP_SHIFT(SHL, SH_LEFT, SZ_ALL, SZ_D)
OP_SHIFT(SLI, SH_LEFT, SZ_ALL, SZ_D)      OP_SHIFT(SQSHLU, SH_LEFT, SZ_ALL, SZ_ALL)
OP_SHIFT(SQSHL_imm, SH_LEFT, SZ_ALL, SZ_ALL) OP_SHIFT(UQSHL_imm, SH_LEFT, SZ_ALL, SZ_ALL)

/* Narrowing shifts: the lane size from immh is the narrow one (immh<3> = 0). */
static bool dec_shift_narrow(struct decode *dc, const exec_fn *tab, bool scalar, unsigned q, unsigned i,
                             uint32_t rd, uint32_t rn)
{
    int size = shift_size(i);
    if (size < 0 || size == 3)
        return false;
    unsigned esize = 8u << size;
    if (scalar) {
        if (!simd_dec_lanes(dc, tab, SZ_BHS, (unsigned)size, 1u << size, rd, rn, 0))
            return false;
        dc->e->imm = 2 * esize - i;
        return true;
    }
    return dec_narrow(dc, tab, q, (unsigned)size, rd, rn, 0, 2 * esize - i);
}

#define OP_SHIFT_N(N)                                                            \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_shift_narrow(dc, t_##N, false, a->q, a->i, a->d, a->n);       \
    }
#define OP_SHIFT_NS(N)                                                           \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_shift_narrow(dc, t_##N, true, 0, a->i, a->d, a->n);           \
    }
OP_SHIFT_N(SHRN) OP_SHIFT_N(RSHRN)
OP_SHIFT_N(SQSHRN) OP_SHIFT_N(UQSHRN) OP_SHIFT_N(SQRSHRN) OP_SHIFT_N(UQRSHRN)
OP_SHIFT_N(SQSHRUN) OP_SHIFT_N(SQRSHRUN)
OP_SHIFT_NS(SQSHRN) OP_SHIFT_NS(UQSHRN) OP_SHIFT_NS(SQRSHRN) OP_SHIFT_NS(UQRSHRN)
OP_SHIFT_NS(SQSHRUN) OP_SHIFT_NS(SQRSHRUN)

/* SSHLL/USHLL (SXTL/UXTL): the lane size from immh is the narrow source. */
DEFL(SSHLL, (W)(SW)(S)a << d->imm)
DEFL(USHLL, (W)a << d->imm)

static bool dec_shift_long(struct decode *dc, const exec_fn *tab, unsigned q, unsigned i, uint32_t rd, uint32_t rn)
{
    int size = shift_size(i);
    if (size < 0 || size == 3)
        return false;
    if (!dec_long(dc, tab, SZ_BHS, q, (unsigned)size, rd, rn, 0))
        return false;
    dc->e->imm = i - (8u << size);
    return true;
}

bool op_SSHLL_v(struct decode *dc, const struct args_SSHLL_v *a)
{
    return dec_shift_long(dc, t_SSHLL, a->q, a->i, a->d, a->n);
}

bool op_USHLL_v(struct decode *dc, const struct args_USHLL_v *a)
{
    return dec_shift_long(dc, t_USHLL, a->q, a->i, a->d, a->n);
}
