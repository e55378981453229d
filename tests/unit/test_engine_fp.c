/*
 * test_engine_fp.c - the engine's floating-point and Advanced SIMD execution:
 * the Arm rules that differ from the x86 host (checked on the software FP
 * core directly, with values whose Arm results the Arm ARM pseudocode fixes),
 * and a few instructions run through engine_run(): results, FPSR flags, NZCV,
 * the FPEN trap, UNDEF for unallocated encodings, zeroing above bit 127 of Z
 * on an SVE vCPU, structure loads with post-index.
 */
#include "test_engine_harness.h"
#include "engine/exec/fp_arith.h"

/* Single and double constants as bit patterns. */
#define S_ONE   0x3f800000u
#define S_TWO   0x40000000u
#define S_INF   0x7f800000u
#define S_QNAN  0x7fc00000u
#define S_MINN  0x00800000u          /* smallest normal */
#define D_ONE   0x3ff0000000000000ull
#define D_INF   0x7ff0000000000000ull

static struct fpst st(uint32_t fpcr)
{
    struct fpst s = { fpcr, 0, false, false };
    return s;
}

static void test_nan_rules(void)
{
    struct fpst s = st(0);
    /* FPProcessNaNs: a signalling NaN wins over an earlier quiet one, quietened, IOC. */
    CHECK_EQ(fp_add(&s, 2, 0x7fc00001u, 0x7f800002u), 0x7fc00002u);
    CHECK_EQ(s.exc, FPSR_IOC);
    /* Two quiet NaNs: the first operand's (x86 would pick by operand position too,
     * but returns its own negative default NaN for invalid operations). */
    s = st(0);
    CHECK_EQ(fp_mul(&s, 2, 0xffc00005u, 0x7fc00007u), 0xffc00005u);
    CHECK_EQ(s.exc, 0);
    /* inf - inf: the positive default NaN (x86: 0xffc00000) and IOC. */
    s = st(0);
    CHECK_EQ(fp_sub(&s, 2, S_INF, S_INF), S_QNAN);
    CHECK_EQ(s.exc, FPSR_IOC);
    /* FPCR.DN: any NaN result is the default NaN. */
    s = st(FPCR_DN);
    CHECK_EQ(fp_add(&s, 3, 0xfff8000000001234ull, D_ONE), 0x7ff8000000000000ull);
    /* FMAXNM: a quiet NaN loses against a number; FMAX propagates it. */
    s = st(0);
    CHECK_EQ(fp_maxnm(&s, 2, S_QNAN, S_ONE), S_ONE);
    CHECK_EQ(fp_max(&s, 2, S_QNAN, S_ONE), S_QNAN);
    CHECK_EQ(fp_min(&s, 2, 0x80000000u, 0), 0x80000000u);   /* min(-0, +0) = -0 */
    CHECK_EQ(fp_max(&s, 2, 0x80000000u, 0), 0);
    CHECK_EQ(s.exc, 0);
    /* FPMulAdd: quiet NaN addend with inf * 0 is the default NaN and IOC. */
    s = st(0);
    CHECK_EQ(fp_muladd(&s, 2, 0x7fc01234u, S_INF, 0), S_QNAN);
    CHECK_EQ(s.exc, FPSR_IOC);
}

