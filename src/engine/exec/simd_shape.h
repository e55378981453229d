/*
 * simd_shape.h - the Advanced SIMD element loops, one per instruction shape,
 * each taking the element size and an operation, so that an instruction is
 * one line: `DEF3(ADD, a + b)` makes the handlers x_ADD_0..3 (byte, half,
 * word, doubleword lanes) and the table t_ADD[4] the decoder picks from.
 *
 * Inside an operation: a, b are the lanes of Vn, Vm (or the indexed element),
 * c the old lane of Vd (accumulating forms), sh the immediate shift; U / S
 * are the lane's unsigned / signed types, W / SW twice as wide, EB the lane
 * width in bits; `qc` is set by saturating operations (FPSR.QC).
 *
 * Entry layout for all shapes: d, n, m registers; c1 = bytes written to Vd
 * (16 or 8 for vectors, the element size for AdvSIMD scalar forms, which run
 * the same loops on lane 0); c2 = first source lane of the "2" (upper half)
 * long forms, or 1 for narrowing into the upper half; c3 = element index;
 * imm = shift amount.
 *
 * DEF3 and DEF2 compute all 16 bytes whatever c1 (pure operations: the extra
 * lanes are discarded; fixed trip counts let the host compiler vectorise);
 * the Q variants loop over the written lanes only, because they set QC.
 */
#ifndef SOFTKVM_ENGINE_EXEC_SIMD_SHAPE_H
#define SOFTKVM_ENGINE_EXEC_SIMD_SHAPE_H

#include "engine/internal.h"
#include "engine/exec/fp_arith.h"

typedef __int128 i128;

#define LANES(T) (16u / (unsigned)sizeof(T))
#define H_ __attribute__((unused)) static struct dinsn *
/* The lane types under the names operations use (macro parameters are not
 * substituted inside an operation's own tokens). */
#define LANE_TYPES(U_, S_, W_, SW_)                                                            \
    typedef U_ U __attribute__((unused));                                        \
    typedef S_ S __attribute__((unused));                                        \
    typedef W_ W __attribute__((unused));                                        \
    typedef SW_ SW __attribute__((unused))

/* Type sets by lane size: M(NAME, SIZE, U, S, W, SW, ...). W of 64-bit lanes is 128 bits. */
#define FOR_B(M, N, ...) M(N, 0, uint8_t, int8_t, uint16_t, int16_t, __VA_ARGS__)
#define FOR_H(M, N, ...) M(N, 1, uint16_t, int16_t, uint32_t, int32_t, __VA_ARGS__)
#define FOR_S(M, N, ...) M(N, 2, uint32_t, int32_t, uint64_t, int64_t, __VA_ARGS__)
#define FOR_D(M, N, ...) M(N, 3, uint64_t, int64_t, unsigned __int128, __int128, __VA_ARGS__)
#define FOR_ALL(M, N, ...) FOR_B(M, N, __VA_ARGS__) FOR_H(M, N, __VA_ARGS__) FOR_S(M, N, __VA_ARGS__) \
                           FOR_D(M, N, __VA_ARGS__)
#define FOR_BHS(M, N, ...) FOR_B(M, N, __VA_ARGS__) FOR_H(M, N, __VA_ARGS__) FOR_S(M, N, __VA_ARGS__)
#define TAB4(N) static const exec_fn t_##N[4] = { x_##N##_0, x_##N##_1, x_##N##_2, x_##N##_3 };
#define TAB3(N) static const exec_fn t_##N[4] = { x_##N##_0, x_##N##_1, x_##N##_2, NULL };

#define LANE_PROLOGUE(U)                                                         \
    FP_CHECK(r, d);                                                              \
    enum { EB = 8 * (int)sizeof(U) };                                            \
    bool qc = false;                                                             \
    (void)qc

#define LANE_EPILOGUE()                                                          \
    if (unlikely(qc))                                                            \
        r->cpu->fpsr |= FPSR_QC;                                                 \
    NEXT(d + 1)

/* ---- same-size shapes -------------------------------------------------------- */

/* Vd = OP(Vn, Vm, Vd), lane count from NL (LANES(U) or the written lanes). */
#define SHAPE3_(N, SZ, U_, S_, W_, SW_, NL, EXPR)                                    \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)], vb[LANES(U)], vc[LANES(U)], vr[LANES(U)];                \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vb, vreg(r, d->m), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        for (unsigned i = 0; i < (NL); i++) {                                    \
            U a = va[i], b = vb[i], c = vc[i];                                   \
            (void)a; (void)b; (void)c;                                           \
            vr[i] = (U)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define SHAPE3(N, SZ, U_, S_, W_, SW_, EXPR) SHAPE3_(N, SZ, U_, S_, W_, SW_, LANES(U_), EXPR)
