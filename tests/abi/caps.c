/*
 * caps.c - caps-<cfg>.tsv and caps-global.tsv: every KVM_CHECK_EXTENSION answer on the
 * system fd and on a fresh VM fd, the API version, the vCPU mmap size and
 * KVM_ARM_PREFERRED_TARGET.
 *
 * On real KVM every row must match. softkvm deliberately answers a few caps differently
 * because it does not implement the thing they advertise; those, and only those, are
 * listed below with the answer softkvm must give instead. The list is compiled out of the
 * real-KVM build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

struct deviation {
    int cap;
    const char *sys, *vm; /* what softkvm answers instead of the data */
    const char *why;
};

static const struct deviation deviations[] = {
#ifndef ABI_REAL_KVM
    /* spec §4.7: softkvm has no in-kernel interrupt controller (vGIC): no IRQCHIP, and
     * nothing of the family that needs one to deliver interrupts. */
    { 0, "0", "0", "KVM_CAP_IRQCHIP: no in-kernel irqchip" },
    { 25, "0", "0", "KVM_CAP_IRQ_ROUTING: needs the in-kernel irqchip" },
    { 32, "0", "0", "KVM_CAP_IRQFD: needs the in-kernel irqchip" },
    { 77, "0", "0", "KVM_CAP_SIGNAL_MSI: needs the in-kernel irqchip (ITS)" },
    { 82, "0", "0", "KVM_CAP_IRQFD_RESAMPLE: needs the in-kernel irqchip" },
    /* Device API of the in-kernel irqchip: vGIC base addresses, and KVM_CREATE_DEVICE,
     * whose arm64 devices are the vGIC and its ITS (VFIO aside). */
    { 88, "0", "0", "KVM_CAP_ARM_SET_DEVICE_ADDR: vGIC addresses" },
    { 89, "0", "0", "KVM_CAP_DEVICE_CTRL: KVM_CREATE_DEVICE (vGIC, ITS)" },
    /* Features softkvm does not implement yet (README "Not yet"): a kernel without them
     * answers 0, which sends a VMM down its fallback path instead of into a failing ioctl. */
    { 15, "0", "0", "KVM_CAP_COALESCED_MMIO: no coalesced MMIO ring" },
    { 162, "0", "0", "KVM_CAP_COALESCED_PIO: no coalesced MMIO ring" },
    { 23, "0", "0", "KVM_CAP_SET_GUEST_DEBUG: no KVM_SET_GUEST_DEBUG" },
    { 195, "0", "0", "KVM_CAP_SET_GUEST_DEBUG2: no KVM_SET_GUEST_DEBUG" },
    { 36, "0", "0", "KVM_CAP_IOEVENTFD: no ioeventfd" },
    { 122, "0", "0", "KVM_CAP_IOEVENTFD_ANY_LENGTH: no ioeventfd" },
    { 158, "0", "0", "KVM_CAP_ARM_INJECT_SERROR_ESR: no SError injection" },
    { 168, "0", "0", "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2: no dirty logging" },
    { 182, "0", "0", "KVM_CAP_HALT_POLL: no halt-polling control" },
    { 187, "0", "0", "KVM_CAP_STEAL_TIME: no PV steal time" },
    { 198, "0", "0", "KVM_CAP_PTP_KVM: no PTP_KVM hypercall" },
    { 203, "0", "0", "KVM_CAP_BINARY_STATS_FD: no binary stats fd" },
#endif
    { -1, NULL, NULL, NULL },
};

static const struct deviation *deviation_of(int cap)
{
    for (const struct deviation *d = deviations; d->why; d++)
        if (d->cap == cap)
            return d;
    return NULL;
}

static void check_cap(const char *file, int line, int cap, const char *name, const char *fd_name,
                      int fd, const char *expected, const char *deviant)
{
    char got[32], what[160];

    abi_fmt_ret(got, sizeof(got), abi_kvm_callv(fd, KVM_CHECK_EXTENSION, (unsigned long)cap));
    if (deviant) {
        snprintf(what, sizeof(what), "cap %d %s %s (softkvm deviation; KVM answers %s)", cap,
                 name, fd_name, expected);
        abi_check_str(file, line, what, deviant, got);
        return;
    }
    snprintf(what, sizeof(what), "cap %d %s %s", cap, name, fd_name);
    abi_check_str(file, line, what, expected, got);
}

