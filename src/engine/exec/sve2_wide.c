/*
 * sve2_wide.c - SVE2 widening and narrowing integer instructions: add,
 * subtract and absolute difference long (..LB/..LT, SADDLBT, SSUBLBT,
 * SSUBLTB), wide (..WB/..WT), multiply long (SMULL, UMULL, SQDMULL, PMULL),
 * shift left long (SSHLL, USHLL), absolute difference and accumulate long,
 * add/subtract with carry long (ADCLB.., SBCLB..), the interleaving EORBT/
 * EORTB, the bit permutes (BEXT, BDEP, BGRP), shift right narrow (SHRN,
 * RSHRN and the saturating forms), saturating extract narrow (SQXTN..) and
 * add/subtract narrow high part (ADDHN..).
 *
 * Source: Arm ARM C8. B forms use the even half-size elements, T forms the
 * odd ones (sve2_ops.h); narrowing B forms zero the odd destination
 * elements, T forms keep the even ones.
 */
#include "engine/exec/sve2_ops.h"

/* Half-size operands extended: signed (SX) or unsigned (ZX), as int64. */
#define SX(v) ((int64_t)(SH)(v))
#define ZX(v) ((int64_t)(uint64_t)(v))

/* ---- add / subtract / absolute difference long -------------------------------------------- */

SVE_LONG(saddl, SX(a) + SX(b))
SVE_LONG(uaddl, ZX(a) + ZX(b))
SVE_LONG(ssubl, SX(a) - SX(b))
SVE_LONG(usubl, ZX(a) - ZX(b))
SVE_LONG(sabdl, SX(a) > SX(b) ? SX(a) - SX(b) : SX(b) - SX(a))
SVE_LONG(uabdl, ZX(a) > ZX(b) ? ZX(a) - ZX(b) : ZX(b) - ZX(a))

static bool long_fill(struct decode *dc, unsigned rd, unsigned rn, unsigned rm, unsigned tn, unsigned tm,
                      exec_fn fn)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c1 = (uint8_t)tn;
    e->c2 = (uint8_t)tm;
    return sve_set(dc, fn);
}

bool op_ADDL_zzz(struct decode *dc, const struct args_ADDL_zzz *a)
{
    static const exec_fn tab[8][4] = {
        SVE_L3(saddl), SVE_L3(uaddl), SVE_L3(ssubl), SVE_L3(usubl), { 0 }, { 0 }, SVE_L3(sabdl), SVE_L3(uabdl),
    };
    unsigned t = a->o & 1;
    return long_fill(dc, a->d, a->n, a->m, t, t, tab[a->o >> 1][a->z]);
}

bool op_ADDLBT_zzz(struct decode *dc, const struct args_ADDLBT_zzz *a)
{
    static const exec_fn tab[4][4] = { SVE_L3(saddl), { 0 }, SVE_L3(ssubl), SVE_L3(ssubl) };
    /* saddlbt, ssublbt: Zn bottom, Zm top; ssubltb: Zn top, Zm bottom. */
    unsigned tn = a->o == 3, tm = a->o != 3;
    return long_fill(dc, a->d, a->n, a->m, tn, tm, tab[a->o][a->z]);
}

/* ---- wide ----------------------------------------------------------------------------------- */

SVE_WIDE(saddw, a + (uint64_t)(int64_t)(SH)b)
SVE_WIDE(uaddw, a + (uint64_t)b)
SVE_WIDE(ssubw, a - (uint64_t)(int64_t)(SH)b)
SVE_WIDE(usubw, a - (uint64_t)b)

bool op_ADDW_zzz(struct decode *dc, const struct args_ADDW_zzz *a)
{
    static const exec_fn tab[4][4] = { SVE_L3(saddw), SVE_L3(uaddw), SVE_L3(ssubw), SVE_L3(usubw) };
    return long_fill(dc, a->d, a->n, a->m, 0, a->o & 1, tab[a->o >> 1][a->z]);
}

/* ---- multiply long, shift left long, absolute difference and accumulate long -------------- */

static inline uint64_t clmul(uint64_t a, uint64_t b, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < bits; k++)
        if ((b >> k) & 1)
            r ^= a << k;
    return r;
}

SVE_LONG(sqdmull, SSAT(2 * (s128)SX(a) * SX(b)))
SVE_LONG(smull, (uint64_t)SX(a) * (uint64_t)SX(b))
SVE_LONG(umull, (uint64_t)a * b)
SVE_LONG_1(pmull, 16, 8, clmul(a, b, 8))
SVE_LONG_1(pmull, 64, 32, clmul(a, b, 32))

