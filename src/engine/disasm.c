/*
 * disasm.c - engine_disasm(): text for one instruction, from the same table
 * rows the decoder uses (isa/a64.isa templates).
 *
 * Template language, in a row's quoted template:
 *   plain text                copied
 *   {K:F} / {K:F*N}           operand of kind K from field letter F (times N):
 *       x w r        X / W / by field z register, 31 = xzr/wzr
 *       xs ws rs     the same with 31 = sp/wsp
 *       rz           X if field z == 3 (size) else W; rq: X if field q else W
 *       u s          unsigned / signed (field width) immediate, with '#'
 *       pc           PC-relative target: pc + signed(F) * 4
 *       c            condition name; sh shift name
 *       v            vector register vN; ft scalar FP register by field t (s/d/h)
 *       n            the bare number (after a fixed prefix: "q{n:d}", ".s[{n:i}]")
 *       sys          system register name or s<op0>_<op1>_c<n>_c<m>_<op2>
 *   {?F:text} / {!F:text}     text when field F is nonzero / zero (may nest)
 *   {name}                    row-specific operand (see special() below)
 * Disassembly is for traces: it aims to be readable, not byte-identical to
 * objdump (aliases such as MOV, CMP, LSL are printed in their base form).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/exec/alu.h"

struct out {
    char *buf;
    unsigned len, pos;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
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
    if (c >= 'A' && c <= 'Z')
        return 26u + (unsigned)(c - 'A');
    return 0;
}

struct ctx {
    const uint32_t *f;       /* f[0..51] values, f[52..103] widths */
    uint64_t pc;
    const char *name;
    const struct dinsn *e;   /* the decoded entry (expanded immediates) */
};

static uint32_t F(const struct ctx *c, char l)
{
    return c->f[fidx(l)];
}

static unsigned W(const struct ctx *c, char l)
{
    return c->f[52 + fidx(l)];
}

