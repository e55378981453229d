/*
 * explain.h - SOFTKVM_EXPLAIN: one line on stderr per refused ioctl, saying which
 * rule refused it in words a VMM author can act on.
 *
 * Call sites use EXPLAIN(err, fmt, ...) right where a rule refuses; the macro
 * costs one predictable branch on a global flag when explanations are off.
 * The line is printed as "<ioctl>: <ERRNO>: <reason>", the ioctl name coming
 * from the dispatcher (explain_begin) so reasons need not repeat it.
 */
#ifndef SOFTKVM_UTIL_EXPLAIN_H
#define SOFTKVM_UTIL_EXPLAIN_H

#include <stdbool.h>

extern bool explain_enabled;

/* Record which ioctl (and object) the current thread is serving. */
void explain_begin(const char *what);
/* Print the explanation line for error -err (err is negative) and return err. */
int explain_emit(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define EXPLAIN(err, ...) \
    (__builtin_expect(explain_enabled, 0) ? explain_emit((err), __VA_ARGS__) : (err))

/* Name of an errno value ("EINVAL"); "E?" if unknown. */
const char *errno_name(int e);

#endif
