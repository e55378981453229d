# fp.cmake - FP and vectorised benchmark builds (bench/run_fp.sh; not a test).
#
# Three aarch64 builds of benchmark kernels, each linked into a freestanding
# engine guest (start.S + guest.ld, as engine.cmake does) and a static Linux
# program for qemu-aarch64, plus the matching host builds:
#   fp_scalar  fp_workloads.c, -O2 -fno-tree-vectorize   (host: the same flags)
#   fp_neon    fp_workloads.c, -O3 -ffast-math           (host: the same, SSE2)
#   int_vec    workloads.c,    -O2 (gcc 12 vectorises)    (host: the same)
set(BW ${CMAKE_CURRENT_SOURCE_DIR}/workloads)
set(FP_VARIANTS fp_scalar fp_neon int_vec)
set(FP_SRC_fp_scalar ${BW}/fp_workloads.c)
set(FP_SRC_fp_neon ${BW}/fp_workloads.c)
set(FP_SRC_int_vec ${BW}/workloads.c)
set(FP_OPT_fp_scalar -O2 -fno-tree-vectorize)
set(FP_OPT_fp_neon -O3 -ffast-math)
set(FP_OPT_int_vec -O2)

foreach(v ${FP_VARIANTS})
  add_executable(bench_native_${v} ${BW}/linux_main.c ${FP_SRC_${v}})
  target_compile_options(bench_native_${v} PRIVATE ${FP_OPT_${v}} $<$<C_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>)
endforeach()

if(AARCH64_CC)
  set(BO ${CMAKE_CURRENT_BINARY_DIR})
  find_program(AARCH64_NM aarch64-linux-gnu-nm)
  find_program(AARCH64_OBJCOPY_B aarch64-linux-gnu-objcopy)
  set(FP_IMAGES "")
  foreach(v ${FP_VARIANTS})
    add_custom_command(
      OUTPUT ${BO}/${v}.o
      COMMAND ${AARCH64_CC} ${FP_OPT_${v}} -fno-tree-loop-distribute-patterns -ffreestanding -fno-stack-protector
              -fno-pic -c ${FP_SRC_${v}} -o ${BO}/${v}.o
      COMMAND sh -c "test -z \"$(${AARCH64_NM} -u ${BO}/${v}.o)\" || { echo '${v}.o has undefined symbols'; exit 1; }"
      DEPENDS ${FP_SRC_${v}}
      COMMENT "Building the ${v} benchmark kernels for aarch64"
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
    list(APPEND FP_IMAGES ${BO}/engine_guest_${v}.bin ${BO}/bench_linux_${v})
  endforeach()
  add_custom_target(bench_fp_images ALL DEPENDS ${FP_IMAGES})
endif()
