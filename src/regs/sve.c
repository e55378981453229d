/*
 * sve.c - the SVE register class (coproc 0x15): Z0-31, P0-15, FFR, and the
 * KVM_REG_ARM64_SVE_VLS pseudo-register that configures the vector lengths.
 *
 * VLS is the SVE feature's configuration: writable between INIT and
 * FINALIZE(SVE), only to a prefix of the host's VQ set (spec 3.5; data/vls.tsv).
 * Z/P/FFR exist once the configuration is finalized; ids are always the
 * 2048-bit (Z) / 256-bit (P, FFR) slice 0, of which KVM keeps max-VL bytes.
 * Order of checks: Linux 6.1 guest.c get/set_sve_vls, sve_reg_to_region.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

#define Z_FIRST KVM_REG_ARM64_SVE_ZREG(0, 0)
#define Z_LAST KVM_REG_ARM64_SVE_ZREG(31, 31)
#define P_FIRST KVM_REG_ARM64_SVE_PREG(0, 0)
#define FFR_LAST KVM_REG_ARM64_SVE_FFR(31)
#define VLS_WORDS 8   /* KVM_ARM64_SVE_VLS_WORDS */

struct sve_region {
    uint8_t *storage;
    unsigned kept;      /* bytes KVM keeps: VQ*16 (Z) or VQ*2 (P, FFR) */
    unsigned size;      /* bytes of the id: 256 or 32 */
};

/* guest.c:sve_reg_to_region: id ranges first (EINVAL, even without SVE), then
 * "no SVE or slice != 0" (ENOENT), the finalize check being the caller's. */
static int sve_region(struct vcpu *v, uint64_t id, struct sve_region *out)
{
    unsigned vq = v->sve_max_vq;
    if (id >= Z_FIRST && id <= Z_LAST) {
        unsigned n = (id >> 5) & 31, slice = id & 31;
        if (!v->has_sve || slice)
            goto enoent;
        *out = (struct sve_region){ v->cpu.z[n], vq * 16, 256 };
        return 0;
    }
    if (id >= P_FIRST && id <= FFR_LAST) {
        unsigned n = (id >> 5) & 31, slice = id & 31;
        if (!v->has_sve || slice)
            goto enoent;
        *out = (struct sve_region){ n == 16 ? v->cpu.ffr : v->cpu.p[n], vq * 2, 32 };
        return 0;
    }
    return EXPLAIN(-EINVAL, "id 0x%llx is not an SVE register (Z: U2048, P/FFR: U256, VLS: U512)",
                   (unsigned long long)id);
enoent:
    if (!v->has_sve)
        return EXPLAIN(-ENOENT, "vCPU %u has no SVE (KVM_ARM_VCPU_SVE was not requested at INIT)", v->id);
    return EXPLAIN(-ENOENT, "SVE register slice %u: Linux 6.1 only has slice 0", (unsigned)(id & 31));
}

static int vls_get(struct vcpu *v, void *uaddr)
{
    if (!v->has_sve)
        return EXPLAIN(-ENOENT, "vCPU %u has no SVE: KVM_REG_ARM64_SVE_VLS needs KVM_ARM_VCPU_SVE at INIT", v->id);
    uint64_t vqs[VLS_WORDS] = { 0 };
    vqs[0] = v->vm->host.p.sve_vqs & ((1ull << v->sve_max_vq) - 1);
    return copy_to_user(uaddr, vqs, sizeof vqs);
}

static void vqs_describe(uint64_t set, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (unsigned q = 1; q <= 64 && o + 8 < len; q++)
        if (set >> (q - 1) & 1)
            o += (size_t)snprintf(buf + o, len - o, "%s%u", o ? "," : "", q);
    if (!o)
        snprintf(buf, len, "none");
}

/* guest.c:set_sve_vls: the set must be exactly the host's VQs up to its maximum. */
static int vls_set(struct vcpu *v, const void *uaddr)
{
    if (!v->has_sve)
        return EXPLAIN(-ENOENT, "vCPU %u has no SVE: KVM_REG_ARM64_SVE_VLS needs KVM_ARM_VCPU_SVE at INIT", v->id);
    if (v->sve_finalized)
        return EXPLAIN(-EPERM, "vCPU %u is finalized: write KVM_REG_ARM64_SVE_VLS after KVM_ARM_VCPU_INIT "
                       "and before KVM_ARM_VCPU_FINALIZE", v->id);
    uint64_t vqs[VLS_WORDS];
    if (copy_from_user(vqs, uaddr, sizeof vqs))
        return -EFAULT;

    const struct host *h = &v->vm->host;
    unsigned max = 0;
    for (unsigned w = VLS_WORDS; w-- > 0;)
        if (vqs[w]) {
            max = w * 64 + 64 - (unsigned)__builtin_clzll(vqs[w]);
            break;
        }
    char want[200], host[200];
    vqs_describe(vqs[0], want, sizeof want);
    vqs_describe(h->p.sve_vqs, host, sizeof host);
    if (max > h->sve_max_vq)
        return EXPLAIN(-EINVAL, "VQ %u is above this host's maximum VQ %u (host VQs: %s)", max, h->sve_max_vq, host);
    for (unsigned q = 1; q <= max; q++) {
        bool asked = vqs[0] >> (q - 1) & 1;
        if (asked != host_has_vq(h, q))
            return EXPLAIN(-EINVAL, "requested VQs {%s}: Linux 6.1 accepts only the host's VQs up to a maximum "
                           "(a prefix of {%s}); VQ %u is %s", want, host, q,
                           asked ? "not supported by the host" : "supported by the host and cannot be left out");
    }
    if (max == 0)
        return EXPLAIN(-EINVAL, "the VQ set is empty: at least VQ 1 (128 bits) is needed");
    v->sve_max_vq = max;
    return 0;
}

int sve_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    if (id == KVM_REG_ARM64_SVE_VLS)
        return vls_get(v, uaddr);
    struct sve_region r = { 0 };
    int e = sve_region(v, id, &r);
    if (e)
        return e;
    if (!v->sve_finalized)
        return EXPLAIN(-EPERM, "vCPU %u: SVE registers exist only after KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)", v->id);
    uint8_t buf[256] = { 0 };
    memcpy(buf, r.storage, r.kept);
    return copy_to_user(uaddr, buf, r.size);
}

int sve_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    if (id == KVM_REG_ARM64_SVE_VLS)
        return vls_set(v, uaddr);
    struct sve_region r = { 0 };
    int e = sve_region(v, id, &r);
    if (e)
        return e;
    if (!v->sve_finalized)
        return EXPLAIN(-EPERM, "vCPU %u: SVE registers exist only after KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_SVE)", v->id);
    uint8_t buf[256];
    if (copy_from_user(buf, uaddr, r.size))
        return -EFAULT;
    memcpy(r.storage, buf, r.kept);
    return 0;
}

unsigned sve_list(const struct vcpu *v, uint64_t *ids)
{
    if (!v->has_sve)
        return 0;
    unsigned n = 0;
    if (ids)
        ids[n] = KVM_REG_ARM64_SVE_VLS;
    n++;
    for (unsigned i = 0; i < 32; i++, n++)
        if (ids)
            ids[n] = KVM_REG_ARM64_SVE_ZREG(i, 0);
    for (unsigned i = 0; i < 16; i++, n++)
        if (ids)
            ids[n] = KVM_REG_ARM64_SVE_PREG(i, 0);
    if (ids)
        ids[n] = KVM_REG_ARM64_SVE_FFR(0);
    return n + 1;
}
