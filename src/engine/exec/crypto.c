/*
 * crypto.c - the Cryptographic Extension of Advanced SIMD: AES (FEAT_AES),
 * SHA-1 (FEAT_SHA1), SHA-256 (FEAT_SHA256), SHA-512 (FEAT_SHA512), the SHA-3
 * helpers EOR3/BCAX/RAX1/XAR (FEAT_SHA3), SM3 (FEAT_SM3) and SM4 (FEAT_SM4).
 * PMULL/PMULL2 (FEAT_PMULL, 64-bit lanes) live with the other long forms in
 * simd_long.c.
 *
 * Why: QEMU -cpu max (the default host profile) advertises all of these in
 * ID_AA64ISAR0_EL1, so guests that read the ID register (OpenSSL, the Linux
 * crypto drivers, compiler intrinsics) use them; the rows are gated on the same
 * ID fields (decode.c), so a vCPU whose ID register denies a feature gets UNDEF.
 *
 * Semantics: Arm ARM (DDI 0487) C7 pages of each instruction and the shared
 * pseudocode (AESSubBytes, AESShiftRows, AESMixColumns and their inverses,
 * SHAchoose/SHAparity/SHAmajority, SHA256hash, Sbox for SM4). The 128-bit
 * registers are handled as four 32-bit or two 64-bit little-endian lanes
 * (lane e = bits 32e+31:32e), as on the little-endian hosts supported.
 *
 * Entry layout: d, n, m, a register numbers; c0 = the immediate (XAR's rotate
 * amount, SM3TT's lane index). Every handler starts with the CPACR_EL1.FPEN
 * trap, as every other AdvSIMD instruction, and writes the full 128 bits of Vd
 * (SHA1H: 32 bits, the rest zeroed) through vset, which also clears the SVE Z
 * bits above 127.
 */
#include "engine/internal.h"
#include "a64_args.h"

/* One 128-bit register viewed as bytes, words or doublewords. */
union vec {
    uint8_t b[16];
    uint32_t s[4];
    uint64_t d[2];
};

/* The operands a handler may read: the old Vd and Vn, Vm, Va. */
struct ops {
    union vec d, n, m, a;
    unsigned imm;
};

static inline uint32_t rol32(uint32_t x, unsigned s)
{
    return (x << (s & 31)) | (x >> ((32 - s) & 31));
}

static inline uint32_t ror32(uint32_t x, unsigned s)
{
    return rol32(x, (32 - s) & 31);
}

static inline uint64_t ror64(uint64_t x, unsigned s)
{
    return (x >> (s & 63)) | (x << ((64 - s) & 63));
}

/* ---- AES ---------------------------------------------------------------------------- */

/* FIPS-197 S-box and its inverse (GF(2^8) inverse then the affine map; facts). */
static const uint8_t aes_sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

