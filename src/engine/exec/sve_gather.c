/*
 * sve_gather.c - SVE gather loads (LD1*, LDFF1*: scalar plus 32-bit or
 * 64-bit vector offsets, scaled or not, and vector plus immediate) and
 * scatter stores (ST1*: the same address forms).
 *
 * Arm ARM C8: element i's address is Xn + (offset_i << scale) with offset_i
 * a 64-bit element, or a 32-bit element / the low half of a 64-bit element
 * zero- or sign-extended (uxtw, sxtw); or Zn's element i + imm * msize. Only
 * active elements access memory. Faults as in sve_mem.c: a load assembles
 * its result first, a scatter probes every active element before writing,
 * LDFF1 clears the FFR from the first later element that cannot be read.
 */
#include "engine/exec/sve_ops.h"

/* c1 = msz | esz << 2 | signed << 4 (as sve_mem.c); c2 = offset kind | G_FF;
 * c3 = scale shift; n = Xn slot or Zn; m = Zm; imm = vector-base offset. */
enum { G_OFF64, G_UXTW, G_SXTW, G_VEC };
#define G_FF 4u

static inline uint64_t g_addr(struct run *r, const struct dinsn *d, unsigned esz, unsigned i)
{
    unsigned kind = d->c2 & 3;
    if (kind == G_VEC)
        return sve_elem(zreg(r, d->n), esz, i) + d->imm;
    uint64_t off = sve_elem(zreg(r, d->m), esz, i);
    if (kind == G_UXTW)
        off = (uint32_t)off;
    else if (kind == G_SXTW)
        off = (uint64_t)(int64_t)(int32_t)off;
    return r->x[d->n] + (off << d->c3);
}

static struct dinsn *x_gather(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned msz = d->c1 & 3, esz = (d->c1 >> 2) & 3, eb = 1u << esz, ne = vl >> esz;
    bool sgn = (d->c1 >> 4) & 1, ff = d->c2 & G_FF, first = true, faulted = false;
    const uint8_t *pg = preg(r, d->c0);
    uint8_t res[SVE_Z_BYTES];
    for (unsigned i = 0; i < ne; i++) {
        uint64_t v = 0;
        if (pact(pg, i, eb) && !faulted) {
            uint64_t a = g_addr(r, d, esz, i), x = 0;
            if (mem_read_slow(r, a, 1u << msz, &x)) {
                v = sgn ? sext(x, 8u << msz) : x;
            } else {
                if (first || !ff)
                    NEXT(engine_nisv_exit(r, d, a, 1u << msz, false));
                faulted = true;
                uint8_t *f = r->cpu->ffr;
                for (unsigned k = i << esz; k < vl; k++)
                    f[k >> 3] &= (uint8_t)~(1u << (k & 7));
            }
            first = false;
        }
        sve_elem_set(res, esz, i, v);
    }
    uint8_t *zt = zreg(r, d->d);
    memcpy(zt, res, vl);
    sve_ztail(r, zt, vl);
    NEXT(d + 1);
}

static struct dinsn *x_scatter(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    mem_begin(r, d);
    unsigned msz = d->c1 & 3, esz = (d->c1 >> 2) & 3, eb = 1u << esz, mb = 1u << msz, ne = vl >> esz;
    const uint8_t *pg = preg(r, d->c0), *zt = zreg(r, d->d);
    uint64_t addr[SVE_Z_BYTES / 4];
    /* Addresses first (Zt may be an offset register too: all reads precede writes). */
    for (unsigned i = 0; i < ne; i++) {
        if (!pact(pg, i, eb))
            continue;
        uint64_t a = g_addr(r, d, esz, i), last = a + mb - 1;
        addr[i] = a;
        uint8_t *h = mem_host_rw(r, a, 1, true);
        if (!h)
            NEXT(engine_nisv_exit(r, d, a, mb, true));
        gmem_touch_w(h);    /* host faults before any element is written */
        if ((last & PAGE_MASK) != (a & PAGE_MASK)) {
            h = mem_host_rw(r, last & PAGE_MASK, 1, true);
            if (!h)
                NEXT(engine_nisv_exit(r, d, last & PAGE_MASK, mb, true));
            gmem_touch_w(h);
        }
    }
    for (unsigned i = 0; i < ne; i++)
        if (pact(pg, i, eb) && !mem_write_slow(r, addr[i], mb, zt + i * eb))
            NEXT(engine_nisv_exit(r, d, addr[i], mb, true));
    NEXT(d + 1);
}

