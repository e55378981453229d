/*
 * simd_ldst.c - Advanced SIMD structure loads and stores: LD1-LD4/ST1-ST4
 * (multiple structures, 1-4 registers), LD1-LD4/ST1-ST4 (single structure,
 * one lane), LD1R-LD4R (replicate), with and without post-index (immediate =
 * the transfer size when Rm is 31, else Xm). Arm ARM C7: LD1 (multiple
 * structures) ... LD4R.
 *
 * The whole transfer (at most 64 bytes) is one guest access: it either
 * completes or takes the exit / abort before any register or byte changes.
 * Outside RAM it is an NISV exit (no syndrome for SIMD&FP accesses, spec 4.3).
 * Registers wrap modulo 32; every register written is zero-extended beyond
 * 128 bits (SVE), a single-lane load keeps its other lanes.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

/* Entry: d = Rt, n = base slot, m = Xm slot (post-index by register),
 * c0 = log2 lane bytes, c1 = register bytes (8/16), c2 = selem, c3 = rpt
 * (multiple) or lane index (single), a = flags below, imm = post-index amount. */
#define SF_LOAD  1u
#define SF_WB    2u      /* post-index */
#define SF_WBREG 4u      /* post-index by Xm */
#define SF_REPL  8u      /* LDnR */

/* Small copies in 8-byte steps (lengths vary per instruction: a memcpy call
 * with a variable length would dominate); guest memory through gmem_* under
 * ThreadSanitizer. */
static inline void copy_small(uint8_t *dst, const uint8_t *src, unsigned len)
{
    unsigned i = 0;
    for (; i + 8 <= len; i += 8)
        memcpy(dst + i, src + i, 8);
    for (; i < len; i++)
        dst[i] = src[i];
}

static bool xfer(struct run *r, uint64_t addr, uint8_t *buf, unsigned len, bool load)
{
    uint8_t *h = load ? tlb_read(r, addr, len) : tlb_write(r, addr, len);
    if (likely(h)) {
#ifdef ENGINE_TSAN
        if (load)
            gmem_read(buf, h, len);
        else
            gmem_write(h, buf, len);
#else
        if (load)
            copy_small(buf, h, len);
        else
            copy_small(h, buf, len);
#endif
        return true;
    }
    return load ? mem_read_slow(r, addr, len, buf) : mem_write_slow(r, addr, len, buf);
}

/* One lane of eb bytes (1, 2, 4, 8). */
static inline void copy_lane(uint8_t *dst, const uint8_t *src, unsigned eb)
{
    switch (eb) {
    case 1: *dst = *src; break;
    case 2: memcpy(dst, src, 2); break;
    case 4: memcpy(dst, src, 4); break;
    default: memcpy(dst, src, 8); break;
    }
}

static void writeback(struct run *r, const struct dinsn *d, uint64_t addr)
{
    if (d->a & SF_WB)
        r->x[d->n] = addr + ((d->a & SF_WBREG) ? r->x[d->m] : d->imm);
}

/* Interleave (store) / de-interleave (load) selem registers of lanes of
 * type T: memory lane e*selem + s is lane e of register s. */
#define ILV(T)                                                                   \
    static void ilv_##T(uint8_t *mem, uint8_t (*regs)[16], unsigned elems, unsigned selem, bool load) \
    {                                                                            \
        for (unsigned e = 0; e < elems; e++)                                     \
            for (unsigned s = 0; s < selem; s++) {                               \
                T *m = (T *)(void *)(mem + (e * selem + s) * sizeof(T));         \
                T *v = (T *)(void *)(regs[s] + e * sizeof(T));                   \
                if (load)                                                        \
                    memcpy(v, m, sizeof(T));                                     \
                else                                                             \
                    memcpy(m, v, sizeof(T));                                     \
            }                                                                    \
    }
ILV(uint8_t)
ILV(uint16_t)
ILV(uint32_t)
ILV(uint64_t)

static void interleave(uint8_t *mem, uint8_t (*regs)[16], unsigned eb, unsigned elems, unsigned selem, bool load)
{
    switch (eb) {
    case 1: ilv_uint8_t(mem, regs, elems, selem, load); break;
    case 2: ilv_uint16_t(mem, regs, elems, selem, load); break;
    case 4: ilv_uint32_t(mem, regs, elems, selem, load); break;
    default: ilv_uint64_t(mem, regs, elems, selem, load); break;
    }
}

static struct dinsn *x_ldst_multi(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    mem_begin(r, d);
    uint64_t addr = r->x[d->n];
    unsigned eb = 1u << d->c0, regb = d->c1, selem = d->c2, rpt = d->c3;
    unsigned elems = regb / eb, len = rpt * selem * regb, nregs = rpt * selem;
    bool load = d->a & SF_LOAD;
    uint8_t buf[64], regs[4][16];
    if (!load) {
        if (selem == 1) {                 /* ST1: the registers back to back */
            for (unsigned k = 0; k < nregs; k++)
                copy_small(buf + k * regb, vreg(r, (d->d + k) % 32), regb);
        } else {
            for (unsigned k = 0; k < nregs; k++)
                memcpy(regs[k], vreg(r, (d->d + k) % 32), 16);
            interleave(buf, regs, eb, elems, selem, false);
        }
        if (!xfer(r, addr, buf, len, false))
            NEXT(engine_nisv_exit(r, d, addr, len, true));
    } else {
        if (!xfer(r, addr, buf, len, true))
            NEXT(engine_nisv_exit(r, d, addr, len, false));
        if (selem == 1) {
            for (unsigned k = 0; k < nregs; k++)
                vset(r, (d->d + k) % 32, buf + k * regb, regb);
        } else {
            interleave(buf, regs, eb, elems, selem, true);
            for (unsigned k = 0; k < nregs; k++)
                vset(r, (d->d + k) % 32, regs[k], regb);
        }
    }
    writeback(r, d, addr);
    NEXT(d + 1);
}

