/*
 * system.c - exception generation, hints, barriers, PSTATE access and the
 * SYS space (cache, TLB and address-translation maintenance) (Arm ARM C4.1.87,
 * C5.3 system instructions). MRS/MSR are in sysreg.c.
 *
 * What needs the hypervisor leaves the run loop: HVC (PC already past it,
 * engine.h), SMC and WFI (PC at the instruction). SVC/BRK/HLT/UNDEF are guest
 * exceptions. Barriers map to host fences: full DMB/DSB to a sequentially
 * consistent fence, the load/store-only kinds to acquire/release fences (no
 * instruction on x86). Cache maintenance is a no-op on this coherent memory,
 * except that DC by VA translates its address (and faults like the
 * architecture: CM = 1) and DC ZVA really zeroes its block. TLBI (every EL1
 * form) forgets all cached translations of this vCPU, and the broadcast forms
 * (IS, OS) those of every vCPU of the VM (mmu.c). AT writes PAR_EL1 from a
 * real stage-1 walk.
 */
#include "engine/exec/alu.h"
#include "a64_args.h"

#define SCTLR_UMA   (1ull << 9)
#define SCTLR_EnRCTX (1ull << 10)
#define SCTLR_DZE   (1ull << 14)
#define SCTLR_UCT   (1ull << 15)
#define SCTLR_nTWI  (1ull << 16)
#define SCTLR_nTWE  (1ull << 18)
#define SCTLR_UCI   (1ull << 26)
#define PSTATE_SSBS (1ull << 12)
#define PSTATE_PAN  (1ull << 22)
#define PSTATE_UAO  (1ull << 23)
#define PSTATE_DIT  (1ull << 24)

#define DCZ_BYTES 512          /* DCZID_EL0.BS = 7, as QEMU 7.2 -cpu max (sysreg.c reports it) */

static uint64_t sctlr(struct run *r)
{
    return r->cpu->sys[SR_SCTLR_EL1];
}

uint32_t sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt, bool read)
{
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | (read ? 1 : 0);
}

/* ---- exception generation ------------------------------------------------- */

static struct dinsn *x_svc(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t esr = ((uint64_t)EC_SVC64 << 26) | ESR_IL | d->imm;
    NEXT(engine_exception(r, esr, false, 0, pc_of(r, d) + 4));
}

static struct dinsn *x_brk(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t esr = ((uint64_t)EC_BRK64 << 26) | ESR_IL | d->imm;
    NEXT(engine_exception(r, esr, false, 0, pc_of(r, d)));
}

static struct dinsn *x_hvc(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0)
        NEXT(engine_undef(r, d));        /* HVC is UNDEFINED at EL0 */
    r->out->kind = ENGINE_EXIT_HVC;
    r->out->hvc.imm = (uint16_t)d->imm;
    r->extra_retired++;
    NEXT(engine_stop(r, pc_of(r, d) + 4));
}

static struct dinsn *x_smc(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0)
        NEXT(engine_undef(r, d));
    r->out->kind = ENGINE_EXIT_SMC;
    NEXT(engine_stop(r, pc_of(r, d)));
}

bool op_SVC(struct decode *dc, const struct args_SVC *a)
{
    dc->e->fn = x_svc;
    dc->e->imm = a->i;
    return true;
}

bool op_HVC(struct decode *dc, const struct args_HVC *a)
{
    dc->e->fn = x_hvc;
    dc->e->imm = a->i;
    return true;
}

bool op_SMC(struct decode *dc, const struct args_SMC *a)
{
    dc->e->fn = x_smc;
    dc->e->imm = a->i;
    return true;
}

bool op_BRK(struct decode *dc, const struct args_BRK *a)
{
    dc->e->fn = x_brk;
    dc->e->imm = a->i;
    return true;
}

bool op_UDF(struct decode *dc, const struct args_UDF *a)
{
    dc->e->fn = x_undef;
    return true;
}

/* HLT: halting debug is never enabled for the guest (EDSCR.HDE = 0), so the
 * instruction is UNDEFINED (Arm ARM C6.2 HLT). */
bool op_HLT(struct decode *dc, const struct args_HLT *a)
{
    dc->e->fn = x_undef;
    return true;
}

/* ---- hints ---------------------------------------------------------------- */

