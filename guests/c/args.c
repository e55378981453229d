/* args.c - the device tree in x0: print /chosen/bootargs (softkvm-run's guest arguments). */
#include "guest.h"

int main(void *fdt)
{
    const char *args = rt_bootargs(fdt);
    if (!args) {
        rt_puts("no device tree / no bootargs\n");
        return 1;
    }
    rt_printf("bootargs: '%s'\n", args);
    return 0;
}
