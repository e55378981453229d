/*
 * memslots.c - KVM_SET_USER_MEMORY_REGION: validation and publication.
 *
 * Rules and their order: Linux 6.1 kvm_main.c __kvm_set_memory_region and
 * check_memory_region_flags, arm64 mmu.c kvm_arch_prepare_memory_region
 * (spec 1.5). A new snapshot is built, then published with one atomic store.
 */
#include "mem/memslots_vm.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "softkvm/kvm.h"
#include "util/alloc.h"
#include "util/explain.h"
#include "hyp/hyp.h"
#include "vcpu/vm.h"

#define MAX_SLOTS 32767
/* access_ok() on arm64 (TASK_SIZE_MAX with 48-bit VAs): the whole range must
 * lie below 2^48. Nothing needs to be mapped yet (VMMs reserve, then
 * populate): a guest access to memory that is not accessible when it happens
 * makes KVM_RUN fail with EFAULT (hyp/run.c, util/hostfault.h). */
#define USER_ADDR_LIMIT (1ull << 48)

static bool user_range_ok(uint64_t addr, uint64_t size)
{
    return size <= USER_ADDR_LIMIT && addr <= USER_ADDR_LIMIT - size;
}

static struct memslots *snapshot_alloc(unsigned n)
{
    return skvm_calloc(1, sizeof(struct memslots) + n * sizeof(struct memslot));
}

