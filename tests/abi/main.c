/*
 * main.c - abi-test: the ABI conformance suite's entry point.
 *
 *   abi-test --host default|vq4|vq124|nosve [--group norun|run|all] [--data DIR]
 *            [--only caps,reglist,vls,lifecycle]
 *
 * Prints one PASS/FAIL line per check and a final "# abi-test summary" line; exits 1 if
 * any check failed, 2 on a usage or setup error. In the softkvm build --host also selects
 * the emulated host the data was measured on; on real KVM the host is whatever the
 * machine is (scripts/oracle boots one per cfg).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

#ifndef ABI_DATA_DIR
#define ABI_DATA_DIR "data"
#endif

struct abi_opts abi_opt = { .data_dir = ABI_DATA_DIR, .norun = true, .run = true };

static const struct {
    const char *cfg;
    const char *spec; /* softkvm host profile for the QEMU -cpu max variant measured */
} hosts[] = {
    { "default", "qemu-max" },
    { "vq4", "qemu-max,sve=1-4" },
    { "vq124", "qemu-max,sve=1,2,4" },
    { "nosve", "qemu-max,sve=off" },
};

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s --host default|vq4|vq124|nosve [--group norun|run|all] "
            "[--data DIR] [--only caps,reglist,vls,lifecycle]\n", argv0);
    exit(2);
}

static const char *select_host(const char *cfg)
{
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        if (strcmp(hosts[i].cfg, cfg) != 0)
            continue;
#ifdef ABI_REAL_KVM
        /* This machine's /dev/kvm must be arm64 KVM: refuse anything else (an x86 host
         * running this binary under qemu-user would reach x86 KVM). */
        if (access("/sys/devices/system/cpu/cpu0/regs/identification/midr_el1", R_OK) != 0) {
            fprintf(stderr, "abi-test: not an arm64 Linux kernel; refusing to open /dev/kvm\n");
            exit(2);
        }
        return "real KVM";
#else
        struct softkvm_host_profile p;
        char err[160];

        if (softkvm_host_parse(hosts[i].spec, &p, err, sizeof(err)) != 0 ||
            softkvm_set_host_profile(&p) != 0) {
            printf("FAIL -:0 host profile %s expected=accepted got=%s\n", hosts[i].spec, err);
            exit(2);
        }
        return hosts[i].spec;
#endif
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *only = NULL, *group = "all", *impl;
    int pass, fail;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!v)
            usage(argv[0]);
        if (strcmp(a, "--host") == 0)
            abi_opt.cfg = v;
        else if (strcmp(a, "--data") == 0)
            abi_opt.data_dir = v;
        else if (strcmp(a, "--group") == 0)
            group = v;
        else if (strcmp(a, "--only") == 0)
            only = v;
        else
            usage(argv[0]);
    }
    if (!abi_opt.cfg)
        usage(argv[0]);
    if (strcmp(group, "norun") == 0)
        abi_opt.run = false;
    else if (strcmp(group, "run") == 0)
        abi_opt.norun = false;
    else if (strcmp(group, "all") != 0)
        usage(argv[0]);
    impl = select_host(abi_opt.cfg);
    if (!impl)
        usage(argv[0]);
    printf("# abi-test cfg=%s group=%s kvm=%s data=%s\n", abi_opt.cfg, group, impl,
           abi_opt.data_dir);
    if (abi_opt.norun && (!only || strstr(only, "caps")))
        abi_test_caps();
    if (abi_opt.norun && (!only || strstr(only, "reglist")))
        abi_test_reglist();
    if (!only || strstr(only, "vls"))
        abi_test_vls();
    if (!only || strstr(only, "lifecycle"))
        abi_test_lifecycle();
    if (abi_opt.run && abi_guest_code_available() && (!only || strstr(only, "ipa")))
        abi_test_ipa();
    abi_report_totals(&pass, &fail);
    printf("# abi-test summary cfg=%s group=%s pass=%d fail=%d\n", abi_opt.cfg, group, pass, fail);
    return fail ? 1 : 0;
}
