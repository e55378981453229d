/* spin.c - never ends: for --timeout and --max-insns. */
#include "guest.h"

int main(void *fdt)
{
    (void)fdt;
    rt_puts("spinning forever\n");
    for (;;)
        __asm__ volatile("" ::: "memory");
}
