# Thin wrapper around CMake. `make` builds, `make test` runs every test, `make demo` runs the demo.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all build test test-asan test-tsan demo oracle bench fuzz clean

all: build

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UBSan.
test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DSOFTKVM_SANITIZE=ON -DCMAKE_C_COMPILER=clang"

# Multi-threaded tests under ThreadSanitizer.
test-tsan:
	$(MAKE) build BUILD=build-tsan CMAKE_FLAGS="-DSOFTKVM_TSAN=ON -DCMAKE_C_COMPILER=clang"
	cd build-tsan && ctest --output-on-failure -L threads

demo: build
	$(BUILD)/tools/softkvm-run/softkvm-demo

# The ABI conformance tests on real Linux 6.1 KVM inside qemu-system-aarch64.
oracle: build
	scripts/oracle/run.sh

bench: build
	bench/run.sh

fuzz:
	scripts/fuzz.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz
