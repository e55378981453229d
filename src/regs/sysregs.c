/*
 * sysregs.c - system registers through ONE_REG and KVM_GET_REG_LIST.
 *
 * Rows come from sysreg_table.h. Lookup, visibility and SET rules follow Linux
 * 6.1 sys_regs.c (index_to_params, id_to_sys_reg_desc, kvm_sys_reg_set_user,
 * set_id_reg, set_oslsr_el1, invariant registers; spec 3.4).
 */
#include "regs/sysregs.h"

#include <errno.h>
#include <stddef.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

const struct sysreg_desc sysreg_descs[] = {
#define SR(nm, op0, op1, crn, crm, op2, vis, rk, rv, acc) \
    { #nm, SYSREG_ENC(op0, op1, crn, crm, op2), SR_##nm, VIS_##vis, RK_##rk, ACC_##acc, rv },
#include "regs/sysreg_table.h"
#undef SR
};
const unsigned sysreg_nr_descs = sizeof sysreg_descs / sizeof sysreg_descs[0];

const struct sysreg_desc *sysreg_find(uint32_t enc)
{
    /* Listed rows are sorted by encoding; the few guest-only rows follow them. */
    unsigned lo = 0, hi = 0;
    while (hi < sysreg_nr_descs && sysreg_descs[hi].vis != VIS_GUEST)
        hi++;
    for (unsigned i = hi; i < sysreg_nr_descs; i++)
        if (sysreg_descs[i].enc == enc)
            return &sysreg_descs[i];
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (sysreg_descs[mid].enc < enc)
            lo = mid + 1;
        else if (sysreg_descs[mid].enc > enc)
            hi = mid;
        else
            return &sysreg_descs[mid];
    }
    return NULL;
}

bool sysreg_visible(const struct vcpu *v, const struct sysreg_desc *d)
{
    switch (d->vis) {
    case VIS_ALL: return true;
    case VIS_SVE: return v->has_sve;
    case VIS_PTRAUTH: return v->has_ptrauth;
    case VIS_PMU: return v->has_pmu;
    case VIS_MTE: return v->vm->mte_enabled;
    default: return false;
    }
}

unsigned sysreg_list(const struct vcpu *v, uint64_t *ids)
{
    unsigned n = 0;
    for (unsigned i = 0; i < sysreg_nr_descs; i++) {
        const struct sysreg_desc *d = &sysreg_descs[i];
        if (d->vis == VIS_GUEST || !sysreg_visible(v, d))
            continue;
        if (ids)
            ids[n] = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | d->enc;
        n++;
    }
    return n;
}

static uint64_t field_clear(uint64_t v, unsigned shift)
{
    return v & ~(0xfull << shift);
}

/* The guest view of an ID register for this vCPU (sys_regs.c:read_id_reg). */
static uint64_t id_value(const struct vcpu *v, uint32_t enc)
{
    unsigned crm = (enc >> 3) & 0xf, op2 = enc & 7;
    uint64_t val = v->vm->host.id[host_id_index(crm, op2)];
    if (crm == 4 && op2 == 0 && !v->has_sve)
        val = field_clear(val, 32);                      /* ID_AA64PFR0_EL1.SVE */
    if (crm == 4 && op2 == 4 && !v->has_sve)
        val = 0;                                         /* ID_AA64ZFR0_EL1 */
    if (crm == 6 && op2 == 1 && !v->has_ptrauth)
        val = field_clear(field_clear(field_clear(field_clear(val, 4), 8), 24), 28); /* APA API GPA GPI */
    if (crm == 6 && op2 == 2 && !v->has_ptrauth)
        val = field_clear(field_clear(val, 8), 12);      /* GPA3 APA3 */
    if (crm == 5 && op2 == 0 && !v->has_pmu)
        val = field_clear(val, 8);                       /* ID_AA64DFR0_EL1.PMUVer */
    if (crm == 1 && op2 == 2 && !v->has_pmu)
        val = field_clear(val, 24);                      /* ID_DFR0_EL1.PerfMon */
    return val;
}

static uint64_t reset_value(const struct vcpu *v, const struct sysreg_desc *d)
{
    const struct host *h = &v->vm->host;
    switch (d->reset) {
    case RK_VAL: return d->reset_val;
    case RK_UNKNOWN: return SYSREG_POISON;
    case RK_ID: return id_value(v, d->enc);
    case RK_MPIDR:
        /* sys_regs.c:reset_mpidr: Aff0 = id[3:0] (16 CPUs per cluster for the GIC), Aff1, Aff2. */
        return (1ull << 31) | (v->id & 0xf) | (((v->id >> 4) & 0xff) << 8) | (((uint64_t)(v->id >> 12) & 0xff) << 16);
    case RK_PMU_MASK:
        return SYSREG_POISON & ((1ull << 31) | ((1ull << h->pmcr_n) - 1));
    case RK_PMCR:
        return 0x41010000ull | ((uint64_t)h->pmcr_n << 11) | 0xac;
    default: return 0;
    }
}

