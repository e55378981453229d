/*
 * softkvm/kvm.h - the Linux 6.1 arm64 KVM user-space ABI, restated for softkvm.
 *
 * What this file is: every ioctl number, structure, exit reason, capability
 * number, register-id macro and constant that an arm64 program sees after
 * `#include <linux/kvm.h>` on a Linux 6.1 host, written here so that the same
 * program builds on any 64-bit host (x86_64 CI included) and talks to softkvm.
 * Values, structure layouts and member names equal Linux's; the layout,
 * grouping and commentary are our own. Sources of truth: Documentation/virt/
 * kvm/api.rst, the arm64 uapi headers of Linux 6.1 (read for facts only) and
 * /work/shared/spec/kvm-arm64-abi.md. tests/header proves the equality: it
 * compiles a checker against this file and against the real arm64 headers,
 * runs both under qemu-aarch64 and diffs every constant, size and offset.
 *
 * Self-contained: no system or arch header is included. Besides <linux/kvm.h>
 * an arm64 program implicitly gets <asm/kvm.h>, <asm/ptrace.h>, <asm/hwcap.h>,
 * <asm/sve_context.h>, <linux/psci.h>, <linux/ioctl.h> and <linux/const.h>;
 * their contents are restated below too, each part inside the include guard
 * the real header uses. Hence mixing with real headers works in either order:
 * a part whose real header came first is skipped, and a real header included
 * later finds its guard defined and adds nothing. The type definitions are
 * identical to <linux/types.h>'s (legal to repeat in C11).
 *
 * For unmodified sources, add `-I <prefix>/include/softkvm/compat`: it maps
 * <linux/kvm.h>, <asm/kvm.h>, <asm/ptrace.h>, <asm/sve_context.h>,
 * <asm/hwcap.h> and <linux/psci.h> to this file.
 *
 * Layout assumes an LP64 host (arm64 and x86_64 agree on every size and
 * alignment used here, including __uint128_t's 16-byte alignment).
 */
#ifndef SOFTKVM_KVM_H
#define SOFTKVM_KVM_H

/* ======================================================================
 * 1. Fixed-width integer types (as <asm-generic/int-ll64.h>)
 * ====================================================================== */
#ifndef _ASM_GENERIC_INT_LL64_H
#define _ASM_GENERIC_INT_LL64_H
typedef __signed__ char __s8;
typedef unsigned char __u8;
typedef __signed__ short __s16;
typedef unsigned short __u16;
typedef __signed__ int __s32;
typedef unsigned int __u32;
__extension__ typedef __signed__ long long __s64;
__extension__ typedef unsigned long long __u64;
#endif

/* ======================================================================
 * 2. Constant helpers (as <linux/const.h>)
 * ====================================================================== */
#ifndef _LINUX_CONST_H
#define _LINUX_CONST_H
#ifdef __ASSEMBLY__
#define _AC(X, Y)			X
#define _AT(T, X)			X
#else
#define __AC(X, Y)			(X##Y)
#define _AC(X, Y)			__AC(X, Y)
#define _AT(T, X)			((T)(X))
#endif
#define _UL(x)				(_AC(x, UL))
#define _ULL(x)				(_AC(x, ULL))
#define _BITUL(x)			(_UL(1) << (x))
#define _BITULL(x)			(_ULL(1) << (x))
/* round x up to a multiple of a (a power of two) */
#define __ALIGN_KERNEL(x, a)		__ALIGN_KERNEL_MASK(x, (__typeof__(x))(a) - 1)
#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define __KERNEL_DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#endif

/* ======================================================================
 * 3. ioctl request encoding (as <linux/ioctl.h> / <asm-generic/ioctl.h>;
 *    arm64 and x86_64 both use the generic layout)
 *
 *    bits 31..30 direction | 29..16 argument size | 15..8 type | 7..0 nr
 * ====================================================================== */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H
#endif
#ifndef _ASM_GENERIC_IOCTL_H
#define _ASM_GENERIC_IOCTL_H
#define _IOC_NRBITS		8
#define _IOC_TYPEBITS		8
#ifndef _IOC_SIZEBITS
#define _IOC_SIZEBITS		14
#endif
#ifndef _IOC_DIRBITS
#define _IOC_DIRBITS		2
#endif
#define _IOC_NRMASK		((1 << _IOC_NRBITS) - 1)
#define _IOC_TYPEMASK		((1 << _IOC_TYPEBITS) - 1)
#define _IOC_SIZEMASK		((1 << _IOC_SIZEBITS) - 1)
#define _IOC_DIRMASK		((1 << _IOC_DIRBITS) - 1)
#define _IOC_NRSHIFT		0
#define _IOC_TYPESHIFT		(_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT		(_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT		(_IOC_SIZESHIFT + _IOC_SIZEBITS)
/* direction bits are seen from user space: WRITE = user -> kernel */
#ifndef _IOC_NONE
#define _IOC_NONE		0U
#endif
#ifndef _IOC_WRITE
#define _IOC_WRITE		1U
#endif
#ifndef _IOC_READ
#define _IOC_READ		2U
#endif
#define _IOC(dir, type, nr, size) \
	(((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | \
	 ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))
#define _IOC_TYPECHECK(t)	(sizeof(t))
#define _IO(type, nr)		_IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, size)	_IOC(_IOC_READ, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOW(type, nr, size)	_IOC(_IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOWR(type, nr, size)	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(size)))
#define _IOR_BAD(type, nr, size)	_IOC(_IOC_READ, (type), (nr), sizeof(size))
#define _IOW_BAD(type, nr, size)	_IOC(_IOC_WRITE, (type), (nr), sizeof(size))
#define _IOWR_BAD(type, nr, size)	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(size))
/* field extraction */
#define _IOC_DIR(nr)		(((nr) >> _IOC_DIRSHIFT) & _IOC_DIRMASK)
#define _IOC_TYPE(nr)		(((nr) >> _IOC_TYPESHIFT) & _IOC_TYPEMASK)
#define _IOC_NR(nr)		(((nr) >> _IOC_NRSHIFT) & _IOC_NRMASK)
#define _IOC_SIZE(nr)		(((nr) >> _IOC_SIZESHIFT) & _IOC_SIZEMASK)
/* pre-shifted direction and size fields */
#define IOC_IN			(_IOC_WRITE << _IOC_DIRSHIFT)
#define IOC_OUT			(_IOC_READ << _IOC_DIRSHIFT)
#define IOC_INOUT		((_IOC_WRITE | _IOC_READ) << _IOC_DIRSHIFT)
#define IOCSIZE_MASK		(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define IOCSIZE_SHIFT		(_IOC_SIZESHIFT)
#endif

/* ======================================================================
 * 4. arm64 AT_HWCAP / AT_HWCAP2 bits (as <asm/hwcap.h>, pulled in by
 *    <asm/ptrace.h>). Spelled exactly like glibc's <bits/hwcap.h> so that
 *    both may be included on an arm64 host without redefinition warnings.
 * ====================================================================== */
#ifndef __ASM_HWCAP_H
#define __ASM_HWCAP_H
#define HWCAP_FP		(1 << 0)
#define HWCAP_ASIMD		(1 << 1)
#define HWCAP_EVTSTRM		(1 << 2)
#define HWCAP_AES		(1 << 3)
#define HWCAP_PMULL		(1 << 4)
#define HWCAP_SHA1		(1 << 5)
#define HWCAP_SHA2		(1 << 6)
#define HWCAP_CRC32		(1 << 7)
#define HWCAP_ATOMICS		(1 << 8)
#define HWCAP_FPHP		(1 << 9)
#define HWCAP_ASIMDHP		(1 << 10)
#define HWCAP_CPUID		(1 << 11)
#define HWCAP_ASIMDRDM		(1 << 12)
#define HWCAP_JSCVT		(1 << 13)
#define HWCAP_FCMA		(1 << 14)
#define HWCAP_LRCPC		(1 << 15)
#define HWCAP_DCPOP		(1 << 16)
#define HWCAP_SHA3		(1 << 17)
#define HWCAP_SM3		(1 << 18)
#define HWCAP_SM4		(1 << 19)
#define HWCAP_ASIMDDP		(1 << 20)
#define HWCAP_SHA512		(1 << 21)
#define HWCAP_SVE		(1 << 22)
#define HWCAP_ASIMDFHM		(1 << 23)
#define HWCAP_DIT		(1 << 24)
#define HWCAP_USCAT		(1 << 25)
#define HWCAP_ILRCPC		(1 << 26)
#define HWCAP_FLAGM		(1 << 27)
#define HWCAP_SSBS		(1 << 28)
#define HWCAP_SB		(1 << 29)
#define HWCAP_PACA		(1 << 30)
#define HWCAP_PACG		(1UL << 31)

#define HWCAP2_DCPODP		(1 << 0)
#define HWCAP2_SVE2		(1 << 1)
#define HWCAP2_SVEAES		(1 << 2)
#define HWCAP2_SVEPMULL		(1 << 3)
#define HWCAP2_SVEBITPERM	(1 << 4)
#define HWCAP2_SVESHA3		(1 << 5)
#define HWCAP2_SVESM4		(1 << 6)
#define HWCAP2_FLAGM2		(1 << 7)
#define HWCAP2_FRINT		(1 << 8)
#define HWCAP2_SVEI8MM		(1 << 9)
#define HWCAP2_SVEF32MM		(1 << 10)
#define HWCAP2_SVEF64MM		(1 << 11)
#define HWCAP2_SVEBF16		(1 << 12)
#define HWCAP2_I8MM		(1 << 13)
#define HWCAP2_BF16		(1 << 14)
#define HWCAP2_DGH		(1 << 15)
#define HWCAP2_RNG		(1 << 16)
#define HWCAP2_BTI		(1 << 17)
#define HWCAP2_MTE		(1 << 18)
#define HWCAP2_ECV		(1 << 19)
#define HWCAP2_AFP		(1 << 20)
#define HWCAP2_RPRES		(1 << 21)
#define HWCAP2_MTE3		(1 << 22)
#define HWCAP2_SME		(1 << 23)
#define HWCAP2_SME_I16I64	(1 << 24)
#define HWCAP2_SME_F64F64	(1 << 25)
#define HWCAP2_SME_I8I32	(1 << 26)
#define HWCAP2_SME_F16F32	(1 << 27)
#define HWCAP2_SME_B16F32	(1 << 28)
#define HWCAP2_SME_F32F32	(1 << 29)
#define HWCAP2_SME_FA64		(1 << 30)
#define HWCAP2_WFXT		(1UL << 31)
#define HWCAP2_EBF16		(1UL << 32)
#define HWCAP2_SVE_EBF16	(1UL << 33)
#endif /* __ASM_HWCAP_H */

/* ======================================================================
 * 5. SVE register-block geometry (as <asm/sve_context.h>)
 *
 *    VQ = vector length in 128-bit quadwords. A dump of the SVE state at a
 *    given VQ is Z0..Z31 (VQ*16 bytes each), then P0..P15 (VQ*2 bytes each),
 *    then FFR (VQ*2 bytes). The ABI reserves VQ up to 512 (VL 8192 bytes).
 * ====================================================================== */
#ifndef __ASM_SVE_CONTEXT_H
#define __ASM_SVE_CONTEXT_H
#define __SVE_VQ_BYTES		16
#define __SVE_VQ_MIN		1
#define __SVE_VQ_MAX		512
#define __SVE_VL_MIN		(__SVE_VQ_MIN * __SVE_VQ_BYTES)
#define __SVE_VL_MAX		(__SVE_VQ_MAX * __SVE_VQ_BYTES)
#define __SVE_NUM_ZREGS		32
#define __SVE_NUM_PREGS		16

#define __sve_vl_valid(vl) \
	((vl) % __SVE_VQ_BYTES == 0 && (vl) >= __SVE_VL_MIN && (vl) <= __SVE_VL_MAX)
#define __sve_vq_from_vl(vl)	((vl) / __SVE_VQ_BYTES)
#define __sve_vl_from_vq(vq)	((vq) * __SVE_VQ_BYTES)

#define __SVE_ZREG_SIZE(vq)	((__u32)(vq) * __SVE_VQ_BYTES)
#define __SVE_PREG_SIZE(vq)	((__u32)(vq) * (__SVE_VQ_BYTES / 8))
#define __SVE_FFR_SIZE(vq)	__SVE_PREG_SIZE(vq)

#define __SVE_ZREGS_OFFSET	0
#define __SVE_ZREG_OFFSET(vq, n)	(__SVE_ZREGS_OFFSET + __SVE_ZREG_SIZE(vq) * (n))
#define __SVE_ZREGS_SIZE(vq) \
	(__SVE_ZREG_OFFSET(vq, __SVE_NUM_ZREGS) - __SVE_ZREGS_OFFSET)
#define __SVE_PREGS_OFFSET(vq)	(__SVE_ZREGS_OFFSET + __SVE_ZREGS_SIZE(vq))
#define __SVE_PREG_OFFSET(vq, n)	(__SVE_PREGS_OFFSET(vq) + __SVE_PREG_SIZE(vq) * (n))
#define __SVE_PREGS_SIZE(vq) \
	(__SVE_PREG_OFFSET(vq, __SVE_NUM_PREGS) - __SVE_PREGS_OFFSET(vq))
#define __SVE_FFR_OFFSET(vq)	(__SVE_PREGS_OFFSET(vq) + __SVE_PREGS_SIZE(vq))
#endif /* __ASM_SVE_CONTEXT_H */

/* ======================================================================
 * 6. arm64 register-set layouts (as <asm/ptrace.h>)
 * ====================================================================== */
#ifndef __ASM_PTRACE_H
#define __ASM_PTRACE_H

/* --- PSTATE / SPSR fields (Arm ARM C5.2.18 SPSR_EL1) --- */
#define PSR_MODE_EL0t		0x00000000
#define PSR_MODE_EL1t		0x00000004
#define PSR_MODE_EL1h		0x00000005
#define PSR_MODE_EL2t		0x00000008
#define PSR_MODE_EL2h		0x00000009
#define PSR_MODE_EL3t		0x0000000c
#define PSR_MODE_EL3h		0x0000000d
#define PSR_MODE_MASK		0x0000000f
#define PSR_MODE32_BIT		0x00000010	/* M[4]: AArch32 state */
#define PSR_F_BIT		0x00000040
#define PSR_I_BIT		0x00000080
#define PSR_A_BIT		0x00000100
#define PSR_D_BIT		0x00000200
#define PSR_BTYPE_SHIFT		10
#define PSR_BTYPE_MASK		0x00000c00
#define PSR_SSBS_BIT		0x00001000
#define PSR_PAN_BIT		0x00400000
#define PSR_UAO_BIT		0x00800000
#define PSR_DIT_BIT		0x01000000
#define PSR_TCO_BIT		0x02000000
#define PSR_V_BIT		0x10000000
#define PSR_C_BIT		0x20000000
#define PSR_Z_BIT		0x40000000
#define PSR_N_BIT		0x80000000
/* byte-wide groups of the PSR */
#define PSR_f			0xff000000
#define PSR_s			0x00ff0000
#define PSR_x			0x0000ff00
#define PSR_c			0x000000ff
/* PSTATE.BTYPE values, pre-shifted */
#define PSR_BTYPE_NONE		(0x0 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_JC		(0x1 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_C		(0x2 << PSR_BTYPE_SHIFT)
#define PSR_BTYPE_J		(0x3 << PSR_BTYPE_SHIFT)

/*
 * arm64-only ptrace requests. Only on arm64 hosts: elsewhere (x86_64) glibc's
 * <sys/ptrace.h> declares PTRACE_SYSEMU* as enumerators, which a macro of the
 * same name would break; on arm64 glibc #undefs them itself.
 */
#if defined(__aarch64__)
#define PTRACE_SYSEMU			31
#define PTRACE_SYSEMU_SINGLESTEP	32
#define PTRACE_PEEKMTETAGS		33
#define PTRACE_POKEMTETAGS		34
#endif

#ifndef __ASSEMBLY__
/* X0..X30, SP (SP_EL0 inside KVM), PC, PSTATE: 272 bytes */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};

/* V0..V31 then FPSR/FPCR: 528 bytes, 16-byte aligned */
struct user_fpsimd_state {
	__uint128_t vregs[32];
	__u32 fpsr;
	__u32 fpcr;
	__u32 __reserved[2];
};

/* NT_ARM_HW_BREAK / NT_ARM_HW_WATCH */
struct user_hwdebug_state {
	__u32 dbg_info;
	__u32 pad;
	struct {
		__u64 addr;
		__u32 ctrl;
		__u32 pad;
	} dbg_regs[16];
};

/* NT_ARM_SVE / NT_ARM_SSVE regset header; the register payload follows */
struct user_sve_header {
	__u32 size;		/* bytes of meaningful content, header included */
	__u32 max_size;
	__u16 vl;		/* current vector length, bytes */
	__u16 max_vl;
	__u16 flags;		/* SVE_PT_* */
	__u16 __reserved;
};

