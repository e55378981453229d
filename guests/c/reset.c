/* reset.c - PSCI SYSTEM_RESET: boots 1 and 2 reset the machine, boot 3 powers off.
 * With --reboot softkvm-run restarts the guest (re-INIT of every vCPU); without
 * it, it stops after the first reset. */
#include "guest.h"

int main(void *fdt)
{
    (void)fdt;
    unsigned boot = rt_boot_count();
    if (boot == 0) {   /* no control page (not softkvm-run): one reset would loop forever */
        rt_puts("no boot counter here: not resetting\n");
        return 0;
    }
    rt_printf("boot %u\n", boot);
    if (boot < 3) {
        rt_puts("requesting SYSTEM_RESET\n");
        rt_reset();
    }
    rt_puts("third boot: powering off\n");
    return 0;
}
