/*
 * ioctl_ops_vm.c - fuzz_ioctl's operations on the system and VM fds: VM and
 * vCPU creation (with the errno predicted from spec 1.3/1.4), memslots against
 * a shadow of the map (spec 1.5), capabilities, ENABLE_CAP, the preferred
 * target, closing fds (a VM fd under live vCPUs included) and writing guest
 * memory.
 */
#include <fcntl.h>

#include "ioctl_state.h"

void fzop_create_vm(struct bytes *b)
{
    if (fz.nvms >= FZ_MAX_VMS)
        return;
    static const unsigned long types[] = { 0, 32, 36, 40, 44, 48, 31, 49, 0x100, 1 };
    unsigned c = take8(b);
    unsigned long type = c < 200 ? types[c % 10] : (unsigned long)take64(b);
    unsigned limit = fz.host.ipa_bits;
    bool ok = !(type & ~0xfful) && ((type == 0 && limit >= 40) || (type >= 32 && type <= limit));
    errno = 0;
    int fd = softkvm_ioctl(fz.sysfd, KVM_CREATE_VM, type);
    int err = errno;
    if (!ok) {
        FUZZ_ASSERT(fd == -1 && err == EINVAL, "KVM_CREATE_VM(0x%lx) on a %u-bit host: want EINVAL, got %d/%s",
                    type, limit, fd, strerror(err));
        return;
    }
    FUZZ_ASSERT(fd >= 0, "KVM_CREATE_VM(0x%lx): %s", type, strerror(err));
    fz_note_fd(fd);
    struct fz_vm *vm = &fz.vms[fz.nvms++];
    memset(vm, 0, sizeof *vm);
    vm->fd = fd;
    vm->open = vm->exists = true;
    vm->ipa_bits = type ? (unsigned)type : 40;
}