#define SVE_PT_REGS_MASK	(1 << 0)
#define SVE_PT_REGS_FPSIMD	0
#define SVE_PT_REGS_SVE		SVE_PT_REGS_MASK
/* prctl PR_SVE_VL_INHERIT (1 << 17) and PR_SVE_SET_VL_ONEXEC (1 << 18), >> 16 */
#define SVE_PT_VL_INHERIT	((1 << 17) >> 16)
#define SVE_PT_VL_ONEXEC	((1 << 18) >> 16)

/* payload starts at the header size rounded up to a quadword */
#define SVE_PT_REGS_OFFSET \
	((sizeof(struct user_sve_header) + (__SVE_VQ_BYTES - 1)) / __SVE_VQ_BYTES * __SVE_VQ_BYTES)

/* flags & SVE_PT_REGS_MASK == SVE_PT_REGS_FPSIMD: a struct user_fpsimd_state */
#define SVE_PT_FPSIMD_OFFSET		SVE_PT_REGS_OFFSET
#define SVE_PT_FPSIMD_SIZE(vq, flags)	(sizeof(struct user_fpsimd_state))

/* flags & SVE_PT_REGS_MASK == SVE_PT_REGS_SVE: Z, P, FFR, then FPSR, FPCR */
#define SVE_PT_SVE_ZREG_SIZE(vq)	__SVE_ZREG_SIZE(vq)
#define SVE_PT_SVE_PREG_SIZE(vq)	__SVE_PREG_SIZE(vq)
#define SVE_PT_SVE_FFR_SIZE(vq)		__SVE_FFR_SIZE(vq)
#define SVE_PT_SVE_FPSR_SIZE		sizeof(__u32)
#define SVE_PT_SVE_FPCR_SIZE		sizeof(__u32)

#define SVE_PT_SVE_OFFSET		SVE_PT_REGS_OFFSET
#define SVE_PT_SVE_ZREGS_OFFSET		(SVE_PT_REGS_OFFSET + __SVE_ZREGS_OFFSET)
#define SVE_PT_SVE_ZREG_OFFSET(vq, n)	(SVE_PT_REGS_OFFSET + __SVE_ZREG_OFFSET(vq, n))
#define SVE_PT_SVE_ZREGS_SIZE(vq) \
	(SVE_PT_SVE_ZREG_OFFSET(vq, __SVE_NUM_ZREGS) - SVE_PT_SVE_ZREGS_OFFSET)
#define SVE_PT_SVE_PREGS_OFFSET(vq)	(SVE_PT_REGS_OFFSET + __SVE_PREGS_OFFSET(vq))
#define SVE_PT_SVE_PREG_OFFSET(vq, n)	(SVE_PT_REGS_OFFSET + __SVE_PREG_OFFSET(vq, n))
#define SVE_PT_SVE_PREGS_SIZE(vq) \
	(SVE_PT_SVE_PREG_OFFSET(vq, __SVE_NUM_PREGS) - SVE_PT_SVE_PREGS_OFFSET(vq))
#define SVE_PT_SVE_FFR_OFFSET(vq)	(SVE_PT_REGS_OFFSET + __SVE_FFR_OFFSET(vq))
/* FPSR starts at the next quadword after FFR */
#define SVE_PT_SVE_FPSR_OFFSET(vq) \
	((SVE_PT_SVE_FFR_OFFSET(vq) + SVE_PT_SVE_FFR_SIZE(vq) + (__SVE_VQ_BYTES - 1)) \
	 / __SVE_VQ_BYTES * __SVE_VQ_BYTES)
#define SVE_PT_SVE_FPCR_OFFSET(vq)	(SVE_PT_SVE_FPSR_OFFSET(vq) + SVE_PT_SVE_FPSR_SIZE)
/* SVE payload size, rounded up to a quadword */
#define SVE_PT_SVE_SIZE(vq, flags) \
	((SVE_PT_SVE_FPCR_OFFSET(vq) + SVE_PT_SVE_FPCR_SIZE - SVE_PT_SVE_OFFSET \
	  + (__SVE_VQ_BYTES - 1)) / __SVE_VQ_BYTES * __SVE_VQ_BYTES)
/* whole regset size (header included) for either payload kind */
#define SVE_PT_SIZE(vq, flags) \
	(((flags) & SVE_PT_REGS_MASK) == SVE_PT_REGS_SVE \
	 ? SVE_PT_SVE_OFFSET + SVE_PT_SVE_SIZE(vq, flags) \
	 : ((((flags) & SVE_PT_REGS_MASK) == SVE_PT_REGS_FPSIMD \
	     ? SVE_PT_FPSIMD_OFFSET + SVE_PT_FPSIMD_SIZE(vq, flags) \
	     : SVE_PT_REGS_OFFSET)))

/* pointer authentication: NT_ARM_PAC_MASK, NT_ARM_PACA_KEYS, NT_ARM_PACG_KEYS */
struct user_pac_mask {
	__u64 data_mask;
	__u64 insn_mask;
};

struct user_pac_address_keys {
	__uint128_t apiakey;
	__uint128_t apibkey;
	__uint128_t apdakey;
	__uint128_t apdbkey;
};

struct user_pac_generic_keys {
	__uint128_t apgakey;
};

/* SME ZA storage: NT_ARM_ZA regset header; ZA rows follow */
struct user_za_header {
	__u32 size;
	__u32 max_size;
	__u16 vl;
	__u16 max_vl;
	__u16 flags;
	__u16 __reserved;
};

/* prctl PR_SME_VL_INHERIT / PR_SME_SET_VL_ONEXEC, >> 16 */
#define ZA_PT_VL_INHERIT	((1 << 17) >> 16)
#define ZA_PT_VL_ONEXEC		((1 << 18) >> 16)
#define ZA_PT_ZA_OFFSET \
	((sizeof(struct user_za_header) + (__SVE_VQ_BYTES - 1)) / __SVE_VQ_BYTES * __SVE_VQ_BYTES)
/* row n of ZA, each SVL bytes (the argument is not parenthesised, as in Linux) */
#define ZA_PT_ZAV_OFFSET(vq, n)	(ZA_PT_ZA_OFFSET + ((vq * __SVE_VQ_BYTES) * n))
#define ZA_PT_ZA_SIZE(vq)	((vq * __SVE_VQ_BYTES) * (vq * __SVE_VQ_BYTES))
#define ZA_PT_SIZE(vq)		(ZA_PT_ZA_OFFSET + ZA_PT_ZA_SIZE(vq))
#endif /* !__ASSEMBLY__ */
#endif /* __ASM_PTRACE_H */

/* ======================================================================
 * 7. PSCI function ids and return codes (as <linux/psci.h>; Arm DEN 0022)
 * ====================================================================== */
#ifndef _LINUX_PSCI_H
#define _LINUX_PSCI_H
/* SMC32 ids are 0x84000000 + n; SMC64 ids additionally set bit 30 */
#define PSCI_0_2_FN_BASE		0x84000000
#define PSCI_0_2_FN(n)			(PSCI_0_2_FN_BASE + (n))
#define PSCI_0_2_64BIT			0x40000000
#define PSCI_0_2_FN64_BASE		(PSCI_0_2_FN_BASE + PSCI_0_2_64BIT)
#define PSCI_0_2_FN64(n)		(PSCI_0_2_FN64_BASE + (n))

/* v0.2 */
#define PSCI_0_2_FN_PSCI_VERSION		PSCI_0_2_FN(0)
#define PSCI_0_2_FN_CPU_SUSPEND			PSCI_0_2_FN(1)
#define PSCI_0_2_FN_CPU_OFF			PSCI_0_2_FN(2)
#define PSCI_0_2_FN_CPU_ON			PSCI_0_2_FN(3)
#define PSCI_0_2_FN_AFFINITY_INFO		PSCI_0_2_FN(4)
#define PSCI_0_2_FN_MIGRATE			PSCI_0_2_FN(5)
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE		PSCI_0_2_FN(6)
#define PSCI_0_2_FN_MIGRATE_INFO_UP_CPU		PSCI_0_2_FN(7)
#define PSCI_0_2_FN_SYSTEM_OFF			PSCI_0_2_FN(8)
#define PSCI_0_2_FN_SYSTEM_RESET		PSCI_0_2_FN(9)
#define PSCI_0_2_FN64_CPU_SUSPEND		PSCI_0_2_FN64(1)
#define PSCI_0_2_FN64_CPU_ON			PSCI_0_2_FN64(3)
#define PSCI_0_2_FN64_AFFINITY_INFO		PSCI_0_2_FN64(4)
#define PSCI_0_2_FN64_MIGRATE			PSCI_0_2_FN64(5)
#define PSCI_0_2_FN64_MIGRATE_INFO_UP_CPU	PSCI_0_2_FN64(7)
/* v1.0 */
#define PSCI_1_0_FN_PSCI_FEATURES		PSCI_0_2_FN(10)
#define PSCI_1_0_FN_CPU_FREEZE			PSCI_0_2_FN(11)
#define PSCI_1_0_FN_CPU_DEFAULT_SUSPEND		PSCI_0_2_FN(12)
#define PSCI_1_0_FN_NODE_HW_STATE		PSCI_0_2_FN(13)
#define PSCI_1_0_FN_SYSTEM_SUSPEND		PSCI_0_2_FN(14)
#define PSCI_1_0_FN_SET_SUSPEND_MODE		PSCI_0_2_FN(15)
#define PSCI_1_0_FN_STAT_RESIDENCY		PSCI_0_2_FN(16)
#define PSCI_1_0_FN_STAT_COUNT			PSCI_0_2_FN(17)
#define PSCI_1_0_FN64_CPU_DEFAULT_SUSPEND	PSCI_0_2_FN64(12)
#define PSCI_1_0_FN64_NODE_HW_STATE		PSCI_0_2_FN64(13)
#define PSCI_1_0_FN64_SYSTEM_SUSPEND		PSCI_0_2_FN64(14)
#define PSCI_1_0_FN64_STAT_RESIDENCY		PSCI_0_2_FN64(16)
#define PSCI_1_0_FN64_STAT_COUNT		PSCI_0_2_FN64(17)
/* v1.1 (MEM_PROTECT and MEM_PROTECT_CHECK_RANGE share one number in Linux) */
#define PSCI_1_1_FN_SYSTEM_RESET2		PSCI_0_2_FN(18)
#define PSCI_1_1_FN_MEM_PROTECT			PSCI_0_2_FN(19)
#define PSCI_1_1_FN_MEM_PROTECT_CHECK_RANGE	PSCI_0_2_FN(19)
#define PSCI_1_1_FN64_SYSTEM_RESET2		PSCI_0_2_FN64(18)
#define PSCI_1_1_FN64_MEM_PROTECT_CHECK_RANGE	PSCI_0_2_FN64(19)

/* CPU_SUSPEND power_state, original format */
#define PSCI_0_2_POWER_STATE_ID_MASK		0xffff
#define PSCI_0_2_POWER_STATE_ID_SHIFT		0
#define PSCI_0_2_POWER_STATE_TYPE_SHIFT		16
#define PSCI_0_2_POWER_STATE_TYPE_MASK		(0x1 << PSCI_0_2_POWER_STATE_TYPE_SHIFT)
#define PSCI_0_2_POWER_STATE_AFFL_SHIFT		24
#define PSCI_0_2_POWER_STATE_AFFL_MASK		(0x3 << PSCI_0_2_POWER_STATE_AFFL_SHIFT)
/* CPU_SUSPEND power_state, extended format */
#define PSCI_1_0_EXT_POWER_STATE_ID_MASK	0xfffffff
#define PSCI_1_0_EXT_POWER_STATE_ID_SHIFT	0
#define PSCI_1_0_EXT_POWER_STATE_TYPE_SHIFT	30
#define PSCI_1_0_EXT_POWER_STATE_TYPE_MASK	(0x1 << PSCI_1_0_EXT_POWER_STATE_TYPE_SHIFT)

/* AFFINITY_INFO results */
#define PSCI_0_2_AFFINITY_LEVEL_ON		0
#define PSCI_0_2_AFFINITY_LEVEL_OFF		1
#define PSCI_0_2_AFFINITY_LEVEL_ON_PENDING	2
/* MIGRATE_INFO_TYPE results */
#define PSCI_0_2_TOS_UP_MIGRATE			0
#define PSCI_0_2_TOS_UP_NO_MIGRATE		1
#define PSCI_0_2_TOS_MP				2
/* SYSTEM_RESET2 reset_type */
#define PSCI_1_1_RESET_TYPE_SYSTEM_WARM_RESET	0
#define PSCI_1_1_RESET_TYPE_VENDOR_START	0x80000000U

/* PSCI_VERSION result: major in bits 31..16, minor in 15..0 */
#define PSCI_VERSION_MAJOR_SHIFT		16
#define PSCI_VERSION_MINOR_MASK			((1U << PSCI_VERSION_MAJOR_SHIFT) - 1)
#define PSCI_VERSION_MAJOR_MASK			~PSCI_VERSION_MINOR_MASK
#define PSCI_VERSION_MAJOR(ver)	(((ver) & PSCI_VERSION_MAJOR_MASK) >> PSCI_VERSION_MAJOR_SHIFT)
#define PSCI_VERSION_MINOR(ver)	((ver) & PSCI_VERSION_MINOR_MASK)
#define PSCI_VERSION(maj, min) \
	((((maj) << PSCI_VERSION_MAJOR_SHIFT) & PSCI_VERSION_MAJOR_MASK) | \
	 ((min) & PSCI_VERSION_MINOR_MASK))

/* PSCI_FEATURES(CPU_SUSPEND) flags */
#define PSCI_1_0_FEATURES_CPU_SUSPEND_PF_SHIFT	1
#define PSCI_1_0_FEATURES_CPU_SUSPEND_PF_MASK	(0x1 << PSCI_1_0_FEATURES_CPU_SUSPEND_PF_SHIFT)
/* Linux writes BIT(0), which its uapi copy leaves undefined; the value is 1UL */
#define PSCI_1_0_OS_INITIATED			(1UL << 0)
#define PSCI_1_0_SUSPEND_MODE_PC		0
#define PSCI_1_0_SUSPEND_MODE_OSI		1

/* return codes, all versions */
#define PSCI_RET_SUCCESS			0
#define PSCI_RET_NOT_SUPPORTED			-1
#define PSCI_RET_INVALID_PARAMS			-2
#define PSCI_RET_DENIED				-3
#define PSCI_RET_ALREADY_ON			-4
#define PSCI_RET_ON_PENDING			-5
#define PSCI_RET_INTERNAL_FAILURE		-6
#define PSCI_RET_NOT_PRESENT			-7
#define PSCI_RET_DISABLED			-8
#define PSCI_RET_INVALID_ADDRESS		-9
#endif /* _LINUX_PSCI_H */

/* ======================================================================
 * 8. arm64 architecture part of the KVM ABI (as <asm/kvm.h>)
 * ====================================================================== */
#ifndef __ARM_KVM_H__
#define __ARM_KVM_H__

/* index into struct kvm_regs.spsr[] (EL1 plus the AArch32 banked modes) */
#define KVM_SPSR_EL1		0
#define KVM_SPSR_SVC		KVM_SPSR_EL1
#define KVM_SPSR_ABT		1
#define KVM_SPSR_UND		2
#define KVM_SPSR_IRQ		3
#define KVM_SPSR_FIQ		4
#define KVM_NR_SPSR		5

#ifndef __ASSEMBLY__

/* optional generic interfaces arm64 implements (tested by <linux/kvm.h> users) */
#define __KVM_HAVE_GUEST_DEBUG
#define __KVM_HAVE_IRQ_LINE
#define __KVM_HAVE_READONLY_MEM
#define __KVM_HAVE_VCPU_EVENTS

/* mmap page offset of the coalesced-MMIO ring on a vCPU fd */
#define KVM_COALESCED_MMIO_PAGE_OFFSET	1

