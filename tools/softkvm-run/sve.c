/*
 * sve.c - SVE vector-length negotiation, the sequence every arm64 VMM performs:
 *
 *   KVM_ARM_VCPU_INIT(SVE) -> GET KVM_REG_ARM64_SVE_VLS (what the host offers)
 *   -> intersect with the user's request -> SET KVM_REG_ARM64_SVE_VLS
 *   -> KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE) -> GET VLS again (what the vCPU has).
 *
 * Linux 6.1 accepts a SET only if it equals the host's set cut off at its own
 * maximum (spec 3.5, guest.c:set_sve_vls): lengths cannot be removed from the
 * middle, and VQ 1 is always in. So `--sve-max` always has an answer (the host
 * lengths up to it), while an exact `--sve-vls` list may not; KVM then says
 * EINVAL and we say why, naming what the host offers and what it would accept.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

#define VQ_LIMIT KVM_ARM64_SVE_VQ_MAX

bool vqset_has(const struct vqset *s, unsigned vq)
{
    return vq >= 1 && vq <= VQ_LIMIT && (s->w[(vq - 1) / 64] >> ((vq - 1) % 64) & 1);
}

void vqset_add(struct vqset *s, unsigned vq)
{
    if (vq >= 1 && vq <= VQ_LIMIT)
        s->w[(vq - 1) / 64] |= 1ull << ((vq - 1) % 64);
}

unsigned vqset_max(const struct vqset *s)
{
    for (unsigned vq = VQ_LIMIT; vq >= 1; vq--)
        if (vqset_has(s, vq))
            return vq;
    return 0;
}

bool vqset_empty(const struct vqset *s)
{
    return vqset_max(s) == 0;
}

bool vqset_equal(const struct vqset *a, const struct vqset *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

const char *vqset_str(const struct vqset *s, char *buf, size_t len)
{
    /* Runs of 3 or more consecutive VQs print as "first-last" (every multiple of
     * 128 bits in between), the form --sve-vls also accepts. */
    size_t n = 0;
    buf[0] = 0;
    for (unsigned vq = 1; vq <= VQ_LIMIT && n < len; vq++) {
        if (!vqset_has(s, vq))
            continue;
        unsigned last = vq;
        while (last < VQ_LIMIT && vqset_has(s, last + 1))
            last++;
        if (last - vq >= 2) {
            n += (size_t)snprintf(buf + n, len - n, "%s%u-%u", n ? "," : "", vq * 128, last * 128);
            vq = last;
        } else {
            n += (size_t)snprintf(buf + n, len - n, "%s%u", n ? "," : "", vq * 128);
        }
    }
    if (!buf[0])
        snprintf(buf, len, "none");
    return buf;
}

/* s restricted to VQs <= max_vq. */
static struct vqset vqset_cut(const struct vqset *s, unsigned max_vq)
{
    struct vqset r;
    memset(&r, 0, sizeof r);
    for (unsigned vq = 1; vq <= max_vq && vq <= VQ_LIMIT; vq++)
        if (vqset_has(s, vq))
            vqset_add(&r, vq);
    return r;
}

static int vls_get(int vcpu_fd, struct vqset *s)
{
    struct kvm_one_reg reg = { KVM_REG_ARM64_SVE_VLS, (uint64_t)(uintptr_t)s->w };
    return kvm_ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
}

static int vls_set(int vcpu_fd, const struct vqset *s)
{
    struct kvm_one_reg reg = { KVM_REG_ARM64_SVE_VLS, (uint64_t)(uintptr_t)s->w };
    return kvm_ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg);
}

bool sve_host_has(int vm_fd)
{
    return kvm_ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE) > 0;
}

static const char *host_name(void)
{
    static struct softkvm_host_profile p;
    softkvm_get_host_profile(&p);
    return p.name[0] ? p.name : "this host";
}

