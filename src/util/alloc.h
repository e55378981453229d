/*
 * alloc.h - the library's heap allocations, with failure injection for tests.
 *
 * skvm_malloc/calloc/realloc behave as malloc/calloc/realloc, except that an
 * allocation can be made to fail on demand so that every ENOMEM path (the
 * ioctl returns -1/ENOMEM and leaves the objects as they were) can be driven
 * by a test:
 *   - from a test: skvm_alloc_fail_at(n, sticky) - the n-th allocation from now
 *     (1 = the next one) returns NULL; with sticky, every later one too;
 *   - from the environment, for any program: SOFTKVM_FAIL_ALLOC=N makes the
 *     N-th allocation of the process fail, SOFTKVM_FAIL_ALLOC=N+ that one and
 *     every one after it (read once, at the first allocation).
 * Counting is process-wide and thread-safe. Without either, the only cost is
 * one atomic increment per allocation.
 */
#ifndef SOFTKVM_UTIL_ALLOC_H
#define SOFTKVM_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *skvm_malloc(size_t size);
void *skvm_calloc(size_t n, size_t size);
void *skvm_realloc(void *p, size_t size);

/* Test-only controls. n = 0 disarms. */
void skvm_alloc_fail_at(unsigned long n, bool sticky);
/* Allocations attempted, and failures injected, since the process started. */
unsigned long skvm_alloc_count(void);
unsigned long skvm_alloc_failures(void);

#endif
