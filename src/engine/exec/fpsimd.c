/*
 * fpsimd.c - the SIMD&FP instructions integer code uses: loads and stores of
 * B/H/S/D/Q registers (all addressing modes, pairs, literal), MOVI/MVNI/ORR/
 * BIC/FMOV (vector immediate), DUP, INS, UMOV, SMOV, the three-same logical
 * group (AND..BIF, MOV alias), FMOV between registers, from/to general
 * registers and from immediates. The arithmetic is in fp_scalar.c and the
 * simd_*.c files; encodings no row claims reach x_fp_unimpl (decode.c).
 *
 * Every handler first applies the CPACR_EL1.FPEN trap (EC 0x07). A write of an
 * FP/SIMD register zeroes bits above the written width up to bit 127, and,
 * on a vCPU with SVE, the Z register bits above 127 (Arm ARM: AdvSIMD writes
 * are zero-extended to the vector length). Outside RAM every access here is an
 * NISV exit: SIMD&FP accesses have no valid syndrome (spec 4.3).
 */
#include "engine/exec/alu.h"
#include "a64_args.h"

/* FP_CHECK before the SP alignment check: the FPEN trap has priority. */
static struct dinsn *x_fp_spcheck(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    if (unlikely(r->x[R_SP] & r->sp_align))
        NEXT(engine_sp_align_fault(r, d));
    return d->fn2(r, d, n);
}

void fp_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn)
{
    struct dinsn *e = dc->e;
    e->n = slot_sp(rn);
    if (rn == 31) {
        e->fn = x_fp_spcheck;
        e->fn2 = fn;
    } else {
        e->fn = fn;
    }
}

/* ---- loads and stores ------------------------------------------------------ */

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

enum { FK_LD, FK_ST, FK_LDP, FK_STP };

/* Everything but a TLB hit (out of line, continuing the chain itself: the
 * handlers' fast path keeps no stack frame). No valid syndrome for SIMD&FP
 * accesses outside RAM: NISV exit. */
static __attribute__((noinline)) struct dinsn *fp_slow(struct run *r, struct dinsn *d, uint64_t a, unsigned s,
                                                       unsigned kind, unsigned wb, uint64_t n)
{
    uint8_t buf[32];
    unsigned len = kind >= FK_LDP ? 2 * s : s;
    if (kind == FK_ST || kind == FK_STP) {
        memcpy(buf, vreg(r, d->d), s);
        if (kind == FK_STP)
            memcpy(buf + s, vreg(r, d->a), s);
        if (!mem_write_slow(r, a, len, buf))
            NEXT(engine_nisv_exit(r, d, a, len, true));
    } else {
        if (!mem_read_slow(r, a, len, buf))
            NEXT(engine_nisv_exit(r, d, a, len, false));
        vset(r, d->d, buf, s);
        if (kind == FK_LDP)
            vset(r, d->a, buf + s, s);
    }
    if (wb == 1)
        r->x[d->n] = a;
    else if (wb == 2)
        r->x[d->n] = a + d->imm;
    NEXT(d + 1);
}

#define WBK_IMM 0
#define WBK_PRE 1
#define WBK_POST 2
#define WBK_LSL 0
#define WBK_EXT 0
#define WBK_LIT 0

#define DEF_FLD(S, MODE)                                                         \
    static struct dinsn *x_fld##S##_##MODE(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                            \
        FP_CHECK(r, d);                                                          \
        mem_begin(r, d);                                                         \
        uint64_t a = ADDR_##MODE;                                                \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_r(t, a, S)))                                       \
            return fp_slow(r, d, a, S, FK_LD, WBK_##MODE, n);                    \
        uint8_t tmp[S];                                                          \
        gmem_read(tmp, tlb_host(t, a), S);                                       \
        vset(r, d->d, tmp, S);                                                   \
        WB_##MODE                                                                \
        NEXT(d + 1);                                                             \
    }
#define DEF_FST(S, MODE)                                                         \
    static struct dinsn *x_fst##S##_##MODE(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                            \
        FP_CHECK(r, d);                                                          \
        mem_begin(r, d);                                                         \
        uint64_t a = ADDR_##MODE;                                                \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_w(t, a, S)))                                       \
            return fp_slow(r, d, a, S, FK_ST, WBK_##MODE, n);                    \
        gmem_write(tlb_host(t, a), vreg(r, d->d), S);                            \
        WB_##MODE                                                                \
        NEXT(d + 1);                                                             \
    }