static const uint8_t aes_inv_sbox[256] = {
    0x52, 0x09, 0x6a, 0xd5, 0x30, 0x36, 0xa5, 0x38, 0xbf, 0x40, 0xa3, 0x9e, 0x81, 0xf3, 0xd7, 0xfb,
    0x7c, 0xe3, 0x39, 0x82, 0x9b, 0x2f, 0xff, 0x87, 0x34, 0x8e, 0x43, 0x44, 0xc4, 0xde, 0xe9, 0xcb,
    0x54, 0x7b, 0x94, 0x32, 0xa6, 0xc2, 0x23, 0x3d, 0xee, 0x4c, 0x95, 0x0b, 0x42, 0xfa, 0xc3, 0x4e,
    0x08, 0x2e, 0xa1, 0x66, 0x28, 0xd9, 0x24, 0xb2, 0x76, 0x5b, 0xa2, 0x49, 0x6d, 0x8b, 0xd1, 0x25,
    0x72, 0xf8, 0xf6, 0x64, 0x86, 0x68, 0x98, 0x16, 0xd4, 0xa4, 0x5c, 0xcc, 0x5d, 0x65, 0xb6, 0x92,
    0x6c, 0x70, 0x48, 0x50, 0xfd, 0xed, 0xb9, 0xda, 0x5e, 0x15, 0x46, 0x57, 0xa7, 0x8d, 0x9d, 0x84,
    0x90, 0xd8, 0xab, 0x00, 0x8c, 0xbc, 0xd3, 0x0a, 0xf7, 0xe4, 0x58, 0x05, 0xb8, 0xb3, 0x45, 0x06,
    0xd0, 0x2c, 0x1e, 0x8f, 0xca, 0x3f, 0x0f, 0x02, 0xc1, 0xaf, 0xbd, 0x03, 0x01, 0x13, 0x8a, 0x6b,
    0x3a, 0x91, 0x11, 0x41, 0x4f, 0x67, 0xdc, 0xea, 0x97, 0xf2, 0xcf, 0xce, 0xf0, 0xb4, 0xe6, 0x73,
    0x96, 0xac, 0x74, 0x22, 0xe7, 0xad, 0x35, 0x85, 0xe2, 0xf9, 0x37, 0xe8, 0x1c, 0x75, 0xdf, 0x6e,
    0x47, 0xf1, 0x1a, 0x71, 0x1d, 0x29, 0xc5, 0x89, 0x6f, 0xb7, 0x62, 0x0e, 0xaa, 0x18, 0xbe, 0x1b,
    0xfc, 0x56, 0x3e, 0x4b, 0xc6, 0xd2, 0x79, 0x20, 0x9a, 0xdb, 0xc0, 0xfe, 0x78, 0xcd, 0x5a, 0xf4,
    0x1f, 0xdd, 0xa8, 0x33, 0x88, 0x07, 0xc7, 0x31, 0xb1, 0x12, 0x10, 0x59, 0x27, 0x80, 0xec, 0x5f,
    0x60, 0x51, 0x7f, 0xa9, 0x19, 0xb5, 0x4a, 0x0d, 0x2d, 0xe5, 0x7a, 0x9f, 0x93, 0xc9, 0x9c, 0xef,
    0xa0, 0xe0, 0x3b, 0x4d, 0xae, 0x2a, 0xf5, 0xb0, 0xc8, 0xeb, 0xbb, 0x3c, 0x83, 0x53, 0x99, 0x61,
    0x17, 0x2b, 0x04, 0x7e, 0xba, 0x77, 0xd6, 0x26, 0xe1, 0x69, 0x14, 0x63, 0x55, 0x21, 0x0c, 0x7d,
};

/* The state is column-major: byte i of the register is row i % 4, column i / 4.
 * ShiftRows moves row r left by r columns: out[r + 4c] = in[r + 4((c + r) % 4)];
 * the inverse moves it right. */
static void aes_encrypt_round(union vec *res, const struct ops *o)
{
    uint8_t s[16];
    for (unsigned i = 0; i < 16; i++)
        s[i] = o->d.b[i] ^ o->n.b[i];
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 4; r++)
            res->b[r + 4 * c] = aes_sbox[s[r + 4 * ((c + r) & 3)]];
}

static void aes_decrypt_round(union vec *res, const struct ops *o)
{
    uint8_t s[16];
    for (unsigned i = 0; i < 16; i++)
        s[i] = o->d.b[i] ^ o->n.b[i];
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 4; r++)
            res->b[r + 4 * c] = aes_inv_sbox[s[r + 4 * ((c - r) & 3)]];
}

/* Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
static inline uint8_t gf_mul(uint8_t a, unsigned b)
{
    unsigned p = 0, x = a;
    for (; b; b >>= 1) {
        if (b & 1)
            p ^= x;
        x = (x << 1) ^ ((x & 0x80) ? 0x11bu : 0);
    }
    return (uint8_t)p;
}

/* Each column times the circulant matrix whose first row is k0 k1 k2 k3:
 * MixColumns 02 03 01 01, InvMixColumns 0e 0b 0d 09. */
