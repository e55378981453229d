#!/usr/bin/env bash
# run.sh - every benchmark (make bench): the KVM-API costs (lifecycle, ONE_REG,
# MMIO exits) against the nested real-KVM anchors, then the engine's guest MIPS
# against qemu-aarch64 and native, measured side by side (bench/run_engine.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
cmake --build "$BUILD" --target bench_lifecycle bench_engine bench_native bench_engine_images >/dev/null

# Nested real KVM, shared/bench/ANCHORS.md table (c) (medians of 5 boots).
REAL_LIFECYCLE_US=4086
REAL_MMIO_US=173

echo "== KVM API costs (softkvm, $(nproc) CPUs, medians of 5 runs)"
"$BUILD/bench/bench_lifecycle" "${ITERS:-2000}" | tee "$BUILD/bench_lifecycle.txt"
awk -v rl=$REAL_LIFECYCLE_US -v rm=$REAL_MMIO_US '
  $1 == "lifecycle_us" { printf "lifecycle: %.1f us vs %d us on nested real KVM: %.0fx faster\n", $2, rl, rl / $2 }
  $1 == "mmio_roundtrip_ns" { printf "MMIO exit round trip: %.2f us vs %d us on nested real KVM: %.0fx faster\n", $2 / 1000, rm, rm * 1000 / $2 }
' "$BUILD/bench_lifecycle.txt"

echo
echo "== Engine: guest MIPS vs qemu-aarch64 and native"
"$ROOT/bench/run_engine.sh" "$BUILD" "${RUNS:-5}"
