/*
 * dispatch.h - one ioctl dispatcher per fd kind. Each returns >= 0 or -errno.
 */
#ifndef SOFTKVM_API_DISPATCH_H
#define SOFTKVM_API_DISPATCH_H

struct vm;
struct vcpu;

long sys_ioctl(unsigned long req, unsigned long arg);
long vm_ioctl(struct vm *vm, unsigned long req, unsigned long arg);
long vcpu_ioctl(struct vcpu *v, unsigned long req, unsigned long arg);

/* KVM_GET_VCPU_MMAP_SIZE: bytes of a vCPU fd that can be mapped. */
long sys_mmap_size(void);

#endif