bool op_MULL_zzz(struct decode *dc, const struct args_MULL_zzz *a)
{
    static const exec_fn tab[4][4] = {
        SVE_L3(sqdmull), { NULL, x_pmull_16, NULL, x_pmull_64 }, SVE_L3(smull), SVE_L3(umull),
    };
    unsigned t = a->o & 1;                  /* PMULL of .q (size 00) needs SVE2 PMULL128: UNDEF here */
    return long_fill(dc, a->d, a->n, a->m, t, t, tab[a->o >> 1][a->z]);
}

SVE_LONG(sshll, (uint64_t)SX(a) << sh)
SVE_LONG(ushll, (uint64_t)a << sh)

bool op_SHLL_zzi(struct decode *dc, const struct args_SHLL_zzi *a)
{
    static const exec_fn tab[2][4] = { SVE_L3(sshll), SVE_L3(ushll) };
    int esz = sve2_tsz_esz(a->t);           /* the narrow size */
    if (esz < 0 || esz > 2)
        return false;
    dc->e->imm = ((a->t << 3) | a->i) - (8u << esz);
    return long_fill(dc, a->d, a->n, a->n, a->o & 1, a->o & 1, tab[a->o >> 1][esz + 1]);
}

SVE_LONG(sabal, c + (uint64_t)(SX(a) > SX(b) ? SX(a) - SX(b) : SX(b) - SX(a)))
SVE_LONG(uabal, c + (uint64_t)(ZX(a) > ZX(b) ? ZX(a) - ZX(b) : ZX(b) - ZX(a)))

bool op_ABAL_zzz(struct decode *dc, const struct args_ABAL_zzz *a)
{
    static const exec_fn tab[2][4] = { SVE_L3(sabal), SVE_L3(uabal) };
    unsigned t = a->o & 1;
    return long_fill(dc, a->d, a->n, a->m, t, t, tab[a->o >> 1][a->z]);
}

/* ---- add / subtract with carry long --------------------------------------------------------- */

/* Pairs (2e, 2e + 1): Zda[2e] = Zda[2e] + (Zn[2e + c1], inverted for SBCL)
 * + Zm[2e + 1]<0>; Zda[2e + 1] = the carry out. c2 = SBCL, c3 = esz. */
