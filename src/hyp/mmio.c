/*
 * mmio.c - MMIO exits and their completion on the next KVM_RUN.
 *
 * Linux 6.1 mmio.c:io_mem_abort and kvm_handle_mmio_return (spec 4.3): at the
 * exit PC still points at the access and a load's destination is untouched;
 * a store copies exactly len bytes into run->mmio.data (the rest keeps its old
 * contents), a load leaves data[] as it was. The next KVM_RUN (even one that
 * then returns EINTR for immediate_exit) writes the loaded value, extended as
 * the instruction says, and steps PC - unless userspace changed exit_reason.
 */
#include <string.h>

#include "hyp/hyp.h"
#include "softkvm/kvm.h"
#include "vcpu/vm.h"

void hyp_mmio_exit(struct vcpu *v, const void *exit_info)
{
    const struct engine_exit *e = exit_info;
    struct kvm_run *run = v->run;
    run->exit_reason = KVM_EXIT_MMIO;
    run->mmio.phys_addr = e->mmio.addr;
    run->mmio.len = e->mmio.len;
    run->mmio.is_write = e->mmio.is_write;
    if (e->mmio.is_write)
        memcpy(run->mmio.data, e->mmio.data, e->mmio.len);
    v->mmio = MMIO_PENDING;
    v->mmio_exit = *e;
    v->stat_mmio++;
}

void hyp_mmio_complete(struct vcpu *v)
{
    const struct engine_exit *e = &v->mmio_exit;
    struct cpu *c = &v->cpu;
    v->mmio = MMIO_NONE;
    if (!e->mmio.is_write && e->mmio.rt != 31) {
        uint64_t val = 0;
        unsigned len = e->mmio.len;
        for (unsigned i = 0; i < len; i++)
            val |= (uint64_t)v->run->mmio.data[i] << (8 * i);
        if (e->mmio.sign_extend && len < 8) {
            unsigned shift = 64 - 8 * len;
            val = (uint64_t)((int64_t)(val << shift) >> shift);
        }
        if (!e->mmio.sf)
            val = (uint32_t)val;
        c->x[e->mmio.rt] = val;
    }
    c->pc += 4;
}
