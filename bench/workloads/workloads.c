/*
 * workloads.c - integer benchmark kernels for the engine vs qemu-aarch64.
 *
 * Compiled once for aarch64 into one object that is linked both into a static
 * Linux program (run by qemu-aarch64) and into a freestanding guest image (run
 * by the engine), so both execute exactly the same instructions. No library
 * calls: the build uses -fno-tree-loop-distribute-patterns and no struct
 * copies, and `nm -u` of the object must be empty (bench/engine.cmake checks).
 *
 * bench_run(id, scale) returns a checksum; the same id/scale must give the same
 * checksum on both sides.
 */
#include <stdint.h>

#define N_CRC   (64 * 1024)
#define N_SIEVE (256 * 1024)
#define N_SORT  (16 * 1024)
#define N_MEM   (64 * 1024)

static uint8_t buf_a[N_MEM + 64];
static uint8_t buf_b[N_MEM + 64];
static uint8_t sieve_flags[N_SIEVE];
static uint32_t sort_arr[N_SORT];
static uint32_t crc_table[256];

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

/* crc32: table-driven CRC-32 (IEEE) over a pseudo-random buffer. */
static uint64_t crc32_bench(unsigned scale)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ ((c & 1) ? 0xedb88320u : 0);
        crc_table[i] = c;
    }
    uint32_t s = 1;
    for (unsigned i = 0; i < N_CRC; i++)
        buf_a[i] = (uint8_t)(lcg(&s) >> 24);
    uint64_t sum = 0;
    for (unsigned r = 0; r < scale; r++) {
        uint32_t crc = 0xffffffffu ^ r;
        for (unsigned i = 0; i < N_CRC; i++)
            crc = crc_table[(crc ^ buf_a[i]) & 0xff] ^ (crc >> 8);
        sum += crc ^ 0xffffffffu;
    }
    return sum;
}

/* sieve: primes below N_SIEVE, repeatedly. */
static uint64_t sieve_bench(unsigned scale)
{
    uint64_t total = 0;
    for (unsigned r = 0; r < scale; r++) {
        for (unsigned i = 0; i < N_SIEVE; i++)
            sieve_flags[i] = 1;
        sieve_flags[0] = sieve_flags[1] = 0;
        for (unsigned i = 2; i * i < N_SIEVE; i++)
            if (sieve_flags[i])
                for (unsigned j = i * i; j < N_SIEVE; j += i)
                    sieve_flags[j] = 0;
        unsigned count = 0;
        for (unsigned i = 0; i < N_SIEVE; i++)
            count += sieve_flags[i];
        total += count + r;
    }
    return total;
}

static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* sort: quicksort of pseudo-random arrays. */
static uint64_t sort_bench(unsigned scale)
{
    uint64_t sum = 0;
    uint32_t s = 7;
    for (unsigned r = 0; r < scale; r++) {
        for (unsigned i = 0; i < N_SORT; i++)
            sort_arr[i] = lcg(&s);
        quicksort(sort_arr, 0, N_SORT - 1);
        for (unsigned i = 0; i < N_SORT; i += 97)
            sum += sort_arr[i] * (uint64_t)(i + 1);
    }
    return sum;
}

/* interp: a small bytecode machine (switch dispatch) running nested loops. */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_LOAD, OP_STORE, OP_XOR, OP_HALT };

static uint64_t interp_run(const int32_t *code, int64_t *vars)
{
    int64_t stack[16];
    int sp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_JNZ: { int32_t target = code[pc++]; if (stack[--sp]) pc = target; break; }
        case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
        default: return (uint64_t)vars[0];
        }
    }
}

static uint64_t interp_bench(unsigned scale)
{
    /* v1 = scale * 100000; v0 = 0; do { v0 = (v0 * 3 + v1) ^ (v1 >> 0); v1--; } while (v1) */
    static const int32_t prog[] = {
        OP_LOAD, 0, OP_PUSH, 3, OP_MUL, OP_LOAD, 1, OP_ADD, OP_LOAD, 1, OP_XOR, OP_STORE, 0,
        OP_LOAD, 1, OP_PUSH, 1, OP_SUB, OP_DUP, OP_STORE, 1, OP_JNZ, 0, OP_HALT,
    };
    int64_t vars[2] = { 0, (int64_t)scale * 100000 };
    return interp_run(prog, vars);
}

/* memops: copy, fill and compare loops written out (no library calls). */
static uint64_t memops_bench(unsigned scale)
{
    uint32_t s = 3;
    for (unsigned i = 0; i < N_MEM; i++)
        buf_a[i] = (uint8_t)lcg(&s);
    uint64_t sum = 0;
    for (unsigned r = 0; r < scale; r++) {
        /* word copy with an offset that changes every round */
        unsigned off = r & 7;
        const uint64_t *src = (const uint64_t *)(void *)buf_a;
        uint64_t *dst = (uint64_t *)(void *)(buf_b + 8 * (off & 1));
        for (unsigned i = 0; i < N_MEM / 8 - 2; i++)
            dst[i] = src[i] + off;
        /* byte copy */
        for (unsigned i = 0; i < N_MEM / 4; i++)
            buf_b[i + off] = buf_a[i + 3];
        /* fill */
        for (unsigned i = N_MEM / 2; i < N_MEM / 2 + 4096; i++)
            buf_b[i] = (uint8_t)r;
        /* compare */
        unsigned diff = 0;
        for (unsigned i = 0; i < N_MEM; i += 4)
            diff += buf_a[i] != buf_b[i];
        sum += diff + buf_b[r % N_MEM];
    }
    return sum;
}

/* addchain: long dependent arithmetic chains (ALU throughput, no memory). */
static uint64_t addchain_bench(unsigned scale)
{
    uint64_t a = 1, b = 2, c = 3;
    for (unsigned r = 0; r < scale * 1000000u; r++) {
        a += b ^ r;
        b += c >> 3;
        c ^= a + (uint64_t)r;
    }
    return a ^ b ^ c;
}

uint64_t bench_run(unsigned id, unsigned scale)
{
    switch (id) {
    case 0: return crc32_bench(scale);
    case 1: return sieve_bench(scale);
    case 2: return sort_bench(scale);
    case 3: return interp_bench(scale);
    case 4: return memops_bench(scale);
    case 5: return addchain_bench(scale);
    default: return 0;
    }
}
