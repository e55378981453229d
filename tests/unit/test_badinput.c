/*
 * test_badinput.c - bad arguments get Linux's errno and change nothing:
 * unmapped and NULL pointers (EFAULT), closed fds (EBADF), ioctls on the wrong
 * kind of fd, unknown requests, malformed memslots, oversized values.
 * A guard page (PROT_NONE) provides an address that is certainly unmapped.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

static void *guard;

static uint64_t get64(int vcpu, uint64_t id)
{
    uint64_t v[8] = { 0 };   /* large enough for VLS (64 bytes) */
    struct kvm_one_reg r = { id, (uintptr_t)v };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), 0);
    return v[0];
}

static void pointers(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, guard), EFAULT);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, NULL), EFAULT);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, guard), ENOEXEC);   /* ENOEXEC wins */
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    in.features[0] = 1u << KVM_ARM_VCPU_SVE;
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in), 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, guard), EFAULT);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, guard), EFAULT);
    struct kvm_one_reg r = { KVM_REG_ARM_CORE_REG(regs.pc) | KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE,
                             (uintptr_t)guard };
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
    r.addr = (uintptr_t)guard - 4;   /* straddles into the guard page */
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r), EFAULT);
    CHECK(get64(vcpu, r.id) == 0);  /* nothing changed */
    r.id = KVM_REG_ARM64_SVE_VLS;
    r.addr = (uintptr_t)guard;
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r), EFAULT);
    CHECK(get64(vcpu, KVM_REG_ARM64_SVE_VLS) == 0xffff);
    int what = KVM_ARM_VCPU_SVE;
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what), 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, guard), EFAULT);
    /* n written back, then the ids do not fit in mapped memory. */
    long page = sysconf(_SC_PAGESIZE);
    struct kvm_reg_list *edge = (void *)((char *)guard - 8);
    edge->n = 100000;
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REG_LIST, edge), EFAULT);
    CHECK(edge->n == 261);
    (void)page;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, guard), EFAULT);
    CHECK_ERR(softkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, guard), EFAULT);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_MP_STATE, guard), EFAULT);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

static void fds(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    CHECK_ERR(softkvm_ioctl(kvm, KVM_CREATE_VCPU, 0), EINVAL);          /* vCPU creation on /dev/kvm */
    CHECK_ERR(softkvm_ioctl(vm, KVM_RUN, 0), EINVAL);                   /* vCPU ioctl on a VM fd */
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_CREATE_VCPU, 1), EINVAL);         /* VM ioctl on a vCPU fd */
    CHECK_ERR(softkvm_ioctl(kvm, KVM_GET_API_VERSION, 1), EINVAL);
    CHECK_ERR(softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 1), EINVAL);
    CHECK_ERR(softkvm_ioctl(kvm, KVM_CREATE_VM, 0x100), EINVAL);        /* bits above the IPA field */
    CHECK_ERR(softkvm_ioctl(kvm, KVM_CREATE_VM, 31), EINVAL);           /* IPA below 32 bits */
    CHECK_ERR(softkvm_ioctl(kvm, KVM_CREATE_VM, 49), EINVAL);           /* IPA above the host's 48 */
    int vm36 = softkvm_ioctl(kvm, KVM_CREATE_VM, 36);
    CHECK(vm36 >= 0);
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_GET_REGS, 0), EINVAL);
    CHECK_ERR(softkvm_ioctl(vcpu, 0xdeadbeef, 0), EINVAL);
    CHECK_ERR(softkvm_ioctl(0, KVM_GET_API_VERSION, 0), ENOTTY);      /* stdin is not softkvm's */
    int dead = softkvm_ioctl(vm, KVM_CREATE_VCPU, 1);
    softkvm_close(dead);
    CHECK_ERR(softkvm_ioctl(dead, KVM_RUN, 0), EBADF);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 1), EEXIST);          /* the vCPU outlives its fd */

    /* Memslots (spec 1.5). */
    long page = sysconf(_SC_PAGESIZE);
    void *mem = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region mr = { 0, 0, 0x10000, 2 * page, (uintptr_t)mem };
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);   /* identical: no-op */
    struct kvm_userspace_memory_region bad = mr;
    bad.slot = 1;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EEXIST);   /* overlap */
    bad.guest_phys_addr = 0x20001;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);   /* unaligned gpa */
    bad.guest_phys_addr = 0x20000;
    bad.memory_size = 100;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);   /* unaligned size */
    bad.memory_size = page;
    bad.flags = 4;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);   /* unknown flag */
    bad.flags = 0;
    /* access_ok: the range must end at or below 2^48 (arm64 TASK_SIZE). Unmapped
     * memory is accepted, as by Linux (tests/robust/test_memslot_args.c). */
    bad.userspace_addr = (1ull << 48) - (uint64_t)page;
    bad.memory_size = 2 * (uint64_t)page;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);   /* crosses 2^48 */
    bad.memory_size = (uint64_t)page;
    bad.userspace_addr = (uintptr_t)mem + 2 * page;
    bad.slot = 32767;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);
    bad.slot = 1 | (1u << 16);
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EINVAL);   /* address space 1 */
    bad.slot = 1;
    bad.guest_phys_addr = 1ull << 40;                                         /* default IPA is 40 bits */
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), EFAULT);
    bad.guest_phys_addr = 0x40000;
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &bad), 0);
    mr.flags = KVM_MEM_READONLY;
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), EINVAL);    /* READONLY change */
    mr.flags = 0;
    mr.memory_size = 0;
    CHECK_RET(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);         /* delete */
    CHECK_ERR(softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr), EINVAL);    /* delete again */
    munmap(mem, 4 * page);
    softkvm_close(vcpu);
    softkvm_close(vm);
    softkvm_close(vm36);
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(area + page, page, PROT_NONE);
    guard = area + page;
    int kvm = softkvm_open("/dev/kvm", 0);
    pointers(kvm);
    fds(kvm);
    softkvm_close(kvm);
    return check_done("test_badinput");
}
