/*
 * test_engine_crypto.c - the Cryptographic Extension instructions (exec/crypto.c
 * and PMULL of 64-bit lanes) through engine_run():
 *
 *  - known answers: AES-128 encryption and decryption of the FIPS-197 C.1
 *    block, SHA-1, SHA-256 and SHA-512 of "abc" (FIPS 180), SM3 of "abc"
 *    (GB/T 32905) and the SM4 example of GB/T 32907, each computed the way
 *    kernels and libraries drive the instructions (round-key schedule, padding
 *    and state bookkeeping in plain C here, every round in guest instructions)
 *    and compared with the digests and ciphertexts the standards publish; the
 *    AES round keys come from a plain C key expansion whose S-box is computed
 *    from its algebraic definition, not copied from the engine;
 *  - the FPEN trap (EC 0x07) for every instruction when CPACR_EL1.FPEN traps;
 *  - UNDEF when ID_AA64ISAR0_EL1 denies the feature (AES=1 without PMULL,
 *    SHA2=1 without SHA512, and every crypto field 0).
 * The differential test (tests/diff, class crypto) is the broad check of the
 * semantics against qemu-aarch64; this file pins what it cannot: traps,
 * feature gating, and whole-algorithm answers from the standards.
 */
#include "test_engine_harness.h"

#define CODE 0x10000000ull
#define VBAR 0x10100000ull

static struct harness H;

static void setup(bool fp_on)
{
    h_init(&H);
    h_vectors(&H, VBAR);
    H.cpu.sys[SR_CPACR_EL1] = fp_on ? 3u << 20 : 0;
}

/* Run one instruction followed by "hvc #0"; returns the exit's HVC immediate
 * (0: the instruction completed; 4: an exception to the current EL). */
static unsigned step(uint32_t insn)
{
    uint32_t code[2] = { insn, 0xd4000002u };
    h_load(&H, CODE, code, 2);
    engine_cache_flush(H.cache);
    H.cpu.pc = CODE;
    struct engine_exit *e = h_run(&H, 100);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    return e->hvc.imm;
}

/* Run and require completion. */
static void op(uint32_t insn)
{
    unsigned imm = step(insn);
    if (imm != 0) {
        fprintf(stderr, "insn 0x%08x: exception, ESR 0x%llx\n", insn,
                (unsigned long long)H.cpu.sys[SR_ESR_EL1]);
        h_fails++;
    }
}

static uint32_t R(uint32_t base, unsigned d, unsigned n, unsigned m)
{
    return base | m << 16 | n << 5 | d;
}

/* Encodings with all register fields 0 (binutils). */
#define AESE      0x4e284800u
#define AESD      0x4e285800u
#define AESMC     0x4e286800u
#define AESIMC    0x4e287800u
#define SHA1C     0x5e000000u
#define SHA1P     0x5e001000u
#define SHA1M     0x5e002000u
#define SHA1SU0   0x5e003000u
#define SHA256H   0x5e004000u
#define SHA256H2  0x5e005000u
#define SHA256SU1 0x5e006000u
#define SHA1H     0x5e280800u
#define SHA1SU1   0x5e281800u
#define SHA256SU0 0x5e282800u
#define SHA512H   0xce608000u
#define SHA512H2  0xce608400u
#define SHA512SU1 0xce608800u
#define RAX1      0xce608c00u
#define SM3PARTW1 0xce60c000u
#define SM3PARTW2 0xce60c400u
#define SM4EKEY   0xce60c800u
#define SHA512SU0 0xcec08000u
#define SM4E      0xcec08400u
#define EOR3      0xce000000u
#define BCAX      0xce200000u
#define SM3SS1    0xce400000u
#define XAR       0xce800000u
#define SM3TT1A   0xce408000u
#define SM3TT1B   0xce408400u
#define SM3TT2A   0xce408800u
#define SM3TT2B   0xce408c00u
#define PMULL_1Q  0x0ee0e000u
#define PMULL_8H  0x0e20e000u
#define ADD_4S    0x4ea08400u

