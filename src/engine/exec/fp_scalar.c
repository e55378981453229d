/*
 * fp_scalar.c - the scalar floating-point instructions (Arm ARM C4.1.96):
 * data processing with one, two and three sources, FCMP/FCMPE, FCCMP/FCCMPE,
 * FCSEL, FCVT between precisions, and conversions between floating point and
 * general registers (FCVT[NPMZA][SU], SCVTF/UCVTF, fixed-point forms, FJCVTZS).
 *
 * One- and two-source operations run the lane loops of simd_fp.c on a single
 * lane (c1 = element bytes); the rest have their own handlers here. ftype
 * 00 = single, 01 = double, 11 = half (arithmetic on half needs FEAT_FP16;
 * FCVT to and from half is base FP).
 */
#include "engine/exec/simd_shape.h"
#include "engine/exec/alu.h"
#include "a64_args.h"

/* Lane tables of simd_fp.c. */
extern const exec_fn t_FADD[4], t_FSUB[4], t_FMUL[4], t_FDIV[4], t_FNMUL[4], t_FMAX[4], t_FMIN[4],
    t_FMAXNM[4], t_FMINNM[4], t_FABS[4], t_FNEG[4], t_FSQRT[4], t_FRINT[4], t_FRINTX[4], t_FRINTI[4],
    t_FRINT32[4], t_FRINT64[4];

/* Low `bytes` (2, 4 or 8) of V[i] (fixed-size loads: no memcpy call). */
static inline uint64_t vget(struct run *r, unsigned i, unsigned bytes)
{
    uint64_t x;
    memcpy(&x, vreg(r, i), 8);
    return bytes == 8 ? x : x & ((1ull << (8 * bytes)) - 1);
}

/* ftype -> size (log2 bytes), or -1; half only with FEAT_FP16 unless cvt. */
static int ftype_size(struct decode *dc, unsigned t, bool cvt)
{
    switch (t) {
    case 0: return 2;
    case 1: return 3;
    case 3: return (cvt || (dc->features & A64_FEAT_FP16)) ? 1 : -1;
    default: return -1;
    }
}

static bool dec_fp_lane(struct decode *dc, const exec_fn *tab, unsigned t, uint32_t rd, uint32_t rn, uint32_t rm,
                        unsigned rnd)
{
    int sz = ftype_size(dc, t, false);
    if (sz < 0)
        return false;
    if (!simd_dec_lanes(dc, tab, SZ_ALL, (unsigned)sz, 1u << sz, rd, rn, rm))
        return false;
    dc->e->c2 = (uint8_t)rnd;
    return true;
}

