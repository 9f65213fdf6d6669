# soname.cmake -- while the major version is 0, every minor version may
# break the ABI: the shared library's soname carries major and minor
# (libsimdsse.so.0.2), and the CMake package version file accepts only the
# same minor version. Included by tests/CMakeLists.txt (through abi.cmake),
# it adds the test; run as
#   cmake -DOBJDUMP=... -DSHARED=libsimdsse.so.X.Y.Z -DVERSION_FILE=...ConfigVersion.cmake
#         -DVERSION=X.Y.Z -P soname.cmake
# it is the test.
if(NOT CMAKE_SCRIPT_MODE_FILE)
  if(CMAKE_OBJDUMP AND NOT WIN32 AND NOT APPLE)
    add_test(NAME soname COMMAND ${CMAKE_COMMAND} -DOBJDUMP=${CMAKE_OBJDUMP}
             -DSHARED=$<TARGET_FILE:simdsse_shared>
             -DVERSION_FILE=${PROJECT_BINARY_DIR}/simdsseConfigVersion.cmake
             -DVERSION=${PROJECT_VERSION} -P ${CMAKE_CURRENT_LIST_FILE})
  endif()
  return()
endif()

set(bad "")
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$" _ "${VERSION}")
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
if(major EQUAL 0)
  set(want "libsimdsse.so.${major}.${minor}")
else()
  set(want "libsimdsse.so.${major}")
endif()

execute_process(COMMAND ${OBJDUMP} -p ${SHARED} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  list(APPEND bad "objdump -p ${SHARED} failed")
elseif(NOT out MATCHES "SONAME +([^\n ]+)")
  list(APPEND bad "${SHARED} has no SONAME")
elseif(NOT CMAKE_MATCH_1 STREQUAL want)
  list(APPEND bad "SONAME ${CMAKE_MATCH_1}, want ${want}")
endif()

# The version file, as find_package runs it, for versions around ours.
function(compatible asked out_var)
  set(PACKAGE_FIND_VERSION ${asked})
  string(REPLACE "." ";" parts "${asked}")
  list(LENGTH parts n)
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  set(PACKAGE_FIND_VERSION_MINOR 0)
  set(PACKAGE_FIND_VERSION_PATCH 0)
  if(n GREATER 1)
    list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  endif()
  if(n GREATER 2)
    list(GET parts 2 PACKAGE_FIND_VERSION_PATCH)
  endif()
  set(PACKAGE_FIND_VERSION_COUNT ${n})
  set(CMAKE_SIZEOF_VOID_P 8) # (the version file also checks the bitness)
  include(${VERSION_FILE})
  set(${out_var} "${PACKAGE_VERSION_COMPATIBLE}" PARENT_SCOPE)
endfunction()

math(EXPR next_minor "${minor} + 1")
math(EXPR next_major "${major} + 1")
set(same_minor "${major}.${minor}")
foreach(c IN ITEMS "${same_minor}|TRUE" "${major}.${minor}.0|TRUE" "${major}.${next_minor}|FALSE"
                   "${next_major}.0|FALSE")
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 asked)
  list(GET c 1 expect)
  compatible(${asked} got)
  if(NOT got STREQUAL expect)
    list(APPEND bad "find_package(simdsse ${asked}) compatible: '${got}', want ${expect}")
  endif()
endforeach()
if(major EQUAL 0 AND minor GREATER 0)
  # 0.x: an older minor version is not compatible either.
  math(EXPR prev_minor "${minor} - 1")
  compatible(0.${prev_minor} got)
  if(got)
    list(APPEND bad "find_package(simdsse 0.${prev_minor}) accepts ${VERSION}")
  endif()
endif()

if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "soname and package version:\n  ${bad}")
endif()
message("1 passed, 0 failed: SONAME ${want}; the package version file takes ${same_minor}.x only")
