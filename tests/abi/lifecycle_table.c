/*
 * lifecycle_table.c - one entry per row of lifecycle.tsv, same order, same step name and
 * ioctl (the runner refuses to go on when they differ). The expected answers are NOT
 * here: they come from the data for the cfg under test.
 *
 * Slots (vCPU histories) follow the step-name prefixes; each F_NEW starts a new VM with
 * vCPU 0 (the data's "fresh vCPU"). Where a step needs something the step name does not
 * show (the "was 0x1234" X0 value, the guest program and its VBAR/PC), the flag or setup
 * function says so.
 */
#include "lifecycle.h"

#define IO_GET "KVM_GET_ONE_REG"
#define IO_SET "KVM_SET_ONE_REG"
#define IO_INIT "KVM_ARM_VCPU_INIT"
#define IO_FIN "KVM_ARM_VCPU_FINALIZE"
#define IO_LIST "KVM_GET_REG_LIST"
#define IO_RUN "KVM_RUN"

#define GET(nm, sl, reg, ...)                                                                      \
    { .name = nm, .ioctl = IO_GET, .act = A_GET, .slot = sl,                                       \
      .id = (reg), __VA_ARGS__ }
#define SET(nm, sl, reg, how, ...)                                                                 \
    { .name = nm, .ioctl = IO_SET, .act = A_SET, .slot = sl,                                       \
      .id = (reg), .vk = (how), __VA_ARGS__ }
#define SETV(nm, sl, reg, val, ...) SET(nm, sl, reg, V_U64, .arg = (val), __VA_ARGS__)
#define INIT(nm, sl, f0, ...)                                                                      \
    { .name = nm, .ioctl = IO_INIT, .act = A_INIT, .slot = sl,                                     \
      .id = (f0), __VA_ARGS__ }
#define FIN(nm, sl, what, ...)                                                                     \
    { .name = nm, .ioctl = IO_FIN, .act = A_FIN, .slot = sl,                                       \
      .id = (uint64_t)(int64_t)(what), __VA_ARGS__ }
#define LIST(nm, sl, mode, ...)                                                                    \
    { .name = nm, .ioctl = IO_LIST, .act = A_LIST, .slot = sl,                                     \
      .id = (mode), .det = D_NAFTER, __VA_ARGS__ }
#define LISTNULL(nm, sl) { .name = nm, .ioctl = IO_LIST, .act = A_LIST, .slot = sl, .id = L_NULL }
#define KRUN(nm, sl, ...) { .name = nm, .ioctl = IO_RUN, .act = A_KRUN, .slot = sl, __VA_ARGS__ }
#define RUN(nm, sl, ...) { .name = nm, .ioctl = IO_RUN, .act = A_RUN, .slot = sl, __VA_ARGS__ }
#define REGS(nm, sl, names, ...)                                                                   \
    { .name = nm, .ioctl = IO_GET, .act = A_REGS, .slot = sl,                                      \
      .regs = (names), __VA_ARGS__ }
#define MPGET(nm, sl, ...)                                                                         \
    { .name = nm, .ioctl = "KVM_GET_MP_STATE", .act = A_MPGET, .slot = sl,                         \
      __VA_ARGS__ }
#define CALL(nm, io, sl, f, ...)                                                                   \
    { .name = nm, .ioctl = io, .act = A_CALL, .slot = sl,                                          \
     .fn = (f), __VA_ARGS__ }

/* Ids that only exist to be refused (the step names describe them). */
#define Z0 REG_SVE_Z(0, 0)
#define P0 REG_SVE_P(0, 0)
#define FFR0 REG_SVE_FFR(0)
#define VLS REG_SVE_VLS
#define PSCI REG_FW_PSCI
#define WITH_SIZE(id, sz) (((id) & ~(0xfULL << 52)) | ((uint64_t)(sz) << 52))
#define F_PA F_PTRAUTH_ADDR
#define F_PG F_PTRAUTH_GEN

