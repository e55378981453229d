/*
 * simd_cplx.c - Advanced SIMD complex arithmetic (FEAT_FCMA): FCMLA (vector
 * and by element) and FCADD, on half (FEAT_FP16), single and double lanes.
 *
 * A vector holds complex numbers as (real, imaginary) lane pairs. The
 * rotation decides which part of Vm meets which part of Vn, and with which
 * sign; the Arm ARM's pseudocode (C7 FCMLA, FCADD) negates with FPNeg, a
 * plain sign flip that also flips a NaN's sign, so that is what the loops do
 * before the operand reaches fp_arith.h. Each FCMLA lane is one fused
 * FPMulAdd(Vd lane, Vn part, signed Vm part); FCMLA #0 plus FCMLA #90 is a
 * full complex multiply-accumulate.
 *
 * Entry: d, n, m; c0 = size; c1 = bytes written (8 or 16); c2 = rotation
 * (FCMLA: 0-3 for 0, 90, 180, 270 degrees; FCADD: 0 for 90, 1 for 270);
 * c3 = the pair of Vm every pair uses (by element), 0xff: the pair in the
 * same position (vector forms).
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

#define CPLX_HANDLERS(SZ, T)                                                             \
    static struct dinsn *x_fcmla_##SZ(struct run *r, struct dinsn *d, uint64_t n)        \
    {                                                                                    \
        FP_CHECK(r, d);                                                                  \
        struct fpst st;                                                                  \
        fpst_init(&st, r->cpu);                                                          \
        T vn[LANES(T)], vm[LANES(T)], vd[LANES(T)];                                      \
        memcpy(vn, vreg(r, d->n), 16);                                                   \
        memcpy(vm, vreg(r, d->m), 16);                                                   \
        memcpy(vd, vreg(r, d->d), 16);                                                   \
        unsigned rot = d->c2, odd = rot & 1;                                             \
        /* rot 0: re += n.re*m.re, im += n.re*m.im;  90: re += n.im*-m.im, im += n.im*m.re; \
         * 180: re += n.re*-m.re, im += n.re*-m.im; 270: re += n.im*m.im, im += n.im*-m.re. */ \
        uint64_t neg_re = (rot == 1 || rot == 2) ? fp_signbit(SZ) : 0;                   \
        uint64_t neg_im = rot >= 2 ? fp_signbit(SZ) : 0;                                 \
        for (unsigned e = 0; e < d->c1 / (2 * sizeof(T)); e++) {                         \
            unsigned p = d->c3 == 0xff ? e : d->c3;                                      \
            uint64_t x = vn[2 * e + odd];                                                \
            uint64_t m_re = vm[2 * p + odd] ^ neg_re, m_im = vm[2 * p + 1 - odd] ^ neg_im; \
            vd[2 * e] = (T)fp_muladd_z(&st, SZ, vd[2 * e], x, m_re);                     \
            vd[2 * e + 1] = (T)fp_muladd_z(&st, SZ, vd[2 * e + 1], x, m_im);             \
        }                                                                                \
        fpst_done(&st, r->cpu);                                                          \
        vset(r, d->d, vd, d->c1);                                                        \
        NEXT(d + 1);                                                                     \
    }                                                                                    \
    /* FCADD #90: (n.re - m.im, n.im + m.re); #270: (n.re + m.im, n.im - m.re). */       \
    static struct dinsn *x_fcadd_##SZ(struct run *r, struct dinsn *d, uint64_t n)        \
    {                                                                                    \
        FP_CHECK(r, d);                                                                  \
        struct fpst st;                                                                  \
        fpst_init(&st, r->cpu);                                                          \
        T vn[LANES(T)], vm[LANES(T)], vr[LANES(T)];                                      \
        memcpy(vn, vreg(r, d->n), 16);                                                   \
        memcpy(vm, vreg(r, d->m), 16);                                                   \
        uint64_t neg = fp_signbit(SZ);                                                   \
        for (unsigned e = 0; e < d->c1 / (2 * sizeof(T)); e++) {                         \
            uint64_t m_re = vm[2 * e], m_im = vm[2 * e + 1];                             \
            vr[2 * e] = (T)fp_add_z(&st, SZ, vn[2 * e], d->c2 ? m_im : m_im ^ neg);      \
            vr[2 * e + 1] = (T)fp_add_z(&st, SZ, vn[2 * e + 1], d->c2 ? m_re ^ neg : m_re); \
        }                                                                                \
        fpst_done(&st, r->cpu);                                                          \
        vset(r, d->d, vr, d->c1);                                                        \
        NEXT(d + 1);                                                                     \
    }

CPLX_HANDLERS(1, uint16_t)
CPLX_HANDLERS(2, uint32_t)
CPLX_HANDLERS(3, uint64_t)

static const exec_fn t_fcmla[4] = { NULL, x_fcmla_1, x_fcmla_2, x_fcmla_3 };
static const exec_fn t_fcadd[4] = { NULL, x_fcadd_1, x_fcadd_2, x_fcadd_3 };

/* Sizes: 01 half (FEAT_FP16), 10 single, 11 double (128-bit vectors only). */
static bool dec_cplx(struct decode *dc, const exec_fn *tab, unsigned q, unsigned size, unsigned rot, unsigned pair,
                     uint32_t rd, uint32_t rn, uint32_t rm)
{
    if ((size == 1 && !(dc->features & A64_FEAT_FP16)) || (size == 3 && !q))
        return false;
    if (!simd_dec_lanes(dc, tab, SZ_H | SZ_SD, size, q ? 16 : 8, rd, rn, rm))
        return false;
    dc->e->c2 = (uint8_t)rot;
    dc->e->c3 = (uint8_t)pair;
    return true;
}

bool op_FCMLA_v(struct decode *dc, const struct args_FCMLA_v *a)
{
    return dec_cplx(dc, t_fcmla, a->q, a->z, a->r, 0xff, a->d, a->n, a->m);
}

bool op_FCADD_v(struct decode *dc, const struct args_FCADD_v *a)
{
    return dec_cplx(dc, t_fcadd, a->q, a->z, a->r, 0xff, a->d, a->n, a->m);
}

/* By element: Vm = M:Rm; the pair index is H:L for half lanes (H = 0 in a
 * 64-bit vector, which holds two pairs) and H for single lanes (L = 0,
 * 128-bit vectors only). */
bool op_FCMLA_elem(struct decode *dc, const struct args_FCMLA_elem *a)
{
    unsigned pair;
    if (a->z == 1 && !(a->H && !a->q))
        pair = a->H << 1 | a->L;
    else if (a->z == 2 && !a->L && a->q)
        pair = a->H;
    else
        return false;
    return dec_cplx(dc, t_fcmla, a->q, a->z, a->r, pair, a->d, a->n, a->M << 4 | a->m);
}
