/*
 * sve_fpcvt.c - SVE floating-point reductions (FADDV, FMAXV, FMINV,
 * FMAXNMV, FMINNMV, the ordered FADDA), compares producing predicates
 * (FCM<cc> against vectors and zero, FACGE/FACGT, FCMUO), the predicated
 * unary operations (FRINT*, FSQRT, FRECPX, FCVT between precisions, SCVTF /
 * UCVTF, FCVTZS / FCVTZU) and the estimates FRECPE / FRSQRTE.
 *
 * Arm ARM C8 and the pseudocode: the unordered reductions combine pairwise
 * as a tree over the VL rounded up to a power of two, inactive and padding
 * elements being the identity (+0.0 for FADDV, -inf / +inf for FMAXV /
 * FMINV, the default NaN for FMAXNMV / FMINNMV); FADDA adds the active
 * elements in order. Conversions between element sizes use the larger size
 * as the container: narrower results are zero-extended (FP) or sign/zero-
 * extended (integers), narrower sources are the low bits.
 */
#include "engine/exec/sve_ops.h"
#include "engine/exec/fp_soft.h"
#include "engine/exec/sve_fpfast.h"

static inline void fp_vwrite(struct run *r, unsigned vd, uint64_t v, unsigned sz)
{
    uint8_t *z = zreg(r, vd);
    memset(z, 0, sve_vlmax(r));
    memcpy(z, &v, 1u << sz);
}

/* ---- reductions -------------------------------------------------------------------------------- */

enum { RD_ADD, RD_MAXNM, RD_MINNM, RD_MAX, RD_MIN };

static uint64_t red_op(struct fpst *s, unsigned sz, unsigned op, uint64_t a, uint64_t b)
{
    switch (op) {
    case RD_ADD: return fp_add_z(s, sz, a, b);
    case RD_MAXNM: return sve_fmaxmin(s, sz, a, b, true, true);
    case RD_MINNM: return sve_fmaxmin(s, sz, a, b, false, true);
    case RD_MAX: return sve_fmaxmin(s, sz, a, b, true, false);
    default: return sve_fmaxmin(s, sz, a, b, false, false);
    }
}

/* c1 = RD_*, c2 = size. */
static struct dinsn *x_fred(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c2, ne = vl >> sz, p2 = 1, op = d->c1;
    while (p2 < ne)
        p2 *= 2;
    uint64_t id, v[SVE_Z_BYTES / 2];
    switch (op) {
    case RD_ADD: id = 0; break;
    case RD_MAX: id = fp_inf(sz, 1); break;
    case RD_MIN: id = fp_inf(sz, 0); break;
    default: id = fp_default_nan(sz); break;
    }
    const uint8_t *zn = zreg(r, d->n), *pg = preg(r, d->c0);
    for (unsigned i = 0; i < p2; i++)
        v[i] = i < ne && pact(pg, i, 1u << sz) ? sve_elem(zn, sz, i) : id;
    struct fpst st;
    fpst_init(&st, r->cpu);
    /* Reduce(x) = op(Reduce(low half), Reduce(high half)): bottom-up, adjacent
     * pairs first, the lower one as the first operand (NaN order, rounding). */
    for (unsigned m = p2; m > 1; m /= 2)
        for (unsigned i = 0; i < m / 2; i++)
            v[i] = red_op(&st, sz, op, v[2 * i], v[2 * i + 1]);
    fpst_done(&st, r->cpu);
    fp_vwrite(r, d->d, v[0], sz);
    NEXT(d + 1);
}

bool op_FP_red(struct decode *dc, const struct args_FP_red *a)
{
    static const signed char ops[8] = { RD_ADD, -1, -1, -1, RD_MAXNM, RD_MINNM, RD_MAX, RD_MIN };
    if (a->z == 0 || ops[a->o] < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fred;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)ops[a->o];
    e->c2 = (uint8_t)a->z;
    return true;
}

static struct dinsn *x_fadda(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c2;
    const uint8_t *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    uint64_t acc = sve_elem(zreg(r, d->d), sz, 0);
    struct fpst st;
    fpst_init(&st, r->cpu);
    for (unsigned i = 0; i < vl >> sz; i++)
        if (pact(pg, i, 1u << sz))
            acc = fp_add_z(&st, sz, acc, sve_elem(zm, sz, i));
    fpst_done(&st, r->cpu);
    fp_vwrite(r, d->d, acc, sz);
    NEXT(d + 1);
}

