# ssecat_man.cmake -- the options of `ssecat --help` and of the manual page
# are the same set.
#   cmake [-DEMULATOR=cmd] -DSSECAT=exe -DMAN=ssecat.1 -DGROFF=groff|"" -DBUILD=dir -DWORK=dir -P ssecat_man.cmake
#
# --help: an option is what starts a line indented by two spaces ("  --json
# ...", "  --max-line N, --max-data N ..."), up to the description. The page:
# what the line after each .TP says. Options named only in prose count in
# neither. Adding an option to one without the other fails here.

# Every -x / --name token of `text`, sorted, in `out`.
function(options_of text out)
  string(REGEX MATCHALL "(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*" found "${text}")
  set(names "")
  foreach(f IN LISTS found)
    string(REGEX REPLACE "^[ ,]" "" f "${f}")
    list(APPEND names "${f}")
  endforeach()
  list(REMOVE_DUPLICATES names)
  list(SORT names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# EMULATOR: qemu-user in a cross build, valgrind in .ci/valgrind.sh, or nothing.
execute_process(COMMAND ${EMULATOR} ${SSECAT} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "ssecat --help exited with ${rc}")
endif()
set(heads "")
string(REPLACE "\n" ";" lines "${help}")
foreach(line IN LISTS lines)
  if(line MATCHES "^  -")
    # The option part ends where two spaces start the description.
    string(REGEX REPLACE "^  ([^ ]+( [^ ]+)*)  .*" "\\1" head "${line}")
    string(APPEND heads " ${head}")
  endif()
endforeach()
options_of("${heads}" from_help)

file(READ ${MAN} page)
string(REPLACE "\\-" "-" page "${page}")
string(REPLACE "\n" ";" mlines "${page}")
set(heads "")
set(next 0)
# Without the client library ssecat has no URL mode: then the options of the
# page's URL MODE section are not looked for in --help.
set(url_section 0)
string(FIND "${help}" " URL\n" has_url)
foreach(line IN LISTS mlines)
  if(line MATCHES "^\\.SH ")
    set(url_section 0)
    if(line MATCHES "^\\.SH URL MODE" AND has_url EQUAL -1)
      set(url_section 1)
    endif()
  endif()
  if(url_section)
    continue()
  endif()
  if(next)
    # ".BI --chunk " N"" and the like: the macro and its quotes go.
    string(REGEX REPLACE "^\\.[A-Z]+ " "" line "${line}")
    string(REPLACE "\"" " " line "${line}")
    string(REGEX REPLACE "\\\\f[BIRP]" "" line "${line}")
    string(APPEND heads " ${line}")
    set(next 0)
  elseif(line STREQUAL ".TP")
    set(next 1)
  endif()
endforeach()
options_of("${heads}" from_man)
# The .TP entries of EXIT STATUS and ENVIRONMENT are not options.
list(FILTER from_man INCLUDE REGEX "^-")

if(NOT from_help)
  message(FATAL_ERROR "found no option in ssecat --help")
endif()
set(missing_in_man "${from_help}")
list(REMOVE_ITEM missing_in_man ${from_man})
set(missing_in_help "${from_man}")
list(REMOVE_ITEM missing_in_help ${from_help})
if(missing_in_man OR missing_in_help)
  message(FATAL_ERROR "ssecat --help and tools/ssecat.1 disagree:\n"
          "  in --help only: ${missing_in_man}\n  in the manual page only: ${missing_in_help}\n"
          "Document each option in both.")
endif()
list(LENGTH from_help n)
message("the manual page and --help list the same ${n} options: ${from_help}")

# It renders without a warning.
if(GROFF)
  execute_process(COMMAND ${GROFF} -man -Tutf8 -ww -z ${MAN} ERROR_VARIABLE warnings RESULT_VARIABLE rc)
  if(rc OR warnings)
    message(FATAL_ERROR "groff: ${warnings}")
  endif()
else()
  message("groff not found: the page's rendering is not checked")
endif()

# And it is installed with the tool.
file(REMOVE_RECURSE ${WORK})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
file(GLOB_RECURSE installed ${WORK}/prefix/ssecat.1)
if(rc OR NOT installed MATCHES "/man1/ssecat\\.1$")
  message(FATAL_ERROR "cmake --install did not install man1/ssecat.1")
endif()
message("installed ${installed}")
