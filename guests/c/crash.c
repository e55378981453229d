/* crash.c - an exception nobody expected: the runtime prints it and exits with status 3. */
#include "guest.h"

int main(void *fdt)
{
    (void)fdt;
    rt_puts("executing UDF #7 without a handler\n");
    __asm__ volatile("udf #7");
    rt_puts("not reached\n");
    return 0;
}
