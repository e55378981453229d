/*
 * ldst.c - general-register loads and stores (Arm ARM C4.1.88): literal,
 * register pair (offset / pre / post / no-allocate), single register with
 * unscaled, unprivileged, pre-index, post-index, register-offset and
 * unsigned-offset addressing; PRFM/PRFUM as no-ops.
 *
 * One handler per (size and extension, addressing mode), generated below.
 * The common access is: compute the address, one TLB compare, memcpy to/from
 * the host page. Anything else goes to mem.c; outside RAM the access becomes
 * an MMIO exit when it has a valid syndrome - a single register, no writeback
 * (spec 4.3) - and an NISV exit otherwise (pairs, pre/post-index).
 */
#include "engine/exec/alu.h"
#include "a64_args.h"

/* ---- SP alignment wrapper (also used by atomic.c and fpsimd.c) ---------- */

static struct dinsn *x_spcheck(struct run *r, struct dinsn *d, uint64_t n)
{
    if (unlikely(r->x[R_SP] & r->sp_align))
        NEXT(engine_sp_align_fault(r, d));
    return d->fn2(r, d, n);
}

void decode_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn)
{
    struct dinsn *e = dc->e;
    e->n = slot_sp(rn);
    if (rn == 31) {
        e->fn = x_spcheck;
        e->fn2 = fn;
    } else {
        e->fn = fn;
    }
}

static struct dinsn *x_nop(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(d + 1);
}

/* ---- single register ----------------------------------------------------- */

enum { MODE_IMM, MODE_PRE, MODE_POST, MODE_LSL, MODE_EXT, NMODES, MODE_LIT = MODE_IMM };
enum { OP_ST8, OP_ST16, OP_ST32, OP_ST64, OP_LD8, OP_LD16, OP_LD32, OP_LD64,
       OP_LDSB64, OP_LDSB32, OP_LDSH64, OP_LDSH32, OP_LDSW, NOPS, OP_PRFM = 100, OP_BAD = 101 };

/* Per operation: bytes, extension (0 none, 1 sign to 64, 2 sign to 32), X destination. */
static const struct { uint8_t size, ext, sf; } opinfo[NOPS] = {
    { 1, 0, 0 }, { 2, 0, 0 }, { 4, 0, 0 }, { 8, 0, 1 },
    { 1, 0, 0 }, { 2, 0, 0 }, { 4, 0, 0 }, { 8, 0, 1 },
    { 1, 1, 1 }, { 1, 2, 0 }, { 2, 1, 1 }, { 2, 2, 0 }, { 4, 1, 1 },
};

/* Everything but a TLB hit: RAM through the memslots (and TLB refill), or an
 * exit. Kept out of line (and continuing the chain itself) so that the
 * handlers' fast path needs no stack frame and ends in a tail call. */
static __attribute__((noinline)) struct dinsn *ldst_slow(struct run *r, struct dinsn *d, uint64_t a, unsigned op,
                                                         unsigned mode, uint64_t n)
{
    unsigned s = opinfo[op].size;
    bool isv = mode != MODE_PRE && mode != MODE_POST;
    if (op <= OP_ST64) {
        uint64_t v = r->x[d->d];
        if (!mem_write_slow(r, a, s, &v))
            NEXT(isv ? engine_mmio_exit(r, d, a, s, true, v, d->d, false, s == 8)
                       : engine_nisv_exit(r, d, a, s, true));
    } else {
        uint64_t v = 0;
        if (!mem_read_slow(r, a, s, &v))
            NEXT(isv ? engine_mmio_exit(r, d, a, s, false, 0, d->d, opinfo[op].ext != 0, opinfo[op].sf)
                       : engine_nisv_exit(r, d, a, s, false));
        if (opinfo[op].ext) {
            v = sext(v, 8 * s);
            if (opinfo[op].ext == 2)
                v = (uint32_t)v;
        }
        r->x[d->d] = v;
    }
    if (mode == MODE_PRE)
        r->x[d->n] = a;
    else if (mode == MODE_POST)
        r->x[d->n] = a + d->imm;
    NEXT(d + 1);
}

