/*
 * sve.c - the engine's SVE front end: the effective vector length, the
 * decoder for the SVE encoding space and the disassembly of its rows.
 *
 * Vector length (spec 7, measured on Linux 6.1): the effective vector length
 * at EL1/EL0 is the largest VQ the vCPU supports that is <= min(ZCR_EL1.LEN
 * + 1, its maximum VQ); ZCR_EL1 resets to 0, so a fresh vCPU runs at 128
 * bits. Example from the {1,2,4} host: LEN = 2 requests VQ 3 and gets VQ 2
 * (32 bytes). The handlers use the same rule (sve_vl in exec/sve_ops.h).
 *
 * Decoding: decode.c hands every word of the top-level group op0 = 0010
 * (Arm ARM C4.1) to engine_sve_decode(), which scans the rows generated from
 * isa/sve.isa (gen/sve_tables.inc) like decode.c scans a64.isa's. On a vCPU
 * without SVE the whole space keeps the behaviour of spec 4.8 (x_sve_unimpl:
 * the CPACR_EL1.ZEN trap where the host has SVE, else UNDEF). On an SVE vCPU
 * an encoding no row accepts is UNDEFINED. Rows of SVE2 and the SVE
 * extensions exist only if the vCPU's ID_AA64ZFR0_EL1 announces them
 * (sve_features), so a guest never runs an instruction its ID registers deny.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/internal.h"

#include "a64_args.h"
#include "sve_args.h"

unsigned engine_sve_vl_bytes(const struct cpu *cpu, const struct engine_env *env)
{
    uint32_t vqs = env->sve_vqs;
    if (!env->vcpu_has_sve || !vqs)
        return 0;
    unsigned want = (unsigned)(cpu->sys[SR_ZCR_EL1] & 0xf) + 1;
    for (unsigned vq = want; vq >= 1; vq--)
        if (vqs & (1u << (vq - 1)))
            return 16 * vq;
    return 16;   /* VQ 1 is always in a valid set (spec 3.5) */
}

/* ---- decoding ------------------------------------------------------------------------- */

struct sve_row {
    uint32_t mask, match;
    uint64_t feature;
    uint16_t group;
    bool (*dec)(struct decode *dc, uint32_t insn);
    void (*fld)(uint32_t insn, uint32_t *f);
    const char *name;
    const char *tmpl;
};

#include "sve_tables.inc"

/* SVE_FEAT_* from ID_AA64ZFR0_EL1 as the guest reads it (Arm ARM D17.2:
 * SVEver 3:0, BitPerm 19:16). Without an ID register callback (unit tests,
 * disassembly) every row is on. */
static uint32_t sve_features(const struct engine_env *env)
{
    uint64_t zfr0 = 0;
    if (!env || !env->sysreg_read)
        return ~0u;
    env->sysreg_read(env->sysreg_ctx, SYSREG_ENC(3, 0, 0, 4, 4), &zfr0);
    uint32_t f = 0;
    if ((zfr0 & 0xf) >= 1)
        f |= SVE_FEAT_SVE2;
    if (((zfr0 >> 16) & 0xf) >= 1)
        f |= SVE_FEAT_SVE2_BITPERM;
    return f;
}

/* Rows of the SVE group, as decode.c's row scan. Returns A64_NROWS + the row,
 * or -1 (the entry then raises what an unallocated encoding raises). */
int engine_sve_decode(struct decode *dc)
{
    uint32_t insn = dc->insn;
    if (dc->env && !dc->env->vcpu_has_sve) {
        memset(dc->e, 0, sizeof *dc->e);
        dc->e->fn = x_sve_unimpl;
        return -1;
    }
    for (const uint16_t *id = sve_op0[(insn >> 25) & 0xf]; *id != 0xffff; id++) {
        const struct sve_row *row = &sve_rows[*id];
        if ((insn & row->mask) != row->match)
            continue;
        if (row->feature && !(sve_features(dc->env) & row->feature))
            continue;                       /* read only for the few gated rows, at decode */
        memset(dc->e, 0, sizeof *dc->e);
        if (row->dec(dc, insn))
            return A64_NROWS + *id;
        if (!row->group)
            break;
    }
    memset(dc->e, 0, sizeof *dc->e);
    dc->e->fn = x_undef;
    return -1;
}

/* ---- disassembly ------------------------------------------------------------------------- */

struct sout {
    char *buf;
    unsigned len, pos;
};

