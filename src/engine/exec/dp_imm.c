/*
 * dp_imm.c - data processing with immediates (Arm ARM C4.1.86): ADR/ADRP,
 * add/subtract, logical (bitmask immediates), move wide, bitfield, EXTR.
 *
 * Everything computable at decode time is: ADR/ADRP/MOVZ/MOVN become "load a
 * constant" (the decoded page is tied to its address, so PC is a constant),
 * bitfield moves are specialised into extract / insert / generic forms.
 */
#include "engine/exec/alu.h"
#include "a64_args.h"

bool alu_bitmasks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned width,
                  uint64_t *wmask, uint64_t *tmask)
{
    unsigned v = (n << 6) | (~imms & 0x3f);
    if (!v)
        return false;
    unsigned len = 31 - (unsigned)__builtin_clz(v);
    if (len < 1)
        return false;
    unsigned esize = 1u << len;
    if (esize > width)
        return false;
    unsigned levels = esize - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels;
    unsigned diff = (s - r) & levels;
    uint64_t emask = esize == 64 ? ~0ull : (1ull << esize) - 1;
    uint64_t welem = (s + 1 == 64) ? ~0ull : (1ull << (s + 1)) - 1;
    uint64_t telem = (diff + 1 == 64) ? ~0ull : (1ull << (diff + 1)) - 1;
    /* ROR(welem, r) within esize bits */
    if (r)
        welem = ((welem >> r) | (welem << (esize - r))) & emask;
    uint64_t w = 0, t = 0;
    for (unsigned i = 0; i < 64; i += esize) {
        w |= welem << i;
        t |= telem << i;
    }
    uint64_t wm = width == 64 ? ~0ull : 0xffffffffull;
    *wmask = w & wm;
    *tmask = t & wm;
    return true;
}

/* ---- handlers ------------------------------------------------------------ */

static struct dinsn *x_movi(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = d->imm;
    NEXT(d + 1);
}

static struct dinsn *x_add_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = r->x[d->n] + d->imm;
    NEXT(d + 1);
}

static struct dinsn *x_add_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (uint32_t)(r->x[d->n] + d->imm);
    NEXT(d + 1);
}

static struct dinsn *x_adds_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t res;
    r->nzcv = nzcv_adds64(r->x[d->n], d->imm, &res);
    r->x[d->d] = res;
    NEXT(d + 1);
}

static struct dinsn *x_adds_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    uint32_t res;
    r->nzcv = nzcv_adds32((uint32_t)r->x[d->n], (uint32_t)d->imm, &res);
    r->x[d->d] = res;
    NEXT(d + 1);
}

static struct dinsn *x_subs_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t res;
    r->nzcv = nzcv_subs64(r->x[d->n], d->imm, &res);
    r->x[d->d] = res;
    NEXT(d + 1);
}

static struct dinsn *x_subs_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    uint32_t res;
    r->nzcv = nzcv_subs32((uint32_t)r->x[d->n], (uint32_t)d->imm, &res);
    r->x[d->d] = res;
    NEXT(d + 1);
}

/* ADDS/SUBS (immediate) fused with the B.cond that follows (decode.c:
 * decode_fusable_bcond): one dispatch for the pair, counted as two
 * instructions; with fewer than two left in the chain only the first runs and
 * the B.cond entry executes on its own. link = branch target, k1 = mask. */
#define DEF_FUSED_IMM(NAME, T, FLAGS)                                            \
    static struct dinsn *NAME(struct run *r, struct dinsn *d, uint64_t n)        \
    {                                                                            \
        T res;                                                                   \
        uint32_t f = FLAGS((T)r->x[d->n], (T)d->imm, &res);                      \
        r->nzcv = f;                                                             \
        r->x[d->d] = res;                                                        \
        if (unlikely(n < 2))                                                     \
            NEXT(d + 1);                                                         \
        n--;                                                                     \
        NEXT(((d->k1 >> (f >> 28)) & 1) ? d->link : d + 2);                      \
    }
