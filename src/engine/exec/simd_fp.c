/*
 * simd_fp.c - Advanced SIMD floating point: three same (FADD..FDIV, FMLA/FMLS,
 * FMAX/FMIN(NM), FMULX, FRECPS/FRSQRTS, FABD, compares), pairwise and across
 * lanes, two-register miscellaneous (FABS/FNEG/FSQRT, FRINT*, conversions to
 * and from integers, estimates, compares with zero, FCVTL/FCVTN/FCVTXN), by
 * element, and the fixed-point conversions of the shift-by-immediate group.
 * Half-precision lanes (the FEAT_FP16 rows) run the same loops at size 1.
 * The lane loops here also serve the scalar FP instructions (fp_scalar.c):
 * a scalar operation is one lane with c1 = the element size in bytes.
 *
 * Every lane goes through fp_arith.h (Arm rounding, NaN and flag rules);
 * the flags of all lanes are ORed into FPSR when the instruction completes.
 * Reductions (FADDP, FMAXNMV, ...) combine lanes pairwise as the Arm ARM's
 * Reduce() does, which fixes which NaN wins.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

/* FP lane sets by size: M(N, SIZE, T, ...). */
#define FOR_FP(M, N, ...) M(N, 1, uint16_t, __VA_ARGS__) M(N, 2, uint32_t, __VA_ARGS__) M(N, 3, uint64_t, __VA_ARGS__)
#define FTAB(N) const exec_fn t_##N[4] = { NULL, x_##N##_1, x_##N##_2, x_##N##_3 };

#define SIGN(SZ) fp_signbit(SZ)
#define FONES(T) ((T)~(T)0)

/* ---- host vector fast path (x86-64 SSE2, FMA if present) ----------------------------
 * For FADD/FSUB/FMUL/FDIV/FMLA/FMLS on single/double lanes: when every lane's
 * operands are normal or zero and every result is normal above the lowest
 * binade, the host's packed operation gives Arm's results and at most IXC
 * (fp_arith.h); exactness is then checked for all lanes at once while
 * FPSR.IXC is clear. Anything else returns false: the lane loop decides. */
enum { VF_NONE, VF_ADD, VF_SUB, VF_MUL, VF_DIV, VF_FMA, VF_FMS };

#if FP_HOST
#define VF_LANES_OK(T, NRMZ, N)                                                  \
    for (unsigned i = 0; i < (N); i++)                                           \
        if (!NRMZ(a[i]) || !NRMZ(b[i]) || (op >= VF_FMA && !NRMZ(c[i])))         \
            return false;

static bool vf_ps(struct fpst *s, int op, const uint32_t *a, const uint32_t *b, const uint32_t *c, uint32_t *res,
                  unsigned nl)
{
    VF_LANES_OK(uint32_t, fp_nrmz_s, nl)
    float x[4], y[4], z[4], r[4], e[4];
    memcpy(x, a, 16);
    memcpy(y, b, 16);
    memcpy(z, c, 16);
    for (unsigned i = nl; i < 4; i++) {       /* unused lanes: 0 * 1 + 0, exact */
        x[i] = 0;
        y[i] = 1;
        z[i] = 0;
    }
    __m128 vx = _mm_loadu_ps(x), vy = _mm_loadu_ps(y), vr;
    switch (op) {
    case VF_ADD: vr = _mm_add_ps(vx, vy); break;
    case VF_SUB: vr = _mm_sub_ps(vx, vy); break;
    case VF_MUL: vr = _mm_mul_ps(vx, vy); break;
    case VF_DIV: vr = _mm_div_ps(vx, vy); break;
    default:
        if (!fp_host_fma)
            return false;
        if (op == VF_FMS)
            vx = _mm_xor_ps(vx, _mm_set1_ps(-0.0f));
        _mm_storeu_ps(x, vx);
        fp_host_fma_ps(x, y, z, r);
        vr = _mm_loadu_ps(r);
        break;
    }
    _mm_storeu_ps(r, vr);
    uint32_t rb[4];
    memcpy(rb, r, 16);
    for (unsigned i = 0; i < nl; i++)
        if (!fp_big_s(rb[i]))
            return false;
    if (!s->ixc) {
        bool exact = true;
        if (op == VF_ADD || op == VF_SUB) {
            __m128 y2 = op == VF_SUB ? _mm_xor_ps(vy, _mm_set1_ps(-0.0f)) : vy;
            __m128 bb = _mm_sub_ps(vr, vx);
            __m128 err = _mm_add_ps(_mm_sub_ps(vx, _mm_sub_ps(vr, bb)), _mm_sub_ps(y2, bb));
            exact = _mm_movemask_ps(_mm_cmpneq_ps(err, _mm_setzero_ps())) == 0;
        } else if (!fp_host_fma) {
            return false;
        } else if (op == VF_MUL || op == VF_DIV) {
            /* Residuals exact only well above the denormal range (fp_arith.h). */
            for (unsigned i = 0; i < nl; i++)
                if (fp_bexp_s(op == VF_MUL ? r[i] : x[i]) < FP_RESID_MIN_S)
                    return false;
            float m[4], p[4], q[4];
            __m128 neg = _mm_set1_ps(-0.0f);
            if (op == VF_MUL) {              /* x * y - r */
                _mm_storeu_ps(p, vx);
                _mm_storeu_ps(q, vy);
                _mm_storeu_ps(m, _mm_xor_ps(vr, neg));
            } else {                         /* r * y - x */
                _mm_storeu_ps(p, vr);
                _mm_storeu_ps(q, vy);
                _mm_storeu_ps(m, _mm_xor_ps(vx, neg));
            }
            fp_host_fma_ps(p, q, m, e);
            exact = _mm_movemask_ps(_mm_cmpneq_ps(_mm_loadu_ps(e), _mm_setzero_ps())) == 0;
        } else {
            /* Fused: MXCSR.PE after the operation; if set (maybe stale), cleared
             * and the operation redone (unused lanes: 0 * 1 + 0, exact). */
            if (fp_host_pe()) {
                fp_host_pe_clear();
                fp_host_fma_ps(x, y, z, e);
                exact = !fp_host_pe();
            }
        }
        if (!exact)
            fp_set_ixc(s);
    }
    memcpy(res, rb, 16);
    return true;
}

