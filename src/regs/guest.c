/*
 * guest.c - the guest's MRS/MSR of catalogue registers (the engine calls these
 * for every system register it does not handle itself).
 *
 * The same descriptors as ONE_REG serve the guest, so a value the VMM sets is
 * what the guest reads. Differences from the ONE_REG view follow what the
 * guest sees under KVM: ID and invariant registers are read-only (a write is
 * UNDEFINED), ZCR_EL1 keeps only LEN, CCSIDR reports one set and one way for
 * data caches (KVM traps set/way maintenance), PMU and pointer-auth registers
 * exist only with their feature, and SVE registers of a vCPU without SVE give
 * the UNDEF KVM injects (spec 4.8, 7).
 */
#include <stdbool.h>

#include "regs/catalogue.h"
#include "regs/sysregs.h"
#include "vcpu/vm.h"

#define ENC SYSREG_ENC

static bool is_id_space(uint32_t enc)
{
    return (enc & ~0x3fu) == ENC(3, 0, 0, 0, 0) && ((enc >> 3) & 7) >= 1;
}

bool sysreg_guest_read(void *ctx, uint32_t enc, uint64_t *val)
{
    struct vcpu *v = ctx;
    const struct host *h = &v->vm->host;
    switch (enc) {
    case ENC(3, 0, 0, 0, 0): *val = h->midr; return true;
    case ENC(3, 0, 0, 0, 6): *val = h->revidr; return true;
    case ENC(3, 1, 0, 0, 1): *val = h->clidr; return true;
    case ENC(3, 1, 0, 0, 7): *val = h->aidr; return true;
    case ENC(3, 3, 0, 0, 1): *val = h->ctr; return true;
    case ENC(3, 1, 0, 0, 0): { /* CCSIDR_EL1 for the cache CSSELR selects */
        unsigned sel = (unsigned)v->cpu.sys[SR_CSSELR_EL1] & 0xf;
        uint32_t raw = sel < 14 ? h->ccsidr[sel] : 0;
        if (!(sel & 1))
            raw &= ~((0x7fffu << 13) | (0x3ffu << 3)); /* one set, one way */
        *val = raw;
        return true;
    }
    case ENC(3, 3, 14, 0, 0): *val = SOFTKVM_CNTFRQ; return true;        /* CNTFRQ_EL0 */
    case ENC(3, 3, 14, 0, 2): *val = timer_virtual_count(v); return true; /* CNTVCT_EL0 */
    case ENC(3, 3, 14, 0, 1): *val = timer_host_ticks(); return true;     /* CNTPCT_EL0 */
    case ENC(2, 0, 1, 0, 0): *val = 0; return true;                       /* MDRAR_EL1 */
    case ENC(2, 0, 1, 3, 4): *val = 0; return true;                       /* OSDLR_EL1 */
    case ENC(3, 0, 5, 3, 0): *val = 0; return true;                       /* ERRIDR_EL1: no RAS records */
    }
    const struct sysreg_desc *d = sysreg_find(enc);
    if (d && (d->vis == VIS_GUEST || sysreg_visible(v, d))) {
        *val = d->acc == ACC_WI ? 0 : v->cpu.sys[d->slot];
        return true;
    }
    if (is_id_space(enc)) {   /* unallocated ID encodings read as zero */
        *val = 0;
        return true;
    }
    return false;
}

bool sysreg_guest_write(void *ctx, uint32_t enc, uint64_t val)
{
    struct vcpu *v = ctx;
    switch (enc) {
    case ENC(2, 0, 1, 0, 4): /* OSLAR_EL1: sets OSLSR_EL1.OSLK */
        v->cpu.sys[SR_OSLSR_EL1] = (v->cpu.sys[SR_OSLSR_EL1] & ~2ull) | ((val & 1) << 1);
        return true;
    case ENC(2, 0, 1, 3, 4): /* OSDLR_EL1 */
    case ENC(2, 0, 1, 4, 4): /* DBGPRCR_EL1 */
        return true;
    }
    const struct sysreg_desc *d = sysreg_find(enc);
    if (!d || !(d->vis == VIS_GUEST || sysreg_visible(v, d)))
        return false;
    switch (d->acc) {
    case ACC_ID: case ACC_PFR0: case ACC_OSLSR:
        return false;           /* read-only to the guest */
    case ACC_WI:
        return true;
    default:
        break;
    }
    if (d->slot == SR_ZCR_EL1)
        val &= 0xf;             /* only LEN[3:0] exists */
    if (d->slot == SR_MPIDR_EL1)
        return false;           /* read-only to the guest */
    v->cpu.sys[d->slot] = val;
    return true;
}
