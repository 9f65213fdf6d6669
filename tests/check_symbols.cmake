# check_symbols.cmake -- the ABI is deliberate: the shared library exports
# exactly the symbols src/simdsse.exports lists, which are exactly the
# functions include/simdsse.h declares SIMDSSE_API; and every symbol the
# static library defines for others to link against is simdsse_-prefixed
# (internal ones `simdsse__`).
#   cmake -DNM=nm -DSHARED=libsimdsse.so -DSTATIC=libsimdsse.a
#         -DEXPORTS=src/simdsse.exports -DHEADER=include/simdsse.h -P check_symbols.cmake
cmake_minimum_required(VERSION 3.20) # IN_LIST
set(bad "")

# The list in the repository.
file(STRINGS ${EXPORTS} listed REGEX "^[^#]")
list(SORT listed)

# What the header declares.
file(READ ${HEADER} header)
string(REGEX MATCHALL "SIMDSSE_API[^;(]*[ *](simdsse_[a-z0-9_]+)[ \n]*\\(" decls "${header}")
set(declared "")
foreach(d IN LISTS decls)
  string(REGEX REPLACE ".*[ *](simdsse_[a-z0-9_]+)[ \n]*\\($" "\\1" name "${d}")
  list(APPEND declared ${name})
endforeach()
list(SORT declared)
list(REMOVE_DUPLICATES declared)

# What the shared library exports.
execute_process(COMMAND ${NM} -D --defined-only ${SHARED} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${SHARED}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(exported "")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-f]+ [A-Za-z] ([^@ ]+)")
    set(sym ${CMAKE_MATCH_1})
    if(sym MATCHES "^_(init|fini)$" OR sym MATCHES "^__odr_asan")
      continue()
    endif()
    list(APPEND exported ${sym})
  endif()
endforeach()
list(SORT exported)

function(compare what_a a what_b b)
  foreach(s IN LISTS a)
    if(NOT s IN_LIST b)
      list(APPEND bad "${s}: in ${what_a}, not in ${what_b}")
    endif()
  endforeach()
  set(bad ${bad} PARENT_SCOPE)
endfunction()
compare("the shared library's exports" "${exported}" "src/simdsse.exports" "${listed}")
compare("src/simdsse.exports" "${listed}" "the shared library's exports" "${exported}")
compare("the header's SIMDSSE_API declarations" "${declared}" "src/simdsse.exports" "${listed}")
compare("src/simdsse.exports" "${listed}" "the header's SIMDSSE_API declarations" "${declared}")
list(LENGTH listed n_listed)
if(n_listed LESS 10)
  list(APPEND bad "only ${n_listed} symbols in src/simdsse.exports: is the API missing?")
endif()

execute_process(COMMAND ${NM} -g --defined-only ${STATIC} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
string(REPLACE "\n" ";" lines "${out}")
foreach(line IN LISTS lines)
  if(line MATCHES "^[0-9a-f]+ [A-Za-z] (.+)$")
    set(sym ${CMAKE_MATCH_1})
    # AddressSanitizer adds one-definition-rule markers for globals; gcc's
    # 32-bit x86 position-independent code calls __x86.get_pc_thunk.<reg>,
    # hidden comdat helpers each object carries (never exported).
    if(sym MATCHES "^__odr_asan" OR sym MATCHES "^__x86\\.get_pc_thunk\\.[a-z]+$")
      continue()
    endif()
    if(NOT sym MATCHES "^simdsse_")
      list(APPEND bad "static library: ${sym} is outside the simdsse_ namespace")
    endif()
  endif()
endforeach()

if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "the ABI differs from src/simdsse.exports (an ABI change must be "
                      "deliberate: update the list, and the soname's minor version):\n  ${bad}")
endif()
message("1 passed, 0 failed (${n_listed} exported symbols, as src/simdsse.exports lists, "
        "as include/simdsse.h declares)")