static bool vf_pd(struct fpst *s, int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *res,
                  unsigned nl)
{
    VF_LANES_OK(uint64_t, fp_nrmz_d, nl)
    double x[2], y[2], z[2], r[2], e[2];
    memcpy(x, a, 16);
    memcpy(y, b, 16);
    memcpy(z, c, 16);
    if (nl < 2) {
        x[1] = 0;
        y[1] = 1;
        z[1] = 0;
    }
    __m128d vx = _mm_loadu_pd(x), vy = _mm_loadu_pd(y), vr;
    switch (op) {
    case VF_ADD: vr = _mm_add_pd(vx, vy); break;
    case VF_SUB: vr = _mm_sub_pd(vx, vy); break;
    case VF_MUL: vr = _mm_mul_pd(vx, vy); break;
    case VF_DIV: vr = _mm_div_pd(vx, vy); break;
    default:
        if (!fp_host_fma)
            return false;
        if (op == VF_FMS)
            vx = _mm_xor_pd(vx, _mm_set1_pd(-0.0));
        _mm_storeu_pd(x, vx);
        fp_host_fma_pd(x, y, z, r);
        vr = _mm_loadu_pd(r);
        break;
    }
    _mm_storeu_pd(r, vr);
    uint64_t rb[2];
    memcpy(rb, r, 16);
    for (unsigned i = 0; i < nl; i++)
        if (!fp_big_d(rb[i]))
            return false;
    if (!s->ixc) {
        bool exact = true;
        if (op == VF_ADD || op == VF_SUB) {
            __m128d y2 = op == VF_SUB ? _mm_xor_pd(vy, _mm_set1_pd(-0.0)) : vy;
            __m128d bb = _mm_sub_pd(vr, vx);
            __m128d err = _mm_add_pd(_mm_sub_pd(vx, _mm_sub_pd(vr, bb)), _mm_sub_pd(y2, bb));
            exact = _mm_movemask_pd(_mm_cmpneq_pd(err, _mm_setzero_pd())) == 0;
        } else if (!fp_host_fma) {
            return false;
        } else if (op == VF_MUL || op == VF_DIV) {
            for (unsigned i = 0; i < nl; i++)
                if (fp_bexp_d(op == VF_MUL ? r[i] : x[i]) < FP_RESID_MIN_D)
                    return false;
            double m[2], p[2], q[2];
            __m128d neg = _mm_set1_pd(-0.0);
            if (op == VF_MUL) {
                _mm_storeu_pd(p, vx);
                _mm_storeu_pd(q, vy);
                _mm_storeu_pd(m, _mm_xor_pd(vr, neg));
            } else {
                _mm_storeu_pd(p, vr);
                _mm_storeu_pd(q, vy);
                _mm_storeu_pd(m, _mm_xor_pd(vx, neg));
            }
            fp_host_fma_pd(p, q, m, e);
            exact = _mm_movemask_pd(_mm_cmpneq_pd(_mm_loadu_pd(e), _mm_setzero_pd())) == 0;
        } else {
            if (fp_host_pe()) {
                fp_host_pe_clear();
                fp_host_fma_pd(x, y, z, e);
                exact = !fp_host_pe();
            }
        }
        if (!exact)
            fp_set_ixc(s);
    }
    memcpy(res, rb, 16);
    return true;
}
#else
static bool vf_ps(struct fpst *s, int op, const uint32_t *a, const uint32_t *b, const uint32_t *c, uint32_t *res,
                  unsigned nl)
{
    return false;
}

static bool vf_pd(struct fpst *s, int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *res,
                  unsigned nl)
{
    return false;
}
#endif

/* Try the host path for lanes of size sz (2 or 3); T-typed arrays. One lane
 * (the scalar forms) is cheaper through fp_arith.h's scalar fast paths. */
#define VF_TRY(SZ, VOP, va, vb, vc, vr, nl)                                      \
    (FP_HOST && (VOP) != VF_NONE && (SZ) >= 2 && st.fast && (nl) > 1 &&          \
     ((SZ) == 2 ? vf_ps(&st, VOP, (const uint32_t *)(const void *)(va), (const uint32_t *)(const void *)(vb), \
                        (const uint32_t *)(const void *)(vc), (uint32_t *)(void *)(vr), nl)              \
                : vf_pd(&st, VOP, (const uint64_t *)(const void *)(va), (const uint64_t *)(const void *)(vb), \
                        (const uint64_t *)(const void *)(vc), (uint64_t *)(void *)(vr), nl)))

/* Vd = OP(Vn, Vm, Vd) lanewise over the written lanes (flags per lane computed). */
#define FSHAPE3V(N, Z_, T_, VOP, EXPR)                                                  \
    H_ x_##N##_##Z_(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        typedef T_ T;                                                            \
        enum { SZ = Z_ };                                                        \
        FP_CHECK(r, d);                                                          \
        struct fpst st;                                                          \
        fpst_init(&st, r->cpu);                                                  \
        T va[LANES(T)], vb[LANES(T)], vc[LANES(T)], vr[LANES(T)];                \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vb, vreg(r, d->m), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        if (!VF_TRY(SZ, VOP, va, vb, vc, vr, d->c1 / sizeof(T))) {               \
            for (unsigned i = 0; i < d->c1 / sizeof(T); i++) {                   \
                uint64_t a = va[i], b = vb[i], c = vc[i];                        \
                (void)c;                                                         \
                vr[i] = (T)(EXPR);                                               \
            }                                                                    \
        }                                                                        \
        fpst_done(&st, r->cpu);                                                  \
        vset(r, d->d, vr, d->c1);                                                \
        NEXT(d + 1);                                                             \
    }
