/*
 * diff_ref.c - reference runner of the differential test: a static aarch64
 * Linux program run under `qemu-aarch64 -cpu max`.
 *
 *   diff_ref CASES RESULTS
 *
 * For each case it copies the code to DIFF_CODE and the buffer to DIFF_DATA,
 * then raises SIGUSR1: the handler rewrites the interrupted context (X0-X30,
 * SP, PC = DIFF_CODE, NZCV, V0-V31, FPSR/FPCR) so that returning from the
 * handler starts the sequence with exactly the case's registers. The final
 * "brk #0x777" (SIGTRAP), or any fault (SIGILL/SIGBUS/SIGSEGV) or the alarm,
 * enters another handler that records the context and the buffer and
 * siglongjmps back to the loop. Handlers run on an alternate stack because the
 * sequence may point SP anywhere.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "diff_format.h"

#ifndef FPSIMD_MAGIC
#define FPSIMD_MAGIC 0x46508001
#endif

struct fpsimd_ctx {
    uint32_t magic, size;
    uint32_t fpsr, fpcr;
    __uint128_t vregs[32];
};

static sigjmp_buf jb;
static const struct diff_case *cur;
static struct diff_result res;

static struct fpsimd_ctx *fpctx(ucontext_t *uc)
{
    struct fpsimd_ctx *f = (struct fpsimd_ctx *)(void *)uc->uc_mcontext.__reserved;
    return f->magic == FPSIMD_MAGIC ? f : NULL;
}

static void on_start(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    mcontext_t *m = &uc->uc_mcontext;
    for (int i = 0; i < 31; i++)
        m->regs[i] = cur->x[i];
    m->sp = cur->sp;
    m->pc = DIFF_CODE;
    /* NZCV from the case; DIT and SSBS cleared as the engine side starts
     * (a previous case may have changed them and siglongjmp keeps them). */
    m->pstate = (m->pstate & ~(0xf0000000ull | (1ull << 24) | (1ull << 12))) | (cur->nzcv & 0xf0000000ull);
    struct fpsimd_ctx *f = fpctx(uc);
    if (f) {
        memcpy(f->vregs, cur->v, sizeof f->vregs);
        f->fpsr = (uint32_t)cur->fpsr;
        f->fpcr = (uint32_t)cur->fpcr;
    }
}

static void on_stop(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    mcontext_t *m = &uc->uc_mcontext;
    for (int i = 0; i < 31; i++)
        res.x[i] = m->regs[i];
    res.sp = m->sp;
    res.nzcv = m->pstate & 0xf0000000ull;
    res.stop_off = m->pc - DIFF_CODE;
    struct fpsimd_ctx *f = fpctx(uc);
    if (f) {
        memcpy(res.v, f->vregs, sizeof res.v);
        res.fpsr = f->fpsr;
    }
    switch (sig) {
    case SIGTRAP: {
        uint32_t insn = 0;
        if (m->pc >= DIFF_CODE && m->pc < DIFF_CODE + 4 * DIFF_CODE_WORDS + 4)
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
    memcpy(res.buf, (void *)DIFF_DATA, DIFF_BUF);
    siglongjmp(jb, 1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CASES RESULTS\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    if (!in || !out) {
        perror("open");
        return 2;
    }
    struct diff_header hdr;
    if (fread(&hdr, sizeof hdr, 1, in) != 1 || hdr.magic != DIFF_MAGIC) {
        fprintf(stderr, "bad case file\n");
        return 2;
    }
    if (mmap((void *)DIFF_CODE, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ||
        mmap((void *)DIFF_DATA, 0x10000, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1,
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
    fwrite(&hdr, sizeof hdr, 1, out);

    static struct diff_case c;
    for (uint32_t n = 0; n < hdr.count; n++) {
        if (fread(&c, sizeof c, 1, in) != 1) {
            fprintf(stderr, "short case file\n");
            return 2;
        }
        cur = &c;
        memset((void *)DIFF_CODE, 0, 4 * DIFF_CODE_WORDS + 4);
        memcpy((void *)DIFF_CODE, c.code, 4 * c.ncode);
        __builtin___clear_cache((char *)DIFF_CODE, (char *)DIFF_CODE + 4 * DIFF_CODE_WORDS);
        memset((void *)DIFF_DATA, 0, 0x10000);
        memcpy((void *)DIFF_DATA, c.buf, DIFF_BUF);
        memset(&res, 0, sizeof res);
        res.id = c.id;
        if (!sigsetjmp(jb, 1)) {
            alarm(2);
            raise(SIGUSR1);
            /* not reached: the case ends in on_stop */
            abort();
        }
        alarm(0);
        fwrite(&res, sizeof res, 1, out);
    }
    fclose(out);
    return 0;
}
