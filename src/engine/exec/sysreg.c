/*
 * sysreg.c - MRS and MSR (register).
 *
 * Registers that are PSTATE or engine state are handled here: NZCV, DAIF,
 * SPSel, CurrentEL, PAN, UAO, DIT, SSBS, SP_EL0, ELR_EL1, SPSR_EL1, FPCR, FPSR,
 * the counters (CNTFRQ_EL0 = 62.5 MHz fixed, CNTPCT_EL0 from CLOCK_MONOTONIC,
 * CNTVCT_EL0 = CNTPCT_EL0 - *env->cntvoff), the timer TVAL views, DCZID_EL0
 * (512-byte DC ZVA blocks, as QEMU 7.2 -cpu max, the measured host) and RNDR/RNDRRS. Everything else goes to the vCPU's
 * register catalogue through env->sysreg_read/write (the same descriptors as
 * ONE_REG), after the architectural access checks for the current EL:
 * EL2/EL3 encodings (op1 = 4, 5, 6) are UNDEFINED at EL1; at EL0 only op1 = 3
 * encodings exist, some gated by SCTLR_EL1.UCT, PMUSERENR_EL0.EN, CNTKCTL_EL1.
 */
#include <sys/random.h>
#include <time.h>

#include "engine/exec/alu.h"
#include "a64_args.h"

#define PSTATE_SSBS (1ull << 12)
#define PSTATE_PAN  (1ull << 22)
#define PSTATE_UAO  (1ull << 23)
#define PSTATE_DIT  (1ull << 24)
#define SCTLR_UMA   (1ull << 9)
#define SCTLR_DZE   (1ull << 14)
#define SCTLR_UCT   (1ull << 15)

uint64_t engine_counter_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* 62.5 MHz: one tick every 16 ns (the same clock as src/regs/timer.c). */
    return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) / 16;
}

static uint64_t virtual_count(const struct run *r)
{
    uint64_t off = r->env->cntvoff ? __atomic_load_n(r->env->cntvoff, __ATOMIC_RELAXED) : 0;
    return engine_counter_now() - off;
}

enum reg {
    RG_NZCV, RG_DAIF, RG_SPSEL, RG_CURRENTEL, RG_PAN, RG_UAO, RG_DIT, RG_SSBS,
    RG_SP_EL0, RG_ELR, RG_SPSR, RG_FPCR, RG_FPSR, RG_CNTFRQ, RG_CNTPCT, RG_CNTVCT,
    RG_CNTV_TVAL, RG_CNTP_TVAL, RG_DCZID, RG_RNDR, RG_RNDRRS, RG_ZCR,
};

static const struct {
    uint32_t enc;
    uint8_t reg;
    uint8_t el0;       /* accessible at EL0 (subject to the checks below) */
    uint8_t ro;        /* MSR is UNDEFINED */
    uint64_t feature;  /* 0 or A64_FEAT_* */
} regs[] = {
    { SYSREG_ENC(3, 3, 4, 2, 0), RG_NZCV, 1, 0, 0 },
    { SYSREG_ENC(3, 3, 4, 2, 1), RG_DAIF, 1, 0, 0 },
    { SYSREG_ENC(3, 0, 4, 2, 0), RG_SPSEL, 0, 0, 0 },
    { SYSREG_ENC(3, 0, 4, 2, 2), RG_CURRENTEL, 0, 1, 0 },
    { SYSREG_ENC(3, 0, 4, 2, 3), RG_PAN, 0, 0, A64_FEAT_PAN },
    { SYSREG_ENC(3, 0, 4, 2, 4), RG_UAO, 0, 0, A64_FEAT_UAO },
    { SYSREG_ENC(3, 3, 4, 2, 5), RG_DIT, 1, 0, A64_FEAT_DIT },
    { SYSREG_ENC(3, 3, 4, 2, 6), RG_SSBS, 1, 0, A64_FEAT_SSBS },
    { SYSREG_ENC(3, 0, 4, 1, 0), RG_SP_EL0, 0, 0, 0 },
    { SYSREG_ENC(3, 0, 4, 0, 1), RG_ELR, 0, 0, 0 },
    { SYSREG_ENC(3, 0, 4, 0, 0), RG_SPSR, 0, 0, 0 },
    { SYSREG_ENC(3, 3, 4, 4, 0), RG_FPCR, 1, 0, 0 },
    { SYSREG_ENC(3, 3, 4, 4, 1), RG_FPSR, 1, 0, 0 },
    { SYSREG_ENC(3, 3, 14, 0, 0), RG_CNTFRQ, 1, 1, 0 },
    { SYSREG_ENC(3, 3, 14, 0, 1), RG_CNTPCT, 1, 1, 0 },
    { SYSREG_ENC(3, 3, 14, 0, 2), RG_CNTVCT, 1, 1, 0 },
    { SYSREG_ENC(3, 3, 14, 3, 0), RG_CNTV_TVAL, 1, 0, 0 },
    { SYSREG_ENC(3, 3, 14, 2, 0), RG_CNTP_TVAL, 1, 0, 0 },
    { SYSREG_ENC(3, 3, 0, 0, 7), RG_DCZID, 1, 1, 0 },
    { SYSREG_ENC(3, 3, 2, 4, 0), RG_RNDR, 1, 1, A64_FEAT_RNG },
    { SYSREG_ENC(3, 3, 2, 4, 1), RG_RNDRRS, 1, 1, A64_FEAT_RNG },
    { SYSREG_ENC(3, 0, 1, 2, 0), RG_ZCR, 0, 0, 0 },
};