static struct dinsn *x_nop_sys(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(d + 1);
}

/* WFx from EL0 traps to EL1 unless SCTLR_EL1.nTWI / nTWE (EC 0x01, CV=1, COND=0xe, TI). */
static struct dinsn *wfx_trap(struct run *r, struct dinsn *d, unsigned ti)
{
    uint64_t esr = ((uint64_t)EC_WFX << 26) | ESR_IL | (1u << 24) | (0xeu << 20) | ti;
    return engine_exception(r, esr, false, 0, pc_of(r, d));
}

static struct dinsn *x_wfi(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0 && !(sctlr(r) & SCTLR_nTWI))
        NEXT(wfx_trap(r, d, 0));
    r->out->kind = ENGINE_EXIT_WFI;
    NEXT(engine_stop(r, pc_of(r, d)));
}

/* WFE: KVM traps it and just yields (spec 4.5): a no-op here. */
static struct dinsn *x_wfe(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0 && !(sctlr(r) & SCTLR_nTWE))
        NEXT(wfx_trap(r, d, 1));
    NEXT(d + 1);
}

bool op_HINT(struct decode *dc, const struct args_HINT *a)
{
    unsigned hint = (a->m << 3) | a->o;
    /* Every hint this engine does not give a meaning executes as NOP, as the
     * architecture requires for unallocated hints; the PAuth hints (PACIASP,
     * AUTIASP, XPACLRI, ...) follow the null-PAC model of dp_reg.c, BTI is a
     * no-op without guarded pages. */
    switch (hint) {
    case 2: dc->e->fn = x_wfe; break;
    case 3: dc->e->fn = x_wfi; break;
    default: dc->e->fn = x_nop_sys; break;
    }
    return true;
}

/* ---- barriers --------------------------------------------------------------- */

static struct dinsn *x_clrex(struct run *r, struct dinsn *d, uint64_t n)
{
    r->mon.valid = false;
    NEXT(d + 1);
}

static struct dinsn *x_fence_full(struct run *r, struct dinsn *d, uint64_t n)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    NEXT(d + 1);
}

static struct dinsn *x_fence_acq(struct run *r, struct dinsn *d, uint64_t n)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    NEXT(d + 1);
}

static struct dinsn *x_fence_rel(struct run *r, struct dinsn *d, uint64_t n)
{
    __atomic_thread_fence(__ATOMIC_RELEASE);
    NEXT(d + 1);
}

bool op_CLREX(struct decode *dc, const struct args_CLREX *a)
{
    dc->e->fn = x_clrex;
    return true;
}

/* CRm<1:0>: 01 loads (LD), 10 stores (ST), 11 all; CRm<3:2> is the domain. */
static exec_fn barrier(unsigned crm)
{
    switch (crm & 3) {
    case 1: return x_fence_acq;
    case 2: return x_fence_rel;
    case 3: return x_fence_full;
    default: return x_fence_full;
    }
}

bool op_DSB(struct decode *dc, const struct args_DSB *a)
{
    /* CRm 0000 (SSBB) and 0100 (PSSBB) are speculation barriers: no-ops here. */
    dc->e->fn = (a->m == 0 || a->m == 4) ? x_nop_sys : barrier(a->m);
    return true;
}

bool op_DMB(struct decode *dc, const struct args_DMB *a)
{
    dc->e->fn = barrier(a->m);
    return true;
}

bool op_ISB(struct decode *dc, const struct args_ISB *a)
{
    /* System register writes take effect at once in this engine, and stores to
     * code are seen immediately, so nothing needs synchronising. */
    dc->e->fn = x_nop_sys;
    return true;
}

bool op_SB(struct decode *dc, const struct args_SB *a)
{
    dc->e->fn = x_nop_sys;
    return true;
}

/* ---- PSTATE fields (MSR immediate) ------------------------------------------- */

enum { PS_SPSEL, PS_DAIFSET, PS_DAIFCLR, PS_UAO, PS_PAN, PS_SSBS, PS_DIT, PS_CFINV, PS_XAFLAG, PS_AXFLAG };

