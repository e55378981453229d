#!/usr/bin/env bash
# scripts/fuzz.sh - build the libFuzzer harnesses (clang, ASan+UBSan, coverage in
# libsoftkvm) in build-fuzz/ and run each for FUZZ_SECONDS (default 60), then
# print executions per second and totals. `make fuzz` calls this.
#
#   FUZZ_SECONDS=600 scripts/fuzz.sh              # longer runs
#   FUZZ_TARGETS="ioctl" scripts/fuzz.sh          # a subset (default: every fuzz_* built)
#   FUZZ_JOBS=2 scripts/fuzz.sh                   # parallel libFuzzer workers per target
#
# The checked-in corpus (fuzz/corpus/<t>) seeds a working corpus in
# build-fuzz/corpus/<t>, which grows run after run; crashes land in
# build-fuzz/artifacts/<t>/. To keep a crash as a regression input, copy it to
# fuzz/corpus/<t>/regress-<what> (the CTest test fuzz.<t>.corpus replays it).
# Exit status: 0 if no fuzzer found a crash, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-1}
BUILD=build-fuzz

if ! command -v clang >/dev/null; then
    echo "fuzz.sh: clang not found (libFuzzer needs it)" >&2
    exit 2
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DSOFTKVM_FUZZ=ON -DSOFTKVM_SANITIZE=ON \
          -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
targets=${FUZZ_TARGETS:-}
if [ -z "$targets" ]; then
    for d in fuzz/corpus/*/; do targets+=" $(basename "$d")"; done
fi
build_list=""
for t in $targets; do build_list+=" fuzz_$t"; done
nice cmake --build "$BUILD" -j "$(nproc)" --target $build_list

status=0
summary=""
for t in $targets; do
    bin="$BUILD/fuzz/fuzz_$t"
    if [ ! -x "$bin" ]; then
        summary+=$(printf '%-8s %12s %12s  %s' "$t" "-" "-" "not built")$'\n'
        continue
    fi
    corpus="$BUILD/corpus/$t"
    art="$BUILD/artifacts/$t"
    log="$BUILD/fuzz-$t.log"
    mkdir -p "$corpus" "$art"
    cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
    echo "== fuzz_$t for ${SECONDS_PER}s (log: $log)"
    rc=0
    par=()
    if [ "$JOBS" -gt 1 ]; then par=(-jobs="$JOBS" -workers="$JOBS"); fi
    nice "$bin" -max_total_time="$SECONDS_PER" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
        "${par[@]}" -artifact_prefix="$art/" "$corpus" >"$log" 2>&1 || rc=$?
    if [ "$JOBS" -gt 1 ]; then cat fuzz-*.log >>"$log" 2>/dev/null && rm -f fuzz-*.log; fi
    execs=$(awk -F: '/stat::number_of_executed_units/ {s += $NF} END {print s + 0}' "$log")
    rate=$(awk -F: '/stat::average_exec_per_sec/ {s += $NF} END {print s + 0}' "$log")
    note="ok"
    if [ "$rc" -ne 0 ]; then
        status=1
        note="CRASH (exit $rc): $(ls -t "$art" 2>/dev/null | head -1)"
        grep -m1 -E "FUZZ INVARIANT BROKEN|ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error" \
            "$log" || true
    fi
    summary+=$(printf '%-8s %12s %12s  %s' "$t" "$rate" "$execs" "$note")$'\n'
done

echo
printf '%-8s %12s %12s  %s\n' target "execs/s" "executions" result
printf '%s' "$summary"
exit $status
