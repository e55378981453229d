/*
 * catalogue.h - the register catalogue: KVM_GET/SET_ONE_REG, KVM_GET_REG_LIST
 * and the guest's MRS/MSR, all from the same descriptors.
 *
 * Register classes, each in its own file: core.c (struct kvm_regs offsets),
 * sve.c (Z/P/FFR slices and the VLS pseudo-register), fw.c (firmware
 * pseudo-registers), timer.c (the three timer ids), sysregs.c (the
 * sysreg_table.h rows, invariant registers), demux.c (CCSIDR). catalogue.c
 * routes an id to its class in Linux's order and builds the register list.
 */
#ifndef SOFTKVM_REGS_CATALOGUE_H
#define SOFTKVM_REGS_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

/* ONE_REG: addr is the user pointer from struct kvm_one_reg. 0 or -errno. */
int reg_get(struct vcpu *v, uint64_t id, void *uaddr);
int reg_set(struct vcpu *v, uint64_t id, const void *uaddr);

/* Write up to max ids of this vCPU's register list into ids (may be NULL);
 * returns the total count. The order is KVM's (spec 3.9). */
unsigned reg_list(const struct vcpu *v, uint64_t *ids, unsigned max);

/* Human name of a register id for messages ("pc", "ZCR_EL1", "Z3 slice 0"). */
const char *reg_name(uint64_t id, char *buf, size_t len);

/* Per class (a class returns its count when ids == NULL). */
unsigned core_list(const struct vcpu *v, uint64_t *ids);
int core_get(struct vcpu *v, uint64_t id, void *uaddr);
int core_set(struct vcpu *v, uint64_t id, const void *uaddr);

unsigned sve_list(const struct vcpu *v, uint64_t *ids);
int sve_get(struct vcpu *v, uint64_t id, void *uaddr);
int sve_set(struct vcpu *v, uint64_t id, const void *uaddr);

unsigned fw_list(const struct vcpu *v, uint64_t *ids);
int fw_get(struct vcpu *v, uint64_t id, void *uaddr);
int fw_set(struct vcpu *v, uint64_t id, const void *uaddr);

bool timer_is_reg(uint64_t id);
unsigned timer_list(const struct vcpu *v, uint64_t *ids);
int timer_get(struct vcpu *v, uint64_t id, void *uaddr);
int timer_set(struct vcpu *v, uint64_t id, const void *uaddr);
/* The host counter now, in ticks of SOFTKVM_CNTFRQ (CLOCK_MONOTONIC based). */
uint64_t timer_host_ticks(void);
/* The guest's virtual count now (host clock - VM offset), in timer ticks. */
uint64_t timer_virtual_count(const struct vcpu *v);

unsigned sysreg_list(const struct vcpu *v, uint64_t *ids);
int sysreg_get(struct vcpu *v, uint64_t id, void *uaddr);
int sysreg_set(struct vcpu *v, uint64_t id, const void *uaddr);
void sysregs_reset(struct vcpu *v);
/* Guest MRS/MSR (engine callbacks; ctx is the struct vcpu). */
bool sysreg_guest_read(void *ctx, uint32_t enc, uint64_t *val);
bool sysreg_guest_write(void *ctx, uint32_t enc, uint64_t val);

unsigned demux_list(const struct vcpu *v, uint64_t *ids);
int demux_get(struct vcpu *v, uint64_t id, void *uaddr);
int demux_set(struct vcpu *v, uint64_t id, const void *uaddr);

/* Helpers shared by the classes. */
#define REG_SIZE_SHIFT 52
static inline unsigned reg_size_bytes(uint64_t id) { return 1u << ((id >> REG_SIZE_SHIFT) & 0xf); }

/* Timer frequency softkvm's guests see in CNTFRQ_EL0 (QEMU virt's 62.5 MHz). */
#define SOFTKVM_CNTFRQ 62500000ull

#endif
