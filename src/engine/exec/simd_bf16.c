/*
 * simd_bf16.c - BFloat16 (FEAT_BF16): BFCVT, BFCVTN/BFCVTN2, BFDOT (vector,
 * by element), BFMLALB/BFMLALT (vector, by element), BFMMLA.
 *
 * A BFloat16 value is the top half of a single-precision one. Three kinds of
 * arithmetic meet here (Arm ARM, without FEAT_EBF16, FPCR.AH = 0):
 *  - BFCVT/BFCVTN round single to BFloat16 as an ordinary FP conversion:
 *    FPCR rounding mode, FZ, DN and every FPSR flag (fp_convert to FP_BF16).
 *  - BFMLALB/T widen the even (B) or odd (T) BFloat16 elements to single and
 *    do an ordinary single-precision fused multiply-add (BFMulAddH).
 *  - BFDOT and BFMMLA use the "standard BFloat16" rules of BFAdd / BFMul /
 *    BFRound: inputs and results below the normal range are zero, any NaN
 *    gives the default NaN, every rounding is round-to-odd (overflow to
 *    infinity), FPCR is ignored and FPSR is never written. The sum of two
 *    products is unfused: each product rounds, then their sum, then the
 *    sum with the accumulator.
 */
#include "engine/exec/simd_shape.h"
#include "a64_args.h"

/* ---- standard BFloat16 arithmetic (BFDOT, BFMMLA) ------------------------------------- */

enum { BF_ZERO, BF_NUM, BF_INF, BF_NAN };

struct bfu {
    int cls, sign, exp;      /* BF_NUM: (-1)^sign * m * 2^exp, 2^23 <= m < 2^24 */
    uint64_t m;
};

#define BF_DEFAULT_NAN 0x7fc00000u
#define BF_INF_BITS 0x7f800000u

/* BFUnpack of a single-precision pattern: a zero exponent is zero. */
static inline struct bfu bf_unpack(uint32_t x)
{
    struct bfu u = { BF_NUM, (int)(x >> 31), 0, 0 };
    unsigned e = (x >> 23) & 0xff;
    uint32_t f = x & 0x7fffffu;
    if (e == 0)
        u.cls = BF_ZERO;
    else if (e == 0xff)
        u.cls = f ? BF_NAN : BF_INF;
    else {
        u.m = f | 0x800000u;
        u.exp = (int)e - 150;
    }
    return u;
}

/* BFRound of the nonzero (-1)^sign * m * 2^exp: below 2^-126 flushes to
 * zero, round to odd (never carries), 2^128 and above are infinite. */
static inline uint32_t bf_round(int sign, int exp, uint64_t m)
{
    int p = 63 - __builtin_clzll(m);
    int e = exp + p;
    uint32_t s = (uint32_t)sign << 31;
    if (e < -126)
        return s;
    if (e > 127)
        return s | BF_INF_BITS;
    uint64_t im;
    if (p > 23) {
        im = m >> (p - 23);
        if (m & ((1ull << (p - 23)) - 1))
            im |= 1;
    } else {
        im = m << (23 - p);
    }
    return s | (uint32_t)(e + 127) << 23 | ((uint32_t)im & 0x7fffffu);
}

/* BFMul of two BFloat16 values to single (the product itself is exact). */
static inline uint32_t bf_mul(uint16_t a, uint16_t b)
{
    struct bfu x = bf_unpack((uint32_t)a << 16), y = bf_unpack((uint32_t)b << 16);
    int sign = x.sign ^ y.sign;
    if (x.cls == BF_NAN || y.cls == BF_NAN || (x.cls == BF_INF && y.cls == BF_ZERO) ||
        (x.cls == BF_ZERO && y.cls == BF_INF))
        return BF_DEFAULT_NAN;
    if (x.cls == BF_INF || y.cls == BF_INF)
        return (uint32_t)sign << 31 | BF_INF_BITS;
    if (x.cls == BF_ZERO || y.cls == BF_ZERO)
        return (uint32_t)sign << 31;
    return bf_round(sign, x.exp + y.exp, x.m * y.m);
}

