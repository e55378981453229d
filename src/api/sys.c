/*
 * sys.c - ioctls on the system fd ("/dev/kvm").
 *
 * Linux 6.1 virt/kvm/kvm_main.c:kvm_dev_ioctl; arm64 has no arch system ioctls,
 * so anything unknown is EINVAL.
 */
#include <errno.h>
#include <unistd.h>

#include "api/dispatch.h"
#include "api/handle.h"
#include "host/caps.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "vcpu/vm.h"

/* KVM_TRACE_{ENABLE,PAUSE,DISABLE}: obsolete, still answered EOPNOTSUPP by 6.1. */
#define KVM_TRACE_ENABLE_NR 0x4008ae06ul
#define KVM_TRACE_PAUSE_NR 0x0000ae07ul
#define KVM_TRACE_DISABLE_NR 0x0000ae08ul

long sys_mmap_size(void)
{
    /* The kvm_run page plus the coalesced-MMIO ring page; no PIO page on arm64. */
    return 2 * sysconf(_SC_PAGESIZE);
}

long sys_ioctl(unsigned long req, unsigned long arg)
{
    switch (req) {
    case KVM_GET_API_VERSION:
        explain_begin("KVM_GET_API_VERSION");
        if (arg)
            return EXPLAIN(-EINVAL, "the argument must be 0");
        return KVM_API_VERSION;
    case KVM_CREATE_VM: {
        explain_begin("KVM_CREATE_VM");
        struct vm *vm;
        int r = vm_create(arg, &vm);
        if (r)
            return r;
        r = handle_create(H_VM, vm, "kvm-vm", 0);
        if (r < 0)
            vm_put(vm);
        return r;
    }
    case KVM_CHECK_EXTENSION: {
        struct host h;
        host_current(&h);
        return host_check_extension(&h, VM_DEFAULT_MAX_VCPUS, false, (long)arg);
    }
    case KVM_GET_VCPU_MMAP_SIZE:
        explain_begin("KVM_GET_VCPU_MMAP_SIZE");
        if (arg)
            return EXPLAIN(-EINVAL, "the argument must be 0");
        return sys_mmap_size();
    case KVM_TRACE_ENABLE_NR:
    case KVM_TRACE_PAUSE_NR:
    case KVM_TRACE_DISABLE_NR:
        return -EOPNOTSUPP;
    default:
        explain_begin("ioctl on /dev/kvm");
        return EXPLAIN(-EINVAL, "request 0x%lx is not a system ioctl (VM and vCPU ioctls go to their own fds)", req);
    }
}