int vm_set_memory_region(struct vm *vm, const struct kvm_userspace_memory_region *mr)
{
    uint16_t slot_id = (uint16_t)mr->slot;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

    if (slot_id >= MAX_SLOTS)
        return EXPLAIN(-EINVAL, "slot %u is beyond the %u memslots of a VM", slot_id, MAX_SLOTS);
    if (mr->flags & ~(uint32_t)(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY))
        return EXPLAIN(-EINVAL, "flags 0x%x: only KVM_MEM_LOG_DIRTY_PAGES and KVM_MEM_READONLY exist", mr->flags);
    if (mr->memory_size & (page - 1))
        return EXPLAIN(-EINVAL, "memory_size 0x%llx is not a multiple of the page size", (unsigned long long)mr->memory_size);
    if (mr->guest_phys_addr & (page - 1))
        return EXPLAIN(-EINVAL, "guest_phys_addr 0x%llx is not page aligned", (unsigned long long)mr->guest_phys_addr);
    if (mr->userspace_addr & (page - 1))
        return EXPLAIN(-EINVAL, "userspace_addr 0x%llx is not page aligned", (unsigned long long)mr->userspace_addr);
    if (!user_range_ok(mr->userspace_addr, mr->memory_size))
        return EXPLAIN(-EINVAL, "userspace_addr 0x%llx + memory_size 0x%llx is not user address space (Linux's "
                       "access_ok: below 2^48, no tag in the top byte)", (unsigned long long)mr->userspace_addr,
                       (unsigned long long)mr->memory_size);
    if (mr->slot >> 16)
        return EXPLAIN(-EINVAL, "address space %u does not exist on arm64", mr->slot >> 16);
    if (mr->guest_phys_addr + mr->memory_size < mr->guest_phys_addr)
        return EXPLAIN(-EINVAL, "guest_phys_addr + memory_size wraps around");

    pthread_mutex_lock(&vm->lock);
    const struct memslots *cur = atomic_load(&vm->memslots);
    unsigned n = cur ? cur->n : 0;
    const struct memslot *old = NULL;
    for (unsigned i = 0; i < n; i++)
        if (cur->slot[i].id == slot_id)
            old = &cur->slot[i];

    int r = 0;
    if (mr->memory_size == 0) {
        if (!old) {
            r = EXPLAIN(-EINVAL, "deleting slot %u, which does not exist", slot_id);
            goto out_unlock;
        }
    } else if (old) {
        if ((uint64_t)(uintptr_t)old->hva != mr->userspace_addr || old->size != mr->memory_size ||
            ((old->flags ^ mr->flags) & KVM_MEM_READONLY)) {
            r = EXPLAIN(-EINVAL, "slot %u exists: only its guest_phys_addr or dirty-logging flag may change "
                        "(delete it first to change address, size or KVM_MEM_READONLY)", slot_id);
            goto out_unlock;
        }
        if (old->gpa == mr->guest_phys_addr && old->flags == mr->flags)
            goto out_unlock; /* identical: nothing to do */
    }
    if (mr->memory_size) {
        for (unsigned i = 0; i < n; i++) {
            const struct memslot *s = &cur->slot[i];
            if (s == old)
                continue;
            if (mr->guest_phys_addr < s->gpa + s->size && s->gpa < mr->guest_phys_addr + mr->memory_size) {
                r = EXPLAIN(-EEXIST, "[0x%llx, 0x%llx) overlaps slot %u at [0x%llx, 0x%llx)",
                            (unsigned long long)mr->guest_phys_addr,
                            (unsigned long long)(mr->guest_phys_addr + mr->memory_size), s->id,
                            (unsigned long long)s->gpa, (unsigned long long)(s->gpa + s->size));
                goto out_unlock;
            }
        }
        if (vm->ipa_bits < 64 && mr->guest_phys_addr + mr->memory_size > (1ull << vm->ipa_bits)) {
            r = EXPLAIN(-EFAULT, "the slot ends beyond the VM's %u-bit IPA space (KVM_CREATE_VM type)", vm->ipa_bits);
            goto out_unlock;
        }
    }

    /* Build the new snapshot: every slot but the old one, plus the new one, sorted by gpa. */
    struct memslots *ms = snapshot_alloc(n + 1);
    if (!ms) {
        r = -ENOMEM;
        goto out_unlock;
    }
    struct retired_memslots *ret = NULL;
    if (cur) {
        ret = skvm_malloc(sizeof *ret);
        if (!ret) {
            free(ms);
            r = -ENOMEM;
            goto out_unlock;
        }
    }
    unsigned k = 0;
    for (unsigned i = 0; i < n; i++)
        if (&cur->slot[i] != old)
            ms->slot[k++] = cur->slot[i];
    if (mr->memory_size) {
        struct memslot ns = { mr->guest_phys_addr, mr->memory_size, (uint8_t *)(uintptr_t)mr->userspace_addr,
                              mr->flags, slot_id };
        unsigned pos = k;
        while (pos > 0 && ms->slot[pos - 1].gpa > ns.gpa) {
            ms->slot[pos] = ms->slot[pos - 1];
            pos--;
        }
        ms->slot[pos] = ns;
        k++;
    }
    ms->n = k;
    ms->generation = (cur ? cur->generation : 0) + 1;
    atomic_store(&vm->memslots, ms);
    if (ret) {
        /* vCPUs may still be reading the old snapshot: keep it until the VM dies. */
        ret->ms = (struct memslots *)cur;
        ret->next = vm->retired;
        vm->retired = ret;
    }
out_unlock:
    pthread_mutex_unlock(&vm->lock);
    if (r == 0)
        vm_memslots_sync(vm);
    return r;
}

/* Like Linux's synchronize_srcu after a memslot change: return only once no vCPU
 * can still be executing with an older map, so the VMM may unmap the memory of
 * a deleted or moved slot as soon as the ioctl returns. Running vCPUs are
 * kicked; the engine returns within a few thousand instructions and the next
 * slice loads the new map. */
void vm_memslots_sync(struct vm *vm)
{
    const struct memslots *ms = atomic_load(&vm->memslots);
    uint64_t gen = ms ? ms->generation : 0;
    pthread_mutex_lock(&vm->lock);
    unsigned n = vm->nr_vcpus;
    struct vcpu *vcpus[VM_MAX_VCPU_IDS];
    memcpy(vcpus, vm->vcpus, n * sizeof vcpus[0]);
    pthread_mutex_unlock(&vm->lock);
    for (unsigned i = 0; i < n; i++) {
        struct vcpu *v = vcpus[i];
        while (atomic_load(&v->in_engine) && atomic_load(&v->memslots_gen) < gen) {
            hyp_kick(v);
            sched_yield();
        }
    }
}

void vm_free_memslots(struct vm *vm)
{
    free((void *)atomic_load(&vm->memslots));
    while (vm->retired) {
        struct retired_memslots *n = vm->retired->next;
        free(vm->retired->ms);
        free(vm->retired);
        vm->retired = n;
    }
}
