/*
 * presets.c - named host profiles and the SOFTKVM_HOST parser.
 *
 * Presets model machines a VMM will meet. SVE sets follow what each CPU
 * implements: QEMU's `-cpu max` offers every VQ 1..16; Neoverse V1 (Graviton3)
 * has a 256-bit maximum; Neoverse N2/V2 (Graviton4) 128-bit; A64FX 512-bit.
 * The architecture requires every power-of-two length up to the maximum, so a
 * 256-bit machine offers {128, 256} and A64FX {128, 256, 512}.
 */
#include "host/host.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VQ(n) (1u << ((n) - 1))
#define VQ_RANGE(lo, hi) ((((hi) >= 32 ? 0xffffffffu : ((1u << (hi)) - 1))) & ~((1u << ((lo) - 1)) - 1))

struct preset {
    const char *name;
    const char *description;
    struct softkvm_host_profile p;
};

static const struct preset presets[] = {
    { "qemu-max", "QEMU -cpu max (the measured reference host): SVE 128..2048 bits, PAuth, PMUv3, AArch32 EL1",
      { VQ_RANGE(1, 16), true, true, true, 48, 2, "qemu-max" } },
    { "graviton3", "Neoverse V1 / AWS Graviton3: SVE up to 256 bits {128,256}, PAuth, PMUv3",
      { VQ(1) | VQ(2), true, true, false, 48, 2, "graviton3" } },
    { "graviton4", "Neoverse V2 / AWS Graviton4: SVE 128 bits only, PAuth, PMUv3",
      { VQ(1), true, true, false, 48, 2, "graviton4" } },
    { "neoverse-n2", "Neoverse N2: SVE 128-bit only, PAuth, PMUv3",
      { VQ(1), true, true, false, 48, 2, "neoverse-n2" } },
    { "a64fx", "Fujitsu A64FX: SVE up to 512 bits {128,256,512}, no PAuth, PMUv3",
      { VQ(1) | VQ(2) | VQ(4), false, true, true, 48, 2, "a64fx" } },
    { "nosve", "An ARMv8.2 host without SVE (e.g. Neoverse N1 / Graviton2): PMUv3, no PAuth",
      { 0, false, true, true, 48, 2, "nosve" } },
};

static pthread_mutex_t profile_lock = PTHREAD_MUTEX_INITIALIZER;
static struct softkvm_host_profile current;
static bool current_set;

static const struct preset *preset_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strlen(presets[i].name) == len && strncmp(presets[i].name, name, len) == 0)
            return &presets[i];
    return NULL;
}

int softkvm_host_preset(const char *name, struct softkvm_host_profile *out)
{
    const struct preset *pr = name ? preset_find(name, strlen(name)) : NULL;
    if (!pr) {
        errno = EINVAL;
        return -1;
    }
    *out = pr->p;
    return 0;
}

const char *const *softkvm_host_preset_names(void)
{
    static const char *names[sizeof presets / sizeof presets[0] + 1];
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        names[i] = presets[i].name;
    return names;
}

const char *softkvm_host_preset_description(const char *name)
{
    const struct preset *pr = name ? preset_find(name, strlen(name)) : NULL;
    return pr ? pr->description : NULL;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"))
        *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
        *out = false;
    else
        return false;
    return true;
}

/* "off" | list of VQs or VQ ranges "1-4,8" | bit lengths with a "b" suffix ("128b,256b"). */
static bool parse_vqs(const char *v, uint32_t *out)
{
    if (!strcmp(v, "off") || !strcmp(v, "none")) {
        *out = 0;
        return true;
    }
    uint32_t set = 0;
    const char *s = v;
    while (*s) {
        char *end;
        long lo = strtol(s, &end, 10), hi = lo;
        if (end == s)
            return false;
        if (*end == 'b') { /* bits */
            if (lo % 128)
                return false;
            lo = hi = lo / 128;
            end++;
        } else if (*end == '-') {
            s = end + 1;
            hi = strtol(s, &end, 10);
            if (end == s)
                return false;
        }
        if (lo < 1 || hi > 16 || lo > hi)
            return false;
        for (long q = lo; q <= hi; q++)
            set |= VQ(q);
        s = end;
        if (*s == ':' || *s == '+' || *s == ' ')
            s++;
        else if (*s)
            return false;
    }
    *out = set;
    return set != 0;
}

static int fail(char *err, size_t errlen, const char *fmt, const char *arg)
{
    if (err && errlen)
        snprintf(err, errlen, fmt, arg);
    errno = EINVAL;
    return -1;
}

/* Real hardware offers every power-of-two VQ below its maximum (Arm ARM: SVE
 * implementations must support all power-of-two lengths up to the maximum). */
static bool vqs_plausible(uint32_t set)
{
    if (!set)
        return true;
    unsigned max = 32 - (unsigned)__builtin_clz(set);
    for (unsigned q = 1; q < max; q *= 2)
        if (!(set & VQ(q)))
            return false;
    return true;
}

