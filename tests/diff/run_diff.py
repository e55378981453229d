#!/usr/bin/env python3
"""run_diff.py - differential test of the engine against qemu-aarch64.

  run_diff.py --class dp --count 3000 --seed 1 --ref build/diff_ref --engine build/diff_engine

Generates the cases (gen_cases.py), runs them under `qemu-aarch64 -cpu max
diff_ref` and under diff_engine, and compares, per case: how the sequence
stopped (end, UNDEF, alignment fault, ...) and where, X0-X30, SP, NZCV,
V0-V31, FPSR and the 1 KiB buffer. Prints a summary per stop kind and the
first mismatches with the code's disassembly; exits 1 on any mismatch.
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_cases  # noqa: E402

RES_FMT = '<IIQ31QQQQ512s%ds' % gen_cases.DIFF_BUF
RES_SIZE = struct.calcsize(RES_FMT)
KINDS = ['end', 'undef', 'align', 'segv', 'trap', 'timeout', 'other']


def read_results(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic, count = struct.unpack_from('<II', data, 0)
    if magic != gen_cases.MAGIC:
        raise SystemExit('%s: bad magic' % path)
    out = []
    for i in range(count):
        t = struct.unpack_from(RES_FMT, data, 8 + i * RES_SIZE)
        out.append({'kind': t[0], 'id': t[1], 'stop': t[2], 'x': t[3:34], 'sp': t[34], 'nzcv': t[35],
                    'fpsr': t[36], 'v': t[37], 'buf': t[38]})
    return out


def diff_one(a, b):
    """List of differences between reference a and engine b."""
    d = []
    if a['kind'] != b['kind']:
        d.append('stop kind: qemu %s, engine %s' % (KINDS[a['kind']], KINDS[b['kind']]))
    if a['stop'] != b['stop']:
        d.append('stop pc offset: qemu 0x%x, engine 0x%x' % (a['stop'], b['stop']))
    if a['kind'] == 5 and b['kind'] == 5:
        return d                      # both timed out: state is wherever each stopped
    for i in range(31):
        if a['x'][i] != b['x'][i]:
            d.append('x%d: qemu 0x%016x, engine 0x%016x' % (i, a['x'][i], b['x'][i]))
    if a['sp'] != b['sp']:
        d.append('sp: qemu 0x%x, engine 0x%x' % (a['sp'], b['sp']))
    if a['nzcv'] != b['nzcv']:
        d.append('nzcv: qemu %x, engine %x' % (a['nzcv'] >> 28, b['nzcv'] >> 28))
    if a['fpsr'] != b['fpsr']:
        d.append('fpsr: qemu 0x%x, engine 0x%x' % (a['fpsr'], b['fpsr']))
    for i in range(32):
        va, vb = a['v'][16 * i:16 * i + 16], b['v'][16 * i:16 * i + 16]
        if va != vb:
            d.append('v%d: qemu %s, engine %s' % (i, va[::-1].hex(), vb[::-1].hex()))
    if a['buf'] != b['buf']:
        for off in range(0, len(a['buf']), 8):
            if a['buf'][off:off + 8] != b['buf'][off:off + 8]:
                d.append('buf+0x%x: qemu %s, engine %s' % (off, a['buf'][off:off + 8].hex(),
                                                          b['buf'][off:off + 8].hex()))
                if len(d) > 40:
                    break
    return d


def disasm(objdump, work, klass, idx):
    o = os.path.join(work, '%s.o' % klass)
    start = 256 * idx
    try:
        out = subprocess.run([objdump, '-d', '--start-address=%d' % start, '--stop-address=%d' % (start + 256), o],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return '   (no disassembly)'
    lines = []
    for l in out.splitlines():
        if l.strip() and ':\t' in l:
            lines.append('   ' + l.strip())
            if 'brk' in l and '0x777' in l:
                break
    return '\n'.join(lines[:40])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--class', dest='klass', required=True)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--ref', required=True, help='diff_ref (aarch64 static binary)')
    ap.add_argument('--engine', required=True, help='diff_engine (host binary)')
    ap.add_argument('--qemu', default='qemu-aarch64')
    # SVE off: QEMU's user-mode signal frame then carries the V registers only in
    # the FPSIMD record, which the runner rewrites (SVE is not executed here yet).
    ap.add_argument('--cpu', default='max,sve=off')
    ap.add_argument('--as', dest='asm', default='aarch64-linux-gnu-as')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--objdump', default='aarch64-linux-gnu-objdump')
    ap.add_argument('--show', type=int, default=5, help='mismatches to print')
    ap.add_argument('--keep', help='keep the work files in this directory')
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        cases, blob = gen_cases.build(args.klass, args.count, args.seed, args.asm, args.objcopy, work)
        cpath = os.path.join(work, '%s.cases' % args.klass)
        gen_cases.write_cases(cases, blob, cpath)
        rpath = os.path.join(work, '%s.ref' % args.klass)
        epath = os.path.join(work, '%s.eng' % args.klass)
        subprocess.run([args.qemu, '-cpu', args.cpu, args.ref, cpath, rpath], check=True)
        subprocess.run([args.engine, cpath, epath], check=True)
        ref, eng = read_results(rpath), read_results(epath)
        if len(ref) != len(cases) or len(eng) != len(cases):
            print('FAIL: result counts %d/%d for %d cases' % (len(ref), len(eng), len(cases)))
            return 1
        kinds = [0] * len(KINDS)
        bad = []
        for a, b in zip(ref, eng):
            kinds[a['kind']] += 1
            d = diff_one(a, b)
            if d:
                bad.append((a['id'], d))
        summary = ', '.join('%s %d' % (KINDS[i], n) for i, n in enumerate(kinds) if n)
        print('class %s seed %d: %d cases (%s), %d mismatches' % (args.klass, args.seed, len(cases), summary,
                                                                  len(bad)))
        for cid, d in bad[:args.show]:
            c = cases[cid]
            print('--- case %d ---' % cid)
            print(disasm(args.objdump, work, args.klass, cid))
            print('   initial nzcv %x sp 0x%x' % (c.nzcv >> 28, c.sp))
            for line in d[:20]:
                print('   ' + line)
        if kinds[0] < len(cases) // 10 and args.klass not in ('dp',):
            print('FAIL: fewer than 10%% of the sequences ran to their end')
            return 1
        return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
