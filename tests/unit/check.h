/*
 * check.h - minimal assertion helpers for the unit tests: print the failing
 * expression with file:line, count failures, exit nonzero at the end.
 */
#ifndef SOFTKVM_TESTS_CHECK_H
#define SOFTKVM_TESTS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        check_count++;                                                                \
        if (!(cond)) {                                                                \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

/* An ioctl-style call must fail with errno e. */
#define CHECK_ERR(call, e)                                                            \
    do {                                                                              \
        check_count++;                                                                \
        errno = 0;                                                                    \
        long r_ = (call);                                                             \
        if (r_ != -1 || errno != (e)) {                                               \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: %s: want -1/%s, got %ld/%s\n", __FILE__, __LINE__, \
                    #call, #e, r_, strerror(errno));                                  \
        }                                                                             \
    } while (0)

/* An ioctl-style call must return want. */
#define CHECK_RET(call, want)                                                         \
    do {                                                                              \
        check_count++;                                                                \
        errno = 0;                                                                    \
        long r_ = (call);                                                             \
        if (r_ != (long)(want)) {                                                     \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: %s: want %ld, got %ld (%s)\n", __FILE__, __LINE__, \
                    #call, (long)(want), r_, strerror(errno));                        \
        }                                                                             \
    } while (0)

static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