static const char *const conds[16] = { "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                       "hi", "ls", "ge", "lt", "gt", "le", "al", "nv" };
static const char *const shifts[4] = { "lsl", "lsr", "asr", "ror" };
static const char *const exts[8] = { "uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx" };

static void reg(struct out *o, bool x, unsigned n, bool sp)
{
    if (n == 31)
        put(o, "%s", sp ? (x ? "sp" : "wsp") : (x ? "xzr" : "wzr"));
    else
        put(o, "%c%u", x ? 'x' : 'w', n);
}

static void imm(struct out *o, uint64_t v)
{
    if (v < 10)
        put(o, "#%llu", (unsigned long long)v);
    else
        put(o, "#0x%llx", (unsigned long long)v);
}

static void simm(struct out *o, int64_t v)
{
    if (v < 0)
        put(o, "#-0x%llx", (unsigned long long)-(uint64_t)v);
    else
        imm(o, (uint64_t)v);
}

static const struct { uint32_t enc; const char *name; } sysnames[] = {
    { SYSREG_ENC(3, 3, 4, 2, 0), "nzcv" }, { SYSREG_ENC(3, 3, 4, 2, 1), "daif" },
    { SYSREG_ENC(3, 0, 4, 2, 0), "spsel" }, { SYSREG_ENC(3, 0, 4, 2, 2), "currentel" },
    { SYSREG_ENC(3, 0, 4, 1, 0), "sp_el0" }, { SYSREG_ENC(3, 0, 4, 0, 1), "elr_el1" },
    { SYSREG_ENC(3, 0, 4, 0, 0), "spsr_el1" }, { SYSREG_ENC(3, 3, 4, 4, 0), "fpcr" },
    { SYSREG_ENC(3, 3, 4, 4, 1), "fpsr" }, { SYSREG_ENC(3, 3, 14, 0, 0), "cntfrq_el0" },
    { SYSREG_ENC(3, 3, 14, 0, 1), "cntpct_el0" }, { SYSREG_ENC(3, 3, 14, 0, 2), "cntvct_el0" },
    { SYSREG_ENC(3, 3, 0, 0, 7), "dczid_el0" }, { SYSREG_ENC(3, 3, 0, 0, 1), "ctr_el0" },
    { SYSREG_ENC(3, 0, 0, 0, 0), "midr_el1" }, { SYSREG_ENC(3, 0, 0, 0, 5), "mpidr_el1" },
    { SYSREG_ENC(3, 0, 1, 0, 0), "sctlr_el1" }, { SYSREG_ENC(3, 0, 1, 0, 2), "cpacr_el1" },
    { SYSREG_ENC(3, 0, 1, 2, 0), "zcr_el1" }, { SYSREG_ENC(3, 0, 2, 0, 0), "ttbr0_el1" },
    { SYSREG_ENC(3, 0, 2, 0, 1), "ttbr1_el1" }, { SYSREG_ENC(3, 0, 2, 0, 2), "tcr_el1" },
    { SYSREG_ENC(3, 0, 5, 2, 0), "esr_el1" }, { SYSREG_ENC(3, 0, 6, 0, 0), "far_el1" },
    { SYSREG_ENC(3, 0, 10, 2, 0), "mair_el1" }, { SYSREG_ENC(3, 0, 12, 0, 0), "vbar_el1" },
    { SYSREG_ENC(3, 0, 13, 0, 4), "tpidr_el1" }, { SYSREG_ENC(3, 3, 13, 0, 2), "tpidr_el0" },
    { SYSREG_ENC(3, 3, 13, 0, 3), "tpidrro_el0" }, { SYSREG_ENC(3, 0, 14, 1, 0), "cntkctl_el1" },
    { SYSREG_ENC(3, 3, 14, 3, 1), "cntv_ctl_el0" }, { SYSREG_ENC(3, 3, 14, 3, 2), "cntv_cval_el0" },
    { SYSREG_ENC(3, 3, 14, 3, 0), "cntv_tval_el0" }, { SYSREG_ENC(3, 0, 0, 4, 0), "id_aa64pfr0_el1" },
    { SYSREG_ENC(3, 0, 0, 6, 0), "id_aa64isar0_el1" }, { SYSREG_ENC(3, 3, 2, 4, 0), "rndr" },
};

static void sysreg_name(struct out *o, uint32_t s)
{
    uint32_t enc = 0x8000u | s;
    for (unsigned i = 0; i < sizeof sysnames / sizeof sysnames[0]; i++) {
        if (sysnames[i].enc == enc) {
            put(o, "%s", sysnames[i].name);
            return;
        }
    }
    put(o, "s%u_%u_c%u_c%u_%u", enc >> 14, (enc >> 11) & 7, (enc >> 7) & 15, (enc >> 3) & 15, enc & 7);
}

static bool is_fp_row(const struct ctx *c)
{
    size_t n = strlen(c->name);
    return n > 3 && strcmp(c->name + n - 3, "_fp") == 0;
}

/* Load/store mnemonic for fields z (size) and o (opc). */
static void ldop(struct out *o, const struct ctx *c, bool rcpc)
{
    unsigned z = F(c, 'z'), opc = F(c, 'o');
    if (is_fp_row(c)) {
        put(o, "%s", (opc & 1) ? "ldr" : "str");
        return;
    }
    static const char *const base[4] = { "str", "ldr", "ldrs", "ldrs" };
    static const char *const rbase[4] = { "stlur", "ldapur", "ldapurs", "ldapurs" };
    if (z == 3 && opc == 2) {
        put(o, "prfm");
        return;
    }
    put(o, "%s%s", (rcpc ? rbase : base)[opc], z == 0 ? "b" : z == 1 ? "h" : (z == 2 && opc == 2) ? "w" : "");
}

static void ldrt(struct out *o, const struct ctx *c)
{
    unsigned z = F(c, 'z'), opc = F(c, 'o'), t = F(c, 't');
    if (is_fp_row(c)) {
        static const char fp[] = "bhsd";
        if (opc & 2)
            put(o, "q%u", t);
        else
            put(o, "%c%u", fp[z], t);
        return;
    }
    if (z == 3 && opc == 2) {
        put(o, "#%u", t);
        return;
    }
    bool x = z == 3 || opc == 2;
    reg(o, x, t, false);
}

static void render(struct out *o, const struct ctx *c, const char *t, const char *end);

static const char *match_brace(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0)
            return p;
    }
    return end;
}

