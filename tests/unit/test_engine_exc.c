/*
 * test_engine_exc.c - engine exceptions, exits and system registers, driven
 * through engine_run() directly (test_engine_harness.h).
 *
 * Expected values: Arm ARM D1.3 (exception entry), ESR_EL1 encodings, and the
 * Linux 6.1 measurements of spec 4.8 (UDF -> +0x200, ESR 0x02000000, SPSR
 * 0x3c5, FAR untouched; unmapped fetch -> ESR 0xffffffff86000010, FAR = ELR;
 * RDVL with ZEN off -> 0x66000000 on an SVE host, UNDEF without SVE).
 */
#include "test_engine_harness.h"

#define VBAR (RAM_GPA + 0x10000)
#define CODE (RAM_GPA + 0x1000)
#define POISON 0x1de7ec7edbadc0deull

static struct harness H;
static bool live;

static void teardown(void)
{
    if (live)
        h_free(&H);
    live = false;
}

static struct engine_exit *run_code(const uint32_t *code, size_t n, uint64_t budget)
{
    h_load(&H, CODE, code, n);
    engine_cache_flush(H.cache);     /* code written from outside the guest */
    H.cpu.pc = CODE;
    return h_run(&H, budget);
}

static void setup(void)
{
    teardown();
    h_init(&H);
    live = true;
    h_vectors(&H, VBAR);
    H.cpu.sp_el1 = RAM_GPA + 0x8000;
    H.cpu.sp_el0 = RAM_GPA + 0x9000;
}

/* The exit of a vector entry: hvc #(offset / 0x80) with PC past it. */
static void check_vector(struct engine_exit *e, unsigned offset)
{
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, offset / 0x80);
    CHECK_EQ(H.cpu.pc, VBAR + offset + 4);
}

static void test_undef(void)
{
    static const uint32_t code[] = { 0x00000000 };   /* udf #0 */
    setup();
    struct engine_exit *e = run_code(code, 1, 0);
    check_vector(e, 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    CHECK_EQ(H.cpu.elr_el1, CODE);
    CHECK_EQ(H.cpu.spsr[0], 0x3c5);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], POISON);
    CHECK_EQ(H.cpu.pstate & 0xf, PSTATE_MODE_EL1h);
    teardown();
}

static void test_hlt_is_undef(void)
{
    static const uint32_t code[] = { 0xd4400020 };   /* hlt #1 */
    setup();
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    teardown();
}

static void test_svc_el1(void)
{
    static const uint32_t code[] = { 0xd4000841 };   /* svc #0x42 */
    setup();
    H.cpu.pstate |= PSTATE_C | PSTATE_Z;
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x56000042);
    CHECK_EQ(H.cpu.elr_el1, CODE + 4);
    CHECK_EQ(H.cpu.spsr[0], 0x3c5 | PSTATE_C | PSTATE_Z);
    CHECK_EQ(H.cpu.pstate & PSTATE_NZCV, PSTATE_C | PSTATE_Z);   /* NZCV survives entry */
    teardown();
}

/* EL0 -> SVC -> EL1 vector +0x400; SP switches from SP_EL0 to SP_EL1. */
static void test_svc_el0_and_eret(void)
{
    static const uint32_t el1[] = { 0xd69f03e0 };               /* eret */
    static const uint32_t el0[] = { 0x910003e1,                 /* mov x1, sp */
                                    0xd4000841 };               /* svc #0x42 */
    setup();
    h_load(&H, CODE + 0x100, el0, 2);
    H.cpu.elr_el1 = CODE + 0x100;
    H.cpu.spsr[0] = PSTATE_MODE_EL0t | PSTATE_N;
    struct engine_exit *e = run_code(el1, 1, 0);
    check_vector(e, 0x400);
    CHECK_EQ(H.cpu.x[1], RAM_GPA + 0x9000);                    /* EL0 saw SP_EL0 */
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x56000042);
    CHECK_EQ(H.cpu.elr_el1, CODE + 0x104 + 4);
    CHECK_EQ(H.cpu.spsr[0], PSTATE_MODE_EL0t | PSTATE_N);
    CHECK_EQ(H.cpu.pstate & 0xf, PSTATE_MODE_EL1h);
    CHECK_EQ(H.cpu.pstate & PSTATE_DAIF, PSTATE_DAIF);
    CHECK_EQ(H.cpu.sp_el1, RAM_GPA + 0x8000);
    teardown();
}