static void aes_mix(union vec *res, const union vec *in, const unsigned k[4])
{
    for (unsigned c = 0; c < 4; c++) {
        const uint8_t *a = &in->b[4 * c];
        for (unsigned r = 0; r < 4; r++)
            res->b[4 * c + r] = gf_mul(a[0], k[(4 - r) & 3]) ^ gf_mul(a[1], k[(5 - r) & 3]) ^
                                gf_mul(a[2], k[(6 - r) & 3]) ^ gf_mul(a[3], k[(7 - r) & 3]);
    }
}

static void aes_mixcolumns(union vec *res, const struct ops *o)
{
    static const unsigned k[4] = { 2, 3, 1, 1 };
    aes_mix(res, &o->n, k);
}

static void aes_inv_mixcolumns(union vec *res, const struct ops *o)
{
    static const unsigned k[4] = { 0x0e, 0x0b, 0x0d, 0x09 };
    aes_mix(res, &o->n, k);
}

/* ---- SHA-1 and SHA-256 ------------------------------------------------------------------ */

static inline uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z)
{
    return ((y ^ z) & x) ^ z;
}

static inline uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z)
{
    return x ^ y ^ z;
}

static inline uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z)
{
    return (x & y) | ((x | y) & z);
}

enum { SHA1_C, SHA1_P, SHA1_M };

/* SHA1C/SHA1P/SHA1M: four rounds on X = Vd (a, b, c, d), Y = Sn (e) with the
 * schedule words of Vm; after each round the 160-bit Y:X rotates left by 32. */
static inline void sha1_rounds(union vec *res, const struct ops *o, int f)
{
    uint32_t x[4], y = o->n.s[0];
    memcpy(x, o->d.s, 16);
    for (unsigned e = 0; e < 4; e++) {
        uint32_t t = f == SHA1_C ? sha_choose(x[1], x[2], x[3])
                   : f == SHA1_P ? sha_parity(x[1], x[2], x[3])
                                 : sha_majority(x[1], x[2], x[3]);
        y += rol32(x[0], 5) + t + o->m.s[e];
        x[1] = rol32(x[1], 30);
        uint32_t top = x[3];
        x[3] = x[2];
        x[2] = x[1];
        x[1] = x[0];
        x[0] = y;
        y = top;
    }
    memcpy(res->s, x, 16);
}

static void sha1c(union vec *res, const struct ops *o) { sha1_rounds(res, o, SHA1_C); }
static void sha1p(union vec *res, const struct ops *o) { sha1_rounds(res, o, SHA1_P); }
static void sha1m(union vec *res, const struct ops *o) { sha1_rounds(res, o, SHA1_M); }

/* SHA1H: Sd = ROL(Sn, 30); the handler writes 32 bits. */
static void sha1h(union vec *res, const struct ops *o)
{
    memset(res, 0, sizeof *res);
    res->s[0] = rol32(o->n.s[0], 30);
}

/* SHA1SU0: (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm. */
static void sha1su0(union vec *res, const struct ops *o)
{
    res->d[0] = o->d.d[1] ^ o->d.d[0] ^ o->m.d[0];
    res->d[1] = o->n.d[0] ^ o->d.d[1] ^ o->m.d[1];
}

/* SHA1SU1: T = Vd EOR (Vn >> 32); each word rotated left by 1, and the top word
 * also takes ROL(T<31:0>, 2). */
static void sha1su1(union vec *res, const struct ops *o)
{
    uint32_t t[4] = { o->d.s[0] ^ o->n.s[1], o->d.s[1] ^ o->n.s[2], o->d.s[2] ^ o->n.s[3], o->d.s[3] };
    res->s[0] = rol32(t[0], 1);
    res->s[1] = rol32(t[1], 1);
    res->s[2] = rol32(t[2], 1);
    res->s[3] = rol32(t[3], 1) ^ rol32(t[0], 2);
}

static inline uint32_t sha256_Sigma0(uint32_t x)
{
    return ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22);
}

static inline uint32_t sha256_Sigma1(uint32_t x)
{
    return ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25);
}

/* SHA256hash: four rounds; X holds a..d, Y e..h (lane 0 = a / e); after each
 * round the 256-bit Y:X rotates left by 32. part1 returns X, else Y. */