static void test_rounding_and_flags(void)
{
    struct fpst s = st(0);
    /* 1 + 2^-24 in single: a tie, rounds to even (1.0), inexact. */
    CHECK_EQ(fp_add(&s, 2, S_ONE, 0x33800000u), S_ONE);
    CHECK_EQ(s.exc, FPSR_IXC);
    s = st(1u << FPCR_RMODE_SHIFT);                               /* RP */
    CHECK_EQ(fp_add(&s, 2, S_ONE, 0x33800000u), S_ONE + 1);
    s = st(2u << FPCR_RMODE_SHIFT);                               /* RM: exact zero is -0 */
    CHECK_EQ(fp_sub(&s, 2, S_ONE, S_ONE), 0x80000000u);
    /* Tininess before rounding (Arm): (1 - 2^-24) * smallest normal rounds up to
     * the smallest normal, yet UFC is set (x86 detects after rounding: no UE). */
    s = st(0);
    CHECK_EQ(fp_mul(&s, 2, 0x3f7fffffu, S_MINN), S_MINN);
    CHECK_EQ(s.exc, FPSR_UFC | FPSR_IXC);
    /* Overflow: OFC and IXC; RZ gives the largest normal. */
    s = st(3u << FPCR_RMODE_SHIFT);
    CHECK_EQ(fp_mul(&s, 2, 0x7f000000u, S_TWO), 0x7f7fffffu);
    CHECK_EQ(s.exc, FPSR_OFC | FPSR_IXC);
    /* Division by zero. */
    s = st(0);
    CHECK_EQ(fp_div(&s, 3, D_ONE, 0x8000000000000000ull), D_INF | (1ull << 63));
    CHECK_EQ(s.exc, FPSR_DZC);
    /* FZ: a denormal input is zero and raises IDC (+0 + -0 = +0 in RN); a tiny
     * result is flushed (UFC, no IXC). */
    s = st(FPCR_FZ);
    CHECK_EQ(fp_add(&s, 2, 0x00000001u, 0x80000000u), 0);
    CHECK_EQ(s.exc, FPSR_IDC);
    s = st(FPCR_FZ);
    CHECK_EQ(fp_mul(&s, 2, S_MINN, 0x3f000000u), 0);
    CHECK_EQ(s.exc, FPSR_UFC);
    /* Exact fused multiply-add: 1 + (1 + 2^-23)(1 - 2^-23) - 2 = -2^-46 exactly. */
    s = st(0);
    CHECK_EQ(fp_muladd(&s, 2, 0xbf800000u, 0x3f800001u, 0x3f7ffffeu), 0xa8800000u);
    CHECK_EQ(s.exc, 0);
    s = st(0);
    CHECK_EQ(fp_sqrt(&s, 3, 0x4000000000000000ull), 0x3ff6a09e667f3bcdull);   /* sqrt(2) */
    CHECK_EQ(s.exc, FPSR_IXC);
}

/* The host fast paths (fp_arith.h) must still see inexact results whose
 * exact residual lies below the denormal range, while FPSR.IXC is clear. */
static void test_fast_paths(void)
{
    struct fpst s = st(0);
    s.fast = true;                               /* as fpst_init on x86-64 with RMode 00 */
    uint64_t x = 0x20b0000000000001ull;          /* 2^-500 * (1 + 2^-52) */
    uint64_t p = fp_mul_d(&s, x, x);             /* 2^-1000 * (1 + 2^-51 + 2^-104): inexact */
    CHECK_EQ(p, 0x0170000000000002ull);
    CHECK_EQ(s.exc, FPSR_IXC);
    s = st(0);
    s.fast = true;
    CHECK_EQ(fp_mul_d(&s, 0x4000000000000000ull, 0x3ff8000000000000ull), 0x4008000000000000ull);   /* 2 * 1.5 */
    CHECK_EQ(s.exc, 0);
    s = st(0);
    s.fast = true;
    CHECK_EQ(fp_add_s(&s, S_ONE, 0x33800001u), S_ONE + 1);     /* 1 + (2^-24 + ulp): rounds up, inexact */
    CHECK_EQ(s.exc, FPSR_IXC);
    s = st(0);
    s.fast = true;
    CHECK_EQ(fp_div_s(&s, 0x40400000u, 0x3f000000u), 0x40c00000u);   /* 3 / 0.5 = 6, exact */
    CHECK_EQ(s.exc, 0);
    CHECK_EQ(fp_cvtz(&s, 3, 0xc00c000000000000ull /* -3.5 */, false, 32), (uint32_t)-3);
    CHECK_EQ(s.exc, FPSR_IXC);
}

