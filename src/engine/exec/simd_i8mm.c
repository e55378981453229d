/*
 * simd_i8mm.c - Int8 matrix multiply and mixed-sign dot products
 * (FEAT_I8MM): SMMLA, UMMLA, USMMLA, USDOT (vector), USDOT and SUDOT (by
 * element).
 *
 * Dot products: 32-bit lane i of Vd += the four byte products of Vn bytes
 * 4i..4i+3 and Vm bytes 4j..4j+3, j = i (vector) or the element index (by
 * element). Matrix multiply: Vn and Vm each hold a 2x8 byte matrix (row-
 * major); Vd (2x2 of 32 bits) += Vn * Vm^T. USDOT and USMMLA take Vn unsigned
 * and Vm signed, SUDOT the reverse. Accumulation wraps modulo 2^32 (Arm ARM:
 * the sum is truncated to the element). The products of bytes and their
 * sums fit int32 without overflow (|sum| <= 8 * 255 * 255).
 *
 * Entry: d, n, m; c1 = bytes written; c2 bit 0: Vn bytes signed, bit 1: Vm
 * bytes signed; c3 = Vm 32-bit element (by element), 0xff for the vector form.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

enum { SGN_N = 1, SGN_M = 2 };

static inline int32_t byte_val(uint8_t b, bool sgn)
{
    return sgn ? (int32_t)(int8_t)b : (int32_t)b;
}

static inline int32_t dot_bytes(const uint8_t *a, const uint8_t *b, unsigned k, unsigned sg)
{
    int32_t s = 0;
    for (unsigned i = 0; i < k; i++)
        s += byte_val(a[i], sg & SGN_N) * byte_val(b[i], sg & SGN_M);
    return s;
}

static struct dinsn *x_dot8(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t a[16], b[16];
    uint32_t acc[4];
    memcpy(a, vreg(r, d->n), 16);
    memcpy(b, vreg(r, d->m), 16);
    memcpy(acc, vreg(r, d->d), 16);
    for (unsigned i = 0; i < d->c1 / 4; i++) {
        unsigned j = d->c3 == 0xff ? i : d->c3;
        acc[i] += (uint32_t)dot_bytes(a + 4 * i, b + 4 * j, 4, d->c2);
    }
    vset(r, d->d, acc, d->c1);
    NEXT(d + 1);
}

static struct dinsn *x_mmla8(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint8_t a[16], b[16];
    uint32_t acc[4];
    memcpy(a, vreg(r, d->n), 16);
    memcpy(b, vreg(r, d->m), 16);
    memcpy(acc, vreg(r, d->d), 16);
    for (unsigned i = 0; i < 2; i++)
        for (unsigned j = 0; j < 2; j++)
            acc[2 * i + j] += (uint32_t)dot_bytes(a + 8 * i, b + 8 * j, 8, d->c2);
    vset(r, d->d, acc, 16);
    NEXT(d + 1);
}

static bool dec_i8(struct decode *dc, exec_fn fn, unsigned bytes, unsigned sg, unsigned idx, uint32_t rd,
                   uint32_t rn, uint32_t rm)
{
    struct dinsn *e = dc->e;
    e->fn = fn;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c1 = (uint8_t)bytes;
    e->c2 = (uint8_t)sg;
    e->c3 = (uint8_t)idx;
    return true;
}

bool op_SMMLA(struct decode *dc, const struct args_SMMLA *a)
{
    return dec_i8(dc, x_mmla8, 16, SGN_N | SGN_M, 0, a->d, a->n, a->m);
}

bool op_UMMLA(struct decode *dc, const struct args_UMMLA *a)
{
    return dec_i8(dc, x_mmla8, 16, 0, 0, a->d, a->n, a->m);
}

bool op_USMMLA(struct decode *dc, const struct args_USMMLA *a)
{
    return dec_i8(dc, x_mmla8, 16, SGN_M, 0, a->d, a->n, a->m);
}

bool op_USDOT(struct decode *dc, const struct args_USDOT *a)
{
    return dec_i8(dc, x_dot8, a->q ? 16 : 8, SGN_M, 0xff, a->d, a->n, a->m);
}

/* By element: 32-bit element H:L of Vm = M:Rm. */
bool op_USDOT_elem(struct decode *dc, const struct args_USDOT_elem *a)
{
    return dec_i8(dc, x_dot8, a->q ? 16 : 8, SGN_M, a->H << 1 | a->L, a->d, a->n, a->M << 4 | a->m);
}

bool op_SUDOT_elem(struct decode *dc, const struct args_SUDOT_elem *a)
{
    return dec_i8(dc, x_dot8, a->q ? 16 : 8, SGN_N, a->H << 1 | a->L, a->d, a->n, a->M << 4 | a->m);
}
