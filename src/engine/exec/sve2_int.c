/*
 * sve2_int.c - SVE2 integer instructions on same-size elements: the
 * unpredicated multiplies (MUL, PMUL, SMULH, UMULH, SQDMULH, SQRDMULH), the
 * bitwise ternaries (EOR3, BCAX, BSL, BSL1N, BSL2N, NBSL) and XAR, the
 * predicated halving, saturating and rounding-shift arithmetic, the
 * predicated shifts by immediate (SQSHL, UQSHL, SRSHR, URSHR, SQSHLU), the
 * pairwise operations (ADDP, SMAXP.., SADALP, UADALP), SQABS/SQNEG, shift
 * right and accumulate, SRI/SLI, SABA/UABA, CADD/SQCADD, TBL (two tables)
 * and TBX, constructive EXT, MATCH/NMATCH, HISTCNT and HISTSEG.
 *
 * Source: Arm ARM C8 (the per-instruction pages; their pseudocode computes
 * in unbounded integers, which the s128 helpers of sve2_ops.h model).
 * Predicated forms merge (inactive elements keep Zdn), except MATCH and
 * HISTCNT, which zero them.
 */
#include "engine/exec/sve2_ops.h"

/* ---- unpredicated multiplies (MUL_zzz): a = Zn, b = Zm -------------------------------- */

static inline uint64_t clmul8(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (unsigned k = 0; k < 8; k++)
        if ((b >> k) & 1)
            r ^= a << k;
    return r;
}

SVE_ZZZ(mul_zzz, (uint64_t)a * b)                     /* widen first: uint16 * uint16 promotes to int */
SVE_ZZZ(smulh_zzz, ((s128)(S)a * (S)b) >> SVE2_BITS)
SVE_ZZZ(umulh_zzz, ((u128)a * b) >> SVE2_BITS)
SVE_ZZZ(sqdmulh_zzz, SSAT((2 * (s128)(S)a * (S)b) >> SVE2_BITS))
SVE_ZZZ(sqrdmulh_zzz, SSAT((2 * (s128)(S)a * (S)b + ((s128)1 << (SVE2_BITS - 1))) >> SVE2_BITS))
SVE_ZZZ_1(pmul_zzz, 8, clmul8(a, b))

