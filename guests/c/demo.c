/*
 * demo.c - the demo guest: what SVE does this vCPU have, and does a loop that
 * gcc auto-vectorised for SVE compute the same as the plain one?
 *
 * 1. ID_AA64PFR0_EL1.SVE (bits 35:32) says whether the vCPU has SVE (KVM hides
 *    the field from non-SVE vCPUs).
 * 2. FP/SIMD and SVE are enabled through CPACR_EL1 (FPEN, ZEN: both trap at
 *    reset), and ZCR_EL1.LEN is set to its maximum: ZCR_EL1 resets to 0, i.e.
 *    128 bits, and the effective length is the largest the vCPU supports up to
 *    LEN+1 (spec 7).
 * 3. RDVL and CNTB report the vector length; they run under an armed trap, so
 *    an implementation that advertises SVE but cannot execute it is reported
 *    instead of crashing, and the base-ISA loop still runs.
 * 4. The same loop built three ways: scalar (general registers only, always
 *    executable), Advanced SIMD (the base ISA's vectors) and SVE. The vector
 *    builds run under rt_guarded_call, so one the implementation cannot execute
 *    is reported with its ESR instead of ending the demo; each checksum that
 *    was computed must equal the scalar one (exit status 1 if not).
 * This file uses general-purpose registers only; the loops are in demo_kernel.c.
 */
#include "guest.h"

#define N 1001              /* not a multiple of any vector length: exercises the tail */
#define CPACR_FPEN (3ul << 20)
#define CPACR_ZEN  (3ul << 16)

uint32_t demo_kernel_scalar(uint32_t *restrict y, const uint32_t *restrict x, uint32_t a, unsigned n);
uint32_t demo_kernel_base(uint32_t *restrict y, const uint32_t *restrict x, uint32_t a, unsigned n);
#ifdef DEMO_HAVE_SVE
uint32_t demo_kernel_sve(uint32_t *restrict y, const uint32_t *restrict x, uint32_t a, unsigned n);
#endif

static uint32_t x[N], y[N];

static uint64_t simd_loop(void *arg)
{
    (void)arg;
    return demo_kernel_base(y, x, 3, N);
}

#ifdef DEMO_HAVE_SVE
static uint64_t sve_loop(void *arg)
{
    (void)arg;
    return demo_kernel_sve(y, x, 3, N);
}
#endif

static void fill(void);

/* Run one vector build of the loop on fresh data; false if its checksum is wrong. */
static bool run_loop(const char *name, uint64_t (*fn)(void *), uint32_t want)
{
    uint64_t got = 0;
    char label[32];
    size_t n = strlen(name);
    label[0] = '(';
    memcpy(label + 1, name, n);
    label[n + 1] = ')';
    label[n + 2] = 0;
    fill();
    int64_t esr = rt_guarded_call(fn, 0, &got);
    if (esr) {
        rt_printf("demo: %s: not executable here (ESR_EL1 0x%lx)\n", name, (unsigned long)esr);
        return true;
    }
    rt_printf("demo: checksum %-20s 0x%08x: %s\n", label, (uint32_t)got, (uint32_t)got == want ? "same" : "DIFFERENT");
    return (uint32_t)got == want;
}

static void fill(void)
{
    uint32_t s = 12345;
    for (unsigned i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = s >> 8;
        y[i] = i * 7u;
    }
}

int main(void *fdt)
{
    (void)fdt;
    uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
    unsigned sve_field = (unsigned)(pfr0 >> 32) & 0xf;
    rt_printf("demo: ID_AA64PFR0_EL1.SVE = %u\n", sve_field);

    uint64_t cpacr = read_sysreg(cpacr_el1) | CPACR_FPEN;
    write_sysreg(cpacr_el1, cpacr);

    bool sve_runs = false;
    if (sve_field) {
        write_sysreg(cpacr_el1, cpacr | CPACR_ZEN);
        uint64_t esr = 0, vl = 0, cntb = 0;
        rt_trap_arm();
        /* ZCR_EL1 (S3_0_C1_C2_0).LEN = 15: the largest length the vCPU offers. */
        __asm__ volatile("msr S3_0_C1_C2_0, %0\n\tisb" : : "r"(15ul) : "memory");
        __asm__ volatile("mov x0, #0\n\t.inst 0x04bf5020\n\tmov %0, x0" : "=r"(vl) : : "x0");   /* RDVL X0, #1 */
        __asm__ volatile("mov x0, #0\n\t.inst 0x0420e3e0\n\tmov %0, x0" : "=r"(cntb) : : "x0");  /* CNTB X0 */
        if (rt_trap_disarm(&esr)) {
            rt_printf("demo: SVE advertised but not executable here (ESR_EL1 0x%lx): base-ISA loops only\n",
                      (unsigned long)esr);
        } else {
            rt_printf("demo: SVE vector length %lu bits (RDVL #1 = %lu bytes, CNTB = %lu)\n",
                      (unsigned long)vl * 8, (unsigned long)vl, (unsigned long)cntb);
            sve_runs = true;
        }
    } else {
        rt_puts("demo: no SVE on this vCPU: base-ISA loops only\n");
    }

    fill();
    uint32_t want = demo_kernel_scalar(y, x, 3, N);
    rt_printf("demo: checksum %-20s 0x%08x\n", "(scalar loop)", want);
    bool ok = run_loop("Advanced SIMD loop", simd_loop, want);
#ifdef DEMO_HAVE_SVE
    if (sve_runs)
        ok = run_loop("SVE loop", sve_loop, want) && ok;
#else
    if (sve_runs)
        rt_puts("demo: built without an SVE compiler: no SVE loop\n");
#endif
    return ok ? 0 : 1;
}
