# engine.cmake - the engine benchmark (bench/run_engine.sh; not a test).
#
# bench_engine (host) runs bench/workloads as a freestanding guest on the
# engine; with the aarch64 cross compiler the same workloads object is linked
# into that guest image (engine_guest.bin) and into a static Linux program for
# qemu-aarch64 (bench_linux), so both execute identical instructions.
# -fno-tree-vectorize: gcc 12 -O2 would otherwise emit NEON arithmetic, which
# the engine does not execute yet.
set(BW ${CMAKE_CURRENT_SOURCE_DIR}/workloads)
add_executable(bench_engine ${BW}/bench_engine.c)
target_link_libraries(bench_engine PRIVATE softkvm)

# The same kernels compiled for the host, for the "fraction of native" column.
add_executable(bench_native ${BW}/linux_main.c ${BW}/workloads.c)
target_compile_options(bench_native PRIVATE -O2 -fno-tree-vectorize $<$<C_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>)

if(AARCH64_CC)
  set(BO ${CMAKE_CURRENT_BINARY_DIR})
  set(BENCH_CFLAGS -O2 -fno-tree-vectorize -fno-tree-loop-distribute-patterns -ffreestanding
                   -fno-stack-protector -fno-pic -mgeneral-regs-only)
  find_program(AARCH64_NM aarch64-linux-gnu-nm)
  find_program(AARCH64_OBJCOPY_B aarch64-linux-gnu-objcopy)
  add_custom_command(
    OUTPUT ${BO}/workloads.o
    COMMAND ${AARCH64_CC} ${BENCH_CFLAGS} -c ${BW}/workloads.c -o ${BO}/workloads.o
    # The object must not call anything (no libc on the guest side).
    COMMAND sh -c "test -z \"$(${AARCH64_NM} -u ${BO}/workloads.o)\" || { echo 'workloads.o has undefined symbols'; exit 1; }"
    DEPENDS ${BW}/workloads.c
    COMMENT "Building the benchmark kernels for aarch64"
    VERBATIM)
  add_custom_command(
    OUTPUT ${BO}/engine_guest.bin
    COMMAND ${AARCH64_CC} -nostdlib -static -no-pie -Wl,--build-id=none -T ${BW}/guest.ld -o ${BO}/engine_guest.elf
            ${BW}/start.S ${BO}/workloads.o
    COMMAND ${AARCH64_OBJCOPY_B} -O binary ${BO}/engine_guest.elf ${BO}/engine_guest.bin
    DEPENDS ${BW}/start.S ${BW}/guest.ld ${BO}/workloads.o
    COMMENT "Linking the benchmark guest image"
    VERBATIM)
  add_custom_command(
    OUTPUT ${BO}/bench_linux
    COMMAND ${AARCH64_CC} -O2 -static -o ${BO}/bench_linux ${BW}/linux_main.c ${BO}/workloads.o
    DEPENDS ${BW}/linux_main.c ${BO}/workloads.o
    COMMENT "Linking the benchmark as a static aarch64 Linux program"
    VERBATIM)
  add_custom_target(bench_engine_images ALL DEPENDS ${BO}/engine_guest.bin ${BO}/bench_linux)
endif()