static void vw32(unsigned reg, const uint32_t w[4]) { memcpy(H.cpu.z[reg], w, 16); }
static void vr32(unsigned reg, uint32_t w[4]) { memcpy(w, H.cpu.z[reg], 16); }
static void vw64(unsigned reg, uint64_t lo, uint64_t hi)
{
    memcpy(H.cpu.z[reg], &lo, 8);
    memcpy(H.cpu.z[reg] + 8, &hi, 8);
}
static uint64_t vr64(unsigned reg, unsigned lane)
{
    uint64_t v;
    memcpy(&v, H.cpu.z[reg] + 8 * lane, 8);
    return v;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t rol(uint32_t x, unsigned s) { return s ? (x << s) | (x >> (32 - s)) : x; }

/* ---- AES-128 ------------------------------------------------------------------------- */

static uint8_t gmul(uint8_t a, uint8_t b)
{
    unsigned p = 0, x = a;
    for (; b; b >>= 1) {
        if (b & 1)
            p ^= x;
        x = (x << 1) ^ ((x & 0x80) ? 0x11bu : 0);
    }
    return (uint8_t)p;
}

/* FIPS-197 5.1.1: multiplicative inverse in GF(2^8), then the affine map. */
static uint8_t sbox_alg(uint8_t x)
{
    uint8_t inv = 0;
    for (unsigned y = 1; y < 256 && x; y++)
        if (gmul(x, (uint8_t)y) == 1)
            inv = (uint8_t)y;
    unsigned b = inv, s = b;
    for (unsigned i = 1; i <= 4; i++)
        s ^= ((b << i) | (b >> (8 - i))) & 0xff;
    return (uint8_t)(s ^ 0x63);
}

static void test_aes(void)
{
    static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    static const uint8_t pt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    static const uint8_t ct[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                    0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };   /* FIPS-197 C.1 */
    /* FIPS-197 5.2 key expansion, in bytes: w[i] = w[i-4] ^ (i % 4 ? w[i-1] : SubWord(RotWord(w[i-1])) ^ Rcon). */
    uint8_t rk[11][16], sb[256];
    for (unsigned i = 0; i < 256; i++)
        sb[i] = sbox_alg((uint8_t)i);
    memcpy(rk[0], key, 16);
    uint8_t rcon = 1;
    for (unsigned r = 1; r <= 10; r++) {
        const uint8_t *p = rk[r - 1];
        uint8_t t[4] = { (uint8_t)(sb[p[13]] ^ rcon), sb[p[14]], sb[p[15]], sb[p[12]] };
        for (unsigned i = 0; i < 16; i++) {
            rk[r][i] = p[i] ^ t[i % 4];
            t[i % 4] = rk[r][i];
        }
        rcon = gmul(rcon, 2);
    }
    setup(true);
    /* Encryption: AESE (AddRoundKey, ShiftRows, SubBytes) + AESMC per round. */
    memcpy(H.cpu.z[0], pt, 16);
    for (unsigned r = 0; r < 9; r++) {
        memcpy(H.cpu.z[1], rk[r], 16);
        op(R(AESE, 0, 1, 0));
        op(R(AESMC, 0, 0, 0));
    }
    memcpy(H.cpu.z[1], rk[9], 16);
    op(R(AESE, 0, 1, 0));
    uint8_t out[16];
    for (unsigned i = 0; i < 16; i++)
        out[i] = H.cpu.z[0][i] ^ rk[10][i];
    CHECK(memcmp(out, ct, 16) == 0);
    /* Decryption (equivalent inverse cipher): AESD + AESIMC, the middle round keys
     * passed through InvMixColumns (plain C, FIPS-197 5.3.5). */
    memcpy(H.cpu.z[2], ct, 16);
    for (unsigned r = 10; r >= 1; r--) {
        uint8_t k[16];
        for (unsigned c = 0; c < 4; c++) {
            const uint8_t *a = &rk[r][4 * c];
            for (unsigned j = 0; j < 4; j++)
                k[4 * c + j] = r == 10 ? a[j]
                                       : gmul(a[j], 14) ^ gmul(a[(j + 1) & 3], 11) ^ gmul(a[(j + 2) & 3], 13) ^
                                             gmul(a[(j + 3) & 3], 9);
        }
        memcpy(H.cpu.z[3], k, 16);
        if (r != 10)
            op(R(AESIMC, 2, 2, 0));
        op(R(AESD, 2, 3, 0));
    }
    for (unsigned i = 0; i < 16; i++)
        out[i] = H.cpu.z[2][i] ^ rk[0][i];
    CHECK(memcmp(out, pt, 16) == 0);
    h_free(&H);
}

/* ---- SHA-1 and SHA-256 ------------------------------------------------------------------ */

/* The one padded block of "abc" as 16 big-endian words. */
static void abc_block(uint32_t w[16])
{
    memset(w, 0, 64);
    w[0] = 0x61626380u;
    w[15] = 24;
}

static void test_sha1(void)
{
    static const uint32_t k[4] = { 0x5a827999u, 0x6ed9eba1u, 0x8f1bbcdcu, 0xca62c1d6u };
    uint32_t h[5] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u };
    uint32_t w[16];
    abc_block(w);
    setup(true);
    /* v0 = abcd, v1/v2 = e (alternating), v3 = W + K, v4..v7 = the schedule. */
    vw32(0, h);
    uint32_t e[4] = { h[4], 0, 0, 0 };
    vw32(1, e);
    for (unsigned i = 0; i < 4; i++)
        vw32(4 + i, &w[4 * i]);
    for (unsigned g = 0; g < 20; g++) {
        unsigned wr = 4 + g % 4, ecur = 1 + g % 2, enext = 2 - g % 2;
        uint32_t t[4], kk[4] = { k[g / 5], k[g / 5], k[g / 5], k[g / 5] };
        vr32(wr, t);
        for (unsigned j = 0; j < 4; j++)
            t[j] += kk[j];
        vw32(3, t);
        op(R(SHA1H, enext, 0, 0));
        op(R(g < 5 ? SHA1C : g < 10 || g >= 15 ? SHA1P : SHA1M, 0, ecur, 3));
        if (g < 16) {                            /* W[4g+16 .. 4g+19] */
            op(R(SHA1SU0, wr, 4 + (g + 1) % 4, 4 + (g + 2) % 4));
            op(R(SHA1SU1, wr, 4 + (g + 3) % 4, 0));
        }
    }
    uint32_t abcd[4], ee[4];
    vr32(0, abcd);
    vr32(1, ee);
    static const uint32_t want[5] = { 0xa9993e36u, 0x4706816au, 0xba3e2571u, 0x7850c26cu, 0x9cd0d89du };
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(abcd[i] + h[i], want[i]);
    CHECK_EQ(ee[0] + h[4], want[4]);
    CHECK_EQ(ee[1] | ee[2] | ee[3], 0);           /* SHA1H writes 32 bits, zeroes the rest */
    h_free(&H);
}

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void test_sha256(void)
{
    static const uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    static const uint32_t want[8] = { 0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                      0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad };
    uint32_t w[16];
    abc_block(w);
    setup(true);
    /* v0 = abcd, v1 = efgh, v2 = saved abcd, v3 = W + K, v4..v7 = the schedule. */
    vw32(0, h);
    vw32(1, h + 4);
    for (unsigned i = 0; i < 4; i++)
        vw32(4 + i, &w[4 * i]);
    for (unsigned g = 0; g < 16; g++) {
        unsigned wr = 4 + g % 4;
        uint32_t t[4];
        vr32(wr, t);
        for (unsigned j = 0; j < 4; j++)
            t[j] += sha256_k[4 * g + j];
        vw32(3, t);
        memcpy(H.cpu.z[2], H.cpu.z[0], 16);
        op(R(SHA256H, 0, 1, 3));
        op(R(SHA256H2, 1, 2, 3));
        if (g < 12) {
            op(R(SHA256SU0, wr, 4 + (g + 1) % 4, 0));
            op(R(SHA256SU1, wr, 4 + (g + 2) % 4, 4 + (g + 3) % 4));
        }
    }
    uint32_t s[8];
    vr32(0, s);
    vr32(1, s + 4);
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(s[i] + h[i], want[i]);
    h_free(&H);
}

