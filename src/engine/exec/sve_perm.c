/*
 * sve_perm.c - SVE vector permutes and element moves: EXT, DUP (scalar and
 * indexed), INSR, REV, SUNPK/UUNPK, TBL, ZIP/UZP/TRN, SEL and the predicated
 * group: CPY (scalar, SIMD&FP scalar), LASTA/LASTB, CLASTA/CLASTB (vector,
 * SIMD&FP scalar, general register), COMPACT, SPLICE, REVB/REVH/REVW/RBIT.
 *
 * Arm ARM C8. Results are built in a scratch vector first, so a destination
 * that is also a source reads the old values. Writes of a SIMD&FP scalar
 * (LASTA/B, CLASTA/B to V) zero the rest of the Z register.
 */
#include "engine/exec/sve_ops.h"

static void zwrite(struct run *r, unsigned zd, const uint8_t *src, unsigned vl)
{
    uint8_t *z = zreg(r, zd);
    memcpy(z, src, vl);
    sve_ztail(r, z, vl);
}

/* Scalar result to Vd: the element, the rest of Zd zero. */
static void vwrite(struct run *r, unsigned vd, uint64_t v, unsigned esz)
{
    uint8_t *z = zreg(r, vd);
    memset(z, 0, sve_vlmax(r));
    memcpy(z, &v, 1u << esz);
}

/* ---- EXT, TBL, SEL, ZIP/UZP/TRN ---------------------------------------------------------- */

static struct dinsn *x_ext(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint8_t cat[2 * SVE_Z_BYTES];
    memcpy(cat, zreg(r, d->d), vl);
    memcpy(cat + vl, zreg(r, d->m), vl);
    unsigned pos = d->imm >= vl ? 0 : (unsigned)d->imm;
    zwrite(r, d->d, cat + pos, vl);
    NEXT(d + 1);
}

bool op_EXT_z(struct decode *dc, const struct args_EXT_z *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_ext;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->imm = a->i;
    return true;
}

static struct dinsn *x_tbl(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        uint64_t k = sve_elem(zm, esz, i);
        sve_elem_set(res, esz, i, k < ne ? sve_elem(zn, esz, (unsigned)k) : 0);
    }
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

bool op_TBL_z(struct decode *dc, const struct args_TBL_z *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_tbl;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c2 = (uint8_t)a->z;
    return true;
}

#define SVE_SEL_1(B)                                                              \
    static struct dinsn *x_sel_##B(struct run *r, struct dinsn *d, uint64_t n)   \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++)                             \
            zd[i] = pact(pg, i, sizeof(T)) ? zn[i] : zm[i];                       \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
SVE_SEL_1(8)
SVE_SEL_1(16)
SVE_SEL_1(32)
SVE_SEL_1(64)

bool op_SEL_z(struct decode *dc, const struct args_SEL_z *a)
{
    static const exec_fn tab[4] = { x_sel_8, x_sel_16, x_sel_32, x_sel_64 };
    struct dinsn *e = dc->e;
    e->fn = tab[a->z];
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    return true;
}

/* c1 = zip1 zip2 uzp1 uzp2 trn1 trn2, c2 = esz. */
static struct dinsn *x_zip(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz, half = ne / 2;
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        unsigned j;
        uint64_t v;
        switch (d->c1) {
        case 0: case 1:
            j = i / 2 + (d->c1 ? half : 0);
            v = sve_elem((i & 1) ? zm : zn, esz, j);
            break;
        case 2: case 3:
            j = 2 * i + (d->c1 & 1);
            v = j < ne ? sve_elem(zn, esz, j) : sve_elem(zm, esz, j - ne);
            break;
        default:
            j = (i & ~1u) + (d->c1 & 1);
            v = sve_elem((i & 1) ? zm : zn, esz, j);
            break;
        }
        sve_elem_set(res, esz, i, v);
    }
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