static struct dinsn *x_ldst_single(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    mem_begin(r, d);
    uint64_t addr = r->x[d->n];
    unsigned eb = 1u << d->c0, selem = d->c2, len = selem * eb;
    uint8_t buf[32];
    if (d->a & SF_LOAD) {
        if (!xfer(r, addr, buf, len, true))
            NEXT(engine_nisv_exit(r, d, addr, len, false));
        for (unsigned s = 0; s < selem; s++) {
            unsigned t = (d->d + s) % 32;
            if (d->a & SF_REPL) {
                uint8_t v[16];
                for (unsigned i = 0; i < d->c1; i += eb)
                    copy_lane(v + i, buf + s * eb, eb);
                vset(r, t, v, d->c1);
            } else {
                copy_lane(vreg(r, t) + d->c3 * eb, buf + s * eb, eb);
                vzero_from(r, t, 16);
            }
        }
    } else {
        for (unsigned s = 0; s < selem; s++)
            copy_lane(buf + s * eb, vreg(r, (d->d + s) % 32) + d->c3 * eb, eb);
        if (!xfer(r, addr, buf, len, false))
            NEXT(engine_nisv_exit(r, d, addr, len, true));
    }
    writeback(r, d, addr);
    NEXT(d + 1);
}

static void set_wb(struct dinsn *e, bool post, uint32_t rm, unsigned amount)
{
    if (!post)
        return;
    e->a |= SF_WB;
    if (rm == 31) {
        e->imm = amount;
    } else {
        e->a |= SF_WBREG;
        e->m = slot_rz(rm);
    }
}

static bool dec_multi(struct decode *dc, unsigned q, unsigned load, unsigned opcode, unsigned size, uint32_t rn,
                      uint32_t rt, bool post, uint32_t rm)
{
    unsigned rpt, selem;
    switch (opcode) {
    case 0x0: rpt = 1; selem = 4; break;
    case 0x2: rpt = 4; selem = 1; break;
    case 0x4: rpt = 1; selem = 3; break;
    case 0x6: rpt = 3; selem = 1; break;
    case 0x7: rpt = 1; selem = 1; break;
    case 0x8: rpt = 1; selem = 2; break;
    case 0xa: rpt = 2; selem = 1; break;
    default: return false;
    }
    if (size == 3 && !q && selem != 1)
        return false;
    struct dinsn *e = dc->e;
    e->d = (uint8_t)rt;
    e->c0 = (uint8_t)size;
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)selem;
    e->c3 = (uint8_t)rpt;
    e->a = load ? SF_LOAD : 0;
    set_wb(e, post, rm, rpt * selem * (q ? 16u : 8u));
    fp_mem_fn(dc, x_ldst_multi, rn);
    return true;
}

bool op_LDST_multi(struct decode *dc, const struct args_LDST_multi *a)
{
    return dec_multi(dc, a->q, a->L, a->o, a->z, a->n, a->t, false, 0);
}

bool op_LDST_multi_post(struct decode *dc, const struct args_LDST_multi_post *a)
{
    return dec_multi(dc, a->q, a->L, a->o, a->z, a->n, a->t, true, a->m);
}

static bool dec_single(struct decode *dc, unsigned q, unsigned load, unsigned r, unsigned opcode, unsigned s,
                       unsigned size, uint32_t rn, uint32_t rt, bool post, uint32_t rm)
{
    unsigned scale = opcode >> 1, selem = ((opcode & 1) << 1 | r) + 1, index = 0;
    bool repl = false;
    switch (scale) {
    case 0: index = q << 3 | s << 2 | size; break;
    case 1: if (size & 1) return false; index = q << 2 | s << 1 | size >> 1; break;
    case 2:
        if (size & 2)
            return false;
        if (size & 1) {
            if (s)
                return false;
            index = q;
            scale = 3;
        } else {
            index = q << 1 | s;
        }
        break;
    default:
        if (!load || s)
            return false;
        scale = size;
        repl = true;
        break;
    }
    struct dinsn *e = dc->e;
    e->d = (uint8_t)rt;
    e->c0 = (uint8_t)scale;
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)selem;
    e->c3 = (uint8_t)index;
    e->a = (load ? SF_LOAD : 0) | (repl ? SF_REPL : 0);
    set_wb(e, post, rm, selem << scale);
    fp_mem_fn(dc, x_ldst_single, rn);
    return true;
}

bool op_LDST_single(struct decode *dc, const struct args_LDST_single *a)
{
    return dec_single(dc, a->q, a->L, a->R, a->o, a->S, a->z, a->n, a->t, false, 0);
}

bool op_LDST_single_post(struct decode *dc, const struct args_LDST_single_post *a)
{
    return dec_single(dc, a->q, a->L, a->R, a->o, a->S, a->z, a->n, a->t, true, a->m);
}
