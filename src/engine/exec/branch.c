/*
 * branch.c - branches (Arm ARM C4.1.87): B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ,
 * BR, BLR, RET, ERET and the pointer-authenticated forms.
 *
 * Direct branches carry their target entry in d->link: filled at decode time
 * when the target is in the same page, on first execution otherwise (pages
 * are freed only all together, so the pointer stays valid). Register branches
 * go through the jump cache (engine_lookup).
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
    if (t != &r->stub)
        d->link = t;
    return t;
}

static inline struct dinsn *taken(struct run *r, struct dinsn *d)
{
    struct dinsn *t = d->link;
    return likely(t) ? t : resolve(r, d);
}

static struct dinsn *x_b(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(taken(r, d));
}

static struct dinsn *x_bl(struct run *r, struct dinsn *d, uint64_t n)
{
    r->x[30] = pc_of(r, d) + 4;
    NEXT(taken(r, d));
}

/* Next entry of a conditional branch. The link of a far target not resolved
 * yet is NULL: it is resolved (out of line) only when the branch is taken. */
static inline struct dinsn *pick(struct run *r, struct dinsn *d, bool cond)
{
    if (!cond)
        return d + 1;
    struct dinsn *t = d->link;
    return likely(t != NULL) ? t : resolve(r, d);
}

static struct dinsn *x_bcond(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, (d->h1 >> (r->nzcv >> 28)) & 1));
}

static struct dinsn *x_cbz_x(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, r->x[d->n] == 0));
}

static struct dinsn *x_cbnz_x(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, r->x[d->n] != 0));
}

static struct dinsn *x_cbz_w(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, (uint32_t)r->x[d->n] == 0));
}

static struct dinsn *x_cbnz_w(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, (uint32_t)r->x[d->n] != 0));
}

static struct dinsn *x_tbz(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, !((r->x[d->n] >> d->c0) & 1)));
}

static struct dinsn *x_tbnz(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(pick(r, d, (r->x[d->n] >> d->c0) & 1));
}

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

static bool direct(struct decode *dc, exec_fn fn, uint64_t target)
{
    struct dinsn *e = dc->e;
    e->fn = fn;
    e->imm = target;
    e->link = decode_link(dc, target);
    return true;
}

bool op_B(struct decode *dc, const struct args_B *a)
{
    return direct(dc, x_b, dc->pc + (sext(a->i, 26) << 2));
}

bool op_BL(struct decode *dc, const struct args_BL *a)
{
    return direct(dc, x_bl, dc->pc + (sext(a->i, 26) << 2));
}

bool op_B_cond(struct decode *dc, const struct args_B_cond *a)
{
    dc->e->c0 = (uint8_t)a->c;
    dc->e->h1 = cond_tab[a->c];
    if (a->c >= 14)
        return direct(dc, x_b, dc->pc + (sext(a->i, 19) << 2));   /* AL, NV: always */
    return direct(dc, x_bcond, dc->pc + (sext(a->i, 19) << 2));
}

bool op_CBZ(struct decode *dc, const struct args_CBZ *a)
{
    dc->e->n = slot_rz(a->t);
    return direct(dc, a->z ? x_cbz_x : x_cbz_w, dc->pc + (sext(a->i, 19) << 2));
}

bool op_CBNZ(struct decode *dc, const struct args_CBNZ *a)
{
    dc->e->n = slot_rz(a->t);
    return direct(dc, a->z ? x_cbnz_x : x_cbnz_w, dc->pc + (sext(a->i, 19) << 2));
}

bool op_TBZ(struct decode *dc, const struct args_TBZ *a)
{
    dc->e->n = slot_rz(a->t);
    dc->e->c0 = (uint8_t)a->b;
    return direct(dc, x_tbz, dc->pc + (sext(a->i, 14) << 2));
}

bool op_TBNZ(struct decode *dc, const struct args_TBNZ *a)
{
    dc->e->n = slot_rz(a->t);
    dc->e->c0 = (uint8_t)a->b;
    return direct(dc, x_tbnz, dc->pc + (sext(a->i, 14) << 2));
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
