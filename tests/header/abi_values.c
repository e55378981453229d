/*
 * abi_values.c - arm64 selftest-style code against <linux/kvm.h>, checking the
 * values the ABI spec and the measured data give.
 *
 * Built three ways by tests/header/CMakeLists.txt:
 *   - native (x86_64 CI), -I include/softkvm/compat, -std=c11 -Wall -Wextra
 *     -Werror: proves softkvm/kvm.h is self-contained and usable off arm64;
 *   - aarch64, against softkvm/kvm.h, run under qemu-aarch64;
 *   - aarch64, against Linux's real headers: proves the expectations below
 *     are Linux's, not something the two copies agree on by accident.
 * <linux/kvm.h> comes first, before any other header, on purpose.
 *
 * Expected numbers come from /work/shared/spec/kvm-arm64-abi.md §1.1 (ioctl
 * table), §1.7 (struct kvm_run layout, exit reasons) and the register ids
 * real KVM listed in /work/shared/spec/data/reglist-default-*.tsv. It never
 * opens /dev/kvm: the one ioctl() is made on fd -1 to type-check the call.
 */
#include <linux/kvm.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

int mix_system_first(void);
int mix_ours_first(void);

static int failures;

#define CHECK_EQ(got, want)                                                        \
	do {                                                                       \
		unsigned long long g_ = (unsigned long long)(got);                 \
		unsigned long long w_ = (unsigned long long)(want);                \
		if (g_ != w_) {                                                    \
			printf("FAIL %s:%d: %s = 0x%llx, want 0x%llx\n", __FILE__,    \
			       __LINE__, #got, g_, w_);                            \
			failures++;                                                \
		}                                                                  \
	} while (0)

/* as tools/testing/selftests/kvm/aarch64/get-reg-list.c spells its ids */
#define REG_CORE64(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define REG_CORE128(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define REG_CORE32(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))

struct id_case {
	__u64 id;
	__u64 want;	/* as listed by real KVM 6.1 (spec/data reglist files) */
};

static const struct id_case reg_ids[] = {
	{ REG_CORE64(regs.regs[0]), 0x6030000000100000ULL },
	{ REG_CORE64(regs.regs[1]), 0x6030000000100002ULL },
	{ REG_CORE64(regs.sp), 0x603000000010003eULL },
	{ REG_CORE64(regs.pc), 0x6030000000100040ULL },
	{ REG_CORE64(regs.pstate), 0x6030000000100042ULL },
	{ REG_CORE64(sp_el1), 0x6030000000100044ULL },
	{ REG_CORE64(elr_el1), 0x6030000000100046ULL },
	{ REG_CORE64(spsr[KVM_SPSR_EL1]), 0x6030000000100048ULL },
	{ REG_CORE64(spsr[KVM_SPSR_FIQ]), 0x6030000000100050ULL },
	{ REG_CORE128(fp_regs.vregs[0]), 0x6040000000100054ULL },
	{ REG_CORE128(fp_regs.vregs[31]), 0x60400000001000d0ULL },
	{ REG_CORE32(fp_regs.fpsr), 0x60200000001000d4ULL },
	{ REG_CORE32(fp_regs.fpcr), 0x60200000001000d5ULL },
	{ ARM64_SYS_REG(3, 0, 1, 0, 0), 0x603000000013c080ULL },	/* SCTLR_EL1 */
	{ KVM_REG_ARM_TIMER_CTL, 0x603000000013df19ULL },
	{ KVM_REG_ARM_TIMER_CNT, 0x603000000013df1aULL },
	{ KVM_REG_ARM_TIMER_CVAL, 0x603000000013df02ULL },
	{ KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | KVM_REG_ARM_DEMUX_ID_CCSIDR | 1,
	  0x6020000000110001ULL },
	{ KVM_REG_ARM_PSCI_VERSION, 0x6030000000140000ULL },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, 0x6030000000140001ULL },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, 0x6030000000140002ULL },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3, 0x6030000000140003ULL },
	{ KVM_REG_ARM_STD_BMAP, 0x6030000000160000ULL },
	{ KVM_REG_ARM_STD_HYP_BMAP, 0x6030000000160001ULL },
	{ KVM_REG_ARM_VENDOR_HYP_BMAP, 0x6030000000160002ULL },
	{ KVM_REG_ARM64_SVE_VLS, 0x606000000015ffffULL },
	{ KVM_REG_ARM64_SVE_ZREG(31, 0), 0x60800000001503e0ULL },
	{ KVM_REG_ARM64_SVE_PREG(15, 0), 0x60500000001505e0ULL },
	{ KVM_REG_ARM64_SVE_FFR(0), 0x6050000000150600ULL },
};