#define FSHAPE3(N, Z_, T_, EXPR) FSHAPE3V(N, Z_, T_, VF_NONE, EXPR)
#define FDEF3(N, EXPR) FOR_FP(FSHAPE3, N, EXPR) FTAB(N)
#define FDEF3V(N, VOP, EXPR) FOR_FP(FSHAPE3V, N, VOP, EXPR) FTAB(N)

/* By element: b = lane c3 of Vm. */
#define FSHAPE3E(N, Z_, T_, EXPR)                                                 \
    H_ x_##N##_##Z_(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        typedef T_ T;                                                            \
        enum { SZ = Z_ };                                                        \
        FP_CHECK(r, d);                                                          \
        struct fpst st;                                                          \
        fpst_init(&st, r->cpu);                                                  \
        T va[LANES(T)], vc[LANES(T)], vr[LANES(T)], vb;                          \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        memcpy(&vb, vreg(r, d->m) + d->c3 * sizeof(T), sizeof(T));               \
        uint64_t b = vb;                                                         \
        for (unsigned i = 0; i < d->c1 / sizeof(T); i++) {                       \
            uint64_t a = va[i], c = vc[i];                                       \
            (void)c;                                                             \
            vr[i] = (T)(EXPR);                                                   \
        }                                                                        \
        fpst_done(&st, r->cpu);                                                  \
        vset(r, d->d, vr, d->c1);                                                \
        NEXT(d + 1);                                                             \
    }
#define FDEF3E(N, EXPR) FOR_FP(FSHAPE3E, N, EXPR) FTAB(N)

/* Vd = OP(Vn) lanewise; c2 = rounding (conversions, FRINT), imm = fraction bits. */
#define FSHAPE2(N, Z_, T_, EXPR)                                                  \
    H_ x_##N##_##Z_(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        typedef T_ T;                                                            \
        enum { SZ = Z_ };                                                        \
        FP_CHECK(r, d);                                                          \
        struct fpst st;                                                          \
        fpst_init(&st, r->cpu);                                                  \
        T va[LANES(T)], vr[LANES(T)];                                            \
        enum fp_rounding rnd = (enum fp_rounding)d->c2;                          \
        unsigned fb = (unsigned)d->imm;                                          \
        (void)rnd; (void)fb;                                                     \
        memcpy(va, vreg(r, d->n), 16);                                           \
        for (unsigned i = 0; i < d->c1 / sizeof(T); i++) {                       \
            uint64_t a = va[i];                                                  \
            vr[i] = (T)(EXPR);                                                   \
        }                                                                        \
        fpst_done(&st, r->cpu);                                                  \
        vset(r, d->d, vr, d->c1);                                                \
        NEXT(d + 1);                                                             \
    }
#define FDEF2(N, EXPR) FOR_FP(FSHAPE2, N, EXPR) FTAB(N)

/* Pairwise over Vn:Vm (vector) - lane i from lanes 2i, 2i+1. */
#define FSHAPEP(N, Z_, T_, EXPR)                                                  \
    H_ x_##N##_##Z_(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        typedef T_ T;                                                            \
        enum { SZ = Z_ };                                                        \
        FP_CHECK(r, d);                                                          \
        struct fpst st;                                                          \
        fpst_init(&st, r->cpu);                                                  \
        unsigned nl = d->c1 / sizeof(T);                                         \
        T cat[2 * LANES(T)], vr[LANES(T)];                                       \
        memcpy(cat, vreg(r, d->n), 16);                                          \
        memcpy(cat + nl, vreg(r, d->m), 16);                                     \
        for (unsigned i = 0; i < nl; i++) {                                      \
            uint64_t a = cat[2 * i], b = cat[2 * i + 1];                         \
            vr[i] = (T)(EXPR);                                                   \
        }                                                                        \
        fpst_done(&st, r->cpu);                                                  \
        vset(r, d->d, vr, d->c1);                                                \
        NEXT(d + 1);                                                             \
    }
#define FDEFP(N, EXPR) FOR_FP(FSHAPEP, N, EXPR) FTAB(N)

/* Reduction of the c1 bytes of Vn to one lane, pairwise (Arm Reduce()); the
 * scalar pairwise forms are the two-lane case. */
#define FSHAPEV(N, Z_, T_, EXPR)                                                  \
    H_ x_##N##_##Z_(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        typedef T_ T;                                                            \
        enum { SZ = Z_ };                                                        \
        FP_CHECK(r, d);                                                          \
        struct fpst st;                                                          \
        fpst_init(&st, r->cpu);                                                  \
        T v[LANES(T)];                                                           \
        memcpy(v, vreg(r, d->n), 16);                                            \
        for (unsigned nl = d->c1 / sizeof(T); nl > 1; nl /= 2) {                 \
            for (unsigned i = 0; i < nl / 2; i++) {                              \
                uint64_t a = v[2 * i], b = v[2 * i + 1];                         \
                v[i] = (T)(EXPR);                                                \
            }                                                                    \
        }                                                                        \
        fpst_done(&st, r->cpu);                                                  \
        vset(r, d->d, v, sizeof(T));                                             \
        NEXT(d + 1);                                                             \
    }
#define FDEFV(N, EXPR) FOR_FP(FSHAPEV, N, EXPR) FTAB(N)

/* ---- three same ------------------------------------------------------------------- */

