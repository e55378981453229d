/*
 * report.c - the suite's only output: one line per check, counted.
 *
 * PASS lines shorten long values (Z registers are 512 hex digits) to keep the oracle's
 * serial console readable; FAIL lines always print both values in full.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "abi.h"

static int n_pass, n_fail;

static void put_value(const char *tag, const char *v, bool shorten)
{
    size_t len = strlen(v);

    if (shorten && len > 80)
        printf(" %s=%.72s...(%zu chars)", tag, v, len);
    else
        printf(" %s=%s", tag, v);
}

bool abi_report(bool ok, const char *file, int line, const char *what, const char *expected,
            const char *got)
{
    if (ok)
        n_pass++;
    else
        n_fail++;
    printf("%s %s:%d %s", ok ? "PASS" : "FAIL", file, line, what);
    put_value("expected", expected, ok);
    put_value("got", got, ok);
    putchar('\n');
    return ok;
}

bool abi_check_str(const char *file, int line, const char *what, const char *expected,
               const char *got)
{
    return abi_report(strcmp(expected, got) == 0, file, line, what, expected, got);
}

void abi_report_fail(const char *file, int line, const char *what, const char *fmt, ...)
{
    va_list ap;

    n_fail++;
    printf("FAIL %s:%d %s ", file, line, what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

void abi_report_totals(int *pass, int *fail)
{
    *pass = n_pass;
    *fail = n_fail;
}
