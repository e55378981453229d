/*
 * test_state_roundtrip.c - whatever state the library puts a vCPU in, a VMM
 * can read every listed register and write it back (the rule Linux's
 * get-reg-list selftest checks, and what save/restore and migration rely on).
 *
 * Found by fuzz_ioctl: KVM_SET_VCPU_EVENTS with ext_dabt_pending on a vCPU
 * initialised with KVM_ARM_VCPU_EL1_32BIT. Linux injects the abort the AArch32
 * way (inject_fault.c:inject_abt32: the vCPU enters ABT mode, PSTATE.M 0x17);
 * the written-back PSTATE must be one SET_ONE_REG accepts for that vCPU.
 */
#include "robust.h"

static void roundtrip_all(int vcpu, const char *what)
{
    static uint64_t buf[1 + 600];
    struct kvm_reg_list *l = (void *)buf;
    l->n = 600;
    CHECK_RET(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, l), 0);
    unsigned refused = 0;
    for (uint64_t k = 0; k < l->n; k++) {
        uint8_t val[256];
        struct kvm_one_reg r = { l->reg[k], (uintptr_t)val };
        if (softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r) != 0 || softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r) != 0) {
            fprintf(stderr, "%s: id 0x%llx does not write back (%s)\n", what, (unsigned long long)l->reg[k],
                    strerror(errno));
            refused++;
        }
    }
    CHECK(refused == 0);
}

static void ext_dabt(int kvm, uint32_t features, const char *what)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { features } };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in), 0);
    roundtrip_all(vcpu, "after INIT");
    struct kvm_vcpu_events ev;
    memset(&ev, 0, sizeof ev);
    ev.exception.ext_dabt_pending = 1;
    if (features & (1u << KVM_ARM_VCPU_EL1_32BIT)) {
        /* softkvm cannot take AArch32 exceptions yet: it refuses (EINVAL) and
         * leaves the vCPU as it was, instead of entering an AArch64 vector. */
        CHECK_ERR(softkvm_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), EINVAL);
        CHECK(get_reg(vcpu, REG_PSTATE) == 0x1d3);
    } else {
        CHECK_RET(softkvm_ioctl(vcpu, KVM_SET_VCPU_EVENTS, &ev), 0);
    }
    uint64_t pstate = get_reg(vcpu, REG_PSTATE);
    printf("%s: PSTATE after the injected abort 0x%llx\n", what, (unsigned long long)pstate);
    roundtrip_all(vcpu, what);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

int main(void)
{
    struct softkvm_host_profile p;
    softkvm_host_preset("qemu-max", &p);   /* has AArch32 EL1 */
    softkvm_set_host_profile(&p);
    int kvm = softkvm_open(NULL, 0);
    ext_dabt(kvm, 0, "AArch64 vCPU after ext_dabt");
    ext_dabt(kvm, 1u << KVM_ARM_VCPU_EL1_32BIT, "AArch32 vCPU after ext_dabt");
    softkvm_close(kvm);
    return check_done("test_state_roundtrip");
}
