# The shared CMake functions: every target of the course is declared through them, so all of
# them compile alike (C++17, warnings on, one precompiled header for the heavy Torch headers).

# <torch/torch.h> takes ~20 s to parse. We parse it once into a precompiled header and every
# target reuses it (REUSE_FROM), so rebuilding one edited exercise takes seconds, not minutes.
option(COURSE_USE_PCH "Share one precompiled header for <torch/torch.h>" ON)

add_library(course_pch STATIC ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(course_pch PUBLIC torch fmt::fmt-header-only)
target_compile_options(course_pch PRIVATE -Wall -Wextra)
if(COURSE_USE_PCH)
  target_precompile_headers(course_pch PRIVATE
    <torch/torch.h> <fmt/format.h> <string> <vector> <memory> <filesystem> <stdexcept>)
endif()

# course_target(<target>): the compile settings every target of ours shares.
function(course_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(COURSE_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM course_pch)
  endif()
endfunction()

# course_test(<target> SOURCES ... LIBRARIES ... LABELS ...)
# One GoogleTest executable; ctest lists every TEST() in it as a test of its own, with labels.
function(course_test target)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  course_target(${target})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)  # support/*.h
  target_link_libraries(${target} PRIVATE ${ARG_LIBRARIES} GTest::gtest GTest::gtest_main)
  # PRE_TEST: the test list is read when ctest runs, not at build time, so building stays fast.
  gtest_discover_tests(${target}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 120)
  # gtest_discover_tests(... PROPERTIES LABELS "a;b") keeps only the first label (CMake 3.25),
  # so the labels are set by a script ctest runs right after it has listed the tests.
  set(labels_script ${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake)
  file(WRITE ${labels_script}
    "foreach(test IN LISTS ${target}_TESTS)\n"
    "  set_tests_properties(\"\${test}\" PROPERTIES LABELS \"${ARG_LABELS}\")\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_script})
endfunction()

# course_exercise(<name> EXECUTABLE <exe> SOURCES <files...> TESTS <test files...>)
#
# Declares one exercise of exercises/<name>/:
#   - library  exercise_<name>: the SOURCES, taken from the folder itself (the stub the student
#              edits) or from its solution/ folder (same file names), as COURSE_USE_SOLUTIONS says;
#   - executable <exe>: the folder's main.cpp, the lesson that calls the exercise's functions;
#   - tests    test_<name>: the TESTS, labelled "exercise" and "<name>".
function(course_exercise name)
  cmake_parse_arguments(ARG "" "EXECUTABLE" "SOURCES;TESTS" ${ARGN})
  set(exercise_dir ${CMAKE_CURRENT_SOURCE_DIR})
  if(COURSE_USE_SOLUTIONS)
    set(source_dir ${exercise_dir}/solution)
  else()
    set(source_dir ${exercise_dir})
  endif()
  list(TRANSFORM ARG_SOURCES PREPEND ${source_dir}/)

  add_library(exercise_${name} STATIC ${ARG_SOURCES})
  course_target(exercise_${name})
  target_include_directories(exercise_${name} PUBLIC ${exercise_dir})
  target_link_libraries(exercise_${name} PUBLIC course_common)

  add_executable(${ARG_EXECUTABLE} ${exercise_dir}/main.cpp)
  course_target(${ARG_EXECUTABLE})
  target_link_libraries(${ARG_EXECUTABLE} PRIVATE exercise_${name})

  if(COURSE_BUILD_TESTS AND ARG_TESTS)
    course_test(test_${name} SOURCES ${ARG_TESTS} LIBRARIES exercise_${name}
      LABELS "exercise;${name}")
  endif()
endfunction()
