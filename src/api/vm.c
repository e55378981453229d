/*
 * vm.c - the VM object and the ioctls on a VM fd.
 *
 * Linux 6.1 kvm_main.c:kvm_vm_ioctl, kvm_vm_ioctl_create_vcpu; arm.c:
 * kvm_arch_vm_ioctl, kvm_arch_init_vm; reset.c:kvm_arm_setup_stage2 (spec 1.3-1.6).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "api/dispatch.h"
#include "api/handle.h"
#include "host/caps.h"
#include "hyp/hyp.h"
#include "mem/memslots_vm.h"
#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/alloc.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/lifecycle.h"
#include "vcpu/vm.h"

void vm_get(struct vm *vm)
{
    atomic_fetch_add(&vm->refs, 1);
}

void vm_put(struct vm *vm)
{
    if (atomic_fetch_sub(&vm->refs, 1) != 1)
        return;
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        vcpu_destroy(vm->vcpus[i]);
    vm_free_memslots(vm);
    pthread_cond_destroy(&vm->wake);
    pthread_mutex_destroy(&vm->lock);
    free(vm);
}

int vm_create(unsigned long type, struct vm **out)
{
    struct vm *vm = skvm_calloc(1, sizeof *vm);
    if (!vm)
        return -ENOMEM;
    host_current(&vm->host);

    /* reset.c:kvm_arm_setup_stage2: bits [7:0] = IPA size, 0 = the 40-bit default. */
    if (type & ~0xfful) {
        free(vm);
        return EXPLAIN(-EINVAL, "type 0x%lx: only bits [7:0] (KVM_VM_TYPE_ARM_IPA_SIZE) may be set", type);
    }
    unsigned ipa = (unsigned)(type & 0xff), limit = vm->host.p.ipa_bits;
    if (ipa == 0) {
        if (limit < 40) {
            free(vm);
            return EXPLAIN(-EINVAL, "the default 40-bit IPA space exceeds this host's %u bits; pass an IPA size", limit);
        }
        ipa = 40;
    } else if (ipa < 32 || ipa > limit) {
        free(vm);
        return EXPLAIN(-EINVAL, "IPA size %u bits: this host supports 32..%u (KVM_CAP_ARM_VM_IPA_SIZE)", ipa, limit);
    }
    vm->ipa_bits = ipa;
    vm->max_vcpus = VM_DEFAULT_MAX_VCPUS;
    atomic_init(&vm->refs, 1);
    pthread_mutex_init(&vm->lock, NULL);
    pthread_cond_init(&vm->wake, NULL);
    atomic_init(&vm->memslots, NULL);
    vm->psci_version = PSCI_VER_1_1;
    vm->fw_std_bmap = 0x1;        /* TRNG 1.0 */
    vm->fw_std_hyp_bmap = 0x1;    /* PV_TIME */
    vm->fw_vendor_hyp_bmap = 0x3; /* FUNC_FEAT, PTP */
    vm->cntvoff = timer_host_ticks();
    *out = vm;
    return 0;
}

static int create_vcpu(struct vm *vm, unsigned long arg)
{
    uint32_t id = (uint32_t)arg;
    if (id >= VM_MAX_VCPU_IDS)
        return EXPLAIN(-EINVAL, "vcpu id %u: ids must be below %u (KVM_CAP_MAX_VCPU_ID)", id, VM_MAX_VCPU_IDS);

    pthread_mutex_lock(&vm->lock);
    int r;
    struct vcpu *v = NULL;
    if (vm->nr_vcpus >= vm->max_vcpus) {
        r = EXPLAIN(-EINVAL, "the VM already has its maximum of %u vCPUs", vm->max_vcpus);
        goto out_unlock;
    }
    if (id >= vm->max_vcpus) {
        r = EXPLAIN(-EINVAL, "vcpu id %u is not below the VM's %u vCPUs", id, vm->max_vcpus);
        goto out_unlock;
    }
    /* timer:kvm_timer_vcpu_init: every vCPU creation, even one about to fail
     * EEXIST, restarts the VM's virtual counter. */
    vm->cntvoff = timer_host_ticks();
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        if (vm->vcpus[i]->id == id) {
            r = EXPLAIN(-EEXIST, "vcpu id %u already exists in this VM", id);
            goto out_unlock;
        }
    r = vcpu_new(vm, id, vm->nr_vcpus, &v);
    if (r)
        goto out_unlock;
    char name[32];
    snprintf(name, sizeof name, "kvm-vcpu:%u", id);
    vm_get(vm); /* the vCPU fd pins the VM */
    r = handle_create(H_VCPU, v, name, (size_t)sys_mmap_size());
    if (r < 0) {
        vm_put(vm);
        vcpu_destroy(v);
        goto out_unlock;
    }
    v->fd = r;
    int mr = vcpu_map_run(v);
    if (mr) {
        handle_forget(r);
        close(r);
        vcpu_destroy(v);
        r = mr;
        goto out_unlock;
    }
    vm->vcpus[vm->nr_vcpus++] = v;
out_unlock:
    pthread_mutex_unlock(&vm->lock);
    return r;
}

