#!/usr/bin/env python3
"""scan_undef.py - which encodings does qemu-aarch64 -cpu max execute that the engine UNDEFs?

  scan_undef.py --space simd --count 20000 --seed 1 --ref build/tests/diff/diff_ref \\
                --engine build/tests/diff/diff_engine

An audit tool, not a test: random words of one encoding space run alone (one
word, then the end marker) under QEMU and under the engine; words QEMU runs
to the end while the engine raises UNDEF are disassembled with objdump and
counted by mnemonic, which lists the instructions the ID registers promise
and the engine lacks. Other stop-kind disagreements are counted too (the
engine runs at EL1, QEMU at EL0, so EL1-only system instructions differ by
design). Spaces (bits fixed, the rest random):
  simd    op0 = x111: SIMD&FP data processing
  scalar  01x1 111x: AdvSIMD scalar groups
  fp      x0x1 1110: scalar FP and FP <-> integer conversions
  ldst    op0 = x1x0: loads and stores
  sys     1101 0101 00: system instructions and register moves
"""

import argparse
import collections
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_cases as G  # noqa: E402
import run_diff as R  # noqa: E402

SPACES = {                     # (mask of fixed bits, their value)
    'simd': (0x0e000000, 0x0e000000),
    'scalar': (0xde000000, 0x5e000000),
    'fp': (0x5f000000, 0x1e000000),
    'ldst': (0x0a000000, 0x08000000),
    'sys': (0xffc00000, 0xd5000000),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--space', choices=sorted(SPACES), required=True)
    ap.add_argument('--count', type=int, default=20000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--ref', required=True)
    ap.add_argument('--engine', required=True)
    ap.add_argument('--qemu', default='qemu-aarch64')
    ap.add_argument('--cpu', default='max,sve=off')
    ap.add_argument('--as', dest='asm', default='aarch64-linux-gnu-as')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--objdump', default='aarch64-linux-gnu-objdump')
    args = ap.parse_args()
    mask, value = SPACES[args.space]
    words = []

    def gen(rng, c):
        w = (rng.getrandbits(32) & ~mask) | value
        words.append(w)
        for i in range(31):
            c.x[i] = G.DIFF_DATA + 256        # every base register points into the buffer
        c.add(G.inst(w))

    G.GENERATORS['scan'] = gen
    with tempfile.TemporaryDirectory() as work:
        cases, blob = G.build('scan', args.count, args.seed, args.asm, args.objcopy, work)
        cpath, rpath, epath = (os.path.join(work, n) for n in ('c', 'r', 'e'))
        G.write_cases(cases, blob, cpath)
        subprocess.run([args.qemu, '-cpu', args.cpu, args.ref, cpath, rpath], check=True)
        subprocess.run([args.engine, cpath, epath], check=True)
        missing, other = collections.Counter(), collections.Counter()
        for w, a, b in zip(words, R.read_results(rpath), R.read_results(epath)):
            if a['kind'] == 0 and b['kind'] == 1:
                missing[w] += 1
            elif a['kind'] != b['kind']:
                other['qemu %s, engine %s' % (R.KINDS[a['kind']], R.KINDS[b['kind']])] += 1
        by_mn, example = collections.Counter(), {}
        if missing:
            spath, opath = os.path.join(work, 'm.s'), os.path.join(work, 'm.o')
            with open(spath, 'w') as f:
                f.write(''.join('.inst 0x%08x\n' % w for w in missing))
            subprocess.run([args.asm, '-o', opath, spath], check=True)
            dis = subprocess.run([args.objdump, '-d', '-M', 'no-aliases', opath], capture_output=True,
                                 text=True, check=True).stdout
            for line in dis.splitlines():
                p = line.split('\t')
                if len(p) >= 3 and p[0].rstrip().endswith(':'):
                    mn = p[2].split()[0] if p[2].split() else '?'
                    by_mn[mn] += 1
                    example.setdefault(mn, '%s  %s' % (p[1].strip(), '\t'.join(p[2:]).strip()))
    print('space %s seed %d: %d words, %d run by qemu but UNDEF in the engine' %
          (args.space, args.seed, args.count, sum(missing.values())))
    for mn, n in by_mn.most_common():
        print('%7d  %-12s e.g. %s' % (n, mn, example[mn]))
    for k, n in other.most_common():
        print('%7d  other: %s' % (n, k))
    return 0


if __name__ == '__main__':
    sys.exit(main())
