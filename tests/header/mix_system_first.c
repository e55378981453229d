/*
 * mix_system_first.c - system and libc headers first, then <linux/kvm.h>.
 *
 * softkvm/kvm.h restates the arm64 uapi headers inside their own include
 * guards, so it must skip what the system already provided (ioctl macros,
 * integer types, const helpers, HWCAP bits, SVE context on arm64) without a
 * redefinition warning; -Werror turns any clash into a build failure.
 */
#include <signal.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <linux/fs.h>
#include <linux/types.h>
#include <linux/const.h>
#include <linux/ioctl.h>

#include <linux/kvm.h>
#include <asm/kvm.h>
#include <linux/psci.h>

int mix_system_first(void);

int mix_system_first(void)
{
	int bad = 0;
	__u64 id = ARM64_SYS_REG(3, 0, 0, 0, 5);	/* MPIDR_EL1 */

	bad += id != 0x603000000013c005ULL;
	bad += KVM_GET_ONE_REG != 0x4010AEABUL;
	bad += FS_IOC_GETFLAGS != 0x80086601UL;	/* _IOR('f', 1, long) */
	bad += _BITUL(3) != 8;
	bad += sizeof(struct kvm_run) != 2352;
	if (bad)
		return 1;
	return 0;
}