/* spec §1.1 */
static void check_ioctls(void)
{
	CHECK_EQ(KVMIO, 0xAE);
	CHECK_EQ(KVM_GET_API_VERSION, 0x0000AE00);
	CHECK_EQ(KVM_CREATE_VM, 0x0000AE01);
	CHECK_EQ(KVM_CHECK_EXTENSION, 0x0000AE03);
	CHECK_EQ(KVM_GET_VCPU_MMAP_SIZE, 0x0000AE04);
	CHECK_EQ(KVM_CREATE_VCPU, 0x0000AE41);
	CHECK_EQ(KVM_SET_USER_MEMORY_REGION, 0x4020AE46);
	CHECK_EQ(KVM_CREATE_IRQCHIP, 0x0000AE60);
	CHECK_EQ(KVM_IRQ_LINE, 0x4008AE61);
	CHECK_EQ(KVM_ENABLE_CAP, 0x4068AEA3);
	CHECK_EQ(KVM_ARM_SET_DEVICE_ADDR, 0x4010AEAB);
	CHECK_EQ(KVM_ARM_PREFERRED_TARGET, 0x8020AEAF);
	CHECK_EQ(KVM_CREATE_DEVICE, 0xC00CAEE0);
	CHECK_EQ(KVM_RUN, 0x0000AE80);
	CHECK_EQ(KVM_GET_REGS, 0x8360AE81);
	CHECK_EQ(KVM_SET_REGS, 0x4360AE82);
	CHECK_EQ(KVM_SET_SIGNAL_MASK, 0x4004AE8B);
	CHECK_EQ(KVM_GET_MP_STATE, 0x8004AE98);
	CHECK_EQ(KVM_SET_MP_STATE, 0x4004AE99);
	CHECK_EQ(KVM_SET_GUEST_DEBUG, 0x4208AE9B);
	CHECK_EQ(KVM_GET_VCPU_EVENTS, 0x8040AE9F);
	CHECK_EQ(KVM_SET_VCPU_EVENTS, 0x4040AEA0);
	CHECK_EQ(KVM_GET_ONE_REG, 0x4010AEAB);
	CHECK_EQ(KVM_SET_ONE_REG, 0x4010AEAC);
	CHECK_EQ(KVM_ARM_VCPU_INIT, 0x4020AEAE);
	CHECK_EQ(KVM_GET_REG_LIST, 0xC008AEB0);
	CHECK_EQ(KVM_ARM_VCPU_FINALIZE, 0x4004AEC2);
	CHECK_EQ(KVM_SET_DEVICE_ATTR, 0x4018AEE1);
	CHECK_EQ(KVM_GET_DEVICE_ATTR, 0x4018AEE2);
	CHECK_EQ(KVM_HAS_DEVICE_ATTR, 0x4018AEE3);
	/* decoding macros agree with the encoding */
	CHECK_EQ(_IOC_NR(KVM_GET_REG_LIST), 0xb0);
	CHECK_EQ(_IOC_TYPE(KVM_GET_REG_LIST), KVMIO);
	CHECK_EQ(_IOC_SIZE(KVM_GET_REG_LIST), sizeof(struct kvm_reg_list));
	CHECK_EQ(_IOC_DIR(KVM_GET_REG_LIST), _IOC_READ | _IOC_WRITE);
}

