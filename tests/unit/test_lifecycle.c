/*
 * test_lifecycle.c - the vCPU state machine and host profiles, for the rules
 * the measured data cannot show (other hosts, sequences the probe did not run):
 *  - a vCPU without a finalizable feature is ready right after INIT;
 *  - a re-INIT before FINALIZE resets the VL set to the host maximum;
 *  - a failed INIT reset step leaves the vCPU uninitialised;
 *  - host profiles drive CHECK_EXTENSION, INIT and the accepted VLS sets;
 *  - VM-wide firmware registers; MPIDR from the vcpu id; mp_state rules.
 */
#include <stdlib.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

static int kvm;

static void use_host(const char *spec)
{
    struct softkvm_host_profile p;
    char err[200];
    CHECK(softkvm_host_parse(spec, &p, err, sizeof err) == 0);
    CHECK(softkvm_set_host_profile(&p) == 0);
}

static int new_vcpu(int *vm_out, uint32_t id)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    CHECK(vm >= 0);
    *vm_out = vm;
    return softkvm_ioctl(vm, KVM_CREATE_VCPU, id);
}

static long init(int vcpu, uint32_t features)
{
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    in.features[0] = features;
    return softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in);
}

static uint64_t get64(int vcpu, uint64_t id)
{
    uint64_t v[8] = { 0 };
    struct kvm_one_reg r = { id, (uintptr_t)v };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), 0);
    return v[0];
}

static long set_vls(int vcpu, uint64_t w0)
{
    uint64_t v[8] = { w0 };
    struct kvm_one_reg r = { KVM_REG_ARM64_SVE_VLS, (uintptr_t)v };
    return softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

static void ready_without_finalize(void)
{
    int vm, vcpu = new_vcpu(&vm, 0);
    struct kvm_reg_list l = { 0 };
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, &l), ENOEXEC);
    CHECK_RET(init(vcpu, 1u << KVM_ARM_VCPU_PSCI_0_2), 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, &l), E2BIG);
    CHECK(l.n == 242);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

static void reinit_resets_vls(void)
{
    use_host("qemu-max");
    int vm, vcpu = new_vcpu(&vm, 0);
    CHECK_RET(init(vcpu, 1u << KVM_ARM_VCPU_SVE), 0);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0xffff);
    CHECK_RET(set_vls(vcpu, 0x3), 0);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0x3);
    CHECK_RET(init(vcpu, 1u << KVM_ARM_VCPU_SVE), 0);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0xffff);   /* back to the host maximum */
    CHECK_RET(set_vls(vcpu, 0x1), 0);
    int what = KVM_ARM_VCPU_SVE;
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what), 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what), EPERM);
    CHECK_ERR(set_vls(vcpu, 0x1), EPERM);
    /* Z0 keeps VQ*16 = 16 bytes at VQ 1. */
    uint8_t z[256];
    memset(z, 0xff, sizeof z);
    struct kvm_one_reg r = { KVM_REG_ARM64_SVE_ZREG(0, 0), (uintptr_t)z };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), 0);
    memset(z, 0, sizeof z);
    CHECK_RET(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), 0);
    CHECK(z[15] == 0xff && z[16] == 0);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

static void failed_reset_deinitialises(void)
{
    use_host("qemu-max,pmu=off");
    int vm, vcpu = new_vcpu(&vm, 0);
    CHECK_ERR(init(vcpu, 1u << KVM_ARM_VCPU_PMU_V3), EINVAL);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, &(struct kvm_reg_list){ 0 }), ENOEXEC);
    CHECK_RET(init(vcpu, 0), 0);   /* the failed bits were dropped */
    CHECK_RET(softkvm_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3), 0);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