static void test_conversions(void)
{
    struct fpst s = st(0);
    /* FCVTZS saturates (x86 cvttsd2si returns 0x8000000000000000 for both). */
    CHECK_EQ(fp_to_fixed(&s, 3, 0x4415af1d78b58c40ull /* 1e20 */, 0, false, FPR_ZERO, 64), 0x7fffffffffffffffull);
    CHECK_EQ(s.exc, FPSR_IOC);
    s = st(0);
    CHECK_EQ(fp_to_fixed(&s, 2, S_QNAN, 0, false, FPR_ZERO, 32), 0);
    CHECK_EQ(s.exc, FPSR_IOC);
    s = st(0);
    CHECK_EQ(fp_to_fixed(&s, 3, 0xbff8000000000000ull /* -1.5 */, 0, true, FPR_ZERO, 32), 0);
    CHECK_EQ(s.exc, FPSR_IOC);
    s = st(0);
    CHECK_EQ(fp_to_fixed(&s, 3, 0xc004000000000000ull /* -2.5 */, 0, false, FPR_TIEAWAY, 32), (uint32_t)-3);
    CHECK_EQ(fp_to_fixed(&s, 3, 0xc004000000000000ull, 0, false, FPR_TIEEVEN, 32), (uint32_t)-2);
    CHECK_EQ(s.exc, FPSR_IXC);
    /* Fixed point: 1.75 with 4 fraction bits is 28. */
    s = st(0);
    CHECK_EQ(fp_to_fixed(&s, 2, 0x3fe00000u, 4, false, FPR_ZERO, 32), 28);
    CHECK_EQ(fp_from_fixed(&s, 2, 28, 4, false, 32, FPR_TIEEVEN), 0x3fe00000u);
    /* UCVTF of 2^64 - 1 to single rounds to 2^64. */
    CHECK_EQ(fp_from_fixed(&s, 2, ~0ull, 0, true, 64, FPR_TIEEVEN), 0x5f800000u);
    /* FCVT double -> half: 100000 overflows to infinity; with FPCR.AHP (no
     * infinities, largest 131008) it converts, and 200000 gives the largest and IOC. */
    s = st(0);
    CHECK_EQ(fp_convert(&s, 3, 1, 0x40f86a0000000000ull /* 100000 */, FPR_TIEEVEN), 0x7c00);
    CHECK_EQ(s.exc, FPSR_OFC | FPSR_IXC);
    s = st(FPCR_AHP);
    CHECK_EQ(fp_convert(&s, 3, 1, 0x40f86a0000000000ull, FPR_TIEEVEN), 0x7e1a);
    s = st(FPCR_AHP);
    CHECK_EQ(fp_convert(&s, 3, 1, 0x41086a0000000000ull, FPR_TIEEVEN), 0x7fff);
    CHECK_EQ(s.exc, FPSR_IOC);
    /* NaN conversion keeps the payload's top bits. */
    s = st(0);
    CHECK_EQ(fp_convert(&s, 2, 3, 0x7fa00001u, FPR_TIEEVEN), 0x7ffc000020000000ull);
    CHECK_EQ(s.exc, FPSR_IOC);
    /* FRINTX raises IXC, FRINTN does not; FRINTA rounds ties away. */
    s = st(0);
    CHECK_EQ(fp_round_int(&s, 2, 0x40200000u /* 2.5 */, FPR_TIEEVEN, false), S_TWO);
    CHECK_EQ(s.exc, 0);
    CHECK_EQ(fp_round_int(&s, 2, 0x40200000u, FPR_TIEAWAY, true), 0x40400000u);
    CHECK_EQ(s.exc, FPSR_IXC);
    CHECK_EQ(fp_round_int(&s, 2, 0xbf000000u /* -0.5 */, FPR_TIEEVEN, false), 0x80000000u);
    /* FRECPE(2.0) = 0.4990234375, FRSQRTE(4.0) = 0.4990234375 (8-bit estimates). */
    s = st(0);
    CHECK_EQ(fp_recpe(&s, 2, S_TWO), 0x3eff8000u);
    CHECK_EQ(fp_rsqrte(&s, 2, 0x40800000u), 0x3eff8000u);
    CHECK_EQ(s.exc, 0);
}

/* ---- through engine_run ---------------------------------------------------------- */

#define CODE (RAM_GPA + 0x1000)
#define VBAR (RAM_GPA + 0x8000)
#define DATA (RAM_GPA + 0x20000)

static struct harness H;

static struct engine_exit *run(const uint32_t *code, size_t n)
{
    h_load(&H, CODE, code, n);
    engine_cache_flush(H.cache);
    H.cpu.pc = CODE;
    return h_run(&H, 1000);
}

static void setup(bool fp_on, bool sve)
{
    h_init(&H);
    h_vectors(&H, VBAR);
    H.cpu.sys[SR_CPACR_EL1] = fp_on ? 3u << 20 : 0;
    H.env.vcpu_has_sve = sve;
}

