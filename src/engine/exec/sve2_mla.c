/*
 * sve2_mla.c - SVE2 integer multiply-add: multiply-add long (SMLALB..
 * UMLSLT), saturating doubling multiply-add long (SQDMLALB.., SQDMLALBT,
 * SQDMLSLBT), saturating rounding doubling multiply-add high (SQRDMLAH,
 * SQRDMLSH), complex multiply-add (CMLA, SQRDCMLAH), and the indexed forms:
 * MLA, MLS, SQRDMLAH, SQRDMLSH, SQDMULH, SQRDMULH, MUL, and the long
 * SMLAL.., SMULL.., SQDMULL.., SQDMLAL...
 *
 * Source: Arm ARM C8. The doubling forms saturate the doubled product, then
 * the sum (SQDMLAL: two saturations). The rounding-high forms compute
 * (acc << esize) +/- 2 * a * b + (1 << (esize - 1)), all divided by two
 * here so that 64-bit elements fit an s128 exactly. Indexed forms take the
 * element of Zm at the index within each 128-bit segment.
 */
#include "engine/exec/sve2_ops.h"

/* (acc * 2^esize + sign * 2 * x * y + 2^(esize - 1)) >> esize, saturated. */
static inline uint64_t rdmlah(int64_t acc, int64_t x, int64_t y, bool sub, unsigned esz)
{
    unsigned bits = 8u << esz;
    s128 p = (s128)x * y;
    s128 v = (s128)acc * ((s128)1 << (bits - 1)) + (sub ? -p : p) + ((s128)1 << (bits - 2));
    return sve_ssat(v >> (bits - 1), esz);
}

/* SignedSat(2 * x * y) at esz (the doubling product). */
static inline s128 dmul_sat(int64_t x, int64_t y, unsigned esz)
{
    return (s128)sve_sext(sve_ssat(2 * (s128)x * y, esz), esz);
}

/* ---- long, vectors (SVE_LONG: a = Zn half, b = Zm half, c = Zda) --------------------------------- */

#define SX(v) ((int64_t)(SH)(v))
SVE_LONG(smlal, c + (uint64_t)SX(a) * (uint64_t)SX(b))
SVE_LONG(umlal, c + (uint64_t)a * b)
SVE_LONG(smlsl, c - (uint64_t)SX(a) * (uint64_t)SX(b))
SVE_LONG(umlsl, c - (uint64_t)a * b)
SVE_LONG(sqdmlal, SSAT((s128)(S)c + dmul_sat(SX(a), SX(b), SVE2_ESZ)))
SVE_LONG(sqdmlsl, SSAT((s128)(S)c - dmul_sat(SX(a), SX(b), SVE2_ESZ)))

