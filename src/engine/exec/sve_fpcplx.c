/*
 * sve_fpcplx.c - SVE floating-point complex arithmetic (FCADD, FCMLA
 * vectors and indexed) and the trigonometric / exponential accelerators
 * of vector math libraries (FTMAD, FTSSEL, FEXPA; FTSMUL is in sve_fp.c).
 *
 * Source: Arm ARM C8 (FCADD, FCMLA: pairs of elements are (real, imaginary);
 * each element is computed only if its own predicate bit is active) and the
 * shared pseudocode FPTrigMAdd, FPTrigSSel, FPExpA. Arithmetic is the exact
 * Arm one from fp_arith.h (FPCR modes, NaN propagation, FPSR flags).
 *
 * Tables: FEXPA's coefficients are the fraction bits of 2^(i/32) (half) and
 * 2^(i/64) (single, double), rounded to nearest, computed for this file with
 * 60-digit decimal arithmetic. FTMAD's are the Arm ARM's FPTrigMAddCoefficient
 * values (sine then cosine series terms), read back from qemu-aarch64 -cpu max
 * with FTMAD Zdn = 0, Zm = +/-0.
 */
#include "engine/exec/sve_ops.h"
#include "engine/exec/fp_soft.h"

static const uint16_t fexpa_h[32] = {
    0x000, 0x016, 0x02d, 0x045, 0x05d, 0x075, 0x08e, 0x0a8,
    0x0c2, 0x0dc, 0x0f8, 0x114, 0x130, 0x14d, 0x16b, 0x189,
    0x1a8, 0x1c8, 0x1e8, 0x209, 0x22b, 0x24e, 0x271, 0x295,
    0x2ba, 0x2e0, 0x306, 0x32e, 0x356, 0x37f, 0x3a9, 0x3d4,
};
static const uint32_t fexpa_s[64] = {
    0x000000, 0x0164d2, 0x02cd87, 0x043a29, 0x05aac3, 0x071f62, 0x08980f, 0x0a14d5,
    0x0b95c2, 0x0d1adf, 0x0ea43a, 0x1031dc, 0x11c3d3, 0x135a2b, 0x14f4f0, 0x16942d,
    0x1837f0, 0x19e046, 0x1b8d3a, 0x1d3eda, 0x1ef532, 0x20b051, 0x227043, 0x243516,
    0x25fed7, 0x27cd94, 0x29a15b, 0x2b7a3a, 0x2d583f, 0x2f3b79, 0x3123f6, 0x3311c4,
    0x3504f3, 0x36fd92, 0x38fbaf, 0x3aff5b, 0x3d08a4, 0x3f179a, 0x412c4d, 0x4346cd,
    0x45672a, 0x478d75, 0x49b9be, 0x4bec15, 0x4e248c, 0x506334, 0x52a81e, 0x54f35b,
    0x5744fd, 0x599d16, 0x5bfbb8, 0x5e60f5, 0x60ccdf, 0x633f89, 0x65b907, 0x68396a,
    0x6ac0c7, 0x6d4f30, 0x6fe4ba, 0x728177, 0x75257d, 0x77d0df, 0x7a83b3, 0x7d3e0c,
};
static const uint64_t fexpa_d[64] = {
    0x0000000000000ull, 0x02c9a3e778061ull, 0x059b0d3158574ull, 0x0874518759bc8ull,
    0x0b5586cf9890full, 0x0e3ec32d3d1a2ull, 0x11301d0125b51ull, 0x1429aaea92de0ull,
    0x172b83c7d517bull, 0x1a35beb6fcb75ull, 0x1d4873168b9aaull, 0x2063b88628cd6ull,
    0x2387a6e756238ull, 0x26b4565e27cddull, 0x29e9df51fdee1ull, 0x2d285a6e4030bull,
    0x306fe0a31b715ull, 0x33c08b26416ffull, 0x371a7373aa9cbull, 0x3a7db34e59ff7ull,
    0x3dea64c123422ull, 0x4160a21f72e2aull, 0x44e086061892dull, 0x486a2b5c13cd0ull,
    0x4bfdad5362a27ull, 0x4f9b2769d2ca7ull, 0x5342b569d4f82ull, 0x56f4736b527daull,
    0x5ab07dd485429ull, 0x5e76f15ad2148ull, 0x6247eb03a5585ull, 0x6623882552225ull,
    0x6a09e667f3bcdull, 0x6dfb23c651a2full, 0x71f75e8ec5f74ull, 0x75feb564267c9ull,
    0x7a11473eb0187ull, 0x7e2f336cf4e62ull, 0x82589994cce13ull, 0x868d99b4492edull,
    0x8ace5422aa0dbull, 0x8f1ae99157736ull, 0x93737b0cdc5e5ull, 0x97d829fde4e50ull,
    0x9c49182a3f090ull, 0xa0c667b5de565ull, 0xa5503b23e255dull, 0xa9e6b5579fdbfull,
    0xae89f995ad3adull, 0xb33a2b84f15fbull, 0xb7f76f2fb5e47ull, 0xbcc1e904bc1d2ull,
    0xc199bdd85529cull, 0xc67f12e57d14bull, 0xcb720dcef9069ull, 0xd072d4a07897cull,
    0xd5818dcfba487ull, 0xda9e603db3285ull, 0xdfc97337b9b5full, 0xe502ee78b3ff6ull,
    0xea4afa2a490daull, 0xefa1bee615a27ull, 0xf50765b6e4540ull, 0xfa7c1819e90d8ull,
};

