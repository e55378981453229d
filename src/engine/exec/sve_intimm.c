/*
 * sve_intimm.c - SVE operations with an immediate operand: the bitwise
 * immediates (ORR/EOR/AND/DUPM with a bitmask immediate), the broadcasts
 * DUP/FDUP, the predicated copies CPY/FCPY, add/subtract (with saturation),
 * min/max and multiply by an immediate; and the integer dot products
 * SDOT/UDOT (vectors and indexed).
 *
 * Arm ARM C8: the 8-bit immediates are shifted left by 8 when sh is set
 * (unallocated for byte elements); FP immediates are VFPExpandImm of imm8.
 */
#include "engine/exec/alu.h"
#include "engine/exec/sve_ops.h"

/* Arm ARM VFPExpandImm for an element of esz (1 H, 2 S, 3 D). */
static uint64_t fp_expand_imm(unsigned imm8, unsigned esz)
{
    unsigned n = 8u << esz;
    unsigned e = n == 16 ? 5 : n == 32 ? 8 : 11, f = n - e - 1;
    uint64_t sign = imm8 >> 7;
    unsigned b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((uint64_t)!b6 << (e - 1)) | ((b6 ? (1ull << (e - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 0xf) << (f - 4);
    return (sign << (n - 1)) | (exp << f) | frac;
}

/* ---- broadcasts and copies ----------------------------------------------------------- */

/* Zd = imm in every element (c2 = log2 element size). */
static struct dinsn *x_dup_imm(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    unsigned esz = d->c2;
    for (unsigned i = 0; i < vl >> esz; i++)
        sve_elem_set(zd, esz, i, d->imm);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

/* Zd = Pg ? imm : (c1 ? Zd : 0) (CPY, FCPY; c1 = merging). */
static struct dinsn *x_cpy_imm(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *pg = preg(r, d->c0);
    unsigned esz = d->c2;
    for (unsigned i = 0; i < vl >> esz; i++) {
        if (pact(pg, i, 1u << esz))
            sve_elem_set(zd, esz, i, d->imm);
        else if (!d->c1)
            sve_elem_set(zd, esz, i, 0);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

SVE_ZZI_1(orr_zzi, 64, a | b)
SVE_ZZI_1(eor_zzi, 64, a ^ b)
SVE_ZZI_1(and_zzi, 64, a & b)

bool op_LOGIC_zzi(struct decode *dc, const struct args_LOGIC_zzi *a)
{
    uint64_t wmask, tmask;
    /* Arm ARM DecodeBitMasks(N, imms, immr, TRUE, 64): the pattern already
     * repeats at its element size. */
    if (!alu_bitmasks(a->N, a->s, a->r, true, 64, &wmask, &tmask))
        return false;
    struct dinsn *e = dc->e;
    e->d = e->n = (uint8_t)a->d;
    e->imm = wmask;
    switch (a->o) {
    case 0: e->fn = x_orr_zzi_64; break;
    case 1: e->fn = x_eor_zzi_64; break;
    case 2: e->fn = x_and_zzi_64; break;
    default: e->fn = x_dup_imm; e->c2 = 3; break;
    }
    return true;
}

bool op_FCPY(struct decode *dc, const struct args_FCPY *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_cpy_imm;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->c1 = 1;
    e->c2 = (uint8_t)a->z;
    e->imm = fp_expand_imm(a->i, a->z);
    return true;
}

bool op_CPY_i(struct decode *dc, const struct args_CPY_i *a)
{
    if (a->z == 0 && a->h)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_cpy_imm;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->M;
    e->c2 = (uint8_t)a->z;
    e->imm = sext(a->i, 8) << (a->h ? 8 : 0);
    return true;
}

bool op_FDUP(struct decode *dc, const struct args_FDUP *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_dup_imm;
    e->d = (uint8_t)a->d;
    e->c2 = (uint8_t)a->z;
    e->imm = fp_expand_imm(a->i, a->z);
    return true;
}

bool op_DUP_i(struct decode *dc, const struct args_DUP_i *a)
{
    if (a->z == 0 && a->h)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_dup_imm;
    e->d = (uint8_t)a->d;
    e->c2 = (uint8_t)a->z;
    e->imm = sext(a->i, 8) << (a->h ? 8 : 0);
    return true;
}

/* ---- arithmetic with an immediate ------------------------------------------------------ */

#define ESZ_OF_T __builtin_ctz(sizeof(T))
SVE_ZZI(add_zzi, a + b)
SVE_ZZI(sub_zzi, a - b)
SVE_ZZI(subr_zzi, b - a)
SVE_ZZI(sqadd_zzi, sve_ssat((__int128)(S)a + b, ESZ_OF_T))      /* the immediate is unsigned */
SVE_ZZI(uqadd_zzi, sve_usat((__int128)a + b, ESZ_OF_T))
SVE_ZZI(sqsub_zzi, sve_ssat((__int128)(S)a - b, ESZ_OF_T))
SVE_ZZI(uqsub_zzi, sve_usat((__int128)a - (__int128)b, ESZ_OF_T))
SVE_ZZI(smax_zzi, (S)a > (S)b ? a : b)
SVE_ZZI(umax_zzi, a > b ? a : b)
SVE_ZZI(smin_zzi, (S)a < (S)b ? a : b)
SVE_ZZI(umin_zzi, a < b ? a : b)
SVE_ZZI(mul_zzi, (uint64_t)a * b)

bool op_ARITH_zzi(struct decode *dc, const struct args_ARITH_zzi *a)
{
    static const exec_fn tab[8][4] = {
        [0] = SVE_H4(add_zzi), [1] = SVE_H4(sub_zzi), [3] = SVE_H4(subr_zzi), [4] = SVE_H4(sqadd_zzi),
        [5] = SVE_H4(uqadd_zzi), [6] = SVE_H4(sqsub_zzi), [7] = SVE_H4(uqsub_zzi),
    };
    if (a->z == 0 && a->h)
        return false;
    struct dinsn *e = dc->e;
    e->d = e->n = (uint8_t)a->d;
    e->imm = (uint64_t)a->i << (a->h ? 8 : 0);     /* unsigned, then taken modulo the element */
    return sve_set(dc, tab[a->o][a->z]);
}

bool op_MINMAX_zzi(struct decode *dc, const struct args_MINMAX_zzi *a)
{
    static const exec_fn tab[4][4] = { SVE_H4(smax_zzi), SVE_H4(umax_zzi), SVE_H4(smin_zzi), SVE_H4(umin_zzi) };
    struct dinsn *e = dc->e;
    e->d = e->n = (uint8_t)a->d;
    e->imm = (a->o & 1) ? a->i : sext(a->i, 8);
    return sve_set(dc, tab[a->o][a->z]);
}

bool op_MUL_zzi(struct decode *dc, const struct args_MUL_zzi *a)
{
    static const exec_fn tab[4] = SVE_H4(mul_zzi);
    struct dinsn *e = dc->e;
    e->d = e->n = (uint8_t)a->d;
    e->imm = sext(a->i, 8);
    return sve_set(dc, tab[a->z]);
}

/* ---- dot products ------------------------------------------------------------------------ */

/* Zda[i] += sum of the four products of the quarter-width elements of Zn and
 * Zm (or of Zm's indexed group in the same 128-bit segment). c1: bit 0
 * unsigned, bit 1 64-bit (H sources), bit 2 indexed (index c2). */
static struct dinsn *x_dot(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    bool uns = d->c1 & 1, wide = d->c1 & 2, idx = d->c1 & 4;
    unsigned esz = wide ? 3 : 2, ssz = esz - 2, ne = vl >> esz, per_seg = 16u >> esz;
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    uint64_t res[SVE_Z_BYTES / 4];
    for (unsigned i = 0; i < ne; i++) {
        unsigned mi = idx ? (i / per_seg) * per_seg + d->c2 : i;
        uint64_t acc = sve_elem(zd, esz, i);
        for (unsigned k = 0; k < 4; k++) {
            uint64_t x = sve_elem(zn, ssz, 4 * i + k), y = sve_elem(zm, ssz, 4 * mi + k);
            if (uns)
                acc += x * y;
            else
                acc += (uint64_t)(sve_sext(x, ssz) * sve_sext(y, ssz));
        }
        res[i] = acc;
    }
    for (unsigned i = 0; i < ne; i++)
        sve_elem_set(zd, esz, i, res[i]);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_DOT_zzzz(struct decode *dc, const struct args_DOT_zzzz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_dot;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)(a->U | (a->z << 1));
    return true;
}

bool op_DOT_zzxz(struct decode *dc, const struct args_DOT_zzxz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_dot;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    if (a->z) {                             /* .d: index bit 20, Zm bits 19:16 */
        e->m = (uint8_t)(a->m & 15);
        e->c2 = (uint8_t)(a->m >> 4);
    } else {                                /* .s: index bits 20:19, Zm bits 18:16 */
        e->m = (uint8_t)(a->m & 7);
        e->c2 = (uint8_t)(a->m >> 3);
    }
    e->c1 = (uint8_t)(a->U | (a->z << 1) | 4);
    return true;
}