FDEF3V(FADD, VF_ADD, fp_add_z(&st, SZ, a, b))
FDEF3V(FSUB, VF_SUB, fp_sub_z(&st, SZ, a, b))
FDEF3V(FMUL, VF_MUL, fp_mul_z(&st, SZ, a, b))
FDEF3V(FDIV, VF_DIV, fp_div_z(&st, SZ, a, b))
FDEF3(FNMUL, fp_mul_z(&st, SZ, a, b) ^ SIGN(SZ))
FDEF3(FMAX, fp_max_z(&st, SZ, a, b))
FDEF3(FMIN, fp_min_z(&st, SZ, a, b))
FDEF3(FMAXNM, fp_maxnm_z(&st, SZ, a, b))
FDEF3(FMINNM, fp_minnm_z(&st, SZ, a, b))
FDEF3V(FMLA, VF_FMA, fp_muladd_z(&st, SZ, c, a, b))
FDEF3V(FMLS, VF_FMS, fp_muladd_z(&st, SZ, c, a ^ SIGN(SZ), b))
FDEF3(FMULX, fp_mulx(&st, SZ, a, b))
FDEF3(FRECPS, fp_recps(&st, SZ, a, b))
FDEF3(FRSQRTS, fp_rsqrts(&st, SZ, a, b))
FDEF3(FABD, fp_abd(&st, SZ, a, b))
FDEF3(FCMEQ, fp_cmp_eq_z(&st, SZ, a, b) ? FONES(T) : 0)
FDEF3(FCMGE, fp_cmp_ge_z(&st, SZ, a, b) ? FONES(T) : 0)
FDEF3(FCMGT, fp_cmp_gt_z(&st, SZ, a, b) ? FONES(T) : 0)
FDEF3(FACGE, fp_cmp_ge(&st, SZ, a, b, true) ? FONES(T) : 0)
FDEF3(FACGT, fp_cmp_gt(&st, SZ, a, b, true) ? FONES(T) : 0)
FDEFP(FADDP, fp_add_z(&st, SZ, a, b))
FDEFP(FMAXP, fp_max_z(&st, SZ, a, b))
FDEFP(FMINP, fp_min_z(&st, SZ, a, b))
FDEFP(FMAXNMP, fp_maxnm_z(&st, SZ, a, b))
FDEFP(FMINNMP, fp_minnm_z(&st, SZ, a, b))
FDEFV(FADDV, fp_add_z(&st, SZ, a, b))
FDEFV(FMAXV, fp_max_z(&st, SZ, a, b))
FDEFV(FMINV, fp_min_z(&st, SZ, a, b))
FDEFV(FMAXNMV, fp_maxnm_z(&st, SZ, a, b))
FDEFV(FMINNMV, fp_minnm_z(&st, SZ, a, b))
FDEF3E(FMUL_elem, fp_mul_z(&st, SZ, a, b))
FDEF3E(FMULX_elem, fp_mulx(&st, SZ, a, b))
FDEF3E(FMLA_elem, fp_muladd_z(&st, SZ, c, a, b))
FDEF3E(FMLS_elem, fp_muladd_z(&st, SZ, c, a ^ SIGN(SZ), b))

/* ---- one source ---------------------------------------------------------------------- */

/* Fixed-point or rounding-mode conversions go the exact way; the plain
 * FCVTZS/SCVTF forms (loops gcc vectorises) may use the host (fp_arith.h). */
static inline uint64_t cvt_to_int(struct fpst *s, unsigned sz, uint64_t a, unsigned fb, bool uns,
                                  enum fp_rounding rnd)
{
    if (rnd == FPR_ZERO && fb == 0)
        return fp_cvtz(s, sz, a, uns, 8u << sz);
    return fp_to_fixed(s, sz, a, fb, uns, rnd, 8u << sz);
}

static inline uint64_t cvt_from_int(struct fpst *s, unsigned sz, uint64_t a, unsigned fb, bool uns)
{
    if (fb == 0)
        return fp_cvtf(s, sz, a, uns, 8u << sz);
    return fp_from_fixed(s, sz, a, fb, uns, 8u << sz, fp_rmode(s));
}

FDEF2(FABS, a & ~SIGN(SZ))
FDEF2(FNEG, a ^ SIGN(SZ))
FDEF2(FSQRT, fp_sqrt_z(&st, SZ, a))
FDEF2(FRINT, fp_round_int(&st, SZ, a, rnd, false))          /* N, P, M, Z, A: rounding in c2 */
FDEF2(FRINTX, fp_round_int(&st, SZ, a, fp_rmode(&st), true))
FDEF2(FRINTI, fp_round_int(&st, SZ, a, fp_rmode(&st), false))
FDEF2(FRINT32, fp_round_int_n(&st, SZ, a, rnd == 5 ? fp_rmode(&st) : rnd, 32))   /* c2 5: FPCR mode */
FDEF2(FRINT64, fp_round_int_n(&st, SZ, a, rnd == 5 ? fp_rmode(&st) : rnd, 64))
FDEF2(FCVTS, cvt_to_int(&st, SZ, a, fb, false, rnd))
FDEF2(FCVTU, cvt_to_int(&st, SZ, a, fb, true, rnd))
FDEF2(SCVTF, cvt_from_int(&st, SZ, a, fb, false))
FDEF2(UCVTF, cvt_from_int(&st, SZ, a, fb, true))
FDEF2(FCMGT0, fp_cmp_gt_z(&st, SZ, a, 0) ? FONES(T) : 0)
FDEF2(FCMGE0, fp_cmp_ge_z(&st, SZ, a, 0) ? FONES(T) : 0)
FDEF2(FCMEQ0, fp_cmp_eq_z(&st, SZ, a, 0) ? FONES(T) : 0)
FDEF2(FCMLE0, fp_cmp_ge_z(&st, SZ, 0, a) ? FONES(T) : 0)
FDEF2(FCMLT0, fp_cmp_gt_z(&st, SZ, 0, a) ? FONES(T) : 0)
FDEF2(FRECPE, fp_recpe(&st, SZ, a))
FDEF2(FRSQRTE, fp_rsqrte(&st, SZ, a))
FDEF2(FRECPX, fp_recpx(&st, SZ, a))

/* URECPE / URSQRTE: the integer estimates of 32-bit lanes (Arm UnsignedRecipEstimate). */
static uint32_t urecpe(uint32_t a)
{
    if (!(a >> 31))
        return 0xffffffffu;
    unsigned e = (1u << 19) / ((a >> 23) * 2 + 1);
    return ((e + 1) / 2) << 23;
}

