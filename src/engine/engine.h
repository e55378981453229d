/*
 * engine.h - the AArch64 execution engine's interface to the vCPU model.
 *
 * The vCPU layer (src/vcpu, src/hyp) owns the KVM semantics; the engine only
 * executes guest instructions on a struct cpu and stops when something needs
 * the hypervisor or the VMM: an MMIO access, HVC/SMC, WFI, a stop request from
 * another thread, or the instruction budget. Guest exceptions that never leave
 * the guest (UNDEF, SVC, BRK, aborts on unmapped instruction fetch, alignment)
 * are taken inside the engine: registers, ESR/ELR/SPSR/FAR updated and
 * execution continues at VBAR_EL1.
 *
 * Model notes (engine side):
 * - Stage-1 MMU of the EL1&0 regime (mmu.c): with SCTLR_EL1.M set, addresses
 *   are translated through TTBR0/1_EL1 (4K/16K/64K granules) with the faults
 *   the architecture defines; MMIO exits report the IPA (stage 2 is the
 *   memslot map). With M clear every address is guest-physical. Data accesses
 *   behave as Normal memory either way (unaligned plain loads/stores work,
 *   also to Device memory; exclusives, atomics and acquire/release need
 *   natural alignment: no FEAT_LSE2, as QEMU 7.2 -cpu max).
 * - Translations are cached per vCPU and dropped by TLBI (the IS/OS forms on
 *   every vCPU, through *code_gen) and by changes of SCTLR_EL1, TCR_EL1,
 *   TTBR0/1_EL1, MAIR_EL1, also by the VMM between runs. Page tables
 *   changed without TLBI may be seen late, as on hardware.
 * - Decoded code is cached per guest page and kept coherent with guest stores
 *   (self-modifying code works without cache maintenance). Memory written
 *   behind the engine's back (by the VMM, another process, or a vCPU thread
 *   storing without IC maintenance) is seen once engine_cache_recheck() has
 *   been called: the hypervisor calls it at every KVM_RUN entry and when the
 *   vCPU resumes after waiting (WFI, stopped), so code the VMM writes between
 *   two KVM_RUNs runs as written, as on KVM. Writes made while the vCPU is
 *   inside engine_run() may be seen late (until its next KVM_RUN) unless the
 *   guest itself does IC maintenance, as CTR_EL0.DIC = 0 requires. The
 *   recheck is O(1); each decoded page then compares the bytes its code was
 *   decoded from (a 4 KiB copy per page, memory cost 1/8 of the page's
 *   decoded entries) the first time execution enters it again.
 * - Guest RAM is accessed through host pointers into the VMM's mappings. If
 *   an access faults on the host (the VMM unmapped or protected the memory)
 *   engine_run returns ENGINE_EXIT_HOST_FAULT instead of letting the process
 *   die (util/hostfault.h; the first engine_run installs a SIGSEGV/SIGBUS
 *   handler that passes every other fault on). Decoded code whose memory
 *   vanished keeps running until the recheck reads that memory again (the
 *   next KVM_RUN), which then faults the same way.
 * - CNTFRQ_EL0 reads 62500000 (fixed); CNTPCT_EL0 is CLOCK_MONOTONIC in
 *   16 ns ticks; CNTVCT_EL0 = CNTPCT_EL0 - *cntvoff.
 */
#ifndef SOFTKVM_ENGINE_ENGINE_H
#define SOFTKVM_ENGINE_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "engine/cpu.h"
#include "mem/memslots.h"

struct engine_cache;   /* per-vCPU private state of the engine (decoded-block cache, ...) */

/* What the engine needs from its vCPU: set up by the vCPU layer, read by the engine. */
struct engine_env {
    /* Current memory map; the engine re-reads it when generation changes. */
    _Atomic(const struct memslots *) *memslots;

    /* Guest MRS/MSR of a system register the engine does not handle itself
     * (everything in the KVM catalogue: SCTLR, VBAR, ID registers, ...).
     * enc = op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 (KVM's sysreg index).
     * Returns true if handled (value read into *val, or written), false if the
     * access is UNDEFINED for this vCPU (the engine then injects UNDEF). */
    bool (*sysreg_read)(void *ctx, uint32_t enc, uint64_t *val);
    bool (*sysreg_write)(void *ctx, uint32_t enc, uint64_t val);
    void *sysreg_ctx;

    /* The VM's IPA size (KVM_CREATE_VM type): a data access whose IPA is at or
     * above 1 << ipa_bits gets KVM's injected synchronous external abort
     * (FAR = the IPA) instead of an MMIO exit, as 6.1's kvm_handle_guest_abort
     * does ("Falls between the IPA range and the PARange?"; measured on 6.1.192). */
    unsigned ipa_bits;

    /* Features (fixed after FINALIZE). */
    bool host_has_sve;       /* SVE instructions trap to EL1 (EC 0x19) with ZEN off even on non-SVE vCPUs */
    bool vcpu_has_sve;       /* SVE usable; without it SVE encodings are UNDEF once ZEN permits them */
    uint32_t sve_vqs;        /* bit (vq-1): VQs this vCPU supports (host set cut at its max) */
    bool vcpu_has_ptrauth;
    bool vcpu_has_pmu;

    /* Stop request from another thread (immediate_exit, signal, kick): the
     * engine polls it when engine_run() starts and then every 4096 executed
     * instructions (a spinning guest stops within microseconds); when nonzero
     * it returns ENGINE_EXIT_KICK with PC at the next instruction. */
    atomic_int *kick;