#define UNDEF_RUN "undef(UDF #0 at RAM+8; vector stores x10=entry,x11=ESR,x12=ELR,x13=FAR,x14=SPSR"
#define TRAP1 "svetrap(non-SVE vCPU; RDVL with CPACR_EL1.ZEN=0)"
#define TRAP2 "svetrap(SVE vCPU; RDVL with CPACR_EL1.ZEN=0)"
#define ZEN "nosve-zen(non-SVE vCPU; CPACR_EL1.ZEN=3 then MRS ZCR_EL1 at RAM+0x18): KVM_RUN "
#define MP1 "mmio+psci(PSCI_0_2): KVM_RUN #"
#define MP0 "mmio+psci(no PSCI_0_2 feature): KVM_RUN #"

const struct step abi_lifecycle_steps[] = {
    /* ---- fresh: one vCPU that is never successfully initialised ---- */
    FIN("fresh: FINALIZE(SVE=4) before INIT", S_FRESH, 4, .flags = F_NEW),
    FIN("fresh: FINALIZE(0) before INIT", S_FRESH, 0),
    FIN("fresh: FINALIZE(1) before INIT", S_FRESH, 1),
    FIN("fresh: FINALIZE(99) before INIT", S_FRESH, 99),
    FIN("fresh: FINALIZE(-1) before INIT", S_FRESH, -1),
    LIST("fresh: GET_REG_LIST(n=0) before INIT", S_FRESH, L_N0),
    KRUN("fresh: KVM_RUN before INIT", S_FRESH),
    GET("fresh: GET_ONE_REG(PC) before INIT", S_FRESH, REG_PC),
    SETV("fresh: SET_ONE_REG(PC) before INIT", S_FRESH, REG_PC, GUEST_RAM),
    GET("fresh: GET_ONE_REG(Z0) before INIT", S_FRESH, Z0),
    SET("fresh: SET_ONE_REG(Z0) before INIT", S_FRESH, Z0, V_ZERO),
    GET("fresh: GET_ONE_REG(VLS) before INIT", S_FRESH, VLS),
    SET("fresh: SET_ONE_REG(VLS) before INIT", S_FRESH, VLS, V_VLS1),
    GET("fresh: GET_ONE_REG(bad id 0) before INIT", S_FRESH, 0),
    INIT("fresh: INIT NULL pointer", S_FRESH, 0, .flags = F_NULLARG),
    INIT("fresh: INIT target=preferred+1", S_FRESH, 0, .flags = F_TGT1),
    INIT("fresh: INIT target=0xffffffff", S_FRESH, 0, .flags = F_TGTFF),
    INIT("fresh: INIT features[0] bit7", S_FRESH, 1u << 7),
    INIT("fresh: INIT features[0] bit31", S_FRESH, 1u << 31),
    INIT("fresh: INIT features[1] bit0", S_FRESH, 0, .arg = 1),
    INIT("fresh: INIT PTRAUTH_ADDRESS only", S_FRESH, F_PA),
    INIT("fresh: INIT PTRAUTH_GENERIC only", S_FRESH, F_PG),
    GET("fresh: GET_ONE_REG(PC) after failed INITs", S_FRESH, REG_PC),
    INIT("fresh: INIT EL1_32BIT|SVE", S_E32SVE, F_EL1_32BIT | F_SVE, .flags = F_NEW),
    INIT("fresh: INIT EL1_32BIT", S_E32, F_EL1_32BIT, .flags = F_NEW),

    /* ---- sticky*: what a failed INIT leaves behind ---- */
    INIT("sticky: INIT SVE|bit7 on fresh vCPU", S_STICKY, F_SVE | 1u << 7, .flags = F_NEW),
    INIT("sticky: then INIT features=0", S_STICKY, 0),
    GET("sticky: then GET_ONE_REG(VLS) (ok => SVE bit stuck from failed INIT)", S_STICKY, VLS,
        .det = D_VLS0),
    LIST("sticky: then GET_REG_LIST(n=0)", S_STICKY, L_N0),
    FIN("sticky: then FINALIZE(SVE)", S_STICKY, ABI_FINALIZE_SVE),
    LIST("sticky: then GET_REG_LIST(n=0)", S_STICKY, L_N0),
    INIT("sticky: then INIT features=SVE", S_STICKY, F_SVE),
    INIT("sticky2: INIT SVE target=preferred+1", S_STICKY2, F_SVE, .flags = F_NEW | F_TGT1),
    INIT("sticky2: then INIT features=0", S_STICKY2, 0),
    GET("sticky2: then GET_ONE_REG(VLS)", S_STICKY2, VLS),
    INIT("sticky3: INIT PTRAUTH_ADDRESS only (invalid combo) on fresh vCPU", S_STICKY3, F_PA,
         .flags = F_NEW),
    INIT("sticky3: then INIT features=0", S_STICKY3, 0),
    INIT("sticky3: then INIT features=PTRAUTH_ADDRESS|PTRAUTH_GENERIC", S_STICKY3, F_PA | F_PG),

    /* ---- sve: one vCPU through INIT(SVE) -> FINALIZE -> re-INIT ---- */
    INIT("sve: INIT(SVE)", S_SVE, F_SVE, .flags = F_NEW),
    LIST("sve: GET_REG_LIST(n=0) before FINALIZE", S_SVE, L_N0),
    KRUN("sve: KVM_RUN before FINALIZE", S_SVE),
    GET("sve: GET_ONE_REG(PC) before FINALIZE", S_SVE, REG_PC, .det = D_VALUE),
    SETV("sve: SET_ONE_REG(PC) before FINALIZE", S_SVE, REG_PC, GUEST_RAM),
    GET("sve: GET_ONE_REG(V0 core) before FINALIZE", S_SVE, REG_V0),
    GET("sve: GET_ONE_REG(FPSR core) before FINALIZE", S_SVE, REG_FPSR),
    GET("sve: GET_ONE_REG(Z0) before FINALIZE", S_SVE, Z0),
    SET("sve: SET_ONE_REG(Z0) before FINALIZE", S_SVE, Z0, V_ZERO),
    GET("sve: GET_ONE_REG(P0) before FINALIZE", S_SVE, P0),
    GET("sve: GET_ONE_REG(Z0 slice1) before FINALIZE", S_SVE, REG_SVE_Z(0, 1)),
    GET("sve: GET_ONE_REG(ZCR_EL1) before FINALIZE", S_SVE, REG_ZCR_EL1),
    GET("sve: GET_ONE_REG(SCTLR_EL1) before FINALIZE", S_SVE, REG_SCTLR_EL1),
    GET("sve: GET_ONE_REG(fw PSCI_VERSION) before FINALIZE", S_SVE, PSCI),
    GET("sve: GET_ONE_REG(VLS) before FINALIZE", S_SVE, VLS, .det = D_VLS),
    GET("sve: GET_ONE_REG(VLS) addr=NULL", S_SVE, VLS, .flags = F_ADDRNULL),
    SET("sve: SET_ONE_REG(VLS) addr=NULL", S_SVE, VLS, V_ASREAD, .flags = F_ADDRNULL),
    SET("sve: SET_ONE_REG(VLS=as read) before FINALIZE", S_SVE, VLS, V_ASREAD),
    SET("sve: SET_ONE_REG(VLS=as read) again before FINALIZE", S_SVE, VLS, V_ASREAD),
    INIT("sve: INIT(SVE) again before FINALIZE", S_SVE, F_SVE),
    INIT("sve: INIT(none) (drop SVE) before FINALIZE", S_SVE, 0),
    INIT("sve: INIT(SVE|PMU) (add PMU) before FINALIZE", S_SVE, F_SVE | F_PMU_V3),
    FIN("sve: FINALIZE(0) after INIT(SVE)", S_SVE, 0),
    FIN("sve: FINALIZE(1) after INIT(SVE)", S_SVE, 1),
    FIN("sve: FINALIZE(99) after INIT(SVE)", S_SVE, 99),
    FIN("sve: FINALIZE(-1) after INIT(SVE)", S_SVE, -1),
    FIN("sve: FINALIZE NULL pointer", S_SVE, 0, .flags = F_NULLARG),
    FIN("sve: FINALIZE(SVE)", S_SVE, ABI_FINALIZE_SVE),
    FIN("sve: FINALIZE(SVE) again", S_SVE, ABI_FINALIZE_SVE),
    FIN("sve: FINALIZE(0) after FINALIZE(SVE)", S_SVE, 0),
    FIN("sve: FINALIZE(1) after FINALIZE(SVE)", S_SVE, 1),
    FIN("sve: FINALIZE(99) after FINALIZE(SVE)", S_SVE, 99),
    FIN("sve: FINALIZE(-1) after FINALIZE(SVE)", S_SVE, -1),
    SET("sve: SET_ONE_REG(VLS=as read) after FINALIZE", S_SVE, VLS, V_ASREAD),
    GET("sve: GET_ONE_REG(VLS) after FINALIZE", S_SVE, VLS, .det = D_VLS0),
    LIST("sve: GET_REG_LIST(n=0) after FINALIZE", S_SVE, L_N0),
    LIST("sve: GET_REG_LIST(n=N-1)", S_SVE, L_NM1),
    LIST("sve: GET_REG_LIST(n=N)", S_SVE, L_N),
    LIST("sve: GET_REG_LIST(n=N+5)", S_SVE, L_NP5),
    LISTNULL("sve: GET_REG_LIST NULL pointer", S_SVE),
    LIST("sve: GET_REG_LIST(n=100000) reg[] array unmapped", S_SVE, L_UNMAPPED),
    GET("sve: GET_ONE_REG(PC) after FINALIZE", S_SVE, REG_PC, .det = D_VALUE),
    SETV("sve: SET_ONE_REG(PC) after FINALIZE", S_SVE, REG_PC, GUEST_RAM),
    GET("sve: GET_ONE_REG(V0 via core fp_regs.vregs[0]) SVE vCPU", S_SVE, REG_V0),
    SET("sve: SET_ONE_REG(V0 via core fp_regs.vregs[0]) SVE vCPU", S_SVE, REG_V0, V_ZERO),
    GET("sve: GET_ONE_REG(FPSR core) SVE vCPU", S_SVE, REG_FPSR),
    GET("sve: GET_ONE_REG(Z0 slice0) after FINALIZE", S_SVE, Z0, .det = D_NZ),
    SET("sve: SET_ONE_REG(Z0 slice0 = all 0xff x256)", S_SVE, Z0, V_FF),
    GET("sve: GET_ONE_REG(Z0) after set all-ff", S_SVE, Z0, .det = D_FF),
    GET("sve: GET_ONE_REG(V0 core) after Z0 set", S_SVE, REG_V0),
    GET("sve: GET_ONE_REG(Z31 slice0)", S_SVE, REG_SVE_Z(31, 0)),
    GET("sve: GET_ONE_REG(Z0 slice1)", S_SVE, REG_SVE_Z(0, 1)),
    SET("sve: SET_ONE_REG(Z0 slice1)", S_SVE, REG_SVE_Z(0, 1), V_ZERO),
    GET("sve: GET_ONE_REG(Z0 slice31)", S_SVE, REG_SVE_Z(0, 31)),
    GET("sve: GET_ONE_REG(Z0 with size U128)", S_SVE, WITH_SIZE(Z0, ABI_U128)),
    GET("sve: GET_ONE_REG(Z0 with size U64)", S_SVE, WITH_SIZE(Z0, ABI_U64)),
    GET("sve: GET_ONE_REG(P0 with size U2048)", S_SVE, WITH_SIZE(P0, 8)),
    GET("sve: GET_ONE_REG(VLS with size U256)", S_SVE, WITH_SIZE(VLS, 5)),
    GET("sve: GET_ONE_REG(SVE id 0x620 (after FFR slices))", S_SVE, 0x6050000000150620ULL),
    GET("sve: GET_ONE_REG(SVE id 0xfffe)", S_SVE, 0x606000000015fffeULL),
    GET("sve: GET_ONE_REG(P0 slice0)", S_SVE, P0, .det = D_NZ),
    SET("sve: SET_ONE_REG(P0 = all 0xff x32)", S_SVE, P0, V_FF),
    GET("sve: GET_ONE_REG(P0) after set all-ff", S_SVE, P0, .det = D_FF),
    GET("sve: GET_ONE_REG(P15 slice0)", S_SVE, REG_SVE_P(15, 0)),
    GET("sve: GET_ONE_REG(P15 slice1)", S_SVE, REG_SVE_P(15, 1)),
    SET("sve: SET_ONE_REG(FFR slice0 = all 0xff)", S_SVE, FFR0, V_FF),
    GET("sve: GET_ONE_REG(FFR slice0) after set all-ff", S_SVE, FFR0, .det = D_FF),
    GET("sve: GET_ONE_REG(FFR slice1)", S_SVE, REG_SVE_FFR(1)),
    GET("sve: GET_ONE_REG(Z0) addr=NULL", S_SVE, Z0, .flags = F_ADDRNULL),
    SET("sve: SET_ONE_REG(Z0) addr=NULL", S_SVE, Z0, V_ZERO, .flags = F_ADDRNULL),
    INIT("sve: INIT(none) after FINALIZE", S_SVE, 0),
    INIT("sve: INIT(SVE|PSCI) after FINALIZE", S_SVE, F_SVE | F_PSCI_0_2),
    INIT("sve: INIT(SVE) again after FINALIZE", S_SVE, F_SVE, .flags = F_SETX0),
    GET("sve: GET_ONE_REG(Z0) after re-INIT (was all-ff)", S_SVE, Z0, .det = D_FF),
    GET("sve: GET_ONE_REG(X0) after re-INIT (was 0x1234)", S_SVE, REG_X0, .det = D_VALUE),
    FIN("sve: FINALIZE(SVE) after re-INIT", S_SVE, ABI_FINALIZE_SVE),
    SET("sve: SET_ONE_REG(VLS) after re-INIT", S_SVE, VLS, V_ASREAD),
    LIST("sve: GET_REG_LIST(n=0) after re-INIT", S_SVE, L_N0),
    INIT("sve2: INIT(SVE|POWER_OFF)", S_SVE2, F_SVE | F_POWER_OFF, .flags = F_NEW),
    MPGET("sve2: GET_MP_STATE", S_SVE2, .det = D_MP),
    KRUN("sve2: KVM_RUN before FINALIZE (POWER_OFF vCPU)", S_SVE2),
    FIN("sve2: FINALIZE(SVE)", S_SVE2, ABI_FINALIZE_SVE),

    /* ---- nosve: a vCPU without SVE; bad ids, sizes, offsets, EFAULT ---- */
    INIT("nosve: INIT(none)", S_NOSVE, 0, .flags = F_NEW),
    GET("nosve: GET_ONE_REG(VLS)", S_NOSVE, VLS),
    SET("nosve: SET_ONE_REG(VLS={1})", S_NOSVE, VLS, V_VLS1),
    FIN("nosve: FINALIZE(SVE) on non-SVE vCPU", S_NOSVE, ABI_FINALIZE_SVE),
    FIN("nosve: FINALIZE(0)", S_NOSVE, 0),
    GET("nosve: GET_ONE_REG(Z0)", S_NOSVE, Z0),
    SET("nosve: SET_ONE_REG(Z0)", S_NOSVE, Z0, V_ZERO),
    GET("nosve: GET_ONE_REG(P0)", S_NOSVE, P0),
    GET("nosve: GET_ONE_REG(FFR)", S_NOSVE, FFR0),
    GET("nosve: GET_ONE_REG(ZCR_EL1)", S_NOSVE, REG_ZCR_EL1),
    SET("nosve: SET_ONE_REG(V0 via core)", S_NOSVE, REG_V0, V_SEQ16),
    GET("nosve: GET_ONE_REG(V0 via core)", S_NOSVE, REG_V0, .det = D_BYTES),
    LIST("nosve: GET_REG_LIST(n=0) (no FINALIZE needed?)", S_NOSVE, L_N0),
    INIT("nosve: INIT(SVE) after INIT(none)", S_NOSVE, F_SVE),
    INIT("nosve: INIT(none) again", S_NOSVE, 0),
    INIT("nosve: INIT(none) target=preferred+1 after INIT", S_NOSVE, 0, .flags = F_TGT1),
    INIT("nosve: INIT features[0] bit7 after INIT", S_NOSVE, 1u << 7),
    GET("nosve: GET_ONE_REG(id=0)", S_NOSVE, 0),
    GET("nosve: GET_ONE_REG(id=KVM_REG_ARM64 only)", S_NOSVE, 0x6000000000000000ULL),
    GET("nosve: GET_ONE_REG(PC id with x86 arch field)", S_NOSVE,
        (REG_PC & ~(0xffULL << 56)) | 0x2000000000000000ULL),
    GET("nosve: GET_ONE_REG(PC with size U32)", S_NOSVE, WITH_SIZE(REG_PC, ABI_U32)),
    GET("nosve: GET_ONE_REG(PC with size U128)", S_NOSVE, WITH_SIZE(REG_PC, ABI_U128)),
    GET("nosve: GET_ONE_REG(core off=PC+4 (u32 idx odd) U64)", S_NOSVE, REG_PC + 1),
    GET("nosve: GET_ONE_REG(core off=PC+4 U32)", S_NOSVE, WITH_SIZE(REG_PC + 1, ABI_U32)),
    GET("nosve: GET_ONE_REG(core x0 U32)", S_NOSVE, WITH_SIZE(REG_X0, ABI_U32)),
    GET("nosve: GET_ONE_REG(core pstate U32)", S_NOSVE, WITH_SIZE(REG_PSTATE, ABI_U32)),
    GET("nosve: GET_ONE_REG(core fpsr U64)", S_NOSVE, WITH_SIZE(REG_FPSR, ABI_U64)),
    GET("nosve: GET_ONE_REG(core vregs[0] U64)", S_NOSVE, WITH_SIZE(REG_V0, ABI_U64)),
    GET("nosve: GET_ONE_REG(core vregs[0]+8 U64)", S_NOSVE, WITH_SIZE(REG_V0 + 2, ABI_U64)),
    GET("nosve: GET_ONE_REG(core off=sizeof(kvm_regs) U64)", S_NOSVE, ABI_REG_CORE(0xd8, ABI_U64)),
    GET("nosve: GET_ONE_REG(core off=0xfffc*4 U64)", S_NOSVE, ABI_REG_CORE(0xfffc, ABI_U64)),
    GET("nosve: GET_ONE_REG(core padding after spsr U64)", S_NOSVE, ABI_REG_CORE(0x52, ABI_U64)),
    GET("nosve: GET_ONE_REG(sysreg 3,7,15,15,7 nonexistent)", S_NOSVE, ABI_SYSREG(3, 7, 15, 15, 7)),
    GET("nosve: GET_ONE_REG(SCTLR_EL1 with size U32)", S_NOSVE, WITH_SIZE(REG_SCTLR_EL1, ABI_U32)),
    GET("nosve: GET_ONE_REG(coproc 0x0012)", S_NOSVE, 0x6030000000120000ULL),
    GET("nosve: GET_ONE_REG(coproc 0x00ff)", S_NOSVE, 0x6030000000ff0000ULL),
    GET("nosve: GET_ONE_REG(fw reg 99)", S_NOSVE, REG_FW_PSCI + 99),
    GET("nosve: GET_ONE_REG(demux CCSIDR val 0)", S_NOSVE, 0x6020000000110000ULL),
    GET("nosve: GET_ONE_REG(demux CCSIDR val 0 size U64)", S_NOSVE, 0x6030000000110000ULL),
    GET("nosve: GET_ONE_REG(demux CCSIDR val 100)", S_NOSVE, 0x6020000000110064ULL),
    GET("nosve: GET_ONE_REG(PC) addr=NULL", S_NOSVE, REG_PC, .flags = F_ADDRNULL),
    SETV("nosve: SET_ONE_REG(PC) addr=NULL", S_NOSVE, REG_PC, 0, .flags = F_ADDRNULL),
    GET("nosve: GET_ONE_REG(PC) addr=0x1", S_NOSVE, REG_PC, .flags = F_ADDR1),
    GET("nosve: GET_ONE_REG(SCTLR_EL1) addr=NULL", S_NOSVE, REG_SCTLR_EL1, .flags = F_ADDRNULL),
    GET("nosve: GET_ONE_REG(fw PSCI_VERSION) addr=NULL", S_NOSVE, PSCI, .flags = F_ADDRNULL),
    GET("nosve: GET_ONE_REG struct pointer NULL", S_NOSVE, REG_PC, .flags = F_NULLARG),
    LISTNULL("nosve: GET_REG_LIST NULL pointer", S_NOSVE),
    SETV("nosve: SET_ONE_REG(pstate=0x3c5 EL1h)", S_NOSVE, REG_PSTATE, 0x3c5),
    SETV("nosve: SET_ONE_REG(pstate=0x3c9 EL2h)", S_NOSVE, REG_PSTATE, 0x3c9),
    SETV("nosve: SET_ONE_REG(pstate=0x3c0 EL0t)", S_NOSVE, REG_PSTATE, 0x3c0),
    SETV("nosve: SET_ONE_REG(pstate=0x10 AArch32 usr)", S_NOSVE, REG_PSTATE, 0x10),
    GET("nosve: GET_ONE_REG(fw PSCI_VERSION) (no PSCI_0_2 feature)", S_NOSVE, PSCI, .det = D_VALUE),
    SETV("nosve: SET_ONE_REG(fw PSCI_VERSION=0x10000 (1.0))", S_NOSVE, PSCI, 0x10000),
    SETV("nosve: SET_ONE_REG(fw PSCI_VERSION=0x99)", S_NOSVE, PSCI, 0x99),

    /* ---- run group: guests (the guests/ snippets) ---- */
    CALL("run: mmap(vcpu fd) before INIT: run->exit_reason", "mmap", S_RUNA, abi_c_mmap,
         .flags = F_NEW),
    CALL("run: KVM_RUN immediate_exit=1 (no memslot, after INIT)", IO_RUN, S_RUNA,
         abi_c_immexit_init),
    RUN("run: KVM_RUN PC=0 no memslot (instruction fetch from non-memory)", S_RUNA,
        .flags = F_GUARD),
    REGS("  state after that", S_RUNA, REGS_EXC),
    RUN("run: KVM_RUN again after that", S_RUNA, .flags = F_GUARD),
    RUN("mini: first insn HVC #0 (x0=SYSTEM_OFF), VBAR set", S_MINI1, .flags = F_NEW | F_REGS,
        .setup = abi_setup_mini_hvcoff),
    RUN("mini: mmio program, VBAR set", S_MINI2, .flags = F_NEW | F_REGS,
        .setup = abi_setup_mini_mmio),
    CALL("run: set memslot", "KVM_SET_USER_MEMORY_REGION", S_RUNA, abi_c_memslot),
    INIT("run: INIT(PSCI_0_2)", S_RUNA, F_PSCI_0_2),
    REGS("run: reset PC", S_RUNA, "pc pstate"),
    SETV("run: SET PC=RAM", S_RUNA, REG_PC, GUEST_RAM),
    CALL("run: KVM_RUN immediate_exit=1 (memslot, PC set; exit_reason preset to 0x1234 by "
         "userspace)", IO_RUN, S_RUNA, abi_c_immexit_preset, .flags = F_PC),
    RUN(MP1 "1", S_RUNA), RUN(MP1 "2", S_RUNA), RUN(MP1 "3", S_RUNA), RUN(MP1 "4", S_RUNA),
    RUN(MP1 "5", S_RUNA), RUN(MP1 "6", S_RUNA), RUN(MP1 "7", S_RUNA), RUN(MP1 "8", S_RUNA),
    RUN(MP1 "9", S_RUNA), RUN(MP1 "10", S_RUNA), RUN(MP1 "11", S_RUNA), RUN(MP1 "12", S_RUNA),
    RUN(MP1 "13", S_RUNA), RUN(MP1 "14", S_RUNA),
    REGS("run: after SYSTEM_OFF exit: regs", S_RUNA, "pc x0"),
    MPGET("run: GET_MP_STATE after SYSTEM_OFF", S_RUNA, .det = D_MP),
    RUN("run: KVM_RUN again after SYSTEM_OFF", S_RUNA, .flags = F_GUARD | F_PC),
    INIT("run: INIT(PSCI_0_2) after first KVM_RUN", S_RUNA, F_PSCI_0_2),
    REGS("run: regs after re-INIT", S_RUNA, "pc x0 pstate"),
    MPGET("run: GET_MP_STATE after re-INIT", S_RUNA, .det = D_MP),
    INIT("run: INIT(none) after first KVM_RUN (different features)", S_RUNA, 0),
    INIT("run: INIT(PSCI|SVE) after first KVM_RUN", S_RUNA, F_PSCI_0_2 | F_SVE),
    RUN("run: KVM_RUN after re-INIT (program restarts)", S_RUNA, .flags = F_SETPC),
    RUN(MP0 "1", S_RUNB, .flags = F_NEW, .setup = abi_setup_runb),
    RUN(MP0 "2", S_RUNB), RUN(MP0 "3", S_RUNB), RUN(MP0 "4", S_RUNB), RUN(MP0 "5", S_RUNB),
    RUN(MP0 "6", S_RUNB), RUN(MP0 "7", S_RUNB), RUN(MP0 "8", S_RUNB), RUN(MP0 "9", S_RUNB),
    RUN(MP0 "10", S_RUNB), RUN(MP0 "11", S_RUNB), RUN(MP0 "12", S_RUNB), RUN(MP0 "13", S_RUNB),
    RUN(MP0 "14", S_RUNB), RUN(MP0 "15", S_RUNB, .flags = F_GUARD | F_GUARDNOTE),
    REGS("  state after guard timeout", S_RUNB, REGS_EXC),
    CALL("undef: SET VBAR_EL1", IO_SET, S_UNDEF, abi_c_setvbar, .flags = F_NEW,
         .setup = abi_setup_undef),
    RUN(UNDEF_RUN, S_UNDEF), RUN(UNDEF_RUN, S_UNDEF), RUN(UNDEF_RUN, S_UNDEF),
    RUN(UNDEF_RUN, S_UNDEF), RUN(UNDEF_RUN, S_UNDEF), RUN(UNDEF_RUN, S_UNDEF),
    CALL("undef: regs at end", IO_GET, S_UNDEF, abi_c_regs_end),
    CALL(TRAP1, IO_INIT, S_TRAP1, abi_c_trap_init, .id = 0, .flags = F_NEW,
         .setup = abi_setup_trap),
    RUN(TRAP1 ": KVM_RUN #1", S_TRAP1), RUN(TRAP1 ": KVM_RUN #2", S_TRAP1),
    RUN(TRAP1 ": KVM_RUN #3", S_TRAP1), RUN(TRAP1 ": KVM_RUN #4", S_TRAP1),
    RUN(TRAP1 ": KVM_RUN #5", S_TRAP1), RUN(TRAP1 ": KVM_RUN #6", S_TRAP1),
    CALL(TRAP2, IO_INIT, S_TRAP2, abi_c_trap_init, .id = F_SVE, .flags = F_NEW,
         .setup = abi_setup_trap),
    RUN(TRAP2 ": KVM_RUN #1", S_TRAP2), RUN(TRAP2 ": KVM_RUN #2", S_TRAP2),
    RUN(TRAP2 ": KVM_RUN #3", S_TRAP2), RUN(TRAP2 ": KVM_RUN #4", S_TRAP2),
    RUN(TRAP2 ": KVM_RUN #5", S_TRAP2), RUN(TRAP2 ": KVM_RUN #6", S_TRAP2),
    RUN(ZEN, S_ZEN, .flags = F_NEW, .setup = abi_setup_zen),
    RUN(ZEN, S_ZEN), RUN(ZEN, S_ZEN), RUN(ZEN, S_ZEN), RUN(ZEN, S_ZEN),
    MPGET("poweroff: GET_MP_STATE after INIT(POWER_OFF)", S_POFF, .det = D_MP, .flags = F_NEW,
          .setup = abi_setup_poff),
    RUN("poweroff: KVM_RUN on POWER_OFF vCPU (1s SIGALRM guard)", S_POFF, .flags = F_GUARD),
    { .name = "poweroff: SET_MP_STATE(RUNNABLE)", .ioctl = "KVM_SET_MP_STATE", .act = A_MPSET,
      .slot = S_POFF, .id = KVM_MP_STATE_RUNNABLE },
    RUN("poweroff: KVM_RUN after SET_MP_STATE(RUNNABLE)", S_POFF),
};

const size_t abi_lifecycle_nsteps = sizeof(abi_lifecycle_steps) / sizeof(abi_lifecycle_steps[0]);