static uint32_t ursqrte(uint32_t a)
{
    if (!(a >> 30))
        return 0xffffffffu;
    unsigned x = a >> 23;     /* 9 bits: 128..511 */
    if (x < 256)
        x = x * 2 + 1;
    else
        x = ((x >> 1) << 1) * 2 + 2;
    unsigned b = 512;
    while ((uint64_t)x * (b + 1) * (b + 1) < (1ull << 28))
        b++;
    return ((b + 1) / 2) << 23;
}

static struct dinsn *x_urecpe(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint32_t v[4];
    memcpy(v, vreg(r, d->n), 16);
    for (unsigned i = 0; i < 4; i++)
        v[i] = d->c2 ? ursqrte(v[i]) : urecpe(v[i]);
    vset(r, d->d, v, d->c1);
    NEXT(d + 1);
}

/* FCVTL/FCVTN/FCVTXN: c0 = the narrow size; c2 = 1 for the "2" forms;
 * c3 = 1 widening, 0 narrowing (FPCR rounding), 2 narrowing to odd. */
static struct dinsn *x_fcvt_lengthen(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    unsigned ns = d->c0, ws = ns + 1, nb = 1u << ns, wb = 1u << ws;
    uint8_t in[16], out[16];
    memcpy(in, vreg(r, d->n), 16);
    if (d->c3 == 1) {
        unsigned lanes = 8 / nb;
        for (unsigned i = 0; i < lanes; i++) {
            uint64_t x = 0;
            memcpy(&x, in + (d->c2 ? 8 : 0) + i * nb, nb);
            uint64_t y = fp_convert(&st, ns, ws, x, fp_rmode(&st));
            memcpy(out + i * wb, &y, wb);
        }
        fpst_done(&st, r->cpu);
        vset(r, d->d, out, 16);
    } else {
        memcpy(out, vreg(r, d->d), 16);
        unsigned lanes = 8 / nb;
        enum fp_rounding rnd = d->c3 == 2 ? FPR_ODD : fp_rmode(&st);
        for (unsigned i = 0; i < lanes && i * wb < d->c1 * 2; i++) {
            uint64_t x = 0;
            memcpy(&x, in + i * wb, wb);
            uint64_t y = fp_convert(&st, ws, ns, x, rnd);
            memcpy(out + (d->c2 ? 8 : 0) + i * nb, &y, nb);
        }
        fpst_done(&st, r->cpu);
        vset(r, d->d, out, d->c2 ? 16 : d->c1);
    }
    NEXT(d + 1);
}

/* ---- decoding ---------------------------------------------------------------------- */

/* Vector FP forms (single/double; size bit sz): 64-bit lanes need Q = 1. */
static bool dec_fvec(struct decode *dc, const exec_fn *tab, unsigned q, unsigned sz, uint32_t rd, uint32_t rn,
                     uint32_t rm)
{
    if (sz && !q)
        return false;
    return simd_dec_lanes(dc, tab, SZ_SD, 2 + sz, q ? 16 : 8, rd, rn, rm);
}

/* AdvSIMD scalar FP forms: one lane. */
static bool dec_fscalar(struct decode *dc, const exec_fn *tab, unsigned sz, uint32_t rd, uint32_t rn, uint32_t rm)
{
    return simd_dec_lanes(dc, tab, SZ_SD, 2 + sz, 4u << sz, rd, rn, rm);
}

#define OP_FV3(N)                                                                \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_fvec(dc, t_##N, a->q, a->z, a->d, a->n, a->m);                \
    }
#define OP_FS3(N)                                                                \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_fscalar(dc, t_##N, a->z, a->d, a->n, a->m);                   \
    }
OP_FV3(FADD) OP_FV3(FSUB) OP_FV3(FMUL) OP_FV3(FDIV) OP_FV3(FMAX) OP_FV3(FMIN) OP_FV3(FMAXNM) OP_FV3(FMINNM)
OP_FV3(FMLA) OP_FV3(FMLS) OP_FV3(FMULX) OP_FV3(FRECPS) OP_FV3(FRSQRTS) OP_FV3(FABD) OP_FV3(FCMEQ)
OP_FV3(FCMGE) OP_FV3(FCMGT) OP_FV3(FACGE) OP_FV3(FACGT) OP_FV3(FADDP) OP_FV3(FMAXP) OP_FV3(FMINP)
OP_FV3(FMAXNMP) OP_FV3(FMINNMP)
OP_FS3(FMULX) OP_FS3(FCMEQ) OP_FS3(FRECPS) OP_FS3(FRSQRTS) OP_FS3(FCMGE) OP_FS3(FACGE) OP_FS3(FABD)
OP_FS3(FCMGT) OP_FS3(FACGT)

/* Two-register forms with a rounding mode (c2) and fraction bits (imm). */
static bool dec_f2(struct decode *dc, const exec_fn *tab, bool scalar, unsigned q, unsigned sz, uint32_t rd,
                   uint32_t rn, unsigned rnd, unsigned fbits)
{
    if (!(scalar ? dec_fscalar(dc, tab, sz, rd, rn, 0) : dec_fvec(dc, tab, q, sz, rd, rn, 0)))
        return false;
    dc->e->c2 = (uint8_t)rnd;
    dc->e->imm = fbits;
    return true;
}

#define OP_FV2(N, T, RND)                                                        \
    bool op_##N##_v(struct decode *dc, const struct args_##N##_v *a)             \
    {                                                                            \
        return dec_f2(dc, t_##T, false, a->q, a->z, a->d, a->n, RND, 0);         \
    }
#define OP_FS2(N, T, RND)                                                        \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return dec_f2(dc, t_##T, true, 0, a->z, a->d, a->n, RND, 0);             \
    }