static bool mlal_fill(struct decode *dc, unsigned rd, unsigned rn, unsigned rm, unsigned tn, unsigned tm,
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

bool op_MLAL_zzzw(struct decode *dc, const struct args_MLAL_zzzw *a)
{
    static const exec_fn tab[4][4] = { SVE_L3(smlal), SVE_L3(umlal), SVE_L3(smlsl), SVE_L3(umlsl) };
    unsigned t = a->o & 1;
    return mlal_fill(dc, a->d, a->n, a->m, t, t, tab[a->o >> 1][a->z]);
}

bool op_SQDMLAL_zzzw(struct decode *dc, const struct args_SQDMLAL_zzzw *a)
{
    static const exec_fn tab[2][4] = { SVE_L3(sqdmlal), SVE_L3(sqdmlsl) };
    unsigned t = a->o & 1;
    return mlal_fill(dc, a->d, a->n, a->m, t, t, tab[a->o >> 1][a->z]);
}

bool op_SQDMLALBT(struct decode *dc, const struct args_SQDMLALBT *a)
{
    static const exec_fn tab[2][4] = { SVE_L3(sqdmlal), SVE_L3(sqdmlsl) };
    return mlal_fill(dc, a->d, a->n, a->m, 0, 1, tab[a->S][a->z]);     /* Zn bottom, Zm top */
}

/* ---- same size, vectors ---------------------------------------------------------------------- */

SVE_ZZZA(sqrdmlah, rdmlah((S)a, (S)b, (S)c, false, SVE2_ESZ))
SVE_ZZZA(sqrdmlsh, rdmlah((S)a, (S)b, (S)c, true, SVE2_ESZ))

bool op_SQRDMLAH_zzzz(struct decode *dc, const struct args_SQRDMLAH_zzzz *a)
{
    static const exec_fn tab[2][4] = { SVE_H4(sqrdmlah), SVE_H4(sqrdmlsh) };
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return sve_set(dc, tab[a->S][a->z]);
}

/* CMLA / SQRDCMLAH on pairs (real, imaginary), rotation c1 (x 90 degrees):
 * the real part adds +/- Zn[sel_a] * Zm[sel_a], the imaginary part
 * +/- Zn[sel_a] * Zm[sel_b], sel_a = rot<0>, sel_b = !rot<0>, negated
 * real for rot 1, 2 and imaginary for rot 2, 3 (Arm ARM CMLA). c2 = SQRDCMLAH. */
static struct dinsn *x_cmla(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, ne = vl >> esz, rot = d->c1;
    unsigned sa = rot & 1, sb = sa ^ 1;
    bool neg_i = rot >> 1, neg_r = (rot & 1) != (rot >> 1);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i += 2) {
        int64_t x = sve_sext(sve_elem(zn, esz, i + sa), esz);
        int64_t ya = sve_sext(sve_elem(zm, esz, i + sa), esz), yb = sve_sext(sve_elem(zm, esz, i + sb), esz);
        int64_t ar = sve_sext(sve_elem(zd, esz, i), esz), ai = sve_sext(sve_elem(zd, esz, i + 1), esz);
        uint64_t re, im;
        if (d->c2) {
            re = rdmlah(ar, x, ya, neg_r, esz);
            im = rdmlah(ai, x, yb, neg_i, esz);
        } else {
            uint64_t pr = (uint64_t)x * (uint64_t)ya, pi = (uint64_t)x * (uint64_t)yb;
            re = (uint64_t)ar + (neg_r ? -pr : pr);
            im = (uint64_t)ai + (neg_i ? -pi : pi);
        }
        sve_elem_set(zd, esz, i, re);
        sve_elem_set(zd, esz, i + 1, im);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_CMLA_zzzz(struct decode *dc, const struct args_CMLA_zzzz *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_cmla;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->r;
    e->c2 = (uint8_t)a->Q;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* ---- indexed, same size: c1 = op, c3 = esz, imm = index ------------------------------------------- */

enum { IX_MLA, IX_MLS, IX_SQRDMLAH, IX_SQRDMLSH, IX_SQDMULH, IX_SQRDMULH, IX_MUL };

static struct dinsn *x_idx(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, ne = vl >> esz, seg = 16u >> esz, bits = 8u << esz;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t x = sve_elem(zn, esz, i), y = sve_elem(zm, esz, i - i % seg + (unsigned)d->imm);
        uint64_t acc = sve_elem(zd, esz, i), v;
        int64_t sx = sve_sext(x, esz), sy = sve_sext(y, esz);
        switch (d->c1) {
        case IX_MLA: v = acc + x * y; break;
        case IX_MLS: v = acc - x * y; break;
        case IX_SQRDMLAH: v = rdmlah(sve_sext(acc, esz), sx, sy, false, esz); break;
        case IX_SQRDMLSH: v = rdmlah(sve_sext(acc, esz), sx, sy, true, esz); break;
        case IX_SQDMULH: v = sve_ssat((2 * (s128)sx * sy) >> bits, esz); break;
        case IX_SQRDMULH: v = rdmlah(0, sx, sy, false, esz); break;
        default: v = x * y; break;
        }
        sve_elem_set(res, esz, i, v);
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

static bool idx_fill(struct decode *dc, unsigned z, unsigned m, unsigned rn, unsigned rd, unsigned op)
{
    unsigned esz, idx, zm;
    sve2_idx(z, m, &esz, &idx, &zm);
    struct dinsn *e = dc->e;
    e->fn = x_idx;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)zm;
    e->c1 = (uint8_t)op;
    e->c3 = (uint8_t)esz;
    e->imm = idx;
    return true;
}

bool op_MLA_zzxz(struct decode *dc, const struct args_MLA_zzxz *a)
{
    return idx_fill(dc, a->z, a->m, a->n, a->d, a->S ? IX_MLS : IX_MLA);
}

bool op_SQRDMLAH_zzxz(struct decode *dc, const struct args_SQRDMLAH_zzxz *a)
{
    return idx_fill(dc, a->z, a->m, a->n, a->d, a->S ? IX_SQRDMLSH : IX_SQRDMLAH);
}

bool op_MUL_zzx(struct decode *dc, const struct args_MUL_zzx *a)
{
    static const unsigned ops[3] = { IX_SQDMULH, IX_SQRDMULH, IX_MUL };
    if (a->o == 3)
        return false;
    return idx_fill(dc, a->z, a->m, a->n, a->d, ops[a->o]);
}

/* ---- indexed, long: Zd.T[i] from Zn.H[2i + c2] and Zm.H[segment + index] ------------------------ */

enum { LX_SMLAL, LX_UMLAL, LX_SMLSL, LX_UMLSL, LX_SMULL, LX_UMULL, LX_SQDMULL, LX_SQDMLAL, LX_SQDMLSL };

static struct dinsn *x_long_idx(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c3, h = esz - 1, ne = vl >> esz, seg = 16u >> h;
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i++) {
        unsigned k = 2 * i + d->c2;
        uint64_t x = sve_elem(zn, h, k), y = sve_elem(zm, h, k - k % seg + (unsigned)d->imm);
        int64_t sx = sve_sext(x, h), sy = sve_sext(y, h);
        uint64_t acc = sve_elem(zd, esz, i), v;
        switch (d->c1) {
        case LX_SMLAL: v = acc + (uint64_t)sx * (uint64_t)sy; break;
        case LX_UMLAL: v = acc + x * y; break;
        case LX_SMLSL: v = acc - (uint64_t)sx * (uint64_t)sy; break;
        case LX_UMLSL: v = acc - x * y; break;
        case LX_SMULL: v = (uint64_t)sx * (uint64_t)sy; break;
        case LX_UMULL: v = x * y; break;
        case LX_SQDMULL: v = (uint64_t)dmul_sat(sx, sy, esz); break;
        case LX_SQDMLAL: v = sve_ssat((s128)sve_sext(acc, esz) + dmul_sat(sx, sy, esz), esz); break;
        default: v = sve_ssat((s128)sve_sext(acc, esz) - dmul_sat(sx, sy, esz), esz); break;
        }
        sve_elem_set(res, esz, i, v);
    }
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

/* z = 10: .s from .h, index m<4:3>:i, Zm m<2:0>; z = 11: .d from .s, index m<4>:i, Zm m<3:0>. */
static bool long_idx_fill(struct decode *dc, unsigned z, unsigned m, unsigned i, unsigned t, unsigned rn,
                          unsigned rd, unsigned op)
{
    if (z < 2)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_long_idx;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    if (z == 2) {
        e->m = (uint8_t)(m & 7);
        e->imm = ((m >> 3) << 1) | i;
    } else {
        e->m = (uint8_t)(m & 15);
        e->imm = ((m >> 4) << 1) | i;
    }
    e->c1 = (uint8_t)op;
    e->c2 = (uint8_t)t;
    e->c3 = (uint8_t)z;
    return true;
}

bool op_MLAL_zzxw(struct decode *dc, const struct args_MLAL_zzxw *a)
{
    return long_idx_fill(dc, a->z, a->m, a->i, a->T, a->n, a->d, LX_SMLAL + a->o);
}

bool op_MULL_zzx(struct decode *dc, const struct args_MULL_zzx *a)
{
    return long_idx_fill(dc, a->z, a->m, a->i, a->T, a->n, a->d, a->U ? LX_UMULL : LX_SMULL);
}

bool op_SQDMULL_zzx(struct decode *dc, const struct args_SQDMULL_zzx *a)
{
    return long_idx_fill(dc, a->z, a->m, a->i, a->T, a->n, a->d, LX_SQDMULL);
}

bool op_SQDMLAL_zzxw(struct decode *dc, const struct args_SQDMLAL_zzxw *a)
{
    return long_idx_fill(dc, a->z, a->m, a->i, a->T, a->n, a->d, a->S ? LX_SQDMLSL : LX_SQDMLAL);
}
