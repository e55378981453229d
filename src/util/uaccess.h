/*
 * uaccess.h - copy to/from caller-supplied pointers without ever faulting.
 *
 * KVM reports an unreadable or unwritable argument as EFAULT; a user-space
 * implementation must do the same instead of crashing the program. Copies go
 * through process_vm_readv/writev on our own pid (the kernel validates the
 * address), falling back to a per-thread pipe where those calls are not
 * available (e.g. under qemu-user). Both return 0 or -EFAULT.
 */
#ifndef SOFTKVM_UTIL_UACCESS_H
#define SOFTKVM_UTIL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

int copy_from_user(void *dst, const void *usrc, size_t n);
int copy_to_user(void *udst, const void *src, size_t n);

/* Prepare the calling thread's fast path (not async-signal-safe: call it where
 * no signal handler can interrupt, e.g. with signals blocked). */
void uaccess_thread_init(void);

#endif