OP_FV2(FABS, FABS, 0) OP_FV2(FNEG, FNEG, 0) OP_FV2(FSQRT, FSQRT, 0)
OP_FV2(FRINTN, FRINT, FPR_TIEEVEN) OP_FV2(FRINTP, FRINT, FPR_POSINF) OP_FV2(FRINTM, FRINT, FPR_NEGINF)
OP_FV2(FRINTZ, FRINT, FPR_ZERO) OP_FV2(FRINTA, FRINT, FPR_TIEAWAY) OP_FV2(FRINTX, FRINTX, 0)
OP_FV2(FRINTI, FRINTI, 0) OP_FV2(FRINT32Z, FRINT32, FPR_ZERO) OP_FV2(FRINT32X, FRINT32, 5)
OP_FV2(FRINT64Z, FRINT64, FPR_ZERO) OP_FV2(FRINT64X, FRINT64, 5)
OP_FV2(FCVTNS, FCVTS, FPR_TIEEVEN) OP_FV2(FCVTMS, FCVTS, FPR_NEGINF) OP_FV2(FCVTAS, FCVTS, FPR_TIEAWAY)
OP_FV2(FCVTPS, FCVTS, FPR_POSINF) OP_FV2(FCVTZS, FCVTS, FPR_ZERO)
OP_FV2(FCVTNU, FCVTU, FPR_TIEEVEN) OP_FV2(FCVTMU, FCVTU, FPR_NEGINF) OP_FV2(FCVTAU, FCVTU, FPR_TIEAWAY)
OP_FV2(FCVTPU, FCVTU, FPR_POSINF) OP_FV2(FCVTZU, FCVTU, FPR_ZERO)
OP_FV2(SCVTF, SCVTF, 0) OP_FV2(UCVTF, UCVTF, 0)
OP_FV2(FCMGT0, FCMGT0, 0) OP_FV2(FCMGE0, FCMGE0, 0) OP_FV2(FCMEQ0, FCMEQ0, 0) OP_FV2(FCMLE0, FCMLE0, 0)
OP_FV2(FCMLT0, FCMLT0, 0) OP_FV2(FRECPE, FRECPE, 0) OP_FV2(FRSQRTE, FRSQRTE, 0)
OP_FS2(FCVTNS, FCVTS, FPR_TIEEVEN) OP_FS2(FCVTMS, FCVTS, FPR_NEGINF) OP_FS2(FCVTAS, FCVTS, FPR_TIEAWAY)
OP_FS2(FCVTPS, FCVTS, FPR_POSINF) OP_FS2(FCVTZS, FCVTS, FPR_ZERO)
OP_FS2(FCVTNU, FCVTU, FPR_TIEEVEN) OP_FS2(FCVTMU, FCVTU, FPR_NEGINF) OP_FS2(FCVTAU, FCVTU, FPR_TIEAWAY)
OP_FS2(FCVTPU, FCVTU, FPR_POSINF) OP_FS2(FCVTZU, FCVTU, FPR_ZERO)
OP_FS2(SCVTF, SCVTF, 0) OP_FS2(UCVTF, UCVTF, 0)
OP_FS2(FCMGT0, FCMGT0, 0) OP_FS2(FCMGE0, FCMGE0, 0) OP_FS2(FCMEQ0, FCMEQ0, 0) OP_FS2(FCMLE0, FCMLE0, 0)
OP_FS2(FCMLT0, FCMLT0, 0) OP_FS2(FRECPE, FRECPE, 0) OP_FS2(FRSQRTE, FRSQRTE, 0) OP_FS2(FRECPX, FRECPX, 0)

static bool dec_urecpe(struct decode *dc, unsigned q, unsigned sz, uint32_t rd, uint32_t rn, bool rsqrt)
{
    static const exec_fn tab[4] = { NULL, NULL, x_urecpe, NULL };
    if (sz)
        return false;
    if (!simd_dec_lanes(dc, tab, SZ_S, 2, q ? 16 : 8, rd, rn, 0))
        return false;
    dc->e->c2 = rsqrt;
    return true;
}

bool op_URECPE_v(struct decode *dc, const struct args_URECPE_v *a)
{
    return dec_urecpe(dc, a->q, a->z, a->d, a->n, false);
}

bool op_URSQRTE_v(struct decode *dc, const struct args_URSQRTE_v *a)
{
    return dec_urecpe(dc, a->q, a->z, a->d, a->n, true);
}

/* FCVTL: half->single (sz 0) or single->double (sz 1); FCVTN/FCVTXN the reverse. */
static bool dec_fcvt_len(struct decode *dc, unsigned q, unsigned sz, uint32_t rd, uint32_t rn, unsigned kind)
{
    if (kind == 2 && !sz)
        return false;                 /* FCVTXN: double to single only */
    struct dinsn *e = dc->e;
    e->fn = x_fcvt_lengthen;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->c0 = (uint8_t)(1 + sz);
    e->c1 = 8;
    e->c2 = (uint8_t)q;
    e->c3 = (uint8_t)kind;
    return true;
}

bool op_FCVTL_v(struct decode *dc, const struct args_FCVTL_v *a)
{
    return dec_fcvt_len(dc, a->q, a->z, a->d, a->n, 1);
}

bool op_FCVTN_v(struct decode *dc, const struct args_FCVTN_v *a)
{
    return dec_fcvt_len(dc, a->q, a->z, a->d, a->n, 0);
}

bool op_FCVTXN_v(struct decode *dc, const struct args_FCVTXN_v *a)
{
    return dec_fcvt_len(dc, a->q, a->z, a->d, a->n, 2);
}

/* FCVTXN (scalar): Sd = Dn rounded to odd. */
bool op_FCVTXN_sv(struct decode *dc, const struct args_FCVTXN_sv *a)
{
    if (!dec_fcvt_len(dc, 0, a->z, a->d, a->n, 2))
        return false;
    dc->e->c1 = 4;       /* one 64-bit source lane: lanes * wb < 8 */
    return true;
}

/* Across lanes: 4 single-precision lanes (the half-precision forms are FP16 rows). */
#define OP_FACROSS(N, T)                                                         \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        if (!a->q || a->z)                                                       \
            return false;                                                        \
        return simd_dec_lanes(dc, t_##T, SZ_S, 2, 16, a->d, a->n, 0);            \
    }
