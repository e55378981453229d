/*
 * sve_pred.c - SVE predicate instructions: PTRUE(S), PFALSE, PTEST, the
 * predicate logical operations and their flag-setting forms, BRKA/BRKB/BRKN/
 * BRKPA/BRKPB, PFIRST, PNEXT, the first-fault register (SETFFR, RDFFR(S),
 * WRFFR), CNTP and INCP/DECP (plain and saturating), WHILELT/LE/LO/LS (and
 * SVE2's WHILEGE/GT/HS/HI, WHILEWR/RW),
 * CTERMEQ/NE and the predicate permutes (ZIP, UZP, TRN, REV, PUNPKLO/HI).
 *
 * Arm ARM C8 and the shared pseudocode (PredTest, LastActive, DecodePredCount).
 * Predicates are handled as four 64-bit words (struct pw): bit k governs Z
 * byte k. The flag-setting forms set N = first active element true, Z = no
 * active element true, C = last active element not true, V = 0.
 */
#include "engine/exec/sve_ops.h"

static inline bool pw_bit(const struct pw *p, unsigned k)
{
    return (p->w[k >> 6] >> (k & 63)) & 1;
}

static inline void pw_setbit(struct pw *p, unsigned k, bool v)
{
    if (v)
        p->w[k >> 6] |= 1ull << (k & 63);
    else
        p->w[k >> 6] &= ~(1ull << (k & 63));
}

/* The e predicate bits of element i (e = element size in bytes). */
static inline unsigned pw_elem(const struct pw *p, unsigned i, unsigned e)
{
    unsigned k = i * e;
    return (unsigned)(p->w[k >> 6] >> (k & 63)) & ((1u << e) - 1);
}

static inline void pw_elem_set(struct pw *p, unsigned i, unsigned e, unsigned v)
{
    unsigned k = i * e;
    p->w[k >> 6] |= (uint64_t)v << (k & 63);
}

/* All elements of size 2^esz true, up to the VL. */
static inline struct pw pw_ones(unsigned vl, unsigned esz)
{
    struct pw x;
    for (unsigned k = 0; k < 4; k++)
        x.w[k] = sve_emask[esz] & pw_valid(vl, k);
    return x;
}

/* The first count elements of size 2^esz true. */
static inline struct pw pw_first(unsigned count, unsigned esz)
{
    struct pw x = { { 0, 0, 0, 0 } };
    unsigned bits = count << esz;
    for (unsigned k = 0; k < 4; k++) {
        uint64_t m = bits >= 64 * (k + 1) ? ~0ull : bits <= 64 * k ? 0 : (1ull << (bits - 64 * k)) - 1;
        x.w[k] = m & sve_emask[esz];
    }
    return x;
}

/* ---- PTRUE, PFALSE, PTEST, FFR ---------------------------------------------------------- */

/* c2 = log2 element size, c3 = pattern, c1 = set flags. */
static struct dinsn *x_ptrue(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2;
    struct pw res = pw_first(sve_pattern_count(d->c3, vl >> esz), esz);
    pw_store(r, preg(r, d->d), &res, vl);
    if (d->c1)
        r->nzcv = sve_predtest(&res, &res);  /* PTRUES: PredTest(result, result, esize) */
    NEXT(d + 1);
}

bool op_PTRUE(struct decode *dc, const struct args_PTRUE *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_ptrue;
    e->d = (uint8_t)a->d;
    e->c1 = (uint8_t)a->S;
    e->c2 = (uint8_t)a->z;
    e->c3 = (uint8_t)a->p;
    return true;
}

/* PFALSE (c1 = 0) and SETFFR (c1 = 1: FFR all true). */
static struct dinsn *x_pfill(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw x = d->c1 ? pw_ones(vl, 0) : (struct pw){ { 0, 0, 0, 0 } };
    pw_store(r, d->c1 ? r->cpu->ffr : preg(r, d->d), &x, vl);
    NEXT(d + 1);
}

bool op_PFALSE(struct decode *dc, const struct args_PFALSE *a)
{
    dc->e->fn = x_pfill;
    dc->e->d = (uint8_t)a->d;
    return true;
}

bool op_SETFFR(struct decode *dc, const struct args_SETFFR *a)
{
    dc->e->fn = x_pfill;
    dc->e->c1 = 1;
    return true;
}

static struct dinsn *x_ptest(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_active(preg(r, d->c0), vl, 0), p = pw_load(preg(r, d->n), vl);
    r->nzcv = sve_predtest(&g, &p);
    NEXT(d + 1);
}

bool op_PTEST(struct decode *dc, const struct args_PTEST *a)
{
    dc->e->fn = x_ptest;
    dc->e->c0 = (uint8_t)a->g;
    dc->e->n = (uint8_t)a->n;
    return true;
}

/* RDFFR Pd[, Pg/Z]: c1 bit 0 = predicated, bit 1 = set flags. */
static struct dinsn *x_rdffr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw x = pw_load(r->cpu->ffr, vl);
    if (d->c1 & 1) {
        struct pw g = pw_active(preg(r, d->c0), vl, 0);
        for (unsigned k = 0; k < 4; k++)
            x.w[k] &= g.w[k];
        if (d->c1 & 2)
            r->nzcv = sve_predtest(&g, &x);
    }
    pw_store(r, preg(r, d->d), &x, vl);
    NEXT(d + 1);
}

bool op_RDFFR(struct decode *dc, const struct args_RDFFR *a)
{
    dc->e->fn = x_rdffr;
    dc->e->d = (uint8_t)a->d;
    return true;
}

bool op_RDFFR_p(struct decode *dc, const struct args_RDFFR_p *a)
{
    dc->e->fn = x_rdffr;
    dc->e->d = (uint8_t)a->d;
    dc->e->c0 = (uint8_t)a->g;
    dc->e->c1 = (uint8_t)(1 | (a->S << 1));
    return true;
}

static struct dinsn *x_wrffr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw x = pw_load(preg(r, d->n), vl);
    pw_store(r, r->cpu->ffr, &x, vl);
    NEXT(d + 1);
}

bool op_WRFFR(struct decode *dc, const struct args_WRFFR *a)
{
    dc->e->fn = x_wrffr;
    dc->e->n = (uint8_t)a->n;
    return true;
}

/* ---- predicate logical operations ---------------------------------------------------------- */

/* c1 = operation (op:o2:o3), c2 = set flags. */
static struct dinsn *x_plogic(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_load(preg(r, d->c0), vl), pn = pw_load(preg(r, d->n), vl), pm = pw_load(preg(r, d->m), vl);
    struct pw res;
    for (unsigned k = 0; k < 4; k++) {
        uint64_t a = pn.w[k], b = pm.w[k], m = g.w[k], v;
        switch (d->c1) {
        case 0: v = m & a & b; break;              /* AND */
        case 1: v = m & a & ~b; break;             /* BIC */
        case 2: v = m & (a ^ b); break;            /* EOR */
        case 3: v = (m & a) | (~m & b); break;     /* SEL */
        case 4: v = m & (a | b); break;            /* ORR */
        case 5: v = m & (a | ~b); break;           /* ORN */
        case 6: v = m & ~(a | b); break;           /* NOR */
        default: v = m & ~(a & b); break;          /* NAND */
        }
        res.w[k] = v & pw_valid(vl, k);
    }
    pw_store(r, preg(r, d->d), &res, vl);
    if (d->c2) {
        for (unsigned k = 0; k < 4; k++)
            g.w[k] &= pw_valid(vl, k);
        r->nzcv = sve_predtest(&g, &res);
    }
    NEXT(d + 1);
}

bool op_LOGIC_pppp(struct decode *dc, const struct args_LOGIC_pppp *a)
{
    if (a->o == 3 && a->S)
        return false;                       /* no SELS */
    struct dinsn *e = dc->e;
    e->fn = x_plogic;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)a->S;
    return true;
}

/* ---- breaks ------------------------------------------------------------------------------------- */

/* Last active element of p under mask g true (Arm ARM LastActive, byte elements). */
static bool last_active(const struct pw *g, const struct pw *p)
{
    for (int k = 3; k >= 0; k--) {
        if (g->w[k]) {
            unsigned b = 63 - (unsigned)__builtin_clzll(g->w[k]);
            return (p->w[k] >> b) & 1;
        }
    }
    return false;
}

/* BRKA/BRKB: c1 bit 0 = B, bit 1 = merging, bit 2 = set flags. */
static struct dinsn *x_brk(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_active(preg(r, d->c0), vl, 0), pn = pw_load(preg(r, d->n), vl);
    struct pw old = pw_load(preg(r, d->d), vl), res = { { 0, 0, 0, 0 } };
    bool brk = false, before = d->c1 & 1, merge = d->c1 & 2;
    for (unsigned k = 0; k < vl; k++) {
        if (pw_bit(&g, k)) {
            if (before)
                brk = brk || pw_bit(&pn, k);
            pw_setbit(&res, k, !brk);
            if (!before)
                brk = brk || pw_bit(&pn, k);
        } else if (merge) {
            pw_setbit(&res, k, pw_bit(&old, k));
        }
    }
    pw_store(r, preg(r, d->d), &res, vl);
    if (d->c1 & 4)
        r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

bool op_BRK_pp(struct decode *dc, const struct args_BRK_pp *a)
{
    if (a->M && a->S)
        return false;                       /* flag-setting forms are zeroing only */
    struct dinsn *e = dc->e;
    e->fn = x_brk;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)(a->B | (a->M << 1) | (a->S << 2));
    return true;
}

/* BRKN: Pdm = LastActive(Pg, Pn) ? Pdm : 0; flags against all-true. c2 = S. */
static struct dinsn *x_brkn(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_active(preg(r, d->c0), vl, 0), pn = pw_load(preg(r, d->n), vl);
    struct pw res = pw_load(preg(r, d->d), vl);
    if (!last_active(&g, &pn))
        res = (struct pw){ { 0, 0, 0, 0 } };
    pw_store(r, preg(r, d->d), &res, vl);
    if (d->c2) {
        struct pw all = pw_ones(vl, 0);
        r->nzcv = sve_predtest(&all, &res);
    }
    NEXT(d + 1);
}

bool op_BRKN(struct decode *dc, const struct args_BRKN *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_brkn;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->S;
    return true;
}

/* BRKPA/BRKPB: c1 = B, c2 = S. */
static struct dinsn *x_brkp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_active(preg(r, d->c0), vl, 0), pn = pw_load(preg(r, d->n), vl);
    struct pw pm = pw_load(preg(r, d->m), vl), res = { { 0, 0, 0, 0 } };
    bool last = last_active(&g, &pn);
    for (unsigned k = 0; k < vl; k++) {
        if (!pw_bit(&g, k))
            continue;
        if (d->c1)
            last = last && !pw_bit(&pm, k);
        pw_setbit(&res, k, last);
        if (!d->c1)
            last = last && !pw_bit(&pm, k);
    }
    pw_store(r, preg(r, d->d), &res, vl);
    if (d->c2)
        r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

bool op_BRKP(struct decode *dc, const struct args_BRKP *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_brkp;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->B;
    e->c2 = (uint8_t)a->S;
    return true;
}

/* ---- PFIRST, PNEXT, CNTP, INCP/DECP ---------------------------------------------------------------- */

static struct dinsn *x_pfirst(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    struct pw g = pw_active(preg(r, d->n), vl, 0), res = pw_load(preg(r, d->d), vl);
    for (unsigned k = 0; k < 4; k++) {
        if (g.w[k]) {
            res.w[k] |= g.w[k] & -g.w[k];
            break;
        }
    }
    pw_store(r, preg(r, d->d), &res, vl);
    r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

bool op_PFIRST(struct decode *dc, const struct args_PFIRST *a)
{
    dc->e->fn = x_pfirst;
    dc->e->d = (uint8_t)a->d;
    dc->e->n = (uint8_t)a->n;
    return true;
}

/* PNEXT: the next active element (of Pg = n) after the last true element of Pdn. */
static struct dinsn *x_pnext(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, ne = vl >> esz;
    struct pw g = pw_active(preg(r, d->n), vl, esz), op = pw_active(preg(r, d->d), vl, esz);
    struct pw res = { { 0, 0, 0, 0 } };
    int last = -1;
    for (unsigned i = 0; i < ne; i++)
        if (pw_bit(&op, i << esz))
            last = (int)i;
    for (unsigned i = (unsigned)(last + 1); i < ne; i++) {
        if (pw_bit(&g, i << esz)) {
            pw_setbit(&res, i << esz, true);
            break;
        }
    }
    pw_store(r, preg(r, d->d), &res, vl);
    r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

bool op_PNEXT(struct decode *dc, const struct args_PNEXT *a)
{
    dc->e->fn = x_pnext;
    dc->e->d = (uint8_t)a->d;
    dc->e->n = (uint8_t)a->n;
    dc->e->c2 = (uint8_t)a->z;
    return true;
}

/* Active elements of Pn (esz) under Pg (c0 = 16: no governing predicate). */
static uint64_t pcount(struct run *r, const struct dinsn *d, unsigned vl)
{
    struct pw p = pw_active(preg(r, d->n), vl, d->c2);
    uint64_t c = 0;
    if (d->c0 < 16) {
        struct pw g = pw_load(preg(r, d->c0), vl);
        for (unsigned k = 0; k < 4; k++)
            p.w[k] &= g.w[k];
    }
    for (unsigned k = 0; k < 4; k++)
        c += (uint64_t)__builtin_popcountll(p.w[k]);
    return c;
}

static struct dinsn *x_cntp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    r->x[d->d] = pcount(r, d, vl);
    NEXT(d + 1);
}

bool op_CNTP(struct decode *dc, const struct args_CNTP *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_cntp;
    e->d = slot_wz(a->d);
    e->n = (uint8_t)a->n;
    e->c0 = (uint8_t)a->g;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* INCP/DECP and saturating forms on Xdn: c1 = sve_sat_incdec flags, bit 3 = saturating. */
static struct dinsn *x_incp_r(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t c = pcount(r, d, vl), x = r->x[d->a];
    if (d->c1 & 8)
        r->x[d->d] = sve_sat_incdec(x, c, d->c1 & 7);
    else
        r->x[d->d] = (d->c1 & 1) ? x - c : x + c;
    NEXT(d + 1);
}

/* ... on vector elements (c2 = log2 element size). */
static struct dinsn *x_incp_v(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t c = pcount(r, d, vl);
    unsigned esz = d->c2;
    uint8_t *zd = zreg(r, d->d);
    bool dec = d->c1 & 1, uns = d->c1 & 2, sat = d->c1 & 8;
    for (unsigned i = 0; i < vl >> esz; i++) {
        uint64_t x = sve_elem(zd, esz, i), v;
        if (!sat)
            v = dec ? x - c : x + c;
        else if (uns)
            v = sve_usat(dec ? (__int128)x - (__int128)c : (__int128)x + (__int128)c, esz);
        else
            v = sve_ssat(dec ? (__int128)sve_sext(x, esz) - (__int128)c : (__int128)sve_sext(x, esz) + (__int128)c,
                         esz);
        sve_elem_set(zd, esz, i, v);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

static bool incp(struct decode *dc, unsigned z, unsigned rd, unsigned pm, bool vec, unsigned flags)
{
    struct dinsn *e = dc->e;
    e->n = (uint8_t)pm;
    e->c0 = 16;                             /* count every true element of Pm */
    e->c1 = (uint8_t)flags;
    e->c2 = (uint8_t)z;
    if (vec) {
        if (z == 0)
            return false;
        e->fn = x_incp_v;
        e->d = (uint8_t)rd;
    } else {
        e->fn = x_incp_r;
        e->d = slot_wz(rd);
        e->a = slot_rz(rd);
    }
    return true;
}

bool op_INCDECP(struct decode *dc, const struct args_INCDECP *a)
{
    return incp(dc, a->z, a->d, a->n, !a->V, a->D);
}

bool op_SINCDECP(struct decode *dc, const struct args_SINCDECP *a)
{
    if (!a->V && a->W)
        return false;
    return incp(dc, a->z, a->d, a->n, !a->V, 8 | a->D | (a->U << 1) | (a->W << 2));
}

/* ---- WHILE, CTERM ----------------------------------------------------------------------------------- */

/* c1: bit 0 = 64-bit operands, bit 1 = unsigned, bit 2 = or-equal; c2 = esz. */
static struct dinsn *x_while(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t x = r->x[d->n], y = r->x[d->m];
    bool x64 = d->c1 & 1, uns = d->c1 & 2, eq = d->c1 & 4;
    __int128 a, b;
    if (uns) {
        a = x64 ? (__int128)x : (__int128)(uint32_t)x;
        b = x64 ? (__int128)y : (__int128)(uint32_t)y;
    } else {
        a = x64 ? (__int128)(int64_t)x : (__int128)(int32_t)x;
        b = x64 ? (__int128)(int64_t)y : (__int128)(int32_t)y;
    }
    /* Element e is true while every a + k < b (<= for LE/LS), k <= e, with a
     * incremented as a bit vector of the operand size (Arm ARM WHILELO..:
     * operand1 = operand1 + 1): an LE/LS bound at the type's maximum is never
     * passed, the wrapped values stay below it and every element is true. */
    __int128 max = uns ? (x64 ? (__int128)UINT64_MAX : (__int128)UINT32_MAX) : (x64 ? (__int128)INT64_MAX : INT32_MAX);
    __int128 cnt = (eq && b == max) ? (__int128)SVE_Z_BYTES : b - a + (eq ? 1 : 0);
    unsigned esz = d->c2, ne = vl >> esz;
    unsigned c = cnt <= 0 ? 0 : cnt >= ne ? ne : (unsigned)cnt;
    struct pw res = pw_first(c, esz);
    pw_store(r, preg(r, d->d), &res, vl);
    /* PredTest(all true, the first c true): N = c > 0, Z = c == 0, C = c < ne. */
    r->nzcv = (c ? PSTATE_N : PSTATE_Z) | (c < ne ? PSTATE_C : 0);
    NEXT(d + 1);
}

bool op_WHILE(struct decode *dc, const struct args_WHILE *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_while;
    e->d = (uint8_t)a->d;
    e->n = slot_rz(a->n);
    e->m = slot_rz(a->m);
    e->c1 = (uint8_t)(a->S | (a->U << 1) | (a->E << 2));
    e->c2 = (uint8_t)a->z;
    return true;
}

/* WHILEGE/GT/HS/HI (SVE2): element e is true while a - k >= b (> for GT/HI)
 * for every k <= ne - 1 - e, counting down from the last element with a
 * decremented as a bit vector (Arm ARM WHILEGE..): the true elements are the
 * last c. A GE/HS bound at the type's minimum is never passed. c1 as WHILE's
 * (bit 2 = or-equal). */
static struct dinsn *x_while2(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t x = r->x[d->n], y = r->x[d->m];
    bool x64 = d->c1 & 1, uns = d->c1 & 2, eq = d->c1 & 4;
    __int128 a, b;
    if (uns) {
        a = x64 ? (__int128)x : (__int128)(uint32_t)x;
        b = x64 ? (__int128)y : (__int128)(uint32_t)y;
    } else {
        a = x64 ? (__int128)(int64_t)x : (__int128)(int32_t)x;
        b = x64 ? (__int128)(int64_t)y : (__int128)(int32_t)y;
    }
    __int128 min = uns ? 0 : (x64 ? (__int128)INT64_MIN : INT32_MIN);
    __int128 cnt = (eq && b == min) ? (__int128)SVE_Z_BYTES : a - b + (eq ? 1 : 0);
    unsigned esz = d->c2, ne = vl >> esz;
    unsigned c = cnt <= 0 ? 0 : cnt >= ne ? ne : (unsigned)cnt;
    struct pw all = pw_first(ne, esz), low = pw_first(ne - c, esz), res;
    for (unsigned k = 0; k < 4; k++)
        res.w[k] = all.w[k] & ~low.w[k];
    pw_store(r, preg(r, d->d), &res, vl);
    /* PredTest(all true, the last c true): N = element 0 true, Z = none, C = last not true. */
    r->nzcv = (c == ne && c ? PSTATE_N : 0) | (c ? 0 : PSTATE_Z | PSTATE_C);
    NEXT(d + 1);
}

bool op_WHILE2(struct decode *dc, const struct args_WHILE2 *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_while2;
    e->d = (uint8_t)a->d;
    e->n = slot_rz(a->n);
    e->m = slot_rz(a->m);
    e->c1 = (uint8_t)(a->S | (a->U << 1) | ((a->E ^ 1) << 2));   /* E = 0: GE/HS (or-equal) */
    e->c2 = (uint8_t)a->z;
    return true;
}

/* WHILEWR/WHILERW (SVE2): the elements a vector loop may process before the
 * store through Xm can overwrite what the load through Xn reads (WR: Xm -
 * Xn bytes ahead; RW: either way, |Xm - Xn|); no conflict (WR: Xn >= Xm,
 * or the same address) makes every element true. c1 = RW, c2 = esz. */
static struct dinsn *x_while_ptr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    uint64_t x = r->x[d->n], y = r->x[d->m], diff;
    if (d->c1)
        diff = x == y ? UINT64_MAX : x > y ? x - y : y - x;
    else
        diff = x >= y ? UINT64_MAX : y - x;
    unsigned esz = d->c2, ne = vl >> esz;
    uint64_t k = diff >> esz;
    unsigned c = k >= ne ? ne : (unsigned)k;
    struct pw res = pw_first(c, esz);
    pw_store(r, preg(r, d->d), &res, vl);
    r->nzcv = (c ? PSTATE_N : PSTATE_Z) | (c < ne ? PSTATE_C : 0);
    NEXT(d + 1);
}

bool op_WHILE_ptr(struct decode *dc, const struct args_WHILE_ptr *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_while_ptr;
    e->d = (uint8_t)a->d;
    e->n = slot_rz(a->n);
    e->m = slot_rz(a->m);
    e->c1 = (uint8_t)a->R;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* CTERMEQ/NE: N = terminate, V = !terminate & C; Z and C unchanged. c1 = 64-bit, c2 = ne. */
static struct dinsn *x_cterm(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    (void)vl;
    uint64_t x = r->x[d->n], y = r->x[d->m];
    if (!d->c1) {
        x = (uint32_t)x;
        y = (uint32_t)y;
    }
    bool term = d->c2 ? x != y : x == y;
    uint32_t f = r->nzcv & (PSTATE_Z | PSTATE_C);
    if (term)
        f |= PSTATE_N;
    else if (!(r->nzcv & PSTATE_C))
        f |= PSTATE_V;
    r->nzcv = f;
    NEXT(d + 1);
}

bool op_CTERM(struct decode *dc, const struct args_CTERM *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_cterm;
    e->n = slot_rz(a->n);
    e->m = slot_rz(a->m);
    e->c1 = (uint8_t)a->S;
    e->c2 = (uint8_t)a->N;
    return true;
}

/* ---- predicate permutes ------------------------------------------------------------------------------ */

/* ZIP1/2, UZP1/2, TRN1/2 on predicate elements: c1 = operation, c2 = esz. */
static struct dinsn *x_pzip(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, e = 1u << esz, ne = vl >> esz, half = ne / 2;
    struct pw pn = pw_load(preg(r, d->n), vl), pm = pw_load(preg(r, d->m), vl), res = { { 0, 0, 0, 0 } };
    for (unsigned i = 0; i < ne; i++) {
        unsigned v, j;
        switch (d->c1) {
        case 0: case 1:                     /* ZIP: interleave the low (high) halves */
            j = i / 2 + (d->c1 ? half : 0);
            v = (i & 1) ? pw_elem(&pm, j, e) : pw_elem(&pn, j, e);
            break;
        case 2: case 3:                     /* UZP: even (odd) elements of Pn:Pm */
            j = 2 * i + (d->c1 & 1);
            v = j < ne ? pw_elem(&pn, j, e) : pw_elem(&pm, j - ne, e);
            break;
        default:                            /* TRN */
            j = (i & ~1u) + (d->c1 & 1);
            v = (i & 1) ? pw_elem(&pm, j, e) : pw_elem(&pn, j, e);
            break;
        }
        pw_elem_set(&res, i, e, v);
    }
    pw_store(r, preg(r, d->d), &res, vl);
    NEXT(d + 1);
}

bool op_ZIP_p(struct decode *dc, const struct args_ZIP_p *a)
{
    if (a->o > 5)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_pzip;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)a->z;
    return true;
}

/* REV (c1 = 0) and PUNPKLO/HI (c1 = 1 / 2). */
static struct dinsn *x_pperm(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned esz = d->c2, e = 1u << esz, ne = vl >> esz;
    struct pw pn = pw_load(preg(r, d->n), vl), res = { { 0, 0, 0, 0 } };
    if (d->c1 == 0) {
        for (unsigned i = 0; i < ne; i++)
            pw_elem_set(&res, i, e, pw_elem(&pn, ne - 1 - i, e));
    } else {
        unsigned base = d->c1 == 2 ? vl / 2 : 0;
        for (unsigned i = 0; i < vl / 2; i++)
            pw_elem_set(&res, i, 2, pw_elem(&pn, base + i, 1));
    }
    pw_store(r, preg(r, d->d), &res, vl);
    NEXT(d + 1);
}

bool op_PERM_pp(struct decode *dc, const struct args_PERM_pp *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_pperm;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c2 = (uint8_t)a->z;
    if (a->o == 4)
        e->c1 = 0;
    else if (a->o <= 1 && a->z == 0)
        e->c1 = (uint8_t)(1 + a->o);
    else
        return false;
    return true;
}