static void test_spsel(void)
{
    static const uint32_t code[] = { 0xd50040bf, 0x910003e1, 0xd50041bf, 0x910003e2, 0xd4000002 };
    setup();
    struct engine_exit *e = run_code(code, 5, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[1], RAM_GPA + 0x9000);
    CHECK_EQ(H.cpu.x[2], RAM_GPA + 0x8000);
    teardown();
}

/* From EL1t (SPSel = 0) an exception uses vector +0x000. */
static void test_vector_el1t(void)
{
    static const uint32_t code[] = { 0xd50040bf, 0x00000000 };  /* msr spsel, #0; udf */
    setup();
    check_vector(run_code(code, 2, 0), 0x000);
    CHECK_EQ(H.cpu.spsr[0], 0x3c4);
    teardown();
}

static void test_brk(void)
{
    static const uint32_t code[] = { 0xd4201320 };   /* brk #0x99 */
    setup();
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0xf2000099);
    CHECK_EQ(H.cpu.elr_el1, CODE);
    teardown();
}

static void test_pc_alignment(void)
{
    static const uint32_t code[] = { 0xd61f0020 };   /* br x1 */
    setup();
    H.cpu.x[1] = CODE + 0x102;
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x8a000000);
    CHECK_EQ(H.cpu.elr_el1, CODE + 0x102);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], CODE + 0x102);
    teardown();
}

static void test_sp_alignment(void)
{
    static const uint32_t code[] = { 0xf94003e0 };   /* ldr x0, [sp] */
    setup();
    H.cpu.sp_el1 = RAM_GPA + 0x8008;
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x9a000000);
    /* SCTLR_EL1.SA = 0: no check. */
    setup();
    H.cpu.sp_el1 = RAM_GPA + 0x8008;
    H.cpu.sys[SR_SCTLR_EL1] &= ~(1ull << 3);
    h_wr64(&H, RAM_GPA + 0x8008, 0x1234);
    static const uint32_t code2[] = { 0xf94003e0, 0xd4000002 };
    struct engine_exit *e = run_code(code2, 2, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 0x1234);
    teardown();
}

static void test_data_alignment(void)
{
    static const uint32_t code[] = { 0xc85f7c20 };   /* ldxr x0, [x1] */
    setup();
    H.cpu.x[1] = RAM_GPA + 0x3004;
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x96000021);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], RAM_GPA + 0x3004);
    teardown();
}

/* Spec 4.8: fetch from an IPA without memslot -> injected instruction abort. */
static void test_fetch_abort(void)
{
    static const uint32_t code[] = { 0xd61f0020 };   /* br x1 */
    setup();
    H.cpu.x[1] = MMIO_GPA + 0x40;
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0xffffffff86000010ull);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], MMIO_GPA + 0x40);
    CHECK_EQ(H.cpu.elr_el1, MMIO_GPA + 0x40);

    /* From EL0: lower-EL abort, vector +0x400. */
    setup();
    H.cpu.pstate = PSTATE_MODE_EL0t;
    H.cpu.pc = MMIO_GPA;
    struct engine_exit *e = h_run(&H, 0);
    check_vector(e, 0x400);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0xffffffff82000010ull);

    /* VBAR = 0 (no RAM there): the vector faults again forever, no exit
     * until something stops the vCPU; PC stays 0x200. */
    setup();
    H.cpu.sys[SR_VBAR_EL1] = 0;
    H.cpu.pc = MMIO_GPA;
    e = h_run(&H, 5000);
    CHECK_EQ(e->kind, ENGINE_EXIT_BUDGET);
    CHECK_EQ(H.cpu.pc, 0x200);
    CHECK_EQ(H.cpu.elr_el1, 0x200);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0xffffffff86000010ull);
    teardown();
}

static void test_exits(void)
{
    static const uint32_t code[] = { 0xd503207f, 0xd4000003 };   /* wfi; smc #0 */
    setup();
    struct engine_exit *e = run_code(code, 2, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_WFI);
    CHECK_EQ(H.cpu.pc, CODE);                          /* at the WFI */
    H.cpu.pc += 4;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_SMC);
    CHECK_EQ(H.cpu.pc, CODE + 4);                      /* at the SMC */

    static const uint32_t hvc[] = { 0xd40000e2 };      /* hvc #7 */
    setup();
    e = run_code(hvc, 1, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, 7);
    CHECK_EQ(H.cpu.pc, CODE + 4);                      /* past the HVC */

    /* HVC, SMC at EL0: UNDEFINED. */
    setup();
    h_load(&H, CODE, hvc, 1);
    H.cpu.pstate = PSTATE_MODE_EL0t;
    H.cpu.pc = CODE;
    check_vector(h_run(&H, 0), 0x400);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);

    /* WFI at EL0 with SCTLR_EL1.nTWI = 0: trapped (EC 0x01). */
    setup();
    h_load(&H, CODE, code, 1);
    H.cpu.pstate = PSTATE_MODE_EL0t;
    H.cpu.sys[SR_SCTLR_EL1] &= ~(1ull << 16);
    H.cpu.pc = CODE;
    check_vector(h_run(&H, 0), 0x400);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x07e00000);
    teardown();
}

