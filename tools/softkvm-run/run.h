/*
 * run.h - softkvm-run, a small kvmtool-style VMM, shared declarations.
 *
 * softkvm-run is an ordinary KVM client: every interaction with the VM goes
 * through the arm64 KVM ioctls of <softkvm/kvm.h> (kvm_open/kvm_ioctl below
 * are softkvm_open/softkvm_ioctl; pointing them at open("/dev/kvm")/ioctl
 * would run the same code on a real arm64 host). The only softkvm-specific
 * calls are the ones with no KVM equivalent: the emulated host profile
 * (--host), explanations, trace, instruction budget and statistics.
 *
 * Machine (QEMU virt's addresses, so the same guest also runs under
 * qemu-system-aarch64 -M virt):
 *   0x09000000  PL011 UART (uart.c)
 *   0x09ff0000  softkvm-run control page (sysctl.c): guest exit status
 *   0x40000000  RAM (--mem, default 64 MiB); its last 64 KiB hold the
 *               device tree (fdt.c), whose address the guest gets in X0
 */
#ifndef SOFTKVM_RUN_RUN_H
#define SOFTKVM_RUN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <softkvm/kvm.h>
#include <softkvm/softkvm.h>

#define kvm_open()               softkvm_open("/dev/kvm", O_RDWR | O_CLOEXEC)
#define kvm_ioctl(fd, req, arg)  softkvm_ioctl((fd), (req), (arg))

#define RAM_BASE        0x40000000ull
#define RAM_DEFAULT     (64ull << 20)
#define UART_BASE       0x09000000ull
#define UART_SIZE       0x1000ull
#define SYSCTL_BASE     0x09ff0000ull
#define SYSCTL_SIZE     0x1000ull
#define FDT_AREA        0x10000ull  /* the last 64 KiB of RAM hold the device tree */

/* Exit statuses of softkvm-run itself (a guest chooses any 0..255, see sysctl.c). */
#define STATUS_VMM_ERROR   1    /* unhandled MMIO, KVM_RUN failure, instruction limit */
#define STATUS_USAGE       2    /* bad option, bad image, SVE request the host cannot grant */
#define STATUS_TIMEOUT     124  /* --timeout expired (as timeout(1)) */

/* A set of SVE vector lengths in KVM_REG_ARM64_SVE_VLS layout: bit (vq-1) of w[]. */
struct vqset {
    uint64_t w[KVM_ARM64_SVE_VLS_WORDS];
};

enum sve_mode {
    SVE_AUTO,       /* SVE if the host has it, every host length */
    SVE_OFF,        /* --no-sve */
    SVE_MAX,        /* --sve-max BITS: the host's lengths up to BITS */
    SVE_LIST,       /* --sve-vls LIST: exactly these lengths */
};

struct options {
    const char *image;
    uint64_t mem_size;
    bool flat;                  /* --load-addr given: raw binary */
    uint64_t load_addr;
    unsigned smp;

    enum sve_mode sve;
    unsigned sve_max_vq;        /* SVE_MAX */
    struct vqset sve_vls;       /* SVE_LIST */
    const char *sve_arg;        /* the option as the user wrote it, for messages */
    const char *host_spec;      /* --host */

    bool explain, trace, stats, verbose, reboot;
    uint64_t max_insns;         /* 0 = unbounded */
    double timeout_s;           /* 0 = none */
    const char *report_path;
    const char *dump_dtb;       /* --dump-dtb FILE: write the device tree, do not run */

    int guest_argc;
    char **guest_argv;
};

/* args.c: parse argv into *o. Exits (status 0 for --help/--list-hosts, 2 on a usage error). */
void args_parse(int argc, char **argv, struct options *o);

/* loader.c */
struct segment {
    uint64_t addr, filesz, memsz;
    const uint8_t *data;
};

struct image {
    uint8_t *file;
    size_t size;
    uint64_t entry;
    bool is_elf;
    unsigned nseg;
    struct segment *seg;
};

/* Read and validate path for RAM [ram_base, ram_base + ram_size). 0, or -1 with a
 * one-line reason in err. */
int image_open(const char *path, const struct options *o, uint64_t ram_base, uint64_t ram_size,
               struct image *img, char *err, size_t errlen);
/* Copy the segments into ram (host mapping of ram_base) and zero their bss. */
void image_load(const struct image *img, uint8_t *ram, uint64_t ram_base);
void image_close(struct image *img);

/* MMIO devices: 1 if handled, 0 if the address is not theirs. data is the
 * little-endian kvm_run mmio.data; loads fill it. */
int uart_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write);
void uart_flush(void);

int sysctl_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write);
void sysctl_reset(unsigned boot);       /* a new boot: counter for the guest, exit status 0 */
int sysctl_exit_status(void);

/* fdt.c: build the device tree for o into dst. Returns its size, 0 if it does not fit. */
size_t fdt_build(const struct options *o, uint8_t *dst, size_t room);

/* sve.c: vector-length sets and the INIT -> VLS -> FINALIZE negotiation. */
unsigned vqset_max(const struct vqset *s);
bool vqset_has(const struct vqset *s, unsigned vq);
void vqset_add(struct vqset *s, unsigned vq);
bool vqset_empty(const struct vqset *s);
bool vqset_equal(const struct vqset *a, const struct vqset *b);
/* "128,256,512" (bits); "none" if empty. Returns buf. */
const char *vqset_str(const struct vqset *s, char *buf, size_t len);

struct sve_result {
    bool enabled;               /* vCPUs have SVE */
    struct vqset host;          /* VLS read right after INIT(SVE): what the host offers */
    struct vqset requested;     /* what was written */
    struct vqset final;         /* VLS read back after FINALIZE */
};

/* Configure SVE on an initialised vCPU according to o, then FINALIZE it.
 * first: vCPU 0 (messages name the options); the others copy res->requested.
 * 0, or -1 after printing one clear error line. */
int sve_configure(int vcpu_fd, const struct options *o, bool first, struct sve_result *res);

/* Does the host offer SVE at all (KVM_CAP_ARM_SVE)? */
bool sve_host_has(int vm_fd);

#endif