static struct dinsn *x_msr_pstate(struct run *r, struct dinsn *d, uint64_t n)
{
    struct cpu *cpu = r->cpu;
    uint64_t imm = d->imm;
    unsigned field = d->c0;
    if (r->el == 0) {
        switch (field) {
        case PS_DAIFSET: case PS_DAIFCLR:
            if (!(sctlr(r) & SCTLR_UMA))
                NEXT(engine_sys_trap(r, d, sys_iss(0, 3, 4, (unsigned)imm, d->c1, 31, false)));
            break;
        case PS_SPSEL: case PS_UAO: case PS_PAN:
            NEXT(engine_undef(r, d));
        default:
            break;
        }
    }
    switch (field) {
    case PS_SPSEL:
        engine_sync_out(r);
        cpu->pstate = (cpu->pstate & ~1ull) | (imm & 1);
        engine_sync_in(r);
        break;
    case PS_DAIFSET: cpu->pstate |= (imm & 0xf) << 6; break;
    case PS_DAIFCLR:
        cpu->pstate &= ~((imm & 0xf) << 6);
        if (unlikely(irq_now_pending(r)))
            NEXT(engine_irq_stop(r, pc_of(r, d) + 4));
        break;
    case PS_UAO: cpu->pstate = (cpu->pstate & ~PSTATE_UAO) | ((imm & 1) ? PSTATE_UAO : 0); break;
    case PS_PAN:
        cpu->pstate = (cpu->pstate & ~PSTATE_PAN) | ((imm & 1) ? PSTATE_PAN : 0);
        mmu_sync(r);             /* the TLB holds permissions for one PAN value */
        break;
    case PS_SSBS: cpu->pstate = (cpu->pstate & ~PSTATE_SSBS) | ((imm & 1) ? PSTATE_SSBS : 0); break;
    case PS_DIT: cpu->pstate = (cpu->pstate & ~PSTATE_DIT) | ((imm & 1) ? PSTATE_DIT : 0); break;
    case PS_CFINV: r->nzcv ^= PSTATE_C; break;
    case PS_XAFLAG: {
        /* Arm ARM XAFLAG: N = !C & !Z, Z = Z & C, C = C | Z, V = !C & Z. */
        uint32_t z = (r->nzcv >> 30) & 1, c = (r->nzcv >> 29) & 1;
        r->nzcv = ((uint32_t)(!c && !z) << 31) | ((uint32_t)(z && c) << 30) | ((uint32_t)(c || z) << 29) |
                  ((uint32_t)(!c && z) << 28);
        break;
    }
    case PS_AXFLAG: {
        /* AXFLAG: Z = Z | V, C = C & !V, N = V = 0. */
        uint32_t z = (r->nzcv >> 30) & 1, c = (r->nzcv >> 29) & 1, v = (r->nzcv >> 28) & 1;
        r->nzcv = ((uint32_t)(z || v) << 30) | ((uint32_t)(c && !v) << 29);
        break;
    }
    default:
        break;
    }
    NEXT(d + 1);
}

bool op_MSR_imm(struct decode *dc, const struct args_MSR_imm *a)
{
    unsigned field;
    uint64_t f = dc->features;
    unsigned key = (a->o << 3) | a->p;   /* op1:op2 */
    switch (key) {
    case 0x05: field = PS_SPSEL; break;
    case 0x1e: field = PS_DAIFSET; break;
    case 0x1f: field = PS_DAIFCLR; break;
    case 0x03: if (!(f & A64_FEAT_UAO)) return false; field = PS_UAO; break;
    case 0x04: if (!(f & A64_FEAT_PAN)) return false; field = PS_PAN; break;
    case 0x19: if (!(f & A64_FEAT_SSBS)) return false; field = PS_SSBS; break;
    case 0x1a: if (!(f & A64_FEAT_DIT)) return false; field = PS_DIT; break;
    case 0x00: if (!(f & A64_FEAT_FLAGM) || a->m) return false; field = PS_CFINV; break;
    case 0x01: if (!(f & A64_FEAT_FLAGM2) || a->m) return false; field = PS_XAFLAG; break;
    case 0x02: if (!(f & A64_FEAT_FLAGM2) || a->m) return false; field = PS_AXFLAG; break;
    default: return false;
    }
    dc->e->fn = x_msr_pstate;
    dc->e->c0 = (uint8_t)field;
    dc->e->c1 = (uint8_t)a->p;
    dc->e->imm = a->m;
    return true;
}

