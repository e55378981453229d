# bench_lifecycle: vCPU lifecycle throughput and ONE_REG cost (not a test).
add_executable(bench_lifecycle ${CMAKE_CURRENT_LIST_DIR}/lifecycle.c)
target_link_libraries(bench_lifecycle PRIVATE softkvm)
