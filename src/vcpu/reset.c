/*
 * reset.c - register state after KVM_ARM_VCPU_INIT (and PSCI CPU_ON).
 *
 * Linux 6.1 reset.c:kvm_reset_vcpu and sys_regs.c:kvm_reset_sys_regs (spec 2.3):
 * general registers, PC, SP_EL0, FP/SIMD and the AArch32 banked SPSRs are
 * cleared; SP_EL1, ELR_EL1 and SPSR_EL1 are NOT (KVM has no reset rule for
 * them); each system register follows its catalogue row.
 */
#include <string.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "vcpu/lifecycle.h"
#include "vcpu/vm.h"

#define RESET_PSTATE_EL1 0x3c5ull   /* EL1h, D, A, I, F masked */
#define RESET_PSTATE_SVC 0x1d3ull   /* AArch32 SVC, A, I, F masked */

void vcpu_reset_regs(struct vcpu *v)
{
    struct cpu *c = &v->cpu;
    memset(c->x, 0, sizeof c->x);
    c->sp_el0 = 0;
    c->pc = 0;
    c->pstate = (v->features & (1u << KVM_ARM_VCPU_EL1_32BIT)) ? RESET_PSTATE_SVC : RESET_PSTATE_EL1;
    for (int i = 1; i < 5; i++)
        c->spsr[i] = 0;
    c->fpsr = c->fpcr = 0;
    memset(c->z, 0, sizeof c->z);
    memset(c->p, 0, sizeof c->p);
    memset(c->ffr, 0, sizeof c->ffr);

    sysregs_reset(v);

    /* The engine state that follows the configuration. */
    v->env.ipa_bits = v->vm->ipa_bits;
    v->env.host_has_sve = v->vm->host.p.sve_vqs != 0;
    v->env.vcpu_has_sve = v->has_sve && v->sve_finalized;
    v->env.sve_vqs = v->has_sve ? v->vm->host.p.sve_vqs & ((1u << v->sve_max_vq) - 1) : 0;
    engine_cache_flush(v->engine);
}
