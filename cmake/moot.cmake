# Helper functions that keep CMake target names equal to the Bazel ones.
#
#   Bazel //libs/sql:sql        <-> CMake moot_sql        (alias moot::sql)
#   Bazel //libs/sql:sqlite     <-> CMake moot_sql_sqlite (alias moot::sql::sqlite)
#   Bazel //libs/sql:sql_test   <-> CMake sql_test        (CTest test sql_test)
#   Bazel //services/gateway:gateway <-> CMake gateway    (the binary)
#
# A library whose NAME equals its folder's name is the folder's default target (moot_<dir>).

include_guard(GLOBAL)

function(_moot_lib_target out name)
  get_filename_component(dir "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
  if(name STREQUAL dir)
    set(${out} "moot_${dir}" PARENT_SCOPE)
  else()
    set(${out} "moot_${dir}_${name}" PARENT_SCOPE)
  endif()
endfunction()

# moot_cc_library(NAME n SRCS a.cc HDRS a.h DEPS moot::x gRPC::grpc++)
function(moot_cc_library)
  cmake_parse_arguments(A "" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  _moot_lib_target(target ${A_NAME})
  get_filename_component(dir "${CMAKE_CURRENT_SOURCE_DIR}" NAME)
  if(A_SRCS)
    add_library(${target} STATIC ${A_SRCS} ${A_HDRS})
    target_link_libraries(${target} PUBLIC ${A_DEPS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  else()
    add_library(${target} INTERFACE)
    target_link_libraries(${target} INTERFACE ${A_DEPS})
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
  endif()
  if(A_NAME STREQUAL dir)
    add_library(moot::${dir} ALIAS ${target})
  else()
    add_library(moot::${dir}::${A_NAME} ALIAS ${target})
  endif()
endfunction()

# moot_cc_binary(NAME n SRCS main.cc DEPS ...)
function(moot_cc_binary)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_include_directories(${A_NAME} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
endfunction()

# moot_cc_test(NAME n SRCS t.cc DEPS ... LABELS unit|redis|pg|integration [TIMEOUT s] [PG])
# Tests that need real Redis or PostgreSQL carry the label (and the _redistest/_pgtest suffix).
function(moot_cc_test)
  cmake_parse_arguments(A "PG" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT MOOT_BUILD_TESTS)
    return()
  endif()
  # A test whose source is not written yet is skipped with a warning instead of breaking the
  # configure step for everybody working in the same tree.
  foreach(src ${A_SRCS})
    if(NOT IS_ABSOLUTE ${src} AND NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src})
      message(WARNING "moot_cc_test(${A_NAME}): ${src} does not exist; test skipped")
      return()
    endif()
  endforeach()
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gmock GTest::gtest_main)
  target_include_directories(${A_NAME} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT}
    ENVIRONMENT "MOOT_SOURCE_DIR=${PROJECT_SOURCE_DIR};MOOT_BINARY_DIR=${PROJECT_BINARY_DIR}")
  # PG: the same binary again as <name>_pg on PostgreSQL (libs/testing/test_database.h), so a
  # store's tests run against both drivers.
  if(A_PG)
    add_test(NAME ${A_NAME}_pg COMMAND ${A_NAME})
    set_tests_properties(${A_NAME}_pg PROPERTIES LABELS pg TIMEOUT ${A_TIMEOUT}
      ENVIRONMENT
      "MOOT_SOURCE_DIR=${PROJECT_SOURCE_DIR};MOOT_BINARY_DIR=${PROJECT_BINARY_DIR};MOOT_TEST_DATABASE=postgres")
  endif()
endfunction()

# moot_proto_library(NAME n PROTOS moot/x/v1/a.proto ... [GRPC] DEPS moot_proto_y)
# Generated code lives in its own library so that services do not recompile it.
# Bazel: //proto:<NAME>.
function(moot_proto_library)
  cmake_parse_arguments(A "GRPC" "NAME" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  set(hdrs)
  foreach(p ${A_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${p})
    list(APPEND srcs ${PROJECT_BINARY_DIR}/proto/${base}.pb.cc)
    list(APPEND hdrs ${PROJECT_BINARY_DIR}/proto/${base}.pb.h)
    set(outs ${PROJECT_BINARY_DIR}/proto/${base}.pb.cc ${PROJECT_BINARY_DIR}/proto/${base}.pb.h)
    set(args --cpp_out=${PROJECT_BINARY_DIR}/proto)
    if(A_GRPC)
      list(APPEND srcs ${PROJECT_BINARY_DIR}/proto/${base}.grpc.pb.cc)
      list(APPEND outs ${PROJECT_BINARY_DIR}/proto/${base}.grpc.pb.cc
                       ${PROJECT_BINARY_DIR}/proto/${base}.grpc.pb.h)
      list(APPEND args --grpc_out=${PROJECT_BINARY_DIR}/proto
                       --plugin=protoc-gen-grpc=${MOOT_GRPC_CPP_PLUGIN})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/proto
      COMMAND ${MOOT_PROTOC} -I${PROJECT_SOURCE_DIR}/proto ${args}
              ${PROJECT_SOURCE_DIR}/proto/${p}
      DEPENDS ${PROJECT_SOURCE_DIR}/proto/${p} ${MOOT_PROTOC}
      COMMENT "protoc ${p}"
      VERBATIM)
  endforeach()
  add_library(${A_NAME} STATIC ${srcs})
  target_include_directories(${A_NAME} PUBLIC ${PROJECT_BINARY_DIR}/proto)
  target_link_libraries(${A_NAME} PUBLIC ${A_DEPS} protobuf::libprotobuf)
  if(A_GRPC)
    target_link_libraries(${A_NAME} PUBLIC gRPC::grpc++)
  endif()
  # Generated code is not ours to warn about.
  target_compile_options(${A_NAME} PRIVATE -w)
endfunction()