bool op_FADDA(struct decode *dc, const struct args_FADDA *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fadda;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* ---- compares -------------------------------------------------------------------------------------- */

enum { FC_GE, FC_GT, FC_EQ, FC_NE, FC_UO, FC_ACGE, FC_ACGT, FC_LT, FC_LE };

static bool fcmp(struct fpst *s, unsigned sz, unsigned cc, uint64_t a, uint64_t b)
{
    switch (cc) {
    case FC_GE: return fp_cmp_ge(s, sz, a, b, false);
    case FC_GT: return fp_cmp_gt(s, sz, a, b, false);
    case FC_EQ: return fp_cmp_eq(s, sz, a, b);
    case FC_NE: return !fp_cmp_eq(s, sz, a, b);
    case FC_UO: return fp_compare(s, sz, a, b, false) == 0x3;
    case FC_ACGE: return fp_cmp_ge(s, sz, a, b, true);
    case FC_ACGT: return fp_cmp_gt(s, sz, a, b, true);
    case FC_LT: return fp_cmp_gt(s, sz, b, a, false);
    default: return fp_cmp_ge(s, sz, b, a, false);
    }
}

/* c1 = FC_*, c2 = size, c3 = 1: against zero. Predicate result, no flags. */
static struct dinsn *x_fcmp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c2, eb = 1u << sz;
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    struct pw res = { { 0, 0, 0, 0 } };
    struct fpst st;
    fpst_init(&st, r->cpu);
    for (unsigned i = 0; i < vl >> sz; i++) {
        if (!pact(pg, i, eb))
            continue;
        uint64_t b = d->c3 ? 0 : sve_elem(zm, sz, i);
        if (fcmp(&st, sz, d->c1, sve_elem(zn, sz, i), b))
            res.w[(i * eb) >> 6] |= 1ull << ((i * eb) & 63);
    }
    fpst_done(&st, r->cpu);
    pw_store(r, preg(r, d->d), &res, vl);
    NEXT(d + 1);
}