/* A gather or scatter row: validate msz/esz/signedness/scaling and fill the entry. */
static bool g_fill(struct decode *dc, bool load, unsigned msz, unsigned esz, bool uns, bool ff, unsigned kind,
                   bool scaled, unsigned zt, unsigned pg, unsigned base, unsigned zm, uint64_t imm)
{
    if (msz > esz || (!uns && msz == esz) || (scaled && msz == 0))
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)zt;
    e->c0 = (uint8_t)pg;
    e->c1 = (uint8_t)(msz | esz << 2 | (uns ? 0 : 16));
    e->c2 = (uint8_t)(kind | (ff ? G_FF : 0));
    e->c3 = (uint8_t)(scaled ? msz : 0);
    e->m = (uint8_t)zm;
    e->imm = imm;
    if (kind == G_VEC) {
        e->fn = load ? x_gather : x_scatter;
        e->n = (uint8_t)base;
    } else {
        sve_mem_fn(dc, load ? x_gather : x_scatter, base);
    }
    return true;
}

bool op_LD1_g32(struct decode *dc, const struct args_LD1_g32 *a)
{
    return g_fill(dc, true, a->z, 2, a->U, a->F, a->x ? G_SXTW : G_UXTW, a->S, a->d, a->g, a->n, a->m, 0);
}

bool op_LD1_gvi32(struct decode *dc, const struct args_LD1_gvi32 *a)
{
    return g_fill(dc, true, a->z, 2, a->U, a->F, G_VEC, false, a->d, a->g, a->n, 0, (uint64_t)a->i << a->z);
}

bool op_LD1_g64(struct decode *dc, const struct args_LD1_g64 *a)
{
    return g_fill(dc, true, a->z, 3, a->U, a->F, G_OFF64, a->S, a->d, a->g, a->n, a->m, 0);
}

bool op_LD1_g64w(struct decode *dc, const struct args_LD1_g64w *a)
{
    return g_fill(dc, true, a->z, 3, a->U, a->F, a->x ? G_SXTW : G_UXTW, a->S, a->d, a->g, a->n, a->m, 0);
}

bool op_LD1_gvi64(struct decode *dc, const struct args_LD1_gvi64 *a)
{
    return g_fill(dc, true, a->z, 3, a->U, a->F, G_VEC, false, a->d, a->g, a->n, 0, (uint64_t)a->i << a->z);
}

bool op_ST1_scw(struct decode *dc, const struct args_ST1_scw *a)
{
    return g_fill(dc, false, a->z, a->E ? 2 : 3, true, false, a->x ? G_SXTW : G_UXTW, a->S, a->d, a->g, a->n,
                  a->m, 0);
}

bool op_ST1_scx(struct decode *dc, const struct args_ST1_scx *a)
{
    switch (a->o) {
    case 0: case 1:                         /* scalar + 64-bit offsets (scaled if o = 1) */
        return g_fill(dc, false, a->z, 3, true, false, G_OFF64, a->o, a->d, a->g, a->n, a->m, 0);
    default:                                /* vector + immediate: .d (o = 2), .s (o = 3) */
        return g_fill(dc, false, a->z, a->o == 2 ? 3 : 2, true, false, G_VEC, false, a->d, a->g, a->n, 0,
                      (uint64_t)a->m << a->z);     /* imm5 sits in the Zm field */
    }
}
