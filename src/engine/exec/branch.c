/*
 * branch.c - branches (Arm ARM C4.1.87): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ,
 * BR, BLR, RET, ERET and the pointer-authenticated forms.
 *
 * Direct branches carry their target entry in d->link. A target in the same
 * page is linked at decode time and followed without checks (the page was
 * checked when execution entered it). A target in another page is linked on
 * first execution (pages are freed only all together, so the pointer stays
 * valid) and followed only while that page is valid in the current stamp
 * (far_link_ok: a TLBI, an EL change with the MMU on, or the VMM's writes to
 * guest memory may have changed what runs there); else it is looked up
 * again. Each direct branch has a near and a far handler for that reason.
 * Register branches go through the jump cache (engine_lookup).
 */
#include "engine/exec/alu.h"
#include "a64_args.h"

#define PSTATE_SSBS  (1ull << 12)
#define PSTATE_BTYPE (3ull << 10)
#define PSTATE_PAN   (1ull << 22)
#define PSTATE_UAO   (1ull << 23)
#define PSTATE_DIT   (1ull << 24)

static __attribute__((noinline)) struct dinsn *resolve(struct run *r, struct dinsn *d)
{
    struct dinsn *t = engine_lookup(r, d->imm);
    d->link = t != &r->stub ? t : NULL;
    return t;
}

static inline struct dinsn *far(struct run *r, struct dinsn *d)
{
    struct dinsn *t = far_link_ok(r, d->link);
    return likely(t != NULL) ? t : resolve(r, d);
}

static struct dinsn *x_b(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(d->link);
}

static struct dinsn *x_b_far(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(far(r, d));
}

static struct dinsn *x_bl(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[30] = pc_of(r, d) + 4;
    NEXT(d->link);
}

static struct dinsn *x_bl_far(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[30] = pc_of(r, d) + 4;
    NEXT(far(r, d));
}

/* Conditional branches: x_NAME (same-page target) and x_NAME_far. */
#define COND_BRANCH(name, cond)                                                    \
    static struct dinsn *x_##name(struct run *r, struct dinsn *d, uint64_t n)     \
    {                                                                              \
        NEXT((cond) ? d->link : d + 1);                                            \
    }                                                                              \
    static struct dinsn *x_##name##_far(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                              \
        NEXT((cond) ? far(r, d) : d + 1);                                          \
    }

COND_BRANCH(bcond, (d->h1 >> (r->nzcv >> 28)) & 1)
COND_BRANCH(cbz_x, r->x[d->n] == 0)
COND_BRANCH(cbnz_x, r->x[d->n] != 0)
COND_BRANCH(cbz_w, (uint32_t)r->x[d->n] == 0)
COND_BRANCH(cbnz_w, (uint32_t)r->x[d->n] != 0)
COND_BRANCH(tbz, !((r->x[d->n] >> d->c0) & 1))
COND_BRANCH(tbnz, (r->x[d->n] >> d->c0) & 1)

static struct dinsn *x_br(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(engine_lookup(r, r->x[d->n]));
}

static struct dinsn *x_blr(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t target = r->x[d->n];
    r->x[30] = pc_of(r, d) + 4;
    NEXT(engine_lookup(r, target));
}

/* Arm ARM AArch64.ExceptionReturn / IllegalExceptionReturn. */
static bool spsr_illegal(uint64_t spsr, unsigned cur_el)
{
    if (spsr & PSTATE_nRW)
        return true;                       /* AArch32 is not implemented */
    unsigned el = (unsigned)(spsr >> 2) & 3;
    if (el > cur_el)
        return true;
    if (el == 0 && (spsr & 1))
        return true;                       /* EL0 with SP_ELx does not exist */
    return false;
}

static struct dinsn *x_eret(struct run *r, struct dinsn *d, uint64_t n)
{
    if (r->el == 0)
        NEXT(engine_undef(r, d));
    struct cpu *cpu = r->cpu;
    engine_sync_out(r);
    uint64_t spsr = cpu->spsr[0], elr = cpu->elr_el1;
    uint64_t keep = PSTATE_NZCV | PSTATE_DAIF | PSTATE_SS | PSTATE_IL | PSTATE_PAN | PSTATE_UAO |
                    PSTATE_DIT | PSTATE_SSBS | PSTATE_BTYPE;
    uint64_t ps = spsr & keep;
    if (spsr_illegal(spsr, r->el))
        ps = (ps & ~(uint64_t)PSTATE_M) | (cpu->pstate & PSTATE_M) | PSTATE_IL;
    else
        ps |= spsr & PSTATE_M;
    cpu->pstate = ps;
    cpu->pc = elr;
    engine_sync_in(r);
    r->mon.valid = false;
    /* PSTATE.IL set: the first instruction at ELR takes the Illegal Execution
     * State exception (EC 0x0e) before executing; SPSR records IL = 1. */
    if (ps & PSTATE_IL)
        NEXT(engine_exception(r, ((uint64_t)EC_ILLEGAL << 26) | ESR_IL, false, 0, elr));
    if (unlikely(irq_now_pending(r)))
        NEXT(engine_irq_stop(r, elr));
    NEXT(engine_lookup(r, elr));
}