static void sha256_hash(union vec *res, const union vec *xv, const union vec *yv, const union vec *w, bool part1)
{
    uint32_t x[4], y[4];
    memcpy(x, xv->s, 16);
    memcpy(y, yv->s, 16);
    for (unsigned e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y[0], y[1], y[2]);
        uint32_t maj = sha_majority(x[0], x[1], x[2]);
        uint32_t t = y[3] + sha256_Sigma1(y[0]) + chs + w->s[e];
        x[3] += t;
        y[3] = t + sha256_Sigma0(x[0]) + maj;
        uint32_t xtop = x[3], ytop = y[3];
        x[3] = x[2];
        x[2] = x[1];
        x[1] = x[0];
        x[0] = ytop;
        y[3] = y[2];
        y[2] = y[1];
        y[1] = y[0];
        y[0] = xtop;
    }
    memcpy(res->s, part1 ? x : y, 16);
}

static void sha256h(union vec *res, const struct ops *o)
{
    sha256_hash(res, &o->d, &o->n, &o->m, true);
}

static void sha256h2(union vec *res, const struct ops *o)
{
    sha256_hash(res, &o->n, &o->d, &o->m, false);
}

/* SHA256SU0: sigma0 of the words (Vn<31:0> : Vd<127:32>), plus Vd. */
static void sha256su0(union vec *res, const struct ops *o)
{
    uint32_t t[4] = { o->d.s[1], o->d.s[2], o->d.s[3], o->n.s[0] };
    for (unsigned e = 0; e < 4; e++)
        res->s[e] = (ror32(t[e], 7) ^ ror32(t[e], 18) ^ (t[e] >> 3)) + o->d.s[e];
}

static inline uint32_t sha256_sigma1(uint32_t x)
{
    return ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10);
}

/* SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; the two low words use sigma1 of
 * Vm<127:64>, the two high words sigma1 of the low result words. */
static void sha256su1(union vec *res, const struct ops *o)
{
    uint32_t t0[4] = { o->n.s[1], o->n.s[2], o->n.s[3], o->m.s[0] };
    uint32_t r[4];
    r[0] = sha256_sigma1(o->m.s[2]) + o->d.s[0] + t0[0];
    r[1] = sha256_sigma1(o->m.s[3]) + o->d.s[1] + t0[1];
    r[2] = sha256_sigma1(r[0]) + o->d.s[2] + t0[2];
    r[3] = sha256_sigma1(r[1]) + o->d.s[3] + t0[3];
    memcpy(res->s, r, 16);
}

/* ---- SHA-512 ---------------------------------------------------------------------------- */

/* SHA512H: X = Vn, Y = Vm, W = Vd (Arm ARM C7 SHA512H). */
static void sha512h(union vec *res, const struct ops *o)
{
    uint64_t x0 = o->n.d[0], x1 = o->n.d[1], y0 = o->m.d[0], y1 = o->m.d[1];
    uint64_t sig = ror64(y1, 14) ^ ror64(y1, 18) ^ ror64(y1, 41);
    uint64_t hi = ((y1 & x0) ^ (~y1 & x1)) + sig + o->d.d[1];
    uint64_t tmp = hi + y0;
    sig = ror64(tmp, 14) ^ ror64(tmp, 18) ^ ror64(tmp, 41);
    uint64_t lo = ((tmp & y1) ^ (~tmp & x0)) + sig + o->d.d[0];
    res->d[0] = lo;
    res->d[1] = hi;
}

static inline uint64_t sha512_Sigma0(uint64_t x)
{
    return ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39);
}

/* SHA512H2: X = Vn, Y = Vm, W = Vd. */
static void sha512h2(union vec *res, const struct ops *o)
{
    uint64_t x0 = o->n.d[0], y0 = o->m.d[0], y1 = o->m.d[1];
    uint64_t hi = ((x0 & y1) ^ (x0 & y0) ^ (y1 & y0)) + sha512_Sigma0(y0) + o->d.d[1];
    uint64_t lo = ((hi & y0) ^ (hi & y1) ^ (y1 & y0)) + sha512_Sigma0(hi) + o->d.d[0];
    res->d[0] = lo;
    res->d[1] = hi;
}

