/*
 * hostile_addresses.c - a guest aiming at wild addresses. The host survives,
 * the bystander vCPU keeps counting, and each access gets KVM's answer
 * (spec 1.5, 4.2, 4.3, 4.8; data/lifecycle.tsv for the measured ones):
 *   - load/store of one register to an IPA without memslot: KVM_EXIT_MMIO,
 *     PC still at the access, the load completed by the next KVM_RUN;
 *   - pair, writeback, exclusive, atomic, SIMD accesses there (no valid
 *     syndrome): KVM_RUN -1/ENOSYS, or KVM_EXIT_ARM_NISV once the VM enabled
 *     KVM_CAP_ARM_NISV_TO_USER;
 *   - a store to a KVM_MEM_READONLY slot: an MMIO write exit, memory unchanged;
 *   - instruction fetch from an IPA without memslot: an injected instruction
 *     abort, ESR_EL1 0xffffffff86000010, FAR = ELR = the address [measured];
 *   - a branch to a misaligned address: PC alignment fault (architecture);
 *   - an access beyond the VM's IPA size: a synchronous external abort
 *     injected into the guest, no exit (mmu.c:kvm_handle_guest_abort;
 *     measured on 6.1.192, also checked by the ABI suite's ipa rows).
 */
#include "hostile.h"

#define MMIO 0x20000000ull

static void mmio_load(struct hv *h)
{
    static const uint32_t code[] = {
        0xf9400020, /* ldr x0, [x1] */
        0x14000000, /* b . */
    };
    hv_code(h, code, 2);
    set_reg(h->g.vcpu, REG_X(1), MMIO + 0x18);
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == 0 && x.reason == KVM_EXIT_MMIO && x.addr == MMIO + 0x18 && x.len == 8 && !x.write);
    CHECK(get_reg(h->g.vcpu, REG_PC) == h->pc);   /* not advanced until completion */
    static const uint8_t reply[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
    memcpy(h->g.run->mmio.data, reply, 8);
    x = hv_run(h, 100);                                 /* completes, then spins: budget ends it */
    CHECK(x.ret == -1 && x.err == EINTR);
    CHECK(get_reg(h->g.vcpu, REG_X(0)) == 0x8877665544332211ull);
    CHECK(get_reg(h->g.vcpu, REG_PC) == h->pc + 4);
}

struct nisv_case {
    const char *what;
    uint32_t insn;
    int store;    /* ESR.WnR expected: 1 write, 0 read, -1 not checked (atomics) */
};

/* Accesses without a valid syndrome (ESR.ISV = 0) to an IPA without memslot. */
static const struct nisv_case nisv_cases[] = {
    { "stp (pair)", 0xa9000440 /* stp x0, x1, [x2] */, true },
    { "ldr post-index (writeback)", 0xf8408440 /* ldr x0, [x2], #8 */, false },
    { "ldxr (exclusive)", 0xc85f7c40 /* ldxr x0, [x2] */, false },
    { "ldadd (atomic)", 0xf8200041 /* ldadd x0, x1, [x2] */, -1 },
    { "ldr q0 (SIMD&FP)", 0x3dc00040 /* ldr q0, [x2] */, false },
};

static void no_syndrome(struct hv *h, bool nisv_to_user)
{
    for (unsigned i = 0; i < sizeof nisv_cases / sizeof nisv_cases[0]; i++) {
        const struct nisv_case *c = &nisv_cases[i];
        uint32_t code[] = { c->insn, 0x14000000 /* b . */ };
        hv_code(h, code, 2);
        set_reg(h->g.vcpu, REG_X(2), MMIO + 0x40);
        set_reg(h->g.vcpu, REG_X(0), 0x1234);
        struct exit_info x = hv_run(h, 1000);
        if (nisv_to_user) {
            if (!(x.ret == 0 && x.reason == KVM_EXIT_ARM_NISV && x.addr == MMIO + 0x40))
                fprintf(stderr, "%s with NISV_TO_USER: KVM_RUN %d/%s exit %u ipa 0x%llx\n", c->what, x.ret,
                        strerror(x.err), x.reason, (unsigned long long)x.addr);
            CHECK(x.ret == 0 && x.reason == KVM_EXIT_ARM_NISV && x.addr == MMIO + 0x40);
            /* mmio.c:io_mem_abort reports the sanitised ISS: WnR (bit 6) for a write. */
            uint64_t iss = h->g.run->arm_nisv.esr_iss;
            if (c->store >= 0)
                CHECK((int)((iss >> 6) & 1) == c->store && (iss & 0x3f) != 0);
        } else {
            if (!(x.ret == -1 && x.err == ENOSYS))
                fprintf(stderr, "%s: KVM_RUN %d/%s exit %u\n", c->what, x.ret, strerror(x.err), x.reason);
            CHECK(x.ret == -1 && x.err == ENOSYS);
        }
        CHECK(get_reg(h->g.vcpu, REG_PC) == h->pc);   /* nothing executed */
        CHECK(get_reg(h->g.vcpu, REG_X(0)) == 0x1234);
        CHECK(get_reg(h->g.vcpu, REG_X(2)) == MMIO + 0x40);   /* no writeback */
    }
}

