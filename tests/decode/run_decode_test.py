#!/usr/bin/env python3
"""run_decode_test.py GEN SPEC - check that gen_decode.py accepts or rejects SPEC
as its "# expect:" line says ("ok", or a piece of the expected error message),
and that an accepted spec produces the generated header and tables."""
import os
import subprocess
import sys
import tempfile

gen, spec = sys.argv[1], sys.argv[2]
expect = None
with open(spec) as f:
    for line in f:
        if line.startswith('# expect:'):
            expect = line.split(':', 1)[1].strip()
            break
if expect is None:
    sys.exit('%s: no "# expect:" line' % spec)
r = subprocess.run([sys.executable, gen, '--check', spec], capture_output=True, text=True)
if expect == 'ok':
    if r.returncode != 0:
        sys.exit('%s: rejected, expected ok:\n%s' % (spec, r.stderr))
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run([sys.executable, gen, spec, '--out', d, '--prefix', 't'], capture_output=True, text=True)
        if r.returncode or not os.path.exists(os.path.join(d, 't_args.h')) \
                or not os.path.exists(os.path.join(d, 't_tables.inc')):
            sys.exit('%s: generation failed:\n%s' % (spec, r.stderr))
    print('%s: accepted' % spec)
else:
    if r.returncode == 0:
        sys.exit('%s: accepted, expected rejection (%s)' % (spec, expect))
    if expect not in r.stderr:
        sys.exit('%s: rejected for another reason: %s' % (spec, r.stderr))
    print('%s: rejected as expected: %s' % (spec, r.stderr.strip()))
