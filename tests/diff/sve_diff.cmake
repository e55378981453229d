# sve_diff.cmake - the SVE differential tests (sve_run.py), included at the end
# of tests/diff/CMakeLists.txt once the cross tools and qemu-aarch64 are known
# to be there. Label "sve". Each class runs its cases at VQ 1, 2, 3, 4, 8 and
# 16 (128 to 2048 bits, one non-power of two) against
# qemu-aarch64 -cpu max,sve-max-vq=N; the default counts keep the whole label
# near one minute on two cores. `make sve_diff_long` runs more seeds.
add_executable(sve_engine ${CMAKE_CURRENT_SOURCE_DIR}/sve_engine.c)
target_link_libraries(sve_engine PRIVATE softkvm)

set(SVE_REF ${CMAKE_CURRENT_BINARY_DIR}/sve_ref)
add_custom_command(
  OUTPUT ${SVE_REF}
  COMMAND ${AARCH64_CC} -O2 -static -Wall -Wextra -Werror -Wno-unused-parameter -o ${SVE_REF}
          ${CMAKE_CURRENT_SOURCE_DIR}/sve_ref.c
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/sve_ref.c ${CMAKE_CURRENT_SOURCE_DIR}/sve_format.h
          ${CMAKE_CURRENT_SOURCE_DIR}/diff_format.h
  COMMENT "Building the aarch64 SVE reference runner for qemu-aarch64"
  VERBATIM)
add_custom_target(sve_ref ALL DEPENDS ${SVE_REF})

set(SVE_ARGS --ref ${SVE_REF} --engine $<TARGET_FILE:sve_engine> --qemu ${QEMU_AARCH64}
             --as ${AARCH64_AS} --objcopy ${AARCH64_OBJCOPY} --objdump ${AARCH64_OBJDUMP})

add_test(NAME sve_isa COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/sve_isa_check.py
                              --as ${AARCH64_AS} --objcopy ${AARCH64_OBJCOPY} --objdump ${AARCH64_OBJDUMP}
                              --engine $<TARGET_FILE:sve_engine>)
set_tests_properties(sve_isa PROPERTIES LABELS "sve;engine" TIMEOUT 60)

set(SVE_CLASSES int pred perm cnt mem fp sve2 fpcplx rows edge)
set(SVE_COUNT_int 1500)
set(SVE_COUNT_pred 1500)
set(SVE_COUNT_perm 1500)
set(SVE_COUNT_cnt 1000)
set(SVE_COUNT_mem 1500)
set(SVE_COUNT_fp 1500)
set(SVE_COUNT_sve2 1500)
set(SVE_COUNT_fpcplx 800)
set(SVE_COUNT_rows 1500)
set(SVE_COUNT_edge 0)
foreach(cls ${SVE_CLASSES})
  add_test(NAME sve_diff_${cls}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/sve_run.py --class ${cls}
                   --count ${SVE_COUNT_${cls}} --seed 1 ${SVE_ARGS})
  set_tests_properties(sve_diff_${cls} PROPERTIES LABELS "sve;diff;engine" TIMEOUT 300)
endforeach()

set(SVE_LONG_CMDS "")
foreach(cls int pred perm cnt mem fp sve2 fpcplx rows)
  foreach(seed 2 3 4)
    list(APPEND SVE_LONG_CMDS COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/sve_run.py
         --class ${cls} --count 10000 --seed ${seed} ${SVE_ARGS})
  endforeach()
endforeach()
add_custom_target(sve_diff_long ${SVE_LONG_CMDS}
                  DEPENDS sve_engine sve_ref
                  COMMENT "SVE differential test, long run (3 seeds x 10000 cases per class, 6 VLs)"
                  VERBATIM)
