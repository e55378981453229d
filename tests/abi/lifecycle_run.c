/*
 * lifecycle_run.c - the run-group steps of lifecycle.tsv that are more than one ioctl:
 * guest setups (VM + RAM + snippet + INIT + VBAR/PC, none of which the data lists as a
 * step of its own) and a few composite steps.
 *
 * Guest layout (data README): RAM memslot 0 at 0x10000000, vectors at 0x10010000, MMIO
 * window 0x20000000. Which snippet each history runs is named in its step names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"

/* Record why a setup failed (reported in place of the step result) and return ret. */
static int failed(struct slot *s, const char *what, int ret)
{
    snprintf(s->why, sizeof(s->why), "%s: %s", what, abi_errname(-ret));
    return ret;
}

#define TRY(s, what, expr)                                                                    \
    do {                                                                                      \
        int ret_ = (expr);                                                                    \
        if (ret_ < 0)                                                                         \
            return failed(s, what, ret_);                                                     \
    } while (0)

/* New VM with RAM holding sn (+ vectors), vCPU 0 INIT(features) unless features < 0,
 * VBAR_EL1 = vectors if vbar, PC = RAM. */
static int build(struct slot *s, enum snippet sn, long features, bool vbar)
{
    TRY(s, "new VM/vCPU/mmap", abi_guest_new(&s->g));
    TRY(s, "memslot", abi_guest_add_ram(&s->g, sn, true));
    if (features < 0)
        return 0;
    TRY(s, "INIT", abi_vcpu_init(s->g.vcpu, abi_preferred_target(), (uint32_t)features, 0));
    if (vbar)
        TRY(s, "SET VBAR_EL1", abi_reg_set64(s->g.vcpu, REG_VBAR_EL1, GUEST_VBAR));
    TRY(s, "SET PC", abi_reg_set64(s->g.vcpu, REG_PC, GUEST_RAM));
    return 0;
}

int abi_setup_mini_hvcoff(struct slot *s)
{
    return build(s, SN_HVCOFF, F_PSCI_0_2, true);
}

int abi_setup_mini_mmio(struct slot *s)
{
    return build(s, SN_MMIO, F_PSCI_0_2, true);
}

int abi_setup_runb(struct slot *s)
{
    return build(s, SN_MMIO, 0, false);
}

int abi_setup_undef(struct slot *s)
{
    return build(s, SN_UNDEF, 0, false); /* the step itself sets VBAR_EL1 */
}

int abi_setup_trap(struct slot *s)
{
    return build(s, SN_SVETRAP, -1, false); /* INIT is the step */
}

int abi_setup_zen(struct slot *s)
{
    return build(s, SN_ZCR, 0, true);
}

int abi_setup_poff(struct slot *s)
{
    return build(s, SN_MMIO, F_POWER_OFF, false);
}

/* "run: mmap(vcpu fd) before INIT": the run page of a fresh vCPU. */
void abi_c_mmap(struct slot *s, const struct step *st, char *res, char *det)
{
    (void)st;
    abi_fmt_ret(res, RES_LEN, abi_guest_new(&s->g));
    if (s->g.run)
        snprintf(det, DET_LEN, "exit_reason=%u", s->g.run->exit_reason);
}

static int run_immediate_exit(struct slot *s)
{
    int ret;

    s->g.run->immediate_exit = 1;
    ret = abi_guest_run(&s->g, GUARD_MS);
    s->g.run->immediate_exit = 0;
    return ret;
}

/* INIT (not a step of its own in the data; PSCI_0_2, as the later re-INITs show), then
 * KVM_RUN with immediate_exit = 1. */
void abi_c_immexit_init(struct slot *s, const struct step *st, char *res, char *det)
{
    int ret = abi_vcpu_init(s->g.vcpu, abi_preferred_target(), F_PSCI_0_2, 0);

    if (ret < 0) {
        snprintf(res, RES_LEN, "(setup failed: INIT: %s)", abi_errname(-ret));
        return;
    }
    abi_run_detail(s, st, run_immediate_exit(s), res, det);
}

/* KVM_RUN with immediate_exit = 1 after userspace wrote 0x1234 into exit_reason. */
void abi_c_immexit_preset(struct slot *s, const struct step *st, char *res, char *det)
{
    s->g.run->exit_reason = 0x1234;
    abi_run_detail(s, st, run_immediate_exit(s), res, det);
}

void abi_c_memslot(struct slot *s, const struct step *st, char *res, char *det)
{
    (void)st;
    abi_fmt_ret(res, RES_LEN, abi_guest_add_ram(&s->g, SN_MMIO, true));
    snprintf(det, DET_LEN, "gpa=0x%llx size=0x%llx", GUEST_RAM, GUEST_RAM_SIZE);
}

void abi_c_setvbar(struct slot *s, const struct step *st, char *res, char *det)
{
    (void)st;
    abi_fmt_ret(res, RES_LEN, abi_reg_set64(s->g.vcpu, REG_VBAR_EL1, GUEST_VBAR));
    snprintf(det, DET_LEN, "vbar=0x%llx", GUEST_VBAR);
}

/* After the last MMIO store of the vector code: complete it (immediate_exit run; the
 * store's PC step happens on re-entry), then read where the guest is. */
void abi_c_regs_end(struct slot *s, const struct step *st, char *res, char *det)
{
    (void)st;
    run_immediate_exit(s);
    abi_fmt_ret(res, RES_LEN, abi_regs_detail(s, "pc pstate elr_el1(core)", det, DET_LEN));
}

/* svetrap INIT step: INIT(id); on success FINALIZE (SVE), VBAR and PC. A failed INIT
 * leaves the slot's run steps absent, as recorded on the host without SVE. */
void abi_c_trap_init(struct slot *s, const struct step *st, char *res, char *det)
{
    int ret = abi_vcpu_init(s->g.vcpu, abi_preferred_target(), (uint32_t)st->id, 0);

    (void)det;
    abi_fmt_ret(res, RES_LEN, ret);
    if (ret < 0) {
        s->broken = true;
        return;
    }
    if (st->id & F_SVE)
        ret = abi_vcpu_finalize(s->g.vcpu, ABI_FINALIZE_SVE);
    if (ret == 0)
        ret = abi_reg_set64(s->g.vcpu, REG_VBAR_EL1, GUEST_VBAR);
    if (ret == 0)
        ret = abi_reg_set64(s->g.vcpu, REG_PC, GUEST_RAM);
    if (ret < 0) {
        s->broken = true;
        failed(s, "FINALIZE/VBAR/PC after INIT", ret);
    }
}
