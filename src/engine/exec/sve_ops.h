/*
 * sve_ops.h - what the SVE execution files (exec/sve_*.c) share: access
 * checks, the vector length in force, register views, predicate helpers and
 * the element-loop shapes.
 *
 * Every SVE handler starts with SVE_ENTER: the CPACR_EL1.ZEN trap (EC 0x19)
 * comes before the FPEN trap (EC 0x07) (Arm ARM CheckSVEEnabled), then the
 * effective vector length is read from ZCR_EL1 and the vCPU's VQ set (spec 7:
 * the largest supported VQ <= LEN + 1), never a constant. A vector written at
 * a VL below the vCPU's maximum has its bytes above the VL zeroed, and a
 * predicate likewise (spec 7: softkvm zeroes them for determinism); bytes
 * above the maximum are never visible.
 *
 * Registers: Zn is cpu->z[n] (byte k = bits [8k+7:8k]), Pn is cpu->p[n] with
 * one bit per Z byte (element i of size E bytes is governed by bit i*E), FFR
 * is cpu->ffr. Element views use may_alias types so that the byte arrays can
 * be read as 16/32/64-bit lanes.
 *
 * Pre-decoded entry conventions (struct dinsn) for SVE handlers: d, n, m, a =
 * register numbers (general registers as run slots where a handler says so),
 * c0 = governing predicate, c1..c3 and imm/imm2 per handler.
 */
#ifndef SOFTKVM_ENGINE_EXEC_SVE_OPS_H
#define SOFTKVM_ENGINE_EXEC_SVE_OPS_H

#include "engine/internal.h"
#include "sve_args.h"

#pragma GCC visibility push(hidden)

typedef uint8_t sve_u8;
typedef int8_t sve_s8;
typedef uint16_t sve_u16 __attribute__((may_alias));
typedef int16_t sve_s16 __attribute__((may_alias));
typedef uint32_t sve_u32 __attribute__((may_alias));
typedef int32_t sve_s32 __attribute__((may_alias));
typedef uint64_t sve_u64 __attribute__((may_alias));
typedef int64_t sve_s64 __attribute__((may_alias));

#define SVE_ENTER(r, d, vl)                                                       \
    if (unlikely(!(r)->zen_ok))                                                   \
        NEXT(engine_sve_trap(r, d));                                              \
    if (unlikely(!(r)->fp_ok))                                                    \
        NEXT(engine_fp_trap(r, d));                                               \
    const unsigned vl = sve_vl(r)

/* Effective vector length in bytes (spec 7; engine_sve_vl_bytes for an SVE vCPU). */
static inline unsigned sve_vl(const struct run *r)
{
    uint32_t m = r->env->sve_vqs & ((2u << (r->cpu->sys[SR_ZCR_EL1] & 0xf)) - 1);
    return m ? 16u * (32u - (unsigned)__builtin_clz(m)) : 16u;
}

/* The vCPU's maximum vector length in bytes: storage above it is never visible. */
static inline unsigned sve_vlmax(const struct run *r)
{
    uint32_t m = r->env->sve_vqs & ((1u << SVE_MAX_VQ) - 1);
    return m ? 16u * (32u - (unsigned)__builtin_clz(m)) : SVE_Z_BYTES;
}

static inline uint8_t *zreg(struct run *r, unsigned i)
{
    return r->cpu->z[i];
}

static inline uint8_t *preg(struct run *r, unsigned i)
{
    return r->cpu->p[i];
}

/* Copies of whole vectors (n a multiple of 16) between registers and guest
 * RAM: in 16-byte pieces the compiler inlines (n varies with the VL). */
static inline void sve_gread(void *dst, const void *src, unsigned n)
{
#ifdef ENGINE_TSAN
    gmem_read(dst, src, n);
#else
    for (unsigned k = 0; k < n; k += 16)
        memcpy((uint8_t *)dst + k, (const uint8_t *)src + k, 16);
#endif
}

static inline void sve_gwrite(void *dst, const void *src, unsigned n)
{
#ifdef ENGINE_TSAN
    gmem_write(dst, src, n);
#else
    for (unsigned k = 0; k < n; k += 16)
        memcpy((uint8_t *)dst + k, (const uint8_t *)src + k, 16);
#endif
}

/* After writing Z (vl bytes): zero the bytes above the VL. */
static inline void sve_ztail(struct run *r, uint8_t *z, unsigned vl)
{
    unsigned max = sve_vlmax(r);
    if (unlikely(max > vl))
        memset(z + vl, 0, max - vl);
}

/* After writing a predicate (vl/8 bytes): zero the bytes above. */
static inline void sve_ptail(struct run *r, uint8_t *p, unsigned vl)
{
    unsigned max = sve_vlmax(r) / 8;
    if (unlikely(max > vl / 8))
        memset(p + vl / 8, 0, max - vl / 8);
}

/* Element i of size e bytes is active in predicate p. */
static inline bool pact(const uint8_t *p, unsigned i, unsigned e)
{
    unsigned k = i * e;
    return (p[k >> 3] >> (k & 7)) & 1;
}

