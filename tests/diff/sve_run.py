#!/usr/bin/env python3
"""sve_run.py - SVE differential test of the engine against qemu-aarch64, at
every vector length.

  sve_run.py --class int --count 1500 --seed 1 --vqs 1,2,3,4,8,16 \\
             --ref build/tests/diff/sve_ref --engine build/tests/diff/sve_engine

Generates the cases once (sve_gen.py), then for each VQ runs them under
`qemu-aarch64 -cpu max,sve-max-vq=VQ sve_ref` (the reference sets its VL to
VQ x 16 bytes) and under sve_engine (an SVE vCPU with VQs 1..VQ, ZCR_EL1.LEN
= VQ - 1), and compares per case: how it stopped and where, X0-X30, SP,
NZCV, FPSR, Z0-Z31 and P0-P15 and FFR at that VL (as stored by each case's
epilogue) and the 4 KiB data buffer. Prints a summary per VL and the first
mismatches with the code's disassembly; exits 1 on any mismatch.
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import sve_gen  # noqa: E402

RES_FMT = '<IIQ31QQQQ8192s512s32s%ds' % sve_gen.SVE_BUF
RES_SIZE = struct.calcsize(RES_FMT)
KINDS = ['end', 'undef', 'align', 'segv', 'trap', 'timeout', 'other']


def read_results(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, count, vl, _ = struct.unpack_from('<IIII', data, 0)
    if magic != sve_gen.MAGIC:
        raise SystemExit('%s: bad magic' % path)
    out = []
    for i in range(count):
        t = struct.unpack_from(RES_FMT, data, 16 + i * RES_SIZE)
        out.append({'kind': t[0], 'id': t[1], 'stop': t[2], 'x': t[3:34], 'sp': t[34], 'nzcv': t[35],
                    'fpsr': t[36], 'z': t[37], 'p': t[38], 'ffr': t[39], 'buf': t[40]})
    return vl, out


def diff_one(a, b, vl):
    d = []
    if a['kind'] != b['kind']:
        d.append('stop kind: qemu %s, engine %s' % (KINDS[a['kind']], KINDS[b['kind']]))
    if a['stop'] != b['stop']:
        d.append('stop pc offset: qemu 0x%x, engine 0x%x' % (a['stop'], b['stop']))
    if a['kind'] == 5 and b['kind'] == 5:
        return d
    for i in range(31):
        if a['x'][i] != b['x'][i]:
            d.append('x%d: qemu 0x%016x, engine 0x%016x' % (i, a['x'][i], b['x'][i]))
    for k in ('sp', 'nzcv', 'fpsr'):
        if a[k] != b[k]:
            d.append('%s: qemu 0x%x, engine 0x%x' % (k, a[k], b[k]))
    for i in range(32):
        za, zb = a['z'][256 * i:256 * i + vl], b['z'][256 * i:256 * i + vl]
        if za != zb:
            d.append('z%d: qemu %s\n          engine %s' % (i, za[::-1].hex(), zb[::-1].hex()))
    pl = vl // 8
    for i in range(16):
        pa, pb = a['p'][32 * i:32 * i + pl], b['p'][32 * i:32 * i + pl]
        if pa != pb:
            d.append('p%d: qemu %s, engine %s' % (i, pa[::-1].hex(), pb[::-1].hex()))
    if a['ffr'][:pl] != b['ffr'][:pl]:
        d.append('ffr: qemu %s, engine %s' % (a['ffr'][:pl][::-1].hex(), b['ffr'][:pl][::-1].hex()))
    if a['buf'] != b['buf']:
        for off in range(0, len(a['buf']), 16):
            if a['buf'][off:off + 16] != b['buf'][off:off + 16]:
                d.append('buf+0x%x: qemu %s, engine %s' % (off, a['buf'][off:off + 16].hex(),
                                                          b['buf'][off:off + 16].hex()))
                if len(d) > 40:
                    break
    return d


def disasm(objdump, work, klass, idx):
    o = os.path.join(work, '%s.o' % klass)
    start = 1024 * idx
    try:
        out = subprocess.run([objdump, '-d', '--start-address=%d' % start, '--stop-address=%d' % (start + 1024), o],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return '   (no disassembly)'
    lines = []
    body = False
    for l in out.splitlines():
        if ':\t' not in l:
            continue
        # Skip the prologue (up to the last "ldr x0, [sp, #-8]") and stop at the epilogue.
        if 'x0, [sp, #-8]' in l and 'ld' in l and not body:
            body = True
            continue
        if 'x0, [sp, #-8]' in l and 'st' in l and body:
            break
        if body:
            lines.append('   ' + l.strip())
    return '\n'.join(lines[:40])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--class', dest='klass', required=True, choices=sorted(sve_gen.GENERATORS) + ['edge'])
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--vqs', default='1,2,3,4,8,16', help='comma-separated VQs (VL = 128 x VQ bits)')
    ap.add_argument('--ref', required=True, help='sve_ref (aarch64 static binary)')
    ap.add_argument('--engine', required=True, help='sve_engine (host binary)')
    ap.add_argument('--qemu', default='qemu-aarch64')
    ap.add_argument('--as', dest='asm', default='aarch64-linux-gnu-as')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--objdump', default='aarch64-linux-gnu-objdump')
    ap.add_argument('--show', type=int, default=4, help='mismatches to print per VL')
    ap.add_argument('--keep', help='keep the work files in this directory')
    args = ap.parse_args()

    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        t0 = time.time()
        cases, blob = sve_gen.build(args.klass, args.count, args.seed, args.asm, args.objcopy, work)
        cpath = os.path.join(work, '%s.cases' % args.klass)
        sve_gen.write_cases(cases, blob, cpath)
        print('class %s seed %d: %d cases generated in %.1f s' % (args.klass, args.seed, len(cases), time.time() - t0))
        for vq in [int(v) for v in args.vqs.split(',')]:
            vl = 16 * vq
            rpath = os.path.join(work, '%s.%d.ref' % (args.klass, vq))
            epath = os.path.join(work, '%s.%d.eng' % (args.klass, vq))
            t1 = time.time()
            subprocess.run([args.qemu, '-cpu', 'max,sve-max-vq=%d' % vq, args.ref, str(vl), cpath, rpath], check=True)
            t2 = time.time()
            subprocess.run([args.engine, str(vl), cpath, epath], check=True)
            t3 = time.time()
            rvl, ref = read_results(rpath)
            evl, eng = read_results(epath)
            if rvl != vl or evl != vl or len(ref) != len(cases) or len(eng) != len(cases):
                print('FAIL: VL %d/%d/%d, result counts %d/%d for %d cases' % (vl, rvl, evl, len(ref), len(eng),
                                                                             len(cases)))
                failed = True
                continue
            kinds = [0] * len(KINDS)
            bad = []
            for a, b in zip(ref, eng):
                kinds[a['kind']] += 1
                d = diff_one(a, b, vl)
                if d:
                    bad.append((a['id'], d))
            summary = ', '.join('%s %d' % (KINDS[i], n) for i, n in enumerate(kinds) if n)
            print('  VL %4d bits: %d cases (%s), %d mismatches  [qemu %.1f s, engine %.2f s]' %
                  (8 * vl, len(cases), summary, len(bad), t2 - t1, t3 - t2))
            for cid, d in bad[:args.show]:
                print('  --- case %d (VL %d) ---' % (cid, 8 * vl))
                print(disasm(args.objdump, work, args.klass, cid))
                for line in d[:12]:
                    print('   ' + line)
            if bad:
                failed = True
            if args.klass not in ('rows',) and kinds[0] < len(cases) // 2:
                print('FAIL: fewer than half of the sequences ran to their end')
                failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
