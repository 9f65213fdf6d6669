# Hostile streams (tests/test_hostile.c) and replays of the fuzz corpora.

# test_hostile divides its stream sizes by SIMDSSE_HOSTILE_SCALE (from the
# environment): 1 in optimised builds (a 1 GiB line, 10 million data lines,
# 100 MB fed a byte at a time), more where every byte costs more. The cache
# variable overrides the choice by build type (.ci/valgrind.sh sets it).
if(SIMDSSE_SANITIZE)
  set(_hostile_scale 8)
elseif(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(_hostile_scale 4)
else()
  set(_hostile_scale 1)
endif()
set(SIMDSSE_HOSTILE_SCALE "" CACHE STRING
    "Divide test_hostile's stream sizes by this (empty: 1, 4 in Debug, 8 with sanitizers)")
if(NOT SIMDSSE_HOSTILE_SCALE STREQUAL "")
  set(_hostile_scale ${SIMDSSE_HOSTILE_SCALE})
endif()
simdsse_test(test_hostile)
set_tests_properties(test_hostile PROPERTIES
  ENVIRONMENT "SIMDSSE_HOSTILE_SCALE=${_hostile_scale}" TIMEOUT 600)

# Each fuzz target, built with a plain main (fuzz/replay.c) instead of
# libFuzzer, runs over its seed corpus, saved crashes included: the corpora
# are regression tests in every build, gcc and valgrind ones too.
foreach(_target fuzz_parse_diff fuzz_roundtrip fuzz_json fuzz_validate)
  set(_src ${PROJECT_SOURCE_DIR}/fuzz/${_target}.c)
  set(_seeds ${PROJECT_SOURCE_DIR}/corpus/fuzz/${_target})
  if(EXISTS ${_src} AND IS_DIRECTORY ${_seeds})
    add_executable(replay_${_target} ${_src} ${PROJECT_SOURCE_DIR}/fuzz/replay.c)
    target_link_libraries(replay_${_target} PRIVATE simdsse)
    add_test(NAME ${_target}_replay COMMAND replay_${_target} ${_seeds})
  endif()
endforeach()
