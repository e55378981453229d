/* exitcode.c - the exit status path: write 42 to the control page, then SYSTEM_OFF. */
#include "guest.h"

int main(void *fdt)
{
    (void)fdt;
    rt_printf("control page %s; exiting with status 42\n", rt_sysctl_present() ? "present" : "absent");
    return 42;
}
