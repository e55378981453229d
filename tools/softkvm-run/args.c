/*
 * args.c - softkvm-run's command line, in the style of kvmtool's `lkvm run`.
 *
 * Sizes accept K/M/G suffixes; vector lengths are in bits, as users (and
 * QEMU's sve<N> properties) say them, and become VQ sets (VQ = bits / 128)
 * only here. Any usage error prints one line and exits with status 2.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static const char usage_text[] =
"usage: softkvm-run [options] IMAGE [-- guest arguments]\n"
"\n"
"Run an AArch64 guest (ELF, or a flat binary with --load-addr) on softkvm, the\n"
"Linux arm64 KVM API in user space. Board: RAM at 0x40000000, PL011 UART at\n"
"0x09000000 on stdout, PSCI through HVC, exit status register at 0x09ff0000.\n"
"\n"
"Machine:\n"
"  -m, --mem SIZE         guest RAM (default 64M; K, M, G suffixes)\n"
"      --load-addr ADDR   IMAGE is a flat binary: load it at ADDR and start there\n"
"  -c, --smp N            number of vCPUs (default 1); vCPU 0 boots, the others\n"
"                         wait powered off for PSCI CPU_ON\n"
"      --reboot           restart the guest on PSCI SYSTEM_RESET (default: stop)\n"
"SVE (vector lengths in bits, multiples of 128):\n"
"      --sve-vls LIST     exactly these lengths, e.g. 128,256,512 or 128-512\n"
"                         (a-b: every multiple of 128 from a to b)\n"
"      --sve-max BITS     every length the host offers up to BITS\n"
"      --no-sve           vCPUs without SVE\n"
"      --host SPEC        emulated host: PRESET[,key=value...] (see --list-hosts)\n"
"      --list-hosts       list the host presets and exit\n"
"Diagnostics:\n"
"      --explain          explain every refused ioctl on stderr (SOFTKVM_EXPLAIN)\n"
"      --trace            trace every guest instruction on stderr\n"
"      --max-insns N      stop each vCPU after N guest instructions (status 1)\n"
"      --timeout SECONDS  stop the guest after SECONDS (status 124)\n"
"      --stats            print instructions, MIPS and exits per vCPU at the end\n"
"      --report FILE      write what was negotiated and how the run ended (key=value)\n"
"      --dump-dtb FILE    write the device tree the guest would get (X0) and exit\n"
"  -v, --verbose          print the SVE negotiation and the boot on stderr\n"
"  -h, --help             this text\n"
"\n"
"Exit status: the guest's (written to 0x09ff0000 before PSCI SYSTEM_OFF; 0 if\n"
"it wrote none), 1 VMM error (unhandled MMIO, KVM_RUN failure, --max-insns),\n"
"2 usage or image error (also an SVE request the host cannot grant), 124 timeout.\n";

static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("softkvm-run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see --help)\n", stderr);
    va_end(ap);
    exit(STATUS_USAGE);
}

/* Unsigned number: decimal or 0x hex, optional K/M/G (binary) when sized. */
static uint64_t parse_number(const char *opt, const char *s, bool sized)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        usage_error("%s: expected a number, got '%s'", opt, s ? s : "");
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        usage_error("%s: expected a number, got '%s'", opt, s);
    unsigned shift = 0;
    if (sized && *end) {
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        default: usage_error("%s: unknown size suffix in '%s' (K, M or G)", opt, s);
        }
        end++;
        if (*end == 'i' || *end == 'B')   /* accept 64MiB, 64MB */
            end++;
        if (*end == 'B')
            end++;
    }
    if (*end)
        usage_error("%s: trailing characters in '%s'", opt, s);
    if (shift && v > (UINT64_MAX >> shift))
        usage_error("%s: '%s' is too large", opt, s);
    return (uint64_t)v << shift;
}

/* A vector length in bits -> VQ. */
static unsigned parse_vl_bits(const char *opt, const char *s)
{
    uint64_t bits = parse_number(opt, s, false);
    if (bits == 0 || bits % 128)
        usage_error("%s: %s is not a vector length (a multiple of 128 bits)", opt, s);
    if (bits > 128ull * KVM_ARM64_SVE_VQ_MAX)
        usage_error("%s: %s bits is beyond the architectural maximum of 2048 "
                    "(and the KVM ABI's %u)", opt, s, 128 * KVM_ARM64_SVE_VQ_MAX);
    return (unsigned)(bits / 128);
}

static void parse_vls(const char *opt, const char *list, struct vqset *out)
{
    char buf[512];
    if (strlen(list) >= sizeof buf)
        usage_error("%s: list too long", opt);
    strcpy(buf, list);
    memset(out, 0, sizeof *out);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(t, '-');
        if (dash) {   /* "256-1024": every multiple of 128 bits in between */
            *dash = 0;
            unsigned lo = parse_vl_bits(opt, t), hi = parse_vl_bits(opt, dash + 1);
            if (lo > hi)
                usage_error("%s: empty range %s-%s", opt, t, dash + 1);
            for (unsigned vq = lo; vq <= hi; vq++)
                vqset_add(out, vq);
        } else {
            vqset_add(out, parse_vl_bits(opt, t));
        }
    }
    if (vqset_empty(out))
        usage_error("%s: empty list of vector lengths", opt);
}

static void list_hosts(void)
{
    const char *const *names = softkvm_host_preset_names();
    printf("Host presets (--host PRESET[,key=value...]; also SOFTKVM_HOST):\n");
    for (size_t i = 0; names[i]; i++) {
        struct softkvm_host_profile p;
        char buf[256];
        softkvm_host_preset(names[i], &p);
        struct vqset s = { { p.sve_vqs } };
        printf("  %-12s SVE %-16s %s\n", names[i], vqset_str(&s, buf, sizeof buf),
               softkvm_host_preset_description(names[i]));
    }
    printf("Overrides: see SOFTKVM_HOST in the README, e.g. --host qemu-max,sve=1-4\n");
}

