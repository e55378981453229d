/*
 * test_engine_sve.c - SVE execution on engine_run(): what the differential
 * test against qemu-aarch64 (tests/diff/sve_*) cannot show.
 *
 * - enable traps: CPACR_EL1.ZEN before FPEN (EC 0x19, then EC 0x07), the
 *   non-SVE vCPU of an SVE host; SVE2 encodings UNDEF unless the vCPU's
 *   ID_AA64ZFR0_EL1 announces SVE2 (and BitPerm for BDEP..);
 * - the vector length from ZCR_EL1 and the VQ set (spec 7), bytes above the
 *   VL zeroed by SVE writes and above 128 bits by Advanced SIMD writes;
 * - memory at the edge of RAM: an SVE load or store outside every memslot is
 *   an NISV exit and a store that faults writes nothing; LDNF1 across the end
 *   of RAM loads the readable elements and clears the FFR from the first
 *   unreadable one; LDFF1 whose first active element is not element 0 loads
 *   it (QEMU 7.2 returns zeros there);
 * - FRINTI raises no inexact exception (QEMU 7.2 sometimes reports one);
 * - SP-based spills with ADDVL, MOVPRFX, disassembly of SVE rows.
 */
#include <string.h>

#include "test_engine_harness.h"

#define CODE  (RAM_GPA + 0x1000)
#define DATA  (RAM_GPA + 0x8000)
#define VBAR  (RAM_GPA + 0x10000)
#define HVC0  0xd4000002u

static struct harness H;

/* An SVE vCPU with VQs vqs (bit vq-1), FP and SVE enabled, ZCR_EL1.LEN = len. */
static void setup(uint32_t vqs, unsigned len)
{
    static bool live;
    if (live)
        h_free(&H);
    live = true;
    h_init(&H);
    h_vectors(&H, VBAR);
    H.env.vcpu_has_sve = true;
    H.env.sve_vqs = vqs;
    H.cpu.sys[SR_CPACR_EL1] = (3u << 20) | (3u << 16);
    H.cpu.sys[SR_ZCR_EL1] = len;
    H.cpu.sp_el1 = DATA + 0x1000;
}

static struct engine_exit *run(const uint32_t *code, size_t n)
{
    h_load(&H, CODE, code, n);
    H.cpu.pc = CODE;
    engine_cache_flush(H.cache);
    return h_run(&H, 10000);
}

/* The run stopped in the vector table at VBAR + off (hvc #index there). */
static void check_vector(const struct engine_exit *e, unsigned off)
{
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.pc, VBAR + off + 4);
}

