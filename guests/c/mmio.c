/* mmio.c - accesses to an address with no device (QEMU virt's first virtio-mmio
 * slot, not modelled by softkvm-run): the VMM must stop with a clear message.
 * The guest argument picks the access: none = a 32-bit store, "read" = a 32-bit
 * load, "pair" = STP, which has no valid syndrome (KVM_RUN fails ENOSYS). */
#include "guest.h"

#define NO_DEVICE 0x0a000000ul

int main(void *fdt)
{
    const char *how = rt_bootargs(fdt);
    if (how && strcmp(how, "read") == 0) {
        rt_puts("reading 0x0a000000 (no device there)\n");
        rt_printf("read 0x%x\n", mmio_read32(NO_DEVICE));
    } else if (how && strcmp(how, "pair") == 0) {
        rt_puts("STP to 0x0a000000 (no device there)\n");
        __asm__ volatile("stp %0, %0, [%1]" : : "r"(0x2aul), "r"(NO_DEVICE) : "memory");
    } else {
        rt_puts("writing 0x2a to 0x0a000000 (no device there)\n");
        mmio_write32(NO_DEVICE, 0x2a);
    }
    rt_puts("still running: the access was ignored\n");
    return 0;
}
