# Thin wrapper around CMake. `make` builds, `make test` runs every test, `make demo` runs the demo.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_ARGS ?=

.PHONY: all build test test-asan test-tsan demo oracle bench fuzz clean

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The whole suite under AddressSanitizer + UBSan, but for Linux's selftests: they run the
# aarch64 shim under qemu-aarch64, which this build does not sanitize (make test runs them).
test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DSOFTKVM_SANITIZE=ON -DCMAKE_C_COMPILER=clang" CTEST_ARGS="-E ^selftests"

# Multi-threaded tests under ThreadSanitizer.
test-tsan:
	$(MAKE) build BUILD=build-tsan CMAKE_FLAGS="-DSOFTKVM_TSAN=ON -DCMAKE_C_COMPILER=clang"
	cd build-tsan && ctest --output-on-failure -L threads

# Builds only what the demo needs (library, softkvm-run, the demo guest), then runs it.
demo: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target softkvm-demo
	$(BUILD)/tools/softkvm-run/softkvm-demo

# Linux 6.1's own arm64 KVM selftests on softkvm (aarch64 shim under qemu-aarch64); see tests/selftests/run.sh.
.PHONY: selftests
selftests: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target softkvm-aarch64
	BUILD=$(BUILD) tests/selftests/run.sh

# The ABI conformance tests on real Linux 6.1 KVM inside qemu-system-aarch64
# (downloads Debian's arm64 kernel once; needs qemu-system-arm).
oracle:
	BUILD=$(BUILD) scripts/oracle/run.sh

bench: build
	bench/run.sh

fuzz:
	scripts/fuzz.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz
