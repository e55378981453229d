/*
 * sve_mem.c - SVE contiguous loads and stores: LDR/STR of Z and P registers
 * (spills), LD1* / ST1* (scalar plus immediate, scalar plus scalar, with
 * sign/zero extension), the first-fault and non-fault loads LDFF1* / LDNF1*
 * with the FFR, LD1R* (load and broadcast), LD1RQ*, the structure loads and
 * stores LD2..4 / ST2..4, the non-temporal LDNT1 / STNT1, and the prefetches
 * (hints without architectural effect).
 *
 * Arm ARM C8 and the SVE memory pseudocode: only active elements access
 * memory; inactive elements of a load read as zero. A load that faults
 * leaves its destination unchanged (the result is assembled first); a store
 * probes every active element before writing one, so a fault stores nothing.
 * First-fault loads take the fault of the first active element only; a later
 * element that cannot be read (no RAM there, MMU fault) clears the FFR from
 * that element on, and is zero in the result. Non-fault loads never fault.
 * Outside RAM an SVE access is an NISV exit (no valid syndrome, spec 4.3);
 * the memory layer turns MMU faults into data aborts (mem.c).
 */
#include "engine/exec/sve_ops.h"

/* Entry fields: d = Zt/Pt, n = base slot, m = index slot, c0 = Pg,
 * c1 = msz | esz << 2 | signed << 4, c2 = MODE_*, c3 = registers (1..4),
 * imm = immediate (scaled at run time for the "mul vl" forms). */
#define MODE_SS   1u     /* address = Xn + (Xm << msz) */
#define MODE_FF   2u     /* first-fault */
#define MODE_NF   4u     /* non-fault */

static inline unsigned f_msz(const struct dinsn *d) { return d->c1 & 3; }
static inline unsigned f_esz(const struct dinsn *d) { return (d->c1 >> 2) & 3; }
static inline bool f_sign(const struct dinsn *d) { return (d->c1 >> 4) & 1; }

/* SP as base: the SVE enable checks come first, then SP alignment (Arm ARM:
 * CheckSVEEnabled before CheckSPAlignment). */
static struct dinsn *x_sve_spcheck(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    (void)vl;
    if (unlikely(r->x[R_SP] & r->sp_align))
        NEXT(engine_sp_align_fault(r, d));
    return d->fn2(r, d, n);
}

void sve_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn)
{
    struct dinsn *e = dc->e;
    e->n = slot_sp(rn);
    if (rn == 31) {
        e->fn = x_sve_spcheck;
        e->fn2 = fn;
    } else {
        e->fn = fn;
    }
}

/* dtype (Arm ARM: LD1B..LD1SB encoding of bits 24:21) -> msz | esz << 2 | signed << 4. */
static const uint8_t dtype_tab[16] = {
    0 | 0 << 2, 0 | 1 << 2, 0 | 2 << 2, 0 | 3 << 2,
    2 | 3 << 2 | 16, 1 | 1 << 2, 1 | 2 << 2, 1 | 3 << 2,
    1 | 3 << 2 | 16, 1 | 2 << 2 | 16, 2 | 2 << 2, 2 | 3 << 2,
    0 | 3 << 2 | 16, 0 | 2 << 2 | 16, 0 | 1 << 2 | 16, 3 | 3 << 2,
};

static inline uint64_t load_ext(const uint8_t *p, unsigned msz, bool sgn)
{
    uint64_t v = 0;
    gmem_read(&v, p, 1u << msz);
    return sgn ? sext(v, 8u << msz) : v;
}

/* ---- contiguous loads ------------------------------------------------------------------------------- */

/* Element i's data from guest memory at a (slow path). false: could not be read. */
static inline bool ld_slow(struct run *r, uint64_t a, unsigned msz, bool sgn, uint64_t *v)
{
    uint64_t x = 0;
    if (!mem_read_slow(r, a, 1u << msz, &x))
        return false;
    *v = sgn ? sext(x, 8u << msz) : x;
    return true;
}

/* Clear the FFR from element i (of 2^esz bytes) to the end of the VL. */
static void ffr_clear_from(struct run *r, unsigned i, unsigned esz, unsigned vl)
{
    uint8_t *f = r->cpu->ffr;
    for (unsigned k = i << esz; k < vl; k++)
        f[k >> 3] &= (uint8_t)~(1u << (k & 7));
}

/* LD1 / LDFF1 / LDNF1 / LDNT1 into one register. */
static struct dinsn *x_ld1(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned msz = f_msz(d), esz = f_esz(d), mb = 1u << msz, eb = 1u << esz, ne = vl >> esz;
    bool sgn = f_sign(d);
    uint64_t a = r->x[d->n] + ((d->c2 & MODE_SS) ? r->x[d->m] << msz : d->imm * ne * mb);
    const uint8_t *pg = preg(r, d->c0);
    uint8_t *zt = zreg(r, d->d);
    const uint8_t *h = tlb_read(r, a, ne * mb);
    if (likely(h != NULL)) {
        if (msz == esz && !sgn) {
            /* The whole range is RAM: read it, then clear the inactive elements. */
            sve_gread(zt, h, vl);
            if (!sve_all_active(pg, vl, esz))
                for (unsigned i = 0; i < ne; i++)
                    if (!pact(pg, i, eb))
                        memset(zt + i * eb, 0, eb);
        } else {
            for (unsigned i = 0; i < ne; i++)
                sve_elem_set(zt, esz, i, pact(pg, i, eb) ? load_ext(h + i * mb, msz, sgn) : 0);
        }
        sve_ztail(r, zt, vl);
        NEXT(d + 1);
    }
    uint8_t res[SVE_Z_BYTES];
    bool first = !(d->c2 & MODE_NF), faulted = false;
    for (unsigned i = 0; i < ne; i++) {
        uint64_t v = 0;
        if (pact(pg, i, eb) && !faulted) {
            uint64_t ea = a + (uint64_t)i * mb;
            if (!ld_slow(r, ea, msz, sgn, &v)) {
                if (first || !(d->c2 & (MODE_FF | MODE_NF)))
                    NEXT(engine_nisv_exit(r, d, ea, mb, false));
                faulted = true;
                ffr_clear_from(r, i, esz, vl);
                v = 0;
            }
            first = false;
        }
        sve_elem_set(res, esz, i, v);
    }
    memcpy(zt, res, vl);
    sve_ztail(r, zt, vl);
    NEXT(d + 1);
}

static bool ld1_common(struct decode *dc, unsigned info, unsigned zt, unsigned pg, unsigned rn, unsigned mode,
                       uint64_t imm, unsigned rm)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)zt;
    e->c0 = (uint8_t)pg;
    e->c1 = (uint8_t)info;
    e->c2 = (uint8_t)mode;
    e->c3 = 1;
    e->m = slot_rz(rm);
    e->imm = imm;
    sve_mem_fn(dc, x_ld1, rn);
    return true;
}

bool op_LD1_si(struct decode *dc, const struct args_LD1_si *a)
{
    return ld1_common(dc, dtype_tab[a->D], a->d, a->g, a->n, 0, sext(a->i, 4), 0);
}

bool op_LDNF1(struct decode *dc, const struct args_LDNF1 *a)
{
    return ld1_common(dc, dtype_tab[a->D], a->d, a->g, a->n, MODE_NF, sext(a->i, 4), 0);
}

bool op_LD1_ss(struct decode *dc, const struct args_LD1_ss *a)
{
    if (a->m == 31)
        return false;                       /* Rm = XZR is unallocated for LD1 */
    return ld1_common(dc, dtype_tab[a->D], a->d, a->g, a->n, MODE_SS, 0, a->m);
}

bool op_LDFF1_ss(struct decode *dc, const struct args_LDFF1_ss *a)
{
    return ld1_common(dc, dtype_tab[a->D], a->d, a->g, a->n, MODE_SS | MODE_FF, 0, a->m);
}

/* ---- contiguous stores ------------------------------------------------------------------------------ */

/* Can the active element at a (mb bytes) be written? Records the fault for
 * engine_nisv_exit at *bad (the first byte in the page that failed). A host
 * fault (memory the VMM made inaccessible) is taken here, before any element
 * is written. */
static bool st_probe(struct run *r, uint64_t a, unsigned mb, uint64_t *bad)
{
    uint8_t *h = mem_host_rw(r, a, 1, true);
    if (!h) {
        *bad = a;
        return false;
    }
    gmem_touch_w(h);
    uint64_t last = a + mb - 1;
    if ((last & PAGE_MASK) != (a & PAGE_MASK)) {
        h = mem_host_rw(r, last & PAGE_MASK, 1, true);
        if (!h) {
            *bad = last & PAGE_MASK;
            return false;
        }
        gmem_touch_w(h);
    }
    return true;
}

/* ST1 / STNT1 of one register: the low msize bytes of each active element. */
static struct dinsn *x_st1(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned msz = f_msz(d), esz = f_esz(d), mb = 1u << msz, eb = 1u << esz, ne = vl >> esz;
    uint64_t a = r->x[d->n] + ((d->c2 & MODE_SS) ? r->x[d->m] << msz : d->imm * ne * mb);
    const uint8_t *pg = preg(r, d->c0), *zt = zreg(r, d->d);
    uint8_t *h = tlb_write(r, a, ne * mb);
    if (likely(h != NULL)) {
        if (msz == esz && sve_all_active(pg, vl, esz)) {
            sve_gwrite(h, zt, vl);
        } else {
            for (unsigned i = 0; i < ne; i++)
                if (pact(pg, i, eb))
                    gmem_write(h + i * mb, zt + i * eb, mb);
        }
        NEXT(d + 1);
    }
    for (unsigned i = 0; i < ne; i++) {
        uint64_t bad;
        if (pact(pg, i, eb) && !st_probe(r, a + (uint64_t)i * mb, mb, &bad))
            NEXT(engine_nisv_exit(r, d, bad, mb, true));
    }
    for (unsigned i = 0; i < ne; i++) {
        uint64_t ea = a + (uint64_t)i * mb;
        if (pact(pg, i, eb) && !mem_write_slow(r, ea, mb, zt + i * eb))
            NEXT(engine_nisv_exit(r, d, ea, mb, true));
    }
    NEXT(d + 1);
}

static bool st1_common(struct decode *dc, unsigned msz, unsigned esz, unsigned zt, unsigned pg, unsigned rn,
                       unsigned mode, uint64_t imm, unsigned rm)
{
    if (msz > esz)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)zt;
    e->c0 = (uint8_t)pg;
    e->c1 = (uint8_t)(msz | esz << 2);
    e->c2 = (uint8_t)mode;
    e->c3 = 1;
    e->m = slot_rz(rm);
    e->imm = imm;
    sve_mem_fn(dc, x_st1, rn);
    return true;
}

bool op_ST1_si(struct decode *dc, const struct args_ST1_si *a)
{
    return st1_common(dc, a->z, a->e, a->d, a->g, a->n, 0, sext(a->i, 4), 0);
}

bool op_ST1_ss(struct decode *dc, const struct args_ST1_ss *a)
{
    if (a->m == 31)
        return false;
    return st1_common(dc, a->z, a->e, a->d, a->g, a->n, MODE_SS, 0, a->m);
}

/* ---- structures: LD2..4 / ST2..4 (c3 registers, msz = esz) --------------------------------------------- */

static struct dinsn *x_ldn(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned esz = f_esz(d), eb = 1u << esz, ne = vl >> esz, nr = d->c3;
    uint64_t a = r->x[d->n] + ((d->c2 & MODE_SS) ? r->x[d->m] << esz : d->imm * ne * eb * nr);
    const uint8_t *pg = preg(r, d->c0);
    uint8_t res[4][SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        bool act = pact(pg, i, eb);
        for (unsigned k = 0; k < nr; k++) {
            uint64_t v = 0, ea = a + ((uint64_t)i * nr + k) * eb;
            if (act && !ld_slow(r, ea, esz, false, &v))
                NEXT(engine_nisv_exit(r, d, ea, eb, false));
            sve_elem_set(res[k], esz, i, v);
        }
    }
    for (unsigned k = 0; k < nr; k++) {
        uint8_t *zt = zreg(r, (d->d + k) & 31);
        memcpy(zt, res[k], vl);
        sve_ztail(r, zt, vl);
    }
    NEXT(d + 1);
}

static struct dinsn *x_stn(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned esz = f_esz(d), eb = 1u << esz, ne = vl >> esz, nr = d->c3;
    uint64_t a = r->x[d->n] + ((d->c2 & MODE_SS) ? r->x[d->m] << esz : d->imm * ne * eb * nr);
    const uint8_t *pg = preg(r, d->c0);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t bad;
        if (!pact(pg, i, eb))
            continue;
        for (unsigned k = 0; k < nr; k++)
            if (!st_probe(r, a + ((uint64_t)i * nr + k) * eb, eb, &bad))
                NEXT(engine_nisv_exit(r, d, bad, eb, true));
    }
    for (unsigned i = 0; i < ne; i++) {
        if (!pact(pg, i, eb))
            continue;
        for (unsigned k = 0; k < nr; k++) {
            uint64_t ea = a + ((uint64_t)i * nr + k) * eb;
            if (!mem_write_slow(r, ea, eb, zreg(r, (d->d + k) & 31) + i * eb))
                NEXT(engine_nisv_exit(r, d, ea, eb, true));
        }
    }
    NEXT(d + 1);
}

static bool ldstn(struct decode *dc, bool load, unsigned msz, unsigned nm1, unsigned zt, unsigned pg, unsigned rn,
                  unsigned mode, uint64_t imm, unsigned rm)
{
    if (nm1 == 0) {                         /* LDNT1 / STNT1: a plain LD1 / ST1 of msize elements */
        if (load)
            return ld1_common(dc, msz | msz << 2, zt, pg, rn, mode, imm, rm);
        return st1_common(dc, msz, msz, zt, pg, rn, mode, imm, rm);
    }
    struct dinsn *e = dc->e;
    e->d = (uint8_t)zt;
    e->c0 = (uint8_t)pg;
    e->c1 = (uint8_t)(msz | msz << 2);
    e->c2 = (uint8_t)mode;
    e->c3 = (uint8_t)(nm1 + 1);
    e->m = slot_rz(rm);
    e->imm = imm;
    sve_mem_fn(dc, load ? x_ldn : x_stn, rn);
    return true;
}

bool op_LDN_si(struct decode *dc, const struct args_LDN_si *a)
{
    return ldstn(dc, true, a->z, a->N, a->d, a->g, a->n, 0, sext(a->i, 4), 0);
}

bool op_LDN_ss(struct decode *dc, const struct args_LDN_ss *a)
{
    if (a->m == 31)
        return false;
    return ldstn(dc, true, a->z, a->N, a->d, a->g, a->n, MODE_SS, 0, a->m);
}

bool op_STN_si(struct decode *dc, const struct args_STN_si *a)
{
    return ldstn(dc, false, a->z, a->N, a->d, a->g, a->n, 0, sext(a->i, 4), 0);
}

bool op_STN_ss(struct decode *dc, const struct args_STN_ss *a)
{
    if (a->m == 31)
        return false;
    return ldstn(dc, false, a->z, a->N, a->d, a->g, a->n, MODE_SS, 0, a->m);
}

/* ---- broadcasts: LD1R, LD1RQ ------------------------------------------------------------------------- */

/* LD1R: one element at Xn + imm (if any element is active), to every active element. */
static struct dinsn *x_ld1r(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned msz = f_msz(d), esz = f_esz(d), eb = 1u << esz, ne = vl >> esz;
    const uint8_t *pg = preg(r, d->c0);
    uint64_t v = 0, a = r->x[d->n] + d->imm;
    bool any = false;
    for (unsigned i = 0; i < ne && !any; i++)
        any = pact(pg, i, eb);
    if (any && !ld_slow(r, a, msz, f_sign(d), &v))
        NEXT(engine_nisv_exit(r, d, a, 1u << msz, false));
    uint8_t *zt = zreg(r, d->d);
    for (unsigned i = 0; i < ne; i++)
        sve_elem_set(zt, esz, i, pact(pg, i, eb) ? v : 0);
    sve_ztail(r, zt, vl);
    NEXT(d + 1);
}

bool op_LD1R(struct decode *dc, const struct args_LD1R *a)
{
    struct dinsn *e = dc->e;
    unsigned info = dtype_tab[a->D];
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)info;
    e->imm = (uint64_t)a->i << (info & 3);
    sve_mem_fn(dc, x_ld1r, a->n);
    return true;
}

/* LD1RQ: a quadword governed by the predicate's first 128 bits, replicated. */
static struct dinsn *x_ld1rq(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned esz = f_esz(d), eb = 1u << esz;
    uint64_t a = r->x[d->n] + ((d->c2 & MODE_SS) ? r->x[d->m] << esz : d->imm);
    const uint8_t *pg = preg(r, d->c0);
    uint8_t q[16];
    for (unsigned i = 0; i < 16 / eb; i++) {
        uint64_t v = 0, ea = a + (uint64_t)i * eb;
        if (pact(pg, i, eb) && !ld_slow(r, ea, esz, false, &v))
            NEXT(engine_nisv_exit(r, d, ea, eb, false));
        sve_elem_set(q, esz, i, v);
    }
    uint8_t *zt = zreg(r, d->d);
    for (unsigned off = 0; off < vl; off += 16)
        memcpy(zt + off, q, 16);
    sve_ztail(r, zt, vl);
    NEXT(d + 1);
}

bool op_LD1RQ_si(struct decode *dc, const struct args_LD1RQ_si *a)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)(a->z | a->z << 2);
    e->imm = sext(a->i, 4) * 16;
    sve_mem_fn(dc, x_ld1rq, a->n);
    return true;
}

bool op_LD1RQ_ss(struct decode *dc, const struct args_LD1RQ_ss *a)
{
    if (a->m == 31)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)a->d;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)(a->z | a->z << 2);
    e->c2 = MODE_SS;
    e->m = slot_rz(a->m);
    sve_mem_fn(dc, x_ld1rq, a->n);
    return true;
}

/* ---- LDR / STR of Z and P (c3 = 1: P, VL/8 bytes) ------------------------------------------------------ */

static struct dinsn *x_ldr(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned len = d->c3 ? vl / 8 : vl;
    uint64_t a = r->x[d->n] + d->imm * len;
    uint8_t buf[SVE_Z_BYTES];
    const uint8_t *h = tlb_read(r, a, len);
    if (h)
        gmem_read(buf, h, len);
    else if (!mem_read_slow(r, a, len, buf))
        NEXT(engine_nisv_exit(r, d, a, len, false));
    if (d->c3) {
        memcpy(preg(r, d->d), buf, len);
        sve_ptail(r, preg(r, d->d), vl);
    } else {
        memcpy(zreg(r, d->d), buf, len);
        sve_ztail(r, zreg(r, d->d), vl);
    }
    NEXT(d + 1);
}

static struct dinsn *x_str(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned len = d->c3 ? vl / 8 : vl;
    uint64_t a = r->x[d->n] + d->imm * len;
    const uint8_t *src = d->c3 ? preg(r, d->d) : zreg(r, d->d);
    uint8_t *h = tlb_write(r, a, len);
    if (h)
        gmem_write(h, src, len);
    else if (!mem_write_slow(r, a, len, src))   /* both pages are checked before writing */
        NEXT(engine_nisv_exit(r, d, a, len, true));
    NEXT(d + 1);
}

static bool ldr_str(struct decode *dc, exec_fn fn, unsigned t, unsigned rn, unsigned imm9, bool pred)
{
    struct dinsn *e = dc->e;
    e->d = (uint8_t)t;
    e->c3 = pred;
    e->imm = sext(imm9, 9);
    sve_mem_fn(dc, fn, rn);
    return true;
}

bool op_LDR_z(struct decode *dc, const struct args_LDR_z *a)
{
    return ldr_str(dc, x_ldr, a->d, a->n, a->i, false);
}

bool op_LDR_p(struct decode *dc, const struct args_LDR_p *a)
{
    return ldr_str(dc, x_ldr, a->d, a->n, a->i, true);
}

bool op_STR_z(struct decode *dc, const struct args_STR_z *a)
{
    return ldr_str(dc, x_str, a->d, a->n, a->i, false);
}

bool op_STR_p(struct decode *dc, const struct args_STR_p *a)
{
    return ldr_str(dc, x_str, a->d, a->n, a->i, true);
}

/* ---- prefetches: SVE instructions (so the enable traps apply) without effect ---------------------- */

static struct dinsn *x_prf(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    (void)vl;
    NEXT(d + 1);
}

#define PRF_ROW(NAME)                                                             \
    bool op_##NAME(struct decode *dc, const struct args_##NAME *a)               \
    {                                                                             \
        (void)a;                                                                  \
        dc->e->fn = x_prf;                                                        \
        return true;                                                              \
    }
PRF_ROW(PRF_g32)
PRF_ROW(PRF_si)
PRF_ROW(PRF_gvi32)
PRF_ROW(PRF_g64)
PRF_ROW(PRF_g64w)
PRF_ROW(PRF_gvi64)

bool op_PRF_ss(struct decode *dc, const struct args_PRF_ss *a)
{
    if (a->m == 31)
        return false;                       /* PRF* (scalar plus scalar): Rm = 11111 is UNDEFINED */
    dc->e->fn = x_prf;
    return true;
}
