/*
 * start.S - entry of the freestanding benchmark guest (run by bench_engine).
 * The driver sets x0 = workload id, x1 = scale and starts at _start with the
 * MMU off at EL1h; the result comes back in x0 through "hvc #0".
 * At _start + 0x40: the MMIO round-trip loop (x0 = count): one 4-byte store
 * outside RAM per iteration, each an MMIO exit the driver completes.
 */
    .section .text.start, "ax"
    .global _start
_start:
    ldr     x2, =0x43fffff0         /* stack: top of the 64 MiB of RAM */
    mov     sp, x2
    bl      bench_run
    hvc     #0
1:  b       1b

    .balign 64
mmio_loop:
    mov     x1, #0x50000000         /* no memslot there */
2:  str     w0, [x1]
    subs    x0, x0, #1
    b.ne    2b
    hvc     #0
3:  b       3b