/* spec §1.7 and the struct sizes in §1.1 */
static void check_layouts(void)
{
	CHECK_EQ(sizeof(struct kvm_run), 2352);
	CHECK_EQ(offsetof(struct kvm_run, immediate_exit), 1);
	CHECK_EQ(offsetof(struct kvm_run, exit_reason), 8);
	CHECK_EQ(offsetof(struct kvm_run, flags), 14);
	CHECK_EQ(offsetof(struct kvm_run, mmio.phys_addr), 32);
	CHECK_EQ(offsetof(struct kvm_run, mmio.data), 40);
	CHECK_EQ(offsetof(struct kvm_run, mmio.len), 48);
	CHECK_EQ(offsetof(struct kvm_run, mmio.is_write), 52);
	CHECK_EQ(offsetof(struct kvm_run, system_event.type), 32);
	CHECK_EQ(offsetof(struct kvm_run, system_event.ndata), 36);
	CHECK_EQ(offsetof(struct kvm_run, system_event.data), 40);
	CHECK_EQ(offsetof(struct kvm_run, system_event.flags), 40);
	CHECK_EQ(offsetof(struct kvm_run, fail_entry.cpu), 40);
	CHECK_EQ(offsetof(struct kvm_run, debug.arch.hsr_high), 36);
	CHECK_EQ(offsetof(struct kvm_run, debug.arch.far), 40);
	CHECK_EQ(offsetof(struct kvm_run, arm_nisv.esr_iss), 32);
	CHECK_EQ(offsetof(struct kvm_run, arm_nisv.fault_ipa), 40);
	CHECK_EQ(offsetof(struct kvm_run, kvm_valid_regs), 288);
	CHECK_EQ(offsetof(struct kvm_run, kvm_dirty_regs), 296);
	CHECK_EQ(offsetof(struct kvm_run, s.regs.device_irq_level), 304);
	CHECK_EQ(sizeof(struct kvm_regs), 864);
	CHECK_EQ(offsetof(struct kvm_regs, fp_regs), 336);
	CHECK_EQ(sizeof(struct kvm_vcpu_init), 32);
	CHECK_EQ(sizeof(struct kvm_userspace_memory_region), 32);
	CHECK_EQ(sizeof(struct kvm_irq_level), 8);
	CHECK_EQ(sizeof(struct kvm_enable_cap), 104);
	CHECK_EQ(sizeof(struct kvm_guest_debug), 520);
	CHECK_EQ(sizeof(struct kvm_vcpu_events), 64);
	CHECK_EQ(sizeof(struct kvm_one_reg), 16);
	CHECK_EQ(sizeof(struct kvm_device_attr), 24);
	CHECK_EQ(sizeof(struct kvm_create_device), 12);
	CHECK_EQ(sizeof(struct kvm_sregs), 0);
	CHECK_EQ(sizeof(struct kvm_fpu), 0);
}

