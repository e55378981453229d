/*
 * handle.c - the fd table (see handle.h).
 */
#include "api/handle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/alloc.h"
#include "vcpu/vm.h"

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct handle *table;
static size_t table_len;

static void obj_get(const struct handle *h)
{
    if (h->kind == H_VM)
        vm_get(h->obj);
    else if (h->kind == H_VCPU)
        vm_get(((struct vcpu *)h->obj)->vm);
}

static void obj_put(const struct handle *h)
{
    if (h->kind == H_VM)
        vm_put(h->obj);
    else if (h->kind == H_VCPU)
        vm_put(((struct vcpu *)h->obj)->vm);
}

/* Store entry at fd; the table grows as needed. Caller holds the write lock. */
static int table_set(int fd, const struct handle *h)
{
    if ((size_t)fd >= table_len) {
        size_t n = table_len ? table_len : 64;
        while (n <= (size_t)fd)
            n *= 2;
        struct handle *t = skvm_realloc(table, n * sizeof *t);
        if (!t)
            return -ENOMEM;
        memset(t + table_len, 0, (n - table_len) * sizeof *t);
        table = t;
        table_len = n;
    }
    table[fd] = *h;
    return 0;
}

int handle_create(enum handle_kind kind, void *obj, const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (size && ftruncate(fd, (off_t)size) != 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    struct handle h = { kind, obj };
    pthread_rwlock_wrlock(&table_lock);
    int r = table_set(fd, &h);
    pthread_rwlock_unlock(&table_lock);
    if (r) {
        close(fd);
        return r;
    }
    return fd;
}

int handle_acquire(int fd, struct handle *out)
{
    int r = -EBADF;
    pthread_rwlock_rdlock(&table_lock);
    if (fd >= 0 && (size_t)fd < table_len && table[fd].kind != H_NONE) {
        *out = table[fd];
        obj_get(out);
        r = 0;
    }
    pthread_rwlock_unlock(&table_lock);
    return r;
}

void handle_release(const struct handle *h)
{
    obj_put(h);
}

int handle_alias(int oldfd, int newfd)
{
    struct handle h, old = { H_NONE, NULL };
    if (handle_acquire(oldfd, &h))
        return -EBADF;
    pthread_rwlock_wrlock(&table_lock);
    if (newfd >= 0 && (size_t)newfd < table_len)
        old = table[newfd];
    int r = newfd < 0 ? -EBADF : table_set(newfd, &h); /* the acquired ref moves into the entry */
    pthread_rwlock_unlock(&table_lock);
    if (r)
        handle_release(&h);
    if (old.kind != H_NONE)
        obj_put(&old);
    return r;
}

int handle_forget(int fd)
{
    struct handle h = { H_NONE, NULL };
    pthread_rwlock_wrlock(&table_lock);
    if (fd >= 0 && (size_t)fd < table_len) {
        h = table[fd];
        table[fd].kind = H_NONE;
        table[fd].obj = NULL;
    }
    pthread_rwlock_unlock(&table_lock);
    if (h.kind == H_NONE)
        return -EBADF;
    obj_put(&h);
    return 0;
}