/* bytes of a ONE_REG register: 1 << id[55:52] */
#define KVM_REG_SIZE(id) \
	(1U << (((id) & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT))

/* --- 8.1 KVM_GET_REGS / KVM_SET_REGS and the core-register id space --- */
struct kvm_regs {
	struct user_pt_regs regs;	/* regs.sp is SP_EL0 */
	__u64 sp_el1;
	__u64 elr_el1;
	__u64 spsr[KVM_NR_SPSR];
	struct user_fpsimd_state fp_regs;	/* at offset 336; total 864 bytes */
};

/* --- 8.2 KVM_ARM_VCPU_INIT: targets and feature bits --- */
#define KVM_ARM_TARGET_AEM_V8		0
#define KVM_ARM_TARGET_FOUNDATION_V8	1
#define KVM_ARM_TARGET_CORTEX_A57	2
#define KVM_ARM_TARGET_XGENE_POTENZA	3
#define KVM_ARM_TARGET_CORTEX_A53	4
#define KVM_ARM_TARGET_GENERIC_V8	5	/* what most hosts report */
#define KVM_ARM_NUM_TARGETS		6

/* bit numbers in kvm_vcpu_init.features[] */
#define KVM_ARM_VCPU_POWER_OFF		0	/* start in the powered-off state */
#define KVM_ARM_VCPU_EL1_32BIT		1	/* AArch32 EL1 */
#define KVM_ARM_VCPU_PSCI_0_2		2	/* PSCI 0.2+ instead of 0.1 */
#define KVM_ARM_VCPU_PMU_V3		3
#define KVM_ARM_VCPU_SVE		4	/* needs KVM_ARM_VCPU_FINALIZE */
#define KVM_ARM_VCPU_PTRAUTH_ADDRESS	5
#define KVM_ARM_VCPU_PTRAUTH_GENERIC	6

struct kvm_vcpu_init {
	__u32 target;
	__u32 features[7];
};

/* x86 state that arm64 does not have: both are empty (size 0) */
struct kvm_sregs {
};

struct kvm_fpu {
};

/* --- 8.3 KVM_ARM_SET_DEVICE_ADDR and VGIC placement --- */
/* kvm_arm_device_addr.id = device type in bits 15..0, id in bits 31..16 */
#define KVM_ARM_DEVICE_TYPE_SHIFT	0
#define KVM_ARM_DEVICE_TYPE_MASK	(0xffffUL << KVM_ARM_DEVICE_TYPE_SHIFT)
#define KVM_ARM_DEVICE_ID_SHIFT		16
#define KVM_ARM_DEVICE_ID_MASK		(0xffffUL << KVM_ARM_DEVICE_ID_SHIFT)
#define KVM_ARM_DEVICE_VGIC_V2		0

/* address types (KVM_DEV_ARM_VGIC_GRP_ADDR attr / SET_DEVICE_ADDR id) */
#define KVM_VGIC_V2_ADDR_TYPE_DIST	0
#define KVM_VGIC_V2_ADDR_TYPE_CPU	1
#define KVM_VGIC_V3_ADDR_TYPE_DIST	2
#define KVM_VGIC_V3_ADDR_TYPE_REDIST	3
#define KVM_VGIC_ITS_ADDR_TYPE		4
#define KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION	5
#define KVM_VGIC_V2_DIST_SIZE		0x1000
#define KVM_VGIC_V2_CPU_SIZE		0x2000
/* Linux spells these with SZ_64K, which its uapi copy leaves undefined */
#define KVM_VGIC_V3_DIST_SIZE		0x10000
#define KVM_VGIC_V3_REDIST_SIZE		(2 * 0x10000)
#define KVM_VGIC_V3_ITS_SIZE		(2 * 0x10000)

/* --- 8.4 KVM_SET_GUEST_DEBUG and debug exits --- */
#define KVM_ARM_MAX_DBG_REGS		16	/* architectural maximum per kind */

/* control registers are kept 64-bit wide, as ONE_REG treats sysregs */
struct kvm_guest_debug_arch {
	__u64 dbg_bcr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_bvr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_wcr[KVM_ARM_MAX_DBG_REGS];
	__u64 dbg_wvr[KVM_ARM_MAX_DBG_REGS];
};

/* kvm_run.flags on KVM_EXIT_DEBUG: hsr_high is valid */
#define KVM_DEBUG_ARCH_HSR_HIGH_VALID	(1 << 0)

struct kvm_debug_exit_arch {
	__u32 hsr;		/* ESR_EL2[31:0] */
	__u32 hsr_high;		/* ESR_EL2[61:32] */
	__u64 far;		/* faulting address for watchpoints */
};

/* arm64 bits of kvm_guest_debug.control */
#define KVM_GUESTDBG_USE_SW_BP		(1 << 16)
#define KVM_GUESTDBG_USE_HW		(1 << 17)

/* --- 8.5 kvm_run.s: state shared through the run page --- */
struct kvm_sync_regs {
	/* KVM_CAP_ARM_USER_IRQ: KVM_ARM_DEV_* output line levels */
	__u64 device_irq_level;
};

/* --- 8.6 KVM_ARM_VCPU_PMU_V3_FILTER --- */
#define KVM_PMU_EVENT_ALLOW		0
#define KVM_PMU_EVENT_DENY		1

struct kvm_pmu_event_filter {
	__u16 base_event;
	__u16 nevents;
	__u8 action;		/* KVM_PMU_EVENT_ALLOW / _DENY */
	__u8 pad[3];
};

/* --- 8.7 KVM_GET/SET_VCPU_EVENTS (pending SError / external abort) --- */
struct kvm_vcpu_events {
	struct {
		__u8 serror_pending;
		__u8 serror_has_esr;
		__u8 ext_dabt_pending;
		__u8 pad[5];
		__u64 serror_esr;
	} exception;
	__u32 reserved[12];
};

/* --- 8.8 KVM_ARM_MTE_COPY_TAGS --- */
struct kvm_arm_copy_mte_tags {
	__u64 guest_ipa;
	__u64 length;
	void *addr;
	__u64 flags;		/* KVM_ARM_TAGS_* */
	__u64 reserved[2];
};

#define KVM_ARM_TAGS_TO_GUEST		0
#define KVM_ARM_TAGS_FROM_GUEST		1

/* --- 8.9 ONE_REG ids on arm64 ---
 *
 *   id = KVM_REG_ARM64 | KVM_REG_SIZE_Uxx | coprocessor group << 16 | index
 *
 * Groups: 0x10 core (kvm_regs, indexed in 32-bit words), 0x11 demux (CCSIDR),
 * 0x13 system registers (op0:op1:CRn:CRm:op2), 0x14 firmware pseudo-registers,
 * 0x15 SVE, 0x16 firmware feature bitmaps.
 */
#define KVM_REG_ARM_COPROC_MASK		0x000000000FFF0000
#define KVM_REG_ARM_COPROC_SHIFT	16

#define KVM_REG_ARM_CORE		(0x0010 << KVM_REG_ARM_COPROC_SHIFT)
/* index of a kvm_regs member, e.g. KVM_REG_ARM_CORE_REG(regs.pc) */
#define KVM_REG_ARM_CORE_REG(name) \
	(__builtin_offsetof(struct kvm_regs, name) / sizeof(__u32))

#define KVM_REG_ARM_DEMUX		(0x0011 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_DEMUX_ID_MASK	0x000000000000FF00
#define KVM_REG_ARM_DEMUX_ID_SHIFT	8
#define KVM_REG_ARM_DEMUX_ID_CCSIDR	(0x00 << KVM_REG_ARM_DEMUX_ID_SHIFT)
#define KVM_REG_ARM_DEMUX_VAL_MASK	0x00000000000000FF
#define KVM_REG_ARM_DEMUX_VAL_SHIFT	0

#define KVM_REG_ARM64_SYSREG		(0x0013 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SYSREG_OP0_MASK	0x000000000000c000
#define KVM_REG_ARM64_SYSREG_OP0_SHIFT	14
#define KVM_REG_ARM64_SYSREG_OP1_MASK	0x0000000000003800
#define KVM_REG_ARM64_SYSREG_OP1_SHIFT	11
#define KVM_REG_ARM64_SYSREG_CRN_MASK	0x0000000000000780
#define KVM_REG_ARM64_SYSREG_CRN_SHIFT	7
#define KVM_REG_ARM64_SYSREG_CRM_MASK	0x0000000000000078
#define KVM_REG_ARM64_SYSREG_CRM_SHIFT	3
#define KVM_REG_ARM64_SYSREG_OP2_MASK	0x0000000000000007
#define KVM_REG_ARM64_SYSREG_OP2_SHIFT	0

/* place field value x of encoding field n (OP0, OP1, CRN, CRM, OP2) */
#define ARM64_SYS_REG_SHIFT_MASK(x, n) \
	(((x) << KVM_REG_ARM64_SYSREG_##n##_SHIFT) & KVM_REG_ARM64_SYSREG_##n##_MASK)
#define __ARM64_SYS_REG(op0, op1, crn, crm, op2) \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SYSREG | \
	 ARM64_SYS_REG_SHIFT_MASK(op0, OP0) | ARM64_SYS_REG_SHIFT_MASK(op1, OP1) | \
	 ARM64_SYS_REG_SHIFT_MASK(crn, CRN) | ARM64_SYS_REG_SHIFT_MASK(crm, CRM) | \
	 ARM64_SYS_REG_SHIFT_MASK(op2, OP2))
/* a 64-bit system register: ARM64_SYS_REG(op0, op1, CRn, CRm, op2) */
#define ARM64_SYS_REG(...)	(__ARM64_SYS_REG(__VA_ARGS__) | KVM_REG_SIZE_U64)

/* EL0 physical timer: CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTPCT_EL0 */
#define KVM_REG_ARM_PTIMER_CTL		ARM64_SYS_REG(3, 3, 14, 2, 1)
#define KVM_REG_ARM_PTIMER_CVAL		ARM64_SYS_REG(3, 3, 14, 2, 2)
#define KVM_REG_ARM_PTIMER_CNT		ARM64_SYS_REG(3, 3, 14, 0, 1)
/*
 * EL0 virtual timer. ABI quirk kept on purpose: CVAL carries the encoding of
 * CNTVCT_EL0 (3,3,14,0,2) and CNT that of CNTV_CVAL_EL0 (3,3,14,3,2).
 */
#define KVM_REG_ARM_TIMER_CTL		ARM64_SYS_REG(3, 3, 14, 3, 1)
#define KVM_REG_ARM_TIMER_CVAL		ARM64_SYS_REG(3, 3, 14, 0, 2)
#define KVM_REG_ARM_TIMER_CNT		ARM64_SYS_REG(3, 3, 14, 3, 2)

/* firmware (hypercall ABI) pseudo-registers, 64-bit */
#define KVM_REG_ARM_FW			(0x0014 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_REG(r) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | ((r) & 0xffff))
#define KVM_REG_ARM_PSCI_VERSION	KVM_REG_ARM_FW_REG(0)
/* Spectre-v2 mitigation state (SMCCC_ARCH_WORKAROUND_1) */
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1			KVM_REG_ARM_FW_REG(1)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED	2
/* Spectre-v4 (SSBD); the host narrows any accepted value to NOT_AVAIL/NOT_REQUIRED */
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2			KVM_REG_ARM_FW_REG(2)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL		2
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED	3
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED		(1U << 4)
/* Spectre-BHB (SMCCC_ARCH_WORKAROUND_3) */
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3			KVM_REG_ARM_FW_REG(3)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_AVAIL		0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_AVAIL		1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED	2

/*
 * SVE: Zn is U2048 and Pn/FFR U256 whatever the vector length; slice i
 * (bits 4..0) addresses the i-th 2048/256-bit chunk of a longer register,
 * only slice 0 exists in Linux 6.1. Contents are in memory order (byte 0 =
 * lowest element byte), unlike the V registers in the core group.
 */
#define KVM_REG_ARM64_SVE		(0x15 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SVE_ZREG_BASE	0
#define KVM_REG_ARM64_SVE_PREG_BASE	0x400
#define KVM_REG_ARM64_SVE_FFR_BASE	0x600
#define KVM_ARM64_SVE_NUM_ZREGS		__SVE_NUM_ZREGS
#define KVM_ARM64_SVE_NUM_PREGS		__SVE_NUM_PREGS
#define KVM_ARM64_SVE_MAX_SLICES	32

#define KVM_REG_ARM64_SVE_ZREG(n, i) \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_ZREG_BASE | KVM_REG_SIZE_U2048 | \
	 (((n) & (KVM_ARM64_SVE_NUM_ZREGS - 1)) << 5) | ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))
#define KVM_REG_ARM64_SVE_PREG(n, i) \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_PREG_BASE | KVM_REG_SIZE_U256 | \
	 (((n) & (KVM_ARM64_SVE_NUM_PREGS - 1)) << 5) | ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))
#define KVM_REG_ARM64_SVE_FFR(i) \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_ARM64_SVE_FFR_BASE | KVM_REG_SIZE_U256 | \
	 ((i) & (KVM_ARM64_SVE_MAX_SLICES - 1)))

#define KVM_ARM64_SVE_VQ_MIN		__SVE_VQ_MIN
#define KVM_ARM64_SVE_VQ_MAX		__SVE_VQ_MAX
/* vector-length set: bit (vq - 1) of a __u64[KVM_ARM64_SVE_VLS_WORDS] array */
#define KVM_REG_ARM64_SVE_VLS \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U512 | 0xffff)
#define KVM_ARM64_SVE_VLS_WORDS \
	((KVM_ARM64_SVE_VQ_MAX - KVM_ARM64_SVE_VQ_MIN) / 64 + 1)

/* hypercall-service bitmaps: which services the guest may discover */
#define KVM_REG_ARM_FW_FEAT_BMAP	(0x0016 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_FEAT_BMAP_REG(r) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW_FEAT_BMAP | ((r) & 0xffff))

#define KVM_REG_ARM_STD_BMAP		KVM_REG_ARM_FW_FEAT_BMAP_REG(0)
enum {
	KVM_REG_ARM_STD_BIT_TRNG_V1_0 = 0,
};

#define KVM_REG_ARM_STD_HYP_BMAP	KVM_REG_ARM_FW_FEAT_BMAP_REG(1)
enum {
	KVM_REG_ARM_STD_HYP_BIT_PV_TIME = 0,
};

#define KVM_REG_ARM_VENDOR_HYP_BMAP	KVM_REG_ARM_FW_FEAT_BMAP_REG(2)
enum {
	KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT = 0,
	KVM_REG_ARM_VENDOR_HYP_BIT_PTP = 1,
};

/* --- 8.10 device attributes: VGIC device fd --- */
#define KVM_DEV_ARM_VGIC_GRP_ADDR		0
#define KVM_DEV_ARM_VGIC_GRP_DIST_REGS		1
#define KVM_DEV_ARM_VGIC_GRP_CPU_REGS		2
#define KVM_DEV_ARM_VGIC_GRP_NR_IRQS		3
#define KVM_DEV_ARM_VGIC_GRP_CTRL		4
#define KVM_DEV_ARM_VGIC_GRP_REDIST_REGS	5
#define KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS	6
#define KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO		7
#define KVM_DEV_ARM_VGIC_GRP_ITS_REGS		8
/* attr layout for the register groups */
#define KVM_DEV_ARM_VGIC_CPUID_SHIFT		32
#define KVM_DEV_ARM_VGIC_CPUID_MASK		(0xffULL << KVM_DEV_ARM_VGIC_CPUID_SHIFT)
#define KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT		32
#define KVM_DEV_ARM_VGIC_V3_MPIDR_MASK		(0xffffffffULL << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT)
#define KVM_DEV_ARM_VGIC_OFFSET_SHIFT		0
#define KVM_DEV_ARM_VGIC_OFFSET_MASK		(0xffffffffULL << KVM_DEV_ARM_VGIC_OFFSET_SHIFT)
#define KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK	(0xffff)
/* KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO attr layout */
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT	10
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK \
	(0x3fffffULL << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT)
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK	0x3ff
#define VGIC_LEVEL_INFO_LINE_LEVEL		0
/* KVM_DEV_ARM_VGIC_GRP_CTRL attrs */
#define KVM_DEV_ARM_VGIC_CTRL_INIT		0
#define KVM_DEV_ARM_ITS_SAVE_TABLES		1
#define KVM_DEV_ARM_ITS_RESTORE_TABLES		2
#define KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES	3
#define KVM_DEV_ARM_ITS_CTRL_RESET		4

/* --- 8.11 device attributes on a vCPU fd (group, then attrs) --- */
#define KVM_ARM_VCPU_PMU_V3_CTRL	0
#define KVM_ARM_VCPU_PMU_V3_IRQ		0
#define KVM_ARM_VCPU_PMU_V3_INIT	1
#define KVM_ARM_VCPU_PMU_V3_FILTER	2
#define KVM_ARM_VCPU_PMU_V3_SET_PMU	3
#define KVM_ARM_VCPU_TIMER_CTRL		1
#define KVM_ARM_VCPU_TIMER_IRQ_VTIMER	0
#define KVM_ARM_VCPU_TIMER_IRQ_PTIMER	1
#define KVM_ARM_VCPU_PVTIME_CTRL	2
#define KVM_ARM_VCPU_PVTIME_IPA		0

/* --- 8.12 KVM_IRQ_LINE: irq = vcpu2[31:28] type[27:24] vcpu[23:16] num[15:0] --- */
#define KVM_ARM_IRQ_VCPU2_SHIFT		28
#define KVM_ARM_IRQ_VCPU2_MASK		0xf
#define KVM_ARM_IRQ_TYPE_SHIFT		24
#define KVM_ARM_IRQ_TYPE_MASK		0xf
#define KVM_ARM_IRQ_VCPU_SHIFT		16
#define KVM_ARM_IRQ_VCPU_MASK		0xff
#define KVM_ARM_IRQ_NUM_SHIFT		0
#define KVM_ARM_IRQ_NUM_MASK		0xffff
#define KVM_ARM_IRQ_TYPE_CPU		0	/* no in-kernel irqchip: IRQ/FIQ line */
#define KVM_ARM_IRQ_TYPE_SPI		1
#define KVM_ARM_IRQ_TYPE_PPI		2
#define KVM_ARM_IRQ_CPU_IRQ		0
#define KVM_ARM_IRQ_CPU_FIQ		1
#define KVM_ARM_IRQ_GIC_MAX		127	/* obsolete; see KVM_DEV_ARM_VGIC_GRP_NR_IRQS */
#define KVM_NR_IRQCHIPS			1

