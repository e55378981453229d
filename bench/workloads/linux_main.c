/*
 * linux_main.c - the benchmark kernels as a static aarch64 Linux program for
 * qemu-aarch64: `bench_linux ID SCALE` prints the checksum of bench_run().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t bench_run(unsigned id, unsigned scale);

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s ID SCALE\n", argv[0]);
        return 2;
    }
    unsigned long long r = bench_run((unsigned)atoi(argv[1]), (unsigned)atoi(argv[2]));
    printf("%llu\n", r);
    return 0;
}