DEF_FUSED_IMM(x_adds_imm_x_bc, uint64_t, nzcv_adds64)
DEF_FUSED_IMM(x_adds_imm_w_bc, uint32_t, nzcv_adds32)
DEF_FUSED_IMM(x_subs_imm_x_bc, uint64_t, nzcv_subs64)
DEF_FUSED_IMM(x_subs_imm_w_bc, uint32_t, nzcv_subs32)

/* Logical immediates: imm is already limited to the register width, so AND
 * needs no W variant; ORR/EOR do (the source's upper half must not leak). */
static struct dinsn *x_and_imm(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = r->x[d->n] & d->imm;
    NEXT(d + 1);
}

static struct dinsn *x_orr_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = r->x[d->n] | d->imm;
    NEXT(d + 1);
}

static struct dinsn *x_orr_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (uint32_t)(r->x[d->n] | d->imm);
    NEXT(d + 1);
}

static struct dinsn *x_eor_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = r->x[d->n] ^ d->imm;
    NEXT(d + 1);
}

static struct dinsn *x_eor_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (uint32_t)(r->x[d->n] ^ d->imm);
    NEXT(d + 1);
}

static struct dinsn *x_ands_imm_x(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t v = r->x[d->n] & d->imm;
    r->nzcv = nz64(v);
    r->x[d->d] = v;
    NEXT(d + 1);
}

static struct dinsn *x_ands_imm_w(struct run *r, struct dinsn *d, uint64_t n)
{
    uint32_t v = (uint32_t)r->x[d->n] & (uint32_t)d->imm;
    r->nzcv = nz32(v);
    r->x[d->d] = v;
    NEXT(d + 1);
}

/* MOVK: keep the bits of imm2, insert imm (imm2 also clears bits 63:32 for W). */
static struct dinsn *x_movk(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (r->x[d->d] & d->imm2) | d->imm;
    NEXT(d + 1);
}

/* Bitfield moves. UBFX: (src >> c0) & imm. */
static struct dinsn *x_ubfx(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (r->x[d->n] >> d->c0) & d->imm;
    NEXT(d + 1);
}

/* SBFX: sign-extend the field: (src << c0) >> c1 (arithmetic), width mask imm. */
static struct dinsn *x_sbfx(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (uint64_t)((int64_t)(r->x[d->n] << d->c0) >> d->c1) & d->imm;
    NEXT(d + 1);
}

/* UBFIZ (incl. LSL): (src & imm) << c0. */
static struct dinsn *x_ubfiz(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[d->d] = (r->x[d->n] & d->imm) << d->c0;
    NEXT(d + 1);
}

/* SBFIZ: sign-extend the low c1-bit-wide field ((src << c0') >> c1'), then shift left c2. */
static struct dinsn *x_sbfiz(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t v = (uint64_t)((int64_t)(r->x[d->n] << d->c0) >> d->c0);
    r->x[d->d] = (v << d->c1) & d->imm;
    NEXT(d + 1);
}

/* BFM (BFI, BFXIL): imm = wmask, imm2 = tmask, c0 = rotation, c1 = 32/64. */
static struct dinsn *x_bfm(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t src = r->x[d->n], dst = r->x[d->d];
    uint64_t rot = d->c1 == 64 ? ror64(src, d->c0) : ror32((uint32_t)src, d->c0);
    uint64_t bot = (dst & ~d->imm) | (rot & d->imm);
    uint64_t res = (dst & ~d->imm2) | (bot & d->imm2);
    r->x[d->d] = d->c1 == 64 ? res : (uint32_t)res;
    NEXT(d + 1);
}

static struct dinsn *x_extr_x(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t hi = r->x[d->n], lo = r->x[d->m];
    r->x[d->d] = d->c0 ? (lo >> d->c0) | (hi << (64 - d->c0)) : lo;
    NEXT(d + 1);
}

static struct dinsn *x_extr_w(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t v = ((r->x[d->n] & 0xffffffffull) << 32) | (uint32_t)r->x[d->m];
    r->x[d->d] = (uint32_t)(v >> d->c0);
    NEXT(d + 1);
}