/* --- 8.13 PSCI 0.1 function ids (the KVM-defined ones) --- */
#define KVM_PSCI_FN_BASE		0x95c1ba5e
#define KVM_PSCI_FN(n)			(KVM_PSCI_FN_BASE + (n))
#define KVM_PSCI_FN_CPU_SUSPEND		KVM_PSCI_FN(0)
#define KVM_PSCI_FN_CPU_OFF		KVM_PSCI_FN(1)
#define KVM_PSCI_FN_CPU_ON		KVM_PSCI_FN(2)
#define KVM_PSCI_FN_MIGRATE		KVM_PSCI_FN(3)
#define KVM_PSCI_RET_SUCCESS		PSCI_RET_SUCCESS
#define KVM_PSCI_RET_NI			PSCI_RET_NOT_SUPPORTED
#define KVM_PSCI_RET_INVAL		PSCI_RET_INVALID_PARAMS
#define KVM_PSCI_RET_DENIED		PSCI_RET_DENIED

/* --- 8.14 arm64 meanings of exit payload flags --- */
/* system_event.data[0] of a RESET: it came from PSCI 1.1 SYSTEM_RESET2 */
#define KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2	(1ULL << 0)
/* fail_entry.hardware_entry_failure_reason */
#define KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED	(1ULL << 0)

#endif /* !__ASSEMBLY__ */
#endif /* __ARM_KVM_H__ */

/* ======================================================================
 * 9. Generic KVM ABI (as <linux/kvm.h>), arm64 configuration: the parts
 *    Linux hides behind __KVM_HAVE_PIT, _MCE, _XEN_HVM, _DEBUGREGS, _XSAVE,
 *    _XCRS and __KVM_S390 are absent, exactly as on an arm64 host.
 * ====================================================================== */
#ifndef __LINUX_KVM_H
#define __LINUX_KVM_H

#define KVM_API_VERSION		12	/* KVM_GET_API_VERSION result */
#define KVMIO			0xAE	/* ioctl type byte of every KVM request */

/* --- 9.1 Deprecated interfaces (numbers kept reserved) --- */
#define KVM_TRC_SHIFT		16
#define KVM_TRC_ENTRYEXIT	(1 << KVM_TRC_SHIFT)
#define KVM_TRC_HANDLER		(1 << (KVM_TRC_SHIFT + 1))
#define KVM_TRC_VMENTRY		(KVM_TRC_ENTRYEXIT + 0x01)
#define KVM_TRC_VMEXIT		(KVM_TRC_ENTRYEXIT + 0x02)
#define KVM_TRC_PAGE_FAULT	(KVM_TRC_HANDLER + 0x01)
#define KVM_TRC_HEAD_SIZE	12
#define KVM_TRC_CYCLE_SIZE	8
#define KVM_TRC_EXTRA_MAX	7
#define KVM_TRC_INJ_VIRQ	(KVM_TRC_HANDLER + 0x02)
#define KVM_TRC_REDELIVER_EVT	(KVM_TRC_HANDLER + 0x03)
#define KVM_TRC_PEND_INTR	(KVM_TRC_HANDLER + 0x04)
#define KVM_TRC_IO_READ		(KVM_TRC_HANDLER + 0x05)
#define KVM_TRC_IO_WRITE	(KVM_TRC_HANDLER + 0x06)
#define KVM_TRC_CR_READ		(KVM_TRC_HANDLER + 0x07)
#define KVM_TRC_CR_WRITE	(KVM_TRC_HANDLER + 0x08)
#define KVM_TRC_DR_READ		(KVM_TRC_HANDLER + 0x09)
#define KVM_TRC_DR_WRITE	(KVM_TRC_HANDLER + 0x0A)
#define KVM_TRC_MSR_READ	(KVM_TRC_HANDLER + 0x0B)
#define KVM_TRC_MSR_WRITE	(KVM_TRC_HANDLER + 0x0C)
#define KVM_TRC_CPUID		(KVM_TRC_HANDLER + 0x0D)
#define KVM_TRC_INTR		(KVM_TRC_HANDLER + 0x0E)
#define KVM_TRC_NMI		(KVM_TRC_HANDLER + 0x0F)
#define KVM_TRC_VMMCALL		(KVM_TRC_HANDLER + 0x10)
#define KVM_TRC_HLT		(KVM_TRC_HANDLER + 0x11)
#define KVM_TRC_CLTS		(KVM_TRC_HANDLER + 0x12)
#define KVM_TRC_LMSW		(KVM_TRC_HANDLER + 0x13)
#define KVM_TRC_APIC_ACCESS	(KVM_TRC_HANDLER + 0x14)
#define KVM_TRC_TDP_FAULT	(KVM_TRC_HANDLER + 0x15)
#define KVM_TRC_GTLB_WRITE	(KVM_TRC_HANDLER + 0x16)
#define KVM_TRC_STLB_WRITE	(KVM_TRC_HANDLER + 0x17)
#define KVM_TRC_STLB_INVAL	(KVM_TRC_HANDLER + 0x18)
#define KVM_TRC_PPC_INSTR	(KVM_TRC_HANDLER + 0x19)

struct kvm_user_trace_setup {
	__u32 buf_size;
	__u32 buf_nr;
};

struct kvm_breakpoint {
	__u32 enabled;
	__u32 padding;
	__u64 address;
};

struct kvm_debug_guest {
	__u32 enabled;
	__u32 pad;
	struct kvm_breakpoint breakpoints[4];
	__u32 singlestep;
};

#define __KVM_DEPRECATED_MAIN_W_0x06	_IOW(KVMIO, 0x06, struct kvm_user_trace_setup)
#define __KVM_DEPRECATED_MAIN_0x07	_IO(KVMIO, 0x07)
#define __KVM_DEPRECATED_MAIN_0x08	_IO(KVMIO, 0x08)
#define __KVM_DEPRECATED_VM_R_0x70	_IOR(KVMIO, 0x70, struct kvm_assigned_irq)
#define __KVM_DEPRECATED_VCPU_W_0x87	_IOW(KVMIO, 0x87, struct kvm_debug_guest)

/* --- 9.2 Memory slots --- */
/* KVM_SET_MEMORY_REGION (obsolete) */
struct kvm_memory_region {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes */
};

/* KVM_SET_USER_MEMORY_REGION: slot = address-space id << 16 | slot number */
struct kvm_userspace_memory_region {
	__u32 slot;
	__u32 flags;		/* KVM_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes; 0 deletes the slot */
	__u64 userspace_addr;	/* host address backing the slot */
};

/* flags bits 0..15 are user-visible; the rest is kernel-internal */
#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)
#define KVM_MEM_READONLY	(1UL << 1)	/* writes exit as MMIO */

/* --- 9.3 Interrupt lines, irqchip, PIT --- */
/* KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS (arm64 irq layout: section 8.12) */
struct kvm_irq_level {
	union {
		__u32 irq;
		__s32 status;	/* KVM_IRQ_LINE_STATUS result */
	};
	__u32 level;
};

/* KVM_GET/SET_IRQCHIP; on arm64 only the reserved space exists */
struct kvm_irqchip {
	__u32 chip_id;
	__u32 pad;
	union {
		char dummy[512];
	} chip;
};

/* KVM_CREATE_PIT2 */
struct kvm_pit_config {
	__u32 flags;
	__u32 pad[15];
};

#define KVM_PIT_SPEAKER_DUMMY	1

/* --- 9.4 s390 storage keys and CMMA --- */
struct kvm_s390_skeys {
	__u64 start_gfn;
	__u64 count;
	__u64 skeydata_addr;
	__u32 flags;
	__u32 reserved[9];
};

#define KVM_S390_CMMA_PEEK	(1 << 0)

/* KVM_S390_GET/SET_CMMA_BITS */
struct kvm_s390_cmma_log {
	__u64 start_gfn;
	__u32 count;
	__u32 flags;
	union {
		__u64 remaining;	/* GET: dirty pages left */
		__u64 mask;		/* SET: bits to change */
	};
	__u64 values;
};

#define KVM_S390_GET_SKEYS_NONE	1
#define KVM_S390_SKEYS_MAX	1048576

/* --- 9.5 Exit payloads that are named structures --- */
#define KVM_EXIT_HYPERV_SYNIC	1
#define KVM_EXIT_HYPERV_HCALL	2
#define KVM_EXIT_HYPERV_SYNDBG	3

struct kvm_hyperv_exit {
	__u32 type;		/* KVM_EXIT_HYPERV_* */
	__u32 pad1;
	union {
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 evt_page;
			__u64 msg_page;
		} synic;
		struct {
			__u64 input;
			__u64 result;
			__u64 params[2];
		} hcall;
		struct {
			__u32 msr;
			__u32 pad2;
			__u64 control;
			__u64 status;
			__u64 send_page;
			__u64 recv_page;
			__u64 pending_page;
		} syndbg;
	} u;
};

#define KVM_EXIT_XEN_HCALL	1

struct kvm_xen_exit {
	__u32 type;		/* KVM_EXIT_XEN_* */
	union {
		struct {
			__u32 longmode;
			__u32 cpl;
			__u64 input;
			__u64 result;
			__u64 params[6];
		} hcall;
	} u;
};

/* --- 9.6 kvm_run.exit_reason values --- */
#define KVM_EXIT_UNKNOWN		0
#define KVM_EXIT_EXCEPTION		1
#define KVM_EXIT_IO			2
#define KVM_EXIT_HYPERCALL		3
#define KVM_EXIT_DEBUG			4
#define KVM_EXIT_HLT			5
#define KVM_EXIT_MMIO			6
#define KVM_EXIT_IRQ_WINDOW_OPEN	7
#define KVM_EXIT_SHUTDOWN		8
#define KVM_EXIT_FAIL_ENTRY		9
#define KVM_EXIT_INTR			10
#define KVM_EXIT_SET_TPR		11
#define KVM_EXIT_TPR_ACCESS		12
#define KVM_EXIT_S390_SIEIC		13
#define KVM_EXIT_S390_RESET		14
#define KVM_EXIT_DCR			15	/* deprecated */
#define KVM_EXIT_NMI			16
#define KVM_EXIT_INTERNAL_ERROR		17
#define KVM_EXIT_OSI			18
#define KVM_EXIT_PAPR_HCALL		19
#define KVM_EXIT_S390_UCONTROL		20
#define KVM_EXIT_WATCHDOG		21
#define KVM_EXIT_S390_TSCH		22
#define KVM_EXIT_EPR			23
#define KVM_EXIT_SYSTEM_EVENT		24
#define KVM_EXIT_S390_STSI		25
#define KVM_EXIT_IOAPIC_EOI		26
#define KVM_EXIT_HYPERV			27
#define KVM_EXIT_ARM_NISV		28
#define KVM_EXIT_X86_RDMSR		29
#define KVM_EXIT_X86_WRMSR		30
#define KVM_EXIT_DIRTY_RING_FULL	31
#define KVM_EXIT_AP_RESET_HOLD		32
#define KVM_EXIT_X86_BUS_LOCK		33
#define KVM_EXIT_XEN			34
#define KVM_EXIT_RISCV_SBI		35
#define KVM_EXIT_RISCV_CSR		36
#define KVM_EXIT_NOTIFY			37

/* internal.suberror of KVM_EXIT_INTERNAL_ERROR */
#define KVM_INTERNAL_ERROR_EMULATION			1
#define KVM_INTERNAL_ERROR_SIMUL_EX			2
#define KVM_INTERNAL_ERROR_DELIVERY_EV			3
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON	4
/* emulation_failure.flags: which optional fields are valid */
#define KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES	(1ULL << 0)

/* io.direction */
#define KVM_EXIT_IO_IN			0
#define KVM_EXIT_IO_OUT			1
/* s390_reset_flags */
#define KVM_S390_RESET_POR		1
#define KVM_S390_RESET_CLEAR		2
#define KVM_S390_RESET_SUBSYSTEM	4
#define KVM_S390_RESET_CPU_INIT		8
#define KVM_S390_RESET_IPL		16
/* system_event.type */
#define KVM_SYSTEM_EVENT_SHUTDOWN	1
#define KVM_SYSTEM_EVENT_RESET		2
#define KVM_SYSTEM_EVENT_CRASH		3
#define KVM_SYSTEM_EVENT_WAKEUP		4
#define KVM_SYSTEM_EVENT_SUSPEND	5
#define KVM_SYSTEM_EVENT_SEV_TERM	6
/* msr.reason */
#define KVM_MSR_EXIT_REASON_INVAL	(1 << 0)
#define KVM_MSR_EXIT_REASON_UNKNOWN	(1 << 1)
#define KVM_MSR_EXIT_REASON_FILTER	(1 << 2)
/* notify.flags */
#define KVM_NOTIFY_CONTEXT_INVALID	(1 << 0)

/* --- 9.7 struct kvm_run: the shared page of a vCPU (mmap offset 0) ---
 *
 * 2352 bytes: header (32), exit union at 32 (256), valid/dirty masks at
 * 288, arch sync area at 304 (2048).
 */
#define SYNC_REGS_SIZE_BYTES	2048

struct kvm_run {
	/* in */
	__u8 request_interrupt_window;
	__u8 immediate_exit;		/* nonzero: KVM_RUN returns EINTR at once */
	__u8 padding1[6];

	/* out */
	__u32 exit_reason;		/* KVM_EXIT_* */
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;
	__u16 flags;			/* arm64: KVM_DEBUG_ARCH_HSR_HIGH_VALID */

	/* in and out (x86) */
	__u64 cr8;
	__u64 apic_base;

	/* exit details, selected by exit_reason */
	union {
		struct {			/* KVM_EXIT_UNKNOWN */
			__u64 hardware_exit_reason;
		} hw;
		struct {			/* KVM_EXIT_FAIL_ENTRY */
			__u64 hardware_entry_failure_reason;
			__u32 cpu;
		} fail_entry;
		struct {			/* KVM_EXIT_EXCEPTION */
			__u32 exception;
			__u32 error_code;
		} ex;
		struct {			/* KVM_EXIT_IO */
			__u8 direction;		/* KVM_EXIT_IO_IN / _OUT */
			__u8 size;		/* bytes per access */
			__u16 port;
			__u32 count;
			__u64 data_offset;	/* from the start of kvm_run */
		} io;
		struct {			/* KVM_EXIT_DEBUG */
			struct kvm_debug_exit_arch arch;
		} debug;
		struct {			/* KVM_EXIT_MMIO */
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
		} mmio;
		struct {			/* KVM_EXIT_HYPERCALL */
			__u64 nr;
			__u64 args[6];
			__u64 ret;
			__u32 longmode;
			__u32 pad;
		} hypercall;
		struct {			/* KVM_EXIT_TPR_ACCESS */
			__u64 rip;
			__u32 is_write;
			__u32 pad;
		} tpr_access;
		struct {			/* KVM_EXIT_S390_SIEIC */
			__u8 icptcode;
			__u16 ipa;
			__u32 ipb;
		} s390_sieic;
		__u64 s390_reset_flags;		/* KVM_EXIT_S390_RESET */
		struct {			/* KVM_EXIT_S390_UCONTROL */
			__u64 trans_exc_code;
			__u32 pgm_code;
		} s390_ucontrol;
		struct {			/* KVM_EXIT_DCR (deprecated) */
			__u32 dcrn;
			__u32 data;
			__u8 is_write;
		} dcr;
		struct {			/* KVM_EXIT_INTERNAL_ERROR */
			__u32 suberror;
			__u32 ndata;		/* with KVM_CAP_INTERNAL_ERROR_DATA */
			__u64 data[16];
		} internal;
		/*
		 * KVM_INTERNAL_ERROR_EMULATION overlay of `internal`; unlike
		 * the other sub-types its layout is ABI.
		 */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 flags;
			union {
				struct {
					__u8 insn_size;
					__u8 insn_bytes[15];
				};
			};
		} emulation_failure;
		struct {			/* KVM_EXIT_OSI */
			__u64 gprs[32];
		} osi;
		struct {			/* KVM_EXIT_PAPR_HCALL */
			__u64 nr;
			__u64 ret;
			__u64 args[9];
		} papr_hcall;
		struct {			/* KVM_EXIT_S390_TSCH */
			__u16 subchannel_id;
			__u16 subchannel_nr;
			__u32 io_int_parm;
			__u32 io_int_word;
			__u32 ipb;
			__u8 dequeued;
		} s390_tsch;
		struct {			/* KVM_EXIT_EPR */
			__u32 epr;
		} epr;
		struct {			/* KVM_EXIT_SYSTEM_EVENT */
			__u32 type;		/* KVM_SYSTEM_EVENT_* */
			__u32 ndata;
			union {
				__u64 flags;	/* older name of data[0] */
				__u64 data[16];
			};
		} system_event;
		struct {			/* KVM_EXIT_S390_STSI */
			__u64 addr;
			__u8 ar;
			__u8 reserved;
			__u8 fc;
			__u8 sel1;
			__u16 sel2;
		} s390_stsi;
		struct {			/* KVM_EXIT_IOAPIC_EOI */
			__u8 vector;
		} eoi;
		struct kvm_hyperv_exit hyperv;	/* KVM_EXIT_HYPERV */
		struct {			/* KVM_EXIT_ARM_NISV */
			__u64 esr_iss;
			__u64 fault_ipa;
		} arm_nisv;
		struct {			/* KVM_EXIT_X86_RDMSR / _WRMSR */
			__u8 error;		/* in */
			__u8 pad[7];
			__u32 reason;		/* out: KVM_MSR_EXIT_REASON_* */
			__u32 index;
			__u64 data;
		} msr;
		struct kvm_xen_exit xen;	/* KVM_EXIT_XEN */
		struct {			/* KVM_EXIT_RISCV_SBI */
			unsigned long extension_id;
			unsigned long function_id;
			unsigned long args[6];
			unsigned long ret[2];
		} riscv_sbi;
		struct {			/* KVM_EXIT_RISCV_CSR */
			unsigned long csr_num;
			unsigned long new_value;
			unsigned long write_mask;
			unsigned long ret_value;
		} riscv_csr;
		struct {			/* KVM_EXIT_NOTIFY */
			__u32 flags;		/* KVM_NOTIFY_CONTEXT_* */
		} notify;
		char padding[256];		/* fixes the union size */
	};

	/* register classes valid / dirtied in s (KVM_CAP_SYNC_REGS) */
	__u64 kvm_valid_regs;
	__u64 kvm_dirty_regs;
	union {
		struct kvm_sync_regs regs;
		char padding[SYNC_REGS_SIZE_BYTES];
	} s;
};

