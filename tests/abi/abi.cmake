# abi.cmake -- the growable structs work across versions (include/simdsse.h,
# "Growable structs"). Included by tests/CMakeLists.txt.
#
# A "next version" of the header is generated from include/simdsse.h with
# one field added at the end of every growable struct, and the library is
# built again from the same sources against it (simdsse_abi_next: portable
# kernel only, which is all this needs). Then:
#   abi_old_caller  a caller built against today's header (the old, smaller
#                   layout) runs on the next library: its structs sit flush
#                   against an unreadable page, so a read or write past
#                   their size faults, and every field it set is honoured;
#   abi_new_caller  a caller built against the next header (the larger
#                   layout) runs on today's library: accepted while the
#                   unknown field is zero, refused when it is set, and the
#                   library writes nothing past what it knows.
set(_abi_dir ${CMAKE_CURRENT_BINARY_DIR}/abi-next)
file(READ ${PROJECT_SOURCE_DIR}/include/simdsse.h _hdr)
set(_next_field "    uint64_t abi_next_field; /* added by tests/abi: a later version's field */\n")
foreach(_t simdsse_allocator simdsse_parser_options simdsse_writer_options
           simdsse_validator_options simdsse_validation)
  string(FIND "${_hdr}" "\n} ${_t};" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "tests/abi: no struct ${_t} in include/simdsse.h")
  endif()
  string(REPLACE "\n} ${_t};" "\n${_next_field}} ${_t};" _hdr "${_hdr}")
endforeach()
file(WRITE ${_abi_dir}/simdsse.h.new "${_hdr}")
configure_file(${_abi_dir}/simdsse.h.new ${_abi_dir}/simdsse.h COPYONLY) # (only when it changed)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/simdsse.h)

# The library's portable sources: everything but the SIMD kernels.
file(GLOB _lib_sources ${PROJECT_SOURCE_DIR}/src/*.c)
list(APPEND _lib_sources ${PROJECT_SOURCE_DIR}/src/arch/dispatch.c
     ${PROJECT_SOURCE_DIR}/src/arch/scalar.c ${PROJECT_SOURCE_DIR}/src/arch/cpu.c)
add_library(simdsse_abi_next STATIC ${_lib_sources})
target_include_directories(simdsse_abi_next BEFORE PRIVATE ${_abi_dir} ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(simdsse_abi_next PUBLIC SIMDSSE_STATIC)

add_executable(abi_old_caller ${CMAKE_CURRENT_LIST_DIR}/old_caller.c)
# Today's header (the old layout), the next library.
target_include_directories(abi_old_caller BEFORE PRIVATE ${PROJECT_SOURCE_DIR}/include
                           ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(abi_old_caller PRIVATE simdsse_abi_next)
add_test(NAME abi_old_caller COMMAND abi_old_caller)

add_executable(abi_new_caller ${CMAKE_CURRENT_LIST_DIR}/new_caller.c)
# The next header (the larger layout), today's library.
target_include_directories(abi_new_caller BEFORE PRIVATE ${_abi_dir} ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(abi_new_caller PRIVATE simdsse)
add_test(NAME abi_new_caller COMMAND abi_new_caller)
include(${CMAKE_CURRENT_LIST_DIR}/soname.cmake)
