/*
 * test_host_fault.c - guest RAM the host cannot access, through the KVM API
 * (needs the engine; exit 77 without it).
 *
 * Linux 6.1: KVM_SET_USER_MEMORY_REGION only checks that userspace_addr is
 * page aligned user address space (kvm_main.c, access_ok); when the guest
 * touches a page whose userspace mapping cannot be faulted in (unmapped,
 * PROT_NONE, a write to a read-only mapping of a writable slot, a file page
 * beyond EOF), arm64 mmu.c user_mem_abort fails and KVM_RUN returns -1/EFAULT
 * with exit_reason KVM_EXIT_UNKNOWN and PC at the instruction (nothing of it
 * done), so the VMM can map the memory and run again. A read-only mapping
 * serves reads (stage 2 is mapped read-only), and a KVM_MEM_READONLY slot
 * turns writes into MMIO exits without touching the mapping.
 *
 * softkvm gets there through a SIGSEGV/SIGBUS handler (util/hostfault.h); the
 * second half checks, each in a child process, that faults which are not the
 * guest's still reach what the program installed, the way the kernel would
 * deliver them: an SA_SIGINFO handler, a plain handler, SA_RESETHAND,
 * SIG_IGN (kill ignored, a real fault kills), SIG_DFL (killed by SIGSEGV), a
 * handler installed after the first KVM_RUN that chains to ours, and the
 * VMM's own thread touching the very memory the guest faulted on. (softkvm
 * installs its handler at the process's first KVM_RUN, chaining to what is
 * installed then: the parent never runs a guest, so that in each child the
 * program's handler comes first.)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "robust.h"

#define SLOT1_GPA 0x10100000ull

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif

/* Instructions. */
#define LDR_X1_X2   0xf9400041u   /* ldr x1, [x2] */
#define STR_X1_X3   0xf9000061u   /* str x1, [x3]: x3 = GUEST_MMIO */
#define STR_X4_X2   0xf9000044u   /* str x4, [x2] */
#define MOVZ_X1(i)  (0xd2800001u | (uint32_t)(i) << 5)
#define B_SELF      0x14000000u

static long page;