static inline uint64_t sha512_sigma0(uint64_t x)
{
    return ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7);
}

static inline uint64_t sha512_sigma1(uint64_t x)
{
    return ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6);
}

/* SHA512SU0: low = Vd<63:0> + sigma0(Vd<127:64>), high = Vd<127:64> + sigma0(Vn<63:0>). */
static void sha512su0(union vec *res, const struct ops *o)
{
    uint64_t lo = o->d.d[0] + sha512_sigma0(o->d.d[1]);
    uint64_t hi = o->d.d[1] + sha512_sigma0(o->n.d[0]);
    res->d[0] = lo;
    res->d[1] = hi;
}

/* SHA512SU1: each lane Vd + sigma1(Vn) + Vm. */
static void sha512su1(union vec *res, const struct ops *o)
{
    for (unsigned e = 0; e < 2; e++)
        res->d[e] = o->d.d[e] + sha512_sigma1(o->n.d[e]) + o->m.d[e];
}

/* ---- SHA-3 -------------------------------------------------------------------------- */

static void eor3(union vec *res, const struct ops *o)
{
    for (unsigned e = 0; e < 2; e++)
        res->d[e] = o->n.d[e] ^ o->m.d[e] ^ o->a.d[e];
}

static void bcax(union vec *res, const struct ops *o)
{
    for (unsigned e = 0; e < 2; e++)
        res->d[e] = o->n.d[e] ^ (o->m.d[e] & ~o->a.d[e]);
}

static void rax1(union vec *res, const struct ops *o)
{
    for (unsigned e = 0; e < 2; e++)
        res->d[e] = o->n.d[e] ^ ror64(o->m.d[e], 63);
}

static void xar(union vec *res, const struct ops *o)
{
    for (unsigned e = 0; e < 2; e++)
        res->d[e] = ror64(o->n.d[e] ^ o->m.d[e], o->imm);
}

/* ---- SM3 ----------------------------------------------------------------------------- */

/* SM3SS1: the top word only, ROL(ROL(Vn, 12) + Vm + Va, 7); the rest is zero. */
static void sm3ss1(union vec *res, const struct ops *o)
{
    memset(res, 0, sizeof *res);
    res->s[3] = rol32(rol32(o->n.s[3], 12) + o->m.s[3] + o->a.s[3], 7);
}

enum { SM3_TT1A, SM3_TT1B, SM3_TT2A, SM3_TT2B };

/* SM3TT1A/1B/2A/2B: one compression step on Vd (words A..D or E..H, lane 3 =
 * the newest) with SS1 in Vn<127:96> and the message word Vm.S[imm]. */
static inline void sm3tt(union vec *res, const struct ops *o, int which)
{
    const uint32_t *v = o->d.s;
    uint32_t w = o->m.s[o->imm & 3], t, top;
    switch (which) {
    case SM3_TT1A:
    case SM3_TT1B:
        t = which == SM3_TT1A ? v[1] ^ v[3] ^ v[2] : sha_majority(v[3], v[1], v[2]);
        top = t + v[0] + (o->n.s[3] ^ rol32(v[3], 12)) + w;
        res->s[1] = rol32(v[2], 9);
        break;
    default:
        t = which == SM3_TT2A ? v[1] ^ v[3] ^ v[2] : (v[3] & v[2]) | (~v[3] & v[1]);
        t = t + v[0] + o->n.s[3] + w;
        top = t ^ rol32(t, 9) ^ rol32(t, 17);
        res->s[1] = rol32(v[2], 19);
        break;
    }
    res->s[0] = v[1];
    res->s[2] = v[3];
    res->s[3] = top;
}

static void sm3tt1a(union vec *res, const struct ops *o) { sm3tt(res, o, SM3_TT1A); }
static void sm3tt1b(union vec *res, const struct ops *o) { sm3tt(res, o, SM3_TT1B); }
static void sm3tt2a(union vec *res, const struct ops *o) { sm3tt(res, o, SM3_TT2A); }
static void sm3tt2b(union vec *res, const struct ops *o) { sm3tt(res, o, SM3_TT2B); }

