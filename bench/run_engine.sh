#!/bin/sh
# run_engine.sh - engine vs qemu-aarch64 on the integer workloads, side by side.
#
#   bench/run_engine.sh [BUILD_DIR] [RUNS] [SIZE]
#
# BUILD_DIR (default: build) must hold bench/bench_engine, bench/engine_guest.bin,
# bench/bench_linux and bench/bench_native (bench/engine.cmake builds them). For each workload the
# script runs, interleaved RUNS times (default 5): the guest on the engine
# (bench_engine, CPU time of the run) and the same kernels as a static Linux
# program under `qemu-aarch64 -cpu max` (CPU time of the child, user+sys, from
# wait4). Both execute the same workloads.o; the guest instruction count is the
# engine's retired-instruction counter, used for both (qemu additionally runs
# libc start-up, < 0.1 % here). The same C source built for the host
# (bench_native) gives "native-eq MIPS" = the aarch64 instruction count / native
# CPU time, as in shared/bench/ANCHORS.md. Checksums must agree. Medians are
# reported, as MIPS and engine/qemu and engine/native ratios, with the
# geometric mean; then the engine's MMIO
# exit round trip (exits per second, engine only: no KVM layer).
# SIZE scales the work (default 1: about 1e9 guest instructions per workload).
set -e
BUILD=${1:-build}
RUNS=${2:-5}
SIZE=${3:-1}
QEMU=${QEMU:-qemu-aarch64}
for f in "$BUILD/bench/bench_engine" "$BUILD/bench/engine_guest.bin" "$BUILD/bench/bench_linux" \
         "$BUILD/bench/bench_native"; do
    if [ ! -e "$f" ]; then
        echo "run_engine.sh: $f missing (build the bench_engine and bench_engine_images targets)" >&2
        exit 1
    fi
done
exec python3 - "$BUILD" "$RUNS" "$SIZE" "$QEMU" <<'EOF'
import math, os, statistics, subprocess, sys, time

build, runs, size, qemu = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
eng = os.path.join(build, 'bench', 'bench_engine')
img = os.path.join(build, 'bench', 'engine_guest.bin')
lin = os.path.join(build, 'bench', 'bench_linux')
nat = os.path.join(build, 'bench', 'bench_native')
# id, name, scale for ~1e9 guest instructions
work = [(0, 'crc32', 2000), (1, 'sieve', 250), (2, 'sort', 370), (3, 'interp', 40),
        (4, 'memops', 3500), (5, 'addchain', 125)]


def run_engine(i, scale):
    out = subprocess.run([eng, img, str(i), str(scale)], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), float(out[2]), float(out[4])   # checksum, insns, cpu s, wall s


def run_qemu(i, scale, native=False):
    t0 = time.perf_counter()
    cmd = [nat] if native else [qemu, '-cpu', 'max', lin]
    p = subprocess.Popen(cmd + [str(i), str(scale)], stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status:
        raise SystemExit('qemu run failed: %s' % status)
    return int(out.split()[0]), ru.ru_utime + ru.ru_stime, wall


rows, ratios, e_mips_all, q_mips_all, n_mips_all, nratios = [], [], [], [], [], []
print('| workload | guest insns (M) | engine s cpu (wall) | engine MIPS | qemu s cpu (wall) | qemu MIPS | '
      'native s cpu | native-eq MIPS | engine/qemu | engine/native | checksum |')
print('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|')
for i, name, scale in work:
    scale = max(1, int(scale * size))
    et, ew, qt, qw, nt = [], [], [], [], []
    ok = True
    insns = None
    for _ in range(runs):
        c1, n, t, w = run_engine(i, scale)
        c2, t2, w2 = run_qemu(i, scale)
        c3, t3, _ = run_qemu(i, scale, native=True)
        ok &= c1 == c2 == c3
        insns = n
        et.append(t); ew.append(w); qt.append(t2); qw.append(w2); nt.append(t3)
    e, q, nv = statistics.median(et), statistics.median(qt), statistics.median(nt)
    em, qm, nm = insns / e / 1e6, insns / q / 1e6, insns / nv / 1e6
    e_mips_all.append(em); q_mips_all.append(qm); n_mips_all.append(nm)
    ratios.append(em / qm); nratios.append(em / nm)
    print('| %s | %.0f | %.3f (%.3f) | %.0f | %.3f (%.3f) | %.0f | %.3f | %.0f | %.2fx | 1/%.1f | %s |' %
          (name, insns / 1e6, e, statistics.median(ew), em, q, statistics.median(qw), qm, nv, nm, em / qm,
           nm / em, 'same' if ok else 'DIFFERENT'))
    sys.stdout.flush()
g = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
print('| **geomean** | | | **%.0f** | | **%.0f** | | **%.0f** | **%.2fx** | **1/%.1f** | |' %
      (g(e_mips_all), g(q_mips_all), g(n_mips_all), g(ratios), 1 / g(nratios)))
mm = []
for _ in range(runs):
    out = subprocess.run([eng, img, '--mmio', '1000000'], capture_output=True, text=True, check=True).stdout.split()
    mm.append(float(out[2]))
print()
print('MMIO write exit round trip (engine_run -> exit -> complete -> engine_run), engine only: '
      'median %.2f M exits/s (%.0f ns each)' % (statistics.median(mm) / 1e6, 1e9 / statistics.median(mm)))
EOF