/* Address computation per mode; WB_* is the base writeback. */
#define ADDR_IMM   (r->x[d->n] + d->imm)
#define ADDR_PRE   (r->x[d->n] + d->imm)
#define ADDR_POST  (r->x[d->n])
#define ADDR_LSL   (r->x[d->n] + (r->x[d->m] << d->c1))
#define ADDR_EXT   (r->x[d->n] + extend_reg(r->x[d->m], d->c0, d->c1))
#define ADDR_LIT   (d->imm)
#define WB_IMM
#define WB_PRE     r->x[d->n] = a;
#define WB_POST    r->x[d->n] = a + d->imm;
#define WB_LSL
#define WB_EXT
#define WB_LIT

#define CV_Z(v)   ((uint64_t)(v))
#define CV_SB64(v) ((uint64_t)(int64_t)(int8_t)(v))
#define CV_SB32(v) ((uint64_t)(uint32_t)(int32_t)(int8_t)(v))
#define CV_SH64(v) ((uint64_t)(int64_t)(int16_t)(v))
#define CV_SH32(v) ((uint64_t)(uint32_t)(int32_t)(int16_t)(v))
#define CV_SW64(v) ((uint64_t)(int64_t)(int32_t)(v))

#define DEF_LD(NAME, OP, MODE, S, UT, CV)                                        \
    static struct dinsn *x_##NAME##_##MODE(struct run *r, struct dinsn *d, uint64_t n)       \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = ADDR_##MODE;                                                \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_r(t, a, S)))                                       \
            return ldst_slow(r, d, a, OP, MODE_##MODE, n);                        \
        UT v;                                                                    \
        gmem_read(&v, tlb_host(t, a), S);                                           \
        r->x[d->d] = CV(v);                                                      \
        WB_##MODE                                                                \
        NEXT(d + 1);                                                            \
    }

#define DEF_ST(NAME, OP, MODE, S, UT)                                            \
    static struct dinsn *x_##NAME##_##MODE(struct run *r, struct dinsn *d, uint64_t n)       \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = ADDR_##MODE;                                                \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_w(t, a, S)))                                       \
            return ldst_slow(r, d, a, OP, MODE_##MODE, n);                        \
        UT v = (UT)r->x[d->d];                                                   \
        gmem_write(tlb_host(t, a), &v, S);                                           \
        WB_##MODE                                                                \
        NEXT(d + 1);                                                            \
    }

#define DEF_ALL_MODES_LD(NAME, OP, S, UT, CV)                                    \
    DEF_LD(NAME, OP, IMM, S, UT, CV) DEF_LD(NAME, OP, PRE, S, UT, CV)            \
    DEF_LD(NAME, OP, POST, S, UT, CV) DEF_LD(NAME, OP, LSL, S, UT, CV)           \
    DEF_LD(NAME, OP, EXT, S, UT, CV)
#define DEF_ALL_MODES_ST(NAME, OP, S, UT)                                        \
    DEF_ST(NAME, OP, IMM, S, UT) DEF_ST(NAME, OP, PRE, S, UT) DEF_ST(NAME, OP, POST, S, UT) \
    DEF_ST(NAME, OP, LSL, S, UT) DEF_ST(NAME, OP, EXT, S, UT)

DEF_ALL_MODES_ST(st8, OP_ST8, 1, uint8_t)
DEF_ALL_MODES_ST(st16, OP_ST16, 2, uint16_t)
DEF_ALL_MODES_ST(st32, OP_ST32, 4, uint32_t)
DEF_ALL_MODES_ST(st64, OP_ST64, 8, uint64_t)
DEF_ALL_MODES_LD(ld8, OP_LD8, 1, uint8_t, CV_Z)
DEF_ALL_MODES_LD(ld16, OP_LD16, 2, uint16_t, CV_Z)
DEF_ALL_MODES_LD(ld32, OP_LD32, 4, uint32_t, CV_Z)
DEF_ALL_MODES_LD(ld64, OP_LD64, 8, uint64_t, CV_Z)
DEF_ALL_MODES_LD(ldsb64, OP_LDSB64, 1, uint8_t, CV_SB64)
DEF_ALL_MODES_LD(ldsb32, OP_LDSB32, 1, uint8_t, CV_SB32)
DEF_ALL_MODES_LD(ldsh64, OP_LDSH64, 2, uint16_t, CV_SH64)
DEF_ALL_MODES_LD(ldsh32, OP_LDSH32, 2, uint16_t, CV_SH32)
DEF_ALL_MODES_LD(ldsw, OP_LDSW, 4, uint32_t, CV_SW64)
DEF_LD(ld32, OP_LD32, LIT, 4, uint32_t, CV_Z)
DEF_LD(ld64, OP_LD64, LIT, 8, uint64_t, CV_Z)
DEF_LD(ldsw, OP_LDSW, LIT, 4, uint32_t, CV_SW64)

