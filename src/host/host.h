/*
 * host.h - the emulated arm64 host a VM is created on.
 *
 * Real KVM answers depend on the machine it runs on: which SVE vector lengths
 * exist, pointer auth, PMU, AArch32 EL1, IPA size, cache geometry, ID register
 * values. softkvm makes that machine a value: every VM copies the profile in
 * force when it is created (KVM_CREATE_VM) and answers from that copy.
 */
#ifndef SOFTKVM_HOST_HOST_H
#define SOFTKVM_HOST_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "softkvm/softkvm.h"

struct host {
    struct softkvm_host_profile p;
    unsigned sve_max_vq;          /* largest supported VQ (0 without SVE) */
    unsigned pmcr_n;              /* PMU event counters (PMCR_EL0.N) */
    unsigned hw_bps, hw_wps;      /* debug breakpoints / watchpoints */
    uint64_t midr, revidr, clidr, aidr, ctr;
    uint32_t ccsidr[14];          /* raw CCSIDR per CSSELR value (0 = no such cache) */
    uint64_t id[56];              /* ID space (3,0,0,crm 1..7,op2): host sanitised values */
    int fw_wa1, fw_wa2, fw_wa3;   /* SMCCC_ARCH_WORKAROUND_1/2/3 levels */
};

/* Snapshot of the profile in force, with everything derived from it. */
void host_current(struct host *out);

/* Derive the non-profile fields of h from h->p (used by host_current and tests). */
void host_derive(struct host *h);

/* Index into host.id[] of ID-space encoding (3,0,0,crm,op2), crm 1..7. */
static inline unsigned host_id_index(unsigned crm, unsigned op2) { return (crm - 1) * 8 + op2; }

static inline bool host_has_vq(const struct host *h, unsigned vq)
{
    return vq >= 1 && vq <= 16 && (h->p.sve_vqs >> (vq - 1)) & 1;
}

#endif
