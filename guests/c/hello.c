/* hello.c - the smallest runtime guest: one line on the UART, exit status 0. */
#include "guest.h"

int main(void *fdt)
{
    (void)fdt;
    rt_puts("Hello from an AArch64 guest on softkvm!\n");
    return 0;
}
