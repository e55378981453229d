/*
 * demo_kernel.c - the demo's vectorisable loop, compiled three times by the
 * build: with -march=armv8-a+sve (KERNEL = demo_kernel_sve: gcc emits a
 * vector-length agnostic SVE loop: WHILELO predicates, LD1W/ST1W, MAD, UADDV),
 * with -march=armv8-a (demo_kernel_base: Advanced SIMD, 128 bits) and with
 * -mgeneral-regs-only -fno-tree-vectorize (demo_kernel_scalar: the reference).
 * All must give the same checksum at every vector length; nobody here wrote
 * the vector code, the compiler did.
 */
#include <stdint.h>

#ifndef KERNEL
#error "build with -DKERNEL=name"
#endif

/* y[i] = a * x[i] + y[i] (wrapping), then the sum of y mixed with i. */
uint32_t KERNEL(uint32_t *restrict y, const uint32_t *restrict x, uint32_t a, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
    uint32_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += y[i] ^ i;
    return sum;
}
