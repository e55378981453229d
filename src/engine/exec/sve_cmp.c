/*
 * sve_cmp.c - SVE integer compares producing a predicate: CMP<cc> between
 * vectors, against the 64-bit "wide" elements of a second vector, and against
 * a signed or unsigned immediate.
 *
 * Arm ARM C8 (CMP<cc> (vectors / wide elements / immediate)): Pd element =
 * active in Pg and the condition holds; inactive elements are false. The
 * flags are PredTest(Pg, Pd, esize): N = first active true, Z = none true,
 * C = last active not true, V = 0.
 */
#include "engine/exec/sve_ops.h"

enum { CC_EQ, CC_NE, CC_GE, CC_GT, CC_LT, CC_LE, CC_HS, CC_HI, CC_LO, CC_LS };
enum { OPND_VEC, OPND_WIDE, OPND_IMM };

static inline bool cmp_holds(unsigned cc, uint64_t a, uint64_t b, int64_t sa, int64_t sb)
{
    switch (cc) {
    case CC_EQ: return a == b;
    case CC_NE: return a != b;
    case CC_GE: return sa >= sb;
    case CC_GT: return sa > sb;
    case CC_LT: return sa < sb;
    case CC_LE: return sa <= sb;
    case CC_HS: return a >= b;
    case CC_HI: return a > b;
    case CC_LO: return a < b;
    default: return a <= b;
    }
}

/* One loop per element size and operand kind; cc is a loop-invariant switch. */
#define SVE_CMP_1(B)                                                              \
    static void cmp_##B(struct pw *res, const uint8_t *zn, const uint8_t *zm, const uint8_t *pg, \
                        unsigned vl, unsigned cc, unsigned kind, uint64_t imm)    \
    {                                                                             \
        typedef sve_u##B T;                                                       \
        typedef sve_s##B S;                                                       \
        const T *n = (const T *)(const void *)zn;                                 \
        for (unsigned i = 0; i < vl / sizeof(T); i++) {                           \
            if (!pact(pg, i, sizeof(T)))                                          \
                continue;                                                         \
            uint64_t a = n[i], b;                                                 \
            int64_t sa = (S)n[i], sb;                                             \
            if (kind == OPND_VEC) {                                               \
                b = ((const T *)(const void *)zm)[i];                             \
                sb = (S)b;                                                        \
            } else if (kind == OPND_WIDE) {                                       \
                b = ((const sve_u64 *)(const void *)zm)[i * sizeof(T) / 8];       \
                sb = (int64_t)b;                                                  \
            } else {                                                              \
                b = (T)imm;                                                       \
                sb = (int64_t)imm;                                                \
            }                                                                     \
            if (kind == OPND_WIDE && (cc == CC_EQ || cc == CC_NE)) {              \
                /* 64-bit comparison of the sign-extended element */              \
                if (cmp_holds(cc, (uint64_t)sa, b, 0, 0))                         \
                    res->w[(i * sizeof(T)) >> 6] |= 1ull << ((i * sizeof(T)) & 63); \
                continue;                                                         \
            }                                                                     \
            if (cmp_holds(cc, a, b, sa, sb))                                      \
                res->w[(i * sizeof(T)) >> 6] |= 1ull << ((i * sizeof(T)) & 63);   \
        }                                                                         \
    }
SVE_CMP_1(8)
SVE_CMP_1(16)
SVE_CMP_1(32)
SVE_CMP_1(64)

/* c1 = condition, c2 = log2 element size, c3 = operand kind, imm = immediate. */
static struct dinsn *x_cmp(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    struct pw res = { { 0, 0, 0, 0 } };
    switch (d->c2) {
    case 0: cmp_8(&res, zn, zm, pg, vl, d->c1, d->c3, d->imm); break;
    case 1: cmp_16(&res, zn, zm, pg, vl, d->c1, d->c3, d->imm); break;
    case 2: cmp_32(&res, zn, zm, pg, vl, d->c1, d->c3, d->imm); break;
    default: cmp_64(&res, zn, zm, pg, vl, d->c1, d->c3, d->imm); break;
    }
    struct pw g = pw_active(pg, vl, d->c2);
    pw_store(r, preg(r, d->d), &res, vl);
    r->nzcv = sve_predtest(&g, &res);
    NEXT(d + 1);
}

static bool cmp_fill(struct decode *dc, unsigned cc, unsigned esz, unsigned kind, unsigned pd, unsigned pg,
                     unsigned zn, unsigned zm, uint64_t imm)
{
    struct dinsn *e = dc->e;
    e->fn = x_cmp;
    e->d = (uint8_t)pd;
    e->c0 = (uint8_t)pg;
    e->n = (uint8_t)zn;
    e->m = (uint8_t)zm;
    e->c1 = (uint8_t)cc;
    e->c2 = (uint8_t)esz;
    e->c3 = (uint8_t)kind;
    e->imm = imm;
    return true;
}

bool op_CMP_ppzz(struct decode *dc, const struct args_CMP_ppzz *a)
{
    /* [o][N]; wide forms (o = 1, 2, 3, 6, 7) need esz != 3. */
    static const signed char cc[8][2] = {
        { CC_HS, CC_HI }, { CC_EQ, CC_NE }, { CC_GE, CC_GT }, { CC_LT, CC_LE },
        { CC_GE, CC_GT }, { CC_EQ, CC_NE }, { CC_HS, CC_HI }, { CC_LO, CC_LS },
    };
    bool wide = a->o != 0 && a->o != 4 && a->o != 5;
    if (wide && a->z == 3)
        return false;
    return cmp_fill(dc, (unsigned)cc[a->o][a->N], a->z, wide ? OPND_WIDE : OPND_VEC, a->d, a->g, a->n, a->m, 0);
}

bool op_CMP_ppzi_u(struct decode *dc, const struct args_CMP_ppzi_u *a)
{
    static const unsigned char cc[4] = { CC_HS, CC_HI, CC_LO, CC_LS };
    return cmp_fill(dc, cc[(a->L << 1) | a->N], a->z, OPND_IMM, a->d, a->g, a->n, 0, a->i);
}

bool op_CMP_ppzi_s(struct decode *dc, const struct args_CMP_ppzi_s *a)
{
    static const unsigned char cc[3][2] = { { CC_GE, CC_GT }, { CC_LT, CC_LE }, { CC_EQ, CC_NE } };
    if (a->o == 3)
        return false;
    return cmp_fill(dc, cc[a->o][a->N], a->z, OPND_IMM, a->d, a->g, a->n, 0, sext(a->i, 5));
}