static struct dinsn *x_adcl(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, ne = vl >> esz, bits = 8u << esz;
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i += 2) {
        uint64_t x = sve_elem(zn, esz, i + d->c1), acc = sve_elem(zd, esz, i);
        if (d->c2)
            x = sve_zext(~x, esz);
        u128 sum = (u128)acc + x + (sve_elem(zm, esz, i + 1) & 1);
        sve_elem_set(zd, esz, i, (uint64_t)sum);
        sve_elem_set(zd, esz, i + 1, (uint64_t)(sum >> bits) & 1);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_ADCL_zzz(struct decode *dc, const struct args_ADCL_zzz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_adcl;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->T;
    e->c2 = (uint8_t)(a->z >> 1);
    e->c3 = (uint8_t)(2 + (a->z & 1));
    return true;
}

/* ---- EORBT / EORTB, bit permutes -------------------------------------------------------------- */

/* EORBT: Zd[2e] = Zn[2e] ^ Zm[2e + 1]; EORTB: Zd[2e + 1] = Zn[2e + 1] ^ Zm[2e];
 * the other elements of Zd are kept. c1 = TB, c3 = esz. */
static struct dinsn *x_eorbt(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, ne = vl >> esz, t = d->c1;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    memcpy(res, zd, vl);
    for (unsigned i = 0; i < ne; i += 2)
        sve_elem_set(res, esz, i + t, sve_elem(zn, esz, i + t) ^ sve_elem(zm, esz, i + 1 - t));
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_EORBT_zzz(struct decode *dc, const struct args_EORBT_zzz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_eorbt;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->T;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* BEXT gathers the bits of a selected by mask m into the low end; BDEP
 * scatters a's low bits to the set bits of m; BGRP puts the selected bits
 * low and the others above them. */
static uint64_t bext(uint64_t a, uint64_t m, unsigned bits)
{
    uint64_t r = 0;
    unsigned k = 0;
    for (unsigned i = 0; i < bits; i++)
        if ((m >> i) & 1)
            r |= ((a >> i) & 1) << k++;
    return r;
}

static uint64_t bdep(uint64_t a, uint64_t m, unsigned bits)
{
    uint64_t r = 0;
    unsigned k = 0;
    for (unsigned i = 0; i < bits; i++)
        if ((m >> i) & 1)
            r |= ((a >> k++) & 1) << i;
    return r;
}

static uint64_t bgrp(uint64_t a, uint64_t m, unsigned bits)
{
    uint64_t lo = bext(a, m, bits), hi = bext(a, sve_zext(~m, __builtin_ctz(bits / 8)), bits);
    unsigned k = (unsigned)__builtin_popcountll(m);
    return k >= 64 ? lo : lo | (hi << k);
}

SVE_ZZZ(bext, bext(a, b, SVE2_BITS))
SVE_ZZZ(bdep, bdep(a, b, SVE2_BITS))
SVE_ZZZ(bgrp, bgrp(a, b, SVE2_BITS))

bool op_BPERM_zzz(struct decode *dc, const struct args_BPERM_zzz *a)
{
    static const exec_fn tab[4][4] = { SVE_H4(bext), SVE_H4(bdep), SVE_H4(bgrp) };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- narrowing: T is the narrow lane, a (b) the wide operand(s), sh the shift ------------------- */

SVE_NARROW(sqshrun, USAT(sve2_shl((SW)a, -(int)sh, false)))
SVE_NARROW(sqrshrun, USAT(sve2_shl((SW)a, -(int)sh, true)))
SVE_NARROW(shrn, TRUNC(sve2_shl(a, -(int)sh, false)))
SVE_NARROW(rshrn, TRUNC(sve2_shl(a, -(int)sh, true)))
SVE_NARROW(sqshrn, SSAT(sve2_shl((SW)a, -(int)sh, false)))
SVE_NARROW(sqrshrn, SSAT(sve2_shl((SW)a, -(int)sh, true)))
SVE_NARROW(uqshrn, USAT(sve2_shl(a, -(int)sh, false)))
SVE_NARROW(uqrshrn, USAT(sve2_shl(a, -(int)sh, true)))

bool op_SHRN_zzi(struct decode *dc, const struct args_SHRN_zzi *a)
{
    static const exec_fn tab[8][4] = {
        SVE_N3(sqshrun), SVE_N3(sqrshrun), SVE_N3(shrn), SVE_N3(rshrn),
        SVE_N3(sqshrn), SVE_N3(sqrshrn), SVE_N3(uqshrn), SVE_N3(uqrshrn),
    };
    int esz = sve2_tsz_esz(a->t);           /* the narrow size */
    if (esz < 0 || esz > 2)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = e->m = (uint8_t)a->n;
    e->c1 = (uint8_t)(a->o & 1);
    e->imm = (16u << esz) - ((a->t << 3) | a->i);
    return sve_set(dc, tab[a->o >> 1][esz]);
}

SVE_NARROW(sqxtn, SSAT((s128)(SW)a))
SVE_NARROW(uqxtn, USAT((s128)a))
SVE_NARROW(sqxtun, USAT((s128)(SW)a))

bool op_XTN_zz(struct decode *dc, const struct args_XTN_zz *a)
{
    static const exec_fn tab[4][4] = { SVE_N3(sqxtn), SVE_N3(uqxtn), SVE_N3(sqxtun) };
    int esz = sve2_tsz_esz(a->t);
    if (esz < 0 || esz > 2 || ((a->t << 3) | a->i) != (8u << esz))
        return false;                       /* tsz: exactly the narrow size, imm3 = 0 */
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = e->m = (uint8_t)a->n;
    e->c1 = (uint8_t)(a->o & 1);
    return sve_set(dc, tab[a->o >> 1][esz]);
}

/* High halves of the wide sums / differences (rounded: + half the narrow unit). */
#define HALF_ (8 * (unsigned)sizeof(T))
SVE_NARROW(addhn, (((u128)a + b) >> HALF_))
SVE_NARROW(raddhn, (((u128)a + b + ((u128)1 << (HALF_ - 1))) >> HALF_))
SVE_NARROW(subhn, (((u128)a - b) >> HALF_))
SVE_NARROW(rsubhn, (((u128)a - b + ((u128)1 << (HALF_ - 1))) >> HALF_))

bool op_ADDHN_zzz(struct decode *dc, const struct args_ADDHN_zzz *a)
{
    static const exec_fn tab[4][4] = { SVE_N3(addhn), SVE_N3(raddhn), SVE_N3(subhn), SVE_N3(rsubhn) };
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)(a->o & 1);
    return sve_set(dc, tab[a->o >> 1][a->z - 1]);
}