#define ROW(NAME) { x_##NAME##_IMM, x_##NAME##_PRE, x_##NAME##_POST, x_##NAME##_LSL, x_##NAME##_EXT }
static const exec_fn ldst_tab[NOPS][NMODES] = {
    ROW(st8), ROW(st16), ROW(st32), ROW(st64), ROW(ld8), ROW(ld16), ROW(ld32), ROW(ld64),
    ROW(ldsb64), ROW(ldsb32), ROW(ldsh64), ROW(ldsh32), ROW(ldsw),
};

/* Arm ARM C4.1.88 "Load/store register": size:opc -> operation. */
static unsigned ldst_op(unsigned size, unsigned opc)
{
    static const unsigned char t[4][4] = {
        { OP_ST8, OP_LD8, OP_LDSB64, OP_LDSB32 },
        { OP_ST16, OP_LD16, OP_LDSH64, OP_LDSH32 },
        { OP_ST32, OP_LD32, OP_LDSW, OP_BAD },
        { OP_ST64, OP_LD64, OP_PRFM, OP_BAD },
    };
    return t[size][opc];
}

static bool is_load(unsigned op)
{
    return op >= OP_LD8;
}

static bool single(struct decode *dc, unsigned size, unsigned opc, unsigned mode, uint64_t imm, uint32_t rn,
                   uint32_t rt, bool prfm_ok)
{
    unsigned op = ldst_op(size, opc);
    struct dinsn *e = dc->e;
    if (op == OP_BAD)
        return false;
    if (op == OP_PRFM) {
        if (!prfm_ok)
            return false;
        e->fn = x_nop;
        return true;
    }
    e->imm = imm;
    e->d = is_load(op) ? slot_wz(rt) : slot_rz(rt);
    decode_mem_fn(dc, ldst_tab[op][mode], rn);
    return true;
}

/* LDTR/STTR (Arm ARM C6.2 LDTR): at EL1 with the MMU on and PSTATE.UAO
 * clear, the permission check is EL0's; otherwise a plain LDUR/STUR. The
 * EL0-context access never fills the TLB (mem.c), so it takes the slow path
 * every time: rare instructions (copy_{to,from}_user). c0 = operation. */
#define PSTATE_UAO (1ull << 23)
static struct dinsn *x_ldst_unpriv(struct run *r, struct dinsn *d, uint64_t n)
{
    unsigned op = d->c0;
    mem_begin(r, d);
    if (!(r->mmu.ctx & MMU_CTX_ON) || r->el == 0 || (r->cpu->pstate & PSTATE_UAO))
        return ldst_tab[op][MODE_IMM](r, d, n);
    uint64_t a = r->x[d->n] + d->imm;
    unsigned s = opinfo[op].size;
    if (op <= OP_ST64) {
        uint64_t v = r->x[d->d];
        if (!mem_write_as(r, a, s, &v, MMU_CTX_EL0))
            NEXT(engine_mmio_exit(r, d, a, s, true, v, d->d, false, s == 8));
    } else {
        uint64_t v = 0;
        if (!mem_read_as(r, a, s, &v, MMU_CTX_EL0))
            NEXT(engine_mmio_exit(r, d, a, s, false, 0, d->d, opinfo[op].ext != 0, opinfo[op].sf));
        if (opinfo[op].ext) {
            v = sext(v, 8 * s);
            if (opinfo[op].ext == 2)
                v = (uint32_t)v;
        }
        r->x[d->d] = v;
    }
    NEXT(d + 1);
}