static void test_illegal_eret(void)
{
    static const uint32_t code[] = { 0xd69f03e0 };   /* eret */
    setup();
    H.cpu.elr_el1 = CODE + 0x40;
    H.cpu.spsr[0] = 0x3c9;                           /* EL2h: not reachable from EL1 */
    check_vector(run_code(code, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x3a000000);
    CHECK_EQ(H.cpu.elr_el1, CODE + 0x40);
    CHECK(H.cpu.spsr[0] & PSTATE_IL);
    CHECK_EQ(H.cpu.spsr[0] & 0xf, PSTATE_MODE_EL1h);  /* EL unchanged */
    CHECK(!(H.cpu.pstate & PSTATE_IL));
    teardown();
}

static void test_sysregs(void)
{
    static const uint32_t code[] = { 0xd538c000, 0xd518c001, 0xd5384242, 0xd53be003, 0xd53b00e4, 0xd4000002 };
    setup();
    H.cpu.x[1] = VBAR + 0x800;
    struct engine_exit *e = run_code(code, 6, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], VBAR);
    CHECK_EQ(H.cpu.sys[SR_VBAR_EL1], VBAR + 0x800);
    CHECK_EQ(H.cpu.x[2], 4);                    /* CurrentEL = EL1 */
    CHECK_EQ(H.cpu.x[3], 62500000);             /* CNTFRQ_EL0 */
    CHECK_EQ(H.cpu.x[4], 7);                    /* DCZID_EL0: 512-byte blocks */

    /* EL2 register from EL1, write to an ID register: UNDEFINED. */
    static const uint32_t el2[] = { 0xd53c4100 };    /* mrs x0, sp_el1 */
    setup();
    check_vector(run_code(el2, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);
    static const uint32_t idw[] = { 0xd5180400 };    /* msr id_aa64pfr0_el1, x0 */
    setup();
    check_vector(run_code(idw, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);

    /* DAIF. */
    static const uint32_t daif[] = { 0xd50342ff, 0xd53b4220, 0xd4000002 };  /* msr daifclr, #2; mrs x0, daif */
    setup();
    e = run_code(daif, 3, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 0x340);
    CHECK_EQ(H.cpu.pstate & PSTATE_DAIF, 0x340);

    /* Virtual counter: monotonic, 62.5 MHz, offset by *env->cntvoff. */
    static const uint32_t cnt[] = { 0xd53be040, 0xd53be041, 0xd4000002 };   /* mrs x0/x1, cntvct_el0 */
    setup();
    e = run_code(cnt, 3, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK(H.cpu.x[1] >= H.cpu.x[0]);
    CHECK(H.cpu.x[0] > 62500000ull);             /* CLOCK_MONOTONIC: time since boot */
    uint64_t off = engine_counter_now();
    H.env.cntvoff = &off;
    H.cpu.pc = CODE;
    e = h_run(&H, 0);
    CHECK(H.cpu.x[0] < 62500000ull * 10);        /* restarted at the offset */
    teardown();
}

static void test_fp_sve_traps(void)
{
    static const uint32_t fmov[] = { 0x9e670020 };   /* fmov d0, x1 */
    setup();
    check_vector(run_code(fmov, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x1fe00000);

    /* FPEN = 01: EL1 allowed. */
    static const uint32_t fmov2[] = { 0x9e670020, 0xd4000002 };
    setup();
    H.cpu.sys[SR_CPACR_EL1] = 1u << 20;
    H.cpu.x[1] = 0x1122334455667788ull;
    CHECK_EQ(run_code(fmov2, 2, 0)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.z[0][0], 0x88);
    CHECK_EQ(H.cpu.z[0][7], 0x11);

    static const uint32_t rdvl[] = { 0x04bf5020 };   /* rdvl x0, #1 */
    setup();
    check_vector(run_code(rdvl, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x66000000);    /* ZEN traps, SVE host */
    setup();
    H.env.host_has_sve = false;
    check_vector(run_code(rdvl, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);    /* no SVE on the host: UNDEF */
    setup();
    H.cpu.sys[SR_CPACR_EL1] = (3u << 16) | (3u << 20);
    check_vector(run_code(rdvl, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x02000000);    /* enabled but not executed: UNDEF */
    setup();
    H.cpu.sys[SR_CPACR_EL1] = 3u << 16;              /* ZEN on, FPEN off */
    check_vector(run_code(rdvl, 1, 0), 0x200);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x1fe00000);
    teardown();
}

/* env->irq_lines: unmasking an asserted line stops the run right after the
 * unmasking instruction, so the hypervisor can take the interrupt. */
static void test_irq_unmask(void)
{
    static const uint32_t code[] = { 0xd50342ff, 0xd503201f, 0xd4000002 };  /* msr daifclr, #2; nop; hvc */
    atomic_uint lines;
    atomic_init(&lines, 0);
    setup();
    H.env.irq_lines = &lines;
    struct engine_exit *e = run_code(code, 3, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);                  /* nothing asserted: runs on */
    atomic_store(&lines, 1);
    H.cpu.pstate = 0x3c5;
    e = run_code(code, 3, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_KICK);
    CHECK_EQ(H.cpu.pc, CODE + 4);
    CHECK_EQ(H.cpu.pstate & PSTATE_DAIF, 0x340);
    CHECK_EQ(H.env.insns_retired, 3 + 1);                /* the MSR completed */
    atomic_store(&lines, 2);                             /* FIQ asserted, still masked */
    H.cpu.pstate = 0x3c5;
    e = run_code(code, 3, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    /* ERET to a context with IRQs unmasked. */
    static const uint32_t eret[] = { 0xd69f03e0 };
    atomic_store(&lines, 1);
    H.cpu.pstate = 0x3c5;
    H.cpu.elr_el1 = CODE + 0x80;
    H.cpu.spsr[0] = 0x345;                               /* EL1h, I clear */
    e = run_code(eret, 1, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_KICK);
    CHECK_EQ(H.cpu.pc, CODE + 0x80);
    CHECK_EQ(H.cpu.pstate, 0x345);
    H.env.irq_lines = NULL;
    teardown();
}

/* Spec 7: effective VL = largest supported VQ <= ZCR_EL1.LEN + 1. */
static void test_sve_vl(void)
{
    setup();
    H.env.vcpu_has_sve = true;
    H.env.sve_vqs = 0xb;                       /* {1, 2, 4} */
    static const unsigned len_to_bytes[][2] = { { 0, 16 }, { 1, 32 }, { 2, 32 }, { 3, 64 }, { 4, 64 }, { 15, 64 } };
    for (unsigned i = 0; i < 6; i++) {
        H.cpu.sys[SR_ZCR_EL1] = len_to_bytes[i][0];
        CHECK_EQ(engine_sve_vl_bytes(&H.cpu, &H.env), len_to_bytes[i][1]);
    }
    H.env.sve_vqs = 0xffff;
    H.cpu.sys[SR_ZCR_EL1] = 15;
    CHECK_EQ(engine_sve_vl_bytes(&H.cpu, &H.env), 256);
    H.env.vcpu_has_sve = false;
    CHECK_EQ(engine_sve_vl_bytes(&H.cpu, &H.env), 0);
    teardown();
}

/* engine_inject_sync: what the hypervisor uses for KVM-injected exceptions. */
static void test_inject(void)
{
    setup();
    H.cpu.pc = CODE + 0x20;
    H.cpu.pstate = 0x3c5 | PSTATE_V;
    engine_inject_sync(&H.cpu, 0x02000000, false, 0);
    CHECK_EQ(H.cpu.pc, VBAR + 0x200);
    CHECK_EQ(H.cpu.elr_el1, CODE + 0x20);
    CHECK_EQ(H.cpu.spsr[0], 0x3c5 | PSTATE_V);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], POISON);
    engine_inject_sync(&H.cpu, 0x96000010, true, 0x1234);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], 0x1234);
    teardown();
}

int main(void)
{
    test_undef();
    test_hlt_is_undef();
    test_svc_el1();
    test_svc_el0_and_eret();
    test_spsel();
    test_vector_el1t();
    test_brk();
    test_pc_alignment();
    test_sp_alignment();
    test_data_alignment();
    test_fetch_abort();
    test_exits();
    test_illegal_eret();
    test_sysregs();
    test_fp_sve_traps();
    test_inject();
    test_sve_vl();
    test_irq_unmask();
    teardown();
    if (h_fails) {
        fprintf(stderr, "test_engine_exc: %d failures\n", h_fails);
        return 1;
    }
    printf("test_engine_exc: ok\n");
    return 0;
}
