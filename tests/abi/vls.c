/*
 * vls.c - vls-initial.tsv and vls.tsv: SVE vector-length negotiation.
 *
 * vls.tsv, per candidate set, each on a fresh VM + vCPU 0 INIT(SVE|PSCI_0_2): SET VLS,
 * read-back, FINALIZE, Z/P id sizes from the register list, Z1/P1/FFR bytes kept (SET
 * all-0xff then GET, count leading 0xff), list size, VLS after FINALIZE, ZCR_EL1. Those
 * columns are the norun group. The guest_observations column (guests/rdvl.S: what RDVL
 * and ZCR_EL1 show the guest) is the run group.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

/* "{1}", "{1,3}", "{1..8}", "{} empty", "{17} (invalid)" -> words; -1 if not a set. */
static int parse_set(const char *s, uint64_t w[8])
{
    memset(w, 0, 8 * sizeof(*w));
    s = strchr(s, '{');
    if (!s)
        return -1;
    for (s++; *s && *s != '}';) {
        char *end;
        unsigned long a = strtoul(s, &end, 10), b = a;

        if (end == s)
            return -1;
        if (strncmp(end, "..", 2) == 0)
            b = strtoul(end + 2, &end, 10);
        for (unsigned long v = a; v >= 1 && v <= b && v <= 512; v++)
            w[(v - 1) / 64] |= 1ULL << ((v - 1) % 64);
        s = *end == ',' ? end + 1 : end;
    }
    return 0;
}

/* ---- vls-initial.tsv ---- */

static void initial_host_row(const struct tsv *t, const struct tsv_row *r)
{
    uint64_t w[8] = { 0 };
    char got[128];
    int vm = abi_vm_create(), vcpu = vm >= 0 ? abi_vcpu_create(vm, 0) : vm, ret;

    ret = vcpu < 0 ? vcpu : abi_vcpu_init(vcpu, abi_preferred_target(), F_SVE, 0);
    abi_fmt_ret(got, sizeof(got), ret);
    abi_check_str(t->name, r->line, "INIT(SVE)", abi_tsv_get(r, 1), got);
    if (ret == 0)
        abi_fmt_ret(got, sizeof(got), abi_reg_get(vcpu, REG_SVE_VLS, w));
    else
        snprintf(got, sizeof(got), "-"); /* not performed */
    abi_check_str(t->name, r->line, "GET(VLS)", abi_tsv_get(r, 2), got);
    abi_vls_format_words(got, sizeof(got), w);
    abi_check_str(t->name, r->line, "VLS words", abi_tsv_get(r, 3), got);
    abi_vls_format_set(got, sizeof(got), w);
    abi_check_str(t->name, r->line, "VQ set", abi_tsv_get(r, 4), got);
    abi_close_fd(&vcpu);
    abi_close_fd(&vm);
}

/* "set {1} then set <host set|{17} (invalid)> before FINALIZE" */
static void initial_sequence_row(const struct tsv *t, const struct tsv_row *r)
{
    const char *c = abi_tsv_get(r, 1), *then = strstr(c, " then set ");
    uint64_t host[8] = { 0 }, a[8], b[8], w[8] = { 0 };
    char got[128], what[160];
    int vm = abi_vm_create(), vcpu = vm >= 0 ? abi_vcpu_create(vm, 0) : vm;

    if (!then || parse_set(c, a) < 0 ||
        (strncmp(then + 10, "host set", 8) != 0 && parse_set(then + 10, b) < 0)) {
        abi_report_fail(t->name, r->line, c, "case text not understood");
        goto out;
    }
    if (vcpu < 0 || abi_vcpu_init(vcpu, abi_preferred_target(), F_SVE, 0) < 0 ||
        abi_reg_get(vcpu, REG_SVE_VLS, host) < 0) {
        abi_report_fail(t->name, r->line, c, "setup (new vCPU, INIT(SVE), GET VLS) failed");
        goto out;
    }
    if (strncmp(then + 10, "host set", 8) == 0)
        memcpy(b, host, sizeof(b));
    snprintf(what, sizeof(what), "%s: first SET", c);
    snprintf(got, sizeof(got), "set1=");
    abi_fmt_ret(got + 5, sizeof(got) - 5, abi_reg_set(vcpu, REG_SVE_VLS, a));
    abi_check_str(t->name, r->line, what, abi_tsv_get(r, 2), got);
    snprintf(what, sizeof(what), "%s: second SET", c);
    snprintf(got, sizeof(got), "set2=");
    abi_fmt_ret(got + 5, sizeof(got) - 5, abi_reg_set(vcpu, REG_SVE_VLS, b));
    abi_check_str(t->name, r->line, what, abi_tsv_get(r, 3), got);
    snprintf(what, sizeof(what), "%s: read-back", c);
    abi_reg_get(vcpu, REG_SVE_VLS, w);
    strcpy(got, "readback=");
    abi_vls_format_set(got + 9, sizeof(got) - 9, w);
    abi_check_str(t->name, r->line, what, abi_tsv_get(r, 4), got);
out:
    abi_close_fd(&vcpu);
    abi_close_fd(&vm);
}

