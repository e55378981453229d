/*
 * hostile_stack.c - stack overruns. A guest that recurses without bound pushes
 * its stack below the start of RAM into an IPA with no memslot. The push is an
 * STP with writeback, which has no valid syndrome: KVM_RUN fails ENOSYS, or
 * exits KVM_EXIT_ARM_NISV at the first byte outside RAM once the VM enabled
 * KVM_CAP_ARM_NISV_TO_USER (spec 4.2, 4.3). The faulting push did not happen:
 * SP is still the last good value and PC points at the STP. A stack run into
 * the guest's own code executes whatever the pushes left there; the host does
 * not care. A misaligned SP faults (SCTLR_EL1.SA is 1 after reset, spec 2.3),
 * and SP pointing into MMIO space gives an ordinary MMIO exit.
 */
#include "hostile.h"

static const uint32_t recurse[] = {
    0xa9bf7bfd, /* rec: stp x29, x30, [sp, #-16]! */
    0x97ffffff, /* bl rec */
};

static void recursion_off_the_bottom(struct hv *h, bool nisv)
{
    hv_code(h, recurse, 2);
    set_reg(h->g.vcpu, REG_SP_EL1, GUEST_RAM_GPA + 0x400);   /* 64 pushes until RAM ends */
    struct exit_info x = hv_run(h, 100000);
    if (nisv)
        CHECK(x.ret == 0 && x.reason == KVM_EXIT_ARM_NISV && x.addr == GUEST_RAM_GPA - 16);
    else
        CHECK(x.ret == -1 && x.err == ENOSYS);
    CHECK(get_reg(h->g.vcpu, REG_SP_EL1) == GUEST_RAM_GPA);   /* the 65th push did not happen */
    CHECK(get_reg(h->g.vcpu, REG_PC) == h->pc);
    CHECK(get_reg(h->g.vcpu, REG_X(30)) == h->pc + 8);    /* return address of the last bl */
}

static void stack_into_own_code(struct hv *h)
{
    hv_code(h, recurse, 2);
    set_reg(h->g.vcpu, REG_SP_EL1, h->pc + 0x100);   /* pushes overwrite the code being run */
    struct exit_info x = hv_run(h, 100000);
    /* Whatever the overwritten code does, KVM_RUN ends in a valid way. */
    CHECK((x.ret == -1 && (x.err == EINTR || x.err == ENOSYS)) ||
          (x.ret == 0 && (x.reason == KVM_EXIT_MMIO || x.reason == KVM_EXIT_ARM_NISV)));
}

static void misaligned_sp(struct hv *h)
{
    static const uint32_t code[] = {
        0x9100003f, /* mov sp, x1 */
        0xf94003e0, /* ldr x0, [sp] */
        0x14000000, /* b . */
    };
    hv_code(h, code, 3);
    set_reg(h->g.vcpu, REG_X(1), GUEST_RAM_GPA + 0x2008);
    hv_expect_exception(h, ENTRY_CUR_SPX, EC_SP_ALIGN, "load through a misaligned SP");
    CHECK(get_reg(h->g.vcpu, REG_X(11)) == h->pc + 4);
}

static void sp_in_mmio(struct hv *h)
{
    static const uint32_t code[] = {
        0x9100003f, /* mov sp, x1 */
        0xf94003e0, /* ldr x0, [sp] */
        0x14000000, /* b . */
    };
    hv_code(h, code, 3);
    set_reg(h->g.vcpu, REG_X(1), 0x20000000);
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == 0 && x.reason == KVM_EXIT_MMIO && !x.write && x.addr == 0x20000000 && x.len == 8);
}

int main(void)
{
    if (!engine_present()) {
        printf("hostile_stack: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct hv h;
    hv_init(&h, 0);
    hv_bystander_start(&h);
    recursion_off_the_bottom(&h, false);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
    CHECK_RET(softkvm_ioctl(h.g.vm, KVM_ENABLE_CAP, &cap), 0);
    recursion_off_the_bottom(&h, true);
    stack_into_own_code(&h);
    misaligned_sp(&h);
    sp_in_mmio(&h);
    hv_bystander_stop(&h);
    hv_destroy(&h);
    CHECK(softkvm_fds_open() == 0);
    return check_done("hostile_stack");
}
