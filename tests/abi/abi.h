/*
 * abi.h - shared pieces of the data-driven ABI conformance suite.
 *
 * The suite replays, against a KVM implementation, every question a probe asked real
 * Linux 6.1 arm64 KVM and compares each answer with the recorded one (the data/ files).
 * Output is one line per check: "PASS|FAIL <file>:<line> <what> expected=<..> got=<..>".
 *
 * Two groups: "norun" (caps, register lists, VLS negotiation, lifecycle errno matrix: no
 * guest instruction is executed) and "run" (steps that execute guest code via KVM_RUN).
 */
#ifndef ABI_ABI_H
#define ABI_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm_api.h"

/* ---- configuration of one invocation ---- */
struct abi_opts {
    const char *cfg;      /* default | vq4 | vq124 | nosve */
    const char *data_dir; /* directory holding the copied .tsv files */
    bool norun;           /* run the "norun" group */
    bool run;             /* run the "run" group */
};
extern struct abi_opts abi_opt;

/* ---- report.c: one line per check ---- */
/* Prints PASS/FAIL; returns ok. Long values are shortened on PASS lines only. */
bool abi_report(bool ok, const char *file, int line, const char *what, const char *expected,
            const char *got);
/* PASS iff expected equals got. */
bool abi_check_str(const char *file, int line, const char *what, const char *expected,
               const char *got);