#define DEF_FALL(S)                                                              \
    DEF_FLD(S, IMM) DEF_FLD(S, PRE) DEF_FLD(S, POST) DEF_FLD(S, LSL) DEF_FLD(S, EXT) \
    DEF_FST(S, IMM) DEF_FST(S, PRE) DEF_FST(S, POST) DEF_FST(S, LSL) DEF_FST(S, EXT)
DEF_FALL(1)
DEF_FALL(2)
DEF_FALL(4)
DEF_FALL(8)
DEF_FALL(16)
DEF_FLD(4, LIT)
DEF_FLD(8, LIT)
DEF_FLD(16, LIT)

enum { M_IMM, M_PRE, M_POST, M_LSL, M_EXT };
#define FROW(S) { { x_fst##S##_IMM, x_fst##S##_PRE, x_fst##S##_POST, x_fst##S##_LSL, x_fst##S##_EXT }, \
                  { x_fld##S##_IMM, x_fld##S##_PRE, x_fld##S##_POST, x_fld##S##_LSL, x_fld##S##_EXT } }
/* [log2 bytes][load][mode] */
static const exec_fn fldst_tab[5][2][5] = { FROW(1), FROW(2), FROW(4), FROW(8), FROW(16) };

/* size:opc<1> -> log2 of the access (C4.1.88: 00:1 is Q). -1 unallocated. */
static int fp_scale(unsigned size, unsigned opc)
{
    if (opc & 2)
        return size == 0 ? 4 : -1;
    return (int)size;
}

static bool fp_single(struct decode *dc, unsigned size, unsigned opc, unsigned mode, uint64_t imm, uint32_t rn,
                      uint32_t rt, bool scale_imm)
{
    int sc = fp_scale(size, opc);
    if (sc < 0)
        return false;
    struct dinsn *e = dc->e;
    e->imm = scale_imm ? imm << sc : imm;
    e->d = (uint8_t)rt;
    if (mode == M_LSL || mode == M_EXT)
        e->c1 = e->c1 ? (uint8_t)sc : 0;
    fp_mem_fn(dc, fldst_tab[sc][opc & 1][mode], rn);
    return true;
}

bool op_LDST_unscaled_fp(struct decode *dc, const struct args_LDST_unscaled_fp *a)
{
    return fp_single(dc, a->z, a->o, M_IMM, sext(a->i, 9), a->n, a->t, false);
}

bool op_LDST_pre_fp(struct decode *dc, const struct args_LDST_pre_fp *a)
{
    return fp_single(dc, a->z, a->o, M_PRE, sext(a->i, 9), a->n, a->t, false);
}

bool op_LDST_post_fp(struct decode *dc, const struct args_LDST_post_fp *a)
{
    return fp_single(dc, a->z, a->o, M_POST, sext(a->i, 9), a->n, a->t, false);
}

bool op_LDST_uimm_fp(struct decode *dc, const struct args_LDST_uimm_fp *a)
{
    return fp_single(dc, a->z, a->o, M_IMM, a->i, a->n, a->t, true);
}

bool op_LDST_roff_fp(struct decode *dc, const struct args_LDST_roff_fp *a)
{
    if (!(a->x & 2))
        return false;
    struct dinsn *e = dc->e;
    e->m = slot_rz(a->m);
    e->c0 = (uint8_t)a->x;
    e->c1 = (uint8_t)a->S;   /* replaced by the scale in fp_single */
    return fp_single(dc, a->z, a->o, a->x == 3 ? M_LSL : M_EXT, 0, a->n, a->t, false);
}

bool op_LDR_lit_fp(struct decode *dc, const struct args_LDR_lit_fp *a)
{
    static const exec_fn fns[3] = { x_fld4_LIT, x_fld8_LIT, x_fld16_LIT };
    if (a->o == 3)
        return false;
    struct dinsn *e = dc->e;
    e->fn = fns[a->o];
    e->d = (uint8_t)a->t;
    e->imm = dc->pc + (sext(a->i, 19) << 2);
    return true;
}

/* Pairs. */
#define PADDR_OFF  (r->x[d->n] + d->imm)
#define PADDR_PRE  (r->x[d->n] + d->imm)
#define PADDR_POST (r->x[d->n])
#define PWB_OFF
#define PWB_PRE    r->x[d->n] = a;
#define PWB_POST   r->x[d->n] = a + d->imm;

#define PWBK_OFF 0
#define PWBK_PRE 1
#define PWBK_POST 2

#define DEF_FLDP(S, MODE)                                                        \
    static struct dinsn *x_fldp##S##_##MODE(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                            \
        FP_CHECK(r, d);                                                          \
        mem_begin(r, d);                                                         \
        uint64_t a = PADDR_##MODE;                                               \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_r(t, a, 2 * S)))                                   \
            return fp_slow(r, d, a, S, FK_LDP, PWBK_##MODE, n);                  \
        uint8_t tmp[2 * S];                                                      \
        gmem_read(tmp, tlb_host(t, a), 2 * S);                                   \
        vset(r, d->d, tmp, S);                                                   \
        vset(r, d->a, tmp + S, S);                                               \
        PWB_##MODE                                                               \
        NEXT(d + 1);                                                             \
    }
#define DEF_FSTP(S, MODE)                                                        \
    static struct dinsn *x_fstp##S##_##MODE(struct run *r, struct dinsn *d, uint64_t n) \
    {                                                                            \
        FP_CHECK(r, d);                                                          \
        mem_begin(r, d);                                                         \
        uint64_t a = PADDR_##MODE;                                               \
        const struct tlbe *t = tlb_entry(r, a);                                  \
        if (unlikely(!tlb_hit_w(t, a, 2 * S)))                                   \
            return fp_slow(r, d, a, S, FK_STP, PWBK_##MODE, n);                  \
        uint8_t *p = tlb_host(t, a);                                             \
        gmem_write(p, vreg(r, d->d), S);                                         \
        gmem_write(p + S, vreg(r, d->a), S);                                     \
        PWB_##MODE                                                               \
        NEXT(d + 1);                                                             \
    }
#define DEF_FPAIR(S)                                                             \
    DEF_FLDP(S, OFF) DEF_FLDP(S, PRE) DEF_FLDP(S, POST)                          \
    DEF_FSTP(S, OFF) DEF_FSTP(S, PRE) DEF_FSTP(S, POST)
DEF_FPAIR(4)
DEF_FPAIR(8)
DEF_FPAIR(16)

bool op_LDSTP_fp(struct decode *dc, const struct args_LDSTP_fp *a)
{
    static const exec_fn tab[3][2][3] = {
        { { x_fstp4_OFF, x_fstp4_PRE, x_fstp4_POST }, { x_fldp4_OFF, x_fldp4_PRE, x_fldp4_POST } },
        { { x_fstp8_OFF, x_fstp8_PRE, x_fstp8_POST }, { x_fldp8_OFF, x_fldp8_PRE, x_fldp8_POST } },
        { { x_fstp16_OFF, x_fstp16_PRE, x_fstp16_POST }, { x_fldp16_OFF, x_fldp16_PRE, x_fldp16_POST } },
    };
    if (a->o == 3)
        return false;
    unsigned mode = a->p == 3 ? 1 : a->p == 1 ? 2 : 0;
    struct dinsn *e = dc->e;
    e->imm = sext(a->i, 7) << (2 + a->o);
    e->d = (uint8_t)a->t;
    e->a = (uint8_t)a->a;
    fp_mem_fn(dc, tab[a->o][a->L][mode], a->n);
    return true;
}

/* ---- moves ------------------------------------------------------------------ */

/* imm = lane pattern (64 bits), c0: 0 set, 1 set-not, 2 orr, 3 bic; c1 = Q. */
static struct dinsn *x_vimm(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t v[2];
    memcpy(v, vreg(r, d->d), 16);
    for (unsigned i = 0; i < 2; i++) {
        switch (d->c0) {
        case 0: v[i] = d->imm; break;
        case 1: v[i] = ~d->imm; break;
        case 2: v[i] |= d->imm; break;
        default: v[i] &= ~d->imm; break;
        }
    }
    vset(r, d->d, v, d->c1 ? 16 : 8);
    NEXT(d + 1);
}

static uint64_t vfp_expand(unsigned imm8, unsigned n)
{
    /* Arm ARM VFPExpandImm. */
    unsigned e = n == 16 ? 5 : n == 32 ? 8 : 11, f = n - e - 1;
    uint64_t sign = imm8 >> 7;
    unsigned b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((uint64_t)!b6 << (e - 1)) | ((b6 ? (1ull << (e - 3)) - 1 : 0) << 2) | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 0xf) << (f - 4);
    return (sign << (n - 1)) | (exp << f) | frac;
}

static uint64_t replicate(uint64_t v, unsigned bits)
{
    for (unsigned w = bits; w < 64; w *= 2)
        v |= v << w;
    return v;
}

bool op_SIMD_modimm(struct decode *dc, const struct args_SIMD_modimm *a)
{
    unsigned op = a->o, cmode = a->m, imm8 = a->i;
    uint64_t imm;
    unsigned kind;   /* 0 set, 1 not, 2 orr, 3 bic */
    if (a->p && !(cmode == 15 && op == 0 && (dc->features & A64_FEAT_FP16)))
        return false;
    if (cmode < 8) {                              /* 32-bit shifted */
        imm = replicate((uint64_t)imm8 << (8 * (cmode >> 1)), 32);
        kind = (cmode & 1) ? (op ? 3 : 2) : (op ? 1 : 0);
    } else if (cmode < 12) {                      /* 16-bit shifted */
        imm = replicate((uint64_t)imm8 << (8 * ((cmode >> 1) & 1)), 16);
        kind = (cmode & 1) ? (op ? 3 : 2) : (op ? 1 : 0);
    } else if (cmode < 14) {                      /* 32-bit shifting ones (MSL) */
        uint64_t v = (cmode & 1) ? ((uint64_t)imm8 << 16) | 0xffff : ((uint64_t)imm8 << 8) | 0xff;
        imm = replicate(v, 32);
        kind = op ? 1 : 0;
    } else if (cmode == 14) {
        if (!op) {
            imm = replicate(imm8, 8);
        } else {
            imm = 0;
            for (unsigned b = 0; b < 8; b++)
                if (imm8 & (1u << b))
                    imm |= 0xffull << (8 * b);
        }
        kind = 0;
    } else {                                      /* FMOV (vector, immediate) */
        if (op) {
            if (!a->q)
                return false;
            imm = vfp_expand(imm8, 64);
        } else if (a->p) {
            imm = replicate(vfp_expand(imm8, 16), 16);
        } else {
            imm = replicate(vfp_expand(imm8, 32), 32);
        }
        kind = 0;
    }
    struct dinsn *e = dc->e;
    e->fn = x_vimm;
    e->imm = imm;
    e->c0 = (uint8_t)kind;
    e->c1 = (uint8_t)a->q;
    e->d = (uint8_t)a->d;
    return true;
}

/* Fixed-size element accesses (a variable-length memcpy is a library call). */
static uint64_t elem_get(const uint8_t *v, unsigned size, unsigned idx)
{
    const uint8_t *p = v + (idx << size);
    switch (size) {
    case 0: return *p;
    case 1: { uint16_t x; memcpy(&x, p, 2); return x; }
    case 2: { uint32_t x; memcpy(&x, p, 4); return x; }
    default: { uint64_t x; memcpy(&x, p, 8); return x; }
    }
}

static void elem_put(uint8_t *v, unsigned size, unsigned idx, uint64_t x)
{
    uint8_t *p = v + (idx << size);
    switch (size) {
    case 0: *p = (uint8_t)x; break;
    case 1: { uint16_t y = (uint16_t)x; memcpy(p, &y, 2); break; }
    case 2: { uint32_t y = (uint32_t)x; memcpy(p, &y, 4); break; }
    default: memcpy(p, &x, 8); break;
    }
}

/* Low `bytes` (2, 4 or 8) of V[i] at byte offset off. */
static uint64_t vget_low(struct run *r, unsigned i, unsigned off, unsigned bytes)
{
    uint64_t x;
    memcpy(&x, vreg(r, i) + off, 8);
    return bytes == 8 ? x : x & ((1ull << (8 * bytes)) - 1);
}

/* DUP: c0 = log2 element size, c1 = Q, c2 = 1 from an element (index c3), else from Xn. */
static struct dinsn *x_dup(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t x = d->c2 ? elem_get(vreg(r, d->n), d->c0, d->c3) : r->x[d->n];
    unsigned bits = 8u << d->c0;
    if (bits < 64)
        x &= (1ull << bits) - 1;
    uint64_t v[2] = { replicate(x, bits), replicate(x, bits) };
    vset(r, d->d, v, d->c1 ? 16 : 8);
    NEXT(d + 1);
}

/* UMOV/SMOV: c0 = size, c3 = index, c1 = sign-extend, c2 = to X (else W). */
static struct dinsn *x_mov_to_gp(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t x = elem_get(vreg(r, d->n), d->c0, d->c3);
    if (d->c1)
        x = sext(x, 8u << d->c0);
    r->x[d->d] = d->c2 ? x : (uint32_t)x;
    NEXT(d + 1);
}

/* INS: c0 = size, c3 = destination index, c2 = 1 from element c1 of Vn, else from Xn. */
static struct dinsn *x_ins(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t x = d->c2 ? elem_get(vreg(r, d->n), d->c0, d->c1) : r->x[d->n];
    elem_put(vreg(r, d->d), d->c0, d->c3, x);
    vzero_from(r, d->d, 16);
    NEXT(d + 1);
}

/* imm5 -> element size (log2 bytes) or -1 */
static int imm5_size(unsigned imm5)
{
    if (!(imm5 & 0xf))
        return -1;
    return __builtin_ctz(imm5);
}

bool op_DUP_gen(struct decode *dc, const struct args_DUP_gen *a)
{
    int size = imm5_size(a->i);
    if (size < 0 || (size == 3 && !a->q))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_dup;
    e->c0 = (uint8_t)size;
    e->c1 = (uint8_t)a->q;
    e->n = slot_rz(a->n);
    e->d = (uint8_t)a->d;
    return true;
}

bool op_DUP_elem(struct decode *dc, const struct args_DUP_elem *a)
{
    int size = imm5_size(a->i);
    if (size < 0 || (size == 3 && !a->q))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_dup;
    e->c0 = (uint8_t)size;
    e->c1 = (uint8_t)a->q;
    e->c2 = 1;
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->n = (uint8_t)a->n;
    e->d = (uint8_t)a->d;
    return true;
}

bool op_UMOV(struct decode *dc, const struct args_UMOV *a)
{
    int size = imm5_size(a->i);
    if (size < 0 || (a->q ? size != 3 : size == 3))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_mov_to_gp;
    e->c0 = (uint8_t)size;
    e->c2 = (uint8_t)a->q;
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->n = (uint8_t)a->n;
    e->d = slot_wz(a->d);
    return true;
}

bool op_SMOV(struct decode *dc, const struct args_SMOV *a)
{
    int size = imm5_size(a->i);
    if (size < 0 || size == 3 || (!a->q && size == 2))
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_mov_to_gp;
    e->c0 = (uint8_t)size;
    e->c1 = 1;
    e->c2 = (uint8_t)a->q;
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->n = (uint8_t)a->n;
    e->d = slot_wz(a->d);
    return true;
}

bool op_INS_gen(struct decode *dc, const struct args_INS_gen *a)
{
    int size = imm5_size(a->i);
    if (size < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_ins;
    e->c0 = (uint8_t)size;
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->n = slot_rz(a->n);
    e->d = (uint8_t)a->d;
    return true;
}

bool op_INS_elem(struct decode *dc, const struct args_INS_elem *a)
{
    int size = imm5_size(a->i);
    if (size < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_ins;
    e->c0 = (uint8_t)size;
    e->c3 = (uint8_t)(a->i >> (size + 1));
    e->c1 = (uint8_t)(a->j >> size);
    e->c2 = 1;
    e->n = (uint8_t)a->n;
    e->d = (uint8_t)a->d;
    return true;
}

/* Three-same logical: c0 = U:size (and bic orr orn eor bsl bit bif), c1 = Q. */
static struct dinsn *x_vlogic(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t vn[2], m[2], v[2];
    memcpy(vn, vreg(r, d->n), 16);
    memcpy(m, vreg(r, d->m), 16);
    memcpy(v, vreg(r, d->d), 16);
    for (unsigned i = 0; i < 2; i++) {
        switch (d->c0) {
        case 0: v[i] = vn[i] & m[i]; break;
        case 1: v[i] = vn[i] & ~m[i]; break;
        case 2: v[i] = vn[i] | m[i]; break;
        case 3: v[i] = vn[i] | ~m[i]; break;
        case 4: v[i] = vn[i] ^ m[i]; break;
        case 5: v[i] = (v[i] & vn[i]) | (~v[i] & m[i]); break;
        case 6: v[i] = (v[i] & ~m[i]) | (vn[i] & m[i]); break;
        default: v[i] = (v[i] & m[i]) | (vn[i] & ~m[i]); break;
        }
    }
    vset(r, d->d, v, d->c1 ? 16 : 8);
    NEXT(d + 1);
}

bool op_SIMD_logic(struct decode *dc, const struct args_SIMD_logic *a)
{
    struct dinsn *e = dc->e;
    e->fn = x_vlogic;
    e->c0 = (uint8_t)a->o;
    e->c1 = (uint8_t)a->q;
    e->d = (uint8_t)a->d;
    e->n = (uint8_t)a->n;
    e->m = (uint8_t)a->m;
    return true;
}

/* FMOV general: c0 = bytes, c1 = 1 to the FP register, c2 = byte offset in V (0 or 8). */
static struct dinsn *x_fmov_gen(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    if (d->c1) {
        uint64_t x = r->x[d->n];
        uint8_t *v = vreg(r, d->d);
        if (d->c2) {
            memcpy(v + 8, &x, 8);          /* Vd.D[1]: the low half is kept */
            vzero_from(r, d->d, 16);
        } else {
            vset(r, d->d, &x, d->c0);
        }
    } else {
        r->x[d->d] = vget_low(r, d->n, d->c2, d->c0);
    }
    NEXT(d + 1);
}

bool op_FMOV_gen(struct decode *dc, const struct args_FMOV_gen *a)
{
    unsigned bytes, off = 0;
    if (a->r == 0 && !a->z && a->t == 0)
        bytes = 4;
    else if (a->r == 0 && a->t == 3 && (dc->features & A64_FEAT_FP16))
        bytes = 2;
    else if (a->r == 0 && a->z && a->t == 1)
        bytes = 8;
    else if (a->r == 1 && a->z && a->t == 2)
        bytes = 8, off = 8;
    else
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fmov_gen;
    e->c0 = (uint8_t)bytes;
    e->c1 = (uint8_t)a->o;
    e->c2 = (uint8_t)off;
    if (a->o) {
        e->n = slot_rz(a->n);
        e->d = (uint8_t)a->d;
    } else {
        e->n = (uint8_t)a->n;
        e->d = slot_wz(a->d);
    }
    return true;
}

static int fp_type_bytes(unsigned t, uint64_t features)
{
    switch (t) {
    case 0: return 4;
    case 1: return 8;
    case 3: return (features & A64_FEAT_FP16) ? 2 : -1;
    default: return -1;
    }
}

/* Scalar FP register copy: c0 = bytes. */
static struct dinsn *x_fmov_reg(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    uint64_t x = vget_low(r, d->n, 0, d->c0);
    vset(r, d->d, &x, d->c0);
    NEXT(d + 1);
}

/* Scalar FP immediate: imm = bits, c0 = bytes. */
static struct dinsn *x_fmov_imm(struct run *r, struct dinsn *d, uint64_t n)
{
    FP_CHECK(r, d);
    vset(r, d->d, &d->imm, d->c0);
    NEXT(d + 1);
}

bool op_FMOV_reg(struct decode *dc, const struct args_FMOV_reg *a)
{
    int bytes = fp_type_bytes(a->t, dc->features);
    if (bytes < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fmov_reg;
    e->c0 = (uint8_t)bytes;
    e->n = (uint8_t)a->n;
    e->d = (uint8_t)a->d;
    return true;
}

bool op_FMOV_imm(struct decode *dc, const struct args_FMOV_imm *a)
{
    int bytes = fp_type_bytes(a->t, dc->features);
    if (bytes < 0)
        return false;
    struct dinsn *e = dc->e;
    e->fn = x_fmov_imm;
    e->c0 = (uint8_t)bytes;
    e->imm = vfp_expand(a->i, 8u * (unsigned)bytes);
    e->d = (uint8_t)a->d;
    return true;
}
