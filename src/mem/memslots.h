/*
 * memslots.h - a VM's guest-physical memory map (KVM_SET_USER_MEMORY_REGION).
 *
 * The VM publishes an immutable snapshot (struct memslots) and replaces it
 * atomically on every change; a running vCPU keeps using the snapshot it loaded
 * until it notices a new generation (engine caches key on it). Old snapshots are
 * retired, not freed, until the VM dies, so a vCPU never reads freed memory.
 * Every guest access goes through a slot's bounds: an address outside all slots
 * (or a write to a read-only slot) is an MMIO access, never a host access.
 */
#ifndef SOFTKVM_MEM_MEMSLOTS_H
#define SOFTKVM_MEM_MEMSLOTS_H

#include <stdbool.h>
#include <stdint.h>

#define MEMSLOT_READONLY 0x2u   /* KVM_MEM_READONLY */

struct memslot {
    uint64_t gpa;        /* guest-physical base, page aligned */
    uint64_t size;       /* bytes, page multiple, > 0 */
    uint8_t *hva;        /* host address of gpa */
    uint32_t flags;      /* KVM_MEM_* */
    uint32_t id;         /* KVM slot number */
};

struct memslots {
    uint64_t generation; /* increases with every published change */
    unsigned n;          /* slots sorted by gpa, non-overlapping */
    struct memslot slot[];
};

/* Slot containing gpa, or NULL. Binary search over the sorted snapshot. */
static inline const struct memslot *memslots_find(const struct memslots *ms, uint64_t gpa)
{
    unsigned lo = 0, hi = ms ? ms->n : 0;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const struct memslot *s = &ms->slot[mid];
        if (gpa < s->gpa)
            hi = mid;
        else if (gpa - s->gpa >= s->size)
            lo = mid + 1;
        else
            return s;
    }
    return 0;
}

#endif
