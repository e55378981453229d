/*
 * caps.c - KVM_CHECK_EXTENSION answers of an arm64 Linux 6.1 host.
 *
 * One row per capability 6.1 reports as nonzero on arm64 (spec 5, data/caps.tsv).
 * A capability whose feature softkvm does not implement yet answers 0, as a
 * kernel without it would, so a VMM takes its fallback path instead of calling
 * an ioctl that would fail; those rows say "missing:" and README lists them.
 */
#include "host/caps.h"

#include <errno.h>
#include <stddef.h>

#include "softkvm/kvm.h"

enum cap_rule {
    CAP_ONE,            /* 1 */
    CAP_VALUE,          /* fixed value */
    CAP_MISSING,        /* 6.1 has it, softkvm does not implement it: 0 */
    CAP_NR_VCPUS,       /* min(host CPUs, max vCPUs) */
    CAP_MAX_VCPUS,      /* 512 (or the VM's max) */
    CAP_EL1_32BIT, CAP_PMU, CAP_SVE, CAP_PTRAUTH, CAP_IPA, CAP_HW_BPS, CAP_HW_WPS,
    CAP_MSI_DEVID,      /* system fd: EINVAL; VM fd: 0 (no ITS) */
};

struct cap_row {
    long cap;
    enum cap_rule rule;
    long value;
    const char *note;
};

static const struct cap_row caps[] = {
    { KVM_CAP_IRQCHIP, CAP_MISSING, 1, "missing: in-kernel vGIC" },
    { KVM_CAP_USER_MEMORY, CAP_ONE, 0, NULL },
    { KVM_CAP_NR_VCPUS, CAP_NR_VCPUS, 0, NULL },
    { KVM_CAP_NR_MEMSLOTS, CAP_VALUE, 32767, NULL },
    { KVM_CAP_MP_STATE, CAP_ONE, 0, NULL },
    { KVM_CAP_COALESCED_MMIO, CAP_MISSING, 1, "missing: coalesced MMIO ring" },
    { KVM_CAP_SYNC_MMU, CAP_ONE, 0, NULL },
    { KVM_CAP_DESTROY_MEMORY_REGION_WORKS, CAP_ONE, 0, NULL },
    { KVM_CAP_SET_GUEST_DEBUG, CAP_MISSING, 1, "missing: KVM_SET_GUEST_DEBUG" },
    { KVM_CAP_IRQ_ROUTING, CAP_MISSING, 4096, "missing: in-kernel irqchip routing" },
    { KVM_CAP_JOIN_MEMORY_REGIONS_WORKS, CAP_ONE, 0, NULL },
    { KVM_CAP_IRQFD, CAP_MISSING, 1, "missing: irqfd" },
    { KVM_CAP_IOEVENTFD, CAP_MISSING, 1, "missing: ioeventfd" },
    { KVM_CAP_INTERNAL_ERROR_DATA, CAP_ONE, 0, NULL },
    { KVM_CAP_VCPU_EVENTS, CAP_ONE, 0, NULL },
    { KVM_CAP_MAX_VCPUS, CAP_MAX_VCPUS, 0, NULL },
    { KVM_CAP_ONE_REG, CAP_ONE, 0, NULL },
    { KVM_CAP_SIGNAL_MSI, CAP_MISSING, 1, "missing: MSI injection (needs vGIC ITS)" },
    { KVM_CAP_READONLY_MEM, CAP_ONE, 0, NULL },
    { KVM_CAP_IRQFD_RESAMPLE, CAP_MISSING, 1, "missing: irqfd" },
    { KVM_CAP_ARM_PSCI, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_SET_DEVICE_ADDR, CAP_MISSING, 1, "missing: vGIC device addresses" },
    { KVM_CAP_DEVICE_CTRL, CAP_MISSING, 1, "missing: KVM_CREATE_DEVICE (vGIC, ITS)" },
    { KVM_CAP_ARM_EL1_32BIT, CAP_EL1_32BIT, 0, NULL },
    { KVM_CAP_ENABLE_CAP_VM, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_PSCI_0_2, CAP_ONE, 0, NULL },
    { KVM_CAP_CHECK_EXTENSION_VM, CAP_ONE, 0, NULL },
    { KVM_CAP_GUEST_DEBUG_HW_BPS, CAP_HW_BPS, 0, NULL },
    { KVM_CAP_GUEST_DEBUG_HW_WPS, CAP_HW_WPS, 0, NULL },
    { KVM_CAP_IOEVENTFD_ANY_LENGTH, CAP_MISSING, 1, "missing: ioeventfd" },
    { KVM_CAP_ARM_PMU_V3, CAP_PMU, 0, NULL },
    { KVM_CAP_VCPU_ATTRIBUTES, CAP_ONE, 0, NULL },
    { KVM_CAP_MAX_VCPU_ID, CAP_MAX_VCPUS, 0, NULL },
    { KVM_CAP_MSI_DEVID, CAP_MSI_DEVID, 0, NULL },
    { KVM_CAP_IMMEDIATE_EXIT, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_USER_IRQ, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_INJECT_SERROR_ESR, CAP_MISSING, 1, "missing: SError injection" },
    { KVM_CAP_COALESCED_PIO, CAP_MISSING, 1, "missing: coalesced MMIO ring" },
    { KVM_CAP_ARM_VM_IPA_SIZE, CAP_IPA, 0, NULL },
    { KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, CAP_MISSING, 3, "missing: dirty logging" },
    { KVM_CAP_ARM_SVE, CAP_SVE, 0, NULL },
    { KVM_CAP_ARM_PTRAUTH_ADDRESS, CAP_PTRAUTH, 0, NULL },
    { KVM_CAP_ARM_PTRAUTH_GENERIC, CAP_PTRAUTH, 0, NULL },
    { KVM_CAP_ARM_IRQ_LINE_LAYOUT_2, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_NISV_TO_USER, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_INJECT_EXT_DABT, CAP_ONE, 0, NULL },
    { KVM_CAP_HALT_POLL, CAP_MISSING, 1, "missing: halt polling control" },
    { KVM_CAP_STEAL_TIME, CAP_MISSING, 1, "missing: PV steal time" },
    { KVM_CAP_SET_GUEST_DEBUG2, CAP_MISSING, 0x30003, "missing: KVM_SET_GUEST_DEBUG" },
    { KVM_CAP_PTP_KVM, CAP_MISSING, 1, "missing: PTP_KVM hypercall" },
    { KVM_CAP_BINARY_STATS_FD, CAP_MISSING, 1, "missing: binary stats fd" },
    { KVM_CAP_SYSTEM_EVENT_DATA, CAP_ONE, 0, NULL },
    { KVM_CAP_ARM_SYSTEM_SUSPEND, CAP_ONE, 0, NULL },
};