/* The three global queries, formatted as the data records them (columns joined by ' '). */
static void global_answer(const char *query, char *out, size_t n)
{
    struct kvm_vcpu_init init;
    char ret[32];
    int vm, r;

    if (strcmp(query, "KVM_GET_API_VERSION") == 0) {
        abi_fmt_ret(out, n, abi_kvm_callv(abi_sys_fd(), KVM_GET_API_VERSION, 0));
    } else if (strcmp(query, "KVM_GET_VCPU_MMAP_SIZE") == 0) {
        abi_fmt_ret(out, n, abi_kvm_callv(abi_sys_fd(), KVM_GET_VCPU_MMAP_SIZE, 0));
    } else if (strcmp(query, "KVM_ARM_PREFERRED_TARGET") == 0) {
        memset(&init, 0xff, sizeof(init));
        vm = abi_vm_create();
        r = vm < 0 ? vm : abi_kvm_call(vm, KVM_ARM_PREFERRED_TARGET, &init);
        if (vm >= 0)
            kvm_close(vm);
        abi_fmt_ret(ret, sizeof(ret), r);
        snprintf(out, n, "%s target=%u features=%08x,%08x,%08x,%08x,%08x,%08x,%08x", ret,
                 init.target, init.features[0], init.features[1], init.features[2],
                 init.features[3], init.features[4], init.features[5], init.features[6]);
    } else {
        snprintf(out, n, "(unknown query)");
    }
}

static void test_global(void)
{
    struct tsv t;
    char got[256];
    int col;

    if (abi_tsv_load(&t, "caps-global.tsv") < 0)
        return;
    col = t.nrows ? abi_tsv_col(&t.rows[0], abi_opt.cfg) : -1;
    if (col < 0)
        abi_report_fail(t.name, 1, "header", "no column for cfg %s", abi_opt.cfg);
    for (int i = 1; col >= 0 && i < t.nrows; i++) {
        global_answer(abi_tsv_get(&t.rows[i], 0), got, sizeof(got));
        abi_check_str(t.name, t.rows[i].line, abi_tsv_get(&t.rows[i], 0),
                      abi_tsv_get(&t.rows[i], col), got);
    }
    abi_tsv_free(&t);
}

void abi_test_caps(void)
{
    struct tsv t;
    char file[64], expected[256], got[256];
    int vm;

    test_global();
    snprintf(file, sizeof(file), "caps-%s.tsv", abi_opt.cfg);
    if (abi_tsv_load(&t, file) < 0)
        return;
    vm = abi_vm_create();
    if (vm < 0)
        abi_report_fail(t.name, 0, "KVM_CREATE_VM", "%s", abi_errname(-vm));
    for (int i = 0; vm >= 0 && i < t.nrows; i++) {
        const struct tsv_row *r = &t.rows[i];
        const struct deviation *d;
        int cap;

        if (r->cols[0][0] == '#') {
            /* "# KVM_GET_API_VERSION<TAB>12": the same queries as caps-global.tsv */
            expected[0] = '\0';
            for (int c = 1; c < r->ncols; c++)
                snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected),
                         "%s%s", c > 1 ? " " : "", r->cols[c]);
            global_answer(r->cols[0] + 2, got, sizeof(got));
            abi_check_str(t.name, r->line, r->cols[0] + 2, expected, got);
            continue;
        }
        if (strcmp(r->cols[0], "cap") == 0 || r->ncols < 4)
            continue;
        cap = atoi(r->cols[0]);
        d = deviation_of(cap);
        check_cap(t.name, r->line, cap, r->cols[1], "sys", abi_sys_fd(), r->cols[2],
                  d ? d->sys : NULL);
        check_cap(t.name, r->line, cap, r->cols[1], "vm", vm, r->cols[3], d ? d->vm : NULL);
    }
    if (vm >= 0)
        kvm_close(vm);
    abi_tsv_free(&t);
}
