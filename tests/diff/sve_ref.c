/*
 * sve_ref.c - reference runner of the SVE differential test: a static
 * aarch64 Linux program run under `qemu-aarch64 -cpu max,sve-max-vq=N`.
 *
 *   sve_ref VL_BYTES CASES RESULTS
 *
 * Sets its vector length with prctl(PR_SVE_SET_VL) (QEMU's user-mode default
 * is not the maximum) and checks it with RDVL. For each case it writes the
 * code to SVE_CODE, the buffer to SVE_DATA and the vector state area at
 * SVE_STATE (sve_format.h), then raises SIGUSR1: the handler sets X0-X30,
 * SP, PC and NZCV in the interrupted context, and returning from it starts
 * the case, whose own prologue loads the vector state. The final
 * "brk #0x777" (SIGTRAP), a fault or the alarm enter the second handler,
 * which records the general registers and the memory (the epilogue has
 * stored the vector state there) and siglongjmps back.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>

#include "sve_format.h"

#ifndef PR_SVE_SET_VL
#define PR_SVE_SET_VL 50
#endif

static sigjmp_buf jb;
static const struct sve_case *cur;
static struct sve_result res;
static unsigned vl;

static void on_start(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    mcontext_t *m = &uc->uc_mcontext;
    for (int i = 0; i < 31; i++)
        m->regs[i] = cur->x[i];
    m->sp = SVE_STATE;
    m->pc = SVE_CODE;
    /* NZCV from the case; DIT, SSBS cleared (siglongjmp keeps a previous case's). */
    m->pstate = (m->pstate & ~(0xf0000000ull | (1ull << 24) | (1ull << 12))) | (cur->nzcv & 0xf0000000ull);
}

static void on_stop(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    mcontext_t *m = &uc->uc_mcontext;
    for (int i = 0; i < 31; i++)
        res.x[i] = m->regs[i];
    res.sp = m->sp;
    res.nzcv = m->pstate & 0xf0000000ull;
    res.stop_off = m->pc - SVE_CODE;
    switch (sig) {
    case SIGTRAP: {
        uint32_t insn = 0;
        if (m->pc >= SVE_CODE && m->pc < SVE_CODE + 4 * SVE_CODE_WORDS + 4)
            memcpy(&insn, (void *)m->pc, 4);
        res.kind = insn == (0xd4200000u | (DIFF_END_IMM << 5)) ? DIFF_END : DIFF_TRAP;
        break;
    }
    case SIGILL: res.kind = DIFF_ILL; break;
    case SIGBUS: res.kind = DIFF_BUS; break;
    case SIGSEGV: res.kind = DIFF_SEGV; break;
    case SIGALRM: res.kind = DIFF_TIMEOUT; break;
    default: res.kind = DIFF_OTHER; break;
    }
    siglongjmp(jb, 1);
}

static unsigned rdvl(void)
{
    unsigned long v;
    __asm__ volatile(".inst 0x04bf5020\n\tmov %0, x0" : "=r"(v) : : "x0");   /* rdvl x0, #1 */
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s VL_BYTES CASES RESULTS\n", argv[0]);
        return 2;
    }
    vl = (unsigned)strtoul(argv[1], NULL, 0);
    int got = prctl(PR_SVE_SET_VL, vl, 0, 0, 0);
    if (got < 0 || (unsigned)(got & 0xffff) != vl || rdvl() != vl) {
        fprintf(stderr, "sve_ref: cannot run at VL %u bytes (prctl %d, rdvl %u): give -cpu max,sve-max-vq=%u\n",
                vl, got, got < 0 ? 0 : rdvl(), vl / 16);
        return 2;
    }
    FILE *in = fopen(argv[2], "rb"), *out = fopen(argv[3], "wb");
    if (!in || !out) {
        perror("open");
        return 2;
    }
    struct sve_header hdr;
    if (fread(&hdr, sizeof hdr, 1, in) != 1 || hdr.magic != SVEDIFF_MAGIC) {
        fprintf(stderr, "bad case file\n");
        return 2;
    }
    if (mmap((void *)SVE_CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0) == MAP_FAILED ||
        mmap((void *)SVE_DATA, SVE_DATA_SIZE, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
             0) == MAP_FAILED ||
        /* The page after the data is reserved and inaccessible: faults there are deterministic. */
        mmap((void *)(SVE_DATA + SVE_DATA_SIZE), 0x10000, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
             0) == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    static char altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sa.sa_sigaction = on_start;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_stop;
    int stops[] = { SIGTRAP, SIGILL, SIGBUS, SIGSEGV, SIGALRM, SIGFPE };
    for (unsigned i = 0; i < sizeof stops / sizeof stops[0]; i++)
        sigaction(stops[i], &sa, NULL);
    hdr.vl = vl;
    fwrite(&hdr, sizeof hdr, 1, out);

    static struct sve_case c;
    bool verbose = getenv("SVE_REF_VERBOSE") != NULL;   /* which case brought QEMU down */
    for (uint32_t n = 0; n < hdr.count; n++) {
        if (fread(&c, sizeof c, 1, in) != 1) {
            fprintf(stderr, "short case file\n");
            return 2;
        }
        cur = &c;
        if (verbose)
            fprintf(stderr, "case %u\n", c.id);
        memset((void *)SVE_CODE, 0, 4 * SVE_CODE_WORDS + 4);
        memcpy((void *)SVE_CODE, c.code, 4 * c.ncode);
        __builtin___clear_cache((char *)SVE_CODE, (char *)SVE_CODE + 4 * SVE_CODE_WORDS);
        memset((void *)SVE_DATA, 0, SVE_DATA_SIZE);
        memcpy((void *)SVE_DATA, c.buf, SVE_BUF);
        sve_state_put((uint8_t *)(SVE_STATE - 32), &c, vl);
        memset(&res, 0, sizeof res);
        res.id = c.id;
        if (!sigsetjmp(jb, 1)) {
            alarm(2);
            raise(SIGUSR1);
            abort();   /* not reached: the case ends in on_stop */
        }
        alarm(0);
        sve_state_get((const uint8_t *)(SVE_STATE - 32), &res, vl);
        memcpy(res.buf, (void *)SVE_DATA, SVE_BUF);
        fwrite(&res, sizeof res, 1, out);
    }
    fclose(out);
    return 0;
}