bool op_ZIP_z(struct decode *dc, const struct args_ZIP_z *a)
{
    if (a->o > 5)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_zip;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* ---- DUP, INSR, REV, UNPK (PERM_zz1), DUP indexed ----------------------------------------- */

/* DUP Zd, Rn|SP: n = run slot. */
static struct dinsn *x_dup_r(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2;
    uint64_t v = r->x[d->n];
    uint8_t *zd = zreg(r, d->d);
    for (unsigned i = 0; i < vl >> esz; i++)
        sve_elem_set(zd, esz, i, v);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

/* INSR: shift up one element, insert X[n] (c1 = 0) or V[n] (c1 = 1) at 0. */
static struct dinsn *x_insr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2;
    uint64_t v = d->c1 ? sve_elem(zreg(r, d->n), esz, 0) : r->x[d->n];
    uint8_t res[SVE_Z_BYTES];
    memcpy(res + (1u << esz), zreg(r, d->d), vl - (1u << esz));
    sve_elem_set(res, esz, 0, v);
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

static struct dinsn *x_rev(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    const uint8_t *zn = zreg(r, d->n);
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++)
        sve_elem_set(res, esz, i, sve_elem(zn, esz, ne - 1 - i));
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

/* SUNPK/UUNPK: c1 bit 0 = high half, bit 1 = unsigned. */
static struct dinsn *x_unpk(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz, base = (d->c1 & 1) ? ne : 0;
    const uint8_t *zn = zreg(r, d->n);
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        uint64_t v = sve_elem(zn, esz - 1, base + i);
        if (!(d->c1 & 2))
            v = (uint64_t)sve_sext(v, esz - 1);
        sve_elem_set(res, esz, i, v);
    }
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

bool op_PERM_zz1(struct decode *dc, const struct args_PERM_zz1 *a)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c2 = (uint8_t)a->z;
    switch (a->o) {
    case 0x00:                              /* DUP (scalar) */
        e->fn = x_dup_r;
        e->n = slot_sp(a->n);
        return true;
    case 0x04:                              /* INSR (scalar) */
        e->fn = x_insr;
        e->n = slot_rz(a->n);
        return true;
    case 0x14:                              /* INSR (SIMD&FP scalar) */
        e->fn = x_insr;
        e->n = (uint8_t)a->n;
        e->c1 = 1;
        return true;
    case 0x18:                              /* REV */
        e->fn = x_rev;
        e->n = (uint8_t)a->n;
        return true;
    case 0x10: case 0x11: case 0x12: case 0x13:   /* SUNPKLO/HI, UUNPKLO/HI */
        if (a->z == 0)
            return false;
        e->fn = x_unpk;
        e->n = (uint8_t)a->n;
        e->c1 = (uint8_t)(a->o & 3);
        return true;
    default:
        return false;
    }
}

/* DUP Zd, Zn[imm]: c2 = log2 element size (4 = Q), imm = index. */
static struct dinsn *x_dup_x(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned e = 1u << d->c2;
    uint8_t res[SVE_Z_BYTES];
    if (d->imm * e >= vl) {
        memset(res, 0, vl);
    } else {
        const uint8_t *src = zreg(r, d->n) + d->imm * e;
        for (unsigned off = 0; off < vl; off += e)
            memcpy(res + off, src, e);
    }
    zwrite(r, d->d, res, vl);
    NEXT(d + 1);
}

bool op_DUP_x(struct decode *dc, const struct args_DUP_x *a)
{
    unsigned tsz = a->i & 0x1f, imm = a->i;      /* i = imm2:tsz */
    if (!tsz)
        return false;
    unsigned esz = (unsigned)__builtin_ctz(tsz);
    struct dinsn *e = dc->e;
    e->fn = x_dup_x;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c2 = (uint8_t)esz;
    e->imm = imm >> (esz + 1);
    return true;
}

/* ---- predicated permutes (PERM_zpz) ------------------------------------------------------------ */

static int last_active_elem(const uint8_t *pg, unsigned esz, unsigned ne)
{
    for (int i = (int)ne - 1; i >= 0; i--)
        if (pact(pg, (unsigned)i, 1u << esz))
            return i;
    return -1;
}

enum { PZ_CPY_V, PZ_CPY_R, PZ_LAST_V, PZ_LAST_R, PZ_CLAST_Z, PZ_CLAST_V, PZ_CLAST_R, PZ_COMPACT, PZ_SPLICE, PZ_REVB,
       PZ_REVH, PZ_REVW, PZ_RBIT };

static uint64_t rev_within(uint64_t v, unsigned esz, unsigned op)
{
    unsigned bits = 8u << esz;
    uint64_t out = 0;
    if (op == PZ_RBIT) {
        for (unsigned b = 0; b < bits; b++)
            if ((v >> b) & 1)
                out |= 1ull << (bits - 1 - b);
        return out;
    }
    unsigned c = op == PZ_REVB ? 8 : op == PZ_REVH ? 16 : 32;    /* container reversed */
    for (unsigned k = 0; k < bits / c; k++) {
        uint64_t part = (v >> (k * c)) & (c == 64 ? ~0ull : ((1ull << c) - 1));
        out |= part << (bits - c - k * c);
    }
    return out;
}

/* c1 = PZ_*, c2 = esz, c3 = 1 for the "B" variants (LASTB, CLASTB). Scalars:
 * d/n are run slots (general registers) or register numbers. */
static struct dinsn *x_pzp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, e = 1u << esz, ne = vl >> esz, op = d->c1;
    const uint8_t *pg = preg(r, d->c0);
    uint8_t res[SVE_Z_BYTES];
    switch (op) {
    case PZ_CPY_V: case PZ_CPY_R: {
        uint64_t v = op == PZ_CPY_V ? sve_elem(zreg(r, d->n), esz, 0) : r->x[d->n];
        memcpy(res, zreg(r, d->d), vl);
        for (unsigned i = 0; i < ne; i++)
            if (pact(pg, i, e))
                sve_elem_set(res, esz, i, v);
        zwrite(r, d->d, res, vl);
        NEXT(d + 1);
    }
    case PZ_LAST_V: case PZ_LAST_R: case PZ_CLAST_Z: case PZ_CLAST_V: case PZ_CLAST_R: {
        bool cond = op >= PZ_CLAST_Z;
        int last = last_active_elem(pg, esz, ne);
        const uint8_t *src = zreg(r, cond ? d->m : d->n);
        uint64_t v;
        if (cond && last < 0) {
            /* No active element: the destination's own value (scalar forms keep
             * its low element, zero-extended). */
            if (op == PZ_CLAST_Z) {
                memcpy(res, zreg(r, d->d), vl);
                zwrite(r, d->d, res, vl);
                NEXT(d + 1);
            }
            v = op == PZ_CLAST_V ? sve_elem(zreg(r, d->d), esz, 0) : sve_zext(r->x[d->a], esz);
        } else {
            if (!d->c3) {                   /* A: the element after the last active one */
                last++;
                if ((unsigned)last >= ne)
                    last = 0;
            } else if (last < 0) {
                last = (int)ne - 1;          /* LASTB without active elements */
            }
            v = sve_elem(src, esz, (unsigned)last);
        }
        if (op == PZ_CLAST_Z) {
            for (unsigned i = 0; i < ne; i++)
                sve_elem_set(res, esz, i, v);
            zwrite(r, d->d, res, vl);
        } else if (op == PZ_LAST_V || op == PZ_CLAST_V) {
            vwrite(r, d->d, v, esz);
        } else {
            r->x[d->d] = v;
        }
        NEXT(d + 1);
    }
    case PZ_COMPACT: {
        const uint8_t *zn = zreg(r, d->n);
        unsigned x = 0;
        memset(res, 0, vl);
        for (unsigned i = 0; i < ne; i++)
            if (pact(pg, i, e))
                sve_elem_set(res, esz, x++, sve_elem(zn, esz, i));
        zwrite(r, d->d, res, vl);
        NEXT(d + 1);
    }
    case PZ_SPLICE: {
        const uint8_t *z1 = zreg(r, d->d), *z2 = zreg(r, d->m);
        int lastnum = last_active_elem(pg, esz, ne);
        unsigned x = 0;
        bool act = false;
        for (int i = 0; i <= lastnum; i++) {
            act = act || pact(pg, (unsigned)i, e);
            if (act)
                sve_elem_set(res, esz, x++, sve_elem(z1, esz, (unsigned)i));
        }
        for (unsigned i = 0; x < ne; i++)
            sve_elem_set(res, esz, x++, sve_elem(z2, esz, i));
        zwrite(r, d->d, res, vl);
        NEXT(d + 1);
    }
    default: {                              /* REVB/H/W, RBIT (merging) */
        const uint8_t *zn = zreg(r, d->n);
        memcpy(res, zreg(r, d->d), vl);
        for (unsigned i = 0; i < ne; i++)
            if (pact(pg, i, e))
                sve_elem_set(res, esz, i, rev_within(sve_elem(zn, esz, i), esz, op));
        zwrite(r, d->d, res, vl);
        NEXT(d + 1);
    }
    }
}

