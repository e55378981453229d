/*
 * mix_ours_first.c - <linux/kvm.h> first, then system and libc headers.
 *
 * The guards softkvm/kvm.h defines make the later system headers skip what
 * it already provided; the system headers that build on those (e.g.
 * <linux/fs.h> using _IOR, <linux/types.h> using __u32) must still compile
 * with -Werror and give the same numbers.
 */
#include <linux/kvm.h>

#include <signal.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <linux/fs.h>
#include <linux/types.h>
#include <linux/const.h>
#include <linux/ioctl.h>
#include <asm/kvm.h>
#include <linux/psci.h>

int mix_ours_first(void);

int mix_ours_first(void)
{
	int bad = 0;
	__le32 le = 1;	/* from <linux/types.h>, built on our __u32 */

	bad += le != 1;
	bad += KVM_REG_ARM64_SVE_ZREG(1, 0) != 0x6080000000150020ULL;
	bad += FS_IOC_GETFLAGS != 0x80086601UL;
	bad += __KERNEL_DIV_ROUND_UP(13, 4) != 4;
	bad += sizeof(struct kvm_regs) != 864;
	if (bad)
		return 1;
	return 0;
}
