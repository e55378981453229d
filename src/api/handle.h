/*
 * handle.h - file descriptors <-> softkvm objects.
 *
 * Every object gets a real kernel fd (a memfd) so its number can never collide
 * with the program's own descriptors, close-on-exec works, and a vCPU fd can be
 * mmap()ed straight to its kvm_run page with no interception. The table maps fd
 * numbers to objects; each entry holds a reference (a VM fd and a vCPU fd each
 * pin the VM, as in Linux; vCPUs die with their VM).
 */
#ifndef SOFTKVM_API_HANDLE_H
#define SOFTKVM_API_HANDLE_H

#include <stddef.h>

enum handle_kind { H_NONE, H_SYS, H_VM, H_VCPU };

struct vm;
struct vcpu;

struct handle {
    enum handle_kind kind;
    void *obj;               /* NULL (system), struct vm *, struct vcpu * */
};

/* Create a memfd of size bytes named name and register it. Returns the fd or -errno.
 * For H_VM and H_VCPU the caller's reference to the VM moves into the entry. */
int handle_create(enum handle_kind kind, void *obj, const char *name, size_t size);

/* Look up fd and take a reference on its object (VM ref for VM and vCPU).
 * Returns 0 or -EBADF (not a softkvm fd). Release with handle_release(). */
int handle_acquire(int fd, struct handle *out);
void handle_release(const struct handle *h);

/* Make newfd an alias of oldfd's object (dup). 0 or -EBADF. */
int handle_alias(int oldfd, int newfd);

/* Forget fd (after or instead of close). 0 or -EBADF. */
int handle_forget(int fd);

#endif
