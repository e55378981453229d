/*
 * memslots_vm.h - the VM-side operations on memslots.
 */
#ifndef SOFTKVM_MEM_MEMSLOTS_VM_H
#define SOFTKVM_MEM_MEMSLOTS_VM_H

#include "mem/memslots.h"

struct vm;
struct kvm_userspace_memory_region;

/* KVM_SET_USER_MEMORY_REGION. Returns 0 or -EINVAL/-EEXIST/-EFAULT/-ENOMEM. */
int vm_set_memory_region(struct vm *vm, const struct kvm_userspace_memory_region *mr);

/* Wait until no vCPU executes with a map older than the current one. */
void vm_memslots_sync(struct vm *vm);

/* Free every snapshot (VM destruction). */
void vm_free_memslots(struct vm *vm);

#endif