/* --- 9.8 Coalesced MMIO/PIO (ring at KVM_COALESCED_MMIO_PAGE_OFFSET) --- */
struct kvm_coalesced_mmio_zone {
	__u64 addr;
	__u32 size;
	union {
		__u32 pad;
		__u32 pio;
	};
};

struct kvm_coalesced_mmio {
	__u64 phys_addr;
	__u32 len;
	union {
		__u32 pad;
		__u32 pio;
	};
	__u8 data[8];
};

struct kvm_coalesced_mmio_ring {
	__u32 first, last;
	struct kvm_coalesced_mmio coalesced_mmio[];
};

/* entries per ring page; the user provides PAGE_SIZE, as with Linux's header */
#define KVM_COALESCED_MMIO_MAX \
	((PAGE_SIZE - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio))

/* --- 9.9 Small per-ioctl argument structures --- */
/* KVM_TRANSLATE */
struct kvm_translation {
	__u64 linear_address;	/* in */
	__u64 physical_address;	/* out */
	__u8 valid;
	__u8 writeable;
	__u8 usermode;
	__u8 pad[5];
};

/* KVM_S390_MEM_OP */
struct kvm_s390_mem_op {
	__u64 gaddr;
	__u64 flags;		/* KVM_S390_MEMOP_F_* */
	__u32 size;
	__u32 op;		/* KVM_S390_MEMOP_* */
	__u64 buf;
	union {
		struct {
			__u8 ar;
			__u8 key;
		};
		__u32 sida_offset;
		__u8 reserved[32];
	};
};

#define KVM_S390_MEMOP_LOGICAL_READ		0
#define KVM_S390_MEMOP_LOGICAL_WRITE		1
#define KVM_S390_MEMOP_SIDA_READ		2
#define KVM_S390_MEMOP_SIDA_WRITE		3
#define KVM_S390_MEMOP_ABSOLUTE_READ		4
#define KVM_S390_MEMOP_ABSOLUTE_WRITE		5
#define KVM_S390_MEMOP_F_CHECK_ONLY		(1ULL << 0)
#define KVM_S390_MEMOP_F_INJECT_EXCEPTION	(1ULL << 1)
#define KVM_S390_MEMOP_F_SKEY_PROTECTION	(1ULL << 2)

/* KVM_INTERRUPT */
struct kvm_interrupt {
	__u32 irq;
};

/* KVM_GET_DIRTY_LOG */
struct kvm_dirty_log {
	__u32 slot;
	__u32 padding1;
	union {
		void *dirty_bitmap;	/* one bit per page */
		__u64 padding2;
	};
};

/* KVM_CLEAR_DIRTY_LOG */
struct kvm_clear_dirty_log {
	__u32 slot;
	__u32 num_pages;
	__u64 first_page;
	union {
		void *dirty_bitmap;
		__u64 padding2;
	};
};

/* KVM_SET_SIGNAL_MASK: len = sizeof the kernel sigset (8 on arm64) */
struct kvm_signal_mask {
	__u32 len;
	__u8 sigset[];
};

/* KVM_TPR_ACCESS_REPORTING */
struct kvm_tpr_access_ctl {
	__u32 enabled;
	__u32 flags;
	__u32 reserved[8];
};

/* KVM_SET_VAPIC_ADDR */
struct kvm_vapic_addr {
	__u64 vapic_addr;
};

/* KVM_GET/SET_MP_STATE (arm64 uses RUNNABLE, STOPPED, SUSPENDED) */
#define KVM_MP_STATE_RUNNABLE		0
#define KVM_MP_STATE_UNINITIALIZED	1
#define KVM_MP_STATE_INIT_RECEIVED	2
#define KVM_MP_STATE_HALTED		3
#define KVM_MP_STATE_SIPI_RECEIVED	4
#define KVM_MP_STATE_STOPPED		5
#define KVM_MP_STATE_CHECK_STOP		6
#define KVM_MP_STATE_OPERATING		7
#define KVM_MP_STATE_LOAD		8
#define KVM_MP_STATE_AP_RESET_HOLD	9
#define KVM_MP_STATE_SUSPENDED		10

struct kvm_mp_state {
	__u32 mp_state;
};

/* --- 9.10 s390 interrupts --- */
struct kvm_s390_psw {
	__u64 mask;
	__u64 addr;
};

/* kvm_s390_interrupt.type; values below 0xfffe0000 are I/O interrupts */
#define KVM_S390_SIGP_STOP		0xfffe0000u
#define KVM_S390_PROGRAM_INT		0xfffe0001u
#define KVM_S390_SIGP_SET_PREFIX	0xfffe0002u
#define KVM_S390_RESTART		0xfffe0003u
#define KVM_S390_INT_PFAULT_INIT	0xfffe0004u
#define KVM_S390_INT_PFAULT_DONE	0xfffe0005u
#define KVM_S390_MCHK			0xfffe1000u
#define KVM_S390_INT_CLOCK_COMP		0xffff1004u
#define KVM_S390_INT_CPU_TIMER		0xffff1005u
#define KVM_S390_INT_VIRTIO		0xffff2603u
#define KVM_S390_INT_SERVICE		0xffff2401u
#define KVM_S390_INT_EMERGENCY		0xffff1201u
#define KVM_S390_INT_EXTERNAL_CALL	0xffff1202u
#define KVM_S390_INT_IO(ai, cssid, ssid, schid) \
	(((schid)) | ((ssid) << 16) | ((cssid) << 18) | ((ai) << 26))
#define KVM_S390_INT_IO_MIN		0x00000000u
#define KVM_S390_INT_IO_MAX		0xfffdffffu
#define KVM_S390_INT_IO_AI_MASK		0x04000000u

struct kvm_s390_interrupt {
	__u32 type;
	__u32 parm;
	__u64 parm64;
};

struct kvm_s390_io_info {
	__u16 subchannel_id;
	__u16 subchannel_nr;
	__u32 io_int_parm;
	__u32 io_int_word;
};

struct kvm_s390_ext_info {
	__u32 ext_params;
	__u32 pad;
	__u64 ext_params2;
};

#define KVM_S390_PGM_FLAGS_ILC_VALID	0x01
#define KVM_S390_PGM_FLAGS_ILC_0	0x02
#define KVM_S390_PGM_FLAGS_ILC_1	0x04
#define KVM_S390_PGM_FLAGS_ILC_MASK	0x06
#define KVM_S390_PGM_FLAGS_NO_REWIND	0x08

struct kvm_s390_pgm_info {
	__u64 trans_exc_code;
	__u64 mon_code;
	__u64 per_address;
	__u32 data_exc_code;
	__u16 code;
	__u16 mon_class_nr;
	__u8 per_code;
	__u8 per_atmid;
	__u8 exc_access_id;
	__u8 per_access_id;
	__u8 op_access_id;
	__u8 flags;		/* KVM_S390_PGM_FLAGS_* */
	__u8 pad[2];
};

struct kvm_s390_prefix_info {
	__u32 address;
};

struct kvm_s390_extcall_info {
	__u16 code;
};

struct kvm_s390_emerg_info {
	__u16 code;
};

#define KVM_S390_STOP_FLAG_STORE_STATUS	0x01

struct kvm_s390_stop_info {
	__u32 flags;
};

struct kvm_s390_mchk_info {
	__u64 cr14;
	__u64 mcic;
	__u64 failing_storage_address;
	__u32 ext_damage_code;
	__u32 pad;
	__u8 fixed_logout[16];
};

struct kvm_s390_irq {
	__u64 type;
	union {
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
		struct kvm_s390_pgm_info pgm;
		struct kvm_s390_emerg_info emerg;
		struct kvm_s390_extcall_info extcall;
		struct kvm_s390_prefix_info prefix;
		struct kvm_s390_stop_info stop;
		struct kvm_s390_mchk_info mchk;
		char reserved[64];
	} u;
};

struct kvm_s390_irq_state {
	__u64 buf;
	__u32 flags;		/* unused */
	__u32 len;
	__u32 reserved[4];	/* unused */
};

/* --- 9.11 KVM_SET_GUEST_DEBUG --- */
#define KVM_GUESTDBG_ENABLE		0x00000001
#define KVM_GUESTDBG_SINGLESTEP		0x00000002

struct kvm_guest_debug {
	__u32 control;		/* KVM_GUESTDBG_* */
	__u32 pad;
	struct kvm_guest_debug_arch arch;
};

/* --- 9.12 KVM_IOEVENTFD --- */
enum {
	kvm_ioeventfd_flag_nr_datamatch,
	kvm_ioeventfd_flag_nr_pio,
	kvm_ioeventfd_flag_nr_deassign,
	kvm_ioeventfd_flag_nr_virtio_ccw_notify,
	kvm_ioeventfd_flag_nr_fast_mmio,
	kvm_ioeventfd_flag_nr_max,
};

#define KVM_IOEVENTFD_FLAG_DATAMATCH	(1 << kvm_ioeventfd_flag_nr_datamatch)
#define KVM_IOEVENTFD_FLAG_PIO		(1 << kvm_ioeventfd_flag_nr_pio)
#define KVM_IOEVENTFD_FLAG_DEASSIGN	(1 << kvm_ioeventfd_flag_nr_deassign)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY \
	(1 << kvm_ioeventfd_flag_nr_virtio_ccw_notify)
#define KVM_IOEVENTFD_VALID_FLAG_MASK	((1 << kvm_ioeventfd_flag_nr_max) - 1)

struct kvm_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;		/* 1, 2, 4 or 8; 0 = any */
	__s32 fd;
	__u32 flags;		/* KVM_IOEVENTFD_FLAG_* */
	__u8 pad[36];
};

/* KVM_CAP_X86_DISABLE_EXITS argument */
#define KVM_X86_DISABLE_EXITS_MWAIT	(1 << 0)
#define KVM_X86_DISABLE_EXITS_HLT	(1 << 1)
#define KVM_X86_DISABLE_EXITS_PAUSE	(1 << 2)
#define KVM_X86_DISABLE_EXITS_CSTATE	(1 << 3)
#define KVM_X86_DISABLE_VALID_EXITS \
	(KVM_X86_DISABLE_EXITS_MWAIT | KVM_X86_DISABLE_EXITS_HLT | \
	 KVM_X86_DISABLE_EXITS_PAUSE | KVM_X86_DISABLE_EXITS_CSTATE)

/* --- 9.13 KVM_ENABLE_CAP --- */
struct kvm_enable_cap {
	__u32 cap;		/* KVM_CAP_* */
	__u32 flags;		/* must be 0 */
	__u64 args[4];
	__u8 pad[64];
};

/* --- 9.14 PowerPC --- */
#define KVM_PPC_PVINFO_FLAGS_EV_IDLE	(1 << 0)

struct kvm_ppc_pvinfo {
	__u32 flags;
	__u32 hcall[4];
	__u8 pad[108];
};

#define KVM_PPC_PAGE_SIZES_MAX_SZ	8

struct kvm_ppc_one_page_size {
	__u32 page_shift;
	__u32 pte_enc;
};

struct kvm_ppc_one_seg_page_size {
	__u32 page_shift;
	__u32 slb_enc;
	struct kvm_ppc_one_page_size enc[KVM_PPC_PAGE_SIZES_MAX_SZ];
};

#define KVM_PPC_PAGE_SIZES_REAL		0x00000001
#define KVM_PPC_1T_SEGMENTS		0x00000002
#define KVM_PPC_NO_HASH			0x00000004

struct kvm_ppc_smmu_info {
	__u64 flags;
	__u32 slb_size;
	__u16 data_keys;
	__u16 instr_keys;
	struct kvm_ppc_one_seg_page_size sps[KVM_PPC_PAGE_SIZES_MAX_SZ];
};

struct kvm_ppc_resize_hpt {
	__u64 flags;
	__u32 shift;
	__u32 pad;
};

/* --- 9.15 KVM_CREATE_VM machine type --- */
#define KVM_VM_S390_UCONTROL		1
#define KVM_VM_PPC_HV			1
#define KVM_VM_PPC_PR			2
#define KVM_VM_MIPS_AUTO		0
#define KVM_VM_MIPS_VZ			1
#define KVM_VM_MIPS_TE			2
#define KVM_S390_SIE_PAGE_OFFSET	1
/* arm64: type[7:0] = IPA size in bits, 0 = the default 40 bits */
#define KVM_VM_TYPE_ARM_IPA_SIZE_MASK	0xffULL
#define KVM_VM_TYPE_ARM_IPA_SIZE(x)	((x) & KVM_VM_TYPE_ARM_IPA_SIZE_MASK)

/* --- 9.16 ioctls on the system fd (/dev/kvm) --- */
#define KVM_GET_API_VERSION		_IO(KVMIO, 0x00)
#define KVM_CREATE_VM			_IO(KVMIO, 0x01)	/* returns a VM fd */
#define KVM_GET_MSR_INDEX_LIST		_IOWR(KVMIO, 0x02, struct kvm_msr_list)
#define KVM_CHECK_EXTENSION		_IO(KVMIO, 0x03)	/* also on VM fds */
#define KVM_GET_VCPU_MMAP_SIZE		_IO(KVMIO, 0x04)
#define KVM_GET_SUPPORTED_CPUID		_IOWR(KVMIO, 0x05, struct kvm_cpuid2)
#define KVM_S390_ENABLE_SIE		_IO(KVMIO, 0x06)
#define KVM_TRACE_ENABLE		__KVM_DEPRECATED_MAIN_W_0x06
#define KVM_TRACE_PAUSE			__KVM_DEPRECATED_MAIN_0x07
#define KVM_TRACE_DISABLE		__KVM_DEPRECATED_MAIN_0x08
#define KVM_GET_EMULATED_CPUID		_IOWR(KVMIO, 0x09, struct kvm_cpuid2)
#define KVM_GET_MSR_FEATURE_INDEX_LIST	_IOWR(KVMIO, 0x0a, struct kvm_msr_list)

/* --- 9.17 KVM_CHECK_EXTENSION capability numbers (Linux 6.1: 0..223) ---
 * Numbers Linux reserves for arches with PIT, MCE, Xen HVM, debug registers,
 * XSAVE or XCRs (24, 31, 33, 35, 38, 50, 55, 56) are not defined on arm64.
 */