#define SHAPE3Q(N, SZ, U_, S_, W_, SW_, EXPR) SHAPE3_(N, SZ, U_, S_, W_, SW_, d->c1 / sizeof(U_), EXPR)
#define DEF3(N, EXPR) FOR_ALL(SHAPE3, N, EXPR) TAB4(N)
#define DEF3Q(N, EXPR) FOR_ALL(SHAPE3Q, N, EXPR) TAB4(N)

/* By element: b is lane c3 of Vm for every lane. */
#define SHAPE3E(N, SZ, U_, S_, W_, SW_, EXPR)                                        \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)], vc[LANES(U)], vr[LANES(U)], b;                           \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        memcpy(&b, vreg(r, d->m) + d->c3 * sizeof(U), sizeof(U));                \
        for (unsigned i = 0; i < d->c1 / sizeof(U); i++) {                       \
            U a = va[i], c = vc[i];                                              \
            (void)a; (void)c;                                                    \
            vr[i] = (U)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define DEF3E(N, EXPR) FOR_ALL(SHAPE3E, N, EXPR) TAB4(N)

/* Vd = OP(Vn, Vd) (two-register miscellaneous; shifts by immediate use sh). */
#define SHAPE2_(N, SZ, U_, S_, W_, SW_, NL, EXPR)                                    \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)], vc[LANES(U)], vr[LANES(U)];                              \
        unsigned sh = (unsigned)d->imm;                                          \
        (void)sh;                                                                \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        for (unsigned i = 0; i < (NL); i++) {                                    \
            U a = va[i], c = vc[i];                                              \
            (void)a; (void)c;                                                    \
            vr[i] = (U)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define SHAPE2(N, SZ, U_, S_, W_, SW_, EXPR) SHAPE2_(N, SZ, U_, S_, W_, SW_, LANES(U_), EXPR)
#define SHAPE2Q(N, SZ, U_, S_, W_, SW_, EXPR) SHAPE2_(N, SZ, U_, S_, W_, SW_, d->c1 / sizeof(U_), EXPR)
#define DEF2(N, EXPR) FOR_ALL(SHAPE2, N, EXPR) TAB4(N)
#define DEF2Q(N, EXPR) FOR_ALL(SHAPE2Q, N, EXPR) TAB4(N)

/* Pairwise: lanes i of the result from lanes 2i, 2i+1 of Vm:Vn (Vn first). */
#define SHAPEP(N, SZ, U_, S_, W_, SW_, EXPR)                                         \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        unsigned nl = d->c1 / sizeof(U);                                         \
        U cat[2 * LANES(U)], vr[LANES(U)];                                       \
        memcpy(cat, vreg(r, d->n), 16);                                          \
        memcpy(cat + nl, vreg(r, d->m), 16);                                     \
        for (unsigned i = 0; i < nl; i++) {                                      \
            U a = cat[2 * i], b = cat[2 * i + 1];                                \
            vr[i] = (U)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define DEFP(N, EXPR) FOR_ALL(SHAPEP, N, EXPR) TAB4(N)

/* ---- long, wide and narrow shapes (U: the narrow lane) -------------------------- */

/* Vd (wide) = OP(narrow lanes c2.. of Vn and Vm, old wide Vd lane c); c1 bytes
 * written (16, or one wide lane for the AdvSIMD scalar forms). */
#define SHAPEL(N, SZ, U_, S_, W_, SW_, EXPR)                                         \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)], vb[LANES(U)];                                            \
        W vc[LANES(W)], vr[LANES(W)];                                            \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vb, vreg(r, d->m), 16);                                           \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        for (unsigned i = 0; i < d->c1 / sizeof(W); i++) {                       \
            U a = va[d->c2 + i], b = vb[d->c2 + i];                              \
            W c = vc[i];                                                         \
            (void)a; (void)b; (void)c;                                           \
            vr[i] = (W)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define DEFL(N, EXPR) FOR_BHS(SHAPEL, N, EXPR) TAB3(N)

/* By element, long: b is narrow lane c3 of Vm; c1 as SHAPEL. */
#define SHAPELE(N, SZ, U_, S_, W_, SW_, EXPR)                                        \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U va[LANES(U)], b;                                                       \
        W vc[LANES(W)], vr[LANES(W)];                                            \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(&b, vreg(r, d->m) + d->c3 * sizeof(U), sizeof(U));                \
        memcpy(vc, vreg(r, d->d), 16);                                           \
        for (unsigned i = 0; i < d->c1 / sizeof(W); i++) {                       \
            U a = va[d->c2 + i];                                                 \
            W c = vc[i];                                                         \
            (void)c;                                                             \
            vr[i] = (W)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, d->c1);                                                \
        LANE_EPILOGUE();                                                         \
    }
#define DEFLE(N, EXPR) FOR_BHS(SHAPELE, N, EXPR) TAB3(N)

/* Wide: Vd = OP(wide Vn lane a, narrow lane c2+i of Vm). */
#define SHAPEW(N, SZ, U_, S_, W_, SW_, EXPR)                                         \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        U vb[LANES(U)];                                                          \
        W va[LANES(W)], vr[LANES(W)];                                            \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vb, vreg(r, d->m), 16);                                           \
        for (unsigned i = 0; i < LANES(W); i++) {                                \
            W a = va[i];                                                         \
            U b = vb[d->c2 + i];                                                 \
            vr[i] = (W)(EXPR);                                                   \
        }                                                                        \
        vset(r, d->d, vr, 16);                                                   \
        LANE_EPILOGUE();                                                         \
    }
