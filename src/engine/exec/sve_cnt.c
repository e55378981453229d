/*
 * sve_cnt.c - SVE instructions that compute with the vector length: RDVL,
 * ADDVL, ADDPL, INDEX, the element counts CNTB/H/W/D and the increments
 * INC/DEC and their saturating forms SQINC/UQINC/SQDEC/UQDEC, on general
 * registers and on vectors.
 *
 * Arm ARM C8: the count of a pattern (DecodePredCount) is taken at the
 * effective vector length and multiplied by imm4 + 1. The saturating 32-bit
 * forms saturate to 32 bits and then sign-extend (SQ*) or zero-extend (UQ*)
 * into Xd.
 */
#include "engine/exec/sve_ops.h"

/* RDVL: Xd = imm * VL. */
static struct dinsn *x_rdvl(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    r->x[d->d] = d->imm * vl;
    NEXT(d + 1);
}

bool op_RDVL(struct decode *dc, const struct args_RDVL *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_rdvl;
    e->d = slot_wz(a->d);
    e->imm = sext(a->i, 6);
    return true;
}

/* ADDVL / ADDPL: Xd|SP = Xn|SP + imm * VL (c1 = 1: PL = VL / 8). */
static struct dinsn *x_addvl(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    r->x[d->d] = r->x[d->n] + d->imm * (d->c1 ? vl / 8 : vl);
    NEXT(d + 1);
}

bool op_ADDVL(struct decode *dc, const struct args_ADDVL *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_addvl;
    e->d = slot_sp(a->d);
    e->n = slot_sp(a->n);
    e->c1 = (uint8_t)a->o;
    e->imm = sext(a->i, 6);
    return true;
}

/* INDEX: Zd[i] = start + i * step. c1 bit 0: start from X[n], bit 1: step
 * from X[m]; else imm / imm2. c2 = log2 element size. */
static struct dinsn *x_index(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t start = (d->c1 & 1) ? r->x[d->n] : d->imm;
    uint64_t step = (d->c1 & 2) ? r->x[d->m] : d->imm2;
    uint8_t *zd = zreg(r, d->d);
    unsigned esz = d->c2;
    for (unsigned i = 0; i < vl >> esz; i++)
        sve_elem_set(zd, esz, i, start + (uint64_t)i * step);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_INDEX(struct decode *dc, const struct args_INDEX *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_index;
    e->d = (uint8_t)a->d;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)a->z;
    e->n = slot_rz(a->i);
    e->m = slot_rz(a->m);
    e->imm = sext(a->i, 5);
    e->imm2 = sext(a->m, 5);
    return true;
}

/* ---- element counts ------------------------------------------------------------------- */

/* c2 = log2 element size, c3 = pattern, imm = multiplier. */
static inline uint64_t count_of(const struct dinsn *d, unsigned vl)
{
    return (uint64_t)sve_pattern_count(d->c3, vl >> d->c2) * d->imm;
}

static void count_fields(struct dinsn *e, unsigned esz, unsigned pat, unsigned imm4)
{
    e->c2 = (uint8_t)esz;
    e->c3 = (uint8_t)pat;
    e->imm = imm4 + 1;
}

static struct dinsn *x_cnt(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    r->x[d->d] = count_of(d, vl);
    NEXT(d + 1);
}

bool op_CNT_r(struct decode *dc, const struct args_CNT_r *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_cnt;
    e->d = slot_wz(a->d);
    count_fields(e, a->z, a->p, a->i);
    return true;
}

/* INC/DEC Xdn: c1 = 1 decrement. */
static struct dinsn *x_incdec_r(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t c = count_of(d, vl);
    r->x[d->d] = d->c1 ? r->x[d->n] - c : r->x[d->n] + c;
    NEXT(d + 1);
}

bool op_INCDEC_r(struct decode *dc, const struct args_INCDEC_r *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_incdec_r;
    e->d = slot_wz(a->d);
    e->n = slot_rz(a->d);
    e->c1 = (uint8_t)a->D;
    count_fields(e, a->z, a->p, a->i);
    return true;
}

/* Saturating increment/decrement of a scalar: c0 bit 0 = decrement, bit 1 =
 * unsigned, bit 2 = 64-bit. Shared with the predicate-count forms (sve_pred.c). */
uint64_t sve_sat_incdec(uint64_t x, uint64_t c, unsigned flags)
{
    bool dec = flags & 1, uns = flags & 2, x64 = flags & 4;
    __int128 v;
    if (uns)
        v = x64 ? (__int128)x : (__int128)(uint32_t)x;
    else
        v = x64 ? (__int128)(int64_t)x : (__int128)(int32_t)x;
    v = dec ? v - (__int128)c : v + (__int128)c;
    if (x64)
        return uns ? sve_usat(v, 3) : sve_ssat(v, 3);
    if (uns)
        return sve_usat(v, 2);
    return (uint64_t)(int64_t)(int32_t)sve_ssat(v, 2);
}

static struct dinsn *x_sincdec_r(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    r->x[d->d] = sve_sat_incdec(r->x[d->n], count_of(d, vl), d->c1);
    NEXT(d + 1);
}

bool op_SINCDEC_r(struct decode *dc, const struct args_SINCDEC_r *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_sincdec_r;
    e->d = slot_wz(a->d);
    e->n = slot_rz(a->d);
    e->c1 = (uint8_t)(a->D | (!a->U ? 0 : 2) | (a->W ? 4 : 0));
    count_fields(e, a->z, a->p, a->i);
    return true;
}

/* INC/DEC and saturating forms on vector elements: c1 as sve_sat_incdec's
 * flags (bit 3: saturating). */
static struct dinsn *x_incdec_v(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t *zd = zreg(r, d->d);
    unsigned esz = d->c2;
    uint64_t c = count_of(d, vl);
    bool dec = d->c1 & 1, uns = d->c1 & 2, sat = d->c1 & 8;
    for (unsigned i = 0; i < vl >> esz; i++) {
        uint64_t x = sve_elem(zd, esz, i), v;
        if (!sat) {
            v = dec ? x - c : x + c;
        } else if (uns) {
            v = sve_usat(dec ? (__int128)x - (__int128)c : (__int128)x + (__int128)c, esz);
        } else {
            __int128 s = sve_sext(x, esz);
            v = sve_ssat(dec ? s - (__int128)c : s + (__int128)c, esz);
        }
        sve_elem_set(zd, esz, i, v);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_INCDEC_v(struct decode *dc, const struct args_INCDEC_v *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_incdec_v;
    e->d = (uint8_t)a->d;
    e->c1 = (uint8_t)a->D;
    count_fields(e, a->z, a->p, a->i);
    return true;
}

bool op_SINCDEC_v(struct decode *dc, const struct args_SINCDEC_v *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_incdec_v;
    e->d = (uint8_t)a->d;
    e->c1 = (uint8_t)(8 | a->D | (a->U ? 2 : 0));
    count_fields(e, a->z, a->p, a->i);
    return true;
}
