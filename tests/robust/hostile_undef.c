/*
 * hostile_undef.c - every class of undefined or trapped instruction the guest
 * can throw. Each is taken in the guest (no exit to the VMM) with the syndrome
 * real KVM gives; the host and the bystander vCPU carry on.
 *   measured (data/lifecycle.tsv, spec 4.8): UDF -> ESR 0x02000000; RDVL with
 *     CPACR_EL1.ZEN = 0 on a non-SVE vCPU of an SVE host -> EC 0x19 (ESR
 *     0x66000000); MRS ZCR_EL1 on a non-SVE vCPU -> UNDEF; SME registers UNDEF;
 *   architecture (Arm ARM, no KVM involvement): unallocated encodings, EL2
 *     registers from EL1, writes to read-only registers, HVC/SMC/ERET and EL1
 *     registers from EL0 are UNDEFINED (EC 0); FP/SIMD with CPACR_EL1.FPEN = 0
 *     -> EC 0x07; SVC -> EC 0x15, BRK -> EC 0x3c;
 *   KVM (spec 4.4): SMC from EL1 returns x0 = -1 and continues; HVC from EL1
 *     with an unknown function returns x0 = -1.
 */
#include "hostile.h"

#define ESR_UNDEF 0x02000000ull   /* EC 0, IL */

struct undef_case {
    const char *what;
    uint32_t insn;
    bool el0;            /* run at EL0t: taken at VBAR+0x400 */
    uint64_t cpacr;
    unsigned ec;
    uint64_t esr;        /* exact ESR_EL1 when known, else 0 */
};

static const struct undef_case cases[] = {
    { "udf #0", 0x00000000, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "unallocated top-level encoding", 0x06000000, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "mrs x0, hcr_el2 (EL2 register from EL1)", 0xd53c1100, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "msr midr_el1, x0 (read-only register)", 0xd5180000, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "mrs x0, svcr (SME, hidden by KVM)", 0xd53b4240, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "mrs x0, zcr_el1 (non-SVE vCPU)", 0xd5381200, false, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "rdvl x0, #1 with CPACR_EL1.ZEN = 0", 0x04bf5020, false, 0x300000, EC_SVE, 0x66000000 },
    { "fmov d0, x1 with CPACR_EL1.FPEN = 0", 0x9e670020, false, 0, EC_FP, 0 },
    { "svc #0", 0xd4000001, false, 0x330000, EC_SVC, 0x56000000 },
    { "brk #0", 0xd4200000, false, 0x330000, EC_BRK, 0xf2000000 },
    { "hvc #0 at EL0", 0xd4000002, true, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "smc #0 at EL0", 0xd4000003, true, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "eret at EL0", 0xd69f03e0, true, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "mrs x0, sctlr_el1 at EL0", 0xd5381000, true, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "udf #0 at EL0", 0x00000000, true, 0x330000, EC_UNKNOWN, ESR_UNDEF },
    { "svc #0 at EL0", 0xd4000001, true, 0x330000, EC_SVC, 0x56000000 },
};

static void undef_classes(struct hv *h)
{
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct undef_case *c = &cases[i];
        uint32_t code[] = { c->insn, 0x14000000 /* b . */ };
        hv_code(h, code, 2);
        set_reg(h->g.vcpu, REG_CPACR, c->cpacr);
        if (c->el0)
            set_reg(h->g.vcpu, REG_PSTATE, 0x3c0);   /* EL0t */
        uint64_t esr = hv_expect_exception(h, c->el0 ? ENTRY_LOWER_A64 : ENTRY_CUR_SPX, c->ec, c->what);
        if (c->esr && esr != c->esr)
            fprintf(stderr, "%s: ESR_EL1 0x%llx, want 0x%llx\n", c->what, (unsigned long long)esr,
                    (unsigned long long)c->esr);
        CHECK(!c->esr || esr == c->esr);
        /* Preferred return: the instruction itself, except SVC (the next one). */
        uint64_t elr = get_reg(h->g.vcpu, REG_X(11));
        CHECK(elr == h->pc + (c->ec == EC_SVC ? 4 : 0));
        /* SPSR_EL1 records where the guest was: EL0t or EL1h, DAIF as before. */
        CHECK((get_reg(h->g.vcpu, REG_X(13)) & 0x3cf) == (c->el0 ? 0x3c0u : 0x3c5u));
    }
}

/* SMC and HVC at EL1: KVM answers them itself and the guest continues. */
static void smc_hvc_at_el1(struct hv *h)
{
    static const uint32_t code[] = {
        0xd4000003, /* smc #0 */
        0xaa0003e5, /* mov x5, x0 (HVC clobbers x1..x3) */
        0xd2800000, /* mov x0, #0 -- placeholder, replaced below */
        0xd4000002, /* hvc #0 */
        0x14000000, /* b . */
    };
    uint32_t c[5];
    memcpy(c, code, sizeof c);
    c[2] = 0xd2a00000 | (0x0c00u << 5);   /* movz x0, #0x0c00, lsl #16: an unknown SMCCC function */
    hv_code(h, c, 5);
    set_reg(h->g.vcpu, REG_X(0), 0x84000000);   /* PSCI_VERSION: not via SMC in 6.1 */
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == -1 && x.err == EINTR);       /* ran into "b ." */
    CHECK(get_reg(h->g.vcpu, REG_X(5)) == ~0ull);   /* SMC: x0 = -1 */
    CHECK(get_reg(h->g.vcpu, REG_X(1)) == 0);       /* HVC: x1..x3 = 0 */
    CHECK(get_reg(h->g.vcpu, REG_X(0)) == ~0ull);   /* HVC unknown function: -1 */
    CHECK(get_reg(h->g.vcpu, REG_PC) == h->pc + 16);
}

int main(void)
{
    if (!engine_present()) {
        printf("hostile_undef: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct softkvm_host_profile host;
    softkvm_get_host_profile(&host);
    struct hv h;
    hv_init(&h, 0);   /* no SVE on this vCPU; the host (qemu-max) has SVE */
    CHECK(host.sve_vqs != 0);
    hv_bystander_start(&h);
    undef_classes(&h);
    smc_hvc_at_el1(&h);
    hv_bystander_stop(&h);
    hv_destroy(&h);
    CHECK(softkvm_fds_open() == 0);
    return check_done("hostile_undef");
}
