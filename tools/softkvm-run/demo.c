/*
 * demo.c - softkvm-demo (`make demo`): the bundled demo guest under several
 * emulated hosts and SVE requests, one softkvm-run per configuration.
 *
 * For each configuration it prints what the VMM negotiated (host set, the
 * request, the VLS read back after FINALIZE; from softkvm-run --report) and
 * what the guest saw (its UART output: ID_AA64PFR0_EL1.SVE, RDVL/CNTB and the
 * checksums of the SVE and Advanced SIMD builds of the same loop), and checks
 * both against what Linux 6.1 KVM would do on such a host. Exit status 1 if a
 * check fails; a build whose engine cannot execute the guest yet still shows
 * the negotiation and says so.
 *
 * Paths: softkvm-run and demo.elf from the build tree (compiled in), or the
 * environment variables SOFTKVM_RUN and SOFTKVM_DEMO_GUEST.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SOFTKVM_RUN_PATH
#define SOFTKVM_RUN_PATH "softkvm-run"
#endif
#ifndef SOFTKVM_DEMO_GUEST_PATH
#define SOFTKVM_DEMO_GUEST_PATH "demo.elf"
#endif

struct config {
    const char *title;
    const char *args[6];        /* extra softkvm-run arguments, NULL-terminated */
    int expect_vl;              /* max VL in bits after FINALIZE; 0 = no SVE; -1 = request refused */
};

static const struct config configs[] = {
    { "QEMU -cpu max host, every length it offers", { "--host", "qemu-max" }, 2048 },
    { "the same host, lengths up to 512 bits", { "--host", "qemu-max", "--sve-max", "512" }, 512 },
    { "the same host, exactly 128 and 256 bits", { "--host", "qemu-max", "--sve-vls", "128,256" }, 256 },
    { "A64FX-like host {128,256,512}", { "--host", "a64fx" }, 512 },
    { "Graviton3-like host {128,256}, asking for up to 512", { "--host", "graviton3", "--sve-max", "512" }, 256 },
    { "Graviton4-like host, 128-bit SVE", { "--host", "graviton4" }, 128 },
    { "SVE host, vCPU without SVE (--no-sve)", { "--host", "qemu-max", "--no-sve" }, 0 },
    { "host without SVE", { "--host", "nosve" }, 0 },
    { "a set Linux 6.1 refuses: 128 and 512 without 256", { "--host", "qemu-max", "--sve-vls", "128,512" }, -1 },
};

struct outcome {
    char report[4096], out[8192], err[8192];
    int status;
};

static void slurp(int fd, char *buf, size_t len)
{
    size_t n = 0;
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        ssize_t r = read(fd, buf + n, len - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == len - 1)
            break;
    }
    buf[n] = 0;
}

static int tmpfile_fd(char *path, size_t len, const char *tag)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/softkvm-demo-%s-XXXXXX", dir && *dir ? dir : "/tmp", tag);
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "softkvm-demo: cannot create a temporary file in %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return fd;
}

