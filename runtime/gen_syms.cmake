# gen_syms.cmake — writes a linker dynamic list ("{ sym; sym; };") of every
# global function defined in the runtime archive, and of its __racecheck_*
# variables (cmake -P with NM, ARCHIVE, OUTPUT). The runtime's internal rc_* functions are hidden and left out.
execute_process(COMMAND ${NM} --defined-only -g ${ARCHIVE}
  OUTPUT_VARIABLE nm_output RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm failed on ${ARCHIVE}")
endif()
string(REPLACE "\n" ";" lines "${nm_output}")
set(symbols "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>"; T/W/i are (weak, indirect) functions
  if(line MATCHES "^[0-9a-fA-F]+ [TWi] ([^ ]+)$")
    set(name "${CMAKE_MATCH_1}")
    if(NOT name MATCHES "^rc_")
      list(APPEND symbols "${name}")
    endif()
  elseif(line MATCHES "^[0-9a-fA-F]+ [BD] (__racecheck_[^ ]+)$")
    # The ABI's variables (the per-thread call site) too: an instrumented
    # shared library refers to them, and dlopen fails without them.
    list(APPEND symbols "${CMAKE_MATCH_1}")
  endif()
endforeach()
list(REMOVE_DUPLICATES symbols)
list(SORT symbols)
set(text "{\n")
foreach(name IN LISTS symbols)
  string(APPEND text "  ${name};\n")
endforeach()
string(APPEND text "};\n")
file(WRITE ${OUTPUT}.tmp "${text}")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