long host_check_extension(const struct host *h, unsigned vm_max_vcpus, bool on_vm, long cap)
{
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const struct cap_row *c = &caps[i];
        if (c->cap != cap)
            continue;
        switch (c->rule) {
        case CAP_ONE: return 1;
        case CAP_VALUE: return c->value;
        case CAP_MISSING: return 0;
        case CAP_NR_VCPUS: {
            unsigned max = on_vm ? vm_max_vcpus : VM_DEFAULT_MAX_VCPUS;
            return h->p.nr_cpus < max ? h->p.nr_cpus : max;
        }
        case CAP_MAX_VCPUS: return on_vm ? vm_max_vcpus : VM_DEFAULT_MAX_VCPUS;
        case CAP_EL1_32BIT: return h->p.el1_32bit;
        case CAP_PMU: return h->p.pmu;
        case CAP_SVE: return h->p.sve_vqs != 0;
        case CAP_PTRAUTH: return h->p.ptrauth;
        case CAP_IPA: return h->p.ipa_bits;
        case CAP_HW_BPS: return h->hw_bps;
        case CAP_HW_WPS: return h->hw_wps;
        case CAP_MSI_DEVID: return on_vm ? 0 : -EINVAL;
        }
    }
    return 0;
}

const char *host_cap_missing_note(long cap)
{
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (caps[i].cap == cap && caps[i].rule == CAP_MISSING)
            return caps[i].note;
    return NULL;
}