#define DEFW(N, EXPR) FOR_BHS(SHAPEW, N, EXPR) TAB3(N)

/* Narrow: narrow lanes from wide lanes a (Vn), b (Vm); into the low half
 * (rest zeroed) or, with c2, the high half (low half kept). c1 = bytes of
 * narrow results (8, or one lane for the scalar forms). */
#define SHAPEN(N, SZ, U_, S_, W_, SW_, EXPR)                                         \
    H_ x_##N##_##SZ(struct run *r, struct dinsn *d, uint64_t n)                  \
    {                                                                            \
        LANE_TYPES(U_, S_, W_, SW_);                                                            \
        LANE_PROLOGUE(U);                                                        \
        W va[LANES(W)], vb[LANES(W)];                                            \
        U vr[LANES(U)];                                                          \
        unsigned sh = (unsigned)d->imm, nl = d->c1 / sizeof(U);                  \
        (void)sh;                                                                \
        memcpy(va, vreg(r, d->n), 16);                                           \
        memcpy(vb, vreg(r, d->m), 16);                                           \
        memcpy(vr, vreg(r, d->d), 16);                                           \
        unsigned off = d->c2 ? LANES(U) / 2 : 0;                                 \
        for (unsigned i = 0; i < nl; i++) {                                      \
            W a = va[i], b = vb[i];                                              \
            (void)b;                                                             \
            vr[off + i] = (U)(EXPR);                                             \
        }                                                                        \
        if (d->c2)                                                               \
            vset(r, d->d, vr, 16);                                               \
        else                                                                     \
            vset(r, d->d, vr, d->c1);                                            \
        LANE_EPILOGUE();                                                         \
    }
#define DEFN(N, EXPR) FOR_BHS(SHAPEN, N, EXPR) TAB3(N)

/* Lane sizes a row allows, as a mask of 1 << size. */
#define SZ_B 1u
#define SZ_H 2u
#define SZ_S 4u
#define SZ_D 8u
#define SZ_HS 6u
#define SZ_SD 12u
#define SZ_BHS 7u
#define SZ_ALL 15u

/* Fill the entry for a lane handler: tab[size] if the size is allowed, bytes
 * written to Vd in c1. */
static inline bool simd_dec_lanes(struct decode *dc, const exec_fn *tab, unsigned mask, unsigned size,
                                  unsigned bytes, uint32_t rd, uint32_t rn, uint32_t rm)
{
    if (!(mask & (1u << size)) || !tab[size])
        return false;
    struct dinsn *e = dc->e;
    e->fn = tab[size];
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c0 = (uint8_t)size;
    e->c1 = (uint8_t)bytes;
    return true;
}

/* By-element index and Vm from H:L:M and the 4-bit Rm field by lane size
 * (16-bit lanes: Vm is V0-V15). False for an unallocated combination. */
bool simd_elem_index(unsigned size, unsigned h, unsigned l, unsigned m, unsigned rm4, unsigned *idx,
                     unsigned *rm);

/* ---- lane arithmetic helpers ------------------------------------------------------ */

/* Saturate to a signed / unsigned bits-wide lane (bits <= 64), noting QC. */
static inline uint64_t sat_s(i128 v, unsigned bits, bool *qc)
{
    i128 max = ((i128)1 << (bits - 1)) - 1, min = -max - 1;
    if (v > max) {
        *qc = true;
        v = max;
    } else if (v < min) {
        *qc = true;
        v = min;
    }
    return (uint64_t)v;
}

static inline uint64_t sat_u(i128 v, unsigned bits, bool *qc)
{
    i128 max = ((i128)1 << bits) - 1;
    if (v > max) {
        *qc = true;
        v = max;
    } else if (v < 0) {
        *qc = true;
        v = 0;
    }
    return (uint64_t)v;
}

/* Arm shift by register (SSHL, URSHL, SQRSHL, ...): v is the lane value
 * (sign- or zero-extended), sh the signed low byte of the other operand.
 * Shifts left by 64 or more give +-2^100 (or 0): saturating forms saturate,
 * the others keep the low lane bits, which are zero either way. */
static inline i128 shl_reg(i128 v, int sh, bool round)
{
    if (sh >= 0)
        return sh >= 64 ? (v == 0 ? 0 : v > 0 ? ((i128)1 << 100) : -((i128)1 << 100))
                        : (i128)((unsigned __int128)v << sh);
    int s = -sh > 65 ? 65 : -sh;
    if (round)
        v += (i128)1 << (s - 1);
    return v >> s;
}

#endif