static int enable_cap(struct vm *vm, unsigned long arg)
{
    struct kvm_enable_cap cap;
    if (copy_from_user(&cap, (void *)arg, sizeof cap))
        return -EFAULT;
    if (cap.flags)
        return EXPLAIN(-EINVAL, "flags must be 0");
    switch (cap.cap) {
    case KVM_CAP_ARM_NISV_TO_USER:
        vm->nisv_to_user = true;
        return 0;
    case KVM_CAP_ARM_SYSTEM_SUSPEND:
        vm->system_suspend = true;
        return 0;
    case KVM_CAP_ARM_MTE:
        return EXPLAIN(-EINVAL, "this host has no MTE");
    default:
        return EXPLAIN(-EINVAL, "capability %llu cannot be enabled on an arm64 VM", (unsigned long long)cap.cap);
    }
}

/* arm.c:kvm_vm_ioctl_irq_line: without an in-kernel GIC only the per-vCPU
 * IRQ/FIQ lines (type 0) exist. */
static int irq_line(struct vm *vm, unsigned long arg)
{
    struct kvm_irq_level lvl;
    if (copy_from_user(&lvl, (void *)arg, sizeof lvl))
        return -EFAULT;
    unsigned type = (lvl.irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;
    unsigned idx = (lvl.irq >> KVM_ARM_IRQ_VCPU_SHIFT) & KVM_ARM_IRQ_VCPU_MASK;
    idx += ((lvl.irq >> KVM_ARM_IRQ_VCPU2_SHIFT) & KVM_ARM_IRQ_VCPU2_MASK) * (KVM_ARM_IRQ_VCPU_MASK + 1);
    unsigned num = (lvl.irq >> KVM_ARM_IRQ_NUM_SHIFT) & KVM_ARM_IRQ_NUM_MASK;
    switch (type) {
    case KVM_ARM_IRQ_TYPE_CPU:
        break;
    case KVM_ARM_IRQ_TYPE_SPI:
    case KVM_ARM_IRQ_TYPE_PPI:
        return EXPLAIN(-ENXIO, "SPI/PPI lines need an in-kernel GIC, which softkvm does not have");
    default:
        return EXPLAIN(-EINVAL, "irq type %u does not exist", type);
    }
    pthread_mutex_lock(&vm->lock);
    struct vcpu *v = idx < vm->nr_vcpus ? vm->vcpus[idx] : NULL;
    pthread_mutex_unlock(&vm->lock);
    if (!v)
        return EXPLAIN(-EINVAL, "vCPU index %u does not exist (indices count creations: 0..%u)", idx,
                       vm->nr_vcpus ? vm->nr_vcpus - 1 : 0);
    if (num > KVM_ARM_IRQ_CPU_FIQ)
        return EXPLAIN(-EINVAL, "CPU line %u: only 0 (IRQ) and 1 (FIQ) exist", num);
    unsigned bit = 1u << num;
    unsigned old = lvl.level ? atomic_fetch_or(&v->irq_lines, bit) : atomic_fetch_and(&v->irq_lines, ~bit);
    if (!!(old & bit) != !!lvl.level)
        hyp_kick(v);   /* wake it from WFI, let a running vCPU take the interrupt */
    return 0;
}

long vm_ioctl(struct vm *vm, unsigned long req, unsigned long arg)
{
    switch (req) {
    case KVM_CREATE_VCPU:
        explain_begin("KVM_CREATE_VCPU");
        return create_vcpu(vm, arg);
    case KVM_CHECK_EXTENSION:
        explain_begin("KVM_CHECK_EXTENSION");
        return host_check_extension(&vm->host, vm->max_vcpus, true, (long)arg);
    case KVM_SET_USER_MEMORY_REGION: {
        explain_begin("KVM_SET_USER_MEMORY_REGION");
        struct kvm_userspace_memory_region mr;
        if (copy_from_user(&mr, (void *)arg, sizeof mr))
            return -EFAULT;
        return vm_set_memory_region(vm, &mr);
    }
    case KVM_ARM_PREFERRED_TARGET: {
        explain_begin("KVM_ARM_PREFERRED_TARGET");
        struct kvm_vcpu_init init;
        memset(&init, 0, sizeof init);
        init.target = KVM_ARM_TARGET_GENERIC_V8;
        return copy_to_user((void *)arg, &init, sizeof init);
    }
    case KVM_ENABLE_CAP:
        explain_begin("KVM_ENABLE_CAP");
        return enable_cap(vm, arg);
    case KVM_IRQ_LINE:
        explain_begin("KVM_IRQ_LINE");
        return irq_line(vm, arg);
    case KVM_CREATE_IRQCHIP:
        explain_begin("KVM_CREATE_IRQCHIP");
        /* arm.c: no vGIC on this host -> ENXIO (softkvm has no in-kernel GIC yet). */
        return EXPLAIN(-ENXIO, "softkvm has no in-kernel GIC (KVM_CAP_IRQCHIP is 0); use a userspace irqchip");
    case KVM_CREATE_DEVICE:
        explain_begin("KVM_CREATE_DEVICE");
        return EXPLAIN(-ENODEV, "softkvm implements no in-kernel devices (vGIC, ITS) yet");
    default:
        explain_begin("VM ioctl");
        return EXPLAIN(-EINVAL, "request 0x%lx is not implemented for a VM fd", req);
    }
}
