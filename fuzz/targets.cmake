# The fuzz targets and their sources (absolute, so that tests/robust can build
# the replay drivers from here too). fuzz_image needs softkvm-run's loader.
get_filename_component(SOFTKVM_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR} ABSOLUTE)
get_filename_component(SOFTKVM_FUZZ_TOP ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
set(SOFTKVM_FUZZ_TARGETS ioctl engine)
set(SOFTKVM_FUZZ_ioctl_SOURCES ${SOFTKVM_FUZZ_DIR}/fuzz_ioctl.c ${SOFTKVM_FUZZ_DIR}/ioctl_ops_vm.c
    ${SOFTKVM_FUZZ_DIR}/ioctl_ops_vcpu.c ${SOFTKVM_FUZZ_DIR}/ioctl_check.c)
set(SOFTKVM_FUZZ_engine_SOURCES ${SOFTKVM_FUZZ_DIR}/fuzz_engine.c)
if(EXISTS ${SOFTKVM_FUZZ_TOP}/tools/softkvm-run/loader.c AND EXISTS ${SOFTKVM_FUZZ_DIR}/fuzz_image.c)
  list(APPEND SOFTKVM_FUZZ_TARGETS image)
  set(SOFTKVM_FUZZ_image_SOURCES ${SOFTKVM_FUZZ_DIR}/fuzz_image.c ${SOFTKVM_FUZZ_TOP}/tools/softkvm-run/loader.c)
endif()

# Replay driver: the harness with a plain main() that runs each corpus file once.
# Works with any compiler; the corpus replay is then an ordinary CTest test.
function(softkvm_fuzz_replay t)
  add_executable(fuzz_${t}_replay ${SOFTKVM_FUZZ_${t}_SOURCES} ${SOFTKVM_FUZZ_DIR}/replay_main.c)
  target_include_directories(fuzz_${t}_replay PRIVATE ${SOFTKVM_FUZZ_DIR} ${SOFTKVM_FUZZ_TOP}/tools/softkvm-run)
  target_link_libraries(fuzz_${t}_replay PRIVATE softkvm)
  add_test(NAME fuzz.${t}.corpus COMMAND fuzz_${t}_replay ${SOFTKVM_FUZZ_DIR}/corpus/${t})
  set_tests_properties(fuzz.${t}.corpus PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