OP_FACROSS(FMAXNMV, FMAXNMV) OP_FACROSS(FMINNMV, FMINNMV) OP_FACROSS(FMAXV, FMAXV) OP_FACROSS(FMINV, FMINV)

/* Scalar pairwise: the two lanes of Vn (c1 = both lanes, reduced to one). */
#define OP_FPAIR(N, T)                                                           \
    bool op_##N##_sv(struct decode *dc, const struct args_##N##_sv *a)           \
    {                                                                            \
        return simd_dec_lanes(dc, t_##T, SZ_SD, 2 + a->z, 8u << a->z, a->d, a->n, 0); \
    }
OP_FPAIR(FADDP, FADDV) OP_FPAIR(FMAXP, FMAXV) OP_FPAIR(FMINP, FMINV) OP_FPAIR(FMAXNMP, FMAXNMV)
OP_FPAIR(FMINNMP, FMINNMV)

/* By element: half (size 00, FEAT_FP16: index H:L:M, Vm in V0-V15), single
 * (index H:L) or double (index H). */
static bool dec_felem(struct decode *dc, const exec_fn *tab, unsigned bytes_q, bool scalar, unsigned size,
                      unsigned h, unsigned l, unsigned m, unsigned rm4, uint32_t rd, uint32_t rn)
{
    unsigned idx, rm;
    if (size == 1 || (size == 0 && !(dc->features & A64_FEAT_FP16)))
        return false;
    unsigned fsz = size ? size : 1;
    if (!simd_elem_index(fsz, h, l, m, rm4, &idx, &rm))
        return false;
    if (!scalar && fsz == 3 && bytes_q != 16)
        return false;
    if (!simd_dec_lanes(dc, tab, SZ_H | SZ_SD, fsz, scalar ? 1u << fsz : bytes_q, rd, rn, rm))
        return false;
    dc->e->c3 = (uint8_t)idx;
    return true;
}

#define OP_FELEM(N)                                                              \
    bool op_##N##_elem(struct decode *dc, const struct args_##N##_elem *a)       \
    {                                                                            \
        return dec_felem(dc, t_##N##_elem, a->q ? 16 : 8, false, a->z, a->H, a->L, a->M, a->m, a->d, a->n); \
    }                                                                            \
    bool op_##N##_elem_sv(struct decode *dc, const struct args_##N##_elem_sv *a) \
    {                                                                            \
        return dec_felem(dc, t_##N##_elem, 0, true, a->z, a->H, a->L, a->M, a->m, a->d, a->n); \
    }
OP_FELEM(FMUL) OP_FELEM(FMULX) OP_FELEM(FMLA) OP_FELEM(FMLS)

/* Fixed-point conversions (shift by immediate group): immh 01xx single,
 * 1xxx double; fbits = 2 * esize - immh:immb. */
static bool dec_fixed(struct decode *dc, const exec_fn *tab, bool scalar, unsigned q, unsigned i, uint32_t rd,
                      uint32_t rn, unsigned rnd)
{
    unsigned immh = i >> 3;
    if (immh < 2 || (immh < 4 && !(dc->features & A64_FEAT_FP16)))
        return false;                 /* 0000: modified immediate; 0001: unallocated; 001x: FP16 */
    unsigned sz = immh >= 8 ? 3 : immh >= 4 ? 2 : 1;
    unsigned esize = 8u << sz;
    if (sz == 1) {
        if (!(scalar ? simd_dec_lanes(dc, tab, SZ_H, 1, 2, rd, rn, 0)
                     : simd_dec_lanes(dc, tab, SZ_H, 1, q ? 16 : 8, rd, rn, 0)))
            return false;
        dc->e->c2 = (uint8_t)rnd;
        dc->e->imm = 2 * esize - i;
        return true;
    }
    return dec_f2(dc, tab, scalar, q, sz - 2, rd, rn, rnd, 2 * esize - i);
}

#define OP_FIXED(N, T, RND)                                                      \
    bool op_##N##_fix_v(struct decode *dc, const struct args_##N##_fix_v *a)     \
    {                                                                            \
        return dec_fixed(dc, t_##T, false, a->q, a->i, a->d, a->n, RND);         \
    }                                                                            \
    bool op_##N##_fix_sv(struct decode *dc, const struct args_##N##_fix_sv *a)   \
    {                                                                            \
        return dec_fixed(dc, t_##T, true, 0, a->i, a->d, a->n, RND);             \
    }
OP_FIXED(SCVTF, SCVTF, 0) OP_FIXED(UCVTF, UCVTF, 0) OP_FIXED(FCVTZS, FCVTS, FPR_ZERO)
OP_FIXED(FCVTZU, FCVTU, FPR_ZERO)

/* ---- half precision (FEAT_FP16 rows: the size-1 lane handlers) ------------------------ */

static bool dec_h(struct decode *dc, const exec_fn *tab, unsigned bytes, uint32_t rd, uint32_t rn, uint32_t rm,
                  unsigned rnd)
{
    if (!simd_dec_lanes(dc, tab, SZ_H, 1, bytes, rd, rn, rm))
        return false;
    dc->e->c2 = (uint8_t)rnd;
    return true;
}

#define OP_HV3(N)                                                                \
    bool op_##N##_hv(struct decode *dc, const struct args_##N##_hv *a)           \
    {                                                                            \
        return dec_h(dc, t_##N, a->q ? 16 : 8, a->d, a->n, a->m, 0);             \
    }
#define OP_HS3(N)                                                                \
    bool op_##N##_hsv(struct decode *dc, const struct args_##N##_hsv *a)         \
    {                                                                            \
        return dec_h(dc, t_##N, 2, a->d, a->n, a->m, 0);                         \
    }
#define OP_HV2(N, T, RND)                                                        \
    bool op_##N##_hv(struct decode *dc, const struct args_##N##_hv *a)           \
    {                                                                            \
        return dec_h(dc, t_##T, a->q ? 16 : 8, a->d, a->n, 0, RND);              \
    }
#define OP_HS2(N, T, RND)                                                        \
    bool op_##N##_hsv(struct decode *dc, const struct args_##N##_hsv *a)         \
    {                                                                            \
        return dec_h(dc, t_##T, 2, a->d, a->n, 0, RND);                          \
    }
OP_HV3(FMAXNM) OP_HV3(FMLA) OP_HV3(FADD) OP_HV3(FMULX) OP_HV3(FCMEQ) OP_HV3(FMAX) OP_HV3(FRECPS)
OP_HV3(FMINNM) OP_HV3(FMLS) OP_HV3(FSUB) OP_HV3(FMIN) OP_HV3(FRSQRTS) OP_HV3(FMAXNMP) OP_HV3(FADDP)
OP_HV3(FMUL) OP_HV3(FCMGE) OP_HV3(FACGE) OP_HV3(FMAXP) OP_HV3(FDIV) OP_HV3(FMINNMP) OP_HV3(FABD)
OP_HV3(FCMGT) OP_HV3(FACGT) OP_HV3(FMINP)
OP_HS3(FMULX) OP_HS3(FCMEQ) OP_HS3(FRECPS) OP_HS3(FRSQRTS) OP_HS3(FCMGE) OP_HS3(FACGE) OP_HS3(FABD)
OP_HS3(FCMGT) OP_HS3(FACGT)
OP_HV2(FRINTN, FRINT, FPR_TIEEVEN) OP_HV2(FRINTM, FRINT, FPR_NEGINF) OP_HV2(FRINTP, FRINT, FPR_POSINF)
OP_HV2(FRINTZ, FRINT, FPR_ZERO) OP_HV2(FRINTA, FRINT, FPR_TIEAWAY) OP_HV2(FRINTX, FRINTX, 0)
OP_HV2(FRINTI, FRINTI, 0)
OP_HV2(FCVTNS, FCVTS, FPR_TIEEVEN) OP_HV2(FCVTMS, FCVTS, FPR_NEGINF) OP_HV2(FCVTAS, FCVTS, FPR_TIEAWAY)
OP_HV2(FCVTPS, FCVTS, FPR_POSINF) OP_HV2(FCVTZS, FCVTS, FPR_ZERO)
OP_HV2(FCVTNU, FCVTU, FPR_TIEEVEN) OP_HV2(FCVTMU, FCVTU, FPR_NEGINF) OP_HV2(FCVTAU, FCVTU, FPR_TIEAWAY)
OP_HV2(FCVTPU, FCVTU, FPR_POSINF) OP_HV2(FCVTZU, FCVTU, FPR_ZERO)
OP_HV2(SCVTF, SCVTF, 0) OP_HV2(UCVTF, UCVTF, 0)
OP_HV2(FCMGT0, FCMGT0, 0) OP_HV2(FCMEQ0, FCMEQ0, 0) OP_HV2(FCMLT0, FCMLT0, 0) OP_HV2(FCMGE0, FCMGE0, 0)
OP_HV2(FCMLE0, FCMLE0, 0) OP_HV2(FABS, FABS, 0) OP_HV2(FNEG, FNEG, 0) OP_HV2(FSQRT, FSQRT, 0)
OP_HV2(FRECPE, FRECPE, 0) OP_HV2(FRSQRTE, FRSQRTE, 0)
OP_HS2(FCVTNS, FCVTS, FPR_TIEEVEN) OP_HS2(FCVTMS, FCVTS, FPR_NEGINF) OP_HS2(FCVTAS, FCVTS, FPR_TIEAWAY)
OP_HS2(FCVTPS, FCVTS, FPR_POSINF) OP_HS2(FCVTZS, FCVTS, FPR_ZERO)
OP_HS2(FCVTNU, FCVTU, FPR_TIEEVEN) OP_HS2(FCVTMU, FCVTU, FPR_NEGINF) OP_HS2(FCVTAU, FCVTU, FPR_TIEAWAY)
OP_HS2(FCVTPU, FCVTU, FPR_POSINF) OP_HS2(FCVTZU, FCVTU, FPR_ZERO)
OP_HS2(SCVTF, SCVTF, 0) OP_HS2(UCVTF, UCVTF, 0)
OP_HS2(FCMGT0, FCMGT0, 0) OP_HS2(FCMEQ0, FCMEQ0, 0) OP_HS2(FCMLT0, FCMLT0, 0) OP_HS2(FCMGE0, FCMGE0, 0)
OP_HS2(FCMLE0, FCMLE0, 0) OP_HS2(FRECPE, FRECPE, 0) OP_HS2(FRSQRTE, FRSQRTE, 0) OP_HS2(FRECPX, FRECPX, 0)

/* Across lanes (4 or 8 half lanes) and scalar pairwise (2 half lanes). */
#define OP_HACROSS(N, T)                                                         \
    bool op_##N##_h(struct decode *dc, const struct args_##N##_h *a)             \
    {                                                                            \
        return dec_h(dc, t_##T, a->q ? 16 : 8, a->d, a->n, 0, 0);                \
    }
OP_HACROSS(FMAXNMV, FMAXNMV) OP_HACROSS(FMINNMV, FMINNMV) OP_HACROSS(FMAXV, FMAXV) OP_HACROSS(FMINV, FMINV)

#define OP_HPAIR(N, T)                                                           \
    bool op_##N##_hsv(struct decode *dc, const struct args_##N##_hsv *a)         \
    {                                                                            \
        return dec_h(dc, t_##T, 4, a->d, a->n, 0, 0);                            \
    }
OP_HPAIR(FADDP, FADDV) OP_HPAIR(FMAXP, FMAXV) OP_HPAIR(FMINP, FMINV) OP_HPAIR(FMAXNMP, FMAXNMV)
OP_HPAIR(FMINNMP, FMINNMV)