/* ---- decode -------------------------------------------------------------- */

static void set_const(struct decode *dc, uint32_t rd, uint64_t v)
{
    dc->e->fn = x_movi;
    dc->e->d = slot_wz(rd);
    dc->e->imm = v;
}

bool op_ADR(struct decode *dc, const struct args_ADR *a)
{
    set_const(dc, a->d, dc->pc + sext((a->i << 2) | a->l, 21));
    return true;
}

bool op_ADRP(struct decode *dc, const struct args_ADRP *a)
{
    set_const(dc, a->d, (dc->pc & ~0xfffull) + (sext((a->i << 2) | a->l, 21) << 12));
    return true;
}

static bool addsub_imm(struct decode *dc, uint32_t z, uint32_t h, uint32_t i, uint32_t n, uint32_t d,
                       bool sub, bool setflags)
{
    struct dinsn *e = dc->e;
    uint64_t imm = (uint64_t)i << (h ? 12 : 0);
    e->n = slot_sp(n);
    e->d = setflags ? slot_wz(d) : slot_sp(d);
    if (setflags) {
        uint16_t mask;
        struct dinsn *t = decode_fusable_bcond(dc, &mask);
        e->imm = imm;
        if (t) {
            e->link = t;
            e->k1 = mask;
            e->fn = sub ? (z ? x_subs_imm_x_bc : x_subs_imm_w_bc) : (z ? x_adds_imm_x_bc : x_adds_imm_w_bc);
        } else {
            e->fn = sub ? (z ? x_subs_imm_x : x_subs_imm_w) : (z ? x_adds_imm_x : x_adds_imm_w);
        }
    } else {
        e->imm = sub ? (uint64_t)-imm : imm;
        e->fn = z ? x_add_imm_x : x_add_imm_w;
    }
    return true;
}

bool op_ADD_imm(struct decode *dc, const struct args_ADD_imm *a)
{
    return addsub_imm(dc, a->z, a->h, a->i, a->n, a->d, false, false);
}

bool op_ADDS_imm(struct decode *dc, const struct args_ADDS_imm *a)
{
    return addsub_imm(dc, a->z, a->h, a->i, a->n, a->d, false, true);
}

bool op_SUB_imm(struct decode *dc, const struct args_SUB_imm *a)
{
    return addsub_imm(dc, a->z, a->h, a->i, a->n, a->d, true, false);
}

bool op_SUBS_imm(struct decode *dc, const struct args_SUBS_imm *a)
{
    return addsub_imm(dc, a->z, a->h, a->i, a->n, a->d, true, true);
}

enum { L_AND, L_ORR, L_EOR, L_ANDS };

static bool logic_imm(struct decode *dc, unsigned op, uint32_t z, uint32_t N, uint32_t rr, uint32_t s,
                      uint32_t n, uint32_t d)
{
    uint64_t wmask, tmask;
    if (!z && N)
        return false;
    if (!alu_bitmasks(N, s, rr, true, z ? 64 : 32, &wmask, &tmask))
        return false;
    struct dinsn *e = dc->e;
    e->imm = wmask;
    e->n = slot_rz(n);
    e->d = op == L_ANDS ? slot_wz(d) : slot_sp(d);
    switch (op) {
    case L_AND: e->fn = x_and_imm; break;
    case L_ORR:
        if (n == 31 && d != 31) {         /* MOV (bitmask immediate) */
            set_const(dc, d, wmask);
            return true;
        }
        e->fn = z ? x_orr_imm_x : x_orr_imm_w;
        break;
    case L_EOR: e->fn = z ? x_eor_imm_x : x_eor_imm_w; break;
    default: e->fn = z ? x_ands_imm_x : x_ands_imm_w; break;
    }
    return true;
}