/* Fields of the encoding in d: imm = enc, d->d = Rt slot, c0 = reg id
 * (engine registers), c1 = 1 for MRS. */
static uint32_t iss_of(const struct dinsn *d, bool read)
{
    uint32_t enc = (uint32_t)d->imm;
    unsigned rt = d->d > 30 ? 31 : d->d;
    return sys_iss(enc >> 14, (enc >> 11) & 7, (enc >> 7) & 15, (enc >> 3) & 15, enc & 7, rt, read);
}

/* EL0 permission of an op1 = 3 register served by the catalogue:
 * 0 ok, 1 UNDEF, 2 trap to EL1 (EC 0x18). */
static int el0_check(struct run *r, uint32_t enc, bool read)
{
    const uint64_t *sys = r->cpu->sys;
    unsigned op0 = enc >> 14, op1 = (enc >> 11) & 7, crn = (enc >> 7) & 15, crm = (enc >> 3) & 15, op2 = enc & 7;
    /* FEAT_IDST: EL0 accesses to the ID space (3,0,0,*,*) trap to EL1 (EC 0x18)
     * instead of being UNDEFINED, so the OS can emulate them. */
    if (op0 == 3 && op1 == 0 && crn == 0 && (r->cache->features & A64_FEAT_IDS))
        return 2;
    if (op0 != 3 || op1 != 3)
        return 1;
    if (crn == 0 && crm == 0 && op2 == 1)          /* CTR_EL0 */
        return (sys[SR_SCTLR_EL1] & SCTLR_UCT) ? 0 : 2;
    if (crn == 9 || (crn == 14 && crm >= 8)) {      /* PMU */
        if (!r->env->vcpu_has_pmu)
            return 1;
        return (sys[SR_PMUSERENR_EL0] & 1) ? 0 : 2;
    }
    if (crn == 13 && crm == 0 && op2 == 3)          /* TPIDRRO_EL0 */
        return read ? 0 : 1;
    if (crn == 14 && crm == 3)                      /* CNTV_*: CNTKCTL_EL1.EL0VTEN */
        return (sys[SR_CNTKCTL_EL1] >> 8) & 1 ? 0 : 2;
    if (crn == 14 && crm == 2)                      /* CNTP_*: EL0PTEN */
        return (sys[SR_CNTKCTL_EL1] >> 9) & 1 ? 0 : 2;
    return 0;
}

static struct dinsn *x_mrs_cb(struct run *r, struct dinsn *d, uint64_t n)
{
    uint32_t enc = (uint32_t)d->imm;
    if (r->el == 0) {
        int c = el0_check(r, enc, true);
        if (c)
            NEXT(c == 1 ? engine_undef(r, d) : engine_sys_trap(r, d, iss_of(d, true)));
    }
    uint64_t v = 0;
    if (!r->env->sysreg_read || !r->env->sysreg_read(r->env->sysreg_ctx, enc, &v))
        NEXT(engine_undef(r, d));
    r->x[d->d] = v;
    NEXT(d + 1);
}