static inline uint32_t sm3_p1(uint32_t x)
{
    return x ^ rol32(x, 15) ^ rol32(x, 23);
}

/* SM3PARTW1: (Vd EOR Vn) EOR ROL(Vm, 15) in words 0..2, then P1 of each word;
 * word 3 uses ROL of the finished word 0 instead of Vm. */
static void sm3partw1(union vec *res, const struct ops *o)
{
    uint32_t r[4];
    for (unsigned i = 0; i < 3; i++)
        r[i] = sm3_p1(o->d.s[i] ^ o->n.s[i] ^ rol32(o->m.s[i + 1], 15));
    r[3] = sm3_p1(o->d.s[3] ^ o->n.s[3] ^ rol32(r[0], 15));
    memcpy(res->s, r, 16);
}

/* SM3PARTW2: Vd EOR (Vn EOR ROL(Vm, 7)), the top word also EOR P1(ROL(tmp<31:0>, 15)). */
static void sm3partw2(union vec *res, const struct ops *o)
{
    uint32_t tmp[4];
    for (unsigned i = 0; i < 4; i++) {
        tmp[i] = o->n.s[i] ^ rol32(o->m.s[i], 7);
        res->s[i] = o->d.s[i] ^ tmp[i];
    }
    res->s[3] ^= sm3_p1(rol32(tmp[0], 15));
}

/* ---- SM4 ----------------------------------------------------------------------------- */

/* GB/T 32907 S-box (the Arm ARM's Sbox(); facts). */
static const uint8_t sm4_sbox[256] = {
    0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
    0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
    0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
    0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
    0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
    0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
    0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
    0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
    0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
    0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
    0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
    0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
    0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
    0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
    0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
    0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
};

static inline uint32_t sm4_tau(uint32_t x)
{
    return (uint32_t)sm4_sbox[x & 0xff] | (uint32_t)sm4_sbox[(x >> 8) & 0xff] << 8 |
           (uint32_t)sm4_sbox[(x >> 16) & 0xff] << 16 | (uint32_t)sm4_sbox[x >> 24] << 24;
}

/* Four SM4 rounds on the state st (lane 3 = the newest word) with the round
 * keys (SM4E) or key-schedule constants (SM4EKEY) in k; the linear transform
 * is L (encryption) or L' (key expansion). */
static void sm4_rounds(union vec *res, const union vec *st, const union vec *k, bool key)
{
    uint32_t s[4];
    memcpy(s, st->s, 16);
    for (unsigned i = 0; i < 4; i++) {
        uint32_t t = sm4_tau(s[3] ^ s[2] ^ s[1] ^ k->s[i]);
        t ^= key ? rol32(t, 13) ^ rol32(t, 23) : rol32(t, 2) ^ rol32(t, 10) ^ rol32(t, 18) ^ rol32(t, 24);
        t ^= s[0];
        s[0] = s[1];
        s[1] = s[2];
        s[2] = s[3];
        s[3] = t;
    }
    memcpy(res->s, s, 16);
}

static void sm4e(union vec *res, const struct ops *o)
{
    sm4_rounds(res, &o->d, &o->n, false);
}

static void sm4ekey(union vec *res, const struct ops *o)
{
    sm4_rounds(res, &o->n, &o->m, true);
}

/* ---- handlers and decoding -------------------------------------------------------------- */

/* x_NAME: FPEN trap, read the operands, compute with fn, write BYTES of Vd. */
#define HANDLER(NAME, FN, BYTES)                                                 \
    static struct dinsn *x_##NAME(struct run *r, struct dinsn *d, uint64_t n)    \
    {                                                                            \
        FP_CHECK(r, d);                                                          \
        struct ops o;                                                            \
        union vec res;                                                           \
        memcpy(&o.d, vreg(r, d->d), 16);                                         \
        memcpy(&o.n, vreg(r, d->n), 16);                                         \
        memcpy(&o.m, vreg(r, d->m), 16);                                         \
        memcpy(&o.a, vreg(r, d->a), 16);                                         \
        o.imm = d->c0;                                                           \
        FN(&res, &o);                                                            \
        vset(r, d->d, &res, BYTES);                                              \
        NEXT(d + 1);                                                             \
    }

