/*
 * softkvm.c - the public entry points: open, ioctl, close on softkvm fds.
 *
 * Turns the library's kernel-style returns (-errno) into ioctl(2)'s (-1 + errno)
 * and routes each fd to the dispatcher of its kind.
 */
#include "softkvm/softkvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "api/dispatch.h"
#include "api/handle.h"
#include "util/explain.h"
#include "vcpu/vm.h"

#define API __attribute__((visibility("default")))

API int softkvm_open(const char *path, int flags)
{
    (void)path;
    int fd = handle_create(H_SYS, NULL, "kvm", 0);
    if (fd < 0) {
        errno = -fd;
        return -1;
    }
    if (!(flags & O_CLOEXEC))
        fcntl(fd, F_SETFD, 0);
    return fd;
}

API int softkvm_ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    unsigned long arg = va_arg(ap, unsigned long);
    va_end(ap);

    struct handle h;
    long r;
    if (handle_acquire(fd, &h) != 0) {
        /* Not ours: what ioctl(2) says about a closed fd or a non-KVM file. */
        errno = fcntl(fd, F_GETFD) < 0 ? EBADF : ENOTTY;
        return -1;
    }
    switch (h.kind) {
    case H_SYS: r = sys_ioctl(request, arg); break;
    case H_VM: r = vm_ioctl(h.obj, request, arg); break;
    case H_VCPU: r = vcpu_ioctl(h.obj, request, arg); break;
    default: r = -EBADF; break;
    }
    handle_release(&h);
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return (int)r;
}

API int softkvm_close(int fd)
{
    handle_forget(fd);
    return close(fd);
}

API bool softkvm_is_fd(int fd)
{
    struct handle h;
    if (handle_acquire(fd, &h) != 0)
        return false;
    handle_release(&h);
    return true;
}

API int softkvm_dup_notify(int oldfd, int newfd)
{
    int r = handle_alias(oldfd, newfd);
    if (r) {
        errno = -r;
        return -1;
    }
    return 0;
}

API void softkvm_set_explain(bool on)
{
    explain_enabled = on;
}
