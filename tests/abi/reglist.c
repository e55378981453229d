/*
 * reglist.c - reglist-summary.tsv and reglist-<cfg>-<features>.tsv.
 *
 * For each feature set measured on this cfg: a fresh VM + vCPU 0, INIT(features),
 * FINALIZE(SVE) if SVE, the KVM_GET_REG_LIST protocol (n = 0 probe -> E2BIG with n
 * written back, then exactly n), every id in KVM's order, and every register's reset
 * value via KVM_GET_ONE_REG. Values the data marks as time-dependent (the name column
 * says KVM_REG_ARM_TIMER_CNT or PMCCNTR) only have to be readable.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

/* Value text as in the data: "0x" + 2*size hex digits up to 8 bytes, else raw bytes. */
static void fmt_value(char *out, const unsigned char *buf, size_t size)
{
    uint64_t v = 0;

    if (size > 8) {
        abi_hex_bytes(out, buf, size);
        return;
    }
    memcpy(&v, buf, size); /* little-endian host, as the target */
    sprintf(out, "0x%0*" PRIx64, (int)(2 * size), v);
}

static bool time_dependent(const char *name)
{
    return strstr(name, "KVM_REG_ARM_TIMER_CNT") || strstr(name, "PMCCNTR");
}

static void check_registers(const char *file, int vcpu, const uint64_t *ids, uint64_t n)
{
    struct tsv t;
    unsigned char buf[256];
    char what[192], expected[600], got[600];
    uint64_t k = 0;

    if (abi_tsv_load(&t, file) < 0)
        return;
    for (int i = 0; i < t.nrows; i++) {
        const struct tsv_row *r = &t.rows[i];
        uint64_t want;
        size_t size;
        int ret;

        if (r->cols[0][0] == '#' || r->ncols < 4)
            continue;
        want = strtoull(r->cols[0], NULL, 16);
        snprintf(what, sizeof(what), "%s %s", r->cols[0],
                 strcmp(r->cols[3], "-") && strcmp(r->cols[3], "?") ? r->cols[3] : r->cols[1]);
        if (k >= n) {
            abi_report_fail(t.name, r->line, what, "expected=%s got=(list ended after %" PRIu64
                        " ids)", r->cols[0], n);
            continue;
        }
        if (ids[k] != want) {
            snprintf(got, sizeof(got), "0x%016" PRIx64 " (list index %" PRIu64 ")", ids[k], k);
            abi_report(false, t.name, r->line, what, r->cols[0], got);
            k++;
            continue;
        }
        k++;
        size = abi_reg_size(want);
        if (size > sizeof(buf))
            size = sizeof(buf);
        memset(buf, 0, sizeof(buf));
        ret = abi_reg_get(vcpu, want, buf);
        if (ret < 0)
            snprintf(got, sizeof(got), "ERR:%s", abi_errname(-ret));
        else
            fmt_value(got, buf, size);
        if (time_dependent(r->cols[3])) {
            snprintf(expected, sizeof(expected), "(time-dependent, readable; data %s)",
                     r->cols[2]);
            abi_report(ret == 0, t.name, r->line, what, expected, got);
        } else {
            abi_check_str(t.name, r->line, what, r->cols[2], got);
        }
    }
    if (k < n)
        abi_report_fail(t.name, 0, "register list", "expected=%" PRIu64 " ids got=%" PRIu64
                    " (extra ids, first 0x%016" PRIx64 ")", k, n, ids[k]);
    abi_tsv_free(&t);
}

static void one_feature_set(const struct tsv *sum, const struct tsv_row *r)
{
    const char *fname = abi_tsv_get(r, 1);
    uint32_t f0 = (uint32_t)strtoul(abi_tsv_get(r, 2), NULL, 16);
    char file[96], what[128], got[64];
    struct kvm_reg_list probe = { .n = 0 }, *list = NULL;
    int vm, vcpu = -1, ret;

    snprintf(file, sizeof(file), "reglist-%s-%s.tsv", abi_opt.cfg, fname);
    vm = abi_vm_create();
    if (vm >= 0)
        vcpu = abi_vcpu_create(vm, 0);
    if (vm < 0 || vcpu < 0) {
        abi_report_fail(sum->name, r->line, fname, "new VM/vCPU: %s",
                        abi_errname(vm < 0 ? -vm : -vcpu));
        goto out;
    }
    snprintf(what, sizeof(what), "%s INIT(0x%x)", fname, f0);
    abi_fmt_ret(got, sizeof(got), abi_vcpu_init(vcpu, abi_preferred_target(), f0, 0));
    if (!abi_check_str(sum->name, r->line, what, abi_tsv_get(r, 3), got) || strcmp(got, "0"))
        goto out;
    if (f0 & F_SVE) {
        snprintf(what, sizeof(what), "%s FINALIZE(SVE)", fname);
        abi_fmt_ret(got, sizeof(got), abi_vcpu_finalize(vcpu, ABI_FINALIZE_SVE));
        abi_check_str(sum->name, r->line, what, abi_tsv_get(r, 4), got);
    }
    snprintf(what, sizeof(what), "%s GET_REG_LIST(n=0)", fname);
    abi_fmt_ret(got, sizeof(got), abi_kvm_call(vcpu, KVM_GET_REG_LIST, &probe));
    abi_check_str(sum->name, r->line, what, abi_tsv_get(r, 5), got);
    snprintf(what, sizeof(what), "%s n written back", fname);
    snprintf(got, sizeof(got), "%" PRIu64, (uint64_t)probe.n);
    abi_check_str(sum->name, r->line, what, abi_tsv_get(r, 6), got);
    list = calloc(1, sizeof(*list) + ((size_t)probe.n + 1) * sizeof(uint64_t));
    if (!list)
        goto out;
    list->n = probe.n;
    ret = abi_kvm_call(vcpu, KVM_GET_REG_LIST, list);
    snprintf(what, sizeof(what), "%s GET_REG_LIST(n=%" PRIu64 ")", fname, (uint64_t)probe.n);
    if (ret == 0)
        snprintf(got, sizeof(got), "%" PRIu64, (uint64_t)list->n);
    else
        abi_fmt_ret(got, sizeof(got), ret);
    abi_check_str(sum->name, r->line, what, abi_tsv_get(r, 7), got);
    if (ret == 0)
        check_registers(file, vcpu, (const uint64_t *)list->reg,
                        list->n < probe.n ? list->n : probe.n);
out:
    free(list);
    abi_close_fd(&vcpu);
    abi_close_fd(&vm);
}

void abi_test_reglist(void)
{
    struct tsv t;

    if (abi_tsv_load(&t, "reglist-summary.tsv") < 0)
        return;
    for (int i = 1; i < t.nrows; i++)
        if (strcmp(abi_tsv_get(&t.rows[i], 0), abi_opt.cfg) == 0)
            one_feature_set(&t, &t.rows[i]);
    abi_tsv_free(&t);
}
