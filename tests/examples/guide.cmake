# guide.cmake -- every ```c block of a Markdown file compiles and links.
#
#   cmake -DDOC=docs/guide.md -DCC=compiler -DINCLUDE=dir -DLIB=libsimdsse.a
#         [-DFLAGS=a|b] [-DCLIENT_LIBS=libsimdsse_client.a|libcurl.so]
#         -DWORK=dir -P guide.cmake
#
# Each block is a translation unit of its own, compiled with -Wall -Wextra
# -Werror (unused functions allowed: a block may only define what a reader
# calls), then linked against the static library -- with a stub main() when
# it has none -- so every name it uses must exist. FLAGS (separated by "|")
# are added to both steps (the sanitizer flags of a sanitizer build). A block
# that includes simdsse_client.h is linked against CLIENT_LIBS too (the
# client library and libcurl); without them (no libcurl) it is skipped, and
# the output says so.
string(REPLACE "|" ";" FLAGS "${FLAGS}")
string(REPLACE "|" ";" CLIENT_LIBS "${CLIENT_LIBS}")
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# The file as a list of lines. ";" separates list items and brackets
# change how lists split, so all three are kept out of the way meanwhile.
file(READ ${DOC} _text)
string(REPLACE ";" "@SEMI@" _text "${_text}")
string(REPLACE "[" "@LB@" _text "${_text}")
string(REPLACE "]" "@RB@" _text "${_text}")
string(REPLACE "\n" ";" _lines "${_text}")
file(WRITE ${WORK}/stub_main.c "int main(void) { return 0; }\n")

set(_n 0)
set(_skipped 0)
set(_lineno 0)
set(_in 0)
set(_failed)
foreach(_line IN LISTS _lines)
  math(EXPR _lineno "${_lineno} + 1")
  if(_in)
    if(_line MATCHES "^```")
      set(_in 0)
      set(_src ${WORK}/block${_n}.c)
      string(REPLACE "@SEMI@" ";" _code "${_code}")
      string(REPLACE "@LB@" "[" _code "${_code}")
      string(REPLACE "@RB@" "]" _code "${_code}")
      file(WRITE ${_src} "${_code}")
      set(_libs)
      if(_code MATCHES "#include <simdsse_client.h>")
        if(NOT CLIENT_LIBS)
          message(STATUS "block ${_n} (line ${_start}) skipped: it needs the client library, "
                         "which is not built (libcurl not found)")
          math(EXPR _skipped "${_skipped} + 1")
          continue()
        endif()
        set(_libs ${CLIENT_LIBS})
      endif()
      set(_cmd ${CC} -std=c11 -Wall -Wextra -Werror -Wno-unused-function ${FLAGS} -I${INCLUDE})
      execute_process(COMMAND ${_cmd} -c ${_src} -o ${WORK}/block${_n}.o
                      RESULT_VARIABLE _rc ERROR_VARIABLE _err)
      set(_objs ${WORK}/block${_n}.o)
      if(NOT _code MATCHES "int main\\(")
        list(APPEND _objs ${WORK}/stub_main.c)
      endif()
      if(NOT _rc)
        execute_process(COMMAND ${CC} ${FLAGS} ${_objs} ${_libs} ${LIB} -o ${WORK}/block${_n}
                        RESULT_VARIABLE _rc ERROR_VARIABLE _err)
      endif()
      if(_rc)
        list(APPEND _failed "block ${_n} (line ${_start}):\n${_err}")
      endif()
    else()
      string(APPEND _code "${_line}\n")
    endif()
  elseif(_line MATCHES "^```c$")
    math(EXPR _n "${_n} + 1")
    set(_in 1)
    set(_code "")
    set(_start ${_lineno})
  endif()
endforeach()

if(_n EQUAL 0)
  message(FATAL_ERROR "${DOC}: no ```c block")
endif()
if(_failed)
  message(FATAL_ERROR "${DOC}: ${_failed}")
endif()
math(EXPR _built "${_n} - ${_skipped}")
message(STATUS "${DOC}: ${_built} C block(s) compile and link, ${_skipped} skipped")
