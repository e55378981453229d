/*
 * simd_fhm.c - half-precision products accumulated into single precision
 * (FEAT_FHM): FMLAL, FMLSL, FMLAL2, FMLSL2, vector and by element.
 *
 * Each single-precision lane i of Vd becomes FPMulAddH(Vd[i], +-Vn.h[k+i],
 * Vm.h[k+i] or Vm.h[index]), where k is 0, or the lane count for the "2"
 * forms (their sources are the upper half of the 64- or 128-bit vector).
 * FPMulAddH unpacks the half operands as half (FZ16 flushes their denormals,
 * without IDC) and computes, rounds and flushes as single precision (FZ);
 * NaN operands keep their signalling / quiet kind in the precedence of
 * FPProcessNaNs3H and are widened as FPConvertNaN does. Widening a half value
 * to single is exact, so the lane is the single-precision fused
 * multiply-add of the widened operands (fp_arith.h), signalling NaNs
 * included: their payload moves up unchanged and the quiet bit stays clear.
 * FMLSL negates the Vn element (FPNeg, a sign flip) before all of that.
 *
 * Entry: d, n, m; c1 = bytes written (8: two lanes, 16: four);
 * c2 bit 0 = subtract, bit 1 = upper-half sources; c3 = Vm half index
 * (by element, Vm in V0-V15), 0xff for the vector forms.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

/* Half -> single, bit-exact (denormals normalised; FZ16 flushes them to a signed zero). */
static inline uint32_t widen_half(uint16_t h, bool fz16)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, frac = h & 0x3ffu;
    if (exp == 0x1f)
        return sign | 0x7f800000u | frac << 13;
    if (exp == 0) {
        if (!frac || fz16)
            return sign;
        unsigned sh = (unsigned)__builtin_clz(frac) - 21;    /* leading one to bit 10 */
        return sign | (113u - sh) << 23 | ((frac << sh) & 0x3ffu) << 13;
    }
    return sign | (exp + 112) << 23 | frac << 13;
}

static struct dinsn *x_fmlal(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint16_t vn[8], vm[8];
    uint32_t vd[4];
    memcpy(vn, vreg(r, d->n), 16);
    memcpy(vm, vreg(r, d->m), 16);
    memcpy(vd, vreg(r, d->d), 16);
    unsigned nl = d->c1 / 4, off = (d->c2 & 2) ? nl : 0;
    uint16_t neg = (d->c2 & 1) ? 0x8000 : 0;
    bool fz16 = (st.fpcr & FPCR_FZ16) != 0;
    for (unsigned i = 0; i < nl; i++) {
        uint16_t a = (uint16_t)(vn[off + i] ^ neg), b = d->c3 == 0xff ? vm[off + i] : vm[d->c3];
        vd[i] = (uint32_t)fp_muladd_z(&st, 2, vd[i], widen_half(a, fz16), widen_half(b, fz16));
    }
    fpst_done(&st, r->cpu);
    vset(r, d->d, vd, d->c1);
    NEXT(d + 1);
}

static bool dec_fmlal(struct decode *dc, unsigned q, unsigned kind, unsigned index, uint32_t rd, uint32_t rn,
                      uint32_t rm)
{
    struct dinsn *e = dc->e;
    e->fn = x_fmlal;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c1 = q ? 16 : 8;
    e->c2 = (uint8_t)kind;
    e->c3 = (uint8_t)index;
    return true;
}

enum { FHM_SUB = 1, FHM_UPPER = 2 };

#define OP_FHM(N, KIND)                                                                  \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)                     \
    {                                                                                    \
        return dec_fmlal(dc, a->q, KIND, 0xff, a->d, a->n, a->m);                        \
    }                                                                                    \
    bool op_##N##_elem(struct decode *dc, const struct args_##N##_elem *a)               \
    {                                                                                    \
        return dec_fmlal(dc, a->q, KIND, a->H << 2 | a->L << 1 | a->M, a->d, a->n, a->m); \
    }
OP_FHM(FMLAL, 0) OP_FHM(FMLSL, FHM_SUB) OP_FHM(FMLAL2, FHM_UPPER) OP_FHM(FMLSL2, FHM_SUB | FHM_UPPER)
