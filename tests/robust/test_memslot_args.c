/*
 * test_memslot_args.c - KVM_SET_USER_MEMORY_REGION with userspace_addr
 * values a VMM may legitimately pass, or get wrong.
 *
 * Linux 6.1 (kvm_main.c:__kvm_set_memory_region) checks userspace_addr with
 * access_ok() only: the range must be untagged user address space, it does not
 * have to be mapped yet (VMMs reserve, then populate). The check comes before
 * the size is looked at, so even a deletion (size 0) with a non-user address is
 * EINVAL. A slot over a large reservation must register quickly. (What a
 * guest access to memory that is not mapped does: test_host_fault.c.)
 */
#include <time.h>

#include "robust.h"

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    int kvm = softkvm_open(NULL, 0);
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    uint8_t *mem = mmap(NULL, 4 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region mr = { 0, 0, 0x100000, (uint64_t)page, (uintptr_t)mem };
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);

    /* Deleting with a kernel address: EINVAL, the slot stays. */
    struct kvm_userspace_memory_region del = { 0, 0, 0x100000, 0, 0xffff800000000000ull };
    errno = 0;
    int r = softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &del);
    CHECK(r == -1 && errno == EINVAL);
    if (r == 0)
        CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);   /* put it back */

    /* A tagged address (top byte set) is not a user address either. */
    struct kvm_userspace_memory_region tagged = { 1, 0, 0x200000, (uint64_t)page,
                                                  (uintptr_t)mem | (0x5aull << 56) };
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &tagged), EINVAL);

    /* Reserved but unmapped user memory: accepted by Linux (populated later). */
    munmap(mem + 2 * page, (size_t)page);
    struct kvm_userspace_memory_region hole = { 2, 0, 0x300000, 2 * (uint64_t)page, (uintptr_t)(mem + 2 * page) };
    errno = 0;
    r = softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &hole);
    CHECK(r == 0);
    /* A range reaching past the user address space is refused; up to its end is fine. */
    struct kvm_userspace_memory_region top = { 4, 0, 0x400000, 2 * (uint64_t)page, (1ull << 48) - (uint64_t)page };
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &top), EINVAL);
    top.memory_size = (uint64_t)page;
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &top), 0);

    /* A 64 GiB PROT_NONE reservation registers in well under a second. */
    size_t big = 64ull << 30;
    void *res = mmap(NULL, big, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (res != MAP_FAILED) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        struct kvm_userspace_memory_region large = { 3, 0, 1ull << 36, big, (uintptr_t)res };
        CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &large), 0);
        clock_gettime(CLOCK_MONOTONIC, &b);
        double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        printf("64 GiB slot registered in %.3f s\n", s);
        CHECK(s < 1.0);
        munmap(res, big);
    }

    softkvm_close(vm);
    softkvm_close(kvm);
    munmap(mem, 2 * (size_t)page);
    munmap(mem + 3 * page, (size_t)page);
    return check_done("test_memslot_args");
}
