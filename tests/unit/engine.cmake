# engine.cmake - the engine's unit tests (included by tests/unit/CMakeLists.txt).
# Each tests/unit/test_engine_*.c is one CTest executable driving engine_run()
# directly through test_engine_harness.h.
file(GLOB ENGINE_UNIT_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/test_engine_*.c)
foreach(src ${ENGINE_UNIT_TESTS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE softkvm Threads::Threads)
  add_test(NAME unit.${name} COMMAND ${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS "engine" TIMEOUT 120)
endforeach()
set_tests_properties(unit.test_engine_smp PROPERTIES LABELS "engine;threads")
set_tests_properties(unit.test_engine_sve PROPERTIES LABELS "engine;sve")