static void host_profiles(void)
{
    use_host("graviton3");
    CHECK_RET(softkvm_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE), 1);
    int vm, vcpu = new_vcpu(&vm, 0);
    CHECK_RET(init(vcpu, 1u << KVM_ARM_VCPU_SVE), 0);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0x3);
    CHECK_ERR(set_vls(vcpu, 0x2), EINVAL);   /* VQ 1 cannot be left out */
    CHECK_ERR(set_vls(vcpu, 0xb), EINVAL);   /* VQ 4 is above the host */
    CHECK_RET(set_vls(vcpu, 0x1), 0);
    softkvm_close(vcpu);
    softkvm_close(vm);

    use_host("a64fx");   /* {1,2,4}: the measured vq124 rules on a machine without PAuth */
    vcpu = new_vcpu(&vm, 0);
    CHECK_ERR(init(vcpu, (1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS) | (1u << KVM_ARM_VCPU_PTRAUTH_GENERIC)), EINVAL);
    CHECK_RET(init(vcpu, 1u << KVM_ARM_VCPU_SVE), 0);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0xb);
    CHECK_ERR(set_vls(vcpu, 0x5), EINVAL);
    CHECK_RET(set_vls(vcpu, 0x3), 0);
    softkvm_close(vcpu);
    softkvm_close(vm);

    use_host("nosve");
    CHECK_RET(softkvm_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE), 0);
    vcpu = new_vcpu(&vm, 0);
    CHECK_ERR(init(vcpu, 1u << KVM_ARM_VCPU_SVE), EINVAL);
    softkvm_close(vcpu);
    softkvm_close(vm);

    struct softkvm_host_profile p;
    char err[200];
    CHECK(softkvm_host_parse("qemu-max,sve=1,2,4", &p, err, sizeof err) == 0 && p.sve_vqs == 0xb);
    CHECK(softkvm_host_parse("qemu-max,sve=128b,256b", &p, err, sizeof err) == 0 && p.sve_vqs == 0x3);
    CHECK(softkvm_host_parse("qemu-max,sve=1,4", &p, err, sizeof err) == -1);   /* no real CPU lacks VQ 2 */
    CHECK(softkvm_host_parse("no-such-host", &p, err, sizeof err) == -1 && strstr(err, "unknown"));
    CHECK(softkvm_host_parse("qemu-max,frobnicate=1", &p, err, sizeof err) == -1);
    use_host("qemu-max");
}

static void vm_wide_and_ids(void)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int a = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0), b = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0x34);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 0), EEXIST);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 512), EINVAL);
    CHECK_RET(init(a, 1u << KVM_ARM_VCPU_PSCI_0_2), 0);
    CHECK_RET(init(b, (1u << KVM_ARM_VCPU_PSCI_0_2) | (1u << KVM_ARM_VCPU_POWER_OFF)), 0);
    /* MPIDR: Aff0 = id[3:0], Aff1 = id[11:4] (sys_regs.c:reset_mpidr); id 0x34 -> 0x80000304. */
    CHECK(get64(b, ARM64_SYS_REG(3, 0, 0, 0, 5)) == 0x80000304u);
    uint64_t ver = 0x10000;
    struct kvm_one_reg r = { KVM_REG_ARM_PSCI_VERSION, (uintptr_t)&ver };
    CHECK_RET(softkvm_ioctl(a, KVM_SET_ONE_REG, &r), 0);
    CHECK(get64(b, KVM_REG_ARM_PSCI_VERSION) == 0x10000);   /* VM-wide */
    struct kvm_mp_state mp;
    CHECK_RET(softkvm_ioctl(b, KVM_GET_MP_STATE, &mp), 0);
    CHECK(mp.mp_state == KVM_MP_STATE_STOPPED);
    mp.mp_state = 3;
    CHECK_ERR(softkvm_ioctl(b, KVM_SET_MP_STATE, &mp), EINVAL);
    mp.mp_state = KVM_MP_STATE_RUNNABLE;
    CHECK_RET(softkvm_ioctl(b, KVM_SET_MP_STATE, &mp), 0);
    /* VM width is VM-wide and sticky. */
    int c = softkvm_ioctl(vm, KVM_CREATE_VCPU, 2);
    CHECK_ERR(init(c, 1u << KVM_ARM_VCPU_EL1_32BIT), EINVAL);
    softkvm_close(a);
    softkvm_close(b);
    softkvm_close(c);
    softkvm_close(vm);
}

int main(void)
{
    kvm = softkvm_open("/dev/kvm", 0);
    use_host("qemu-max");
    ready_without_finalize();
    reinit_resets_vls();
    failed_reset_deinitialises();
    host_profiles();
    vm_wide_and_ids();
    softkvm_close(kvm);
    return check_done("test_lifecycle");
}