static void test_vls_initial(void)
{
    struct tsv t;

    if (abi_tsv_load(&t, "vls-initial.tsv") < 0)
        return;
    for (int i = 1; i < t.nrows; i++) {
        const struct tsv_row *r = &t.rows[i];

        if (strcmp(abi_tsv_get(r, 0), abi_opt.cfg) != 0)
            continue;
        if (strncmp(abi_tsv_get(r, 1), "set ", 4) == 0)
            initial_sequence_row(&t, r);
        else
            initial_host_row(&t, r);
    }
    abi_tsv_free(&t);
}

/* ---- vls.tsv ---- */

enum vcol {
    C_CASE, C_WORDS, C_SET, C_RB, C_FIN, C_IDSZ, C_Z1, C_P1, C_FFR, C_N, C_RBW, C_ZCR, C_GUEST,
    C_COUNT
};
static const char *const vcol_names[C_COUNT] = {
    "case", "candidate_words(w0:..:w7 hex)", "set_vls", "vls_readback_before_finalize",
    "finalize_sve", "id_size_bytes(Z/P)", "Z1_effective_bytes", "P1_effective_bytes",
    "FFR_effective_bytes", "reglist_n", "vls_readback_words", "ZCR_EL1_onereg_after_finalize",
    "guest_observations",
};

/* SET all-0xff, GET into zeroes: how many leading bytes KVM kept. */
static void kept_bytes(int vcpu, uint64_t id, char *out, size_t n)
{
    unsigned char buf[256];
    size_t size = abi_reg_size(id), k = 0;
    int ret;

    if (size > sizeof(buf))
        size = sizeof(buf);
    memset(buf, 0xff, sizeof(buf));
    ret = abi_reg_set(vcpu, id, buf);
    memset(buf, 0, sizeof(buf));
    if (ret == 0)
        ret = abi_reg_get(vcpu, id, buf);
    while (k < size && buf[k] == 0xff)
        k++;
    if (ret < 0)
        snprintf(out, n, "%s", abi_errname(-ret));
    else
        snprintf(out, n, "%zu", k);
}

/* Sizes of the first Z and first P id in the register list, and the list size. */
static void list_facts(int vcpu, char *sizes, char *count, size_t n)
{
    struct kvm_reg_list probe = { .n = 0 }, *l;
    size_t zsz = 0, psz = 0;
    int ret = abi_kvm_call(vcpu, KVM_GET_REG_LIST, &probe);

    snprintf(sizes, n, "-");
    snprintf(count, n, "%s", abi_errname(-ret));
    if (ret != -E2BIG)
        return;
    l = calloc(1, sizeof(*l) + (size_t)probe.n * sizeof(uint64_t));
    if (!l)
        return;
    l->n = probe.n;
    ret = abi_kvm_call(vcpu, KVM_GET_REG_LIST, l);
    if (ret == 0) {
        for (uint64_t i = 0; i < l->n; i++) {
            uint64_t id = l->reg[i];

            if (((id >> 16) & 0xfff) != 0x15)
                continue;
            if ((id & 0xffff) < 0x400 && !zsz)
                zsz = abi_reg_size(id);
            else if ((id & 0xffff) >= 0x400 && (id & 0xffff) < 0x600 && !psz)
                psz = abi_reg_size(id);
        }
        snprintf(sizes, n, "%zu/%zu", zsz, psz);
        snprintf(count, n, "%" PRIu64, (uint64_t)l->n);
    } else {
        snprintf(count, n, "%s", abi_errname(-ret));
    }
    free(l);
}