static struct dinsn *x_msr_cb(struct run *r, struct dinsn *d, uint64_t n)
{
    uint32_t enc = (uint32_t)d->imm;
    if (r->el == 0) {
        int c = el0_check(r, enc, false);
        if (c)
            NEXT(c == 1 ? engine_undef(r, d) : engine_sys_trap(r, d, iss_of(d, false)));
    }
    if (!r->env->sysreg_write || !r->env->sysreg_write(r->env->sysreg_ctx, enc, r->x[d->d]))
        NEXT(engine_undef(r, d));
    uint64_t gen = r->mmu.gen;
    engine_mode_changed(r);      /* SCTLR_EL1, CPACR_EL1, TCR_EL1, TTBRn_EL1, MAIR_EL1 may have changed */
    if (unlikely(r->mmu.gen != gen))
        NEXT(engine_lookup(r, pc_of(r, d) + 4));   /* the next fetch uses the new translation */
    NEXT(d + 1);
}

static bool rndr(uint64_t *v)
{
    return getrandom(v, sizeof *v, GRND_NONBLOCK) == (ssize_t)sizeof *v;
}

static struct dinsn *x_sysreg_eng(struct run *r, struct dinsn *d, uint64_t n)
{
    struct cpu *cpu = r->cpu;
    const uint64_t *sys = cpu->sys;
    bool read = d->c1;
    uint64_t v = read ? 0 : r->x[d->d];
    unsigned reg = d->c0;
    if (r->el == 0) {
        bool ok = true;
        switch (reg) {
        case RG_DAIF: ok = sys[SR_SCTLR_EL1] & SCTLR_UMA; break;
        case RG_CNTFRQ: ok = sys[SR_CNTKCTL_EL1] & 3; break;
        case RG_CNTPCT: ok = sys[SR_CNTKCTL_EL1] & 1; break;
        case RG_CNTVCT: ok = sys[SR_CNTKCTL_EL1] & 2; break;
        case RG_CNTV_TVAL: ok = (sys[SR_CNTKCTL_EL1] >> 8) & 1; break;
        case RG_CNTP_TVAL: ok = (sys[SR_CNTKCTL_EL1] >> 9) & 1; break;
        default: break;
        }
        if (!ok)
            NEXT(engine_sys_trap(r, d, iss_of(d, read)));
    }
    if ((reg == RG_FPCR || reg == RG_FPSR) && !r->fp_ok)
        NEXT(engine_fp_trap(r, d));
    if (reg == RG_ZCR) {
        /* ZCR_EL1 is trapped by CPACR_EL1.ZEN (EC 0x19) on a host with SVE;
         * past that, the catalogue decides (UNDEF on a vCPU without SVE). */
        if (r->env->host_has_sve && !r->zen_ok)
            NEXT(engine_sve_trap(r, d));
        return read ? x_mrs_cb(r, d, n) : x_msr_cb(r, d, n);
    }
    switch (reg) {
    case RG_NZCV:
        if (read) v = r->nzcv; else r->nzcv = (uint32_t)v & PSTATE_NZCV;
        break;
    case RG_DAIF:
        if (read) {
            v = cpu->pstate & PSTATE_DAIF;
        } else {
            cpu->pstate = (cpu->pstate & ~PSTATE_DAIF) | (v & PSTATE_DAIF);
            if (unlikely(irq_now_pending(r)))
                NEXT(engine_irq_stop(r, pc_of(r, d) + 4));
        }
        break;
    case RG_SPSEL:
        if (read) {
            v = cpu->pstate & 1;
        } else {
            engine_sync_out(r);
            cpu->pstate = (cpu->pstate & ~1ull) | (v & 1);
            engine_sync_in(r);
        }
        break;
    case RG_CURRENTEL: v = (uint64_t)r->el << 2; break;
    case RG_PAN:
        if (read) {
            v = cpu->pstate & PSTATE_PAN;
        } else {
            cpu->pstate = (cpu->pstate & ~PSTATE_PAN) | (v & PSTATE_PAN);
            mmu_sync(r);         /* the TLB holds permissions for one PAN value */
        }
        break;
    case RG_UAO:
        if (read) v = cpu->pstate & PSTATE_UAO;
        else cpu->pstate = (cpu->pstate & ~PSTATE_UAO) | (v & PSTATE_UAO);
        break;
    case RG_DIT:
        if (read) v = cpu->pstate & PSTATE_DIT;
        else cpu->pstate = (cpu->pstate & ~PSTATE_DIT) | (v & PSTATE_DIT);
        break;
    case RG_SSBS:
        if (read) v = cpu->pstate & PSTATE_SSBS;
        else cpu->pstate = (cpu->pstate & ~PSTATE_SSBS) | (v & PSTATE_SSBS);
        break;
    case RG_SP_EL0:
        /* Arm ARM: SP_EL0 is not accessible while it is the current SP. */
        if (!(cpu->pstate & 1))
            NEXT(engine_undef(r, d));
        if (read) v = cpu->sp_el0; else cpu->sp_el0 = v;
        break;
    case RG_ELR:
        if (read) v = cpu->elr_el1; else cpu->elr_el1 = v;
        break;
    case RG_SPSR:
        if (read) v = cpu->spsr[0]; else cpu->spsr[0] = v;
        break;
    case RG_FPCR:
        /* Writable: AHP DN FZ RMode Stride FZ16 Len; the trap enables are RES0
         * (no FP exception trapping, as QEMU 7.2 -cpu max: 0x07ff0000). */
        if (read) v = cpu->fpcr; else cpu->fpcr = (uint32_t)v & 0x07ff0000u;
        break;
    case RG_FPSR:
        if (read) v = cpu->fpsr; else cpu->fpsr = (uint32_t)v & 0xf800009fu;
        break;
    case RG_CNTFRQ: v = ENGINE_CNTFRQ; break;
    case RG_CNTPCT: v = engine_counter_now(); break;
    case RG_CNTVCT: v = virtual_count(r); break;
    case RG_CNTV_TVAL:
    case RG_CNTP_TVAL: {
        /* TVAL = (CVAL - count)<31:0> signed; writing sets CVAL = count + SignExtend(TVAL). */
        bool virt = reg == RG_CNTV_TVAL;
        uint64_t now = virt ? virtual_count(r) : engine_counter_now();
        uint64_t *cval = &cpu->sys[virt ? SR_CNTV_CVAL_EL0 : SR_CNTP_CVAL_EL0];
        if (read) v = (uint32_t)(*cval - now);
        else *cval = now + sext(v, 32);
        break;
    }
    case RG_DCZID:
        v = 7 | ((r->el == 0 && !(sys[SR_SCTLR_EL1] & SCTLR_DZE)) ? 0x10 : 0);
        break;
    case RG_RNDR:
    case RG_RNDRRS:
        /* Success: NZCV = 0000; failure: value 0, NZCV = 0100 (Arm ARM RNDR). */
        if (rndr(&v)) {
            r->nzcv = 0;
        } else {
            v = 0;
            r->nzcv = PSTATE_Z;
        }
        break;
    default:
        NEXT(engine_undef(r, d));
    }
    if (read)
        r->x[d->d] = v;
    NEXT(d + 1);
}