/* Every element of size 2^esz active in p (up to the VL)? */
static inline bool sve_all_active(const uint8_t *p, unsigned vl, unsigned esz)
{
    static const uint8_t m[4] = { 0xff, 0x55, 0x11, 0x01 };
    uint8_t acc = m[esz];
    for (unsigned k = 0; k < vl / 8; k++)
        acc &= p[k];
    return acc == m[esz];
}

/* Predicates as four 64-bit words (VL <= 2048 bits: 256 predicate bits). */
struct pw {
    uint64_t w[4];
};

/* Bits of the first element byte of each element, by log2 element size. */
static const uint64_t sve_emask[4] = { ~0ull, 0x5555555555555555ull, 0x1111111111111111ull,
                                       0x0101010101010101ull };

static inline struct pw pw_load(const uint8_t *p, unsigned vl)
{
    struct pw x = { { 0, 0, 0, 0 } };
    memcpy(x.w, p, vl / 8);
    return x;
}

/* Store x into p: its bits above the VL are zero (every producer keeps them
 * so), which zeroes the rest of the predicate's storage as well. */
static inline void pw_store(struct run *r, uint8_t *p, const struct pw *x, unsigned vl)
{
    (void)r;
    (void)vl;
    memcpy(p, x->w, SVE_P_BYTES);
}

/* Mask of valid predicate bits for the VL in word k. */
static inline uint64_t pw_valid(unsigned vl, unsigned k)
{
    unsigned bits = vl;                    /* one predicate bit per vector byte */
    if (bits >= 64 * (k + 1))
        return ~0ull;
    if (bits <= 64 * k)
        return 0;
    return (1ull << (bits - 64 * k)) - 1;
}

/* Arm ARM PredTest: N = first active element true, Z = none true,
 * C = last active element not true, V = 0. g holds the active element bits
 * (first byte of each element only), res the result predicate. */
static inline uint32_t sve_predtest(const struct pw *g, const struct pw *res)
{
    int first = -1, last = -1;
    bool any = false;
    for (unsigned k = 0; k < 4; k++) {
        uint64_t a = g->w[k];
        if (!a)
            continue;
        if (first < 0)
            first = (int)(64 * k + (unsigned)__builtin_ctzll(a));
        last = (int)(64 * k + 63 - (unsigned)__builtin_clzll(a));
        if (a & res->w[k])
            any = true;
    }
    if (first < 0)
        return PSTATE_Z | PSTATE_C;
    uint32_t f = 0;
    if ((res->w[first >> 6] >> (first & 63)) & 1)
        f |= PSTATE_N;
    if (!any)
        f |= PSTATE_Z;
    if (!((res->w[last >> 6] >> (last & 63)) & 1))
        f |= PSTATE_C;
    return f;
}

/* Governing predicate masked to its element positions and the VL. */
static inline struct pw pw_active(const uint8_t *pg, unsigned vl, unsigned esz)
{
    struct pw g = pw_load(pg, vl);
    for (unsigned k = 0; k < 4; k++)
        g.w[k] &= sve_emask[esz] & pw_valid(vl, k);
    return g;
}

/* Element counts of a predicate constraint (Arm ARM DecodePredCount). */
static inline unsigned sve_pattern_count(unsigned pat, unsigned elements)
{
    switch (pat) {
    case 0: {                               /* POW2 */
        unsigned p = 1;
        while (2 * p <= elements)
            p *= 2;
        return elements ? p : 0;
    }
    case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8:   /* VL1..VL8 */
        return elements >= pat ? pat : 0;
    case 9: case 10: case 11: case 12: case 13: {                     /* VL16..VL256 */
        unsigned k = 16u << (pat - 9);
        return elements >= k ? k : 0;
    }
    case 29: return elements - elements % 4;                          /* MUL4 */
    case 30: return elements - elements % 3;                          /* MUL3 */
    case 31: return elements;                                         /* ALL */
    default: return 0;
    }
}

/* Value helpers. */
static inline uint64_t sve_zext(uint64_t v, unsigned esz)
{
    return esz == 3 ? v : v & ((1ull << (8u << esz)) - 1);
}

static inline uint64_t sve_elem(const uint8_t *z, unsigned esz, unsigned i)
{
    switch (esz) {
    case 0: return z[i];
    case 1: return ((const sve_u16 *)z)[i];
    case 2: return ((const sve_u32 *)z)[i];
    default: return ((const sve_u64 *)z)[i];
    }
}

static inline void sve_elem_set(uint8_t *z, unsigned esz, unsigned i, uint64_t v)
{
    switch (esz) {
    case 0: z[i] = (uint8_t)v; break;
    case 1: ((sve_u16 *)z)[i] = (uint16_t)v; break;
    case 2: ((sve_u32 *)z)[i] = (uint32_t)v; break;
    default: ((sve_u64 *)z)[i] = v; break;
    }
}

/* Signed saturation of a 128-bit value to esz, unsigned likewise. */
static inline uint64_t sve_ssat(__int128 v, unsigned esz)
{
    unsigned bits = 8u << esz;
    __int128 hi = ((__int128)1 << (bits - 1)) - 1, lo = -hi - 1;
    if (v > hi)
        v = hi;
    if (v < lo)
        v = lo;
    return sve_zext((uint64_t)v, esz);
}

