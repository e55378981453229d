/*
 * demux.c - KVM_REG_ARM_DEMUX: the CCSIDR of each cache level, selected by a
 * CSSELR value. Linux 6.1 returns the host's raw CCSIDR and accepts only that
 * value back (sys_regs.c demux_c15_get/set, is_valid_cache; spec 3.8).
 */
#include <errno.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

#define CSSELR_MAX 14

/* Does CSSELR value csselr name a cache of this host (CLIDR Ctype fields)? */
static bool cache_exists(const struct host *h, unsigned csselr)
{
    unsigned level = csselr >> 1;
    bool icache = csselr & 1;
    if (csselr >= CSSELR_MAX)
        return false;
    for (unsigned l = 0; l < level; l++)
        if (((h->clidr >> (3 * l)) & 7) == 0)
            return false;     /* fields after the first "no cache" are ignored */
    switch ((h->clidr >> (3 * level)) & 7) {
    case 1: return icache;            /* instruction only */
    case 2: case 4: return !icache;   /* data only, unified */
    case 3: return true;              /* separate I and D */
    default: return false;
    }
}

unsigned demux_list(const struct vcpu *v, uint64_t *ids)
{
    unsigned n = 0;
    for (unsigned c = 0; c < CSSELR_MAX; c++)
        if (cache_exists(&v->vm->host, c)) {
            if (ids)
                ids[n] = KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | KVM_REG_ARM_DEMUX_ID_CCSIDR | c;
            n++;
        }
    return n;
}

static int demux_lookup(const struct vcpu *v, uint64_t id, uint32_t *val)
{
    uint64_t known = KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_COPROC_MASK |
                     KVM_REG_ARM_DEMUX_ID_MASK | KVM_REG_ARM_DEMUX_VAL_MASK;
    unsigned csselr = (unsigned)(id & KVM_REG_ARM_DEMUX_VAL_MASK);
    if ((id & ~known) || (id & KVM_REG_ARM_DEMUX_ID_MASK) != KVM_REG_ARM_DEMUX_ID_CCSIDR ||
        (id & KVM_REG_SIZE_MASK) != KVM_REG_SIZE_U32 || !cache_exists(&v->vm->host, csselr))
        return EXPLAIN(-ENOENT, "demux id 0x%llx: no such cache (CCSIDR ids are U32, CSSELR values from the reg list)",
                       (unsigned long long)id);
    *val = v->vm->host.ccsidr[csselr];
    return 0;
}

int demux_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    uint32_t val = 0;
    int r = demux_lookup(v, id, &val);
    return r ? r : copy_to_user(uaddr, &val, 4);
}

int demux_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    uint32_t val, want = 0;
    int r = demux_lookup(v, id, &want);
    if (r)
        return r;
    if (copy_from_user(&val, uaddr, 4))
        return -EFAULT;
    if (val != want)
        return EXPLAIN(-EINVAL, "CCSIDR is the host's (0x%x) in Linux 6.1 and cannot be changed", want);
    return 0;
}