enum {
    OPT_LOAD_ADDR = 256, OPT_SVE_VLS, OPT_SVE_MAX, OPT_NO_SVE, OPT_HOST, OPT_LIST_HOSTS,
    OPT_EXPLAIN, OPT_TRACE, OPT_MAX_INSNS, OPT_TIMEOUT, OPT_STATS, OPT_REPORT, OPT_REBOOT, OPT_DUMP_DTB,
};

static const struct option longopts[] = {
    { "mem", required_argument, NULL, 'm' },
    { "load-addr", required_argument, NULL, OPT_LOAD_ADDR },
    { "smp", required_argument, NULL, 'c' },
    { "reboot", no_argument, NULL, OPT_REBOOT },
    { "sve-vls", required_argument, NULL, OPT_SVE_VLS },
    { "sve-max", required_argument, NULL, OPT_SVE_MAX },
    { "no-sve", no_argument, NULL, OPT_NO_SVE },
    { "host", required_argument, NULL, OPT_HOST },
    { "list-hosts", no_argument, NULL, OPT_LIST_HOSTS },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "trace", no_argument, NULL, OPT_TRACE },
    { "max-insns", required_argument, NULL, OPT_MAX_INSNS },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "stats", no_argument, NULL, OPT_STATS },
    { "report", required_argument, NULL, OPT_REPORT },
    { "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
    { "verbose", no_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void set_sve_mode(struct options *o, enum sve_mode m, const char *arg)
{
    if (o->sve != SVE_AUTO && o->sve != m)
        usage_error("--sve-vls, --sve-max and --no-sve exclude each other");
    o->sve = m;
    o->sve_arg = arg;
}

void args_parse(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->mem_size = RAM_DEFAULT;
    o->smp = 1;

    opterr = 0;
    int c;
    /* '+': stop at the first non-option (IMAGE), so guest arguments are not ours. */
    while ((c = getopt_long(argc, argv, "+m:c:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            o->mem_size = parse_number("--mem", optarg, true);
            if (o->mem_size < 4096 || o->mem_size % 4096)
                usage_error("--mem: %s is not a positive multiple of 4 KiB", optarg);
            if (o->mem_size > (64ull << 30))
                usage_error("--mem: %s is more than 64G", optarg);
            break;
        case OPT_LOAD_ADDR:
            o->flat = true;
            o->load_addr = parse_number("--load-addr", optarg, false);
            if (o->load_addr % 4)
                usage_error("--load-addr: 0x%llx is not 4-byte aligned (instructions are)",
                            (unsigned long long)o->load_addr);
            break;
        case 'c': {
            uint64_t n = parse_number("--smp", optarg, false);
            if (n < 1 || n > 512)
                usage_error("--smp: %s is not in 1..512 (KVM_MAX_VCPUS)", optarg);
            o->smp = (unsigned)n;
            break;
        }
        case OPT_REBOOT: o->reboot = true; break;
        case OPT_SVE_VLS:
            set_sve_mode(o, SVE_LIST, optarg);
            parse_vls("--sve-vls", optarg, &o->sve_vls);
            break;
        case OPT_SVE_MAX:
            set_sve_mode(o, SVE_MAX, optarg);
            o->sve_max_vq = parse_vl_bits("--sve-max", optarg);
            break;
        case OPT_NO_SVE: set_sve_mode(o, SVE_OFF, NULL); break;
        case OPT_HOST: {
            struct softkvm_host_profile p;
            char err[256];
            if (softkvm_host_parse(optarg, &p, err, sizeof err) != 0)
                usage_error("--host %s: %s", optarg, err);
            o->host_spec = optarg;
            break;
        }
        case OPT_LIST_HOSTS: list_hosts(); exit(0);
        case OPT_EXPLAIN: o->explain = true; break;
        case OPT_TRACE: o->trace = true; break;
        case OPT_MAX_INSNS:
            o->max_insns = parse_number("--max-insns", optarg, true);
            if (!o->max_insns)
                usage_error("--max-insns: must be at least 1");
            break;
        case OPT_TIMEOUT: {
            char *end;
            errno = 0;
            o->timeout_s = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(o->timeout_s > 0) || o->timeout_s > 1e6)
                usage_error("--timeout: '%s' is not a number of seconds", optarg);
            break;
        }
        case OPT_STATS: o->stats = true; break;
        case OPT_REPORT: o->report_path = optarg; break;
        case OPT_DUMP_DTB: o->dump_dtb = optarg; break;
        case 'v': o->verbose = true; break;
        case 'h': fputs(usage_text, stdout); exit(0);
        case ':':
            usage_error("option %s needs an argument", argv[optind - 1]);
            break;
        default:
            if (optopt)
                usage_error("unknown option -%c", optopt);
            usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    /* IMAGE, then guest arguments after an optional "--". getopt stops after a
     * "--" of its own: then there is no IMAGE (allowed with --dump-dtb only). */
    bool dashdash = optind > 0 && optind <= argc && strcmp(argv[optind - 1], "--") == 0;
    if (!dashdash && optind < argc)
        o->image = argv[optind++];
    if (!o->image && !o->dump_dtb)
        usage_error("no IMAGE given");
    if (!dashdash && optind < argc && strcmp(argv[optind], "--") == 0)
        optind++;
    if (optind < argc) {
        o->guest_argc = argc - optind;
        o->guest_argv = argv + optind;
    }
}