/* ---- SHA-512 ----------------------------------------------------------------------------- */

static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* Two rounds per SHA512H + SHA512H2: with Vd = {g + K1 + W1, h + K0 + W0},
 * Vn = {f, g}, Vm = {d, e}, SHA512H gives {T1 of round 1, T1 of round 0};
 * SHA512H2 with Vn = {c, -}, Vm = {a, b} turns them into {a'', a'}. The
 * schedule: SHA512SU0 then SHA512SU1 give W[t], W[t+1] from W[t-16..t-1]. */
static void test_sha512(void)
{
    static const uint64_t h0[8] = { 0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
                                    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
                                    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179 };
    static const uint64_t want[8] = { 0xddaf35a193617aba, 0xcc417349ae204131, 0x12e6fa4e89a97ea2,
                                      0x0a9eeee64b55d39a, 0x2192992a274fc1a8, 0x36ba3c23a3feebbd,
                                      0x454d4423643ce80e, 0x2a9ac94fa54ca49f };
    uint64_t w[80] = { 0x6162638000000000ull }, s[8];
    w[15] = 24;
    memcpy(s, h0, sizeof s);
    setup(true);
    for (unsigned t = 16; t < 80; t += 2) {
        vw64(1, w[t - 16], w[t - 15]);
        vw64(2, w[t - 14], 0);
        vw64(3, w[t - 2], w[t - 1]);
        vw64(4, w[t - 7], w[t - 6]);
        op(R(SHA512SU0, 1, 2, 0));
        op(R(SHA512SU1, 1, 3, 4));
        w[t] = vr64(1, 0);
        w[t + 1] = vr64(1, 1);
    }
    for (unsigned i = 0; i < 80; i += 2) {
        uint64_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
        vw64(0, g + sha512_k[i + 1] + w[i + 1], h + sha512_k[i] + w[i]);
        vw64(1, f, g);
        vw64(2, d, e);
        op(R(SHA512H, 0, 1, 2));
        uint64_t t1b = vr64(0, 0), t1a = vr64(0, 1);
        vw64(1, c, 0);
        vw64(2, a, b);
        op(R(SHA512H2, 0, 1, 2));
        uint64_t a2 = vr64(0, 0), a1 = vr64(0, 1);
        uint64_t e1 = d + t1a, e2 = c + t1b;
        uint64_t ns[8] = { a2, a1, a, b, e2, e1, e, f };
        memcpy(s, ns, sizeof s);
    }
    for (unsigned i = 0; i < 8; i++)
        CHECK_EQ(s[i] + h0[i], want[i]);
    h_free(&H);
}

/* ---- SM3 and SM4 ------------------------------------------------------------------------- */

/* SM3: SM3PARTW1/2 expand W[16..67] four words at a time; per round j,
 * SM3SS1 (A, E, ROL(Tj, j)), then SM3TT1A/B on {D, C, B, A} with W'j = Wj ^ Wj+4
 * and SM3TT2A/B on {H, G, F, E} with Wj (the A forms for j < 16). */
static void test_sm3(void)
{
    static const uint32_t iv[8] = { 0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                    0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e };
    static const uint32_t want[8] = { 0x66c7f0f4, 0x62eeedd9, 0xd1f2d46b, 0xdc10e4e2,
                                      0x4167c487, 0x5cf2f7a2, 0x297da02b, 0x8f4ba8e0 };
    uint32_t w[68];
    abc_block(w);
    setup(true);
    for (unsigned j = 16; j < 68; j += 4) {
        vw32(1, &w[j - 16]);
        vw32(2, &w[j - 9]);
        vw32(3, &w[j - 4]);
        op(R(SM3PARTW1, 1, 2, 3));
        vw32(2, &w[j - 6]);
        vw32(3, &w[j - 13]);
        op(R(SM3PARTW2, 1, 2, 3));
        vr32(1, &w[j]);
    }
    /* v0 = {D, C, B, A}, v1 = {H, G, F, E}, lane 3 = A / E. */
    uint32_t abcd[4] = { iv[3], iv[2], iv[1], iv[0] }, efgh[4] = { iv[7], iv[6], iv[5], iv[4] };
    vw32(0, abcd);
    vw32(1, efgh);
    for (unsigned j = 0; j < 64; j++) {
        uint32_t tj[4] = { 0, 0, 0, rol(j < 16 ? 0x79cc4519u : 0x7a879d8au, j % 32) };
        uint32_t wj[4] = { 0, 0, 0, 0 }, wpj[4] = { 0, 0, 0, 0 };
        wj[j % 4] = w[j];
        wpj[j % 4] = w[j] ^ w[j + 4];
        vw32(2, tj);
        vw32(3, wpj);
        vw32(4, wj);
        op(R(SM3SS1, 5, 0, 1) | 2u << 10);
        op(R(j < 16 ? SM3TT1A : SM3TT1B, 0, 5, 3) | (j % 4) << 12);
        op(R(j < 16 ? SM3TT2A : SM3TT2B, 1, 5, 4) | (j % 4) << 12);
    }
    vr32(0, abcd);
    vr32(1, efgh);
    for (unsigned i = 0; i < 4; i++) {
        CHECK_EQ(abcd[3 - i] ^ iv[i], want[i]);
        CHECK_EQ(efgh[3 - i] ^ iv[4 + i], want[4 + i]);
    }
    h_free(&H);
}

static void test_sm4(void)
{
    static const uint8_t key[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                     0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };
    static const uint32_t fk[4] = { 0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc };
    static const uint32_t want[4] = { 0x681edf34, 0xd206965e, 0x86b3e94f, 0x536e4246 };   /* GB/T 32907 A.1 */
    setup(true);
    /* Key expansion: K0..3 = MK ^ FK, then 8 x SM4EKEY with CK (bytes (4i + j) * 7). */
    uint32_t k[4], x[4];
    for (unsigned i = 0; i < 4; i++) {
        k[i] = be32(key + 4 * i) ^ fk[i];
        x[i] = be32(key + 4 * i);                /* the plaintext is the key */
    }
    vw32(1, k);
    vw32(0, x);
    for (unsigned r = 0; r < 8; r++) {
        uint32_t ck[4];
        for (unsigned i = 0; i < 4; i++) {
            uint8_t b[4];
            for (unsigned j = 0; j < 4; j++)
                b[j] = (uint8_t)((4 * (4 * r + i) + j) * 7);
            ck[i] = be32(b);
        }
        vw32(2, ck);
        op(R(SM4EKEY, 1, 1, 2));                 /* v1 = rk[4r .. 4r+3] */
        op(R(SM4E, 0, 1, 0));
    }
    vr32(0, x);
    for (unsigned i = 0; i < 4; i++)
        CHECK_EQ(x[3 - i], want[i]);             /* (X35, X34, X33, X32) */
    h_free(&H);
}

/* ---- traps and feature gating --------------------------------------------------------------- */

/* Each instruction with the ID_AA64ISAR0_EL1 field bit it needs; rm: has an Rm field. */
static const struct { uint32_t insn; const char *name; uint64_t need; bool rm; } all[] = {
    { AESE, "aese", 0x10, false }, { AESD, "aesd", 0x10, false }, { AESMC, "aesmc", 0x10, false },
    { AESIMC, "aesimc", 0x10, false }, { PMULL_1Q, "pmull 1q", 0x20, true }, { SHA1C, "sha1c", 0x100, true },
    { SHA1P, "sha1p", 0x100, true }, { SHA1M, "sha1m", 0x100, true }, { SHA1SU0, "sha1su0", 0x100, true },
    { SHA1H, "sha1h", 0x100, false }, { SHA1SU1, "sha1su1", 0x100, false },
    { SHA256H, "sha256h", 0x1000, true }, { SHA256H2, "sha256h2", 0x1000, true },
    { SHA256SU0, "sha256su0", 0x1000, false }, { SHA256SU1, "sha256su1", 0x1000, true },
    { SHA512H, "sha512h", 0x2000, true }, { SHA512H2, "sha512h2", 0x2000, true },
    { SHA512SU0, "sha512su0", 0x2000, false }, { SHA512SU1, "sha512su1", 0x2000, true },
    { EOR3, "eor3", 1ull << 32, true }, { BCAX, "bcax", 1ull << 32, true }, { RAX1, "rax1", 1ull << 32, true },
    { XAR | 7u << 10, "xar", 1ull << 32, true }, { SM3SS1, "sm3ss1", 1ull << 36, true },
    { SM3TT1A, "sm3tt1a", 1ull << 36, true }, { SM3TT1B, "sm3tt1b", 1ull << 36, true },
    { SM3TT2A, "sm3tt2a", 1ull << 36, true }, { SM3TT2B, "sm3tt2b", 1ull << 36, true },
    { SM3PARTW1, "sm3partw1", 1ull << 36, true }, { SM3PARTW2, "sm3partw2", 1ull << 36, true },
    { SM4E, "sm4e", 1ull << 40, false }, { SM4EKEY, "sm4ekey", 1ull << 40, true },
};
#define NALL (sizeof all / sizeof all[0])

#define ISAR0_CRYPTO 0x00000fff0000fff0ull       /* AES, SHA1, SHA2, SHA3, SM3, SM4 */

static void test_traps_and_features(void)
{
    /* The FPEN trap every other Advanced SIMD instruction takes (ADD Vd.4S). */
    setup(false);
    CHECK_EQ(step(R(ADD_4S, 1, 2, 3)), 4);
    uint64_t fp_esr = H.cpu.sys[SR_ESR_EL1];
    CHECK_EQ(fp_esr >> 26, 0x07);
    h_free(&H);
    for (unsigned i = 0; i < NALL; i++) {
        uint32_t insn = all[i].insn | (all[i].rm ? 3u << 16 : 0) | 2u << 5 | 1u;
        /* CPACR_EL1.FPEN = 0: the same trap to EL1, V1 untouched. */
        setup(false);
        memset(H.cpu.z[1], 0x5a, 16);
        CHECK_EQ(step(insn), 4);
        if (H.cpu.sys[SR_ESR_EL1] != fp_esr)
            fprintf(stderr, "%s: FPEN trap ESR 0x%llx\n", all[i].name, (unsigned long long)H.cpu.sys[SR_ESR_EL1]);
        CHECK_EQ(H.cpu.sys[SR_ESR_EL1], fp_esr);
        CHECK_EQ(H.cpu.elr_el1, CODE);
        CHECK_EQ(H.cpu.z[1][0], 0x5a);
        h_free(&H);
        /* FPEN = 0b01 (EL0 traps, EL1 does not): runs at EL1. */
        setup(true);
        H.cpu.sys[SR_CPACR_EL1] = 1u << 20;
        CHECK_EQ(step(insn), 0);
        h_free(&H);
        /* Every crypto field 0: UNDEF (EC 0), after the FPEN check passed. */
        setup(true);
        H.cpu.sys[SR_ID_AA64ISAR0_EL1] &= ~ISAR0_CRYPTO;
        CHECK_EQ(step(insn), 4);
        CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000ull);
        h_free(&H);
        /* AES = 1 (no PMULL), SHA1 = 1, SHA2 = 1 (no SHA512), SHA3/SM3/SM4 = 0. */
        setup(true);
        H.cpu.sys[SR_ID_AA64ISAR0_EL1] = (H.cpu.sys[SR_ID_AA64ISAR0_EL1] & ~ISAR0_CRYPTO) | 0x1110;
        bool have = (all[i].need & 0x1110) != 0;
        unsigned got = step(insn);
        if (got != (have ? 0u : 4u))
            fprintf(stderr, "%s: with ISAR0 AES=1 SHA1=1 SHA2=1: %s\n", all[i].name, got ? "UNDEF" : "ran");
        CHECK_EQ(got, have ? 0 : 4);
        h_free(&H);
    }
    /* PMULL of 8-bit lanes is base Advanced SIMD: it runs without FEAT_PMULL. */
    setup(true);
    H.cpu.sys[SR_ID_AA64ISAR0_EL1] &= ~ISAR0_CRYPTO;
    vw64(2, 0xff, 0);
    vw64(3, 0xff, 0);
    CHECK_EQ(step(R(PMULL_8H, 1, 2, 3)), 0);
    CHECK_EQ(vr64(1, 0), 0x5555);                /* x^7+..+1 squared, carry-less */
    h_free(&H);
}

int main(void)
{
    test_aes();
    test_sha1();
    test_sha256();
    test_sha512();
    test_sm3();
    test_sm4();
    test_traps_and_features();
    if (h_fails) {
        fprintf(stderr, "test_engine_crypto: %d check(s) failed\n", h_fails);
        return 1;
    }
    printf("test_engine_crypto: all checks passed\n");
    return 0;
}