bool op_LDST_unscaled(struct decode *dc, const struct args_LDST_unscaled *a)
{
    return single(dc, a->z, a->o, MODE_IMM, sext(a->i, 9), a->n, a->t, true);
}

bool op_LDST_unpriv(struct decode *dc, const struct args_LDST_unpriv *a)
{
    /* Unprivileged only changes the permission check of stage 1. */
    if (!single(dc, a->z, a->o, MODE_IMM, sext(a->i, 9), a->n, a->t, false))
        return false;
    unsigned op = ldst_op(a->z, a->o);
    struct dinsn *e = dc->e;
    e->c0 = (uint8_t)op;
    if (e->fn == ldst_tab[op][MODE_IMM])
        e->fn = x_ldst_unpriv;
    else
        e->fn2 = x_ldst_unpriv;  /* behind the SP alignment check */
    return true;
}

bool op_LDST_pre(struct decode *dc, const struct args_LDST_pre *a)
{
    return single(dc, a->z, a->o, MODE_PRE, sext(a->i, 9), a->n, a->t, false);
}

bool op_LDST_post(struct decode *dc, const struct args_LDST_post *a)
{
    return single(dc, a->z, a->o, MODE_POST, sext(a->i, 9), a->n, a->t, false);
}

bool op_LDST_uimm(struct decode *dc, const struct args_LDST_uimm *a)
{
    return single(dc, a->z, a->o, MODE_IMM, (uint64_t)a->i << a->z, a->n, a->t, true);
}

bool op_LDST_roff(struct decode *dc, const struct args_LDST_roff *a)
{
    if (!(a->x & 2))
        return false;                              /* option<1> = 0 is unallocated */
    struct dinsn *e = dc->e;
    e->m = slot_rz(a->m);
    e->c0 = (uint8_t)a->x;
    e->c1 = (uint8_t)(a->S ? a->z : 0);
    return single(dc, a->z, a->o, a->x == 3 ? MODE_LSL : MODE_EXT, 0, a->n, a->t, true);
}

bool op_LDR_lit(struct decode *dc, const struct args_LDR_lit *a)
{
    static const exec_fn fns[3] = { x_ld32_LIT, x_ld64_LIT, x_ldsw_LIT };
    struct dinsn *e = dc->e;
    if (a->o == 3) {
        e->fn = x_nop;                             /* PRFM (literal) */
        return true;
    }
    e->fn = fns[a->o];
    e->d = slot_wz(a->t);
    e->imm = dc->pc + (sext(a->i, 19) << 2);
    return true;
}

/* ---- pairs ------------------------------------------------------------------- */

enum { P_OFF, P_PRE, P_POST };
enum { PK_STP32, PK_STP64, PK_LDP32, PK_LDP64, PK_LDPSW };

/* Slow path of a pair: both halves as one access (all or nothing). No valid
 * syndrome outside RAM (spec 4.3): an NISV exit. */
static __attribute__((noinline)) struct dinsn *pair_slow(struct run *r, struct dinsn *d, uint64_t a, unsigned kind,
                                                         unsigned mode, uint64_t n)
{
    unsigned s = (kind == PK_STP64 || kind == PK_LDP64) ? 8 : 4;
    uint8_t buf[16];
    if (kind <= PK_STP64) {
        uint64_t v1 = r->x[d->d], v2 = r->x[d->a];
        memcpy(buf, &v1, s);
        memcpy(buf + s, &v2, s);
        if (!mem_write_slow(r, a, 2 * s, buf))
            NEXT(engine_nisv_exit(r, d, a, 2 * s, true));
    } else {
        if (!mem_read_slow(r, a, 2 * s, buf))
            NEXT(engine_nisv_exit(r, d, a, 2 * s, false));
        uint64_t v1 = 0, v2 = 0;
        memcpy(&v1, buf, s);
        memcpy(&v2, buf + s, s);
        if (kind == PK_LDPSW) {
            v1 = sext(v1, 32);
            v2 = sext(v2, 32);
        }
        r->x[d->d] = v1;
        r->x[d->a] = v2;
    }
    if (mode == P_PRE)
        r->x[d->n] = a;
    else if (mode == P_POST)
        r->x[d->n] = a + d->imm;
    NEXT(d + 1);
}

