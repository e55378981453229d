# generated.cmake - the engine's generated decoder (included by src/CMakeLists.txt).
#
# scripts/gen_decode.py turns src/engine/isa/a64.isa into ${CMAKE_BINARY_DIR}/gen/
# a64_args.h (argument structs, op_ prototypes) and a64_tables.inc (decode and
# disassembly tables). The engine's .c files (also exec/*.c) come from the
# library's GLOB_RECURSE.
set(ENGINE_ISA ${CMAKE_CURRENT_SOURCE_DIR}/engine/isa/a64.isa)
set(ENGINE_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
set(ENGINE_GEN_OUT ${ENGINE_GEN_DIR}/a64_args.h ${ENGINE_GEN_DIR}/a64_tables.inc)
add_custom_command(
  OUTPUT ${ENGINE_GEN_OUT}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/gen_decode.py ${ENGINE_ISA}
          --out ${ENGINE_GEN_DIR} --prefix a64
  DEPENDS ${ENGINE_ISA} ${PROJECT_SOURCE_DIR}/scripts/gen_decode.py
  COMMENT "Generating the A64 decoder from a64.isa"
  VERBATIM)
list(APPEND SOFTKVM_GENERATED ${ENGINE_GEN_OUT})
# 16-byte compare-and-swap (STXP/CASP of X pairs) inline on x86-64.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/engine/exec/atomic.c PROPERTIES COMPILE_OPTIONS -mcx16)
endif()
# The SVE encodings (isa/sve.isa) -> gen/sve_args.h, gen/sve_tables.inc (prefix
# sve), decoded by sve.c for the op0 = 0010 group.
set(ENGINE_SVE_ISA ${CMAKE_CURRENT_SOURCE_DIR}/engine/isa/sve.isa)
set(ENGINE_SVE_GEN_OUT ${ENGINE_GEN_DIR}/sve_args.h ${ENGINE_GEN_DIR}/sve_tables.inc)
add_custom_command(
  OUTPUT ${ENGINE_SVE_GEN_OUT}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/gen_decode.py ${ENGINE_SVE_ISA}
          --out ${ENGINE_GEN_DIR} --prefix sve
  DEPENDS ${ENGINE_SVE_ISA} ${PROJECT_SOURCE_DIR}/scripts/gen_decode.py
  COMMENT "Generating the SVE decoder from sve.isa"
  VERBATIM)
list(APPEND SOFTKVM_GENERATED ${ENGINE_SVE_GEN_OUT})
