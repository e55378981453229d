/*
 * simd_perm.c - Advanced SIMD data movement: ZIP1/2, UZP1/2, TRN1/2, EXT,
 * TBL/TBX and the scalar DUP (element) (MOV Sd, Vn.S[i]). Arm ARM C7 pages;
 * lanes are moved as bytes, c0 = lane bytes, c1 = vector bytes (8 or 16).
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

enum { P_ZIP1, P_ZIP2, P_UZP1, P_UZP2, P_TRN1, P_TRN2 };

/* c2 = which permute. */
static struct dinsn *x_perm(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t a[16], b[16], cat[32], out[16];
    unsigned e = d->c0, bytes = d->c1, lanes = bytes / e;
    memcpy(a, vreg(r, d->n), 16);
    memcpy(b, vreg(r, d->m), 16);
    memcpy(cat, a, 16);
    memcpy(cat + bytes, b, 16);
    for (unsigned i = 0; i < lanes; i++) {
        const uint8_t *src;
        unsigned h = i / 2, odd = i & 1;
        switch (d->c2) {
        case P_ZIP1: src = (odd ? b : a) + h * e; break;
        case P_ZIP2: src = (odd ? b : a) + (lanes / 2 + h) * e; break;
        case P_UZP1: src = cat + 2 * i * e; break;
        case P_UZP2: src = cat + (2 * i + 1) * e; break;
        case P_TRN1: src = (odd ? b : a) + 2 * h * e; break;
        default: src = (odd ? b : a) + (2 * h + 1) * e; break;
        }
        memcpy(out + i * e, src, e);
    }
    vset(r, d->d, out, bytes);
    NEXT(d + 1);
}

static bool dec_perm(struct decode *dc, unsigned which, unsigned q, unsigned size, uint32_t rd, uint32_t rn,
                     uint32_t rm)
{
    if (size == 3 && !q)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_perm;
    e->c0 = (uint8_t)(1u << size);
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)which;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    return true;
}

#define OP_PERM(N, W)                                                            \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec_perm(dc, W, a->q, a->z, a->d, a->n, a->m);                    \
    }
OP_PERM(ZIP1, P_ZIP1) OP_PERM(ZIP2, P_ZIP2) OP_PERM(UZP1, P_UZP1) OP_PERM(UZP2, P_UZP2)
OP_PERM(TRN1, P_TRN1) OP_PERM(TRN2, P_TRN2)

/* EXT: bytes c2.. of Vm:Vn (Vn lowest). */
static struct dinsn *x_ext(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t cat[48];
    unsigned bytes = d->c1;
    memcpy(cat, vreg(r, d->n), 16);
    memcpy(cat + bytes, vreg(r, d->m), 16);
    vset(r, d->d, cat + d->c2, bytes);
    NEXT(d + 1);
}

bool op_EXT(struct decode *dc, const struct args_EXT *a)
{
    if (!a->q && (a->i & 8))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_ext;
    e->c1 = a->q ? 16 : 8;
    e->c2 = (uint8_t)a->i;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}

/* TBL/TBX: c2 = table registers (1-4, from Vn upwards modulo 32), c3 = 1 for TBX. */
static struct dinsn *x_tbl(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t table[64], idx[16], out[16];
    unsigned nt = d->c2;
    for (unsigned i = 0; i < nt; i++)
        memcpy(table + 16 * i, vreg(r, (d->n + i) % 32), 16);
    memcpy(idx, vreg(r, d->m), 16);
    memcpy(out, vreg(r, d->d), 16);
    for (unsigned i = 0; i < d->c1; i++) {
        if (idx[i] < 16 * nt)
            out[i] = table[idx[i]];
        else if (!d->c3)
            out[i] = 0;
    }
    vset(r, d->d, out, d->c1);
    NEXT(d + 1);
}

static bool dec_tbl(struct decode *dc, unsigned q, unsigned len, uint32_t rd, uint32_t rn, uint32_t rm, bool tbx)
{
    struct dinsn *e = dc->e;
    e->fn = x_tbl;
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)(len + 1);
    e->c3 = tbx;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    return true;
}

bool op_TBL(struct decode *dc, const struct args_TBL *a)
{
    return dec_tbl(dc, a->q, a->l, a->d, a->n, a->m, false);
}

bool op_TBX(struct decode *dc, const struct args_TBX *a)
{
    return dec_tbl(dc, a->q, a->l, a->d, a->n, a->m, true);
}

/* DUP (element, scalar): c0 = lane bytes, c3 = index. */
static struct dinsn *x_dup_scalar(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t v[8];
    memcpy(v, vreg(r, d->n) + d->c3 * d->c0, d->c0);
    vset(r, d->d, v, d->c0);
    NEXT(d + 1);
}

bool op_DUP_elem_sv(struct decode *dc, const struct args_DUP_elem_sv *a)
{
    if (!(a->i & 0xf))
        return false;
    unsigned size = (unsigned)__builtin_ctz(a->i);
    struct dinsn *e = dc->e;
    e->fn = x_dup_scalar;
    e->c0 = (uint8_t)(1u << size);
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    return true;
}