/* ---- decode -------------------------------------------------------------- */

static bool direct(struct decode *dc, exec_fn near, exec_fn far_fn, uint64_t target)
{
    struct dinsn *e = dc->e;
    e->imm = target;
    e->link = decode_link(dc, target);
    e->fn = e->link ? near : far_fn;
    return true;
}

#define DIRECT(dc, name, target) direct(dc, x_##name, x_##name##_far, target)

bool op_B(struct decode *dc, const struct args_B *a)
{
    return DIRECT(dc, b, dc->pc + (sext(a->i, 26) << 2));
}

bool op_BL(struct decode *dc, const struct args_BL *a)
{
    return DIRECT(dc, bl, dc->pc + (sext(a->i, 26) << 2));
}

bool op_B_cond(struct decode *dc, const struct args_B_cond *a)
{
    dc->e->c0 = (uint8_t)a->c;
    dc->e->h1 = cond_tab[a->c];
    if (a->c >= 14)
        return DIRECT(dc, b, dc->pc + (sext(a->i, 19) << 2));   /* AL, NV: always */
    return DIRECT(dc, bcond, dc->pc + (sext(a->i, 19) << 2));
}

bool op_CBZ(struct decode *dc, const struct args_CBZ *a)
{
    dc->e->n = slot_rz(a->t);
    uint64_t target = dc->pc + (sext(a->i, 19) << 2);
    return a->z ? DIRECT(dc, cbz_x, target) : DIRECT(dc, cbz_w, target);
}

bool op_CBNZ(struct decode *dc, const struct args_CBNZ *a)
{
    dc->e->n = slot_rz(a->t);
    uint64_t target = dc->pc + (sext(a->i, 19) << 2);
    return a->z ? DIRECT(dc, cbnz_x, target) : DIRECT(dc, cbnz_w, target);
}

bool op_TBZ(struct decode *dc, const struct args_TBZ *a)
{
    dc->e->n = slot_rz(a->t);
    dc->e->c0 = (uint8_t)a->b;
    return DIRECT(dc, tbz, dc->pc + (sext(a->i, 14) << 2));
}

bool op_TBNZ(struct decode *dc, const struct args_TBNZ *a)
{
    dc->e->n = slot_rz(a->t);
    dc->e->c0 = (uint8_t)a->b;
    return DIRECT(dc, tbnz, dc->pc + (sext(a->i, 14) << 2));
}

bool op_BR(struct decode *dc, const struct args_BR *a)
{
    dc->e->fn = x_br;
    dc->e->n = slot_rz(a->n);
    return true;
}

bool op_BLR(struct decode *dc, const struct args_BLR *a)
{
    dc->e->fn = x_blr;
    dc->e->n = slot_rz(a->n);
    return true;
}

bool op_RET(struct decode *dc, const struct args_RET *a)
{
    dc->e->fn = x_br;
    dc->e->n = slot_rz(a->n);
    return true;
}

bool op_ERET(struct decode *dc, const struct args_ERET *a)
{
    dc->e->fn = x_eret;
    return true;
}

/* Authenticated branches: with the null-PAC model (dp_reg.c) authentication
 * always succeeds, so they branch like their plain forms. */
bool op_BRA(struct decode *dc, const struct args_BRA *a)
{
    if (!a->z && a->m != 31)
        return false;
    dc->e->fn = x_br;
    dc->e->n = slot_rz(a->n);
    return true;
}

bool op_BLRA(struct decode *dc, const struct args_BLRA *a)
{
    if (!a->z && a->m != 31)
        return false;
    dc->e->fn = x_blr;
    dc->e->n = slot_rz(a->n);
    return true;
}

bool op_RETA(struct decode *dc, const struct args_RETA *a)
{
    dc->e->fn = x_br;
    dc->e->n = 30;
    return true;
}

bool op_ERETA(struct decode *dc, const struct args_ERETA *a)
{
    dc->e->fn = x_eret;
    return true;
}