void fzop_create_vcpu(struct bytes *b)
{
    int v = fz_pick_vm(b);
    if (v < 0 || fz.nvcpus >= FZ_MAX_VCPUS)
        return;
    struct fz_vm *vm = &fz.vms[v];
    uint8_t c = take8(b);
    uint32_t id = c < 160 ? c % 4 : c < 240 ? take16(b) % 1024 : take32(b);
    unsigned long arg = id;
    if (c == 255)
        arg |= (unsigned long)take32(b) << 32;   /* truncated to u32 by KVM */
    int want = 0;
    if (id >= 512)
        want = EINVAL;
    else
        for (unsigned k = 0; k < vm->nvcpu_ids; k++)
            if (vm->vcpu_ids[k] == id)
                want = EEXIST;
    errno = 0;
    int fd = softkvm_ioctl(vm->fd, KVM_CREATE_VCPU, arg);
    int err = errno;
    if (want) {
        FUZZ_ASSERT(fd == -1 && err == want, "KVM_CREATE_VCPU(%u): want %s, got %d/%s", id, strerror(want), fd,
                    strerror(err));
        return;
    }
    FUZZ_ASSERT(fd >= 0, "KVM_CREATE_VCPU(%u): %s", id, strerror(err));
    fz_note_fd(fd);
    vm->vcpu_ids[vm->nvcpu_ids++] = id;
    vm->gen++;   /* restarts the virtual counter of every vCPU of the VM */
    unsigned i = fz.nvcpus++;
    struct fz_vcpu *vc = &fz.vcpus[i];
    memset(vc, 0, sizeof *vc);
    vc->fd = fd;
    vc->open = true;
    vc->vm = v;
    vc->id = id;
    vc->run = mmap(NULL, (size_t)fz.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    FUZZ_ASSERT(vc->run != MAP_FAILED, "mmap of a vCPU fd: %s", strerror(errno));
    FUZZ_ASSERT(vc->run->exit_reason == 0 && vc->run->immediate_exit == 0, "fresh kvm_run page not zeroed");
    fz_snap_fresh(i, NULL, 0);
    FUZZ_ASSERT(vc->stage == 0 && vc->snap.mp_state == KVM_MP_STATE_RUNNABLE, "a fresh vCPU is created/RUNNABLE");
}

/* spec 1.5: the order of checks, predicted from the shadow slot list. Returns
 * the errno expected, 0 for success, or -1 when only the implementation knows
 * (userspace_addr outside our mappings: Linux only checks access_ok there). */
static int memslot_predict(const struct fz_vm *vm, const struct kvm_userspace_memory_region *mr,
                           const struct fz_slot **old_out)
{
    uint16_t id = (uint16_t)mr->slot;
    const struct fz_slot *old = NULL;
    for (unsigned k = 0; k < vm->nslots; k++)
        if (vm->slots[k].id == id)
            old = &vm->slots[k];
    *old_out = old;
    /* arm64 access_ok(): untagged and below TASK_SIZE_MAX (48-bit VA in Debian's
     * kernel); Linux checks it before looking at the size, deletion included.
     * Whether anything is mapped there does not matter. */
    uint64_t uend = mr->userspace_addr + mr->memory_size;
    bool user_ok = !(mr->userspace_addr >> 56) && uend >= mr->userspace_addr && uend <= (1ull << 48);
    if (id >= 32767 || (mr->flags & ~3u) || (mr->memory_size & (fz.page_size - 1)) ||
        (mr->guest_phys_addr & (fz.page_size - 1)) || (mr->userspace_addr & (fz.page_size - 1)) ||
        (mr->slot >> 16) || mr->guest_phys_addr + mr->memory_size < mr->guest_phys_addr)
        return EINVAL;
    if (!user_ok)
        return EINVAL;
    if (!mr->memory_size)
        return old ? 0 : EINVAL;
    if (old) {
        if (old->uaddr != mr->userspace_addr || old->size != mr->memory_size || ((old->flags ^ mr->flags) & 2))
            return EINVAL;
        if (old->gpa == mr->guest_phys_addr && old->flags == mr->flags)
            return 0;
    }
    for (unsigned k = 0; k < vm->nslots; k++) {
        const struct fz_slot *s = &vm->slots[k];
        if (s != old && mr->guest_phys_addr < s->gpa + s->size && s->gpa < mr->guest_phys_addr + mr->memory_size)
            return EEXIST;
    }
    if (mr->guest_phys_addr + mr->memory_size > (1ull << vm->ipa_bits))
        return EFAULT;
    return 0;
}

void fzop_memslot(struct bytes *b)
{
    int v = fz_pick_vm(b);
    if (v < 0)
        return;
    struct fz_vm *vm = &fz.vms[v];
    struct kvm_userspace_memory_region mr;
    uint8_t c = take8(b);
    mr.slot = c < 200 ? c % 6 : c < 250 ? take16(b) : take32(b);
    c = take8(b);
    mr.flags = c < 200 ? c % 4 : take32(b);
    c = take8(b);
    uint64_t pages = FZ_ARENA_PAGES;
    mr.guest_phys_addr = c < 160 ? (uint64_t)(c % 16) * fz.page_size * 2
                       : c < 200 ? 0x10000000ull + (c % 8) * fz.page_size
                       : c < 230 ? (1ull << (32 + c % 17)) - fz.page_size * (c % 3)
                       : take64(b);
    c = take8(b);
    /* Random sizes stay below 1 GiB unless the address is surely unmapped (a
     * leftover from when softkvm walked the range with mincore(); kept so that
     * the corpus means what it meant). */
    mr.memory_size = c < 200 ? (uint64_t)(c % 5) * fz.page_size : c < 250 ? take64(b) & 0x3fffffffull : take64(b);
    c = take8(b);
    if (c < 200) {
        /* The last arena page is PROT_NONE: slots reach it only with
         * FUZZ_PROTNONE_SLOTS=1 (a guest access there is KVM_RUN EFAULT, once a
         * crash: tests/robust/test_memslot_run.c). */
        uint64_t first = c % (fz.protnone_slots ? pages : pages - 1);
        if (!fz.protnone_slots && !(mr.memory_size & (fz.page_size - 1)) &&
            mr.memory_size > (pages - 1 - first) * fz.page_size)
            mr.memory_size = (pages - 1 - first) * fz.page_size;
        mr.userspace_addr = (uint64_t)(uintptr_t)(fz.arena + first * fz.page_size);
    } else if (c < 220) {
        mr.userspace_addr = (uint64_t)(uintptr_t)fz.arena + 1 + take8(b);
    } else {
        mr.userspace_addr = take64(b);
        if (mr.memory_size > 0x40000000ull && mr.userspace_addr < (1ull << 48))
            mr.userspace_addr |= 1ull << 63;   /* keep it huge but cheap: never mapped */
    }
    const struct fz_slot *old;
    int want = memslot_predict(vm, &mr, &old);
    enum ptr_kind k = take_ptr_kind(b);
    if (k == PTR_READONLY)
        k = PTR_GUARD;   /* the read-only page's 0xa5 bytes would be a layout the shadow does not know */
    errno = 0;
    int r = softkvm_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, fz_arg_ptr(k, &mr, sizeof mr));
    int err = errno;
    if (k != PTR_VALID) {
        FUZZ_ASSERT(r == -1 && err == EFAULT, "SET_USER_MEMORY_REGION with a bad pointer: %d/%s", r, strerror(err));
        return;
    }
    if (fz.verbose) {
        fprintf(stderr, "memslot vm%d slot 0x%x flags 0x%x gpa 0x%llx size 0x%llx uaddr 0x%llx -> %d/%s (want %d); shadow:",
                v, mr.slot, mr.flags, (unsigned long long)mr.guest_phys_addr, (unsigned long long)mr.memory_size,
                (unsigned long long)mr.userspace_addr, r, r ? strerror(err) : "ok", want);
        for (unsigned k2 = 0; k2 < vm->nslots; k2++)
            fprintf(stderr, " [%u 0x%llx+0x%llx f%x]", vm->slots[k2].id, (unsigned long long)vm->slots[k2].gpa,
                    (unsigned long long)vm->slots[k2].size, vm->slots[k2].flags);
        fputc('\n', stderr);
    }
    if (want >= 0)
        FUZZ_ASSERT((want == 0 && r == 0) || (want && r == -1 && err == want),
                    "SET_USER_MEMORY_REGION slot 0x%x flags 0x%x gpa 0x%llx size 0x%llx uaddr 0x%llx: want %s, got %d/%s",
                    mr.slot, mr.flags, (unsigned long long)mr.guest_phys_addr, (unsigned long long)mr.memory_size,
                    (unsigned long long)mr.userspace_addr, want ? strerror(want) : "0", r, strerror(err));
    if (r != 0)
        return;
    /* Success: the shadow follows (delete, move/flags change, or create). */
    if (old) {
        unsigned k = (unsigned)(old - vm->slots);
        if (!mr.memory_size) {
            vm->slots[k] = vm->slots[--vm->nslots];
        } else {
            vm->slots[k].gpa = mr.guest_phys_addr;
            vm->slots[k].flags = mr.flags;
        }
    } else if (mr.memory_size) {
        FUZZ_ASSERT(vm->nslots < FZ_MAX_SLOTS, "too many slots for the shadow");
        /* Guest code may run on this slot only if it is the harness's own arena
         * memory (the PROT_NONE page only with FUZZ_PROTNONE_SLOTS). */
        uint64_t arena = (uint64_t)(uintptr_t)fz.arena;
        uint64_t usable = (FZ_ARENA_PAGES - (fz.protnone_slots ? 0 : 1)) * fz.page_size;
        bool safe = mr.userspace_addr >= arena && mr.userspace_addr - arena <= usable &&
                    mr.memory_size <= usable - (mr.userspace_addr - arena);
        vm->slots[vm->nslots++] = (struct fz_slot){ (uint16_t)mr.slot, mr.flags, mr.guest_phys_addr,
                                                    mr.memory_size, mr.userspace_addr, safe };
    } else {
        FUZZ_FAIL("deleting a slot the shadow does not have succeeded");
    }
}