#define OP_FP2(N)                                                                \
    bool op_##N##_fp(struct decode *dc, const struct args_##N##_fp *a)           \
    {                                                                            \
        return dec_fp_lane(dc, t_##N, a->t, a->d, a->n, a->m, 0);                \
    }
OP_FP2(FADD) OP_FP2(FSUB) OP_FP2(FMUL) OP_FP2(FDIV) OP_FP2(FNMUL) OP_FP2(FMAX) OP_FP2(FMIN) OP_FP2(FMAXNM)
OP_FP2(FMINNM)

#define OP_FP1(N, T, RND)                                                        \
    bool op_##N##_fp(struct decode *dc, const struct args_##N##_fp *a)           \
    {                                                                            \
        return dec_fp_lane(dc, t_##T, a->t, a->d, a->n, 0, RND);                 \
    }
OP_FP1(FABS, FABS, 0) OP_FP1(FNEG, FNEG, 0) OP_FP1(FSQRT, FSQRT, 0)
OP_FP1(FRINTN, FRINT, FPR_TIEEVEN) OP_FP1(FRINTP, FRINT, FPR_POSINF) OP_FP1(FRINTM, FRINT, FPR_NEGINF)
OP_FP1(FRINTZ, FRINT, FPR_ZERO) OP_FP1(FRINTA, FRINT, FPR_TIEAWAY) OP_FP1(FRINTX, FRINTX, 0)
OP_FP1(FRINTI, FRINTI, 0)
/* FRINT32Z/X, FRINT64Z/X (FEAT_FRINTTS): single and double only (ftype 1x is unallocated). */
#define OP_FRINTTS(N, T, RND)                                                    \
    bool op_##N##_fp(struct decode *dc, const struct args_##N##_fp *a)           \
    {                                                                            \
        return a->t < 2 && dec_fp_lane(dc, t_##T, a->t, a->d, a->n, 0, RND);      \
    }
OP_FRINTTS(FRINT32Z, FRINT32, FPR_ZERO) OP_FRINTTS(FRINT32X, FRINT32, 5) OP_FRINTTS(FRINT64Z, FRINT64, FPR_ZERO)
OP_FRINTTS(FRINT64X, FRINT64, 5)

/* ---- FMADD / FMSUB / FNMADD / FNMSUB ------------------------------------------------- */

/* c0 = size; c2 bit 0: negate Rn (FMSUB, FNMADD), bit 1: negate Ra (FNMADD, FNMSUB). */
static struct dinsn *x_fmadd(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    unsigned sz = d->c0, bytes = 1u << sz;
    uint64_t a = vget(r, d->n, bytes), b = vget(r, d->m, bytes), c = vget(r, d->a, bytes);
    if (d->c2 & 1)
        a ^= fp_signbit(sz);
    if (d->c2 & 2)
        c ^= fp_signbit(sz);
    uint64_t res = sz == 3 ? fp_muladd_d(&st, c, a, b) : sz == 2 ? fp_muladd_s(&st, c, a, b)
                                                                 : fp_muladd(&st, sz, c, a, b);
    fpst_done(&st, r->cpu);
    vset(r, d->d, &res, bytes);
    NEXT(d + 1);
}

static bool dec_fmadd(struct decode *dc, unsigned t, uint32_t rd, uint32_t rn, uint32_t rm, uint32_t ra,
                      unsigned neg)
{
    int sz = ftype_size(dc, t, false);
    if (sz < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fmadd;
    e->c0 = (uint8_t)sz;
    e->c2 = (uint8_t)neg;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->a = (uint8_t)ra;
    return true;
}

bool op_FMADD(struct decode *dc, const struct args_FMADD *a)
{
    return dec_fmadd(dc, a->t, a->d, a->n, a->m, a->a, 0);
}

bool op_FMSUB(struct decode *dc, const struct args_FMSUB *a)
{
    return dec_fmadd(dc, a->t, a->d, a->n, a->m, a->a, 1);
}

bool op_FNMADD(struct decode *dc, const struct args_FNMADD *a)
{
    return dec_fmadd(dc, a->t, a->d, a->n, a->m, a->a, 3);
}

bool op_FNMSUB(struct decode *dc, const struct args_FNMSUB *a)
{
    return dec_fmadd(dc, a->t, a->d, a->n, a->m, a->a, 2);
}

/* ---- compare and select ---------------------------------------------------------------- */

/* FCMP/FCMPE: c0 = size, c2 = signal quiet NaNs (E), c3 = compare with +0.0. */
static struct dinsn *x_fcmp(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    unsigned bytes = 1u << d->c0;
    uint64_t a = vget(r, d->n, bytes), b = d->c3 ? 0 : vget(r, d->m, bytes);
    r->nzcv = fp_compare_z(&st, d->c0, a, b, d->c2) << 28;
    fpst_done(&st, r->cpu);
    NEXT(d + 1);
}

bool op_FCMP(struct decode *dc, const struct args_FCMP *a)
{
    int sz = ftype_size(dc, a->t, false);
    if (sz < 0 || (a->Z && a->m))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcmp;
    e->c0 = (uint8_t)sz;
    e->c2 = (uint8_t)a->E;
    e->c3 = (uint8_t)a->Z;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}

/* FCCMP/FCCMPE: compare if cond holds (a = cond), else NZCV = c3. */
static struct dinsn *x_fccmp(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    if (!cond_holds(r->nzcv, d->a)) {
        r->nzcv = (uint32_t)d->c3 << 28;
        NEXT(d + 1);
    }
    struct fpst st;
    fpst_init(&st, r->cpu);
    unsigned bytes = 1u << d->c0;
    r->nzcv = fp_compare_z(&st, d->c0, vget(r, d->n, bytes), vget(r, d->m, bytes), d->c2) << 28;
    fpst_done(&st, r->cpu);
    NEXT(d + 1);
}

bool op_FCCMP(struct decode *dc, const struct args_FCCMP *a)
{
    int sz = ftype_size(dc, a->t, false);
    if (sz < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fccmp;
    e->c0 = (uint8_t)sz;
    e->c2 = (uint8_t)a->E;
    e->c3 = (uint8_t)a->f;
    e->a = (uint8_t)a->c;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}

/* FCSEL: Vd = cond ? Vn : Vm (no FP exceptions, no NaN processing). */
static struct dinsn *x_fcsel(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    unsigned bytes = 1u << d->c0;
    uint64_t x = vget(r, cond_holds(r->nzcv, d->a) ? d->n : d->m, bytes);
    vset(r, d->d, &x, bytes);
    NEXT(d + 1);
}

bool op_FCSEL(struct decode *dc, const struct args_FCSEL *a)
{
    int sz = ftype_size(dc, a->t, false);
    if (sz < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcsel;
    e->c0 = (uint8_t)sz;
    e->a = (uint8_t)a->c;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}

/* ---- conversions -------------------------------------------------------------------------- */

/* FCVT between precisions: c0 = from size, c2 = to size; FPCR rounding. */
static struct dinsn *x_fcvt_prec(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint64_t x = vget(r, d->n, 1u << d->c0);
    uint64_t y = fp_convert(&st, d->c0, d->c2, x, fp_rmode(&st));
    fpst_done(&st, r->cpu);
    vset(r, d->d, &y, 1u << d->c2);
    NEXT(d + 1);
}

bool op_FCVT_fp(struct decode *dc, const struct args_FCVT_fp *a)
{
    int from = ftype_size(dc, a->t, true), to = ftype_size(dc, a->o, true);
    if (from < 0 || to < 0 || from == to)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcvt_prec;
    e->c0 = (uint8_t)from;
    e->c2 = (uint8_t)to;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    return true;
}

/* FP -> general register: c0 = size, c1 = integer bits, c2 = rounding,
 * c3 = unsigned, imm = fraction bits. */
static struct dinsn *x_fcvt_to_gen(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint64_t x = vget(r, d->n, 1u << d->c0);
    uint64_t v;
    if (d->c2 == FPR_ZERO && !d->imm)
        v = fp_cvtz(&st, d->c0, x, d->c3, d->c1);
    else
        v = fp_to_fixed(&st, d->c0, x, (unsigned)d->imm, d->c3, (enum fp_rounding)d->c2, d->c1);
    fpst_done(&st, r->cpu);
    r->x[d->d] = v;
    NEXT(d + 1);
}

/* General register -> FP: c0 = size, c1 = integer bits, c3 = unsigned, imm = fraction bits. */
static struct dinsn *x_cvtf_from_gen(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint64_t v = r->x[d->n], y;
    if (!d->imm)
        y = fp_cvtf(&st, d->c0, v, d->c3, d->c1);
    else
        y = fp_from_fixed(&st, d->c0, v, (unsigned)d->imm, d->c3, d->c1, fp_rmode(&st));
    fpst_done(&st, r->cpu);
    vset(r, d->d, &y, 1u << d->c0);
    NEXT(d + 1);
}

static bool dec_cvt_gen(struct decode *dc, exec_fn fn, unsigned t, unsigned sf, unsigned rnd, bool uns,
                        unsigned fbits, uint32_t rd, uint32_t rn, bool to_gen)
{
    int sz = ftype_size(dc, t, false);
    if (sz < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = fn;
    e->c0 = (uint8_t)sz;
    e->c1 = sf ? 64 : 32;
    e->c2 = (uint8_t)rnd;
    e->c3 = uns;
    e->imm = fbits;
    if (to_gen) {
        e->d = slot_wz(rd);
        e->n = (uint8_t)rn;
    } else {
        e->d = (uint8_t)rd;
        e->n = slot_rz(rn);
    }
    return true;
}

bool op_FCVT_gen(struct decode *dc, const struct args_FCVT_gen *a)
{
    static const uint8_t rnd[4] = { FPR_TIEEVEN, FPR_POSINF, FPR_NEGINF, FPR_ZERO };
    return dec_cvt_gen(dc, x_fcvt_to_gen, a->t, a->z, rnd[a->r], a->o, 0, a->d, a->n, true);
}

bool op_FCVTA_gen(struct decode *dc, const struct args_FCVTA_gen *a)
{
    return dec_cvt_gen(dc, x_fcvt_to_gen, a->t, a->z, FPR_TIEAWAY, a->o, 0, a->d, a->n, true);
}

bool op_CVTF_gen(struct decode *dc, const struct args_CVTF_gen *a)
{
    return dec_cvt_gen(dc, x_cvtf_from_gen, a->t, a->z, 0, a->o, 0, a->d, a->n, false);
}

/* Fixed point: fbits = 64 - scale; a 32-bit integer needs scale >= 32. */
bool op_FCVT_fix(struct decode *dc, const struct args_FCVT_fix *a)
{
    if (!a->z && a->i < 32)
        return false;
    return dec_cvt_gen(dc, x_fcvt_to_gen, a->t, a->z, FPR_ZERO, a->o, 64 - a->i, a->d, a->n, true);
}

/* FJCVTZS (FEAT_JSCVT): Wd = Dn converted as JavaScript's ToInt32; NZCV = 0Z00. */
static struct dinsn *x_fjcvtzs(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    bool z;
    uint32_t v = fp_to_int32_js(&st, vget(r, d->n, 8), &z);
    fpst_done(&st, r->cpu);
    r->x[d->d] = v;
    r->nzcv = z ? (uint32_t)PSTATE_Z : 0;
    NEXT(d + 1);
}

bool op_FJCVTZS(struct decode *dc, const struct args_FJCVTZS *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_fjcvtzs;
    e->d = slot_wz(a->d);
    e->n = (uint8_t)a->n;
    return true;
}

bool op_CVTF_fix(struct decode *dc, const struct args_CVTF_fix *a)
{
    if (!a->z && a->i < 32)
        return false;
    return dec_cvt_gen(dc, x_cvtf_from_gen, a->t, a->z, 0, a->o, 64 - a->i, a->d, a->n, false);
}