    /* Budget: stop with ENGINE_EXIT_BUDGET after this many instructions (0 = none),
     * counted from the start of each engine_run() call. */
    uint64_t insn_budget;
    /* Counter of retired instructions, incremented by the engine. An instruction
     * counts once it completed (a synchronous exception it raised counts: the
     * handler entry is its completion); an instruction that exits without
     * completing (MMIO, NISV, SMC, WFI: PC still at it) is not counted - the
     * hypervisor completes it. HVC counts (PC is past it). */
    uint64_t insns_retired;

    /* Trace each instruction to stderr (PC, disassembly, changed registers). */
    bool trace;

    /* Added by the engine (optional: NULL = not used). Both point to VM-wide values. */
    /* Code-change generation: IC IVAU / IC IALLUIS bump its low half, and every
     * vCPU drops its decoded code when it sees a new value (cross-vCPU
     * self-modifying code); broadcast TLBIs bump its high half, and every vCPU
     * forgets its cached translations. */
    _Atomic uint64_t *code_gen;
    /* CNTVOFF in ticks: CNTVCT_EL0 = engine_counter_now() - *cntvoff (as timer.c). */
    const uint64_t *cntvoff;
    /* The vCPU's interrupt lines (bit 0 IRQ, bit 1 FIQ), optional. When an
     * instruction unmasks an asserted line (MSR DAIF/DAIFClr, ERET), the engine
     * stops right after it with ENGINE_EXIT_KICK (PC = next instruction), so the
     * hypervisor takes the interrupt at once. Lines raised from another thread
     * while the guest runs unmasked still need a kick. */
    const atomic_uint *irq_lines;
};

enum engine_exit_kind {
    ENGINE_EXIT_MMIO,     /* data access outside memslots or write to a read-only slot, ISV=1 */
    ENGINE_EXIT_NISV,     /* same, but the access has no valid syndrome (pair, exclusive, writeback, SIMD...) */
    ENGINE_EXIT_HVC,      /* HVC from EL1; PC already advanced past it */
    ENGINE_EXIT_SMC,      /* SMC from EL1; PC still at the SMC (hypervisor decides) */
    ENGINE_EXIT_WFI,      /* WFI; PC at the WFI (hypervisor advances it after the wait) */
    ENGINE_EXIT_KICK,     /* *env->kick became nonzero */
    ENGINE_EXIT_BUDGET,   /* insn_budget exhausted */
    ENGINE_EXIT_INTERNAL, /* engine cannot continue (bug guard); detail in msg */
    ENGINE_EXIT_HOST_FAULT, /* guest RAM faulted on the host (unmapped, PROT_NONE, read-only for a write,
                             * beyond the end of a mapped file): PC at the instruction (or at the fetched
                             * PC), the state as before it; KVM_RUN fails EFAULT */
};

struct engine_exit {
    enum engine_exit_kind kind;
    union {
        struct {                 /* MMIO and NISV: the faulting access */
            uint64_t addr;       /* guest-physical address */
            uint8_t data[8];     /* store: value, little-endian, len bytes */
            uint32_t len;        /* 1, 2, 4 or 8 */
            bool is_write;
            uint8_t rt;          /* load destination register (31 = XZR) */
            bool sign_extend;    /* load sign-extends (LDRSB/SH/SW) */
            bool sf;             /* destination is an X register (else W: truncate to 32) */
        } mmio;
        struct { uint16_t imm; } hvc;
        struct { const char *msg; } internal;
        struct {                 /* HOST_FAULT */
            uint64_t ipa;        /* guest-physical address (page of the fault), if ipa_known */
            uint64_t hva;        /* host address that faulted (0 if the host did not say) */
            uint32_t slot;       /* KVM slot number, if ipa_known */
            bool ipa_known;
            bool fetch;          /* an instruction fetch (else a data access or its table walk) */
            int sig;             /* SIGSEGV or SIGBUS */
        } host_fault;
    };
};

/* Allocate / free the engine's per-vCPU state. NULL on ENOMEM. */
struct engine_cache *engine_cache_new(void);
void engine_cache_free(struct engine_cache *c);
/* Forget all decoded code (the vCPU was reset, or guest memory changed). */
void engine_cache_flush(struct engine_cache *c);
/* Guest memory may have been written from outside the engine since the last
 * engine_run() (the VMM between two KVM_RUNs): before decoded code runs
 * again, compare the guest bytes it was decoded from and decode again what
 * changed. O(1) here; the comparison is per page, the first time execution
 * enters the page afterwards, and an unchanged page keeps its decoded code. */
void engine_cache_recheck(struct engine_cache *c);

/* Run until an exit; fills *out. The cpu state is architecturally current on return. */
void engine_run(struct cpu *cpu, struct engine_env *env, struct engine_cache *c, struct engine_exit *out);

/* Inject a synchronous exception (e.g. UNDEF from the hypervisor) into the guest at EL1:
 * ESR_EL1 = esr, ELR_EL1 = preferred return address = cpu->pc, SPSR/PSTATE/PC as the
 * architecture takes it. far_valid: also write FAR_EL1 = far. */
void engine_inject_sync(struct cpu *cpu, uint64_t esr, bool far_valid, uint64_t far);

/* Effective SVE vector length in bytes for the current ZCR_EL1 (vCPU with SVE). */
unsigned engine_sve_vl_bytes(const struct cpu *cpu, const struct engine_env *env);

/* The guest's physical counter (CNTPCT_EL0) now: CLOCK_MONOTONIC in ticks of
 * 62.5 MHz (CNTFRQ_EL0 = 62500000, 16 ns per tick), the same clock as timer.c. */
uint64_t engine_counter_now(void);

/* Disassemble one instruction into buf (for traces and tools). Returns buf. */
const char *engine_disasm(uint32_t insn, uint64_t pc, char *buf, unsigned len);

#endif