/* An unconditional FAIL with a free-form reason in place of expected/got. */
void abi_report_fail(const char *file, int line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void abi_report_totals(int *pass, int *fail);

/* ---- tsv.c: tab-separated data files ---- */
struct tsv_row {
    int line;    /* 1-based line number in the file */
    int ncols;
    char **cols; /* cols[i] points into the file buffer; never NULL for i < ncols */
};
struct tsv {
    char name[64]; /* file name as printed in reports */
    char *buf;
    struct tsv_row *rows;
    int nrows;
};
/* Load data_dir/name. Returns 0, or -errno after printing a FAIL line for it. */
int abi_tsv_load(struct tsv *t, const char *name);
void abi_tsv_free(struct tsv *t);
/* Column index of a header cell equal to name, or -1. */
int abi_tsv_col(const struct tsv_row *header, const char *name);
/* cols[i] or "" if the row is shorter. */
const char *abi_tsv_get(const struct tsv_row *r, int i);

/* ---- kvmutil.c: thin helpers over kvm_open/kvm_ioctl; all return 0/value or -errno ---- */
const char *abi_errname(int err);            /* "EINVAL", ...; "E<n>" if unknown */
void abi_fmt_ret(char *out, size_t n, int ret); /* ret >= 0: "%d"; else abi_errname(-ret) */
int abi_sys_fd(void);                        /* the system fd, opened once */
int abi_kvm_call(int fd, unsigned long req, void *arg); /* ioctl, -errno on failure */
int abi_kvm_callv(int fd, unsigned long req, unsigned long arg);
int abi_vm_create(void);
int abi_vcpu_create(int vm, unsigned id);
uint32_t abi_preferred_target(void);         /* KVM_ARM_PREFERRED_TARGET, cached */
int abi_vcpu_init(int vcpu, uint32_t target, uint32_t features0, uint32_t features1);
int abi_reg_get(int vcpu, uint64_t id, void *buf);
int abi_reg_set(int vcpu, uint64_t id, const void *buf);
int abi_reg_get64(int vcpu, uint64_t id, uint64_t *val);
int abi_reg_set64(int vcpu, uint64_t id, uint64_t val);
int abi_vcpu_finalize(int vcpu, int what);
size_t abi_reg_size(uint64_t id);            /* 1 << size field */
void abi_hex_bytes(char *out, const void *buf, size_t len); /* memory order, lower-case */
void abi_close_fd(int *fd);                  /* kvm_close if >= 0, then -1 */

/* Register ids used by name in the tests (values per the arm64 uapi; kvmutil.c asserts a few
 * of them against the header's own macros so both headers are checked). */
#define ABI_REG_CORE(idx, sz) (0x6000000000100000ULL | ((uint64_t)(sz) << 52) | (idx))
#define ABI_U32 2
#define ABI_U64 3
#define ABI_U128 4
#define REG_X0 ABI_REG_CORE(0x00, ABI_U64)
#define REG_PC ABI_REG_CORE(0x40, ABI_U64)
#define REG_PSTATE ABI_REG_CORE(0x42, ABI_U64)
#define REG_ELR_EL1 ABI_REG_CORE(0x46, ABI_U64)  /* core elr_el1 */
#define REG_SPSR_EL1 ABI_REG_CORE(0x48, ABI_U64) /* core spsr[0] */
#define REG_V0 ABI_REG_CORE(0x54, ABI_U128)
#define REG_FPSR ABI_REG_CORE(0xd4, ABI_U32)
#define ABI_SYSREG(op0, op1, crn, crm, op2)                                                 \
    (0x6030000000130000ULL | ((uint64_t)(op0) << 14) | ((uint64_t)(op1) << 11) |           \
     ((uint64_t)(crn) << 7) | ((uint64_t)(crm) << 3) | (uint64_t)(op2))
#define REG_SCTLR_EL1 ABI_SYSREG(3, 0, 1, 0, 0)
#define REG_ZCR_EL1 ABI_SYSREG(3, 0, 1, 2, 0)
#define REG_ESR_EL1 ABI_SYSREG(3, 0, 5, 2, 0)
#define REG_FAR_EL1 ABI_SYSREG(3, 0, 6, 0, 0)
#define REG_VBAR_EL1 ABI_SYSREG(3, 0, 12, 0, 0)
#define REG_FW_PSCI 0x6030000000140000ULL
#define REG_SVE_VLS 0x606000000015ffffULL
#define REG_SVE_Z(n, i) (0x6080000000150000ULL | ((uint64_t)(n) << 5) | (i))
#define REG_SVE_P(n, i) (0x6050000000150400ULL | ((uint64_t)(n) << 5) | (i))
#define REG_SVE_FFR(i) (0x6050000000150600ULL | (i))

/* Feature bits of KVM_ARM_VCPU_INIT (uapi). */
#define F_POWER_OFF (1u << 0)
#define F_EL1_32BIT (1u << 1)
#define F_PSCI_0_2 (1u << 2)
#define F_PMU_V3 (1u << 3)
#define F_SVE (1u << 4)
#define F_PTRAUTH_ADDR (1u << 5)
#define F_PTRAUTH_GEN (1u << 6)
#define ABI_FINALIZE_SVE 4

/* VLS helpers: 8 little-endian u64 words, VQ v is bit (v-1)%64 of word (v-1)/64. */
void abi_vls_format_set(char *out, size_t n, const uint64_t w[8]);   /* "1-2,4", "{}" */
void abi_vls_format_words(char *out, size_t n, const uint64_t w[8]); /* "b:0:0:0:0:0:0:0" */
int abi_vls_parse_words(const char *s, uint64_t w[8]);               /* 0 or -1 */

/* ---- guest.c: a VM with RAM, guest snippets, KVM_RUN with a SIGALRM guard ---- */
#define GUEST_RAM 0x10000000ULL   /* memslot 0, 2 MiB */
#define GUEST_RAM_SIZE 0x200000ULL
#define GUEST_VBAR 0x10010000ULL  /* vector table offset 0x10000 in RAM */
#define GUEST_MMIO 0x20000000ULL  /* no memslot: MMIO window */

struct guest {
    int vm, vcpu;
    struct kvm_run *run;
    void *ram;
};
enum snippet { SN_MMIO, SN_HVCOFF, SN_UNDEF, SN_SVETRAP, SN_ZCR, SN_RDVL, SN_VECTORS };
bool abi_guest_code_available(void);
void abi_guest_zero(struct guest *g); /* all fds -1, pointers NULL */
void abi_guest_close(struct guest *g);
/* New VM + vCPU 0, vCPU run page mapped; no INIT. */
int abi_guest_new(struct guest *g);
int abi_guest_new_type(struct guest *g, unsigned long vm_type); /* KVM_CREATE_VM type (IPA size) */
/* Memslot 0 = 2 MiB anonymous RAM at GUEST_RAM; copies the snippet to RAM+0 and, if
 * vectors, the vector table to RAM+0x10000. */
int abi_guest_add_ram(struct guest *g, enum snippet sn, bool vectors);
/* One KVM_RUN. guard_ms > 0: a SIGALRM after guard_ms ends a run that does not return on
 * its own (EINTR). A run that ignores signals for long is killed by the watchdog. */
int abi_guest_run(struct guest *g, unsigned guard_ms);
int abi_guest_run_fd(int vcpu, unsigned guard_ms); /* the same for a bare vCPU fd */
/* After an MMIO read exit: the reply the probe gave (bytes 11 22 .. 88). */
void abi_guest_mmio_reply(struct guest *g);
/* "exit_reason=6(MMIO) phys_addr=.. len=.. is_write=.. data_bytes=.. value=.." etc. */
void abi_guest_fmt_exit(const struct guest *g, char *out, size_t n);

/* ---- the test areas ---- */
void abi_test_caps(void);
void abi_test_reglist(void);
void abi_test_vls(void);
void abi_test_lifecycle(void);
void abi_test_ipa(void);

#endif