HANDLER(AESE, aes_encrypt_round, 16)
HANDLER(AESD, aes_decrypt_round, 16)
HANDLER(AESMC, aes_mixcolumns, 16)
HANDLER(AESIMC, aes_inv_mixcolumns, 16)
HANDLER(SHA1C, sha1c, 16)
HANDLER(SHA1P, sha1p, 16)
HANDLER(SHA1M, sha1m, 16)
HANDLER(SHA1H, sha1h, 4)
HANDLER(SHA1SU0, sha1su0, 16)
HANDLER(SHA1SU1, sha1su1, 16)
HANDLER(SHA256H, sha256h, 16)
HANDLER(SHA256H2, sha256h2, 16)
HANDLER(SHA256SU0, sha256su0, 16)
HANDLER(SHA256SU1, sha256su1, 16)
HANDLER(SHA512H, sha512h, 16)
HANDLER(SHA512H2, sha512h2, 16)
HANDLER(SHA512SU0, sha512su0, 16)
HANDLER(SHA512SU1, sha512su1, 16)
HANDLER(EOR3, eor3, 16)
HANDLER(BCAX, bcax, 16)
HANDLER(RAX1, rax1, 16)
HANDLER(XAR, xar, 16)
HANDLER(SM3SS1, sm3ss1, 16)
HANDLER(SM3TT1A, sm3tt1a, 16)
HANDLER(SM3TT1B, sm3tt1b, 16)
HANDLER(SM3TT2A, sm3tt2a, 16)
HANDLER(SM3TT2B, sm3tt2b, 16)
HANDLER(SM3PARTW1, sm3partw1, 16)
HANDLER(SM3PARTW2, sm3partw2, 16)
HANDLER(SM4E, sm4e, 16)
HANDLER(SM4EKEY, sm4ekey, 16)

/* Every encoding of a row is allocated (the feature gate is the row's), so
 * decoding never refuses. */
static bool dec(struct decode *dc, exec_fn fn, uint32_t rd, uint32_t rn, uint32_t rm, uint32_t ra, uint32_t imm)
{
    struct dinsn *e = dc->e;
    e->fn = fn;
    e->d = (uint8_t)rd;
    e->n = (uint8_t)rn;
    e->m = (uint8_t)rm;
    e->a = (uint8_t)ra;
    e->c0 = (uint8_t)imm;
    return true;
}

#define OP2(N)                                                                   \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec(dc, x_##N, a->d, a->n, 0, 0, 0);                              \
    }
#define OP3(N)                                                                   \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec(dc, x_##N, a->d, a->n, a->m, 0, 0);                           \
    }
#define OP4(N)                                                                   \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec(dc, x_##N, a->d, a->n, a->m, a->a, 0);                        \
    }
#define OPI(N)                                                                   \
    bool op_##N(struct decode *dc, const struct args_##N *a)                     \
    {                                                                            \
        return dec(dc, x_##N, a->d, a->n, a->m, 0, a->i);                        \
    }

OP2(AESE) OP2(AESD) OP2(AESMC) OP2(AESIMC)
OP3(SHA1C) OP3(SHA1P) OP3(SHA1M) OP2(SHA1H) OP3(SHA1SU0) OP2(SHA1SU1)
OP3(SHA256H) OP3(SHA256H2) OP2(SHA256SU0) OP3(SHA256SU1)
OP3(SHA512H) OP3(SHA512H2) OP2(SHA512SU0) OP3(SHA512SU1)
OP4(EOR3) OP4(BCAX) OP3(RAX1) OPI(XAR)
OP4(SM3SS1) OPI(SM3TT1A) OPI(SM3TT1B) OPI(SM3TT2A) OPI(SM3TT2B) OP3(SM3PARTW1) OP3(SM3PARTW2)
OP2(SM4E) OP3(SM4EKEY)
