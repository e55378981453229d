# sve.cmake - SVE benchmark builds (bench/run_sve.sh; not a test).
#
# The FP kernels (workloads/fp_workloads.c: daxpy, dot, stencil, reduce) and
# the integer kernels (workloads/workloads.c) built for SVE with gcc 12's
# auto-vectoriser (-march=armv8-a+sve; vector-length agnostic code), each
# linked into a freestanding engine guest (start.S + guest.ld) and a static
# Linux program for qemu-aarch64, plus an AVX2 host build of the FP kernels
# (the "native" column of shared/bench/ANCHORS.md table (b)).
#   sve_fp   fp_workloads.c, -O3 -ffast-math -march=armv8-a+sve   (host: -O3 -ffast-math -mavx2 -mfma)
#   sve_int  workloads.c,    -O2 -march=armv8-a+sve
set(BW ${CMAKE_CURRENT_SOURCE_DIR}/workloads)
set(SVE_VARIANTS sve_fp sve_int)
set(SVE_SRC_sve_fp ${BW}/fp_workloads.c)
set(SVE_SRC_sve_int ${BW}/workloads.c)
set(SVE_OPT_sve_fp -O3 -ffast-math)
set(SVE_OPT_sve_int -O2)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_executable(bench_native_sve_fp ${BW}/linux_main.c ${BW}/fp_workloads.c)
  target_compile_options(bench_native_sve_fp PRIVATE -O3 -ffast-math -mavx2 -mfma $<$<C_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>)
endif()

if(AARCH64_CC)
  set(BO ${CMAKE_CURRENT_BINARY_DIR})
  find_program(AARCH64_NM aarch64-linux-gnu-nm)
  find_program(AARCH64_OBJCOPY_B aarch64-linux-gnu-objcopy)
  set(SVE_IMAGES "")
  foreach(v ${SVE_VARIANTS})
    add_custom_command(
      OUTPUT ${BO}/${v}.o
      COMMAND ${AARCH64_CC} ${SVE_OPT_${v}} -march=armv8-a+sve -fno-tree-loop-distribute-patterns -ffreestanding
              -fno-stack-protector -fno-pic -c ${SVE_SRC_${v}} -o ${BO}/${v}.o
      COMMAND sh -c "test -z \"$(${AARCH64_NM} -u ${BO}/${v}.o)\" || { echo '${v}.o has undefined symbols'; exit 1; }"
      DEPENDS ${SVE_SRC_${v}}
      COMMENT "Building the ${v} benchmark kernels for aarch64 SVE"
      VERBATIM)
    add_custom_command(
      OUTPUT ${BO}/engine_guest_${v}.bin
      COMMAND ${AARCH64_CC} -nostdlib -static -no-pie -Wl,--build-id=none -T ${BW}/guest.ld
              -o ${BO}/engine_guest_${v}.elf ${BW}/start.S ${BO}/${v}.o
      COMMAND ${AARCH64_OBJCOPY_B} -O binary ${BO}/engine_guest_${v}.elf ${BO}/engine_guest_${v}.bin
      DEPENDS ${BW}/start.S ${BW}/guest.ld ${BO}/${v}.o
      COMMENT "Linking the ${v} benchmark guest image"
      VERBATIM)
    add_custom_command(
      OUTPUT ${BO}/bench_linux_${v}
      COMMAND ${AARCH64_CC} -O2 -static -o ${BO}/bench_linux_${v} ${BW}/linux_main.c ${BO}/${v}.o
      DEPENDS ${BW}/linux_main.c ${BO}/${v}.o
      COMMENT "Linking the ${v} benchmark as a static aarch64 Linux program"
      VERBATIM)
    list(APPEND SVE_IMAGES ${BO}/engine_guest_${v}.bin ${BO}/bench_linux_${v})
  endforeach()
  add_custom_target(bench_sve_images ALL DEPENDS ${SVE_IMAGES})
endif()