static void special(struct out *o, const struct ctx *c, const char *name, size_t n)
{
#define IS(s) (n == sizeof(s) - 1 && !memcmp(name, s, n))
    if (IS("adr") || IS("adrp")) {
        int64_t off = (int64_t)sext((F(c, 'i') << 2) | F(c, 'l'), 21);
        uint64_t v = IS("adr") ? c->pc + (uint64_t)off : (c->pc & ~0xfffull) + ((uint64_t)off << 12);
        put(o, "0x%llx", (unsigned long long)v);
    } else if (IS("bimm")) {
        uint64_t w, t;
        if (alu_bitmasks(F(c, 'N'), F(c, 's'), F(c, 'r'), true, F(c, 'z') ? 64 : 32, &w, &t))
            imm(o, w);
        else
            put(o, "#<reserved>");
    } else if (IS("tbr")) {
        reg(o, F(c, 'b') >= 32, F(c, 't'), false);
    } else if (IS("hint")) {
        static const char *const h[] = { "nop", "yield", "wfe", "wfi", "sev", "sevl", "dgh", "xpaclri" };
        unsigned v = (F(c, 'm') << 3) | F(c, 'o');
        if (v < 8)
            put(o, "%s", h[v]);
        else if (v == 20)
            put(o, "csdb");
        else if (v == 25)
            put(o, "paciasp");
        else if (v == 29)
            put(o, "autiasp");
        else if (v >= 32 && v <= 38 && !(v & 1))
            put(o, "bti");
        else
            put(o, "hint #%u", v);
    } else if (IS("barrier")) {
        static const char *const b[16] = { "#0", "oshld", "oshst", "osh", "#4", "nshld", "nshst", "nsh",
                                           "#8", "ishld", "ishst", "ish", "#12", "ld", "st", "sy" };
        put(o, "%s", b[F(c, 'm')]);
    } else if (IS("pstate")) {
        unsigned k = (F(c, 'o') << 3) | F(c, 'p');
        const char *f = k == 0x05 ? "spsel" : k == 0x1e ? "daifset" : k == 0x1f ? "daifclr" : k == 0x03 ? "uao" :
                        k == 0x04 ? "pan" : k == 0x19 ? "ssbs" : k == 0x1a ? "dit" : NULL;
        if (k == 0)
            put(o, "cfinv");
        else if (k == 1)
            put(o, "xaflag");
        else if (k == 2)
            put(o, "axflag");
        else if (f)
            put(o, "msr %s, #%u", f, F(c, 'm'));
        else
            put(o, "msr s0_%u_c4_c%u_%u, xzr", F(c, 'o'), F(c, 'm'), F(c, 'p'));
    } else if (IS("sysop")) {
        unsigned op1 = F(c, 'o'), crn = F(c, 'n'), crm = F(c, 'm'), op2 = F(c, 'p');
        const char *k = crn == 8 ? "tlbi" : (crn == 7 && (crm == 8 || crm == 9)) ? "at" :
                        (crn == 7 && (crm == 1 || crm == 5) && op2 <= 1) ? "ic" : crn == 7 ? "dc" : "sys";
        put(o, "%s #%u, c%u, c%u, #%u, ", k, op1, crn, crm, op2);
        reg(o, true, F(c, 't'), false);
    } else if (IS("sz")) {
        unsigned z = F(c, 'z');
        put(o, "%s", z == 0 ? "b" : z == 1 ? "h" : "");
    } else if (IS("atop")) {
        static const char *const a[8] = { "ldadd", "ldclr", "ldeor", "ldset", "ldsmax", "ldsmin", "ldumax", "ldumin" };
        unsigned z = F(c, 'z');
        put(o, "%s%s%s%s", F(c, 'O') ? "swp" : a[F(c, 'o')], F(c, 'A') ? "a" : "", F(c, 'R') ? "l" : "",
            z == 0 ? "b" : z == 1 ? "h" : "");
    } else if (IS("ldop")) {
        ldop(o, c, !strcmp(c->name, "LDAPUR"));
    } else if (IS("ldrt")) {
        ldrt(o, c);
    } else if (IS("ldimm")) {
        unsigned sc = F(c, 'z');
        if (is_fp_row(c) && (F(c, 'o') & 2))
            sc = 4;
        imm(o, (uint64_t)F(c, 'i') << sc);
    } else if (IS("roff")) {
        unsigned x = F(c, 'x');
        reg(o, x & 1, F(c, 'm'), false);
        if (x != 3 || F(c, 'S')) {
            unsigned sc = F(c, 'z');
            if (is_fp_row(c) && (F(c, 'o') & 2))
                sc = 4;
            put(o, ", %s", x == 3 ? "lsl" : exts[x]);
            if (F(c, 'S'))
                put(o, " #%u", sc);
        }
    } else if (IS("litop")) {
        static const char *const l[4] = { "ldr", "ldr", "ldrsw", "prfm" };
        unsigned opc = F(c, 'o');
        put(o, "%s ", l[opc]);
        if (opc == 3)
            put(o, "#%u", F(c, 't'));
        else
            reg(o, opc != 0, F(c, 't'), false);
    } else if (IS("litfp")) {
        put(o, "%c%u", "sdq?"[F(c, 'o')], F(c, 't'));
    } else if (IS("pairop")) {
        unsigned p = F(c, 'p'), opc = F(c, 'o');
        bool l = F(c, 'L');
        put(o, "%s%s%s", l ? "ld" : "st", p == 0 ? "np" : "p", (!is_fp_row(c) && opc == 1) ? "sw" : "");
    } else if (IS("pairrt") || IS("pairra")) {
        unsigned r = F(c, IS("pairrt") ? 't' : 'a'), opc = F(c, 'o');
        if (is_fp_row(c))
            put(o, "%c%u", "sdq?"[opc], r);
        else
            reg(o, opc >= 1, r, false);
    } else if (IS("pairaddr")) {
        unsigned p = F(c, 'p'), opc = F(c, 'o');
        unsigned sc = is_fp_row(c) ? 2 + opc : (opc == 2 ? 3 : 2);
        int64_t off = (int64_t)sext(F(c, 'i'), 7) * (1 << sc);
        put(o, "[");
        reg(o, true, F(c, 'n'), true);
        if (p == 1) {
            put(o, "], ");
            simm(o, off);
        } else {
            if (off) {
                put(o, ", ");
                simm(o, off);
            }
            put(o, "]%s", p == 3 ? "!" : "");
        }
    } else if (IS("logop")) {
        static const char *const l[8] = { "and", "bic", "orr", "orn", "eor", "eon", "ands", "bics" };
        put(o, "%s", l[F(c, 'o')]);
    } else if (IS("addop")) {
        static const char *const l[4] = { "add", "adds", "sub", "subs" };
        put(o, "%s", l[F(c, 'o')]);
    } else if (IS("adcop")) {
        static const char *const l[4] = { "adc", "adcs", "sbc", "sbcs" };
        put(o, "%s", l[F(c, 'o')]);
    } else if (IS("selop")) {
        static const char *const l[4] = { "csel", "csinc", "csinv", "csneg" };
        put(o, "%s", l[F(c, 'o')]);
    } else if (IS("extrd")) {
        reg(o, F(c, 'z'), F(c, 'd'), !(F(c, 'o') & 1));
    } else if (IS("extrm")) {
        unsigned x = F(c, 'x');
        reg(o, F(c, 'z') && (x & 3) == 3, F(c, 'm'), false);
        put(o, ", %s", exts[x]);
        if (F(c, 'i'))
            put(o, " #%u", F(c, 'i'));
    } else if (IS("crcsz")) {
        put(o, "%c", "bhwx"[F(c, 'y')]);
    } else if (IS("crcrm")) {
        reg(o, F(c, 'y') == 3, F(c, 'm'), false);
    } else if (IS("pacop")) {
        static const char *const p[18] = { "pacia", "pacib", "pacda", "pacdb", "autia", "autib", "autda", "autdb",
                                           "paciza", "pacizb", "pacdza", "pacdzb", "autiza", "autizb", "autdza",
                                           "autdzb", "xpaci", "xpacd" };
        unsigned v = F(c, 'o');
        put(o, "%s", v < 18 ? p[v] : "pac?");
    } else if (IS("pacrn")) {
        if (F(c, 'o') < 8) {
            put(o, ", ");
            reg(o, true, F(c, 'n'), true);
        }
    } else if (IS("modimm")) {
        unsigned q = F(c, 'q'), cm = F(c, 'm'), op = F(c, 'o');
        const char *mn = cm == 15 ? "fmov" : (cm < 12 && (cm & 1)) ? (op ? "bic" : "orr") :
                         (cm == 14 || !op) ? "movi" : "mvni";
        /* The 64-bit lane pattern the decoder expanded (for MVNI/BIC: before inversion). */
        put(o, "%s v%u.%s, #0x%llx", mn, F(c, 'd'), cm == 14 && op ? (q ? "2d" : "1d") :
                                                 cm >= 8 && cm < 12 ? (q ? "8h" : "4h") :
                                                 cm == 14 ? (q ? "16b" : "8b") : (q ? "4s" : "2s"),
            (unsigned long long)c->e->imm);
    } else if (IS("dupar") || IS("elem") || IS("elem2") || IS("dupreg")) {
        unsigned i5 = F(c, 'i');
        int size = (i5 & 0xf) ? __builtin_ctz(i5) : -1;
        if (size < 0) {
            put(o, "?");
        } else if (IS("dupar")) {
            static const char *const a[2][4] = { { "8b", "4h", "2s", "1d" }, { "16b", "8h", "4s", "2d" } };
            put(o, "%s", a[F(c, 'q') & 1][size]);
        } else if (IS("dupreg")) {
            reg(o, size == 3, F(c, 'n'), false);
        } else {
            unsigned idx = IS("elem") ? i5 >> (size + 1) : F(c, 'j') >> size;
            put(o, "%c[%u]", "bhsd"[size], idx);
        }
    } else if (IS("b8q")) {
        put(o, "%s", F(c, 'q') ? "16b" : "8b");
    } else if (IS("vlogop")) {
        static const char *const l[8] = { "and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif" };
        put(o, "%s", l[F(c, 'o')]);
    } else if (IS("fmovgen")) {
        unsigned t = F(c, 't'), z = F(c, 'z');
        char fr[16];
        if (F(c, 'r') == 1)
            snprintf(fr, sizeof fr, "v%u.d[1]", F(c, F(c, 'o') ? 'd' : 'n'));
        else
            snprintf(fr, sizeof fr, "%c%u", t == 0 ? 's' : t == 1 ? 'd' : 'h', F(c, F(c, 'o') ? 'd' : 'n'));
        if (F(c, 'o')) {
            put(o, "%s, ", fr);
            reg(o, z, F(c, 'n'), false);
        } else {
            reg(o, z, F(c, 'd'), false);
            put(o, ", %s", fr);
        }
    } else if (IS("fpimm")) {
        put(o, "#0x%02x", F(c, 'i'));
    } else {
        put(o, "{%.*s}", (int)n, name);
    }
#undef IS
}

