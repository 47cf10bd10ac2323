# tools/check_layout.cmake — registers the source-tree layout rules (check_layout.py) with ctest:
#   layout.check      the whole checkout: file and function sizes, includes of runtime internals,
#                     the pass's ABI-only include, the layering arrows, tracker citations;
#   layout.format     the C and C++ sources as clang-format-19 leaves them;
#   layout.self-test  the checker on a synthetic tree with one violation of each kind, so that a
#                     broken check fails too.
# Kept out of tools/CMakeLists.txt so the rules can be included from wherever the tree's
# whole-checkout tests are registered.
add_test(NAME layout.check
         COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_LIST_DIR}/check_layout.py"
                 --root "${PROJECT_SOURCE_DIR}")
add_test(NAME layout.self-test
         COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_LIST_DIR}/check_layout.py" --self-test)
add_test(NAME layout.format
         COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_LIST_DIR}/check_layout.py" --format
                 --root "${PROJECT_SOURCE_DIR}")
set_tests_properties(layout.check layout.self-test layout.format PROPERTIES LABELS layout TIMEOUT 120)