void fzop_check_extension(struct bytes *b)
{
    long cap = take8(b) < 240 ? take8(b) : (long)take64(b);
    errno = 0;
    int s = softkvm_ioctl(fz.sysfd, KVM_CHECK_EXTENSION, cap);
    int serr = errno;
    int v = fz_pick_vm(b);
    if (cap == KVM_CAP_MSI_DEVID) {
        FUZZ_ASSERT(s == -1 && serr == EINVAL, "MSI_DEVID on the system fd is EINVAL (spec 5)");
        return;
    }
    FUZZ_ASSERT(s >= 0, "KVM_CHECK_EXTENSION(%ld) on the system fd failed %s", cap, strerror(serr));
    if (v >= 0) {
        int m = softkvm_ioctl(fz.vms[v].fd, KVM_CHECK_EXTENSION, cap);
        FUZZ_ASSERT(m == s, "KVM_CHECK_EXTENSION(%ld): system fd %d, VM fd %d", cap, s, m);
    }
}

void fzop_enable_cap(struct bytes *b)
{
    int v = fz_pick_vm(b);
    if (v < 0)
        return;
    static const uint32_t caps[] = { KVM_CAP_ARM_NISV_TO_USER, KVM_CAP_ARM_SYSTEM_SUSPEND, KVM_CAP_ARM_MTE, 0 };
    struct kvm_enable_cap cap;
    memset(&cap, 0, sizeof cap);
    uint8_t c = take8(b);
    cap.cap = c < 200 ? caps[c % 4] : take32(b);
    cap.flags = take8(b) < 220 ? 0 : take32(b);
    cap.args[0] = take64(b);
    enum ptr_kind k = take_ptr_kind(b);
    errno = 0;
    int r = softkvm_ioctl(fz.vms[v].fd, KVM_ENABLE_CAP, fz_arg_ptr(k, &cap, sizeof cap));
    if (fz_bad_ptr(k))
        FUZZ_ASSERT(r == -1 && errno == EFAULT, "ENABLE_CAP with a bad pointer must be EFAULT");
    if (r == 0)
        fz.vms[v].gen++;
    else if (k == PTR_VALID && cap.flags)
        FUZZ_ASSERT(errno == EINVAL, "ENABLE_CAP with flags: EINVAL");
}

