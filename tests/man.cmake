# man.cmake -- ssecat's manual page (tools/ssecat.1): it lists exactly the
# options `ssecat --help` lists, renders without a warning (when groff is
# there) and is installed with the tool.
if(TARGET ssecat)
  find_program(SIMDSSE_GROFF groff)
  simdsse_script_test(ssecat_man ${CMAKE_CURRENT_SOURCE_DIR}/cli/ssecat_man.cmake
                      -DSSECAT=$<TARGET_FILE:ssecat> -DMAN=${PROJECT_SOURCE_DIR}/tools/ssecat.1
                      -DGROFF=${SIMDSSE_GROFF} -DBUILD=${PROJECT_BINARY_DIR}
                      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/man)
  set_tests_properties(ssecat_man PROPERTIES TIMEOUT 120)
endif()