#define KVM_CAP_IRQCHIP				0
#define KVM_CAP_HLT				1
#define KVM_CAP_MMU_SHADOW_CACHE_CONTROL	2
#define KVM_CAP_USER_MEMORY			3
#define KVM_CAP_SET_TSS_ADDR			4
#define KVM_CAP_VAPIC				6
#define KVM_CAP_EXT_CPUID			7
#define KVM_CAP_CLOCKSOURCE			8
#define KVM_CAP_NR_VCPUS			9	/* recommended vCPUs per VM */
#define KVM_CAP_NR_MEMSLOTS			10
#define KVM_CAP_PIT				11
#define KVM_CAP_NOP_IO_DELAY			12
#define KVM_CAP_PV_MMU				13
#define KVM_CAP_MP_STATE			14
#define KVM_CAP_COALESCED_MMIO			15
#define KVM_CAP_SYNC_MMU			16
#define KVM_CAP_IOMMU				18
#define KVM_CAP_DESTROY_MEMORY_REGION_WORKS	21
#define KVM_CAP_USER_NMI			22
#define KVM_CAP_SET_GUEST_DEBUG			23
#define KVM_CAP_IRQ_ROUTING			25
#define KVM_CAP_IRQ_INJECT_STATUS		26
#define KVM_CAP_ASSIGN_DEV_IRQ			29
#define KVM_CAP_JOIN_MEMORY_REGIONS_WORKS	30
#define KVM_CAP_IRQFD				32
#define KVM_CAP_SET_BOOT_CPU_ID			34
#define KVM_CAP_IOEVENTFD			36
#define KVM_CAP_SET_IDENTITY_MAP_ADDR		37
#define KVM_CAP_ADJUST_CLOCK			39
#define KVM_CAP_INTERNAL_ERROR_DATA		40
#define KVM_CAP_VCPU_EVENTS			41
#define KVM_CAP_S390_PSW			42
#define KVM_CAP_PPC_SEGSTATE			43
#define KVM_CAP_HYPERV				44
#define KVM_CAP_HYPERV_VAPIC			45
#define KVM_CAP_HYPERV_SPIN			46
#define KVM_CAP_PCI_SEGMENT			47
#define KVM_CAP_PPC_PAIRED_SINGLES		48
#define KVM_CAP_INTR_SHADOW			49
#define KVM_CAP_X86_ROBUST_SINGLESTEP		51
#define KVM_CAP_PPC_OSI				52
#define KVM_CAP_PPC_UNSET_IRQ			53
#define KVM_CAP_ENABLE_CAP			54
#define KVM_CAP_PPC_GET_PVINFO			57
#define KVM_CAP_PPC_IRQ_LEVEL			58
#define KVM_CAP_ASYNC_PF			59
#define KVM_CAP_TSC_CONTROL			60
#define KVM_CAP_GET_TSC_KHZ			61
#define KVM_CAP_PPC_BOOKE_SREGS			62
#define KVM_CAP_SPAPR_TCE			63
#define KVM_CAP_PPC_SMT				64
#define KVM_CAP_PPC_RMA				65
#define KVM_CAP_MAX_VCPUS			66	/* maximum vCPUs per VM */
#define KVM_CAP_PPC_HIOR			67
#define KVM_CAP_PPC_PAPR			68
#define KVM_CAP_SW_TLB				69
#define KVM_CAP_ONE_REG				70
#define KVM_CAP_S390_GMAP			71
#define KVM_CAP_TSC_DEADLINE_TIMER		72
#define KVM_CAP_S390_UCONTROL			73
#define KVM_CAP_SYNC_REGS			74
#define KVM_CAP_PCI_2_3				75
#define KVM_CAP_KVMCLOCK_CTRL			76
#define KVM_CAP_SIGNAL_MSI			77
#define KVM_CAP_PPC_GET_SMMU_INFO		78
#define KVM_CAP_S390_COW			79
#define KVM_CAP_PPC_ALLOC_HTAB			80
#define KVM_CAP_READONLY_MEM			81
#define KVM_CAP_IRQFD_RESAMPLE			82
#define KVM_CAP_PPC_BOOKE_WATCHDOG		83
#define KVM_CAP_PPC_HTAB_FD			84
#define KVM_CAP_S390_CSS_SUPPORT		85
#define KVM_CAP_PPC_EPR				86
#define KVM_CAP_ARM_PSCI			87
#define KVM_CAP_ARM_SET_DEVICE_ADDR		88
#define KVM_CAP_DEVICE_CTRL			89
#define KVM_CAP_IRQ_MPIC			90
#define KVM_CAP_PPC_RTAS			91
#define KVM_CAP_IRQ_XICS			92
#define KVM_CAP_ARM_EL1_32BIT			93
#define KVM_CAP_SPAPR_MULTITCE			94
#define KVM_CAP_EXT_EMUL_CPUID			95
#define KVM_CAP_HYPERV_TIME			96
#define KVM_CAP_IOAPIC_POLARITY_IGNORED		97
#define KVM_CAP_ENABLE_CAP_VM			98
#define KVM_CAP_S390_IRQCHIP			99
#define KVM_CAP_IOEVENTFD_NO_LENGTH		100
#define KVM_CAP_VM_ATTRIBUTES			101
#define KVM_CAP_ARM_PSCI_0_2			102
#define KVM_CAP_PPC_FIXUP_HCALL			103
#define KVM_CAP_PPC_ENABLE_HCALL		104
#define KVM_CAP_CHECK_EXTENSION_VM		105
#define KVM_CAP_S390_USER_SIGP			106
#define KVM_CAP_S390_VECTOR_REGISTERS		107
#define KVM_CAP_S390_MEM_OP			108
#define KVM_CAP_S390_USER_STSI			109
#define KVM_CAP_S390_SKEYS			110
#define KVM_CAP_MIPS_FPU			111
#define KVM_CAP_MIPS_MSA			112
#define KVM_CAP_S390_INJECT_IRQ			113
#define KVM_CAP_S390_IRQ_STATE			114
#define KVM_CAP_PPC_HWRNG			115
#define KVM_CAP_DISABLE_QUIRKS			116
#define KVM_CAP_X86_SMM				117
#define KVM_CAP_MULTI_ADDRESS_SPACE		118
#define KVM_CAP_GUEST_DEBUG_HW_BPS		119
#define KVM_CAP_GUEST_DEBUG_HW_WPS		120
#define KVM_CAP_SPLIT_IRQCHIP			121
#define KVM_CAP_IOEVENTFD_ANY_LENGTH		122
#define KVM_CAP_HYPERV_SYNIC			123
#define KVM_CAP_S390_RI				124
#define KVM_CAP_SPAPR_TCE_64			125
#define KVM_CAP_ARM_PMU_V3			126
#define KVM_CAP_VCPU_ATTRIBUTES			127
#define KVM_CAP_MAX_VCPU_ID			128
#define KVM_CAP_X2APIC_API			129
#define KVM_CAP_S390_USER_INSTR0		130
#define KVM_CAP_MSI_DEVID			131
#define KVM_CAP_PPC_HTM				132
#define KVM_CAP_SPAPR_RESIZE_HPT		133
#define KVM_CAP_PPC_MMU_RADIX			134
#define KVM_CAP_PPC_MMU_HASH_V3			135
#define KVM_CAP_IMMEDIATE_EXIT			136
#define KVM_CAP_MIPS_VZ				137
#define KVM_CAP_MIPS_TE				138
#define KVM_CAP_MIPS_64BIT			139
#define KVM_CAP_S390_GS				140
#define KVM_CAP_S390_AIS			141
#define KVM_CAP_SPAPR_TCE_VFIO			142
#define KVM_CAP_X86_DISABLE_EXITS		143
#define KVM_CAP_ARM_USER_IRQ			144
#define KVM_CAP_S390_CMMA_MIGRATION		145
#define KVM_CAP_PPC_FWNMI			146
#define KVM_CAP_PPC_SMT_POSSIBLE		147
#define KVM_CAP_HYPERV_SYNIC2			148
#define KVM_CAP_HYPERV_VP_INDEX			149
#define KVM_CAP_S390_AIS_MIGRATION		150
#define KVM_CAP_PPC_GET_CPU_CHAR		151
#define KVM_CAP_S390_BPB			152
#define KVM_CAP_GET_MSR_FEATURES		153
#define KVM_CAP_HYPERV_EVENTFD			154
#define KVM_CAP_HYPERV_TLBFLUSH			155
#define KVM_CAP_S390_HPAGE_1M			156
#define KVM_CAP_NESTED_STATE			157
#define KVM_CAP_ARM_INJECT_SERROR_ESR		158
#define KVM_CAP_MSR_PLATFORM_INFO		159
#define KVM_CAP_PPC_NESTED_HV			160
#define KVM_CAP_HYPERV_SEND_IPI			161
#define KVM_CAP_COALESCED_PIO			162
#define KVM_CAP_HYPERV_ENLIGHTENED_VMCS		163
#define KVM_CAP_EXCEPTION_PAYLOAD		164
#define KVM_CAP_ARM_VM_IPA_SIZE			165
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT	166	/* obsolete */
#define KVM_CAP_HYPERV_CPUID			167
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2	168
#define KVM_CAP_PPC_IRQ_XIVE			169
#define KVM_CAP_ARM_SVE				170
#define KVM_CAP_ARM_PTRAUTH_ADDRESS		171
#define KVM_CAP_ARM_PTRAUTH_GENERIC		172
#define KVM_CAP_PMU_EVENT_FILTER		173
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2		174
#define KVM_CAP_HYPERV_DIRECT_TLBFLUSH		175
#define KVM_CAP_PPC_GUEST_DEBUG_SSTEP		176
#define KVM_CAP_ARM_NISV_TO_USER		177
#define KVM_CAP_ARM_INJECT_EXT_DABT		178
#define KVM_CAP_S390_VCPU_RESETS		179
#define KVM_CAP_S390_PROTECTED			180
#define KVM_CAP_PPC_SECURE_GUEST		181
#define KVM_CAP_HALT_POLL			182
#define KVM_CAP_ASYNC_PF_INT			183
#define KVM_CAP_LAST_CPU			184
#define KVM_CAP_SMALLER_MAXPHYADDR		185
#define KVM_CAP_S390_DIAG318			186
#define KVM_CAP_STEAL_TIME			187
#define KVM_CAP_X86_USER_SPACE_MSR		188
#define KVM_CAP_X86_MSR_FILTER			189
#define KVM_CAP_ENFORCE_PV_FEATURE_CPUID	190
#define KVM_CAP_SYS_HYPERV_CPUID		191
#define KVM_CAP_DIRTY_LOG_RING			192
#define KVM_CAP_X86_BUS_LOCK_EXIT		193
#define KVM_CAP_PPC_DAWR1			194
#define KVM_CAP_SET_GUEST_DEBUG2		195
#define KVM_CAP_SGX_ATTRIBUTE			196
#define KVM_CAP_VM_COPY_ENC_CONTEXT_FROM	197
#define KVM_CAP_PTP_KVM				198
#define KVM_CAP_HYPERV_ENFORCE_CPUID		199
#define KVM_CAP_SREGS2				200
#define KVM_CAP_EXIT_HYPERCALL			201
#define KVM_CAP_PPC_RPT_INVALIDATE		202
#define KVM_CAP_BINARY_STATS_FD			203
#define KVM_CAP_EXIT_ON_EMULATION_FAILURE	204
#define KVM_CAP_ARM_MTE				205
#define KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM	206
#define KVM_CAP_VM_GPA_BITS			207
#define KVM_CAP_XSAVE2				208
#define KVM_CAP_SYS_ATTRIBUTES			209
#define KVM_CAP_PPC_AIL_MODE_3			210
#define KVM_CAP_S390_MEM_OP_EXTENSION		211
#define KVM_CAP_PMU_CAPABILITY			212
#define KVM_CAP_DISABLE_QUIRKS2			213
#define KVM_CAP_VM_TSC_CONTROL			214
#define KVM_CAP_SYSTEM_EVENT_DATA		215
#define KVM_CAP_ARM_SYSTEM_SUSPEND		216
#define KVM_CAP_S390_PROTECTED_DUMP		217
#define KVM_CAP_X86_TRIPLE_FAULT_EVENT		218
#define KVM_CAP_X86_NOTIFY_VMEXIT		219
#define KVM_CAP_VM_DISABLE_NX_HUGE_PAGES	220
#define KVM_CAP_S390_ZPCI_OP			221
#define KVM_CAP_S390_CPU_TOPOLOGY		222
#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL		223	/* last one in 6.1 */

/* --- 9.18 KVM_SET_GSI_ROUTING --- */
struct kvm_irq_routing_irqchip {
	__u32 irqchip;
	__u32 pin;
};

struct kvm_irq_routing_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	union {
		__u32 pad;
		__u32 devid;	/* with KVM_MSI_VALID_DEVID */
	};
};

struct kvm_irq_routing_s390_adapter {
	__u64 ind_addr;
	__u64 summary_addr;
	__u64 ind_offset;
	__u32 summary_offset;
	__u32 adapter_id;
};

struct kvm_irq_routing_hv_sint {
	__u32 vcpu;
	__u32 sint;
};

struct kvm_irq_routing_xen_evtchn {
	__u32 port;
	__u32 vcpu;
	__u32 priority;
};

#define KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL	((__u32)(-1))

/* kvm_irq_routing_entry.type */
#define KVM_IRQ_ROUTING_IRQCHIP		1
#define KVM_IRQ_ROUTING_MSI		2
#define KVM_IRQ_ROUTING_S390_ADAPTER	3
#define KVM_IRQ_ROUTING_HV_SINT		4
#define KVM_IRQ_ROUTING_XEN_EVTCHN	5

struct kvm_irq_routing_entry {
	__u32 gsi;
	__u32 type;
	__u32 flags;
	__u32 pad;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
		struct kvm_irq_routing_hv_sint hv_sint;
		struct kvm_irq_routing_xen_evtchn xen_evtchn;
		__u32 pad[8];
	} u;
};

struct kvm_irq_routing {
	__u32 nr;
	__u32 flags;
	struct kvm_irq_routing_entry entries[];
};

/* --- 9.19 KVM_IRQFD --- */
#define KVM_IRQFD_FLAG_DEASSIGN		(1 << 0)
#define KVM_IRQFD_FLAG_RESAMPLE		(1 << 1)	/* resamplefd is valid */

struct kvm_irqfd {
	__u32 fd;
	__u32 gsi;
	__u32 flags;
	__u32 resamplefd;
	__u8 pad[16];
};

/* --- 9.20 KVM_GET/SET_CLOCK (KVM_CAP_ADJUST_CLOCK) --- */
/* flag value 1 is skipped: CHECK_EXTENSION returned 1 before flags existed */
#define KVM_CLOCK_TSC_STABLE		2
#define KVM_CLOCK_REALTIME		(1 << 2)
#define KVM_CLOCK_HOST_TSC		(1 << 3)

struct kvm_clock_data {
	__u64 clock;
	__u32 flags;
	__u32 pad0;
	__u64 realtime;
	__u64 host_tsc;
	__u32 pad[4];
};

/* --- 9.21 KVM_CAP_SW_TLB (PowerPC) --- */
#define KVM_MMU_FSL_BOOKE_NOHV		0
#define KVM_MMU_FSL_BOOKE_HV		1

struct kvm_config_tlb {
	__u64 params;
	__u64 array;
	__u32 mmu_type;
	__u32 array_len;
};

struct kvm_dirty_tlb {
	__u64 bitmap;
	__u32 num_dirty;
};

/* --- 9.22 ONE_REG id layout (KVM_CAP_ONE_REG), all architectures ---
 *   id[63:56] architecture, id[55:52] log2(size in bytes), rest per arch.
 */
#define KVM_REG_ARCH_MASK	0xff00000000000000ULL
#define KVM_REG_GENERIC		0x0000000000000000ULL
#define KVM_REG_PPC		0x1000000000000000ULL
#define KVM_REG_X86		0x2000000000000000ULL
#define KVM_REG_IA64		0x3000000000000000ULL
#define KVM_REG_ARM		0x4000000000000000ULL
#define KVM_REG_S390		0x5000000000000000ULL
#define KVM_REG_ARM64		0x6000000000000000ULL
#define KVM_REG_MIPS		0x7000000000000000ULL
#define KVM_REG_RISCV		0x8000000000000000ULL

#define KVM_REG_SIZE_SHIFT	52
#define KVM_REG_SIZE_MASK	0x00f0000000000000ULL
#define KVM_REG_SIZE_U8		0x0000000000000000ULL
#define KVM_REG_SIZE_U16	0x0010000000000000ULL
#define KVM_REG_SIZE_U32	0x0020000000000000ULL
#define KVM_REG_SIZE_U64	0x0030000000000000ULL
#define KVM_REG_SIZE_U128	0x0040000000000000ULL
#define KVM_REG_SIZE_U256	0x0050000000000000ULL
#define KVM_REG_SIZE_U512	0x0060000000000000ULL
#define KVM_REG_SIZE_U1024	0x0070000000000000ULL
#define KVM_REG_SIZE_U2048	0x0080000000000000ULL

/* KVM_GET_REG_LIST: in n = capacity of reg[]; out n = number of ids */
struct kvm_reg_list {
	__u64 n;
	__u64 reg[];
};

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG: addr points at KVM_REG_SIZE(id) bytes */
struct kvm_one_reg {
	__u64 id;
	__u64 addr;
};

/* --- 9.23 KVM_SIGNAL_MSI --- */
#define KVM_MSI_VALID_DEVID	(1U << 0)

struct kvm_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	__u32 flags;
	__u32 devid;
	__u8 pad[12];
};

/* KVM_ARM_SET_DEVICE_ADDR (id layout: section 8.3) */
struct kvm_arm_device_addr {
	__u64 id;
	__u64 addr;
};

/* --- 9.24 Device control API (KVM_CAP_DEVICE_CTRL) --- */
#define KVM_CREATE_DEVICE_TEST	1	/* probe only, create nothing */