/* KVM refused (or would refuse) an exact --sve-vls list: say why, in the user's units. */
static void explain_refusal(const struct options *o, const struct vqset *host, int err)
{
    char hs[512], acc[512];
    const struct vqset *req = &o->sve_vls;
    unsigned m = vqset_max(req);

    fprintf(stderr, "softkvm-run: --sve-vls %s: refused by KVM (%s). The host (%s) offers %s bits; ",
            o->sve_arg, strerror(err), host_name(), vqset_str(host, hs, sizeof hs));
    for (unsigned vq = 1; vq <= VQ_LIMIT; vq++) {
        if (vqset_has(req, vq) && !vqset_has(host, vq)) {
            fprintf(stderr, "%u is not among them. ", vq * 128);
            break;
        }
    }
    /* The accepted sets are the host set cut at one of its own lengths: suggest the
     * largest one not above the request's maximum. */
    unsigned cut = 0;
    for (unsigned vq = 1; vq <= m && vq <= VQ_LIMIT; vq++)
        if (vqset_has(host, vq))
            cut = vq;
    if (!cut)
        cut = 1;
    struct vqset ok = vqset_cut(host, cut);
    fprintf(stderr, "Linux 6.1 accepts only the host's set cut off at a maximum, "
            "so the closest it would accept is %s (--sve-max %u).\n",
            vqset_str(&ok, acc, sizeof acc), cut * 128);
}

int sve_configure(int vcpu_fd, const struct options *o, bool first, struct sve_result *res)
{
    char b1[512], b2[512];
    struct vqset host;
    memset(&host, 0, sizeof host);
    if (vls_get(vcpu_fd, &host) != 0) {
        fprintf(stderr, "softkvm-run: KVM_GET_ONE_REG(KVM_REG_ARM64_SVE_VLS): %s\n", strerror(errno));
        return -1;
    }

    struct vqset want;
    if (!first) {
        want = res->requested;
    } else {
        res->host = host;
        switch (o->sve) {
        case SVE_MAX:
            want = vqset_cut(&host, o->sve_max_vq);
            if (vqset_empty(&want)) {   /* cannot happen: VQ 1 is architecturally required */
                fprintf(stderr, "softkvm-run: --sve-max %s: the host (%s) offers no length up to it (%s)\n",
                        o->sve_arg, host_name(), vqset_str(&host, b1, sizeof b1));
                return -1;
            }
            if (o->verbose && o->sve_max_vq > vqset_max(&host))
                fprintf(stderr, "softkvm-run: --sve-max %s: the host's maximum is %u bits\n",
                        o->sve_arg, vqset_max(&host) * 128);
            break;
        case SVE_LIST:
            want = o->sve_vls;
            break;
        default:
            want = host;
            break;
        }
        res->requested = want;
        if (o->verbose)
            fprintf(stderr, "softkvm-run: SVE: host %s offers %s bits; requesting %s\n",
                    host_name(), vqset_str(&host, b1, sizeof b1), vqset_str(&want, b2, sizeof b2));
    }

    if (vls_set(vcpu_fd, &want) != 0) {
        int e = errno;
        if (first && o->sve == SVE_LIST && e == EINVAL)
            explain_refusal(o, &host, e);
        else
            fprintf(stderr, "softkvm-run: KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS, %s): %s\n",
                    vqset_str(&want, b1, sizeof b1), strerror(e));
        return -1;
    }
    int what = KVM_ARM_VCPU_SVE;
    if (kvm_ioctl(vcpu_fd, KVM_ARM_VCPU_FINALIZE, &what) != 0) {
        fprintf(stderr, "softkvm-run: KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE): %s\n", strerror(errno));
        return -1;
    }
    struct vqset final;
    memset(&final, 0, sizeof final);
    if (vls_get(vcpu_fd, &final) != 0) {
        fprintf(stderr, "softkvm-run: KVM_GET_ONE_REG(KVM_REG_ARM64_SVE_VLS) after FINALIZE: %s\n",
                strerror(errno));
        return -1;
    }
    if (first) {
        res->final = final;
        if (o->verbose)
            fprintf(stderr, "softkvm-run: SVE: finalized with %s bits (max VL %u bits)\n",
                    vqset_str(&final, b1, sizeof b1), vqset_max(&final) * 128);
    }
    if (!vqset_equal(&final, &want)) {
        fprintf(stderr, "softkvm-run: vCPU VLS after FINALIZE is %s, not the %s that was set\n",
                vqset_str(&final, b1, sizeof b1), vqset_str(&want, b2, sizeof b2));
        return -1;
    }
    return 0;
}