/* ---- SYS: cache / TLB / AT ----------------------------------------------------- */

enum { SY_NOP, SY_IC_IS, SY_IC_IVAU, SY_DC_EL0, SY_DC_ZVA, SY_AT, SY_RCTX, SY_DC_VA, SY_TLBI, SY_TLBI_BC };

/* AT S1E1R/W, S1E0R/W, S1E1RP/WP (crm 8 / 9, op2): PAR_EL1 as QEMU 7.2 writes
 * the 64-bit format: bit 11 (RES1) always set; success: PA[51:12], NS (bit 9,
 * Non-secure), SH[8:7] (Outer Shareable for Device and Normal Non-cacheable
 * memory, Arm ARM PAR_EL1.SH), ATTR[63:56] = MAIR attribute; failure: F = 1 and
 * FST[6:1] = the fault status (S = PTW = 0: no stage 2 here). A walk outside
 * the memslots is reported as a synchronous external abort on the walk
 * (FST 0x14 + level is not known: level 0 used). */
static uint64_t at_par(struct run *r, uint64_t va, unsigned crm, unsigned op2)
{
    unsigned acc = MMU_NOUPDATE | ((op2 & 1) ? MMU_WRITE : MMU_READ);
    if (crm == 8 && op2 >= 2)
        acc |= MMU_CTX_EL0;
    else if (crm == 9 && (r->cpu->pstate & PSTATE_PAN))
        acc |= MMU_CTX_PAN;
    struct mmu_out o;
    uint32_t f = mmu_translate(r, va, acc, &o);
    if (f)
        return (1ull << 11) | ((uint64_t)((f & MMU_F_WALK_EA) ? 0x14 : (f & 0x3f)) << 1) | 1;
    uint64_t sh = (!(o.attr & 0xf0) || o.attr == 0x44) ? 2 : o.sh;
    return (1ull << 11) | (o.pa & 0x000ffffffffff000ull) | (1ull << 9) | (sh << 7) | ((uint64_t)o.attr << 56);
}

/* DC by VA: a translation (no permission check): false and a data abort
 * (CM = 1, WnR = 1 as the Arm ARM reports cache maintenance) in *esr on a
 * fault. */
static bool dc_va_ok(struct run *r, uint64_t va, uint64_t *esr)
{
    struct mmu_out o;
    unsigned ctx = r->el ? 0 : MMU_CTX_EL0;
    uint32_t f = mmu_translate(r, va, MMU_READ | MMU_NOPERM | MMU_NOUPDATE | ctx, &o);
    if (!f)
        return true;
    *esr = mmu_fault_esr(r, f, true, false) | ((f & MMU_F_WALK_EA) ? 0 : 1u << 8);
    return false;
}

/* c0 = kind, c1 = op1, c2 = CRm, c3 = op2, d->m = CRn, d->d = Rt slot (read). */
static struct dinsn *x_sys(struct run *r, struct dinsn *d, uint64_t n)
{
    unsigned kind = d->c0;
    uint64_t va = r->x[d->d];
    mem_begin(r, d);        /* DC ZVA writes guest memory; AT and DC by VA walk the tables */
    if (r->el == 0) {
        bool ok;
        switch (kind) {
        case SY_IC_IVAU: case SY_DC_EL0: ok = sctlr(r) & SCTLR_UCI; break;
        case SY_DC_ZVA: ok = sctlr(r) & SCTLR_DZE; break;
        case SY_RCTX: ok = sctlr(r) & SCTLR_EnRCTX; break;
        default: NEXT(engine_undef(r, d));      /* EL1-only operation */
        }
        if (!ok)
            NEXT(engine_sys_trap(r, d, sys_iss(1, d->c1, d->m, d->c2, d->c3, d->d > 30 ? 31 : d->d, false)));
    }
    switch (kind) {
    case SY_IC_IS:
    case SY_IC_IVAU:
        /* Broadcast invalidation: other vCPUs drop their decoded code (this one
         * already saw its own stores to code). */
        if (r->env->code_gen) {
            uint64_t g = atomic_fetch_add(r->env->code_gen, 1);
            if (r->cache->code_gen_seen == g)
                r->cache->code_gen_seen = g + 1;   /* our own code is still valid */
        }
        break;
    case SY_DC_EL0:
    case SY_DC_VA: {
        uint64_t esr;
        if (r->mmu.on && !dc_va_ok(r, va, &esr))
            NEXT(engine_exception(r, esr, true, va, pc_of(r, d)));
        break;
    }
    case SY_TLBI_BC:
        /* Broadcast: the high half of the VM's code generation word tells
         * every other vCPU to forget its translations (run.c:refresh). */
        if (r->env->code_gen) {
            uint64_t g = atomic_fetch_add(r->env->code_gen, 1ull << 32);
            if (r->cache->code_gen_seen == g)
                r->cache->code_gen_seen = g + (1ull << 32);
        }
        /* fall through */
    case SY_TLBI:
        mmu_flush(r);
        NEXT(engine_lookup(r, pc_of(r, d) + 4));
    case SY_DC_ZVA: {
        uint64_t a = va & ~(uint64_t)(DCZ_BYTES - 1);
        uint8_t *p = mem_host_rw(r, a, DCZ_BYTES, true);
        if (!p)
            NEXT(engine_nisv_exit(r, d, a, DCZ_BYTES, true));
        static const uint8_t zeros[DCZ_BYTES];
        gmem_write(p, zeros, DCZ_BYTES);
        break;
    }
    case SY_AT:
        r->cpu->sys[SR_PAR_EL1] = at_par(r, va, d->c2, d->c3);
        break;
    default:
        break;
    }
    NEXT(d + 1);
}