struct kvm_create_device {
	__u32 type;		/* in: KVM_DEV_TYPE_* */
	__u32 fd;		/* out */
	__u32 flags;		/* in: KVM_CREATE_DEVICE_* */
};

/* KVM_SET/GET/HAS_DEVICE_ATTR on device, VM and vCPU fds */
struct kvm_device_attr {
	__u32 flags;		/* must be 0 */
	__u32 group;
	__u64 attr;
	__u64 addr;		/* user address of the value */
};

/* VFIO pseudo-device groups/attrs */
#define KVM_DEV_VFIO_GROUP			1
#define KVM_DEV_VFIO_GROUP_ADD			1
#define KVM_DEV_VFIO_GROUP_DEL			2
#define KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE	3

/* each enumerator is also a macro of the same name, so #ifdef works */
enum kvm_device_type {
	KVM_DEV_TYPE_FSL_MPIC_20 = 1,
#define KVM_DEV_TYPE_FSL_MPIC_20	KVM_DEV_TYPE_FSL_MPIC_20
	KVM_DEV_TYPE_FSL_MPIC_42,
#define KVM_DEV_TYPE_FSL_MPIC_42	KVM_DEV_TYPE_FSL_MPIC_42
	KVM_DEV_TYPE_XICS,
#define KVM_DEV_TYPE_XICS		KVM_DEV_TYPE_XICS
	KVM_DEV_TYPE_VFIO,
#define KVM_DEV_TYPE_VFIO		KVM_DEV_TYPE_VFIO
	KVM_DEV_TYPE_ARM_VGIC_V2,
#define KVM_DEV_TYPE_ARM_VGIC_V2	KVM_DEV_TYPE_ARM_VGIC_V2
	KVM_DEV_TYPE_FLIC,
#define KVM_DEV_TYPE_FLIC		KVM_DEV_TYPE_FLIC
	KVM_DEV_TYPE_ARM_VGIC_V3,
#define KVM_DEV_TYPE_ARM_VGIC_V3	KVM_DEV_TYPE_ARM_VGIC_V3
	KVM_DEV_TYPE_ARM_VGIC_ITS,
#define KVM_DEV_TYPE_ARM_VGIC_ITS	KVM_DEV_TYPE_ARM_VGIC_ITS
	KVM_DEV_TYPE_XIVE,
#define KVM_DEV_TYPE_XIVE		KVM_DEV_TYPE_XIVE
	KVM_DEV_TYPE_ARM_PV_TIME,
#define KVM_DEV_TYPE_ARM_PV_TIME	KVM_DEV_TYPE_ARM_PV_TIME
	KVM_DEV_TYPE_MAX,
};

struct kvm_vfio_spapr_tce {
	__s32 groupfd;
	__s32 tablefd;
};

/* s390 user-controlled VMs */
struct kvm_s390_ucas_mapping {
	__u64 user_addr;
	__u64 vcpu_addr;
	__u64 length;
};

/* --- 9.25 ioctls on a VM fd --- */
#define KVM_SET_MEMORY_REGION		_IOW(KVMIO, 0x40, struct kvm_memory_region)
#define KVM_CREATE_VCPU			_IO(KVMIO, 0x41)	/* arg: vcpu id; returns a vCPU fd */
#define KVM_GET_DIRTY_LOG		_IOW(KVMIO, 0x42, struct kvm_dirty_log)
#define KVM_SET_MEMORY_ALIAS		_IOW(KVMIO, 0x43, struct kvm_memory_alias)	/* obsolete */
#define KVM_SET_NR_MMU_PAGES		_IO(KVMIO, 0x44)
#define KVM_GET_NR_MMU_PAGES		_IO(KVMIO, 0x45)
#define KVM_SET_USER_MEMORY_REGION	_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)
#define KVM_SET_TSS_ADDR		_IO(KVMIO, 0x47)
#define KVM_SET_IDENTITY_MAP_ADDR	_IOW(KVMIO, 0x48, __u64)
#define KVM_S390_UCAS_MAP		_IOW(KVMIO, 0x50, struct kvm_s390_ucas_mapping)
#define KVM_S390_UCAS_UNMAP		_IOW(KVMIO, 0x51, struct kvm_s390_ucas_mapping)
#define KVM_S390_VCPU_FAULT		_IOW(KVMIO, 0x52, unsigned long)
/* interrupt controllers and timers */
#define KVM_CREATE_IRQCHIP		_IO(KVMIO, 0x60)
#define KVM_IRQ_LINE			_IOW(KVMIO, 0x61, struct kvm_irq_level)
#define KVM_GET_IRQCHIP			_IOWR(KVMIO, 0x62, struct kvm_irqchip)
#define KVM_SET_IRQCHIP			_IOR(KVMIO, 0x63, struct kvm_irqchip)
#define KVM_CREATE_PIT			_IO(KVMIO, 0x64)
#define KVM_GET_PIT			_IOWR(KVMIO, 0x65, struct kvm_pit_state)
#define KVM_SET_PIT			_IOR(KVMIO, 0x66, struct kvm_pit_state)
#define KVM_IRQ_LINE_STATUS		_IOWR(KVMIO, 0x67, struct kvm_irq_level)
#define KVM_REGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x67, struct kvm_coalesced_mmio_zone)
#define KVM_UNREGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x68, struct kvm_coalesced_mmio_zone)
#define KVM_ASSIGN_PCI_DEVICE		_IOR(KVMIO, 0x69, struct kvm_assigned_pci_dev)
#define KVM_SET_GSI_ROUTING		_IOW(KVMIO, 0x6a, struct kvm_irq_routing)
#define KVM_ASSIGN_IRQ			__KVM_DEPRECATED_VM_R_0x70	/* use KVM_ASSIGN_DEV_IRQ */
#define KVM_ASSIGN_DEV_IRQ		_IOW(KVMIO, 0x70, struct kvm_assigned_irq)
#define KVM_REINJECT_CONTROL		_IO(KVMIO, 0x71)
#define KVM_DEASSIGN_PCI_DEVICE		_IOW(KVMIO, 0x72, struct kvm_assigned_pci_dev)
#define KVM_ASSIGN_SET_MSIX_NR		_IOW(KVMIO, 0x73, struct kvm_assigned_msix_nr)
#define KVM_ASSIGN_SET_MSIX_ENTRY	_IOW(KVMIO, 0x74, struct kvm_assigned_msix_entry)
#define KVM_DEASSIGN_DEV_IRQ		_IOW(KVMIO, 0x75, struct kvm_assigned_irq)
#define KVM_IRQFD			_IOW(KVMIO, 0x76, struct kvm_irqfd)
#define KVM_CREATE_PIT2			_IOW(KVMIO, 0x77, struct kvm_pit_config)
#define KVM_SET_BOOT_CPU_ID		_IO(KVMIO, 0x78)
#define KVM_IOEVENTFD			_IOW(KVMIO, 0x79, struct kvm_ioeventfd)
#define KVM_XEN_HVM_CONFIG		_IOW(KVMIO, 0x7a, struct kvm_xen_hvm_config)
#define KVM_SET_CLOCK			_IOW(KVMIO, 0x7b, struct kvm_clock_data)
#define KVM_GET_CLOCK			_IOR(KVMIO, 0x7c, struct kvm_clock_data)
#define KVM_GET_PIT2			_IOR(KVMIO, 0x9f, struct kvm_pit_state2)
#define KVM_SET_PIT2			_IOW(KVMIO, 0xa0, struct kvm_pit_state2)
#define KVM_PPC_GET_PVINFO		_IOW(KVMIO, 0xa1, struct kvm_ppc_pvinfo)
#define KVM_SET_TSC_KHZ			_IO(KVMIO, 0xa2)	/* vCPU, or VM with KVM_CAP_VM_TSC_CONTROL */
#define KVM_GET_TSC_KHZ			_IO(KVMIO, 0xa3)
#define KVM_ASSIGN_SET_INTX_MASK	_IOW(KVMIO, 0xa4, struct kvm_assigned_pci_dev)
#define KVM_SIGNAL_MSI			_IOW(KVMIO, 0xa5, struct kvm_msi)
#define KVM_PPC_GET_SMMU_INFO		_IOR(KVMIO, 0xa6, struct kvm_ppc_smmu_info)
#define KVM_PPC_ALLOCATE_HTAB		_IOWR(KVMIO, 0xa7, __u32)
#define KVM_CREATE_SPAPR_TCE		_IOW(KVMIO, 0xa8, struct kvm_create_spapr_tce)
#define KVM_CREATE_SPAPR_TCE_64		_IOW(KVMIO, 0xa8, struct kvm_create_spapr_tce_64)
#define KVM_ALLOCATE_RMA		_IOR(KVMIO, 0xa9, struct kvm_allocate_rma)
#define KVM_PPC_GET_HTAB_FD		_IOW(KVMIO, 0xaa, struct kvm_get_htab_fd)
/* same number as KVM_GET_ONE_REG: they live on different fds */
#define KVM_ARM_SET_DEVICE_ADDR		_IOW(KVMIO, 0xab, struct kvm_arm_device_addr)
#define KVM_PPC_RTAS_DEFINE_TOKEN	_IOW(KVMIO, 0xac, struct kvm_rtas_token_args)
#define KVM_PPC_RESIZE_HPT_PREPARE	_IOR(KVMIO, 0xad, struct kvm_ppc_resize_hpt)
#define KVM_PPC_RESIZE_HPT_COMMIT	_IOR(KVMIO, 0xae, struct kvm_ppc_resize_hpt)
#define KVM_PPC_CONFIGURE_V3_MMU	_IOW(KVMIO, 0xaf, struct kvm_ppc_mmuv3_cfg)
#define KVM_PPC_GET_RMMU_INFO		_IOW(KVMIO, 0xb0, struct kvm_ppc_rmmu_info)
#define KVM_PPC_GET_CPU_CHAR		_IOR(KVMIO, 0xb1, struct kvm_ppc_cpu_char)
#define KVM_SET_PMU_EVENT_FILTER	_IOW(KVMIO, 0xb2, struct kvm_pmu_event_filter)
#define KVM_PPC_SVM_OFF			_IO(KVMIO, 0xb3)
#define KVM_ARM_MTE_COPY_TAGS		_IOR(KVMIO, 0xb4, struct kvm_arm_copy_mte_tags)
#define KVM_CREATE_DEVICE		_IOWR(KVMIO, 0xe0, struct kvm_create_device)

/* --- 9.26 ioctls on a device fd (also VM and vCPU fds) --- */
#define KVM_SET_DEVICE_ATTR		_IOW(KVMIO, 0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR		_IOW(KVMIO, 0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR		_IOW(KVMIO, 0xe3, struct kvm_device_attr)

/* --- 9.27 ioctls on a vCPU fd --- */
#define KVM_RUN				_IO(KVMIO, 0x80)
#define KVM_GET_REGS			_IOR(KVMIO, 0x81, struct kvm_regs)
#define KVM_SET_REGS			_IOW(KVMIO, 0x82, struct kvm_regs)
#define KVM_GET_SREGS			_IOR(KVMIO, 0x83, struct kvm_sregs)
#define KVM_SET_SREGS			_IOW(KVMIO, 0x84, struct kvm_sregs)
#define KVM_TRANSLATE			_IOWR(KVMIO, 0x85, struct kvm_translation)
#define KVM_INTERRUPT			_IOW(KVMIO, 0x86, struct kvm_interrupt)
#define KVM_DEBUG_GUEST			__KVM_DEPRECATED_VCPU_W_0x87	/* use KVM_SET_GUEST_DEBUG */
#define KVM_GET_MSRS			_IOWR(KVMIO, 0x88, struct kvm_msrs)
#define KVM_SET_MSRS			_IOW(KVMIO, 0x89, struct kvm_msrs)
#define KVM_SET_CPUID			_IOW(KVMIO, 0x8a, struct kvm_cpuid)
#define KVM_SET_SIGNAL_MASK		_IOW(KVMIO, 0x8b, struct kvm_signal_mask)
#define KVM_GET_FPU			_IOR(KVMIO, 0x8c, struct kvm_fpu)
#define KVM_SET_FPU			_IOW(KVMIO, 0x8d, struct kvm_fpu)
#define KVM_GET_LAPIC			_IOR(KVMIO, 0x8e, struct kvm_lapic_state)
#define KVM_SET_LAPIC			_IOW(KVMIO, 0x8f, struct kvm_lapic_state)
#define KVM_SET_CPUID2			_IOW(KVMIO, 0x90, struct kvm_cpuid2)
#define KVM_GET_CPUID2			_IOWR(KVMIO, 0x91, struct kvm_cpuid2)
#define KVM_TPR_ACCESS_REPORTING	_IOWR(KVMIO, 0x92, struct kvm_tpr_access_ctl)
#define KVM_SET_VAPIC_ADDR		_IOW(KVMIO, 0x93, struct kvm_vapic_addr)
#define KVM_S390_INTERRUPT		_IOW(KVMIO, 0x94, struct kvm_s390_interrupt)	/* VM or vCPU */
#define KVM_S390_STORE_STATUS_NOADDR	(-1ul)
#define KVM_S390_STORE_STATUS_PREFIXED	(-2ul)
#define KVM_S390_STORE_STATUS		_IOW(KVMIO, 0x95, unsigned long)
#define KVM_S390_SET_INITIAL_PSW	_IOW(KVMIO, 0x96, struct kvm_s390_psw)
#define KVM_S390_INITIAL_RESET		_IO(KVMIO, 0x97)
#define KVM_GET_MP_STATE		_IOR(KVMIO, 0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE		_IOW(KVMIO, 0x99, struct kvm_mp_state)
#define KVM_NMI				_IO(KVMIO, 0x9a)
#define KVM_SET_GUEST_DEBUG		_IOW(KVMIO, 0x9b, struct kvm_guest_debug)
#define KVM_X86_SETUP_MCE		_IOW(KVMIO, 0x9c, __u64)
#define KVM_X86_GET_MCE_CAP_SUPPORTED	_IOR(KVMIO, 0x9d, __u64)
#define KVM_X86_SET_MCE			_IOW(KVMIO, 0x9e, struct kvm_x86_mce)
#define KVM_GET_VCPU_EVENTS		_IOR(KVMIO, 0x9f, struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS		_IOW(KVMIO, 0xa0, struct kvm_vcpu_events)
#define KVM_GET_DEBUGREGS		_IOR(KVMIO, 0xa1, struct kvm_debugregs)
#define KVM_SET_DEBUGREGS		_IOW(KVMIO, 0xa2, struct kvm_debugregs)
#define KVM_ENABLE_CAP			_IOW(KVMIO, 0xa3, struct kvm_enable_cap)	/* vCPU, VM */
#define KVM_GET_XSAVE			_IOR(KVMIO, 0xa4, struct kvm_xsave)
#define KVM_SET_XSAVE			_IOW(KVMIO, 0xa5, struct kvm_xsave)
#define KVM_GET_XCRS			_IOR(KVMIO, 0xa6, struct kvm_xcrs)
#define KVM_SET_XCRS			_IOW(KVMIO, 0xa7, struct kvm_xcrs)
#define KVM_DIRTY_TLB			_IOW(KVMIO, 0xaa, struct kvm_dirty_tlb)
#define KVM_GET_ONE_REG			_IOW(KVMIO, 0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG			_IOW(KVMIO, 0xac, struct kvm_one_reg)
#define KVM_KVMCLOCK_CTRL		_IO(KVMIO, 0xad)
#define KVM_ARM_VCPU_INIT		_IOW(KVMIO, 0xae, struct kvm_vcpu_init)
#define KVM_ARM_PREFERRED_TARGET	_IOR(KVMIO, 0xaf, struct kvm_vcpu_init)	/* VM fd */
#define KVM_GET_REG_LIST		_IOWR(KVMIO, 0xb0, struct kvm_reg_list)
#define KVM_S390_MEM_OP			_IOW(KVMIO, 0xb1, struct kvm_s390_mem_op)
#define KVM_S390_GET_SKEYS		_IOW(KVMIO, 0xb2, struct kvm_s390_skeys)
#define KVM_S390_SET_SKEYS		_IOW(KVMIO, 0xb3, struct kvm_s390_skeys)
#define KVM_S390_IRQ			_IOW(KVMIO, 0xb4, struct kvm_s390_irq)
#define KVM_S390_SET_IRQ_STATE		_IOW(KVMIO, 0xb5, struct kvm_s390_irq_state)
#define KVM_S390_GET_IRQ_STATE		_IOW(KVMIO, 0xb6, struct kvm_s390_irq_state)
#define KVM_SMI				_IO(KVMIO, 0xb7)
#define KVM_S390_GET_CMMA_BITS		_IOWR(KVMIO, 0xb8, struct kvm_s390_cmma_log)
#define KVM_S390_SET_CMMA_BITS		_IOW(KVMIO, 0xb9, struct kvm_s390_cmma_log)
#define KVM_MEMORY_ENCRYPT_OP		_IOWR(KVMIO, 0xba, unsigned long)