static inline uint64_t sve_usat(__int128 v, unsigned esz)
{
    unsigned bits = 8u << esz;
    __int128 hi = bits == 64 ? (__int128)UINT64_MAX : (((__int128)1 << bits) - 1);
    if (v > hi)
        v = hi;
    if (v < 0)
        v = 0;
    return (uint64_t)v;
}

static inline int64_t sve_sext(uint64_t v, unsigned esz)
{
    return (int64_t)sext(v, 8u << esz);
}

/* ---- element-loop shapes -------------------------------------------------------
 * Each DEF_* macro defines one handler per element size from an expression;
 * the per-instruction code is then one line. T is the lane type (sve_uN), S
 * its signed twin; a, b (and c) are the operand lanes as T. */

#define SVE_FOR_SIZES(M, NAME, EXPR) \
    M(NAME, 8, EXPR) M(NAME, 16, EXPR) M(NAME, 32, EXPR) M(NAME, 64, EXPR)
#define SVE_H4(NAME) { x_##NAME##_8, x_##NAME##_16, x_##NAME##_32, x_##NAME##_64 }

/* Zdn = Pg ? EXPR(a = Zdn, b = Zm) : Zdn. */
#define SVE_ZPZZ_1(NAME, B, EXPR)                                                 \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                T a = zd[i], b = zm[i];                                           \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZPZZ(NAME, EXPR) SVE_FOR_SIZES(SVE_ZPZZ_1, NAME, EXPR)

/* Zd = EXPR(a = Zn, b = Zm), unpredicated. */
#define SVE_ZZZ_1(NAME, B, EXPR)                                                  \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            T a = zn[i], b = zm[i];                                               \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZZZ(NAME, EXPR) SVE_FOR_SIZES(SVE_ZZZ_1, NAME, EXPR)

/* Zd = EXPR(a = Zn, b = d->imm), unpredicated (immediate forms read Zn = Zd or not). */
#define SVE_ZZI_1(NAME, B, EXPR)                                                  \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T b = (T)d->imm;                                                    \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            T a = zn[i];                                                          \
            zd[i] = (T)(EXPR);                                                    \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZZI(NAME, EXPR) SVE_FOR_SIZES(SVE_ZZI_1, NAME, EXPR)

/* Zdn = Pg ? EXPR(a = Zdn, b = d->imm) : Zdn. */
#define SVE_ZPZI_1(NAME, B, EXPR)                                                 \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T b = (T)d->imm;                                                    \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                T a = zd[i];                                                      \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZPZI(NAME, EXPR) SVE_FOR_SIZES(SVE_ZPZI_1, NAME, EXPR)

/* Zd = Pg ? EXPR(a = Zn) : Zd (merging unary). */
#define SVE_ZPZ_1(NAME, B, EXPR)                                                  \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        (void)sizeof(S);                                                          \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                T a = zn[i];                                                      \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZPZ(NAME, EXPR) SVE_FOR_SIZES(SVE_ZPZ_1, NAME, EXPR)

/* Zd = Pg ? EXPR(a = Zd, b = Zn, c = Zm) : Zd (multiply-add shapes; the decoder
 * maps the encoding's registers so that a is the destination). */
#define SVE_ZPZZZ_1(NAME, B, EXPR)                                                \
    static __attribute__((unused)) struct dinsn *x_##NAME##_##B(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                             \
        SVE_ENTER(r, d, vl);                                                      \
        typedef sve_u##B T;                                                       \
        T *zd = (T *)(void *)zreg(r, d->d);                                       \
        const T *zn = (const T *)(const void *)zreg(r, d->n);                     \
        const T *zm = (const T *)(const void *)zreg(r, d->m);                     \
        const T *za = (const T *)(const void *)zreg(r, d->a);                     \
        const uint8_t *pg = preg(r, d->c0);                                       \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (pact(pg, i, sizeof(T))) {                                         \
                T a = za[i], b = zn[i], c = zm[i];                                \
                zd[i] = (T)(EXPR);                                                \
            }                                                                     \
        }                                                                         \
        sve_ztail(r, (uint8_t *)zd, vl);                                          \
        NEXT(d + 1);                                                              \
    }
#define SVE_ZPZZZ(NAME, EXPR) SVE_FOR_SIZES(SVE_ZPZZZ_1, NAME, EXPR)

/* Saturating scalar increment/decrement (sve_cnt.c): flags bit 0 decrement,
 * bit 1 unsigned, bit 2 64-bit (else 32-bit, result extended into X). */
uint64_t sve_sat_incdec(uint64_t x, uint64_t c, unsigned flags);

/* Memory instructions: e->n = slot_sp(rn) and the handler, wrapped by the
 * SP alignment check (after the SVE enable checks) when the base is SP. */
void sve_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn);

/* Set an entry's handler from a [size] table; false (UNDEF) if it has none. */
static inline bool sve_set(struct decode *dc, exec_fn fn)
{
    if (!fn)
        return false;
    dc->e->fn = fn;
    return true;
}

#pragma GCC visibility pop

#endif