static void test_traps(void)
{
    static const uint32_t rdvl[] = { 0x04bf5020, HVC0 };             /* rdvl x0, #1 */
    setup(0xffff, 0);
    H.cpu.sys[SR_CPACR_EL1] = 0;                                     /* ZEN and FPEN trap */
    check_vector(run(rdvl, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x66000000);                     /* ZEN first */
    setup(0xffff, 0);
    H.cpu.sys[SR_CPACR_EL1] = 3u << 16;                              /* ZEN on, FPEN off */
    check_vector(run(rdvl, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1] >> 26, 0x07);
    setup(0xffff, 0);
    CHECK_EQ(run(rdvl, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 16);

    /* A vCPU without SVE on an SVE host: EC 0x19 with ZEN off, UNDEF with it on (spec 4.8). */
    setup(0, 0);
    H.env.vcpu_has_sve = false;
    H.cpu.sys[SR_CPACR_EL1] = 3u << 20;
    check_vector(run(rdvl, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x66000000);
    setup(0, 0);
    H.env.vcpu_has_sve = false;
    check_vector(run(rdvl, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);

    /* WHILEGE is SVE2: a vCPU whose ID_AA64ZFR0_EL1 is 0 has none of it. */
    static const uint32_t whilege[] = { 0x25a21021, HVC0 };           /* whilege p1.s, x1, x2 */
    setup(0xffff, 15);
    check_vector(run(whilege, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    CHECK_EQ(H.cpu.elr_el1, CODE);
    /* SVEver = 1 (SVE2): it runs; x1 = 5 >= x2 = 3 for 3 elements (the last three of 4 at VL 128). */
    setup(0x1, 0);
    H.cpu.sys[SR_ID_AA64ZFR0_EL1] = 0x1;
    H.cpu.x[1] = 5;
    H.cpu.x[2] = 3;
    CHECK_EQ(run(whilege, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.p[1][0], 0x10);
    CHECK_EQ(H.cpu.p[1][1], 0x11);
    /* BDEP needs BitPerm as well: UNDEF with SVEver = 1 alone, runs with BitPerm = 1. */
    static const uint32_t bdep[] = { 0x4583b441, HVC0 };              /* bdep z1.s, z2.s, z3.s */
    setup(0x1, 0);
    H.cpu.sys[SR_ID_AA64ZFR0_EL1] = 0x1;
    check_vector(run(bdep, 2), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    setup(0x1, 0);
    H.cpu.sys[SR_ID_AA64ZFR0_EL1] = 0x10001;
    CHECK_EQ(run(bdep, 2)->kind, ENGINE_EXIT_HVC);
}

static void test_vl(void)
{
    static const uint32_t rdvl[] = { 0x04bf5020, HVC0 };
    /* {1, 2, 4}: LEN 0..3 -> 16, 32, 32, 64 bytes; LEN 15 -> 64. */
    static const unsigned want[][2] = { { 0, 16 }, { 1, 32 }, { 2, 32 }, { 3, 64 }, { 15, 64 } };
    for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++) {
        setup(0xb, want[i][0]);
        CHECK_EQ(run(rdvl, 2)->kind, ENGINE_EXIT_HVC);
        CHECK_EQ(H.cpu.x[0], want[i][1]);
        CHECK_EQ(engine_sve_vl_bytes(&H.cpu, &H.env), want[i][1]);
    }
    /* A non-power-of-two VL (VQ 3 of {1,2,3}). */
    setup(0x7, 2);
    CHECK_EQ(run(rdvl, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 48);
}

static void test_zeroing(void)
{
    /* SVE write at VL 128 of a vCPU whose maximum is 2048: bytes 16..255 zero. */
    static const uint32_t dup[] = { 0x2538c021, HVC0 };              /* mov z1.b, #1 */
    setup(0xffff, 0);
    memset(H.cpu.z[1], 0xee, SVE_Z_BYTES);
    CHECK_EQ(run(dup, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.z[1][0], 1);
    CHECK_EQ(H.cpu.z[1][15], 1);
    CHECK_EQ(H.cpu.z[1][16], 0);
    CHECK_EQ(H.cpu.z[1][255], 0);
    /* Advanced SIMD write on an SVE vCPU: bits above 127 zero (Arm ARM, spec 7). */
    static const uint32_t orr[] = { 0x4ea31c62, HVC0 };              /* mov v2.16b, v3.16b */
    setup(0xffff, 15);
    memset(H.cpu.z[2], 0xee, SVE_Z_BYTES);
    memset(H.cpu.z[3], 0x33, SVE_Z_BYTES);
    CHECK_EQ(run(orr, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.z[2][15], 0x33);
    CHECK_EQ(H.cpu.z[2][16], 0);
    CHECK_EQ(H.cpu.z[2][255], 0);
    /* A predicate write at VL 256 of a 512-bit vCPU: bytes 4..7 zero. */
    static const uint32_t ptrue[] = { 0x2598e3e0, HVC0 };            /* ptrue p0.s */
    setup(0xf, 1);
    memset(H.cpu.p[0], 0xee, SVE_P_BYTES);
    CHECK_EQ(run(ptrue, 2)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.p[0][0], 0x11);
    CHECK_EQ(H.cpu.p[0][3], 0x11);
    CHECK_EQ(H.cpu.p[0][4], 0);
    CHECK_EQ(H.cpu.p[0][7], 0);
}

static void test_memory_edges(void)
{
    static const uint32_t ld[] = { 0x2598e3e0, 0xa540a026, HVC0 };   /* ptrue p0.s; ld1w {z6.s}, p0/z, [x1] */
    static const uint32_t st[] = { 0x2598e3e0, 0xe540e026, HVC0 };   /* ptrue p0.s; st1w {z6.s}, p0, [x1] */
    const uint64_t end = RAM_GPA + RAM_SIZE;
    struct engine_exit *e;

    /* Outside RAM: NISV exit at the first element concerned, PC at the load. */
    setup(0xffff, 3);                                                /* 64 bytes */
    H.cpu.x[1] = end - 8;
    memset(H.cpu.z[6], 0x5a, 64);
    e = run(ld, 3);
    CHECK_EQ(e->kind, ENGINE_EXIT_NISV);
    CHECK_EQ(e->mmio.addr, end);
    CHECK_EQ(H.cpu.pc, CODE + 4);
    CHECK_EQ(H.cpu.z[6][0], 0x5a);                                   /* a faulting load writes nothing */

    setup(0xffff, 3);
    H.cpu.x[1] = end - 8;
    memset(H.cpu.z[6], 0x5a, 64);
    e = run(st, 3);
    CHECK_EQ(e->kind, ENGINE_EXIT_NISV);
    CHECK_EQ(e->mmio.is_write, true);
    CHECK_EQ(h_rd64(&H, end - 8), 0);                                /* a faulting store writes nothing */
    CHECK(h_guard_intact(&H, 0));

    /* LDNF1 across the end of RAM: elements 0 and 1 load, the FFR clears from 2. */
    static const uint32_t nf[] = { 0x252c9000, 0x2598e3e0, 0xa550a025, 0x2519f002, HVC0 };
    setup(0xffff, 1);                                                /* 32 bytes: 8 words */
    H.cpu.x[1] = end - 8;
    h_wr64(&H, end - 8, 0x2222222211111111ull);
    memset(H.cpu.z[5], 0x5a, 32);
    CHECK_EQ(run(nf, 5)->kind, ENGINE_EXIT_HVC);
    uint32_t w[8];
    memcpy(w, H.cpu.z[5], 32);
    CHECK_EQ(w[0], 0x11111111);
    CHECK_EQ(w[1], 0x22222222);
    CHECK_EQ(w[2], 0);
    CHECK_EQ(w[7], 0);
    CHECK_EQ(H.cpu.p[2][0], 0xff);                                   /* RDFFR: bytes 0..7 */
    CHECK_EQ(H.cpu.p[2][1], 0);
    CHECK_EQ(H.cpu.p[2][3], 0);

    /* LDFF1 whose first active element is element 1 (p1 = element 1 only). */
    static const uint32_t ff[] = { 0x252c9000, 0xa5ff6424, 0x2519f002, HVC0 };
    setup(0xffff, 0);
    H.cpu.x[1] = DATA;
    h_wr64(&H, DATA, 0x1111111111111111ull);
    h_wr64(&H, DATA + 8, 0x2222222222222222ull);
    memset(H.cpu.p[1], 0, SVE_P_BYTES);
    H.cpu.p[1][1] = 1;
    CHECK_EQ(run(ff, 4)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.z[4][0], 0);
    CHECK_EQ(H.cpu.z[4][8], 0x22);
    CHECK_EQ(H.cpu.p[2][0], 0xff);
    CHECK_EQ(H.cpu.p[2][1], 0xff);
}

static void test_frinti_flags(void)
{
    static const uint32_t code[] = { 0x2598e3e0, 0x6587a107, HVC0 };  /* ptrue p0.s; frinti z7.s, p0/m, z8.s */
    setup(0xffff, 0);
    float v[4] = { 1.5f, -2.25f, 3.0f, 0.1f };
    memcpy(H.cpu.z[8], v, sizeof v);
    CHECK_EQ(run(code, 3)->kind, ENGINE_EXIT_HVC);
    float out[4];
    memcpy(out, H.cpu.z[7], sizeof out);
    CHECK(out[0] == 2.0f && out[1] == -2.0f && out[2] == 3.0f && out[3] == 0.0f);
    CHECK_EQ(H.cpu.fpsr, 0);                                         /* no IXC (FRINTX would) */
}

static void test_spill_movprfx(void)
{
    /* addvl sp, sp, #-1; str z3, [sp]; ldr z4, [sp]; movprfx z9, z10; add z9.s, p0/m, z9.s, z11.s */
    static const uint32_t code[] = { 0x2598e3e0, 0x043f57ff, 0xe58043e3, 0x858043e4, 0x0420bd49, 0x04800169, HVC0 };
    setup(0xffff, 7);                                                /* 128 bytes */
    for (unsigned i = 0; i < 128; i++) {
        H.cpu.z[3][i] = (uint8_t)i;
        H.cpu.z[10][i] = (uint8_t)(2 * i);
        H.cpu.z[11][i] = 1;
    }
    uint64_t sp = H.cpu.sp_el1;
    CHECK_EQ(run(code, 7)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.sp_el1, sp - 128);
    CHECK(memcmp(H.cpu.z[4], H.cpu.z[3], 128) == 0);
    CHECK_EQ(H.cpu.z[9][4], 9);                                      /* 0x08 + 0x01 in lane 1 */
    CHECK_EQ(H.cpu.z[9][5], 11);                                     /* 0x0e0c0a08 + 0x01010101 */
}

static void test_disasm(void)
{
    static const struct { uint32_t insn; const char *text; } known[] = {
        { 0x04bf5020, "rdvl x0, #1" },
        { 0x25a21fe0, "whilelo p0.s, x31, x2" },
        { 0x04800169, "add z9.s, p0/m, z9.s, z11.s" },
        { 0x04812020, "uaddv d0, p0, z1.s" },
        { 0x858043e4, "ldr z4, [sp, #0, mul vl]" },
        { 0x2598e3e0, "ptrue p0.s, all" },
    };
    char buf[96];
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++) {
        engine_disasm(known[i].insn, 0, buf, sizeof buf);
        if (strcmp(buf, known[i].text)) {
            fprintf(stderr, "0x%08x: \"%s\", expected \"%s\"\n", known[i].insn, buf, known[i].text);
            h_fails++;
        }
    }
}

int main(void)
{
    test_traps();
    test_vl();
    test_zeroing();
    test_memory_edges();
    test_frinti_flags();
    test_spill_movprfx();
    test_disasm();
    if (h_fails) {
        fprintf(stderr, "test_engine_sve: %d failures\n", h_fails);
        return 1;
    }
    printf("test_engine_sve: ok\n");
    return 0;
}