static void operand(struct out *o, const struct ctx *c, const char *k, size_t kn, char l, unsigned mul)
{
#define IS(s) (kn == sizeof(s) - 1 && !memcmp(k, s, kn))
    uint32_t v = F(c, l);
    if (IS("x") || IS("w") || IS("r") || IS("xs") || IS("ws") || IS("rs")) {
        bool x = k[0] == 'x' || (k[0] == 'r' && F(c, 'z'));
        reg(o, x, v, kn == 2);
    } else if (IS("rz")) {
        reg(o, F(c, 'z') == 3, v, false);
    } else if (IS("rq")) {
        reg(o, F(c, 'q'), v, false);
    } else if (IS("u")) {
        imm(o, (uint64_t)v * mul);
    } else if (IS("s")) {
        simm(o, (int64_t)sext(v, W(c, l)) * (int64_t)mul);
    } else if (IS("pc")) {
        put(o, "0x%llx", (unsigned long long)(c->pc + (sext(v, W(c, l)) << 2)));
    } else if (IS("c")) {
        put(o, "%s", conds[v & 15]);
    } else if (IS("sh")) {
        put(o, "%s", shifts[v & 3]);
    } else if (IS("v")) {
        put(o, "v%u", v);
    } else if (IS("n")) {
        put(o, "%u", v);
    } else if (IS("ft")) {
        unsigned t = F(c, 't');
        put(o, "%c%u", t == 0 ? 's' : t == 1 ? 'd' : 'h', v);
    } else if (IS("sys")) {
        sysreg_name(o, v);
    } else {
        put(o, "{%.*s:%c}", (int)kn, k, l);
    }
#undef IS
}