/* Guest with slot 1 (size bytes at mem, flags) at SLOT1_GPA; code at GUEST_CODE. */
static void guest_with_slot(struct guest *g, void *mem, size_t size, uint32_t flags, const uint32_t *code, size_t n)
{
    CHECK(guest_init(g, 0x10000, 0) == 0);
    struct kvm_userspace_memory_region mr = { 1, flags, SLOT1_GPA, size, (uintptr_t)mem };
    CHECK_RET(softkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    memcpy(guest_code(g), code, n * 4);
    set_reg(g->vcpu, REG_X(1), 0x1111);
    set_reg(g->vcpu, REG_X(2), SLOT1_GPA);
    set_reg(g->vcpu, REG_X(3), GUEST_MMIO);
    set_reg(g->vcpu, REG_X(4), 0x4444);
}

/* KVM_RUN fails EFAULT: exit_reason KVM_EXIT_UNKNOWN, PC at pc, x1 untouched.
 * (exit_reason is left as it is before: an MMIO exit is completed by this run.) */
static void check_efault(const char *what, struct guest *g, uint64_t pc)
{
    errno = 0;
    int r = softkvm_ioctl(g->vcpu, KVM_RUN, 0);
    int e = errno;
    uint64_t at = get_reg(g->vcpu, REG_PC);
    if (!(r == -1 && e == EFAULT && g->run->exit_reason == KVM_EXIT_UNKNOWN && at == pc))
        fprintf(stderr, "%s: KVM_RUN %d/%s exit_reason %u PC 0x%llx (want EFAULT, UNKNOWN, PC 0x%llx)\n", what, r,
                strerror(e), g->run->exit_reason, (unsigned long long)at, (unsigned long long)pc);
    CHECK(r == -1 && e == EFAULT && g->run->exit_reason == KVM_EXIT_UNKNOWN && at == pc);
    CHECK(get_reg(g->vcpu, REG_X(1)) == 0x1111);
}

/* KVM_RUN stops at the MMIO store of x1 to GUEST_MMIO; returns the value. */
static uint64_t run_to_mmio_store(const char *what, struct guest *g)
{
    int r = softkvm_ioctl(g->vcpu, KVM_RUN, 0);
    bool ok = r == 0 && g->run->exit_reason == KVM_EXIT_MMIO && g->run->mmio.is_write &&
              g->run->mmio.phys_addr == GUEST_MMIO;
    if (!ok)
        fprintf(stderr, "%s: KVM_RUN %d/%s exit_reason %u\n", what, r, r ? strerror(errno) : "ok",
                g->run->exit_reason);
    CHECK(ok);
    uint64_t v = 0;
    memcpy(&v, g->run->mmio.data, 8);
    return v;
}

/* ---- what the guest sees ------------------------------------------------------------------------------ */

static const uint32_t load_store[] = { LDR_X1_X2, STR_X1_X3, B_SELF };

static void unmapped_and_remapped(void)
{
    uint8_t *m = guarded_alloc((size_t)page);
    struct guest g;
    guest_with_slot(&g, m, (size_t)page, 0, load_store, 3);
    munmap(m, (size_t)page);
    /* SOFTKVM_EXPLAIN says what happened, in one line on stderr. */
    softkvm_set_explain(true);
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    check_efault("munmap", &g, GUEST_CODE);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    softkvm_set_explain(false);
    char line[512] = "";
    rewind(tmp);
    if (!fgets(line, sizeof line, tmp))
        line[0] = 0;
    fclose(tmp);
    CHECK(strstr(line, "KVM_RUN: EFAULT: the guest's data access at PC 0x10001000 touched IPA 0x10100000 in memslot 1") &&
          strstr(line, "SIGSEGV: unmapped"));
    check_efault("munmap, again", &g, GUEST_CODE);
    CHECK(mmap(m, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == m);
    *(uint64_t *)m = 0xabcd;
    CHECK(run_to_mmio_store("mapped again", &g) == 0xabcd);
    guest_destroy(&g);
    munmap(m - page, 3 * (size_t)page);
}

static void prot_none(void)
{
    uint8_t *m = guarded_alloc((size_t)page);
    *(uint64_t *)m = 0x5678;
    struct guest g;
    guest_with_slot(&g, m, (size_t)page, 0, load_store, 3);
    CHECK(mprotect(m, (size_t)page, PROT_NONE) == 0);
    check_efault("PROT_NONE", &g, GUEST_CODE);
    CHECK(mprotect(m, (size_t)page, PROT_READ) == 0);
    CHECK(run_to_mmio_store("PROT_READ again", &g) == 0x5678);
    guest_destroy(&g);
    munmap(m - page, 3 * (size_t)page);
}

/* Reserved (PROT_NONE), registered, populated later: a VMM's usual order. */
static void reserve_then_populate(void)
{
    uint8_t *m = mmap(NULL, 2 * (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    static const uint32_t code[] = { STR_X4_X2, LDR_X1_X2, STR_X1_X3, B_SELF };
    struct guest g;
    guest_with_slot(&g, m, 2 * (size_t)page, 0, code, 4);
    check_efault("reserved, not populated", &g, GUEST_CODE);
    CHECK(mprotect(m, 2 * (size_t)page, PROT_READ | PROT_WRITE) == 0);
    CHECK(run_to_mmio_store("populated", &g) == 0x4444);
    CHECK(*(uint64_t *)m == 0x4444);
    guest_destroy(&g);
    munmap(m, 2 * (size_t)page);
}

/* A writable slot over a read-only mapping: reads work, a write is EFAULT. A
 * KVM_MEM_READONLY slot over it: the write is an MMIO exit. */
static void read_only_mapping(void)
{
    uint8_t *m = guarded_alloc((size_t)page);
    *(uint64_t *)m = 0x7777;
    CHECK(mprotect(m, (size_t)page, PROT_READ) == 0);
    static const uint32_t code[] = { LDR_X1_X2, STR_X1_X3, STR_X4_X2, MOVZ_X1(0x22), STR_X1_X3, B_SELF };
    struct guest g;
    guest_with_slot(&g, m, (size_t)page, 0, code, 6);
    CHECK(run_to_mmio_store("read through a read-only mapping", &g) == 0x7777);
    set_reg(g.vcpu, REG_X(1), 0x1111);
    check_efault("write to a read-only mapping", &g, GUEST_CODE + 8);
    CHECK(*(uint64_t *)m == 0x7777);
    CHECK(mprotect(m, (size_t)page, PROT_READ | PROT_WRITE) == 0);
    CHECK(run_to_mmio_store("writable again", &g) == 0x22);
    CHECK(*(uint64_t *)m == 0x4444);
    guest_destroy(&g);

    CHECK(mprotect(m, (size_t)page, PROT_READ) == 0);
    guest_with_slot(&g, m, (size_t)page, KVM_MEM_READONLY, code, 6);
    CHECK(run_to_mmio_store("KVM_MEM_READONLY: read", &g) == 0x4444);
    CHECK_RET(softkvm_ioctl(g.vcpu, KVM_RUN, 0), 0);
    CHECK(g.run->exit_reason == KVM_EXIT_MMIO && g.run->mmio.is_write && g.run->mmio.phys_addr == SLOT1_GPA);
    guest_destroy(&g);
    munmap(m - page, 3 * (size_t)page);
}

/* A shared file mapping longer than the file: the page past EOF is SIGBUS. */
static void beyond_eof(void)
{
    int fd = memfd_create("host-fault", MFD_CLOEXEC);
    CHECK(fd >= 0 && ftruncate(fd, page) == 0);
    uint8_t *m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    struct guest g;
    guest_with_slot(&g, m, 2 * (size_t)page, 0, load_store, 3);
    set_reg(g.vcpu, REG_X(2), SLOT1_GPA + (uint64_t)page);
    check_efault("beyond the end of the file", &g, GUEST_CODE);
    CHECK(ftruncate(fd, 2 * page) == 0);
    m[page] = 0x42;
    CHECK(run_to_mmio_store("file extended", &g) == 0x42);
    guest_destroy(&g);
    munmap(m, 2 * (size_t)page);
    close(fd);
}

/* Code in the slot: the fetch faults, PC stays at it; a branch there completes first. */
static void fetch(void)
{
    uint8_t *m = guarded_alloc((size_t)page);
    static const uint32_t there[] = { MOVZ_X1(0x33), STR_X1_X3, B_SELF };
    memcpy(m, there, sizeof there);
    static const uint32_t code[] = { 0xd61f0040u };   /* br x2 */
    struct guest g;
    guest_with_slot(&g, m, (size_t)page, 0, code, 1);
    CHECK(mprotect(m, (size_t)page, PROT_NONE) == 0);
    check_efault("branch into an inaccessible page", &g, SLOT1_GPA);
    check_efault("fetch from an inaccessible page", &g, SLOT1_GPA);
    CHECK(mprotect(m, (size_t)page, PROT_READ) == 0);
    CHECK(run_to_mmio_store("code accessible again", &g) == 0x33);
    guest_destroy(&g);
    munmap(m - page, 3 * (size_t)page);
}

/* A slot beyond the host's address space (accepted: arm64 user space goes to
 * 2^48). On x86-64 with 4-level paging the access is a general protection
 * fault without an address. Sanitizers compute shadow addresses for it and
 * fault there first, so only plain builds run it. */
static void beyond_host_address_space(void)
{
#ifndef SANITIZED
    struct guest g;
    guest_with_slot(&g, (void *)(uintptr_t)0x0000900000000000ull, (size_t)page, 0, load_store, 3);
    check_efault("slot beyond the host's address space", &g, GUEST_CODE);
    guest_destroy(&g);
#endif
}

/* ---- what the program's own faults do ------------------------------------------------------------------ */

static atomic_int handled;
static volatile int *progress;          /* shared with the parent: how far a child that dies got */
static atomic_int last_code;
static void *_Atomic last_addr;
static void *_Atomic fix_addr;          /* the handler makes this page accessible again */
static sigjmp_buf escape;

static void on_segv_info(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    handled++;
    last_code = si->si_code;
    last_addr = si->si_addr;
    void *fix = atomic_load(&fix_addr);
    if (fix && si->si_code > 0)
        mmap(fix, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void on_plain(int sig)
{
    (void)sig;
    handled++;
    siglongjmp(escape, 1);
}

static void install(int sig, void (*plain)(int), void (*info)(int, siginfo_t *, void *), int flags,
                    struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (info) {
        sa.sa_sigaction = info;
        sa.sa_flags = SA_SIGINFO | flags;
    } else {
        sa.sa_handler = plain;
        sa.sa_flags = flags;
    }
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

/* A guest fault through KVM_RUN (installs softkvm's handler on first use):
 * must be EFAULT and invisible to the program's handler. */
static void guest_fault_first(uint8_t **slot_mem)
{
    uint8_t *m = guarded_alloc((size_t)page);
    struct guest g;
    guest_with_slot(&g, m, (size_t)page, 0, load_store, 3);
    munmap(m, (size_t)page);
    int before = handled;
    check_efault("guest fault", &g, GUEST_CODE);
    CHECK(handled == before);
    guest_destroy(&g);
    if (slot_mem)
        *slot_mem = m;
}

static uint8_t *own_guarded_page(void)
{
    uint8_t *p = guarded_alloc((size_t)page);
    mprotect(p, (size_t)page, PROT_NONE);
    return p;
}

/* SA_SIGINFO handler installed before: it sees its own faults with their
 * address and code, also on the memory the guest just faulted on, and kill(). */
static void chain_siginfo(void)
{
    install(SIGSEGV, NULL, on_segv_info, 0, NULL);
    uint8_t *gone;
    guest_fault_first(&gone);
    uint8_t *p = own_guarded_page();
    fix_addr = p;
    *(volatile uint8_t *)p = 1;                       /* the handler maps it and we go on */
    CHECK(handled == 1 && last_addr == p && last_code == SEGV_ACCERR);
    fix_addr = gone;
    (void)*(volatile uint8_t *)gone;                  /* the VMM itself touches the vanished slot memory */
    CHECK(handled == 2 && last_addr == gone && last_code == SEGV_MAPERR);
    kill(getpid(), SIGSEGV);
    CHECK(handled == 3 && last_code == SI_USER);
}

/* A plain handler for SIGBUS (a file page beyond EOF) that longjmps out. */
static void chain_plain_sigbus(void)
{
    install(SIGBUS, on_plain, NULL, 0, NULL);
    guest_fault_first(NULL);
    int fd = memfd_create("eof", MFD_CLOEXEC);
    uint8_t *m = mmap(NULL, (size_t)page, PROT_READ, MAP_SHARED, fd, 0);
    if (sigsetjmp(escape, 1) == 0)
        (void)*(volatile uint8_t *)m;
    CHECK(handled == 1);
}

/* SA_RESETHAND: the first fault reaches the handler, the second kills. */
static void chain_resethand(void)
{
    install(SIGSEGV, NULL, on_segv_info, SA_RESETHAND, NULL);
    guest_fault_first(NULL);
    uint8_t *p = own_guarded_page();
    fix_addr = p;
    *(volatile uint8_t *)p = 1;
    if (handled == 1)
        *progress = 1;
    fix_addr = NULL;
    uint8_t *q = own_guarded_page();
    *(volatile uint8_t *)q = 1;                       /* dies */
    *progress = 2;
}

/* SIG_IGN: a sent SIGSEGV is ignored, a real fault kills. */
static void chain_ignored(void)
{
    install(SIGSEGV, SIG_IGN, NULL, 0, NULL);
    guest_fault_first(NULL);
    kill(getpid(), SIGSEGV);
    *progress = 1;
    uint8_t *p = own_guarded_page();
    *(volatile uint8_t *)p = 1;                       /* dies */
    *progress = 2;
}

/* SIG_DFL (or a sanitizer's handler): the program's fault kills it. */
static void chain_default(void)
{
    guest_fault_first(NULL);
    *progress = 1;
    uint8_t *p = own_guarded_page();
    *(volatile uint8_t *)p = 1;                       /* dies */
    *progress = 2;
}

/* A handler installed after the first KVM_RUN that chains to the previous one
 * (softkvm's): guest faults are still EFAULT, its own faults its own. */
static struct sigaction chained_old;
static void on_segv_chaining(int sig, siginfo_t *si, void *uc)
{
    void *fix = atomic_load(&fix_addr);
    if (fix && si->si_addr == fix) {
        handled++;
        mmap(fix, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        return;
    }
    if (chained_old.sa_flags & SA_SIGINFO)
        chained_old.sa_sigaction(sig, si, uc);
}

static void chain_installed_later(void)
{
    guest_fault_first(NULL);
    install(SIGSEGV, NULL, on_segv_chaining, 0, &chained_old);
    guest_fault_first(NULL);                           /* through the program's handler to softkvm's */
    CHECK(handled == 0);
    uint8_t *p = own_guarded_page();
    fix_addr = p;
    *(volatile uint8_t *)p = 1;
    CHECK(handled == 1);
}

/* Run fn in a child. Returns its wait status. */
static int in_child(void (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit no_core = { 0, 0 };
        setrlimit(RLIMIT_CORE, &no_core);
        check_failures = 0;
        handled = 0;
        *progress = 0;
        fn();
        _exit(check_failures ? 3 : 0);
    }
    /* A guest fault nobody recovers from loops in the program's handler with
     * the program's signals deferred (alarm() cannot end it): kill it. */
    int st = 0;
    for (int i = 0; i < 3000 && waitpid(pid, &st, WNOHANG) == 0; i++)
        usleep(10 * 1000);
    if (waitpid(pid, &st, WNOHANG) == 0) {
        fprintf(stderr, "child still running after 30 s: killed\n");
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    return st;
}

static bool exited_ok(int st)
{
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Killed by SIGSEGV, as without softkvm; in a sanitizer build the sanitizer's
 * SEGV report may exit instead (1 for ASan, 66 for TSan), but not our 0 or 3. */
static bool died_of_segv(int st, bool sanitizer_may_report)
{
    if (WIFSIGNALED(st))
        return WTERMSIG(st) == SIGSEGV;
    return sanitizer_may_report && WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3;
}

static void probe_engine(void)
{
    if (!engine_present())
        _exit(SKIP_RC);
}

int main(void)
{
    progress = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int st = in_child(probe_engine);
    if (WIFEXITED(st) && WEXITSTATUS(st) == SKIP_RC) {
        printf("test_host_fault: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    CHECK(exited_ok(st));
    page = sysconf(_SC_PAGESIZE);
    static const struct { const char *name; void (*fn)(void); } guest_cases[] = {
        { "unmapped, then mapped again", unmapped_and_remapped },
        { "PROT_NONE", prot_none },
        { "reserved, then populated", reserve_then_populate },
        { "read-only mapping", read_only_mapping },
        { "file shorter than the slot (SIGBUS)", beyond_eof },
        { "instruction fetch", fetch },
        { "beyond the host's address space", beyond_host_address_space },
    };
    for (unsigned i = 0; i < sizeof guest_cases / sizeof guest_cases[0]; i++) {
        int st = in_child(guest_cases[i].fn);
        if (!exited_ok(st))
            fprintf(stderr, "%s: child status 0x%x\n", guest_cases[i].name, st);
        CHECK(exited_ok(st));
    }

    st = in_child(chain_siginfo);
    CHECK(exited_ok(st));
    st = in_child(chain_plain_sigbus);
    CHECK(exited_ok(st));
    st = in_child(chain_installed_later);
    CHECK(exited_ok(st));
    /* These die at their second fault, having got past the first. */
    st = in_child(chain_resethand);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && *progress == 1);
    st = in_child(chain_ignored);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && *progress == 1);
    st = in_child(chain_default);
    CHECK(died_of_segv(st, true) && *progress == 1);
    printf("test_host_fault: %u guest cases, 6 chaining cases\n", (unsigned)(sizeof guest_cases / sizeof guest_cases[0]));
    return check_done("test_host_fault");
}