static void vput(unsigned reg, const void *src, unsigned n)
{
    memcpy(H.cpu.z[reg], src, n);
}

static void test_scalar_run(void)
{
    setup(true, false);
    static const uint32_t code[] = {
        0x1e222820,                  /* fadd s0, s1, s2 */
        0x9e780020,                  /* fcvtzs x0, d1 */
        0x1e622020,                  /* fcmp d1, d2 */
        0xd4000002,                  /* hvc #0 */
    };
    uint64_t big = 0x43f0000000000000ull;   /* 2^64 as a double */
    vput(1, &big, 8);
    uint64_t nan = 0x7ff4000000000000ull;   /* signalling */
    vput(2, &nan, 8);
    memset(H.cpu.z[0], 0xee, 16);
    struct engine_exit *e = run(code, 4);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    /* s1 is the low word of 2^64 (0), s2 of the NaN (0): 0 + 0 = +0, upper bytes zeroed. */
    uint64_t v0[2];
    memcpy(v0, H.cpu.z[0], 16);
    CHECK_EQ(v0[0], 0);
    CHECK_EQ(v0[1], 0);
    CHECK_EQ(H.cpu.x[0], 0x7fffffffffffffffull);        /* saturated */
    CHECK_EQ(H.cpu.pstate >> 28, 0x3);                   /* unordered */
    CHECK_EQ(H.cpu.fpsr, FPSR_IOC);                      /* from FCVTZS and the signalling NaN */
    h_free(&H);
}

static void test_simd_run(void)
{
    setup(true, true);
    static const uint32_t code[] = {
        0x4ea58483,                  /* add v3.4s, v4.4s, v5.4s */
        0x4cdfa820,                  /* ld1 {v0.4s, v1.4s}, [x1], #32 */
        0x7e70d820,                  /* faddp d0, v1.2d */
        0xd4000002,                  /* hvc #0 */
    };
    uint32_t a[4] = { 1, 2, 0xffffffffu, 0x80000000u }, b[4] = { 10, 20, 1, 0x80000000u };
    vput(4, a, 16);
    vput(5, b, 16);
    memset(H.cpu.z[3] + 16, 0x77, 32);                   /* stale SVE bits above V3 */
    double mem[4] = { 1.0, 2.0, 0.25, 0.5 };
    memcpy(h_ptr(&H, DATA), mem, sizeof mem);
    H.cpu.x[1] = DATA;
    struct engine_exit *e = run(code, 4);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    uint32_t r[4];
    memcpy(r, H.cpu.z[3], 16);
    CHECK_EQ(r[0], 11);
    CHECK_EQ(r[1], 22);
    CHECK_EQ(r[2], 0);
    CHECK_EQ(r[3], 0);
    CHECK_EQ(H.cpu.z[3][16], 0);                         /* zeroed above bit 127 */
    CHECK_EQ(H.cpu.x[1], DATA + 32);
    double d0;
    memcpy(&d0, H.cpu.z[0], 8);
    CHECK(d0 == 0.75);                                   /* v1 = { 0.25, 0.5 } */
    h_free(&H);
}

static void test_traps(void)
{
    /* FP arithmetic with CPACR_EL1.FPEN trapping: EC 0x07 at the current EL. */
    setup(false, false);
    static const uint32_t fadd[] = { 0x1f420c20 };       /* fmadd d0, d1, d2, d3 */
    struct engine_exit *e = run(fadd, 1);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, 4);                             /* VBAR + 0x200: current EL, SP_ELx, sync */
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1] >> 26, 0x07);
    h_free(&H);
    /* MUL with 64-bit lanes is unallocated: UNDEF (EC 0), never a silent NOP. */
    setup(true, false);
    static const uint32_t mul2d[] = { 0x4ee29c20 };
    e = run(mul2d, 1);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    CHECK_EQ(H.cpu.elr_el1, CODE);
    h_free(&H);
}

int main(void)
{
    test_nan_rules();
    test_rounding_and_flags();
    test_fast_paths();
    test_conversions();
    test_scalar_run();
    test_simd_run();
    test_traps();
    if (h_fails) {
        fprintf(stderr, "test_engine_fp: %d check(s) failed\n", h_fails);
        return 1;
    }
    printf("test_engine_fp: all checks passed\n");
    return 0;
}