bool op_SYS(struct decode *dc, const struct args_SYS *a)
{
    unsigned op1 = a->o, crn = a->n, crm = a->m, op2 = a->p, kind;
    if (crn == 7) {
        if (op1 == 0 && crm == 1 && op2 == 0)
            kind = SY_IC_IS;                               /* IC IALLUIS */
        else if (op1 == 0 && crm == 5 && op2 == 0)
            kind = SY_NOP;                                 /* IC IALLU */
        else if (op1 == 3 && crm == 5 && op2 == 1)
            kind = SY_IC_IVAU;
        else if (op1 == 0 && crm == 6 && op2 == 1)
            kind = SY_DC_VA;                               /* DC IVAC */
        else if (op1 == 0 && crm == 6 && op2 == 2)
            kind = SY_NOP;                                 /* DC ISW */
        else if (op1 == 0 && (crm == 10 || crm == 14) && op2 == 2)
            kind = SY_NOP;                                 /* DC CSW, DC CISW */
        else if (op1 == 3 && crm == 4 && op2 == 1)
            kind = SY_DC_ZVA;
        else if (op1 == 3 && (crm == 10 || crm == 11 || crm == 12 || crm == 13 || crm == 14) && op2 == 1)
            kind = SY_DC_EL0;                              /* DC CVAC CVAU CVAP CVADP CIVAC */
        else if (op1 == 0 && crm == 8 && op2 <= 3)
            kind = SY_AT;                                  /* AT S1E1R/W, S1E0R/W */
        else if (op1 == 0 && crm == 9 && op2 <= 1 && (dc->features & A64_FEAT_PAN))
            kind = SY_AT;                                  /* AT S1E1RP/WP */
        else if (op1 == 3 && crm == 3 && (op2 == 4 || op2 == 5 || op2 == 7) &&
                 (dc->features & A64_FEAT_SPECRES))
            kind = SY_RCTX;                                /* CFP, DVP, CPP RCTX */
        else
            return false;
    } else if (crn == 8 && op1 == 0 && (crm == 1 || crm == 2 || crm == 3 || crm == 5 || crm == 6 || crm == 7)) {
        /* TLBI (EL1 regime, incl. range/OS forms): CRm 1 OS, 2 range IS,
         * 3 IS, 5 range OS broadcast; 6 range, 7 local. */
        kind = (crm == 6 || crm == 7) ? SY_TLBI : SY_TLBI_BC;
    } else {
        return false;
    }
    struct dinsn *e = dc->e;
    e->fn = x_sys;
    e->c0 = (uint8_t)kind;
    e->c1 = (uint8_t)op1;
    e->c2 = (uint8_t)crm;
    e->c3 = (uint8_t)op2;
    e->m = (uint8_t)crn;
    e->d = slot_rz(a->t);
    return true;
}