/* Run guests/rdvl.S to its SYSTEM_OFF, collecting its MMIO stores by offset. */
static void guest_observations(struct guest *g, char *out, size_t n)
{
    static const int lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 15 };
    uint64_t v[16];
    bool seen[16] = { false };
    size_t len;
    int exits = 0, ret;

    if (abi_reg_set64(g->vcpu, REG_PC, GUEST_RAM) < 0) {
        snprintf(out, n, "(SET PC failed)");
        return;
    }
    for (;;) {
        ret = abi_guest_run(g, 0);
        if (ret < 0 || g->run->exit_reason != KVM_EXIT_MMIO || !g->run->mmio.is_write ||
            ++exits > 32)
            break;
        uint64_t off = g->run->mmio.phys_addr - GUEST_MMIO, val = 0;

        memcpy(&val, g->run->mmio.data, 8);
        if (off < 0x80 && off % 8 == 0) {
            v[off / 8] = val;
            seen[off / 8] = true;
        }
    }
    if (ret < 0 || g->run->exit_reason != KVM_EXIT_SYSTEM_EVENT) {
        char e[160];
        uint64_t pc = 0;

        abi_guest_fmt_exit(g, e, sizeof(e));
        abi_reg_get64(g->vcpu, REG_PC, &pc);
        snprintf(out, n, "(guest did not reach SYSTEM_OFF: after %d MMIO stores KVM_RUN %s, "
                 "%s, pc=0x%" PRIx64 ")", exits, ret < 0 ? abi_errname(-ret) : "0", e, pc);
        return;
    }
#define OBS(i, fmt) (seen[i] ? snprintf(out + len, n - len, fmt, v[i]) \
                             : snprintf(out + len, n - len, "?"))
    len = (size_t)snprintf(out, n, "zcr_el1_reset=");
    len += (size_t)OBS(0, "0x%" PRIx64);
    len += (size_t)snprintf(out + len, n - len, ";rdvl(reset)=");
    len += (size_t)OBS(1, "%" PRIu64);
    for (int i = 0; i < 10; i++) {
        len += (size_t)snprintf(out + len, n - len, ";rdvl(LEN=%d)=", lens[i]);
        len += (size_t)OBS(2 + i, "%" PRIu64);
    }
    len += (size_t)snprintf(out + len, n - len, ";zcr_el1_after_write_ones=");
    len += (size_t)OBS(14, "0x%" PRIx64);
    len += (size_t)snprintf(out + len, n - len, ";rdvl(ones)=");
    OBS(15, "%" PRIu64);
#undef OBS
}