struct kvm_enc_region {
	__u64 addr;
	__u64 size;
};

#define KVM_MEMORY_ENCRYPT_REG_REGION	_IOR(KVMIO, 0xbb, struct kvm_enc_region)
#define KVM_MEMORY_ENCRYPT_UNREG_REGION	_IOR(KVMIO, 0xbc, struct kvm_enc_region)
#define KVM_HYPERV_EVENTFD		_IOW(KVMIO, 0xbd, struct kvm_hyperv_eventfd)
#define KVM_GET_NESTED_STATE		_IOWR(KVMIO, 0xbe, struct kvm_nested_state)
#define KVM_SET_NESTED_STATE		_IOW(KVMIO, 0xbf, struct kvm_nested_state)
#define KVM_CLEAR_DIRTY_LOG		_IOWR(KVMIO, 0xc0, struct kvm_clear_dirty_log)
#define KVM_GET_SUPPORTED_HV_CPUID	_IOWR(KVMIO, 0xc1, struct kvm_cpuid2)
/* argument: pointer to an int holding the feature (KVM_ARM_VCPU_SVE) */
#define KVM_ARM_VCPU_FINALIZE		_IOW(KVMIO, 0xc2, int)
#define KVM_S390_NORMAL_RESET		_IO(KVMIO, 0xc3)
#define KVM_S390_CLEAR_RESET		_IO(KVMIO, 0xc4)

/* --- 9.28 s390 protected virtualisation --- */
struct kvm_s390_pv_sec_parm {
	__u64 origin;
	__u64 length;
};

struct kvm_s390_pv_unp {
	__u64 addr;
	__u64 size;
	__u64 tweak;
};

enum pv_cmd_dmp_id {
	KVM_PV_DUMP_INIT,
	KVM_PV_DUMP_CONFIG_STOR_STATE,
	KVM_PV_DUMP_COMPLETE,
	KVM_PV_DUMP_CPU,
};

struct kvm_s390_pv_dmp {
	__u64 subcmd;
	__u64 buff_addr;
	__u64 buff_len;
	__u64 gaddr;
	__u64 reserved[4];
};

enum pv_cmd_info_id {
	KVM_PV_INFO_VM,
	KVM_PV_INFO_DUMP,
};

struct kvm_s390_pv_info_dump {
	__u64 dump_cpu_buffer_len;
	__u64 dump_config_mem_buffer_per_1m;
	__u64 dump_config_finalize_len;
};

struct kvm_s390_pv_info_vm {
	__u64 inst_calls_list[4];
	__u64 max_cpus;
	__u64 max_guests;
	__u64 max_guest_addr;
	__u64 feature_indication;
};

struct kvm_s390_pv_info_header {
	__u32 id;
	__u32 len_max;
	__u32 len_written;
	__u32 reserved;
};

struct kvm_s390_pv_info {
	struct kvm_s390_pv_info_header header;
	union {
		struct kvm_s390_pv_info_dump dump;
		struct kvm_s390_pv_info_vm vm;
	};
};

enum pv_cmd_id {
	KVM_PV_ENABLE,
	KVM_PV_DISABLE,
	KVM_PV_SET_SEC_PARMS,
	KVM_PV_UNPACK,
	KVM_PV_VERIFY,
	KVM_PV_PREP_RESET,
	KVM_PV_UNSHARE_ALL,
	KVM_PV_INFO,
	KVM_PV_DUMP,
};

struct kvm_pv_cmd {
	__u32 cmd;
	__u16 rc;		/* ultravisor return code */
	__u16 rrc;		/* ultravisor reason code */
	__u64 data;
	__u32 flags;		/* must be 0 */
	__u32 reserved[3];
};

#define KVM_S390_PV_COMMAND		_IOWR(KVMIO, 0xc5, struct kvm_pv_cmd)
#define KVM_X86_SET_MSR_FILTER		_IOW(KVMIO, 0xc6, struct kvm_msr_filter)
#define KVM_RESET_DIRTY_RINGS		_IO(KVMIO, 0xc7)

/* --- 9.29 Xen emulation attributes --- */
#define KVM_XEN_HVM_GET_ATTR		_IOWR(KVMIO, 0xc8, struct kvm_xen_hvm_attr)
#define KVM_XEN_HVM_SET_ATTR		_IOW(KVMIO, 0xc9, struct kvm_xen_hvm_attr)

#define KVM_XEN_EVTCHN_DEASSIGN		(1 << 0)
#define KVM_XEN_EVTCHN_UPDATE		(1 << 1)
#define KVM_XEN_EVTCHN_RESET		(1 << 2)

struct kvm_xen_hvm_attr {
	__u16 type;		/* KVM_XEN_ATTR_TYPE_* */
	__u16 pad[3];
	union {
		__u8 long_mode;
		__u8 vector;
		struct {
			__u64 gfn;
		} shared_info;
		struct {
			__u32 send_port;
			__u32 type;
			__u32 flags;	/* KVM_XEN_EVTCHN_* */
			union {
				struct {
					__u32 port;
					__u32 vcpu;
					__u32 priority;
				} port;
				struct {
					__u32 port;
					__s32 fd;
				} eventfd;
				__u32 padding[4];
			} deliver;
		} evtchn;
		__u32 xen_version;
		__u64 pad[8];
	} u;
};

#define KVM_XEN_ATTR_TYPE_LONG_MODE		0x0
#define KVM_XEN_ATTR_TYPE_SHARED_INFO		0x1
#define KVM_XEN_ATTR_TYPE_UPCALL_VECTOR		0x2
#define KVM_XEN_ATTR_TYPE_EVTCHN		0x3
#define KVM_XEN_ATTR_TYPE_XEN_VERSION		0x4

#define KVM_XEN_VCPU_GET_ATTR		_IOWR(KVMIO, 0xca, struct kvm_xen_vcpu_attr)
#define KVM_XEN_VCPU_SET_ATTR		_IOW(KVMIO, 0xcb, struct kvm_xen_vcpu_attr)
#define KVM_XEN_HVM_EVTCHN_SEND		_IOW(KVMIO, 0xd0, struct kvm_irq_routing_xen_evtchn)
#define KVM_GET_SREGS2			_IOR(KVMIO, 0xcc, struct kvm_sregs2)
#define KVM_SET_SREGS2			_IOW(KVMIO, 0xcd, struct kvm_sregs2)

struct kvm_xen_vcpu_attr {
	__u16 type;		/* KVM_XEN_VCPU_ATTR_TYPE_* */
	__u16 pad[3];
	union {
		__u64 gpa;
		__u64 pad[8];
		struct {
			__u64 state;
			__u64 state_entry_time;
			__u64 time_running;
			__u64 time_runnable;
			__u64 time_blocked;
			__u64 time_offline;
		} runstate;
		__u32 vcpu_id;
		struct {
			__u32 port;
			__u32 priority;
			__u64 expires_ns;
		} timer;
		__u8 vector;
	} u;
};

#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO	0x0
#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO	0x1
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR	0x2
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT	0x3
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA	0x4
#define KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADJUST	0x5
#define KVM_XEN_VCPU_ATTR_TYPE_VCPU_ID		0x6
#define KVM_XEN_VCPU_ATTR_TYPE_TIMER		0x7
#define KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR	0x8

/* --- 9.30 AMD SEV (KVM_MEMORY_ENCRYPT_OP) --- */
enum sev_cmd_id {
	KVM_SEV_INIT = 0,
	KVM_SEV_ES_INIT,
	KVM_SEV_LAUNCH_START,
	KVM_SEV_LAUNCH_UPDATE_DATA,
	KVM_SEV_LAUNCH_UPDATE_VMSA,
	KVM_SEV_LAUNCH_SECRET,
	KVM_SEV_LAUNCH_MEASURE,
	KVM_SEV_LAUNCH_FINISH,
	KVM_SEV_SEND_START,
	KVM_SEV_SEND_UPDATE_DATA,
	KVM_SEV_SEND_UPDATE_VMSA,
	KVM_SEV_SEND_FINISH,
	KVM_SEV_RECEIVE_START,
	KVM_SEV_RECEIVE_UPDATE_DATA,
	KVM_SEV_RECEIVE_UPDATE_VMSA,
	KVM_SEV_RECEIVE_FINISH,
	KVM_SEV_GUEST_STATUS,
	KVM_SEV_DBG_DECRYPT,
	KVM_SEV_DBG_ENCRYPT,
	KVM_SEV_CERT_EXPORT,
	KVM_SEV_GET_ATTESTATION_REPORT,
	KVM_SEV_SEND_CANCEL,
	KVM_SEV_NR_MAX,
};

struct kvm_sev_cmd {
	__u32 id;
	__u64 data;
	__u32 error;
	__u32 sev_fd;
};

struct kvm_sev_launch_start {
	__u32 handle;
	__u32 policy;
	__u64 dh_uaddr;
	__u32 dh_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_launch_update_data {
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_launch_secret {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

struct kvm_sev_launch_measure {
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_guest_status {
	__u32 handle;
	__u32 policy;
	__u32 state;
};

struct kvm_sev_dbg {
	__u64 src_uaddr;
	__u64 dst_uaddr;
	__u32 len;
};

struct kvm_sev_attestation_report {
	__u8 mnonce[16];
	__u64 uaddr;
	__u32 len;
};

struct kvm_sev_send_start {
	__u32 policy;
	__u64 pdh_cert_uaddr;
	__u32 pdh_cert_len;
	__u64 plat_certs_uaddr;
	__u32 plat_certs_len;
	__u64 amd_certs_uaddr;
	__u32 amd_certs_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_send_update_data {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

struct kvm_sev_receive_start {
	__u32 handle;
	__u32 policy;
	__u64 pdh_uaddr;
	__u32 pdh_len;
	__u64 session_uaddr;
	__u32 session_len;
};

struct kvm_sev_receive_update_data {
	__u64 hdr_uaddr;
	__u32 hdr_len;
	__u64 guest_uaddr;
	__u32 guest_len;
	__u64 trans_uaddr;
	__u32 trans_len;
};

/* --- 9.31 Legacy PCI device assignment (removed, numbers reserved) --- */
#define KVM_DEV_ASSIGN_ENABLE_IOMMU	(1 << 0)
#define KVM_DEV_ASSIGN_PCI_2_3		(1 << 1)
#define KVM_DEV_ASSIGN_MASK_INTX	(1 << 2)

struct kvm_assigned_pci_dev {
	__u32 assigned_dev_id;
	__u32 busnr;
	__u32 devfn;
	__u32 flags;
	__u32 segnr;
	union {
		__u32 reserved[11];
	};
};

#define KVM_DEV_IRQ_HOST_INTX		(1 << 0)
#define KVM_DEV_IRQ_HOST_MSI		(1 << 1)
#define KVM_DEV_IRQ_HOST_MSIX		(1 << 2)
#define KVM_DEV_IRQ_GUEST_INTX		(1 << 8)
#define KVM_DEV_IRQ_GUEST_MSI		(1 << 9)
#define KVM_DEV_IRQ_GUEST_MSIX		(1 << 10)
#define KVM_DEV_IRQ_HOST_MASK		0x00ff
#define KVM_DEV_IRQ_GUEST_MASK		0xff00

struct kvm_assigned_irq {
	__u32 assigned_dev_id;
	__u32 host_irq;		/* ignored */
	__u32 guest_irq;
	__u32 flags;
	union {
		__u32 reserved[12];
	};
};

struct kvm_assigned_msix_nr {
	__u32 assigned_dev_id;
	__u16 entry_nr;
	__u16 padding;
};

#define KVM_MAX_MSIX_PER_DEV		256

struct kvm_assigned_msix_entry {
	__u32 assigned_dev_id;
	__u32 gsi;
	__u16 entry;		/* index in the MSI-X table */
	__u16 padding[3];
};

/* --- 9.32 Miscellaneous capability arguments and flags --- */
#define KVM_X2APIC_API_USE_32BIT_IDS		(1ULL << 0)
#define KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK	(1ULL << 1)

/* KVM_CAP_ARM_USER_IRQ: bits of kvm_run.s.regs.device_irq_level */
#define KVM_ARM_DEV_EL1_VTIMER		(1 << 0)
#define KVM_ARM_DEV_EL1_PTIMER		(1 << 1)
#define KVM_ARM_DEV_PMU			(1 << 2)

/* KVM_HYPERV_EVENTFD */
struct kvm_hyperv_eventfd {
	__u32 conn_id;
	__s32 fd;
	__u32 flags;
	__u32 padding[3];
};

#define KVM_HYPERV_CONN_ID_MASK		0x00ffffff
#define KVM_HYPERV_EVENTFD_DEASSIGN	(1 << 0)

/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 argument */
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE	(1 << 0)
#define KVM_DIRTY_LOG_INITIALLY_SET		(1 << 1)

/* --- 9.33 Dirty ring (no arm64 support in 6.1: page offset 0) --- */
#ifndef KVM_DIRTY_LOG_PAGE_OFFSET
#define KVM_DIRTY_LOG_PAGE_OFFSET	0
#endif
/* entry state: 00 invalid, 01 dirty (kernel), 1x harvested (user) */
#define KVM_DIRTY_GFN_F_DIRTY		_BITUL(0)
#define KVM_DIRTY_GFN_F_RESET		_BITUL(1)
#define KVM_DIRTY_GFN_F_MASK		0x3

struct kvm_dirty_gfn {
	__u32 flags;
	__u32 slot;
	__u64 offset;
};

#define KVM_BUS_LOCK_DETECTION_OFF	(1 << 0)
#define KVM_BUS_LOCK_DETECTION_EXIT	(1 << 1)
#define KVM_PMU_CAP_DISABLE		(1 << 0)

/* --- 9.34 Binary statistics (KVM_GET_STATS_FD) --- */
struct kvm_stats_header {
	__u32 flags;
	__u32 name_size;	/* bytes per name, NUL included */
	__u32 num_desc;
	__u32 id_offset;	/* file offsets of the id string, descriptors, data */
	__u32 desc_offset;
	__u32 data_offset;
};

/* kvm_stats_desc.flags = type | unit | base */
#define KVM_STATS_TYPE_SHIFT		0
#define KVM_STATS_TYPE_MASK		(0xF << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_CUMULATIVE	(0x0 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_INSTANT		(0x1 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_PEAK		(0x2 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LINEAR_HIST	(0x3 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_LOG_HIST		(0x4 << KVM_STATS_TYPE_SHIFT)
#define KVM_STATS_TYPE_MAX		KVM_STATS_TYPE_LOG_HIST
#define KVM_STATS_UNIT_SHIFT		4
#define KVM_STATS_UNIT_MASK		(0xF << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_NONE		(0x0 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BYTES		(0x1 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_SECONDS		(0x2 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_CYCLES		(0x3 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_BOOLEAN		(0x4 << KVM_STATS_UNIT_SHIFT)
#define KVM_STATS_UNIT_MAX		KVM_STATS_UNIT_BOOLEAN
#define KVM_STATS_BASE_SHIFT		8
#define KVM_STATS_BASE_MASK		(0xF << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW10		(0x0 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_POW2		(0x1 << KVM_STATS_BASE_SHIFT)
#define KVM_STATS_BASE_MAX		KVM_STATS_BASE_POW2

struct kvm_stats_desc {
	__u32 flags;
	__s16 exponent;		/* value unit = base ^ exponent */
	__u16 size;		/* number of __u64 items */
	__u32 offset;
	__u32 bucket_size;	/* linear histograms only */
	char name[];		/* name_size bytes */
};

#define KVM_GET_STATS_FD		_IO(KVMIO, 0xce)
#define KVM_GET_XSAVE2			_IOR(KVMIO, 0xcf, struct kvm_xsave)
#define KVM_S390_PV_CPU_COMMAND		_IOWR(KVMIO, 0xd0, struct kvm_pv_cmd)

/* KVM_CAP_X86_NOTIFY_VMEXIT argument */
#define KVM_X86_NOTIFY_VMEXIT_ENABLED	(1ULL << 0)
#define KVM_X86_NOTIFY_VMEXIT_USER	(1ULL << 1)

/* --- 9.35 s390 zPCI --- */
#define KVM_S390_ZPCI_OP		_IOW(KVMIO, 0xd1, struct kvm_s390_zpci_op)

struct kvm_s390_zpci_op {
	__u32 fh;		/* device handle */
	__u8 op;		/* KVM_S390_ZPCIOP_* */
	__u8 pad[3];
	union {
		struct {	/* KVM_S390_ZPCIOP_REG_AEN */
			__u64 ibv;
			__u64 sb;
			__u32 flags;
			__u32 noi;
			__u8 isc;
			__u8 sbo;
			__u16 pad;
		} reg_aen;
		__u64 reserved[8];
	} u;
};

#define KVM_S390_ZPCIOP_REG_AEN		0
#define KVM_S390_ZPCIOP_DEREG_AEN	1
#define KVM_S390_ZPCIOP_REGAEN_HOST	(1 << 0)

#endif /* __LINUX_KVM_H */

#endif /* SOFTKVM_KVM_H */