/* BFAdd of two single-precision values. */
static uint32_t bf_add(uint32_t a, uint32_t b)
{
    struct bfu x = bf_unpack(a), y = bf_unpack(b);
    if (x.cls == BF_NAN || y.cls == BF_NAN || (x.cls == BF_INF && y.cls == BF_INF && x.sign != y.sign))
        return BF_DEFAULT_NAN;
    if (x.cls == BF_INF || y.cls == BF_INF)
        return (uint32_t)(x.cls == BF_INF ? x.sign : y.sign) << 31 | BF_INF_BITS;
    if (x.cls == BF_ZERO && y.cls == BF_ZERO)
        return x.sign == y.sign ? (uint32_t)x.sign << 31 : 0;
    if (x.cls == BF_ZERO)
        return b;                       /* a normal single rounds to itself */
    if (y.cls == BF_ZERO)
        return a;
    if (x.exp < y.exp) {
        struct bfu t = x;
        x = y;
        y = t;
    }
    /* Exact sum in 64 bits while the exponents are close; otherwise y lies
     * far below x's last bit and only its sign matters (a sticky unit three
     * bits below x's last bit). */
    int d = x.exp - y.exp, e;
    int64_t X, Y;
    if (d <= 32) {
        X = (int64_t)(x.m << d);
        Y = (int64_t)y.m;
        e = y.exp;
    } else {
        X = (int64_t)(x.m << 3);
        Y = 1;
        e = x.exp - 3;
    }
    int64_t sum = (x.sign ? -X : X) + (y.sign ? -Y : Y);
    if (!sum)
        return 0;                       /* exact zero: +0 under round-to-odd */
    return bf_round(sum < 0, e, sum < 0 ? (uint64_t)-sum : (uint64_t)sum);
}

/* BFDotAdd: acc + (a0*b0 + a1*b1). */
static inline uint32_t bf_dot(uint32_t acc, uint16_t a0, uint16_t a1, uint16_t b0, uint16_t b1)
{
    return bf_add(acc, bf_add(bf_mul(a0, b0), bf_mul(a1, b1)));
}

/* ---- handlers ---------------------------------------------------------------------------- */

/* BFCVT Hd, Sn. */
static struct dinsn *x_bfcvt(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint32_t x;
    memcpy(&x, vreg(r, d->n), 4);
    uint16_t h = (uint16_t)fp_convert(&st, 2, FP_BF16, x, fp_rmode(&st));
    fpst_done(&st, r->cpu);
    vset(r, d->d, &h, 2);
    NEXT(d + 1);
}

/* BFCVTN (c2 = 0: the low half of Vd, upper zeroed) / BFCVTN2 (c2 = 1: the
 * upper half, lower kept): the four single lanes of Vn. */
static struct dinsn *x_bfcvtn(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint32_t in[4];
    uint16_t out[8];
    memcpy(in, vreg(r, d->n), 16);
    memcpy(out, vreg(r, d->d), 16);
    unsigned off = d->c2 ? 4 : 0;
    for (unsigned i = 0; i < 4; i++)
        out[off + i] = (uint16_t)fp_convert(&st, 2, FP_BF16, in[i], fp_rmode(&st));
    fpst_done(&st, r->cpu);
    if (d->c2)
        vset(r, d->d, out, 16);
    else
        vset(r, d->d, out, 8);
    NEXT(d + 1);
}

/* BFDOT: single lane i += Vn.h[2i]*Vm.h[2j] + Vn.h[2i+1]*Vm.h[2j+1], j = i
 * (vector) or c3 (by element). c1 = bytes written. */
static struct dinsn *x_bfdot(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint16_t vn[8], vm[8];
    uint32_t vd[4];
    memcpy(vn, vreg(r, d->n), 16);
    memcpy(vm, vreg(r, d->m), 16);
    memcpy(vd, vreg(r, d->d), 16);
    for (unsigned i = 0; i < d->c1 / 4; i++) {
        unsigned j = d->c3 == 0xff ? i : d->c3;
        vd[i] = bf_dot(vd[i], vn[2 * i], vn[2 * i + 1], vm[2 * j], vm[2 * j + 1]);
    }
    vset(r, d->d, vd, d->c1);
    NEXT(d + 1);
}