static void vls_row(const struct tsv *t, const struct tsv_row *r, const int *col, bool run)
{
    char got[C_COUNT][1024], what[192];
    const char *words = abi_tsv_get(r, col[C_WORDS]);
    uint64_t w[8] = { 0 };
    struct guest g;
    int ret;

    for (int c = 0; c < C_COUNT; c++)
        snprintf(got[c], sizeof(got[c]), "-");
    abi_guest_zero(&g);
    if (run) {
        ret = abi_guest_new(&g);
        if (ret == 0)
            ret = abi_guest_add_ram(&g, SN_RDVL, false);
    } else {
        g.vm = ret = abi_vm_create();
        if (ret >= 0)
            ret = g.vcpu = abi_vcpu_create(g.vm, 0);
    }
    if (ret < 0) {
        abi_report_fail(t->name, r->line, abi_tsv_get(r, col[C_CASE]), "setup failed: %s",
                    abi_errname(-ret));
        goto out;
    }
    ret = abi_vcpu_init(g.vcpu, abi_preferred_target(), F_SVE | F_PSCI_0_2, 0);
    if (ret < 0) {
        /* nothing else was done: the data leaves the guest column out, the others '-' */
        snprintf(got[C_SET], sizeof(got[C_SET]), "init=%s", abi_errname(-ret));
        got[C_GUEST][0] = '\0';
    } else {
        if (strcmp(words, "-") != 0) {
            if (abi_vls_parse_words(words, w) < 0) {
                abi_report_fail(t->name, r->line, abi_tsv_get(r, col[C_CASE]),
                                "bad candidate words");
                goto out;
            }
            abi_fmt_ret(got[C_SET], sizeof(got[C_SET]), abi_reg_set(g.vcpu, REG_SVE_VLS, w));
        }
        memset(w, 0, sizeof(w));
        ret = abi_reg_get(g.vcpu, REG_SVE_VLS, w);
        abi_vls_format_set(got[C_RB], sizeof(got[C_RB]), w);
        if (ret < 0)
            snprintf(got[C_RB], sizeof(got[C_RB]), "%s", abi_errname(-ret));
        abi_fmt_ret(got[C_FIN], sizeof(got[C_FIN]), abi_vcpu_finalize(g.vcpu, ABI_FINALIZE_SVE));
        if (abi_opt.norun) {
            uint64_t zcr = 0;

            list_facts(g.vcpu, got[C_IDSZ], got[C_N], sizeof(got[C_N]));
            kept_bytes(g.vcpu, REG_SVE_Z(1, 0), got[C_Z1], sizeof(got[C_Z1]));
            kept_bytes(g.vcpu, REG_SVE_P(1, 0), got[C_P1], sizeof(got[C_P1]));
            kept_bytes(g.vcpu, REG_SVE_FFR(0), got[C_FFR], sizeof(got[C_FFR]));
            memset(w, 0, sizeof(w));
            ret = abi_reg_get(g.vcpu, REG_SVE_VLS, w);
            abi_vls_format_words(got[C_RBW], sizeof(got[C_RBW]), w);
            ret = abi_reg_get64(g.vcpu, REG_ZCR_EL1, &zcr);
            if (ret < 0)
                snprintf(got[C_ZCR], sizeof(got[C_ZCR]), "%s", abi_errname(-ret));
            else
                snprintf(got[C_ZCR], sizeof(got[C_ZCR]), "0x%" PRIx64, zcr);
        }
        if (run)
            guest_observations(&g, got[C_GUEST], sizeof(got[C_GUEST]));
    }
    for (int c = C_SET; c < C_COUNT; c++) {
        if (c == C_GUEST ? !run : !abi_opt.norun)
            continue;
        snprintf(what, sizeof(what), "%s: %s", abi_tsv_get(r, col[C_CASE]), vcol_names[c]);
        abi_check_str(t->name, r->line, what, abi_tsv_get(r, col[c]), got[c]);
    }
out:
    abi_guest_close(&g);
}

void abi_test_vls(void)
{
    struct tsv t;
    int col[C_COUNT];
    bool run = abi_opt.run && abi_guest_code_available();

    if (abi_opt.norun)
        test_vls_initial();
    if (abi_opt.run && !run) {
        abi_report_fail("vls.tsv", 0, "guest_observations", "guest code not built (no aarch64 "
                    "assembler)");
        if (!abi_opt.norun)
            return;
    }
    if (abi_tsv_load(&t, "vls.tsv") < 0)
        return;
    for (int c = 0; c < C_COUNT; c++) {
        col[c] = t.nrows ? abi_tsv_col(&t.rows[0], vcol_names[c]) : -1;
        if (col[c] < 0) {
            abi_report_fail(t.name, 1, "header", "no column %s", vcol_names[c]);
            goto out;
        }
    }
    for (int i = 1; i < t.nrows; i++)
        if (strcmp(abi_tsv_get(&t.rows[i], 0), abi_opt.cfg) == 0)
            vls_row(&t, &t.rows[i], col, run);
out:
    abi_tsv_free(&t);
}
