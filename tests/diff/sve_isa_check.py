#!/usr/bin/env python3
"""sve_isa_check.py - src/engine/isa/sve.isa against the GNU assembler.

  sve_isa_check.py [--as aarch64-linux-gnu-as] [--objcopy aarch64-linux-gnu-objcopy]

Assembles one instruction of every SVE encoding group the table describes
(the assembler is an independent source of the encodings) and checks that
the word matches exactly the row it is listed with, and no other row outside
that row's priority group. A pattern with a wrong bit fails here before any
execution test runs.

With --engine sve_engine --objdump OBJDUMP it also decodes random words of
the SVE space with the engine (sve_engine --decode) and with objdump: no word
objdump calls unallocated may be accepted, and every word objdump names but
the engine rejects must be one of the mnemonics listed in NOT_BASE (SVE2
groups without a row yet, SME, the I8MM/BF16/F64MM extensions) or a form
sve2_form() recognises. Exit status 1 on a mismatch.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import gen_decode  # noqa: E402

CASES = [
    ('add z1.s, p2/m, z1.s, z3.s', 'INT_zpzz'), ('subr z1.b, p2/m, z1.b, z3.b', 'INT_zpzz'),
    ('umin z4.d, p7/m, z4.d, z9.d', 'INT_zpzz'), ('sdiv z1.s, p0/m, z1.s, z2.s', 'INT_zpzz'),
    ('udivr z1.d, p0/m, z1.d, z2.d', 'INT_zpzz'), ('bic z1.h, p0/m, z1.h, z2.h', 'INT_zpzz'),
    ('smulh z1.h, p0/m, z1.h, z2.h', 'INT_zpzz'), ('uabd z1.h, p0/m, z1.h, z2.h', 'INT_zpzz'),
    ('uaddv d0, p1, z2.b', 'INT_zpz_red'), ('saddv d0, p1, z2.s', 'INT_zpz_red'),
    ('smaxv s0, p1, z2.s', 'INT_zpz_red'), ('eorv h3, p1, z2.h', 'INT_zpz_red'),
    ('movprfx z1.s, p1/z, z2.s', 'INT_zpz_red'), ('movprfx z1.d, p1/m, z2.d', 'INT_zpz_red'),
    ('asr z1.s, p1/m, z1.s, #3', 'SHIFT_zpzi'), ('lsl z1.d, p1/m, z1.d, #63', 'SHIFT_zpzi'),
    ('asrd z1.b, p1/m, z1.b, #1', 'SHIFT_zpzi'), ('lsr z1.h, p1/m, z1.h, #16', 'SHIFT_zpzi'),
    ('lslr z1.s, p1/m, z1.s, z2.s', 'SHIFT_zpzz'), ('asr z1.s, p1/m, z1.s, z2.d', 'SHIFT_zpzz'),
    ('sxtb z1.d, p1/m, z2.d', 'INT_zpz_un'), ('neg z1.s, p1/m, z2.s', 'INT_zpz_un'),
    ('cnot z1.b, p1/m, z2.b', 'INT_zpz_un'), ('fabs z1.d, p1/m, z2.d', 'INT_zpz_un'),
    ('not z1.h, p1/m, z2.h', 'INT_zpz_un'), ('cnt z1.s, p1/m, z2.s', 'INT_zpz_un'),
    ('mla z1.s, p1/m, z2.s, z3.s', 'MLA_zpzzz'), ('mls z1.b, p1/m, z2.b, z3.b', 'MLA_zpzzz'),
    ('mad z1.s, p1/m, z2.s, z3.s', 'MAD_zpzzz'), ('msb z1.d, p1/m, z2.d, z3.d', 'MAD_zpzzz'),
    ('add z1.s, z2.s, z3.s', 'ADDSUB_zzz'), ('uqsub z1.b, z2.b, z3.b', 'ADDSUB_zzz'),
    ('and z1.d, z2.d, z3.d', 'LOGIC_zzz'), ('bic z1.d, z2.d, z3.d', 'LOGIC_zzz'),
    ('index z1.s, #-3, #5', 'INDEX'), ('index z1.d, x3, x4', 'INDEX'), ('index z1.b, w3, #2', 'INDEX'),
    ('addvl sp, x3, #-2', 'ADDVL'), ('addpl x1, sp, #31', 'ADDVL'), ('rdvl x3, #-32', 'RDVL'),
    ('lsl z1.s, z2.s, #31', 'SHIFT_zzi'), ('asr z1.b, z2.b, #8', 'SHIFT_zzi'),
    ('lsr z1.h, z2.h, z3.d', 'SHIFT_zzw'), ('adr z1.d, [z2.d, z3.d, sxtw #2]', 'ADR_z'),
    ('adr z1.s, [z2.s, z3.s, lsl #1]', 'ADR_z'), ('movprfx z3, z7', 'MOVPRFX'),
    ('cntb x1', 'CNT_r'), ('cntd x1, vl8, mul #3', 'CNT_r'), ('incw x3, all, mul #16', 'INCDEC_r'),
    ('decd x3', 'INCDEC_r'), ('sqincb x3, w3', 'SINCDEC_r'), ('uqdech x3', 'SINCDEC_r'),
    ('uqincw w3', 'SINCDEC_r'), ('incd z1.d', 'INCDEC_v'), ('dech z1.h, pow2', 'INCDEC_v'),
    ('sqincw z1.s', 'SINCDEC_v'), ('uqdecd z1.d, mul3', 'SINCDEC_v'),
    ('orr z1.s, z1.s, #0xff', 'LOGIC_zzi'), ('and z1.d, z1.d, #0xfffffffffffffffe', 'LOGIC_zzi'),
    ('dupm z1.h, #0x8000', 'LOGIC_zzi'), ('fcpy z1.d, p3/m, #1.0', 'FCPY'),
    ('cpy z1.s, p3/m, #-128', 'CPY_i'), ('cpy z1.h, p3/z, #1, lsl #8', 'CPY_i'),
    ('fdup z1.s, #-0.5', 'FDUP'), ('dup z1.d, #-1', 'DUP_i'), ('dup z1.s, #1, lsl #8', 'DUP_i'),
    ('add z1.b, z1.b, #255', 'ARITH_zzi'), ('uqsub z1.d, z1.d, #1, lsl #8', 'ARITH_zzi'),
    ('subr z1.s, z1.s, #3', 'ARITH_zzi'), ('smax z1.s, z1.s, #-5', 'MINMAX_zzi'),
    ('umin z1.s, z1.s, #200', 'MINMAX_zzi'), ('mul z1.h, z1.h, #-7', 'MUL_zzi'),
    ('sdot z1.s, z2.b, z3.b', 'DOT_zzzz'), ('udot z1.d, z2.h, z3.h', 'DOT_zzzz'),
    ('sdot z1.s, z2.b, z3.b[3]', 'DOT_zzxz'), ('udot z1.d, z2.h, z13.h[1]', 'DOT_zzxz'),
    ('ext z1.b, z1.b, z2.b, #255', 'EXT_z'), ('mov z1.s, w3', 'PERM_zz1'), ('mov z1.d, sp', 'PERM_zz1'),
    ('insr z1.s, w3', 'PERM_zz1'), ('insr z1.d, d3', 'PERM_zz1'), ('rev z1.h, z2.h', 'PERM_zz1'),
    ('sunpklo z1.h, z2.b', 'PERM_zz1'), ('uunpkhi z1.d, z2.s', 'PERM_zz1'),
    ('dup z1.s, z2.s[3]', 'DUP_x'), ('mov z1.q, z2.q[1]', 'DUP_x'), ('tbl z1.s, {z2.s}, z3.s', 'TBL_z'),
    ('zip1 z1.s, z2.s, z3.s', 'ZIP_z'), ('trn2 z1.d, z2.d, z3.d', 'ZIP_z'),
    ('uzp1 p1.h, p2.h, p3.h', 'ZIP_p'), ('rev p1.s, p2.s', 'PERM_pp'), ('punpkhi p1.h, p2.b', 'PERM_pp'),
    ('compact z1.s, p1, z2.s', 'PERM_zpz'), ('clasta z1.s, p1, z1.s, z2.s', 'PERM_zpz'),
    ('clastb d1, p1, d1, z2.d', 'PERM_zpz'), ('clasta w1, p1, w1, z2.b', 'PERM_zpz'),
    ('lasta s1, p1, z2.s', 'PERM_zpz'), ('lastb x1, p1, z2.d', 'PERM_zpz'),
    ('mov z1.s, p1/m, s2', 'PERM_zpz'), ('mov z1.b, p1/m, wsp', 'PERM_zpz'),
    ('revb z1.s, p1/m, z2.s', 'PERM_zpz'), ('rbit z1.d, p1/m, z2.d', 'PERM_zpz'),
    ('splice z1.s, p1, z1.s, z2.s', 'PERM_zpz'), ('sel z1.s, p9, z2.s, z3.s', 'SEL_z'),
    ('cmphs p1.s, p2/z, z3.s, z4.s', 'CMP_ppzz'), ('cmpne p1.b, p2/z, z3.b, z4.d', 'CMP_ppzz'),
    ('cmplt p1.h, p2/z, z3.h, z4.d', 'CMP_ppzz'), ('cmpgt p1.d, p2/z, z3.d, z4.d', 'CMP_ppzz'),
    ('cmplo p1.s, p2/z, z3.s, #127', 'CMP_ppzi_u'), ('cmphi p1.s, p2/z, z3.s, #5', 'CMP_ppzi_u'),
    ('cmpeq p1.s, p2/z, z3.s, #-16', 'CMP_ppzi_s'), ('cmple p1.d, p2/z, z3.d, #15', 'CMP_ppzi_s'),
    ('ands p1.b, p2/z, p3.b, p4.b', 'LOGIC_pppp'), ('nand p1.b, p2/z, p3.b, p4.b', 'LOGIC_pppp'),
    ('sel p1.b, p2, p3.b, p4.b', 'LOGIC_pppp'), ('orns p1.b, p2/z, p3.b, p4.b', 'LOGIC_pppp'),
    ('brkpbs p1.b, p2/z, p3.b, p4.b', 'BRKP'), ('brka p1.b, p2/m, p3.b', 'BRK_pp'),
    ('brkbs p1.b, p2/z, p3.b', 'BRK_pp'), ('brkn p1.b, p2/z, p3.b, p1.b', 'BRKN'),
    ('ptest p2, p3.b', 'PTEST'), ('ptrues p3.s, vl7', 'PTRUE'), ('ptrue p3.d', 'PTRUE'),
    ('setffr', 'SETFFR'), ('pfalse p4.b', 'PFALSE'), ('rdffrs p1.b, p2/z', 'RDFFR_p'),
    ('rdffr p1.b', 'RDFFR'), ('wrffr p5.b', 'WRFFR'), ('pfirst p1.b, p2, p1.b', 'PFIRST'),
    ('pnext p1.s, p2, p1.s', 'PNEXT'), ('cntp x1, p2, p3.h', 'CNTP'),
    ('incp x1, p2.s', 'INCDECP'), ('decp z1.d, p2.d', 'INCDECP'), ('sqincp x1, p2.b, w1', 'SINCDECP'),
    ('uqdecp x1, p2.h', 'SINCDECP'), ('uqincp w1, p2.h', 'SINCDECP'), ('sqdecp z1.s, p2.s', 'SINCDECP'),
    ('ctermeq x1, x2', 'CTERM'), ('ctermne w1, w2', 'CTERM'),
    ('whilelo p1.s, x1, x2', 'WHILE'), ('whilele p1.b, w1, w2', 'WHILE'), ('whilels p1.d, x1, x2', 'WHILE'),
    ('fadd z1.s, z2.s, z3.s', 'FP_zzz'), ('frsqrts z1.d, z2.d, z3.d', 'FP_zzz'),
    ('fdiv z1.d, p1/m, z1.d, z2.d', 'FP_zpzz'), ('fmaxnm z1.s, p1/m, z1.s, z2.s', 'FP_zpzz'),
    ('fadd z1.s, p1/m, z1.s, #0.5', 'FP_zpzi'), ('fmax z1.d, p1/m, z1.d, #1.0', 'FP_zpzi'),
    ('fmla z1.d, p1/m, z2.d, z3.d', 'FMLA_zpzzz'), ('fnmls z1.s, p1/m, z2.s, z3.s', 'FMLA_zpzzz'),
    ('fmad z1.d, p1/m, z2.d, z3.d', 'FMAD_zpzzz'), ('fnmsb z1.h, p1/m, z2.h, z3.h', 'FMAD_zpzzz'),
    ('fmla z1.d, z2.d, z3.d[1]', 'FMLA_zzxz'), ('fmls z1.s, z2.s, z3.s[3]', 'FMLA_zzxz'),
    ('fmul z1.d, z2.d, z3.d[0]', 'FMUL_zzx'), ('faddv d1, p1, z2.d', 'FP_red'),
    ('fminv s1, p1, z2.s', 'FP_red'), ('fadda d1, p1, d1, z2.d', 'FADDA'),
    ('fcmge p1.s, p2/z, z3.s, #0.0', 'FCMP_ppz0'), ('fcmne p1.d, p2/z, z3.d, #0.0', 'FCMP_ppz0'),
    ('fcmgt p1.d, p2/z, z3.d, z4.d', 'FCMP_ppzz'), ('facgt p1.d, p2/z, z3.d, z4.d', 'FCMP_ppzz'),
    ('fcmuo p1.s, p2/z, z3.s, z4.s', 'FCMP_ppzz'),
    ('frintm z1.s, p1/m, z2.s', 'FP_unary'), ('fsqrt z1.d, p1/m, z2.d', 'FP_unary'),
    ('fcvt z1.s, p1/m, z2.d', 'FP_unary'), ('scvtf z1.d, p1/m, z2.s', 'FP_unary'),
    ('ucvtf z1.s, p1/m, z2.d', 'FP_unary'), ('fcvtzs z1.d, p1/m, z2.d', 'FP_unary'),
    ('fcvtzu z1.s, p1/m, z2.s', 'FP_unary'), ('frecpx z1.d, p1/m, z2.d', 'FP_unary'),
    ('frecpe z1.s, z2.s', 'FP_est'),
    ('prfb pldl1keep, p1, [x1, #3, mul vl]', 'PRF_si'), ('prfd pldl2strm, p1, [x1, x2, lsl #3]', 'PRF_ss'),
    ('prfw pldl1keep, p1, [x1, z2.s, uxtw #2]', 'PRF_g32'), ('prfh pldl1keep, p1, [z2.s, #6]', 'PRF_gvi32'),
    ('prfd pldl1keep, p1, [x1, z2.d, lsl #3]', 'PRF_g64'), ('prfw pldl1keep, p1, [x1, z2.d, sxtw #2]', 'PRF_g64w'),
    ('prfb pldl1keep, p1, [z2.d, #7]', 'PRF_gvi64'),
    ('ldr p1, [x2, #-3, mul vl]', 'LDR_p'), ('ldr z1, [sp, #255, mul vl]', 'LDR_z'),
    ('ld1rw {z1.d}, p1/z, [x2, #252]', 'LD1R'), ('ld1rsb {z1.h}, p1/z, [x2, #63]', 'LD1R'),
    ('ld1rd {z1.d}, p1/z, [sp]', 'LD1R'),
    ('ld1w {z1.s}, p1/z, [x2, z3.s, sxtw #2]', 'LD1_g32'), ('ldff1sh {z1.s}, p1/z, [x2, z3.s, uxtw]', 'LD1_g32'),
    ('ld1b {z1.s}, p1/z, [z2.s, #31]', 'LD1_gvi32'),
    ('ld1w {z1.s}, p1/z, [x2, #-8, mul vl]', 'LD1_si'), ('ld1sb {z1.d}, p1/z, [x2]', 'LD1_si'),
    ('ldnf1d {z1.d}, p1/z, [x2, #7, mul vl]', 'LDNF1'), ('ld1h {z1.s}, p1/z, [x2, x3, lsl #1]', 'LD1_ss'),
    ('ld1sw {z1.d}, p1/z, [x2, x3, lsl #2]', 'LD1_ss'), ('ldff1b {z1.b}, p1/z, [x2, x3]', 'LDFF1_ss'),
    ('ld2w {z1.s, z2.s}, p1/z, [x2, #2, mul vl]', 'LDN_si'), ('ldnt1d {z1.d}, p1/z, [x2]', 'LDN_si'),
    ('ld4d {z1.d-z4.d}, p1/z, [x2, x3, lsl #3]', 'LDN_ss'), ('ld1rqw {z1.s}, p1/z, [x2, #16]', 'LD1RQ_si'), ('ld1rqd {z1.d}, p1/z, [x2, #-128]', 'LD1RQ_si'),
    ('ld1rqb {z1.b}, p1/z, [x2, x3]', 'LD1RQ_ss'),
    ('ld1d {z1.d}, p1/z, [x2, z3.d, lsl #3]', 'LD1_g64'), ('ldff1sb {z1.d}, p1/z, [x2, z3.d]', 'LD1_g64'),
    ('ld1h {z1.d}, p1/z, [x2, z3.d, sxtw #1]', 'LD1_g64w'), ('ld1d {z1.d}, p1/z, [z2.d, #248]', 'LD1_gvi64'),
    ('str p1, [x2, #-256, mul vl]', 'STR_p'), ('str z1, [x2, #-1, mul vl]', 'STR_z'),
    ('st1b {z1.s}, p1, [x2, x3]', 'ST1_ss'), ('st1d {z1.d}, p1, [x2, x3, lsl #3]', 'ST1_ss'),
    ('st1h {z1.d}, p1, [x2, #-8, mul vl]', 'ST1_si'), ('st3w {z1.s-z3.s}, p1, [x2, #3, mul vl]', 'STN_si'),
    ('stnt1b {z1.b}, p1, [x2, #1, mul vl]', 'STN_si'), ('st2d {z1.d, z2.d}, p1, [x2, x3, lsl #3]', 'STN_ss'),
    ('st1w {z1.s}, p1, [x2, z3.s, uxtw #2]', 'ST1_scw'), ('st1h {z1.d}, p1, [x2, z3.d, sxtw]', 'ST1_scw'),
    ('st1d {z1.d}, p1, [x2, z3.d, lsl #3]', 'ST1_scx'), ('st1b {z1.d}, p1, [x2, z3.d]', 'ST1_scx'),
    ('st1w {z1.d}, p1, [z2.d, #4]', 'ST1_scx'), ('st1h {z1.s}, p1, [z2.s, #62]', 'ST1_scx'),
    # Base SVE: complex and trigonometric floating point.
    ('fcadd z1.s, p1/m, z1.s, z2.s, #90', 'FCADD'), ('fcadd z1.d, p1/m, z1.d, z2.d, #270', 'FCADD'),
    ('fcmla z1.h, p1/m, z2.h, z3.h, #180', 'FCMLA_zpzzz'), ('fcmla z1.s, z2.s, z3.s[1], #90', 'FCMLA_zzxz'),
    ('fcmla z1.h, z2.h, z3.h[3], #0', 'FCMLA_zzxz'), ('ftmad z1.d, z1.d, z2.d, #7', 'FTMAD'),
    ('ftssel z1.s, z2.s, z3.s', 'FTSSEL'), ('fexpa z1.d, z2.d', 'FEXPA'), ('ftsmul z1.h, z2.h, z3.h', 'FP_zzz'),
    # SVE2.
    ('sqshl z1.s, p1/m, z1.s, #3', 'SHIFT2_zpzi'), ('urshr z1.b, p1/m, z1.b, #8', 'SHIFT2_zpzi'),
    ('sqshlu z1.d, p1/m, z1.d, #63', 'SHIFT2_zpzi'), ('whilege p1.s, x1, x2', 'WHILE2'),
    ('whilehi p1.b, w1, w2', 'WHILE2'), ('whilewr p1.h, x1, x2', 'WHILE_ptr'), ('whilerw p1.d, x1, x2', 'WHILE_ptr'),
    ('mul z1.s, z2.s, z3.s', 'MUL_zzz'), ('pmul z1.b, z2.b, z3.b', 'MUL_zzz'), ('sqrdmulh z1.h, z2.h, z3.h', 'MUL_zzz'),
    ('eor3 z1.d, z1.d, z2.d, z3.d', 'BITTERN'), ('nbsl z1.d, z1.d, z2.d, z3.d', 'BITTERN'),
    ('bsl1n z1.d, z1.d, z2.d, z3.d', 'BITTERN'), ('xar z1.s, z1.s, z2.s, #7', 'XAR_zzi'),
    ('srshl z1.h, p1/m, z1.h, z2.h', 'INT2_zpzz'), ('uqrshlr z1.s, p1/m, z1.s, z2.s', 'INT2_zpzz'),
    ('urhadd z1.b, p1/m, z1.b, z2.b', 'INT2_zpzz'), ('usqadd z1.d, p1/m, z1.d, z2.d', 'INT2_zpzz'),
    ('sqabs z1.s, p1/m, z2.s', 'INT2_zpz'), ('addp z1.h, p1/m, z1.h, z2.h', 'INT2_zpz'),
    ('uadalp z1.d, p1/m, z2.s', 'INT2_zpz'), ('uminp z1.b, p1/m, z1.b, z2.b', 'INT2_zpz'),
    ('usra z1.s, z2.s, #3', 'SRA_zzi'), ('srsra z1.d, z2.d, #64', 'SRA_zzi'), ('sli z1.h, z2.h, #15', 'SLI_zzi'),
    ('sri z1.b, z2.b, #1', 'SLI_zzi'), ('saba z1.s, z2.s, z3.s', 'ABA_zzz'),
    ('sqcadd z1.h, z1.h, z2.h, #270', 'CADD_zz'), ('cadd z1.b, z1.b, z2.b, #90', 'CADD_zz'),
    ('tbl z1.s, {z2.s, z3.s}, z4.s', 'TBL2_z'), ('tbx z1.b, z2.b, z3.b', 'TBL2_z'),
    ('ext z1.b, {z2.b, z3.b}, #200', 'EXT2_z'), ('nmatch p1.h, p2/z, z3.h, z4.h', 'MATCH'),
    ('match p1.b, p2/z, z3.b, z4.b', 'MATCH'), ('histcnt z1.s, p1/z, z2.s, z3.s', 'HISTCNT'),
    ('histseg z1.b, z2.b, z3.b', 'HISTSEG'),
    ('saddlb z1.h, z2.b, z3.b', 'ADDL_zzz'), ('uabdlt z1.d, z2.s, z3.s', 'ADDL_zzz'),
    ('usubwt z1.s, z2.s, z3.h', 'ADDW_zzz'), ('smullt z1.d, z2.s, z3.s', 'MULL_zzz'),
    ('pmullb z1.h, z2.b, z3.b', 'MULL_zzz'), ('sqdmullb z1.s, z2.h, z3.h', 'MULL_zzz'),
    ('ssubltb z1.s, z2.h, z3.h', 'ADDLBT_zzz'), ('saddlbt z1.h, z2.b, z3.b', 'ADDLBT_zzz'),
    ('ushllt z1.d, z2.s, #31', 'SHLL_zzi'), ('sshllb z1.h, z2.b, #0', 'SHLL_zzi'),
    ('uabalb z1.s, z2.h, z3.h', 'ABAL_zzz'), ('adclt z1.s, z2.s, z3.s', 'ADCL_zzz'),
    ('sbclb z1.d, z2.d, z3.d', 'ADCL_zzz'), ('eortb z1.h, z2.h, z3.h', 'EORBT_zzz'),
    ('bdep z1.s, z2.s, z3.s', 'BPERM_zzz'), ('bgrp z1.d, z2.d, z3.d', 'BPERM_zzz'),
    ('shrnb z1.b, z2.h, #8', 'SHRN_zzi'), ('sqrshrunt z1.s, z2.d, #1', 'SHRN_zzi'),
    ('uqrshrnb z1.h, z2.s, #3', 'SHRN_zzi'), ('sqxtnb z1.b, z2.h', 'XTN_zz'), ('sqxtunt z1.s, z2.d', 'XTN_zz'),
    ('raddhnt z1.b, z2.h, z3.h', 'ADDHN_zzz'), ('subhnb z1.s, z2.d, z3.d', 'ADDHN_zzz'),
    ('umlslt z1.d, z2.s, z3.s', 'MLAL_zzzw'), ('smlalb z1.h, z2.b, z3.b', 'MLAL_zzzw'),
    ('sqdmlalt z1.s, z2.h, z3.h', 'SQDMLAL_zzzw'), ('sqdmlslbt z1.d, z2.s, z3.s', 'SQDMLALBT'),
    ('sqrdmlsh z1.b, z2.b, z3.b', 'SQRDMLAH_zzzz'), ('cmla z1.s, z2.s, z3.s, #270', 'CMLA_zzzz'),
    ('sqrdcmlah z1.h, z2.h, z3.h, #90', 'CMLA_zzzz'), ('mla z1.h, z2.h, z3.h[7]', 'MLA_zzxz'),
    ('mls z1.d, z2.d, z13.d[1]', 'MLA_zzxz'), ('sqrdmlah z1.s, z2.s, z3.s[3]', 'SQRDMLAH_zzxz'),
    ('mul z1.s, z2.s, z3.s[2]', 'MUL_zzx'), ('sqdmulh z1.h, z2.h, z3.h[5]', 'MUL_zzx'),
    ('umlslt z1.s, z2.h, z3.h[7]', 'MLAL_zzxw'), ('smlalb z1.d, z2.s, z13.s[3]', 'MLAL_zzxw'),
    ('umullb z1.s, z2.h, z3.h[6]', 'MULL_zzx'), ('sqdmullt z1.d, z2.s, z9.s[2]', 'SQDMULL_zzx'),
    ('sqdmlslb z1.s, z2.h, z3.h[1]', 'SQDMLAL_zzxw'),
]


# Base SVE instructions the engine leaves UNDEFINED: none.
NOT_IMPLEMENTED = set()
# Mnemonics of encodings without a row (objdump disassembles every extension):
# the SVE2 groups not implemented yet, SVE2 crypto, SME, I8MM/BF16/F32MM/F64MM.
NOT_BASE = set('''
addspl addsvl aesd aese bfcvt bfcvtnt bfdot bfmlalb bfmlalt bfmmla cdot cmla faddp fcvtlt fcvtnt fcvtx
fcvtxnt flogb fmaxnmp fmaxp fminnmp fminp fmlalb fmlalt fmlslb fmlslt fmmla ld1rob ld1rod ld1roh ld1row ldnt1b
ldnt1d ldnt1h ldnt1sb ldnt1sh ldnt1sw ldnt1w psel rax1 rdsvl revd sclamp sm4e sm4ekey smmla sqrdcmlah stnt1b
stnt1d stnt1h stnt1w sudot uclamp ummla urecpe ursqrte usdot usmmla
'''.split())


def sve2_form(w, mn, ops):
    """Encodings without a row whose mnemonic also names an implemented one."""
    if mn in ('zip1', 'zip2', 'uzp1', 'uzp2', 'trn1', 'trn2') and '.q' in ops:
        return True                                      # 128-bit elements (F64MM)
    if mn == 'splice' and (w >> 16) & 1:
        return True                                      # constructive SPLICE (SVE2)
    if mn in ('pmullb', 'pmullt') and '.q' in ops:
        return True                                      # PMULL128 (SVE2 AES)
    if mn == 'mov' and '.b' in ops and '#-' in ops:
        return True                                      # CPY #imm, LSL #8 of bytes (binutils accepts it)
    return False


def random_words(engine, objdump, count, seed):
    import random
    rng = random.Random(seed)
    words = [(rng.getrandbits(32) & ~(0xf << 25)) | (0x2 << 25) for _ in range(count)]
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'words.bin')
        with open(path, 'wb') as f:
            f.write(b''.join(w.to_bytes(4, 'little') for w in words))
        acc = subprocess.run([engine, '--decode', path], capture_output=True, text=True, check=True).stdout.strip()
        dis = subprocess.run([objdump, '-D', '-b', 'binary', '-m', 'aarch64', path], capture_output=True, text=True,
                             check=True).stdout
    lines = [l.split('\t') for l in dis.splitlines() if l.count('\t') >= 2]
    if len(lines) != count or len(acc) != count:
        print('sve_isa_check: %d disassembled, %d decoded of %d words' % (len(lines), len(acc), count))
        return 1
    seen = {}
    for k, l in enumerate(lines):
        mn, ops = l[2].strip(), (l[3] if len(l) > 3 else '')
        undefined = mn.startswith('.inst')
        ok = acc[k] == '1'
        if undefined and ok:
            problem = 'accepted, objdump: unallocated'
        elif not undefined and not ok and mn not in NOT_IMPLEMENTED and mn not in NOT_BASE and \
                not sve2_form(words[k], mn, ops):
            problem = 'rejected base SVE'
        else:
            continue
        bad += 1
        if len(seen.setdefault(problem, [])) < 10:
            seen[problem].append('0x%08x %s %s' % (words[k], mn, ops))
    for problem, ex in seen.items():
        print('%s: %s' % (problem, '; '.join(ex)))
    print('sve_isa_check: %d random SVE-space words, %d disagreements with objdump' % (count, bad))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--as', dest='asm', default='aarch64-linux-gnu-as')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--objdump', default='aarch64-linux-gnu-objdump')
    ap.add_argument('--engine', help='sve_engine, for the random-word comparison')
    ap.add_argument('--words', type=int, default=200000)
    args = ap.parse_args()
    _, _, rows = gen_decode.parse(os.path.join(ROOT, 'src', 'engine', 'isa', 'sve.isa'))
    with tempfile.TemporaryDirectory() as tmp:
        s, o, b = (os.path.join(tmp, x) for x in ('t.S', 't.o', 't.bin'))
        with open(s, 'w') as f:
            f.write('.arch armv9-a+sve2-bitperm\n' + ''.join('%s\n' % c for c, _ in CASES))
        subprocess.run([args.asm, '-W', '-o', o, s], check=True)
        subprocess.run([args.objcopy, '-O', 'binary', '-j', '.text', o, b], check=True)
        words = open(b, 'rb').read()
    bad = 0
    for k, (text, want) in enumerate(CASES):
        w = int.from_bytes(words[4 * k:4 * k + 4], 'little')
        hits = [r for r in rows if (w & r.mask) == r.match]
        names = [r.name for r in hits]
        first = hits[0] if hits else None
        ok = first is not None and first.name == want
        # Inside a priority group rows are tried in order (a row refuses what
        # is not its own): the wanted row must be a hit and every hit in the group.
        if first is not None and len(hits) > 1:
            ok = want in names and all(r.group and r.group == first.group for r in hits)
        if not ok:
            bad += 1
            print('MISMATCH %-45s 0x%08x: rows %s, expected %s' % (text, w, names or 'none', want))
    print('sve_isa_check: %d instructions, %d mismatches' % (len(CASES), bad))
    covered = {w for _, w in CASES}
    missing = [r.name for r in rows if r.name not in covered]
    if missing:
        print('sve_isa_check: rows without a case: %s' % ', '.join(missing))
        bad += 1
    if args.engine:
        bad += random_words(args.engine, args.objdump, args.words, 1)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