void fzop_preferred_target(struct bytes *b)
{
    int v = fz_pick_vm(b);
    if (v < 0)
        return;
    enum ptr_kind k = take_ptr_kind(b);
    struct kvm_vcpu_init *p = fz_arg_ptr(k, NULL, sizeof *p);
    if (k == PTR_VALID)
        memset(p, 0xee, sizeof *p);
    errno = 0;
    int r = softkvm_ioctl(fz.vms[v].fd, KVM_ARM_PREFERRED_TARGET, p);
    if (k != PTR_VALID) {
        FUZZ_ASSERT(r == -1 && errno == EFAULT, "PREFERRED_TARGET into an unwritable buffer: EFAULT");
        return;
    }
    FUZZ_ASSERT(r == 0 && p->target == KVM_ARM_TARGET_GENERIC_V8, "PREFERRED_TARGET");
    for (unsigned j = 0; j < 7; j++)
        FUZZ_ASSERT(p->features[j] == 0, "PREFERRED_TARGET features are 0");
}

void fzop_close(struct bytes *b)
{
    if (take8(b) & 1) {
        int i = fz_pick_vcpu(b);
        if (i < 0)
            return;
        struct fz_vcpu *vc = &fz.vcpus[i];
        FUZZ_ASSERT(softkvm_close(vc->fd) == 0, "close of a vCPU fd");
        vc->open = false;
        FUZZ_ASSERT(!softkvm_is_fd(vc->fd), "closed vCPU fd still a softkvm fd");
        errno = 0;
        FUZZ_ASSERT(softkvm_ioctl(vc->fd, KVM_RUN, 0) == -1 && errno == EBADF, "ioctl on a closed vCPU fd: EBADF");
        /* The run page stays mapped (as with Linux): still readable. */
        (void)*(volatile uint32_t *)&vc->run->exit_reason;
        return;
    }
    int v = fz_pick_vm(b);
    if (v < 0)
        return;
    struct fz_vm *vm = &fz.vms[v];
    FUZZ_ASSERT(softkvm_close(vm->fd) == 0, "close of a VM fd");
    vm->open = false;
    errno = 0;
    FUZZ_ASSERT(softkvm_ioctl(vm->fd, KVM_CHECK_EXTENSION, 0) == -1 && errno == EBADF, "ioctl on a closed VM fd");
    /* Its vCPUs live on (each holds a reference, as in Linux): they still answer. */
    for (unsigned i = 0; i < fz.nvcpus; i++)
        if (fz.vcpus[i].open && fz.vcpus[i].vm == v) {
            struct kvm_mp_state mp;
            FUZZ_ASSERT(softkvm_ioctl(fz.vcpus[i].fd, KVM_GET_MP_STATE, &mp) == 0,
                        "vCPU %u stopped answering when its VM fd was closed: %s", i, strerror(errno));
        }
}

void fzop_poke(struct bytes *b)
{
    size_t rw = (FZ_ARENA_PAGES - 1) * fz.page_size;
    size_t off = take16(b) % rw, len = take8(b) % 64;
    if (off + len > rw)
        len = rw - off;
    take_buf(b, fz.arena + off, len);
}