static void render(struct out *o, const struct ctx *c, const char *t, const char *end)
{
    while (t < end) {
        if (*t != '{') {
            const char *s = t;
            while (t < end && *t != '{')
                t++;
            put(o, "%.*s", (int)(t - s), s);
            continue;
        }
        const char *close = match_brace(t, end);
        const char *in = t + 1;
        if ((*in == '?' || *in == '!') && in + 2 < close && in[2] == ':') {
            bool nz = F(c, in[1]) != 0;
            if (nz == (*in == '?'))
                render(o, c, in + 3, close);
        } else {
            const char *colon = memchr(in, ':', (size_t)(close - in));
            if (colon && colon + 1 < close) {
                unsigned mul = 1;
                if (colon + 2 < close && colon[2] == '*')
                    mul = (unsigned)strtoul(colon + 3, NULL, 10);
                operand(o, c, in, (size_t)(colon - in), colon[1], mul);
            } else {
                special(o, c, in, (size_t)(close - in));
            }
        }
        t = close + 1;
    }
}

const char *engine_disasm(uint32_t insn, uint64_t pc, char *buf, unsigned len)
{
    uint32_t f[104];
    const char *name, *tmpl;
    struct dinsn e;
    struct out o = { buf, len, 0 };
    if (!len)
        return buf;
    buf[0] = 0;
    if (engine_disasm_row(insn, f, &name, &tmpl, &e) < 0) {
        put(&o, ".inst 0x%08x", insn);
        return buf;
    }
    struct ctx c = { f, pc, name, &e };
    render(&o, &c, tmpl, tmpl + strlen(tmpl));
    return buf;
}