static const uint64_t ftmad_coeff[3][16] = {
    { 0x3c00, 0xb155, 0x2030, 0, 0, 0, 0, 0, 0x3c00, 0xb800, 0x293a, 0, 0, 0, 0, 0 },
    { 0x3f800000, 0xbe2aaaab, 0x3c088886, 0xb95008b9, 0x36369d6d, 0, 0, 0,
      0x3f800000, 0xbf000000, 0x3d2aaaa6, 0xbab60705, 0x37cd37cc, 0, 0, 0 },
    { 0x3ff0000000000000ull, 0xbfc5555555555543ull, 0x3f8111111110f30cull, 0xbf2a01a019b92fc6ull,
      0x3ec71de351f3d22bull, 0xbe5ae5e2b60f7b91ull, 0x3de5d8408868552full, 0,
      0x3ff0000000000000ull, 0xbfe0000000000000ull, 0x3fa5555555555536ull, 0xbf56c16c16c13a0bull,
      0x3efa01a019b1e8d8ull, 0xbe927e4f7282f468ull, 0x3e21ee96d2641b13ull, 0xbda8f76380fbb401ull },
};

/* ---- FCADD: c1 = rotation 270 (else 90), c3 = esz ------------------------------------------------ */

static struct dinsn *x_fcadd(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c3, ne = vl >> sz, eb = 1u << sz;
    uint64_t sign = fp_signbit(sz);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    for (unsigned i = 0; i < ne; i += 2) {
        uint64_t br = sve_elem(zm, sz, i), bi = sve_elem(zm, sz, i + 1);
        /* #90: (re - bi, im + br); #270: (re + bi, im - br), as FPAdd of a negated operand. */
        if (pact(pg, i, eb))
            sve_elem_set(zd, sz, i, fp_add_z(&st, sz, sve_elem(zd, sz, i), d->c1 ? bi : bi ^ sign));
        if (pact(pg, i + 1, eb))
            sve_elem_set(zd, sz, i + 1, fp_add_z(&st, sz, sve_elem(zd, sz, i + 1), d->c1 ? br ^ sign : br));
    }
    fpst_done(&st, r->cpu);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FCADD(struct decode *dc, const struct args_FCADD *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcadd;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->r;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* ---- FCMLA: c1 = rotation, c2 = 1 indexed (imm = pair index in each segment), c3 = esz ---------- */

static struct dinsn *x_fcmla(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c3, ne = vl >> sz, eb = 1u << sz, seg = 16u >> sz, rot = d->c1;
    unsigned sa = rot & 1, sb = sa ^ 1;
    uint64_t sign = fp_signbit(sz);
    uint64_t neg_i = (rot >> 1) ? sign : 0, neg_r = ((rot & 1) != (rot >> 1)) ? sign : 0;
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint8_t *zd = zreg(r, d->d), res[SVE_Z_BYTES];
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m), *pg = preg(r, d->c0);
    memcpy(res, zd, vl);
    for (unsigned i = 0; i < ne; i += 2) {
        unsigned j = d->c2 ? i - i % seg + 2 * (unsigned)d->imm : i;   /* Zm's pair */
        uint64_t x = sve_elem(zn, sz, i + sa);
        uint64_t ya = sve_elem(zm, sz, j + sa), yb = sve_elem(zm, sz, j + sb);
        if (d->c2 || pact(pg, i, eb))
            sve_elem_set(res, sz, i, fp_muladd_z(&st, sz, sve_elem(zd, sz, i), x, ya ^ neg_r));
        if (d->c2 || pact(pg, i + 1, eb))
            sve_elem_set(res, sz, i + 1, fp_muladd_z(&st, sz, sve_elem(zd, sz, i + 1), x, yb ^ neg_i));
    }
    fpst_done(&st, r->cpu);
    memcpy(zd, res, vl);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FCMLA_zpzzz(struct decode *dc, const struct args_FCMLA_zpzzz *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcmla;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c0 = (uint8_t)a->g;
    e->c1 = (uint8_t)a->r;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* z = 10: .h, index m<4:3>, Zm m<2:0>; z = 11: .s, index m<4>, Zm m<3:0>. */
bool op_FCMLA_zzxz(struct decode *dc, const struct args_FCMLA_zzxz *a)
{
    if (a->z < 2)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fcmla;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)(a->z == 2 ? a->m & 7 : a->m & 15);
    e->imm = a->z == 2 ? a->m >> 3 : a->m >> 4;
    e->c1 = (uint8_t)a->r;
    e->c2 = 1;
    e->c3 = (uint8_t)(a->z - 1);
    return true;
}

/* ---- FTMAD: Zdn = coeff[imm (+ 8 if Zm is negative)] + Zdn * |Zm|; imm, c3 = esz ------------------ */

static struct dinsn *x_ftmad(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c3, ne = vl >> sz;
    uint64_t sign = fp_signbit(sz);
    struct fpst st;
    fpst_init(&st, r->cpu);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t y = sve_elem(zm, sz, i);
        uint64_t c = ftmad_coeff[sz - 1][d->imm + ((y & sign) ? 8 : 0)];
        sve_elem_set(zd, sz, i, fp_muladd_z(&st, sz, c, sve_elem(zd, sz, i), y & ~sign));
    }
    fpst_done(&st, r->cpu);
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FTMAD(struct decode *dc, const struct args_FTMAD *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_ftmad;
    e->d = (uint8_t)a->d;
    e->m = (uint8_t)a->m;
    e->imm = a->i;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* ---- FTSSEL: Zm<0> ? 1.0 : Zn, sign inverted by Zm<1> (no FP exception) ----------------------------- */

static struct dinsn *x_ftssel(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    static const uint64_t one[4] = { 0, 0x3c00, 0x3f800000, 0x3ff0000000000000ull };
    unsigned sz = d->c3, ne = vl >> sz;
    uint64_t sign = fp_signbit(sz);
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n), *zm = zreg(r, d->m);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t y = sve_elem(zm, sz, i);
        uint64_t v = (y & 1) ? one[sz] : sve_elem(zn, sz, i);
        sve_elem_set(zd, sz, i, (y & 2) ? v ^ sign : v);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FTSSEL(struct decode *dc, const struct args_FTSSEL *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_ftssel;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    e->c3 = (uint8_t)a->z;
    return true;
}

/* ---- FEXPA: exponent bits from Zn above the table index, fraction from the table -------------------- */

static struct dinsn *x_fexpa(struct run *r, struct dinsn *d, uint64_t n)
{
    SVE_ENTER(r, d, vl);
    unsigned sz = d->c3, ne = vl >> sz;
    uint8_t *zd = zreg(r, d->d);
    const uint8_t *zn = zreg(r, d->n);
    for (unsigned i = 0; i < ne; i++) {
        uint64_t x = sve_elem(zn, sz, i), v;
        if (sz == 1)
            v = (((x >> 5) & 0x1f) << 10) | fexpa_h[x & 31];
        else if (sz == 2)
            v = (((x >> 6) & 0xff) << 23) | fexpa_s[x & 63];
        else
            v = (((x >> 6) & 0x7ff) << 52) | fexpa_d[x & 63];
        sve_elem_set(zd, sz, i, v);
    }
    sve_ztail(r, zd, vl);
    NEXT(d + 1);
}

bool op_FEXPA(struct decode *dc, const struct args_FEXPA *a)
{
    if (a->z == 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fexpa;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->c3 = (uint8_t)a->z;
    return true;
}