static bool fcmp_fill(struct decode *dc, unsigned cc, unsigned z, unsigned pd, unsigned pg, unsigned zn, unsigned zm,
                      bool zero)
{
    if (z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcmp;
    e->d = (uint8_t)pd;
    e->c0 = (uint8_t)pg;
    e->n = (uint8_t)zn;
    e->m = (uint8_t)zm;
    e->c1 = (uint8_t)cc;
    e->c2 = (uint8_t)z;
    e->c3 = zero;
    return true;
}

bool op_FCMP_ppz0(struct decode *dc, const struct args_FCMP_ppz0 *a)
{
    static const signed char cc[4][2] = { { FC_GE, FC_GT }, { FC_LT, FC_LE }, { FC_EQ, -1 }, { FC_NE, -1 } };
    int c = cc[a->o][a->N];
    if (c < 0)
        return false;
    return fcmp_fill(dc, (unsigned)c, a->z, a->d, a->g, a->n, 0, true);
}

bool op_FCMP_ppzz(struct decode *dc, const struct args_FCMP_ppzz *a)
{
    static const signed char cc[4][2] = { { FC_GE, FC_GT }, { FC_EQ, FC_NE }, { FC_UO, FC_ACGE }, { -1, FC_ACGT } };
    int c = cc[a->o][a->N];
    if (c < 0)
        return false;
    return fcmp_fill(dc, (unsigned)c, a->z, a->d, a->g, a->n, a->m, false);
}

/* ---- predicated unary ------------------------------------------------------------------------------ */

enum { UN_FRINT, UN_FRECPX, UN_FSQRT, UN_FCVT, UN_SCVTF, UN_FCVTZS };

/* c1 = UN_*, c2 = container esz, c3 = from size | to size << 2 (FP sizes
 * 1..3 or integer sizes as log2 bytes), imm = rounding (FRINT) | exact << 8
 * | unsigned << 9. */
static struct dinsn *x_fun(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, eb = 1u << esz, from = d->c3 & 3, to = d->c3 >> 2;
    enum fp_rounding rnd = (enum fp_rounding)(d->imm & 0xff);
    bool exact = (d->imm >> 8) & 1, uns = (d->imm >> 9) & 1;
    const uint8_t *zn = zreg(r, d->n), *pg = preg(r, d->c0);
    uint8_t *zd = zreg(r, d->d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    if (rnd == (enum fp_rounding)0xff)
        rnd = fp_rmode(&st);                /* FPCR rounding (FRINTX, FRINTI, conversions) */
    for (unsigned i = 0; i < vl >> esz; i++) {
        if (!pact(pg, i, eb))
            continue;
        uint64_t x = sve_elem(zn, esz, i), v;
        if (from < esz)
            x &= (1ull << (8u << from)) - 1;  /* the low part of the container */
        switch (d->c1) {
        case UN_FRINT: v = fp_round_int(&st, esz, x, rnd, exact); break;
        case UN_FRECPX: v = fp_recpx(&st, esz, x); break;
        case UN_FSQRT: v = fp_sqrt(&st, esz, x); break;       /* the exact path (not hot) */
        case UN_FCVT: v = fp_convert(&st, from, to, x, rnd); break;
        case UN_SCVTF: v = fp_from_fixed(&st, to, x, 0, uns, 8u << from, rnd); break;
        default:
            v = fp_to_fixed(&st, from, x, 0, uns, FPR_ZERO, 8u << to);
            if (!uns && to < esz)
                v = (uint64_t)sve_sext(v, to);   /* sign-extended into the container */
            break;
        }
        sve_elem_set(zd, esz, i, v);
    }
    fpst_done(&st, r->cpu);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

static bool fun_fill(struct decode *dc, const struct args_FP_unary *a, unsigned op, unsigned esz, unsigned from,
                     unsigned to, unsigned rnd, bool exact, bool uns)
{
    struct dinsn *e = dc->e;
    e->fn = x_fun;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)op;
    e->c2 = (uint8_t)esz;
    e->c3 = (uint8_t)(from | to << 2);
    e->imm = rnd | (exact ? 1u << 8 : 0) | (uns ? 1u << 9 : 0);
    return true;
}

#define RND_FPCR 0xffu

bool op_FP_unary(struct decode *dc, const struct args_FP_unary *a)
{
    unsigned o = a->o, z = a->z;
    if (o < 8) {                            /* FRINTN P M Z A - X I */
        static const int rnds[8] = { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO, FPR_TIEAWAY, -1, RND_FPCR, RND_FPCR };
        if (z == 0 || rnds[o] < 0)
            return false;
        return fun_fill(dc, a, UN_FRINT, z, z, z, (unsigned)rnds[o], o == 6, false);
    }
    if (o == 0x0c || o == 0x0d) {           /* FRECPX, FSQRT */
        if (z == 0)
            return false;
        return fun_fill(dc, a, o == 0x0c ? UN_FRECPX : UN_FSQRT, z, z, z, RND_FPCR, false, false);
    }
    if ((o & 0x1c) == 0x08) {               /* FCVT: size:opc -> from, to */
        static const signed char cv[4][4][2] = {
            [2] = { { 2, 1 }, { 1, 2 }, { -1, -1 }, { -1, -1 } },
            [3] = { { 3, 1 }, { 1, 3 }, { 3, 2 }, { 2, 3 } },
        };
        int from = cv[z][o & 3][0], to = cv[z][o & 3][1];
        if (from < 0 || (z != 2 && z != 3))
            return false;
        return fun_fill(dc, a, UN_FCVT, (unsigned)(from > to ? from : to), (unsigned)from, (unsigned)to, RND_FPCR,
                        false, false);
    }
    if ((o & 0x18) == 0x10 || (o & 0x18) == 0x18) {
        /* SCVTF/UCVTF (o = 10 opc U), FCVTZS/FCVTZU (o = 11 opc U): size:opc -> integer and FP sizes. */
        static const signed char fpsz[4][4] = { { -1, -1, -1, -1 }, { -1, 1, 1, 1 }, { -1, -1, 2, -1 }, { 3, -1, 2, 3 } };
        static const signed char isz[4][4] = { { -1, -1, -1, -1 }, { -1, 1, 2, 3 }, { -1, -1, 2, -1 }, { 2, -1, 3, 3 } };
        unsigned opc = (o >> 1) & 3;
        int f = fpsz[z][opc], i = isz[z][opc];
        if (f < 0)
            return false;
        unsigned esz = (unsigned)(f > i ? f : i);
        bool uns = o & 1;
        if ((o & 0x18) == 0x10)
            return fun_fill(dc, a, UN_SCVTF, esz, (unsigned)i, (unsigned)f, RND_FPCR, false, uns);
        return fun_fill(dc, a, UN_FCVTZS, esz, (unsigned)f, (unsigned)i, FPR_ZERO, false, uns);
    }
    return false;
}

/* ---- estimates (unpredicated): c1 = 0 FRECPE, 1 FRSQRTE ----------------------------------------------- */

static struct dinsn *x_fest(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c2;
    const uint8_t *zn = zreg(r, d->n);
    uint8_t *zd = zreg(r, d->d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    for (unsigned i = 0; i < vl >> sz; i++) {
        uint64_t x = sve_elem(zn, sz, i);
        sve_elem_set(zd, sz, i, d->c1 ? fp_rsqrte(&st, sz, x) : fp_recpe(&st, sz, x));
    }
    fpst_done(&st, r->cpu);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FP_est(struct decode *dc, const struct args_FP_est *a)
{
    if (a->z == 0 || a->o < 6)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fest;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c1 = (uint8_t)(a->o & 1);
    e->c2 = (uint8_t)a->z;
    return true;
}
