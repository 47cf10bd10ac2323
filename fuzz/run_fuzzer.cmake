# run_fuzzer.cmake — one bounded fuzzing run for ctest: every seed of the
# committed corpus first (a regression input must still pass), then mutation
# for SECONDS. New inputs go to SCRATCH, never into the source tree.
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH})
execute_process(
  COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
          -max_len=65536 -print_final_stats=1 ${SCRATCH} ${CORPUS}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (${status}): see the crash report above; "
                      "the input is in the working directory as crash-*/leak-*/timeout-*")
endif()