void sysregs_reset(struct vcpu *v)
{
    for (unsigned i = 0; i < sysreg_nr_descs; i++) {
        const struct sysreg_desc *d = &sysreg_descs[i];
        if (d->reset != RK_NONE)
            v->cpu.sys[d->slot] = reset_value(v, d);
    }
}

/* Invariant registers: the host's values, whatever coproc the id carries (spec 3.2). */
static bool invariant_value(const struct vcpu *v, uint32_t enc, uint64_t *val)
{
    const struct host *h = &v->vm->host;
    switch (enc) {
    case SYSREG_ENC(3, 0, 0, 0, 0): *val = h->midr; return true;
    case SYSREG_ENC(3, 0, 0, 0, 6): *val = h->revidr; return true;
    case SYSREG_ENC(3, 1, 0, 0, 1): *val = h->clidr; return true;
    case SYSREG_ENC(3, 1, 0, 0, 7): *val = h->aidr; return true;
    case SYSREG_ENC(3, 3, 0, 0, 1): *val = h->ctr; return true;
    default: return false;
    }
}

#define SYSREG_ID_MASK (KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_COPROC_MASK | 0xffffull)

static const struct sysreg_desc *table_lookup(const struct vcpu *v, uint64_t id)
{
    if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM64_SYSREG)
        return NULL;
    const struct sysreg_desc *d = sysreg_find((uint32_t)(id & 0xffff));
    if (!d || d->vis == VIS_GUEST || !sysreg_visible(v, d))
        return NULL;
    return d;
}

int sysreg_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    uint64_t val;
    if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64 || (id & ~SYSREG_ID_MASK))
        return EXPLAIN(-ENOENT, "register id 0x%llx: system registers are U64 with only op0..op2 set",
                       (unsigned long long)id);
    if (invariant_value(v, (uint32_t)(id & 0xffff), &val))
        return copy_to_user(uaddr, &val, 8);
    const struct sysreg_desc *d = table_lookup(v, id);
    if (!d)
        return EXPLAIN(-ENOENT, "system register id 0x%llx does not exist for vCPU %u (see KVM_GET_REG_LIST)",
                       (unsigned long long)id, v->id);
    val = d->acc == ACC_WI ? 0 : v->cpu.sys[d->slot];
    return copy_to_user(uaddr, &val, 8);
}

int sysreg_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    uint64_t val, inv;
    if ((id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U64 || (id & ~SYSREG_ID_MASK))
        return EXPLAIN(-ENOENT, "register id 0x%llx: system registers are U64 with only op0..op2 set",
                       (unsigned long long)id);
    if (invariant_value(v, (uint32_t)(id & 0xffff), &inv)) {
        if (copy_from_user(&val, uaddr, 8))
            return -EFAULT;
        if (val != inv)
            return EXPLAIN(-EINVAL, "this register is invariant: it only accepts the host value 0x%llx",
                           (unsigned long long)inv);
        return 0;
    }
    /* sys_regs.c:kvm_sys_reg_set_user reads the value before looking the id up. */
    if (copy_from_user(&val, uaddr, 8))
        return -EFAULT;
    const struct sysreg_desc *d = table_lookup(v, id);
    if (!d)
        return EXPLAIN(-ENOENT, "system register id 0x%llx does not exist for vCPU %u (see KVM_GET_REG_LIST)",
                       (unsigned long long)id, v->id);
    uint64_t *slot = &v->cpu.sys[d->slot];
    switch (d->acc) {
    case ACC_RW:
        *slot = val;
        return 0;
    case ACC_WI:
        return 0;
    case ACC_OSLSR:
        if ((val ^ d->reset_val) & ~2ull)
            return EXPLAIN(-EINVAL, "%s: only OSLK (bit 1) is writable", d->name);
        *slot = val;
        return 0;
    case ACC_PFR0: {
        /* CSV2 [59:56] and CSV3 [63:60] may be 0 or 1; everything else must match. */
        uint64_t csv = 0xffull << 56;
        if ((val ^ *slot) & ~csv || ((val >> 56) & 0xf) > 1 || ((val >> 60) & 0xf) > 1)
            return EXPLAIN(-EINVAL, "%s: only CSV2/CSV3 may change (to 0 or 1); other fields must equal 0x%llx",
                           d->name, (unsigned long long)*slot);
        *slot = val;
        return 0;
    }
    case ACC_ID:
    default:
        if (val != *slot)
            return EXPLAIN(-EINVAL, "%s is an ID register: Linux 6.1 only accepts its current value 0x%llx",
                           d->name, (unsigned long long)*slot);
        return 0;
    }
}