/* BFMMLA: Vd (2x2 single) += Vn (2x4 BFloat16) * Vm (2x4)^T, each element
 * accumulated by two BFDotAdd steps in order. */
static struct dinsn *x_bfmmla(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint16_t vn[8], vm[8];
    uint32_t vd[4];
    memcpy(vn, vreg(r, d->n), 16);
    memcpy(vm, vreg(r, d->m), 16);
    memcpy(vd, vreg(r, d->d), 16);
    for (unsigned i = 0; i < 2; i++) {
        for (unsigned j = 0; j < 2; j++) {
            uint32_t sum = vd[2 * i + j];
            for (unsigned k = 0; k < 2; k++)
                sum = bf_dot(sum, vn[4 * i + 2 * k], vn[4 * i + 2 * k + 1], vm[4 * j + 2 * k],
                             vm[4 * j + 2 * k + 1]);
            vd[2 * i + j] = sum;
        }
    }
    vset(r, d->d, vd, 16);
    NEXT(d + 1);
}

/* BFMLALB (c2 = 0) / BFMLALT (c2 = 1): single lane i += Vn.h[2i+c2] *
 * (Vm.h[2i+c2] or Vm.h[c3]), an ordinary fused multiply-add in single. */
static struct dinsn *x_bfmlal(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint16_t vn[8], vm[8];
    uint32_t vd[4];
    memcpy(vn, vreg(r, d->n), 16);
    memcpy(vm, vreg(r, d->m), 16);
    memcpy(vd, vreg(r, d->d), 16);
    for (unsigned i = 0; i < 4; i++) {
        uint32_t a = (uint32_t)vn[2 * i + d->c2] << 16;
        uint32_t b = (uint32_t)(d->c3 == 0xff ? vm[2 * i + d->c2] : vm[d->c3]) << 16;
        vd[i] = (uint32_t)fp_muladd_z(&st, 2, vd[i], a, b);
    }
    fpst_done(&st, r->cpu);
    vset(r, d->d, vd, 16);
    NEXT(d + 1);
}

/* ---- decoding ---------------------------------------------------------------------------- */

static bool dec_bf(struct decode *dc, exec_fn fn, unsigned bytes, unsigned c2, unsigned c3, uint32_t rd,
                   uint32_t rn, uint32_t rm)
{
    struct dinsn *e = dc->e;
    e->fn = fn;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->c1 = (uint8_t)bytes;
    e->c2 = (uint8_t)c2;
    e->c3 = (uint8_t)c3;
    return true;
}

bool op_BFCVT(struct decode *dc, const struct args_BFCVT *a)
{
    return dec_bf(dc, x_bfcvt, 2, 0, 0, a->d, a->n, 0);
}

bool op_BFCVTN(struct decode *dc, const struct args_BFCVTN *a)
{
    return dec_bf(dc, x_bfcvtn, 16, a->q, 0, a->d, a->n, 0);
}

bool op_BFDOT(struct decode *dc, const struct args_BFDOT *a)
{
    return dec_bf(dc, x_bfdot, a->q ? 16 : 8, 0, 0xff, a->d, a->n, a->m);
}

/* By element: the BFloat16 pair H:L of Vm = M:Rm. */
bool op_BFDOT_elem(struct decode *dc, const struct args_BFDOT_elem *a)
{
    return dec_bf(dc, x_bfdot, a->q ? 16 : 8, 0, a->H << 1 | a->L, a->d, a->n, a->M << 4 | a->m);
}

bool op_BFMMLA(struct decode *dc, const struct args_BFMMLA *a)
{
    return dec_bf(dc, x_bfmmla, 16, 0, 0, a->d, a->n, a->m);
}

/* Q selects the bottom (even) or top (odd) elements; always a 128-bit result. */
bool op_BFMLAL(struct decode *dc, const struct args_BFMLAL *a)
{
    return dec_bf(dc, x_bfmlal, 16, a->q, 0xff, a->d, a->n, a->m);
}

/* By element: element H:L:M of Vm (V0-V15). */
bool op_BFMLAL_elem(struct decode *dc, const struct args_BFMLAL_elem *a)
{
    return dec_bf(dc, x_bfmlal, 16, a->q, a->H << 2 | a->L << 1 | a->M, a->d, a->n, a->m);
}