/* EL1-only engine registers: UNDEFINED at EL0. */
static struct dinsn *x_sysreg_el1(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0)
        NEXT(engine_undef(r, d));
    return x_sysreg_eng(r, d, n);
}

static bool sysreg(struct decode *dc, uint32_t s, uint32_t t, bool read)
{
    uint32_t enc = 0x8000u | s;
    unsigned op1 = (enc >> 11) & 7;
    struct dinsn *e = dc->e;
    e->imm = enc;
    e->c1 = read;
    e->d = read ? slot_wz(t) : slot_rz(t);
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        if (regs[i].enc != enc)
            continue;
        if (regs[i].feature && !(dc->features & regs[i].feature))
            return false;
        if (!read && regs[i].ro)
            return false;
        e->c0 = regs[i].reg;
        e->fn = regs[i].el0 ? x_sysreg_eng : x_sysreg_el1;
        return true;
    }
    if (op1 >= 4 && op1 <= 6)
        return false;              /* EL2 / EL3 registers: UNDEFINED at EL1 and EL0 */
    e->fn = read ? x_mrs_cb : x_msr_cb;
    return true;
}

bool op_MRS(struct decode *dc, const struct args_MRS *a)
{
    return sysreg(dc, a->s, a->t, true);
}

bool op_MSR_reg(struct decode *dc, const struct args_MSR_reg *a)
{
    return sysreg(dc, a->s, a->t, false);
}