bool op_AND_imm(struct decode *dc, const struct args_AND_imm *a)
{
    return logic_imm(dc, L_AND, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_ORR_imm(struct decode *dc, const struct args_ORR_imm *a)
{
    return logic_imm(dc, L_ORR, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_EOR_imm(struct decode *dc, const struct args_EOR_imm *a)
{
    return logic_imm(dc, L_EOR, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_ANDS_imm(struct decode *dc, const struct args_ANDS_imm *a)
{
    return logic_imm(dc, L_ANDS, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_MOVN(struct decode *dc, const struct args_MOVN *a)
{
    if (!a->z && a->h >= 2)
        return false;
    uint64_t v = ~((uint64_t)a->i << (16 * a->h));
    set_const(dc, a->d, a->z ? v : (uint32_t)v);
    return true;
}

bool op_MOVZ(struct decode *dc, const struct args_MOVZ *a)
{
    if (!a->z && a->h >= 2)
        return false;
    set_const(dc, a->d, (uint64_t)a->i << (16 * a->h));
    return true;
}

bool op_MOVK(struct decode *dc, const struct args_MOVK *a)
{
    if (!a->z && a->h >= 2)
        return false;
    struct dinsn *e = dc->e;
    unsigned sh = 16 * a->h;
    e->fn = x_movk;
    e->d = slot_wz(a->d);
    e->imm = (uint64_t)a->i << sh;
    e->imm2 = ~(0xffffull << sh) & (a->z ? ~0ull : 0xffffffffull);
    return true;
}

/* SBFM / UBFM / BFM: Arm ARM C6.2 (aliases LSL, LSR, ASR, SXT*, UXT*, *BFX, *BFIZ). */
static bool bitfield(struct decode *dc, int kind, uint32_t z, uint32_t N, uint32_t immr, uint32_t imms,
                     uint32_t n, uint32_t d)
{
    unsigned width = z ? 64 : 32;
    uint64_t wmask, tmask;
    if (N != z || immr >= width || imms >= width)
        return false;
    if (!alu_bitmasks(N, imms, immr, false, width, &wmask, &tmask))
        return false;
    struct dinsn *e = dc->e;
    uint64_t wm = z ? ~0ull : 0xffffffffull;
    e->n = slot_rz(n);
    e->d = slot_wz(d);
    if (kind == 1) {                     /* BFM */
        e->fn = x_bfm;
        e->imm = wmask;
        e->imm2 = tmask;
        e->c0 = (uint8_t)immr;
        e->c1 = (uint8_t)width;
        return true;
    }
    if (imms >= immr) {                  /* extract bits imms:immr */
        unsigned len = imms - immr + 1;
        if (kind == 2) {
            e->fn = x_ubfx;
            e->c0 = (uint8_t)immr;
            e->imm = len == 64 ? ~0ull : (1ull << len) - 1;
        } else {
            e->fn = x_sbfx;
            e->c0 = (uint8_t)(64 - immr - len);
            e->c1 = (uint8_t)(64 - len);
            e->imm = wm;
        }
    } else {                             /* insert bits imms:0 at width - immr */
        unsigned len = imms + 1, pos = width - immr;
        if (kind == 2) {
            e->fn = x_ubfiz;
            e->imm = (1ull << len) - 1;
            e->c0 = (uint8_t)pos;
        } else {
            e->fn = x_sbfiz;
            e->c0 = (uint8_t)(64 - len);
            e->c1 = (uint8_t)pos;
            e->imm = wm;
        }
    }
    return true;
}

bool op_SBFM(struct decode *dc, const struct args_SBFM *a)
{
    return bitfield(dc, 0, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_BFM(struct decode *dc, const struct args_BFM *a)
{
    return bitfield(dc, 1, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_UBFM(struct decode *dc, const struct args_UBFM *a)
{
    return bitfield(dc, 2, a->z, a->N, a->r, a->s, a->n, a->d);
}

bool op_EXTR(struct decode *dc, const struct args_EXTR *a)
{
    if (a->N != a->z || (!a->z && a->s >= 32))
        return false;
    struct dinsn *e = dc->e;
    e->fn = a->z ? x_extr_x : x_extr_w;
    e->d = slot_wz(a->d);
    e->n = slot_rz(a->n);
    e->m = slot_rz(a->m);
    e->c0 = (uint8_t)a->s;
    return true;
}
