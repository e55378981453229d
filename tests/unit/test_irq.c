/*
 * test_irq.c - interrupts without an in-kernel GIC (spec 1.6, 4.7):
 * KVM_IRQ_LINE argument checks, and the virtual timer's output level reported
 * to a userspace irqchip through run->s.regs.device_irq_level with
 * EINTR/KVM_EXIT_INTR when it changes.
 */
#include <sys/mman.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

static long irq_line(int vm, uint32_t type, uint32_t vcpu, uint32_t num, uint32_t level)
{
    struct kvm_irq_level l = { .irq = type << KVM_ARM_IRQ_TYPE_SHIFT | vcpu << KVM_ARM_IRQ_VCPU_SHIFT | num,
                               .level = level };
    return softkvm_ioctl(vm, KVM_IRQ_LINE, &l);
}

static void set_reg(int vcpu, uint64_t id, uint64_t val)
{
    struct kvm_one_reg r = { id, (uintptr_t)&val };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), 0);
}

int main(void)
{
    int kvm = softkvm_open("/dev/kvm", 0);
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    CHECK_RET(softkvm_ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_USER_IRQ), 1);
    CHECK_RET(irq_line(vm, KVM_ARM_IRQ_TYPE_CPU, 0, KVM_ARM_IRQ_CPU_IRQ, 1), 0);
    CHECK_RET(irq_line(vm, KVM_ARM_IRQ_TYPE_CPU, 0, KVM_ARM_IRQ_CPU_IRQ, 0), 0);
    CHECK_ERR(irq_line(vm, KVM_ARM_IRQ_TYPE_CPU, 1, KVM_ARM_IRQ_CPU_IRQ, 1), EINVAL);   /* no vCPU index 1 */
    CHECK_ERR(irq_line(vm, KVM_ARM_IRQ_TYPE_CPU, 0, 2, 1), EINVAL);                     /* only IRQ and FIQ */
    CHECK_ERR(irq_line(vm, KVM_ARM_IRQ_TYPE_SPI, 0, 40, 1), ENXIO);                     /* needs a vGIC */
    CHECK_ERR(irq_line(vm, KVM_ARM_IRQ_TYPE_PPI, 0, 27, 1), ENXIO);
    CHECK_ERR(irq_line(vm, 3, 0, 0, 1), EINVAL);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_IRQCHIP, 0), ENXIO);

    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in), 0);
    int size = softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    CHECK(run != MAP_FAILED);
    /* Virtual timer enabled, unmasked, compare value already reached. */
    set_reg(vcpu, KVM_REG_ARM_TIMER_CVAL, 0);
    set_reg(vcpu, KVM_REG_ARM_TIMER_CTL, 1);
    CHECK(run->s.regs.device_irq_level == 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_RUN, 0), EINTR);
    CHECK(run->exit_reason == KVM_EXIT_INTR);
    CHECK(run->s.regs.device_irq_level == KVM_ARM_DEV_EL1_VTIMER);
    /* Masking the timer (IMASK) drops the level: the VMM hears of that too. */
    set_reg(vcpu, KVM_REG_ARM_TIMER_CTL, 3);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_RUN, 0), EINTR);
    CHECK(run->s.regs.device_irq_level == 0);
    munmap(run, (size_t)size);
    softkvm_close(vcpu);
    softkvm_close(vm);
    softkvm_close(kvm);
    return check_done("test_irq");
}