bool op_PERM_zpz(struct decode *dc, const struct args_PERM_zpz *a)
{
    struct dinsn *e = dc->e;
    unsigned o = a->o, z = a->z;
    e->fn = x_pzp;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)z;
    e->c3 = (uint8_t)(o & 1);
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->n;                   /* the vector source of the CLAST forms (bits 9:5) */
    if (!a->R) {
        switch (o) {
        case 0x00: e->c1 = PZ_CPY_V; return true;
        case 0x01:
            if (z < 2)
                return false;
            e->c1 = PZ_COMPACT;
            e->c3 = 0;
            return true;
        case 0x02: case 0x03: e->c1 = PZ_LAST_V; return true;
        case 0x08: case 0x09: e->c1 = PZ_CLAST_Z; return true;
        case 0x0a: case 0x0b: e->c1 = PZ_CLAST_V; return true;
        case 0x0c: e->c1 = PZ_SPLICE; e->c3 = 0; return true;
        case 0x04: if (z < 1) return false; e->c1 = PZ_REVB; e->c3 = 0; return true;
        case 0x05: if (z < 2) return false; e->c1 = PZ_REVH; e->c3 = 0; return true;
        case 0x06: if (z < 3) return false; e->c1 = PZ_REVW; e->c3 = 0; return true;
        case 0x07: e->c1 = PZ_RBIT; e->c3 = 0; return true;
        default: return false;
        }
    }
    switch (o) {
    case 0x00: case 0x01:                   /* LASTA/LASTB (general register) */
        e->c1 = PZ_LAST_R;
        e->d = slot_wz(a->d);
        return true;
    case 0x08:                              /* CPY (scalar): Rn|SP */
        e->c1 = PZ_CPY_R;
        e->c3 = 0;
        e->n = slot_sp(a->n);
        return true;
    case 0x10: case 0x11:                   /* CLASTA/CLASTB (general register) */
        e->c1 = PZ_CLAST_R;
        e->d = slot_wz(a->d);
        e->a = slot_rz(a->d);
        return true;
    default:
        return false;
    }
}
