/*
 * except.c - synchronous exceptions taken to EL1 and the ESR values the engine
 * reports.
 *
 * Arm ARM D1.3 / pseudocode AArch64.TakeException: SPSR_EL1 = PSTATE,
 * ELR_EL1 = preferred return address, ESR_EL1 = syndrome, PC = VBAR_EL1 +
 * 0x000 (from EL1 with SP_EL0), 0x200 (EL1 with SP_EL1) or 0x400 (from EL0,
 * AArch64); then PSTATE: EL1h, DAIF all masked, SS/IL/BTYPE/UAO cleared, PAN
 * set unless SCTLR_EL1.SPAN, SSBS = SCTLR_EL1.DSSBS, NZCV and DIT unchanged.
 * Measured on Linux 6.1 KVM (spec 4.8): UDF -> +0x200, ESR 0x02000000, ELR =
 * the instruction, FAR untouched, SPSR = 0x3c5 from EL1h with DAIF masked.
 */
#include "engine/internal.h"

#define PSTATE_SSBS  (1ull << 12)
#define PSTATE_PAN   (1ull << 22)
#define PSTATE_DIT   (1ull << 24)
#define SCTLR_SPAN   (1ull << 23)
#define SCTLR_DSSBS  (1ull << 44)

void cpu_take_exception(struct cpu *cpu, uint64_t esr, bool far_valid, uint64_t far, uint64_t ret_addr)
{
    uint64_t ps = cpu->pstate;
    unsigned el = (unsigned)(ps >> 2) & 3;
    uint64_t off;
    if (ps & PSTATE_nRW)
        off = 0x600;                 /* from AArch32 EL0 (not executed by this engine) */
    else if (el == 0)
        off = 0x400;
    else
        off = (ps & 1) ? 0x200 : 0x000;
    cpu->spsr[0] = ps;
    cpu->elr_el1 = ret_addr;
    cpu->sys[SR_ESR_EL1] = esr;
    if (far_valid)
        cpu->sys[SR_FAR_EL1] = far;
    uint64_t sctlr = cpu->sys[SR_SCTLR_EL1];
    uint64_t n = (ps & (PSTATE_NZCV | PSTATE_DIT | PSTATE_PAN)) | PSTATE_DAIF | PSTATE_MODE_EL1h;
    if (!(sctlr & SCTLR_SPAN))
        n |= PSTATE_PAN;
    if (sctlr & SCTLR_DSSBS)
        n |= PSTATE_SSBS;
    cpu->pstate = n;
    cpu->pc = (cpu->sys[SR_VBAR_EL1] & ~0x7ffull) + off;
}

void engine_inject_sync(struct cpu *cpu, uint64_t esr, bool far_valid, uint64_t far)
{
    cpu_take_exception(cpu, esr, far_valid, far, cpu->pc);
}

struct dinsn *engine_exception(struct run *r, uint64_t esr, bool far_valid, uint64_t far,
                               uint64_t ret_addr)
{
    engine_sync_out(r);
    cpu_take_exception(r->cpu, esr, far_valid, far, ret_addr);
    engine_sync_in(r);
    /* The local monitor is cleared by exception entry (an IMPLEMENTATION
     * DEFINED choice the Arm ARM allows; QEMU and Linux expect it). */
    r->mon.valid = false;
    return engine_lookup(r, r->cpu->pc);
}

struct dinsn *engine_undef(struct run *r, struct dinsn *d)
{
    return engine_exception(r, ESR_UNDEF, false, 0, pc_of(r, d));
}

/* EC 0x07 from AArch64: CV = 1, COND = 0xe as QEMU reports it (syn_fp_access_trap). */
struct dinsn *engine_fp_trap(struct run *r, struct dinsn *d)
{
    uint64_t esr = ((uint64_t)EC_FP << 26) | ESR_IL | (1u << 24) | (0xeu << 20);
    return engine_exception(r, esr, false, 0, pc_of(r, d));
}

/* EC 0x19, ISS 0: measured ESR 0x66000000 (spec 4.8). */
struct dinsn *engine_sve_trap(struct run *r, struct dinsn *d)
{
    return engine_exception(r, ((uint64_t)EC_SVE << 26) | ESR_IL, false, 0, pc_of(r, d));
}

/* Data abort, alignment fault (DFSC 0x21), ISV = 0, WnR per access. */
struct dinsn *engine_align_fault(struct run *r, struct dinsn *d, uint64_t addr, bool write)
{
    uint64_t ec = r->el ? EC_DABT_CUR : EC_DABT_LOW;
    uint64_t esr = (ec << 26) | ESR_IL | (write ? 1u << 6 : 0) | 0x21;
    return engine_exception(r, esr, true, addr, pc_of(r, d));
}

struct dinsn *engine_sp_align_fault(struct run *r, struct dinsn *d)
{
    return engine_exception(r, ((uint64_t)EC_SP_ALIGN << 26) | ESR_IL, false, 0, pc_of(r, d));
}

/* EC 0x18: trapped MSR/MRS/SYS; iss already holds Op0..Direction. */
struct dinsn *engine_sys_trap(struct run *r, struct dinsn *d, uint32_t iss)
{
    return engine_exception(r, ((uint64_t)EC_SYS64 << 26) | ESR_IL | iss, false, 0, pc_of(r, d));
}

/* ---- handlers shared by every class ------------------------------------- */

struct dinsn *x_undef(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(engine_undef(r, d));
}

/* A SIMD&FP encoding this engine does not execute yet: the CPACR_EL1.FPEN
 * trap still comes first, as for an implemented instruction. */
struct dinsn *x_fp_unimpl(struct run *r, struct dinsn *d, uint64_t n)
{
    if (!r->fp_ok)
        NEXT(engine_fp_trap(r, d));
    NEXT(engine_undef(r, d));
}

/* An SVE encoding (not executed yet). Spec 4.8: with ZEN trapping, EC 0x19 on
 * any vCPU of a host with SVE (the EL1 trap has priority), UNDEF on a host
 * without SVE; ZEN is checked before FPEN (Arm ARM CheckSVEEnabled). */
struct dinsn *x_sve_unimpl(struct run *r, struct dinsn *d, uint64_t n)
{
    if (!r->env->host_has_sve)
        NEXT(engine_undef(r, d));
    if (!r->zen_ok)
        NEXT(engine_sve_trap(r, d));
    if (!r->fp_ok)
        NEXT(engine_fp_trap(r, d));
    NEXT(engine_undef(r, d));
}