bool op_MUL_zzz(struct decode *dc, const struct args_MUL_zzz *a)
{
    static const exec_fn tab[8][4] = {
        SVE_H4(mul_zzz), { x_pmul_zzz_8 }, SVE_H4(smulh_zzz), SVE_H4(umulh_zzz),
        SVE_H4(sqdmulh_zzz), SVE_H4(sqrdmulh_zzz),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- bitwise ternary (a = Zdn, b = Zm, c = Zk) and XAR ------------------------------------ */

SVE_ZZZA_1(eor3, 64, a ^ b ^ c)
SVE_ZZZA_1(bcax, 64, a ^ (b & ~c))
SVE_ZZZA_1(bsl, 64, (a & c) | (b & ~c))
SVE_ZZZA_1(bsl1n, 64, (~a & c) | (b & ~c))
SVE_ZZZA_1(bsl2n, 64, (a & c) | (~b & ~c))
SVE_ZZZA_1(nbsl, 64, ~((a & c) | (b & ~c)))

bool op_BITTERN(struct decode *dc, const struct args_BITTERN *a)
{
    static const exec_fn tab[8] = { x_eor3_64, x_bcax_64, NULL, NULL, x_bsl_64, x_bsl1n_64, x_bsl2n_64, x_nbsl_64 };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->m;
    e->m = (uint8_t)a->k;
    return sve_set(dc, tab[a->B * 4 + a->o]);
}

/* Rotate right by sh in [1, esize] (esize: no rotation). */
#define ROR_(x, s) ((s) >= SVE2_BITS ? (x) : (T)(((x) >> (s)) | ((x) << (SVE2_BITS - (s)))))
SVE_ZZZA(xar, ROR_((T)(a ^ b), (unsigned)sh))

bool op_XAR_zzi(struct decode *dc, const struct args_XAR_zzi *a)
{
    static const exec_fn tab[4] = SVE_H4(xar);
    int esz = sve2_tsz_esz(a->t);
    if (esz < 0)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = e->m = (uint8_t)a->m;
    e->imm = (16u << esz) - ((a->t << 3) | a->i);
    return sve_set(dc, tab[esz]);
}

/* ---- predicated binary (INT2_zpzz): a = Zdn, b = Zm ------------------------------------ */

/* SVE2 shifts by vector take the whole signed element as the amount,
 * saturated to +/-(esize + 1) (Arm ARM ShiftSat), not its low byte as
 * Advanced SIMD does. */
static inline int shift_sat(int64_t s, unsigned bits)
{
    int lim = (int)bits + 1;
    return s > lim ? lim : s < -lim ? -lim : (int)s;
}
#define SHL_(v, s, rnd) sve2_shl((v), shift_sat((int64_t)(S)(s), SVE2_BITS), (rnd))

SVE_ZPZZ(srshl, TRUNC(SHL_((S)a, b, true)))
SVE_ZPZZ(urshl, TRUNC(SHL_(a, b, true)))
SVE_ZPZZ(srshlr, TRUNC(SHL_((S)b, a, true)))
SVE_ZPZZ(urshlr, TRUNC(SHL_(b, a, true)))
SVE_ZPZZ(sqshl, SSAT(SHL_((S)a, b, false)))
SVE_ZPZZ(uqshl, USAT(SHL_(a, b, false)))
SVE_ZPZZ(sqrshl, SSAT(SHL_((S)a, b, true)))
SVE_ZPZZ(uqrshl, USAT(SHL_(a, b, true)))
SVE_ZPZZ(sqshlr, SSAT(SHL_((S)b, a, false)))
SVE_ZPZZ(uqshlr, USAT(SHL_(b, a, false)))
SVE_ZPZZ(sqrshlr, SSAT(SHL_((S)b, a, true)))
SVE_ZPZZ(uqrshlr, USAT(SHL_(b, a, true)))
SVE_ZPZZ(shadd, ((s128)(S)a + (S)b) >> 1)
SVE_ZPZZ(uhadd, ((s128)a + b) >> 1)
SVE_ZPZZ(shsub, ((s128)(S)a - (S)b) >> 1)
SVE_ZPZZ(uhsub, ((s128)a - (s128)b) >> 1)
SVE_ZPZZ(srhadd, ((s128)(S)a + (S)b + 1) >> 1)
SVE_ZPZZ(urhadd, ((s128)a + b + 1) >> 1)
SVE_ZPZZ(shsubr, ((s128)(S)b - (S)a) >> 1)
SVE_ZPZZ(uhsubr, ((s128)b - (s128)a) >> 1)
SVE_ZPZZ(sqadd_p, SSAT((s128)(S)a + (S)b))
SVE_ZPZZ(uqadd_p, USAT((s128)a + b))
SVE_ZPZZ(sqsub_p, SSAT((s128)(S)a - (S)b))
SVE_ZPZZ(uqsub_p, USAT((s128)a - (s128)b))
SVE_ZPZZ(suqadd, SSAT((s128)(S)a + (s128)b))
SVE_ZPZZ(usqadd, USAT((s128)a + (S)b))
SVE_ZPZZ(sqsubr_p, SSAT((s128)(S)b - (S)a))
SVE_ZPZZ(uqsubr_p, USAT((s128)b - (s128)a))

bool op_INT2_zpzz(struct decode *dc, const struct args_INT2_zpzz *a)
{
    static const exec_fn tab[32][4] = {
        [2] = SVE_H4(srshl), [3] = SVE_H4(urshl), [6] = SVE_H4(srshlr), [7] = SVE_H4(urshlr),
        [8] = SVE_H4(sqshl), [9] = SVE_H4(uqshl), [10] = SVE_H4(sqrshl), [11] = SVE_H4(uqrshl),
        [12] = SVE_H4(sqshlr), [13] = SVE_H4(uqshlr), [14] = SVE_H4(sqrshlr), [15] = SVE_H4(uqrshlr),
        [16] = SVE_H4(shadd), [17] = SVE_H4(uhadd), [18] = SVE_H4(shsub), [19] = SVE_H4(uhsub),
        [20] = SVE_H4(srhadd), [21] = SVE_H4(urhadd), [22] = SVE_H4(shsubr), [23] = SVE_H4(uhsubr),
        [24] = SVE_H4(sqadd_p), [25] = SVE_H4(uqadd_p), [26] = SVE_H4(sqsub_p), [27] = SVE_H4(uqsub_p),
        [28] = SVE_H4(suqadd), [29] = SVE_H4(usqadd), [30] = SVE_H4(sqsubr_p), [31] = SVE_H4(uqsubr_p),
    };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return sve_set(dc, tab[a->o][a->z]);
}

/* ---- predicated shifts by immediate (SHIFT2_zpzi): b = the shift ------------------------- */

SVE_ZPZI(sqshl_i, SSAT(sve2_shl((S)a, (int)b, false)))
SVE_ZPZI(uqshl_i, USAT(sve2_shl(a, (int)b, false)))
SVE_ZPZI(srshr_i, TRUNC(sve2_shl((S)a, -(int)b, true)))
SVE_ZPZI(urshr_i, TRUNC(sve2_shl(a, -(int)b, true)))
SVE_ZPZI(sqshlu_i, USAT(sve2_shl((S)a, (int)b, false)))

bool op_SHIFT2_zpzi(struct decode *dc, const struct args_SHIFT2_zpzi *a)
{
    static const exec_fn tab[16][4] = {
        [6] = SVE_H4(sqshl_i), [7] = SVE_H4(uqshl_i), [12] = SVE_H4(srshr_i), [13] = SVE_H4(urshr_i),
        [15] = SVE_H4(sqshlu_i),
    };
    int esz = sve2_tsz_esz(a->t);
    if (esz < 0)
        return false;
    unsigned imm = (a->t << 3) | a->i, bits = 8u << esz;
    bool left = a->o == 6 || a->o == 7 || a->o == 15;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->imm = left ? imm - bits : 2 * bits - imm;
    return sve_set(dc, tab[a->o][esz]);
}

/* ---- predicated unary and pairwise (INT2_zpz) ---------------------------------------------- */

SVE_ZPZ(sqabs, SSAT((S)a < 0 ? -(s128)(S)a : (s128)(S)a))
SVE_ZPZ(sqneg, SSAT(-(s128)(S)a))

/* Pairwise: active even e = op(Zdn[e], Zdn[e + 1]), odd e = op(Zm[e - 1], Zm[e]);
 * inactive elements keep Zdn. c1 = op: 0 addp 1 smaxp 2 umaxp 3 sminp 4 uminp. */
static uint64_t pair_op(unsigned op, uint64_t x, uint64_t y, unsigned esz)
{
    int64_t sx = sve_sext(x, esz), sy = sve_sext(y, esz);
    switch (op) {
    case 0: return x + y;
    case 1: return sx > sy ? x : y;
    case 2: return x > y ? x : y;
    case 3: return sx < sy ? x : y;
    default: return x < y ? x : y;
    }
}

static struct dinsn *x_pairwise(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t v = sve_elem(zd, esz, i);
        if (pact(pg, i, 1u << esz)) {
            const uint8_t *src = (i & 1) ? zm : zd;
            unsigned j = i & ~1u;
            v = pair_op(d->c1, sve_elem(src, esz, j), sve_elem(src, esz, j + 1), esz);
        }
        sve_elem_set(res, esz, i, v);
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

/* SADALP/UADALP: active Zda.T[i] += Zn.H[2i] + Zn.H[2i + 1], extended by c1 (1 = signed). */
static struct dinsn *x_adalp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *pg = preg(r, d->c0);
    for (unsigned i = 0; i < ne; i++) {
        if (!pact(pg, i, 1u << esz))
            continue;
        uint64_t x = sve_elem(zn, esz - 1, 2 * i), y = sve_elem(zn, esz - 1, 2 * i + 1);
        if (d->c1) {
            x = (uint64_t)sve_sext(x, esz - 1);
            y = (uint64_t)sve_sext(y, esz - 1);
        }
        sve_elem_set(zd, esz, i, sve_elem(zd, esz, i) + x + y);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_INT2_zpz(struct decode *dc, const struct args_INT2_zpz *a)
{
    static const exec_fn un[2][4] = { SVE_H4(sqabs), SVE_H4(sqneg) };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = e->m = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->z;
    switch (a->o) {
    case 4: case 5:                         /* sadalp, uadalp */
        if (a->z == 0)
            return false;
        e->fn = x_adalp;
        e->c1 = a->o == 4;
        return true;
    case 8: case 9:
        return sve_set(dc, un[a->o - 8][a->z]);
    case 17: case 20: case 21: case 22: case 23:
        e->fn = x_pairwise;
        e->c1 = (uint8_t)(a->o == 17 ? 0 : a->o - 19);
        return true;
    default:
        return false;                       /* URECPE/URSQRTE: not implemented, UNDEF */
    }
}

/* ---- shift right and accumulate, shift and insert (a = Zd, b = Zn, sh) ---------------------- */

SVE_ZZZA(ssra, a + TRUNC(sve2_shl((S)b, -(int)sh, false)))
SVE_ZZZA(usra, a + TRUNC(sve2_shl(b, -(int)sh, false)))
SVE_ZZZA(srsra, a + TRUNC(sve2_shl((S)b, -(int)sh, true)))
SVE_ZZZA(ursra, a + TRUNC(sve2_shl(b, -(int)sh, true)))
/* SRI keeps Zd's top sh bits (all of them for sh = esize); SLI its low sh bits. */
#define LOMASK_(k) ((k) >= SVE2_BITS ? (T)~(T)0 : (T)(((T)1 << (k)) - 1))
SVE_ZZZA(sri, (sh >= SVE2_BITS) ? a : (T)((a & (T)~(T)(LOMASK_(SVE2_BITS - (unsigned)sh))) | (b >> sh)))
SVE_ZZZA(sli, (T)((a & LOMASK_((unsigned)sh)) | (T)(b << sh)))

static bool sra_fill(struct decode *dc, unsigned t, unsigned i, unsigned rn, unsigned rd, bool left,
                     const exec_fn tab[4])
{
    int esz = sve2_tsz_esz(t);
    if (esz < 0)
        return false;
    unsigned imm = (t << 3) | i, bits = 8u << esz;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)rd;
    e->n = e->m = (uint8_t)rn;
    e->imm = left ? imm - bits : 2 * bits - imm;
    return sve_set(dc, tab[esz]);
}

bool op_SRA_zzi(struct decode *dc, const struct args_SRA_zzi *a)
{
    static const exec_fn tab[4][4] = { SVE_H4(ssra), SVE_H4(usra), SVE_H4(srsra), SVE_H4(ursra) };
    return sra_fill(dc, a->t, a->i, a->n, a->d, false, tab[a->o]);
}

bool op_SLI_zzi(struct decode *dc, const struct args_SLI_zzi *a)
{
    static const exec_fn tab[2][4] = { SVE_H4(sri), SVE_H4(sli) };
    return sra_fill(dc, a->t, a->i, a->n, a->d, a->L, tab[a->L]);
}

/* ---- SABA/UABA: a = Zda, b = Zn, c = Zm ---------------------------------------------------- */

SVE_ZZZA(saba, a + ((S)b > (S)c ? (T)(b - c) : (T)(c - b)))
SVE_ZZZA(uaba, a + (b > c ? (T)(b - c) : (T)(c - b)))

bool op_ABA_zzz(struct decode *dc, const struct args_ABA_zzz *a)
{
    static const exec_fn tab[2][4] = { SVE_H4(saba), SVE_H4(uaba) };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->U][a->z]);
}

/* ---- CADD / SQCADD: pairs (real, imaginary); c1 = rot270, c2 = saturating ----------------- */

static struct dinsn *x_cadd(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, ne = vl >> esz;
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i += 2) {
        s128 ar = sve_sext(sve_elem(zd, esz, i), esz), ai = sve_sext(sve_elem(zd, esz, i + 1), esz);
        s128 br = sve_sext(sve_elem(zm, esz, i), esz), bi = sve_sext(sve_elem(zm, esz, i + 1), esz);
        /* #90: (ar - bi, ai + br); #270: (ar + bi, ai - br). */
        s128 re = d->c1 ? ar + bi : ar - bi, im = d->c1 ? ai - br : ai + br;
        sve_elem_set(zd, esz, i, d->c2 ? sve_ssat(re, esz) : (uint64_t)re);
        sve_elem_set(zd, esz, i + 1, d->c2 ? sve_ssat(im, esz) : (uint64_t)im);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_CADD_zz(struct decode *dc, const struct args_CADD_zz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_cadd;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->r;
    e->c2 = (uint8_t)a->S;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* ---- TBL (two tables), TBX, constructive EXT ----------------------------------------------- */

/* c1 = TBX (one table, out-of-range indices keep Zd), else TBL {Zn, Zn+1}
 * (out of range: 0); c2 = esz. */
static struct dinsn *x_tbl2(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *t0 = zreg(r, d->n), *t1 = zreg(r, (d->n + 1) % 32), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t k = sve_elem(zm, esz, i), v;
        if (d->c1)
            v = k < ne ? sve_elem(t0, esz, (unsigned)k) : sve_elem(zd, esz, i);
        else
            v = k < ne ? sve_elem(t0, esz, (unsigned)k) : k < 2ull * ne ? sve_elem(t1, esz, (unsigned)(k - ne)) : 0;
        sve_elem_set(res, esz, i, v);
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_TBL2_z(struct decode *dc, const struct args_TBL2_z *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_tbl2;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->X;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* Zd = bytes imm .. imm + VL - 1 of Zn+1 : Zn (an offset past the VL reads from 0). */
static struct dinsn *x_ext2(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t both[2 * SVE_Z_BYTES];
    memcpy(both, zreg(r, d->n), vl);
    memcpy(both + vl, zreg(r, (d->n + 1) % 32), vl);
    unsigned pos = d->imm >= vl ? 0 : (unsigned)d->imm;
    uint8_t *zd = zreg(r, d->d);
    memcpy(zd, both + pos, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_EXT2_z(struct decode *dc, const struct args_EXT2_z *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_ext2;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->imm = a->i;
    return true;
}

/* ---- MATCH / NMATCH, HISTCNT, HISTSEG ------------------------------------------------------- */

/* Active element e of Zn is true if some element of Zm's 128-bit segment
 * holding e equals it (c1 = NMATCH: none does); flags = PredTest(Pg, Pd). */
static struct dinsn *x_match(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz, seg = 16u >> esz;
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    struct pw g = pw_active(preg(r, d->c0), vl, esz), res = { { 0, 0, 0, 0 } };
    for (unsigned i = 0; i < ne; i++) {
        unsigned k = i << esz;
        if (!((g.w[k >> 6] >> (k & 63)) & 1))
            continue;
        uint64_t v = sve_elem(zn, esz, i);
        bool found = false;
        for (unsigned j = i - i % seg; j < i - i % seg + seg; j++)
            found |= sve_elem(zm, esz, j) == v;
        if (found != (bool)d->c1)
            res.w[k >> 6] |= 1ull << (k & 63);
    }
    pw_store(r, preg(r, d->d), &res, vl);
    r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

bool op_MATCH(struct decode *dc, const struct args_MATCH *a)
{
    if (a->z > 1)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_match;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->N;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* Active element e: the number of active elements j <= e with Zm[j] == Zn[e];
 * inactive elements are zeroed. */
static struct dinsn *x_histcnt(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t cnt = 0;
        if (pact(pg, i, 1u << esz)) {
            uint64_t v = sve_elem(zn, esz, i);
            for (unsigned j = 0; j <= i; j++)
                cnt += pact(pg, j, 1u << esz) && sve_elem(zm, esz, j) == v;
        }
        sve_elem_set(res, esz, i, cnt);
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_HISTCNT(struct decode *dc, const struct args_HISTCNT *a)
{
    if (a->z < 2)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_histcnt;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* Byte e: how many bytes of Zm's 128-bit segment holding e equal Zn's byte e. */
static struct dinsn *x_histseg(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < vl; i++) {
        unsigned cnt = 0, base = i & ~15u;
        for (unsigned j = base; j < base + 16; j++)
            cnt += zm[j] == zn[i];
        res[i] = (uint8_t)cnt;
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_HISTSEG(struct decode *dc, const struct args_HISTSEG *a)
{
    if (a->z != 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_histseg;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}
