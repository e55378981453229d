/*
 * core.c - KVM_REG_ARM_CORE: registers addressed by their offset (in 32-bit
 * words) into struct kvm_regs.
 *
 * Validation order and quirks of Linux 6.1 guest.c (core_reg_offset_from_id,
 * core_reg_size_from_offset, validate_core_offset, set_core_reg; spec 3.3):
 * range check with ">=" (ENOENT), then the offset must start a listed register
 * with exactly its size and alignment (EINVAL; V registers EINVAL on SVE vCPUs),
 * then the copy (EFAULT), then PSTATE mode checks on SET.
 */
#include <errno.h>
#include <string.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

#define CORE_WORDS (sizeof(struct kvm_regs) / 4)        /* 216 */
#define W(field) (KVM_REG_ARM_CORE_REG(field))           /* offset in u32 words */

/* Size in bytes of the register starting at word offset off, or -EINVAL. */
static int core_size_at(const struct vcpu *v, uint64_t off)
{
    int size;
    if (off <= W(regs.regs[30]) || (off >= W(regs.sp) && off <= W(regs.pstate) && !(off & 1)) ||
        off == W(sp_el1) || off == W(elr_el1) || (off >= W(spsr[0]) && off <= W(spsr[KVM_NR_SPSR - 1])))
        size = 8;
    else if (off >= W(fp_regs.vregs[0]) && off <= W(fp_regs.vregs[31]))
        size = 16;
    else if (off == W(fp_regs.fpsr) || off == W(fp_regs.fpcr))
        size = 4;
    else
        return -EINVAL;
    if (off % (uint64_t)(size / 4))
        return -EINVAL;
    if (size == 16 && v->has_sve)
        return -EINVAL;   /* SVE vCPUs reach Vn only through Zn */
    return size;
}

/* Host storage of the core register at word offset off (validated). */
static void *core_storage(struct vcpu *v, uint64_t off)
{
    struct cpu *c = &v->cpu;
    if (off <= W(regs.regs[30]))
        return &c->x[off / 2];
    if (off == W(regs.sp))
        return &c->sp_el0;
    if (off == W(regs.pc))
        return &c->pc;
    if (off == W(regs.pstate))
        return &c->pstate;
    if (off == W(sp_el1))
        return &c->sp_el1;
    if (off == W(elr_el1))
        return &c->elr_el1;
    if (off >= W(spsr[0]) && off <= W(spsr[KVM_NR_SPSR - 1]))
        return &c->spsr[(off - W(spsr[0])) / 2];
    if (off >= W(fp_regs.vregs[0]) && off <= W(fp_regs.vregs[31]))
        return c->z[(off - W(fp_regs.vregs[0])) / 4];
    if (off == W(fp_regs.fpsr))
        return &c->fpsr;
    return &c->fpcr;
}

static int core_validate(const struct vcpu *v, uint64_t id, uint64_t *off_out)
{
    /* guest.c:core_reg_offset_from_id strips arch, size and the CORE coproc bit. */
    uint64_t off = id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_CORE);
    unsigned size = reg_size_bytes(id);
    if (off >= CORE_WORDS || off + size / 4 >= CORE_WORDS)
        return EXPLAIN(-ENOENT, "core register offset 0x%llx (size %u) is outside struct kvm_regs",
                       (unsigned long long)off, size);
    int want = core_size_at(v, off);
    if (want < 0 || (unsigned)want != size) {
        if (off >= W(fp_regs.vregs[0]) && off <= W(fp_regs.vregs[31]) && v->has_sve)
            return EXPLAIN(-EINVAL, "vCPU %u has SVE: access V registers as KVM_REG_ARM64_SVE_ZREG(n, 0)", v->id);
        return EXPLAIN(-EINVAL, "core offset 0x%llx with size %u is not a register of struct kvm_regs%s",
                       (unsigned long long)off, size, want > 0 ? " (wrong size)" : "");
    }
    *off_out = off;
    return 0;
}

int core_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    uint64_t off = 0;
    int r = core_validate(v, id, &off);
    if (r)
        return r;
    return copy_to_user(uaddr, core_storage(v, off), reg_size_bytes(id));
}

/* guest.c:set_core_reg: which PSTATE.M values a vCPU may be given. */
static int check_mode(const struct vcpu *v, uint64_t pstate)
{
    bool el1_32 = v->features & (1u << KVM_ARM_VCPU_EL1_32BIT);
    switch (pstate & 0x1f) {
    case 0x10: /* AArch32 USR */
        if (!v->vm->host.p.el1_32bit)   /* AArch32 EL0 on the host: present on every profile with EL1 32-bit */
            return EXPLAIN(-EINVAL, "PSTATE mode USR (AArch32 EL0): this host has no AArch32");
        return 0;
    case 0x11: case 0x12: case 0x13: case 0x17: case 0x1b: case 0x1f:
        if (!el1_32)
            return EXPLAIN(-EINVAL, "PSTATE mode 0x%llx is AArch32 EL1: vCPU %u is AArch64 (no KVM_ARM_VCPU_EL1_32BIT)",
                           (unsigned long long)(pstate & 0x1f), v->id);
        return 0;
    case 0x0: case 0x4: case 0x5:
        if (el1_32)
            return EXPLAIN(-EINVAL, "PSTATE mode 0x%llx is AArch64: vCPU %u runs AArch32 at EL1",
                           (unsigned long long)(pstate & 0x1f), v->id);
        return 0;
    default:
        return EXPLAIN(-EINVAL, "PSTATE mode 0x%llx: a guest may only be given EL0t, EL1t, EL1h or an AArch32 mode",
                       (unsigned long long)(pstate & 0x1f));
    }
}

int core_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    uint64_t off = 0;
    int r = core_validate(v, id, &off);
    if (r)
        return r;
    unsigned size = reg_size_bytes(id);
    uint8_t buf[16];
    if (copy_from_user(buf, uaddr, size))
        return -EFAULT;
    if (off == W(regs.pstate)) {
        uint64_t val;
        memcpy(&val, buf, 8);
        if ((r = check_mode(v, val)))
            return r;
    }
    memcpy(core_storage(v, off), buf, size);

    /* An AArch32 PSTATE truncates the visible registers to 32 bits. 6.1 switches
     * on the whole PSTATE value, so only an exact USR/SYS value keeps r15..r30. */
    struct cpu *c = &v->cpu;
    if (c->pstate & 0x10) {
        unsigned nr = (c->pstate == 0x10 || c->pstate == 0x1f) ? 15 : 31;
        for (unsigned i = 0; i < nr; i++)
            c->x[i] = (uint32_t)c->x[i];
        c->pc = (uint32_t)c->pc;
    }
    return 0;
}

unsigned core_list(const struct vcpu *v, uint64_t *ids)
{
    unsigned n = 0;
    for (uint64_t off = 0; off < CORE_WORDS; off++) {
        int size = core_size_at(v, off);
        if (size < 0)
            continue;
        if (ids) {
            uint64_t sz = size == 8 ? KVM_REG_SIZE_U64 : size == 16 ? KVM_REG_SIZE_U128 : KVM_REG_SIZE_U32;
            ids[n] = KVM_REG_ARM64 | sz | KVM_REG_ARM_CORE | off;
        }
        n++;
    }
    return n;
}
