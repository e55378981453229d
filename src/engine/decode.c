/*
 * decode.c - instruction decoding driver over the generated A64 tables.
 *
 * gen/a64_tables.inc (from isa/a64.isa) lists, for each top-level group of
 * bits 28:25 (Arm ARM C4.1 "op0"), the rows that can match. A row matches if
 * (insn & mask) == match and the vCPU has the row's feature; its op_ function
 * (src/engine/exec) then fills the pre-decoded entry, or refuses: a refusal outside a
 * priority group, or no matching row, makes the encoding UNDEFINED. Encodings
 * no row describes in the SIMD&FP space or the SVE space are "not implemented
 * yet" rather than unallocated: they still honour the CPACR_EL1 FPEN/ZEN traps
 * (spec 4.8, 7) before raising UNDEF.
 *
 * Features come from the vCPU's ID registers read through env->sysreg_read
 * (the same values the guest reads), so the decoder never offers an
 * instruction the ID registers deny. Without a callback (unit tests) every
 * feature of QEMU's -cpu max integer ISA is on.
 */
#include "engine/internal.h"

#include "a64_args.h"

struct a64_row {
    uint32_t mask, match;
    uint64_t feature;
    uint16_t group;
    bool (*dec)(struct decode *dc, uint32_t insn);
    void (*fld)(uint32_t insn, uint32_t *f);
    const char *name;
    const char *tmpl;
};

#include "a64_tables.inc"

static uint64_t id_field(uint64_t v, unsigned shift)
{
    return (v >> shift) & 0xf;
}

uint64_t engine_decode_features(const struct engine_env *env)
{
    uint64_t f = ~0ull & ~A64_FEAT_PTRAUTH;
    if (env->vcpu_has_ptrauth)
        f |= A64_FEAT_PTRAUTH;
    if (!env->sysreg_read)
        return f;
    /* Arm ARM D17.2: ID_AA64ISAR0/ISAR1/PFR0/PFR1/MMFR1/MMFR2 field positions. */
    uint64_t isar0 = 0, isar1 = 0, pfr0 = 0, pfr1 = 0, mmfr1 = 0, mmfr2 = 0;
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 6, 0), &isar0);
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 6, 1), &isar1);
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 4, 0), &pfr0);
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 4, 1), &pfr1);
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 7, 1), &mmfr1);
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 7, 2), &mmfr2);
    struct { uint64_t bit; bool on; } t[] = {
        { A64_FEAT_CRC,    id_field(isar0, 16) >= 1 },
        { A64_FEAT_LSE,    id_field(isar0, 20) >= 2 },
        { A64_FEAT_FLAGM,  id_field(isar0, 52) >= 1 },
        { A64_FEAT_FLAGM2, id_field(isar0, 52) >= 2 },
        { A64_FEAT_RNG,    id_field(isar0, 60) >= 1 },
        { A64_FEAT_RCPC,   id_field(isar1, 20) >= 1 },
        { A64_FEAT_RCPC2,  id_field(isar1, 20) >= 2 },
        { A64_FEAT_SB,     id_field(isar1, 36) >= 1 },
        { A64_FEAT_SPECRES, id_field(isar1, 40) >= 1 },
        { A64_FEAT_FRINTTS, id_field(isar1, 32) >= 1 },
        { A64_FEAT_DOTPROD, id_field(isar0, 44) >= 1 },
        { A64_FEAT_RDM,    id_field(isar0, 28) >= 1 },
        { A64_FEAT_AES,    id_field(isar0, 4) >= 1 },
        { A64_FEAT_PMULL,  id_field(isar0, 4) >= 2 },
        { A64_FEAT_SHA1,   id_field(isar0, 8) >= 1 },
        { A64_FEAT_SHA256, id_field(isar0, 12) >= 1 },
        { A64_FEAT_SHA512, id_field(isar0, 12) >= 2 },
        { A64_FEAT_SHA3,   id_field(isar0, 32) >= 1 },
        { A64_FEAT_SM3,    id_field(isar0, 36) >= 1 },
        { A64_FEAT_SM4,    id_field(isar0, 40) >= 1 },
        { A64_FEAT_FHM,    id_field(isar0, 48) >= 1 },
        { A64_FEAT_JSCVT,  id_field(isar1, 12) >= 1 },
        { A64_FEAT_FCMA,   id_field(isar1, 16) >= 1 },
        { A64_FEAT_BF16,   id_field(isar1, 44) >= 1 },
        { A64_FEAT_I8MM,   id_field(isar1, 52) >= 1 },
        { A64_FEAT_FP16,   id_field(pfr0, 16) == 1 },
        { A64_FEAT_DIT,    id_field(pfr0, 48) >= 1 },
        { A64_FEAT_SSBS,   id_field(pfr1, 4) >= 1 },
        { A64_FEAT_LOR,    id_field(mmfr1, 16) >= 1 },
        { A64_FEAT_PAN,    id_field(mmfr1, 20) >= 1 },
        { A64_FEAT_UAO,    id_field(mmfr2, 4) >= 1 },
        { A64_FEAT_IDS,    id_field(mmfr2, 36) >= 1 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!t[i].on)
            f &= ~t[i].bit;
    return f;
}