static void sput(struct sout *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sput(struct sout *o, const char *fmt, ...)
{
    if (o->pos + 1 >= o->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->pos += (unsigned)n;
    if (o->pos >= o->len)
        o->pos = o->len - 1;
}

static unsigned fidx(char c)
{
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a');
    return 26u + (unsigned)(c - 'A');
}

static bool is_field(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static const char *brace_end(const char *t, const char *end)
{
    int depth = 0;
    for (; t < end; t++) {
        if (*t == '{')
            depth++;
        else if (*t == '}' && --depth == 0)
            return t;
    }
    return end;
}

static const char *const patterns[32] = {
    "pow2", "vl1", "vl2", "vl3", "vl4", "vl5", "vl6", "vl7", "vl8", "vl16", "vl32", "vl64", "vl128", "vl256",
    "#14", "#15", "#16", "#17", "#18", "#19", "#20", "#21", "#22", "#23", "#24", "#25", "#26", "#27", "#28",
    "mul4", "mul3", "all",
};

static void xreg(struct sout *o, unsigned v, bool sp)
{
    if (v == 31)
        sput(o, "%s", sp ? "sp" : "xzr");
    else
        sput(o, "x%u", v);
}

/* {kind:F...} with the field values f[0..51] and widths f[52..103]. */
static void operand(struct sout *o, const uint32_t *f, const char *k, size_t kn, const char *flds, size_t fn,
                    const char *list, size_t ln)
{
#define IS(s) (kn == sizeof(s) - 1 && !memcmp(k, s, kn))
    uint32_t v = 0;
    unsigned width = 0;
    for (size_t i = 0; i < fn; i++) {
        if (!is_field(flds[i]))
            return;
        unsigned w = f[52 + fidx(flds[i])];
        v = (v << w) | f[fidx(flds[i])];
        width += w;
    }
    static const char sfx[4] = { 'b', 'h', 's', 'd' };
    unsigned z = f[fidx('z')] & 3;
    if (IS("op")) {
        /* The v-th comma-separated name of the list. */
        const char *p = list, *end = list + ln;
        for (uint32_t i = 0; i < v && p < end; i++) {
            const char *c = memchr(p, ',', (size_t)(end - p));
            p = c ? c + 1 : end;
        }
        const char *c = p < end ? memchr(p, ',', (size_t)(end - p)) : NULL;
        size_t n = (size_t)((c ? c : end) - p);
        sput(o, "%.*s", (int)(n ? n : 1), n ? p : "?");
    } else if (IS("z")) {
        sput(o, "z%u", v);
    } else if (IS("p")) {
        sput(o, "p%u", v);
    } else if (IS("zt") || IS("pt")) {
        sput(o, "%c%u.%c", k[0], v, sfx[z]);
    } else if (IS("v")) {
        sput(o, "%c%u", sfx[z], v);
    } else if (IS("x")) {
        xreg(o, v, false);
    } else if (IS("xs")) {
        xreg(o, v, true);
    } else if (IS("n")) {
        sput(o, "%u", v);
    } else if (IS("n1")) {
        sput(o, "%u", v + 1);
    } else if (IS("h")) {
        sput(o, "%x", v);
    } else if (IS("u")) {
        sput(o, "#%u", v);
    } else if (IS("s")) {
        sput(o, "#%lld", (long long)(int64_t)sext(v, width ? width : 1));
    } else if (IS("pat")) {
        sput(o, "%s", patterns[v & 31]);
    } else {
        sput(o, "?");
    }
#undef IS
}

static void render(struct sout *o, const uint32_t *f, const char *t, const char *end)
{
    while (t < end) {
        if (*t != '{') {
            const char *s = t;
            while (t < end && *t != '{')
                t++;
            sput(o, "%.*s", (int)(t - s), s);
            continue;
        }
        const char *close = brace_end(t, end);
        const char *in = t + 1;
        if ((*in == '?' || *in == '!') && in + 2 < close && in[2] == ':') {
            bool nz = f[fidx(in[1])] != 0;
            if (nz == (*in == '?'))
                render(o, f, in + 3, close);
        } else if (*in == '{') {
            sput(o, "{");                  /* a register list: {{z:d}} */
            render(o, f, in, close);
            sput(o, "}");
        } else {
            const char *c1 = memchr(in, ':', (size_t)(close - in));
            if (!c1) {
                if (close - in == 5 && !memcmp(in, "shimm", 5)) {
                    /* tsz:imm3 shift: left = value - esize, right = 2 * esize - value. */
                    unsigned tsz = f[fidx('t')], v = (tsz << 3) | f[fidx('i')];
                    unsigned bits = tsz ? 8u << (31 - __builtin_clz(tsz)) : 8;
                    sput(o, "%u", f[fidx('o')] == 3 ? v - bits : 2 * bits - v);
                } else {
                    sput(o, "%.*s", (int)(close - in), in);
                }
            } else {
                const char *c2 = memchr(c1 + 1, ':', (size_t)(close - c1 - 1));
                const char *fe = c2 ? c2 : close;
                operand(o, f, in, (size_t)(c1 - in), c1 + 1, (size_t)(fe - c1 - 1), c2 ? c2 + 1 : NULL,
                        c2 ? (size_t)(close - c2 - 1) : 0);
            }
        }
        t = close + 1;
    }
}

/* For engine_disasm_row: the row's text, already rendered (no operand
 * templates left for disasm.c), in a per-thread buffer. */
int engine_sve_disasm_row(uint32_t insn, uint32_t *fields, const char **name, const char **tmpl,
                          struct dinsn *scratch)
{
    static _Thread_local char text[160];
    struct decode dc = { .e = scratch, .pc = 0, .insn = insn, .features = ~0ull };
    int row = engine_sve_decode(&dc);
    if (row < 0)
        return -1;
    const struct sve_row *r = &sve_rows[row - A64_NROWS];
    memset(fields, 0, 104 * sizeof *fields);
    r->fld(insn, fields);
    struct sout o = { text, sizeof text, 0 };
    text[0] = 0;
    render(&o, fields, r->tmpl, r->tmpl + strlen(r->tmpl));
    /* disasm.c renders the text again: braces would be taken for operands. */
    for (char *p = text; *p; p++) {
        if (*p == '{')
            *p = '<';
        else if (*p == '}')
            *p = '>';
    }
    *name = r->name;
    *tmpl = text;
    return row;
}