#define PADDR_OFF  (r->x[d->n] + d->imm)
#define PADDR_PRE  (r->x[d->n] + d->imm)
#define PADDR_POST (r->x[d->n])
#define PWB_OFF
#define PWB_PRE    r->x[d->n] = a;
#define PWB_POST   r->x[d->n] = a + d->imm;

#define DEF_LDP(NAME, KIND, MODE, S, UT, CV)                                     \
    static struct dinsn *x_##NAME##_##MODE(struct run *r, struct dinsn *d, uint64_t n)       \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = PADDR_##MODE;                                               \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_r(t, a, 2 * S)))                                   \
            return pair_slow(r, d, a, KIND, P_##MODE, n);                         \
        const uint8_t *p = tlb_host(t, a);                                       \
        UT v1, v2;                                                               \
        gmem_read(&v1, p, S);                                                    \
        gmem_read(&v2, p + S, S);                                                \
        r->x[d->d] = CV(v1);                                                     \
        r->x[d->a] = CV(v2);                                                     \
        PWB_##MODE                                                               \
        NEXT(d + 1);                                                            \
    }

#define DEF_STP(NAME, KIND, MODE, S, UT)                                         \
    static struct dinsn *x_##NAME##_##MODE(struct run *r, struct dinsn *d, uint64_t n)       \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = PADDR_##MODE;                                               \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_w(t, a, 2 * S)))                                   \
            return pair_slow(r, d, a, KIND, P_##MODE, n);                         \
        uint8_t *p = tlb_host(t, a);                                             \
        UT v1 = (UT)r->x[d->d], v2 = (UT)r->x[d->a];                             \
        gmem_write(p, &v1, S);                                                   \
        gmem_write(p + S, &v2, S);                                               \
        PWB_##MODE                                                               \
        NEXT(d + 1);                                                            \
    }

#define DEF_PAIR_MODES(DEF, NAME, KIND, ...)                                     \
    DEF(NAME, KIND, OFF, __VA_ARGS__) DEF(NAME, KIND, PRE, __VA_ARGS__) DEF(NAME, KIND, POST, __VA_ARGS__)

DEF_PAIR_MODES(DEF_LDP, ldp32, PK_LDP32, 4, uint32_t, CV_Z)
DEF_PAIR_MODES(DEF_LDP, ldp64, PK_LDP64, 8, uint64_t, CV_Z)
DEF_PAIR_MODES(DEF_LDP, ldpsw, PK_LDPSW, 4, uint32_t, CV_SW64)
DEF_PAIR_MODES(DEF_STP, stp32, PK_STP32, 4, uint32_t)
DEF_PAIR_MODES(DEF_STP, stp64, PK_STP64, 8, uint64_t)

bool op_LDSTP(struct decode *dc, const struct args_LDSTP *a)
{
    static const exec_fn tab[5][3] = {
        { x_stp32_OFF, x_stp32_PRE, x_stp32_POST },
        { x_stp64_OFF, x_stp64_PRE, x_stp64_POST },
        { x_ldp32_OFF, x_ldp32_PRE, x_ldp32_POST },
        { x_ldp64_OFF, x_ldp64_PRE, x_ldp64_POST },
        { x_ldpsw_OFF, x_ldpsw_PRE, x_ldpsw_POST },
    };
    unsigned kind;
    if (a->o == 3)
        return false;
    if (a->o == 1) {
        if (!a->L || a->p == 0)
            return false;                          /* STGP (MTE), LDNP of a signed pair */
        kind = 4;
    } else {
        kind = (a->L ? 2 : 0) + (a->o >> 1);
    }
    unsigned mode = a->p == 3 ? 1 : a->p == 1 ? 2 : 0;   /* 00 no-alloc, 10 offset: OFF */
    struct dinsn *e = dc->e;
    unsigned scale = a->o == 2 ? 3 : 2;
    e->imm = sext(a->i, 7) << scale;
    e->d = a->L ? slot_wz(a->t) : slot_rz(a->t);
    e->a = a->L ? slot_wz(a->a) : slot_rz(a->a);
    decode_mem_fn(dc, tab[kind][mode], a->n);
    return true;
}