static void run_one(const char *runner, const char *guest, const struct config *c, struct outcome *res)
{
    char rpath[256], opath[256], epath[256];
    int rfd = tmpfile_fd(rpath, sizeof rpath, "report");
    int ofd = tmpfile_fd(opath, sizeof opath, "out");
    int efd = tmpfile_fd(epath, sizeof epath, "err");

    const char *argv[16];
    int n = 0;
    argv[n++] = runner;
    argv[n++] = "--timeout";
    argv[n++] = "20";
    argv[n++] = "--report";
    argv[n++] = rpath;
    for (int i = 0; c->args[i]; i++)
        argv[n++] = c->args[i];
    argv[n++] = guest;
    argv[n] = NULL;

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("softkvm-demo: fork");
        exit(1);
    }
    if (pid == 0) {
        dup2(ofd, 1);
        dup2(efd, 2);
        execv(runner, (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", runner, strerror(errno));
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    slurp(rfd, res->report, sizeof res->report);
    slurp(ofd, res->out, sizeof res->out);
    slurp(efd, res->err, sizeof res->err);
    close(rfd);
    close(ofd);
    close(efd);
    unlink(rpath);
    unlink(opath);
    unlink(epath);
}

/* Value of "key=" in a report, or "" (copied into buf). */
static const char *report_get(const char *report, const char *key, char *buf, size_t len)
{
    size_t kl = strlen(key);
    buf[0] = 0;
    for (const char *p = report; p && *p; ) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (ll > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t vl = ll - kl - 1 < len - 1 ? ll - kl - 1 : len - 1;
            memcpy(buf, p + kl + 1, vl);
            buf[vl] = 0;
            break;
        }
        p = nl ? nl + 1 : NULL;
    }
    return buf;
}

/* Print each line of text indented after a label on the first. */
static void print_lines(const char *label, const char *text)
{
    bool first = true;
    for (const char *p = text; *p; ) {
        const char *nl = strchr(p, '\n');
        int ll = nl ? (int)(nl - p) : (int)strlen(p);
        printf("    %-17s %.*s\n", first ? label : "", ll, p);
        first = false;
        p += ll + (nl ? 1 : 0);
    }
    if (first)
        printf("    %-17s (nothing)\n", label);
}

/* One message, without its "softkvm-run: " prefix, word-wrapped under a label. */
static void print_wrapped(const char *label, const char *text)
{
    const char *prefix = "softkvm-run: ";
    if (strncmp(text, prefix, strlen(prefix)) == 0)
        text += strlen(prefix);
    const int width = 72;
    bool first = true;
    while (*text && *text != '\n') {
        int len = (int)strcspn(text, "\n");
        int cut = len;
        if (len > width) {
            cut = width;
            while (cut > 0 && text[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = width;
        }
        printf("    %-17s %.*s\n", first ? label : "", cut, text);
        first = false;
        text += cut;
        while (*text == ' ')
            text++;
    }
}

/* "demo: SVE vector length 512 bits ..." -> 512; 0 if the guest saw no SVE; -1 if it did not say. */
static long guest_vl(const char *out)
{
    const char *p = strstr(out, "SVE vector length ");
    if (p)
        return strtol(p + strlen("SVE vector length "), NULL, 10);
    if (strstr(out, "no SVE on this vCPU"))
        return 0;
    return -1;
}

int main(int argc, char **argv)
{
    const char *runner = getenv("SOFTKVM_RUN");
    const char *guest = getenv("SOFTKVM_DEMO_GUEST");
    if (!runner || !*runner)
        runner = SOFTKVM_RUN_PATH;
    if (!guest || !*guest)
        guest = SOFTKVM_DEMO_GUEST_PATH;
    if (argc > 1) {
        printf("usage: %s\n  runs %s on %s under several SVE configurations\n", argv[0], runner, guest);
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
    }
    if (access(guest, R_OK) != 0) {
        fprintf(stderr, "softkvm-demo: demo guest %s not found (built with aarch64-linux-gnu-gcc; "
                "install gcc-aarch64-linux-gnu and rebuild)\n", guest);
        return 1;
    }

    unsigned n = sizeof configs / sizeof configs[0], failed = 0, not_run = 0, refused = 0, confirmed = 0,
             no_sve_exec = 0;
    printf("softkvm demo: one AArch64 guest, %u SVE configurations.\n"
           "For each, softkvm-run does what an arm64 VMM does on Linux 6.1 KVM:\n"
           "KVM_ARM_VCPU_INIT(SVE) -> read KVM_REG_ARM64_SVE_VLS (host set) -> write the request ->\n"
           "KVM_ARM_VCPU_FINALIZE(SVE) -> read VLS back -> KVM_RUN the guest, which enables SVE, sets\n"
           "ZCR_EL1.LEN to its maximum and reports RDVL/CNTB and the checksum of a loop gcc vectorised\n"
           "for SVE (compared with the Advanced SIMD build of the same loop).\n"
           "Vector lengths in bits; a-b means every multiple of 128 from a to b.\n\n", n);

    for (unsigned i = 0; i < n; i++) {
        const struct config *c = &configs[i];
        struct outcome r;
        char opts[256] = "", b1[512], b2[512], b3[512], b4[64];
        for (int k = 0; c->args[k]; k++)
            snprintf(opts + strlen(opts), sizeof opts - strlen(opts), "%s%s", k ? " " : "", c->args[k]);
        run_one(runner, guest, c, &r);

        printf("[%u/%u] %s\n    softkvm-run %s demo.elf\n", i + 1, n, c->title, opts);
        printf("    %-17s %s\n", "host offers", report_get(r.report, "host_vls", b1, sizeof b1));
        bool sve = strcmp(report_get(r.report, "sve", b4, sizeof b4), "on") == 0;
        const char *result = report_get(r.report, "result", b4, sizeof b4);
        bool ok = true;
        long final_vl = 0;
        if (!*result) {
            print_lines("softkvm-run", r.err);
            ok = false;
        } else if (strcmp(result, "refused") == 0) {
            printf("    %-17s %s\n", "requested", c->args[3] ? c->args[3] : "?");
            print_wrapped("refused", r.err);
            final_vl = -1;
            refused++;
        } else {
            if (sve) {
                printf("    %-17s %s\n", "requested", report_get(r.report, "requested_vls", b2, sizeof b2));
                printf("    %-17s %s (max VL %s bits)\n", "finalized VLS", report_get(r.report, "final_vls", b3,
                       sizeof b3), report_get(r.report, "max_vl_bits", b1, sizeof b1));
                final_vl = strtol(b1, NULL, 10);
            } else {
                printf("    %-17s %s\n", "requested", "no SVE (vCPU initialised without KVM_ARM_VCPU_SVE)");
            }
            if (strcmp(result, "off") == 0 && r.status == 0) {
                print_lines("guest saw", r.out);
                long gvl = guest_vl(r.out);
                if (gvl == final_vl) {
                    confirmed++;
                } else if (strstr(r.out, "SVE advertised but not executable here")) {
                    no_sve_exec++;
                } else {
                    printf("    %-17s guest VL %ld bits, VMM finalized %ld bits\n", "MISMATCH:", gvl, final_vl);
                    ok = false;
                }
            } else if (strstr(r.err, "KVM_EXIT_INTERNAL_ERROR")) {
                if (r.out[0])
                    print_lines("guest output", r.out);
                printf("    %-17s not run: KVM_RUN ended in KVM_EXIT_INTERNAL_ERROR (this build's engine\n"
                       "    %-17s cannot execute the guest yet)\n", "guest saw", "");
                not_run++;
            } else {
                print_lines("guest output", r.out);
                print_lines("softkvm-run", r.err);
                printf("    %-17s softkvm-run ended with %s, status %d\n", "FAILED:", result, r.status);
                ok = false;
            }
        }
        if (final_vl != c->expect_vl) {
            printf("    %-17s expected %s, got %ld\n", "UNEXPECTED:", c->expect_vl < 0 ? "a refusal" :
                   c->expect_vl == 0 ? "no SVE" : "another VL", final_vl);
            ok = false;
        }
        if (!ok)
            failed++;
        printf("\n");
    }
    printf("softkvm demo: %u configurations: %u negotiated and %u refused as Linux 6.1 KVM would.\n"
           "The guest saw the negotiated vector length in %u", n, n - refused, refused, confirmed);
    if (no_sve_exec)
        printf(", ran without SVE execution (not in this build's engine yet) in %u", no_sve_exec);
    if (not_run)
        printf(", did not run (no engine) in %u", not_run);
    printf(".%s\n", failed ? "" : " All checks passed.");
    if (failed)
        printf("%u configuration(s) FAILED.\n", failed);
    return failed ? 1 : 0;
}
