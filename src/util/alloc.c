/*
 * alloc.c - heap allocation with failure injection (see alloc.h).
 */
#include "util/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

static atomic_ulong alloc_count;      /* allocations attempted so far */
static atomic_ulong alloc_fail_count; /* failures injected so far */
static atomic_ulong fail_at;          /* value of alloc_count that fails; 0 = none */
static atomic_bool fail_sticky;       /* ... and every one after it */
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void read_env(void)
{
    const char *s = getenv("SOFTKVM_FAIL_ALLOC");
    if (!s || !*s)
        return;
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    if (n == 0 || (*end && !(end[0] == '+' && !end[1])))
        return;   /* malformed: injection stays off rather than guessing */
    atomic_store(&fail_sticky, *end == '+');
    atomic_store(&fail_at, n);
}

static bool inject(void)
{
    pthread_once(&env_once, read_env);
    unsigned long n = atomic_fetch_add(&alloc_count, 1) + 1;
    unsigned long at = atomic_load(&fail_at);
    if (!at || n < at || (n > at && !atomic_load(&fail_sticky)))
        return false;
    atomic_fetch_add(&alloc_fail_count, 1);
    return true;
}

void *skvm_malloc(size_t size)
{
    return inject() ? NULL : malloc(size);
}

void *skvm_calloc(size_t n, size_t size)
{
    return inject() ? NULL : calloc(n, size);
}

void *skvm_realloc(void *p, size_t size)
{
    return inject() ? NULL : realloc(p, size);   /* on failure p stays valid, as with realloc */
}

void skvm_alloc_fail_at(unsigned long n, bool sticky)
{
    pthread_once(&env_once, read_env);   /* the environment cannot override a later test setting */
    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_at, n ? atomic_load(&alloc_count) + n : 0);
}

unsigned long skvm_alloc_count(void)
{
    return atomic_load(&alloc_count);
}

unsigned long skvm_alloc_failures(void)
{
    return atomic_load(&alloc_fail_count);
}