int softkvm_host_parse(const char *spec, struct softkvm_host_profile *out, char *err, size_t errlen)
{
    if (!spec || !*spec)
        return fail(err, errlen, "empty host specification%s", "");
    char buf[256];
    if (strlen(spec) >= sizeof buf)
        return fail(err, errlen, "host specification too long%s", "");
    strcpy(buf, spec);

    char *save = NULL, *tok = strtok_r(buf, ",", &save);
    const struct preset *pr = preset_find(tok, strlen(tok));
    if (!pr)
        return fail(err, errlen, "unknown host preset '%s' (see softkvm-run --list-hosts)", tok);
    struct softkvm_host_profile p = pr->p;

    /* Options are comma separated, but "sve=1,2,4" also uses commas: a token
     * without '=' continues the previous sve list. */
    char sve_list[128] = "";
    bool in_sve = false;
    for (tok = strtok_r(NULL, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            if (!in_sve)
                return fail(err, errlen, "expected key=value, got '%s'", tok);
            if (strlen(sve_list) + strlen(tok) + 2 >= sizeof sve_list)
                return fail(err, errlen, "sve list too long%s", "");
            strcat(sve_list, ":");
            strcat(sve_list, tok);
            continue;
        }
        *eq = 0;
        const char *key = tok, *val = eq + 1;
        in_sve = false;
        bool b;
        if (!strcmp(key, "sve")) {
            if (strlen(val) >= sizeof sve_list)
                return fail(err, errlen, "sve list too long%s", "");
            strcpy(sve_list, val);
            in_sve = true;
        } else if (!strcmp(key, "ptrauth") || !strcmp(key, "pauth")) {
            if (!parse_bool(val, &b))
                return fail(err, errlen, "ptrauth wants on/off, got '%s'", val);
            p.ptrauth = b;
        } else if (!strcmp(key, "pmu")) {
            if (!parse_bool(val, &b))
                return fail(err, errlen, "pmu wants on/off, got '%s'", val);
            p.pmu = b;
        } else if (!strcmp(key, "el1_32bit") || !strcmp(key, "aarch32")) {
            if (!parse_bool(val, &b))
                return fail(err, errlen, "el1_32bit wants on/off, got '%s'", val);
            p.el1_32bit = b;
        } else if (!strcmp(key, "ipa")) {
            long v = strtol(val, NULL, 10);
            if (v < 32 || v > 48)
                return fail(err, errlen, "ipa must be 32..48, got '%s'", val);
            p.ipa_bits = (unsigned)v;
        } else if (!strcmp(key, "cpus")) {
            long v = strtol(val, NULL, 10);
            if (v < 1 || v > 512)
                return fail(err, errlen, "cpus must be 1..512, got '%s'", val);
            p.nr_cpus = (unsigned)v;
        } else {
            return fail(err, errlen, "unknown host option '%s' (sve, ptrauth, pmu, el1_32bit, ipa, cpus)", key);
        }
    }
    if (*sve_list) {
        uint32_t set;
        if (!parse_vqs(sve_list, &set))
            return fail(err, errlen, "bad sve set '%s': use off, VQs 1..16 like 1-4 or 1,2,4, or bits like 256b", sve_list);
        if (!vqs_plausible(set))
            return fail(err, errlen, "sve set '%s' lacks a power-of-two length below its maximum, which no real CPU does", sve_list);
        p.sve_vqs = set;
    }
    snprintf(p.name, sizeof p.name, "%s", spec);
    *out = p;
    return 0;
}

int softkvm_set_host_profile(const struct softkvm_host_profile *p)
{
    if (!p || !vqs_plausible(p->sve_vqs) || (p->sve_vqs >> 16) || p->ipa_bits < 32 || p->ipa_bits > 48 ||
        p->nr_cpus < 1 || p->nr_cpus > 512) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&profile_lock);
    current = *p;
    current_set = true;
    pthread_mutex_unlock(&profile_lock);
    return 0;
}

static void profile_from_env(struct softkvm_host_profile *p)
{
    const char *spec = getenv("SOFTKVM_HOST");
    char err[200];
    if (spec && *spec) {
        if (softkvm_host_parse(spec, p, err, sizeof err) == 0)
            return;
        fprintf(stderr, "softkvm: SOFTKVM_HOST: %s; using qemu-max\n", err);
    }
    softkvm_host_preset("qemu-max", p);
}

void softkvm_get_host_profile(struct softkvm_host_profile *out)
{
    pthread_mutex_lock(&profile_lock);
    if (!current_set) {
        profile_from_env(&current);
        current_set = true;
    }
    *out = current;
    pthread_mutex_unlock(&profile_lock);
}

void host_current(struct host *out)
{
    memset(out, 0, sizeof *out);
    softkvm_get_host_profile(&out->p);
    host_derive(out);
}