/* spec §1.6, §1.7, §2 */
static void check_constants(void)
{
	CHECK_EQ(KVM_API_VERSION, 12);
	CHECK_EQ(KVM_EXIT_UNKNOWN, 0);
	CHECK_EQ(KVM_EXIT_DEBUG, 4);
	CHECK_EQ(KVM_EXIT_MMIO, 6);
	CHECK_EQ(KVM_EXIT_FAIL_ENTRY, 9);
	CHECK_EQ(KVM_EXIT_INTR, 10);
	CHECK_EQ(KVM_EXIT_INTERNAL_ERROR, 17);
	CHECK_EQ(KVM_EXIT_SYSTEM_EVENT, 24);
	CHECK_EQ(KVM_EXIT_ARM_NISV, 28);
	CHECK_EQ(KVM_SYSTEM_EVENT_SHUTDOWN, 1);
	CHECK_EQ(KVM_SYSTEM_EVENT_RESET, 2);
	CHECK_EQ(KVM_SYSTEM_EVENT_CRASH, 3);
	CHECK_EQ(KVM_SYSTEM_EVENT_WAKEUP, 4);
	CHECK_EQ(KVM_SYSTEM_EVENT_SUSPEND, 5);
	CHECK_EQ(KVM_MP_STATE_RUNNABLE, 0);
	CHECK_EQ(KVM_MP_STATE_STOPPED, 5);
	CHECK_EQ(KVM_MP_STATE_SUSPENDED, 10);
	CHECK_EQ(KVM_MEM_LOG_DIRTY_PAGES, 1);
	CHECK_EQ(KVM_MEM_READONLY, 2);
	CHECK_EQ(KVM_ARM_TARGET_GENERIC_V8, 5);
	CHECK_EQ(KVM_ARM_VCPU_SVE, 4);
	CHECK_EQ(KVM_ARM_VCPU_PTRAUTH_GENERIC, 6);
	CHECK_EQ(KVM_CAP_ARM_SVE, 170);
	CHECK_EQ(KVM_CAP_ARM_VM_IPA_SIZE, 165);
	CHECK_EQ(KVM_CAP_DIRTY_LOG_RING_ACQ_REL, 223);
	CHECK_EQ(KVM_ARM64_SVE_VLS_WORDS, 8);
	CHECK_EQ(KVM_REG_SIZE(KVM_REG_ARM64_SVE_ZREG(0, 0)), 256);
	CHECK_EQ(KVM_REG_SIZE(KVM_REG_ARM64_SVE_VLS), 64);
	CHECK_EQ(PSCI_0_2_FN_SYSTEM_OFF, 0x84000008);
	CHECK_EQ(PSCI_0_2_FN64_CPU_ON, 0xc4000003);
	CHECK_EQ(PSCI_VERSION(1, 1), 0x10001);
	CHECK_EQ(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT, 0x3c5);
}

/* the shape of a VMM's vCPU setup, type-checked here and never run on /dev/kvm */
static int vcpu_get_reg(int vcpu_fd, __u64 id, void *addr)
{
	struct kvm_one_reg reg = { .id = id, .addr = (__u64)(unsigned long)addr };

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
}

static void check_usage(void)
{
	struct kvm_vcpu_init init;
	struct kvm_reg_list *list;
	struct kvm_run run;
	__u64 vls[KVM_ARM64_SVE_VLS_WORDS];
	int feature = KVM_ARM_VCPU_SVE;

	memset(&init, 0, sizeof(init));
	init.target = KVM_ARM_TARGET_GENERIC_V8;
	init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	CHECK_EQ(init.features[0], 0x14);

	list = calloc(1, sizeof(*list) + 4 * sizeof(list->reg[0]));
	if (!list) {
		failures++;
		return;
	}
	list->n = 4;
	list->reg[3] = KVM_REG_ARM64_SVE_VLS;
	CHECK_EQ((char *)&list->reg[3] - (char *)list, 32);
	free(list);

	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_MMIO;
	run.mmio.len = 4;
	CHECK_EQ(((unsigned char *)&run)[48], 4);
	run.system_event.data[0] = 7;	/* flags is the old name of data[0] */
	CHECK_EQ(run.system_event.flags, 7);

	memset(vls, 0, sizeof(vls));
	vls[0] = 0xb;	/* VQ 1, 2, 4 */
	/* EBADF natively; qemu-user refuses ioctl numbers it cannot translate (ENOSYS) */
	errno = 0;
	CHECK_EQ(vcpu_get_reg(-1, KVM_REG_ARM64_SVE_VLS, vls), -1);
	CHECK_EQ(errno == EBADF || errno == ENOSYS, 1);
	errno = 0;
	CHECK_EQ(ioctl(-1, KVM_ARM_VCPU_FINALIZE, &feature), -1);
	CHECK_EQ(errno == EBADF || errno == ENOSYS, 1);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(reg_ids) / sizeof(reg_ids[0]); i++)
		CHECK_EQ(reg_ids[i].id, reg_ids[i].want);
	check_ioctls();
	check_layouts();
	check_constants();
	check_usage();
	failures += mix_system_first();
	failures += mix_ours_first();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("PASS: <linux/kvm.h> values match the spec and measured register ids\n");
	return 0;
}
