/*
 * kvm_api.h - the only place where the ABI tests choose their KVM.
 *
 * With -DABI_REAL_KVM the tests are plain Linux programs (built static for aarch64 and run
 * by scripts/oracle on real KVM); otherwise the same source drives softkvm. Nothing else in
 * tests/abi may name either implementation.
 */
#ifndef ABI_KVM_API_H
#define ABI_KVM_API_H

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#ifdef ABI_REAL_KVM
#include <linux/kvm.h>
#define kvm_open() open("/dev/kvm", O_RDWR | O_CLOEXEC)
#define kvm_ioctl ioctl
#define kvm_close close
#else
#include <softkvm/kvm.h>
#include <softkvm/softkvm.h>
#define kvm_open() softkvm_open("/dev/kvm", O_RDWR | O_CLOEXEC)
#define kvm_ioctl softkvm_ioctl
#define kvm_close softkvm_close
#endif

#endif