/* Arm ARM C4.1: bits 28:25. x111 is SIMD&FP data processing; x1x0 with bit 26
 * (V) set is a SIMD&FP load/store; 0010 is SVE. */
static exec_fn fallback(uint32_t insn)
{
    unsigned op0 = (insn >> 25) & 0xf;
    if (op0 == 0x2)
        return x_sve_unimpl;
    if ((op0 & 0x7) == 0x7 || ((op0 & 0x5) == 0x4 && ((insn >> 26) & 1)))
        return x_fp_unimpl;
    return x_undef;
}

int engine_decode(struct decode *dc)
{
    uint32_t insn = dc->insn;
    if (((insn >> 25) & 0xf) == 0x2)        /* SVE: isa/sve.isa, decoded by sve.c */
        return engine_sve_decode(dc);
    for (const uint16_t *id = a64_op0[(insn >> 25) & 0xf]; *id != 0xffff; id++) {
        const struct a64_row *row = &a64_rows[*id];
        if ((insn & row->mask) != row->match)
            continue;
        if (row->feature && !(dc->features & row->feature))
            continue;
        memset(dc->e, 0, sizeof *dc->e);
        if (row->dec(dc, insn)) {
            return *id;
        }
        if (!row->group)
            break;
    }
    memset(dc->e, 0, sizeof *dc->e);
    dc->e->fn = fallback(insn);
    return -1;
}

struct dinsn *decode_fusable_bcond(struct decode *dc, uint16_t *mask)
{
    if (!dc->page || (dc->pc & 63) == 60)
        return NULL;
    uint32_t next;
    unsigned off = (unsigned)(dc->pc & (PAGE_SIZE - 1)) + 4;
    memcpy(&next, dc->page->bytes + off, 4);   /* same chunk: copied already (run.c:decode_entry) */
    if ((next & 0xff000010u) != 0x54000000u)      /* B.cond (not BC.cond) */
        return NULL;
    unsigned cond = next & 0xf;
    if (cond >= 14)
        return NULL;
    uint64_t target = dc->pc + 4 + (sext((next >> 5) & 0x7ffff, 19) << 2);
    struct dinsn *t = decode_link(dc, target);
    if (t)
        *mask = cond_tab[cond];
    return t;
}

struct dinsn *decode_link(struct decode *dc, uint64_t target)
{
    if (!dc->page || (target & PAGE_MASK) != dc->page->gpa || (target & 3))
        return NULL;
    return &dc->page->ins[(target & (PAGE_SIZE - 1)) >> 2];
}

/* ---- disassembly support (disasm.c renders the row's template) ---------- */

int engine_disasm_row(uint32_t insn, uint32_t *fields, const char **name, const char **tmpl,
                      struct dinsn *scratch)
{
    if (((insn >> 25) & 0xf) == 0x2)
        return engine_sve_disasm_row(insn, fields, name, tmpl, scratch);
    struct decode dc = { .e = scratch, .pc = 0, .insn = insn, .features = ~0ull };
    int row = engine_decode(&dc);
    if (row < 0)
        return -1;
    memset(fields, 0, 104 * sizeof *fields);
    a64_rows[row].fld(insn, fields);
    *name = a64_rows[row].name;
    *tmpl = a64_rows[row].tmpl;
    return row;
}