static void readonly_slot(struct hv *h)
{
    static const uint32_t code[] = {
        0xf90000a0, /* str x0, [x5] */
        0xf94000a6, /* ldr x6, [x5] */
        0x14000000, /* b . */
    };
    uint8_t before[64];
    memcpy(before, h->ro, sizeof before);
    hv_code(h, code, 3);
    set_reg(h->g.vcpu, REG_X(0), 0xdeadbeefcafef00dull);
    set_reg(h->g.vcpu, REG_X(5), RO_GPA + 8);
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == 0 && x.reason == KVM_EXIT_MMIO && x.write && x.addr == RO_GPA + 8 && x.len == 8);
    CHECK(x.data == 0xdeadbeefcafef00dull);
    CHECK(memcmp(before, h->ro, sizeof before) == 0);
    x = hv_run(h, 100);
    CHECK(x.ret == -1 && x.err == EINTR);
    uint64_t want;
    memcpy(&want, h->ro + 8, 8);
    CHECK(get_reg(h->g.vcpu, REG_X(6)) == want);   /* reads come from the slot */
    CHECK(memcmp(before, h->ro, sizeof before) == 0);
}

static void fetch_without_memslot(struct hv *h)
{
    static const uint32_t code[] = { 0xd61f0060 /* br x3 */ };
    hv_code(h, code, 1);
    set_reg(h->g.vcpu, REG_X(3), 0x30000000);
    hv_expect_exception(h, ENTRY_CUR_SPX, EC_IABT_CUR, "fetch from an IPA without memslot");
    CHECK(get_reg(h->g.vcpu, REG_ESR) == 0xffffffff86000010ull);   /* data/lifecycle.tsv */
    CHECK(get_reg(h->g.vcpu, REG_FAR) == 0x30000000 && get_reg(h->g.vcpu, REG_ELR) == 0x30000000);
}

static void misaligned_pc(struct hv *h)
{
    static const uint32_t code[] = { 0xd61f0060 /* br x3 */ };
    hv_code(h, code, 1);
    set_reg(h->g.vcpu, REG_X(3), h->pc + 0x102);
    hv_expect_exception(h, ENTRY_CUR_SPX, EC_PC_ALIGN, "branch to a misaligned PC");
    CHECK(get_reg(h->g.vcpu, REG_ELR) == h->pc + 0x102);
}

/*
 * mmu.c:kvm_handle_guest_abort ("Falls between the IPA range and the
 * PARange?") injects an abort instead of exiting. Measured on real 6.1.192 KVM
 * (loads and stores alike): ESR_EL1 0xffffffff96000010, FAR_EL1 = the address.
 */
static void beyond_ipa(struct hv *h)
{
    uint64_t addrs[] = { 1ull << 40, 1ull << 44, (1ull << 48) - 8 };   /* the VM has 40 IPA bits */
    for (unsigned k = 0; k < 6; k++) {
        uint64_t addr = addrs[k % 3];
        uint32_t code[] = {
            k < 3 ? 0xf9400020 : 0xf9000020,   /* ldr x0, [x1] / str x0, [x1] */
            0x14000000,                        /* b . */
        };
        hv_code(h, code, 2);
        set_reg(h->g.vcpu, REG_X(1), addr);
        uint64_t esr = hv_expect_exception(h, ENTRY_CUR_SPX, EC_DABT_CUR, "access beyond the IPA size");
        CHECK(esr == 0xffffffff96000010ull);   /* no WnR, even for the store */
        CHECK(get_reg(h->g.vcpu, REG_FAR) == addr);
    }
}

int main(void)
{
    if (!engine_present()) {
        printf("hostile_addresses: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct hv h;
    hv_init(&h, 0);
    hv_bystander_start(&h);
    mmio_load(&h);
    no_syndrome(&h, false);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
    CHECK_RET(softkvm_ioctl(h.g.vm, KVM_ENABLE_CAP, &cap), 0);
    no_syndrome(&h, true);
    readonly_slot(&h);
    fetch_without_memslot(&h);
    misaligned_pc(&h);
    beyond_ipa(&h);
    hv_bystander_stop(&h);
    hv_destroy(&h);
    CHECK(softkvm_fds_open() == 0);
    return check_done("hostile_addresses");
}
