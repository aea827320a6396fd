# The shared CMake functions: every target of the course is declared through them, so all of
# them compile alike (C++17, warnings on, one precompiled header for the heavy Torch headers).

# <torch/torch.h> takes ~20 s to parse. We parse it once into a precompiled header and every
# target reuses it (REUSE_FROM), so rebuilding one edited exercise takes seconds, not minutes.
option(COURSE_USE_PCH "Share one precompiled header for <torch/torch.h>" ON)

set(course_pch_headers
  <torch/torch.h> <fmt/format.h> <string> <vector> <memory> <filesystem> <stdexcept>)
add_library(course_pch STATIC ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(course_pch PUBLIC torch fmt::fmt-header-only)
target_compile_options(course_pch PRIVATE -Wall -Wextra)
if(COURSE_USE_PCH)
  target_precompile_headers(course_pch PRIVATE ${course_pch_headers})
endif()

# The instructors' tools (course grade, the honesty and mistakes audits) compile the students'
# files once per submission or per catalogued mistake, with this tree's own commands. Their code
# only calls LibTorch, whose kernels are compiled already, so these trees compile the students'
# files without optimisation (-O0: about 30% less compile time per submission; the same numbers,
# since -O3 reorders no floating-point arithmetic without -ffast-math), against a precompiled
# header built the same way (clang refuses a header built with other optimisation). Everything
# else (the checks, the harness, the grade) stays optimised. A student's own build leaves it off.
option(COURSE_STUDENT_FILES_UNOPTIMIZED
  "Compile the students' files (exercise libraries, the homework's model) at -O0" OFF)
if(COURSE_STUDENT_FILES_UNOPTIMIZED)
  add_library(course_pch_unoptimized STATIC ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
  target_link_libraries(course_pch_unoptimized PUBLIC torch fmt::fmt-header-only)
  target_compile_options(course_pch_unoptimized PRIVATE -Wall -Wextra -O0)
  if(COURSE_USE_PCH)
    target_precompile_headers(course_pch_unoptimized PRIVATE ${course_pch_headers})
  endif()
endif()

# course_target(<target>): the compile settings every target of ours shares.
function(course_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(COURSE_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM course_pch)
  endif()
endfunction()

# course_student_target(<target>): a library of the files a student edits. Like course_target(),
# but at -O0 where COURSE_STUDENT_FILES_UNOPTIMIZED says so (see above).
function(course_student_target target)
  if(NOT COURSE_STUDENT_FILES_UNOPTIMIZED)
    course_target(${target})
    return()
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra -O0)
  if(COURSE_USE_PCH)
    target_precompile_headers(${target} REUSE_FROM course_pch_unoptimized)
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

# course_exercise(<name> SOURCES <stub files...>)
#
# Declares one exercise. Everything follows from its name, by the same rule the course runner
# applies to course.json (tools/course, derive_from_name): "02_autograd" is
#   - library    exercise_02_autograd: the SOURCES from exercises/02_autograd/ itself (the stub
#                the student edits) or from its solution/ folder (same file names), as
#                COURSE_USE_SOLUTIONS says;
#   - executable ex02_autograd: the folder's main.cpp, the lesson that calls the exercise (built
#                by `course run`; `course check` builds only the library and the tests);
#   - tests      test_02_autograd: tests/exercises/autograd_test.cpp, labelled "exercise" and
#                "02_autograd".
# A missing folder, stub or test file stops the configure step with a message naming it.
function(course_exercise name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  set(exercise_dir ${PROJECT_SOURCE_DIR}/exercises/${name})
  string(REGEX REPLACE "^[0-9]+_" "" topic ${name})
  set(test_source ${PROJECT_SOURCE_DIR}/tests/exercises/${topic}_test.cpp)
  if(COURSE_USE_SOLUTIONS)
    set(source_dir ${exercise_dir}/solution)
  else()
    set(source_dir ${exercise_dir})
  endif()
  list(TRANSFORM ARG_SOURCES PREPEND ${source_dir}/)
  foreach(required ${exercise_dir}/main.cpp ${ARG_SOURCES} ${test_source})
    if(NOT EXISTS ${required})
      message(FATAL_ERROR "course.json lists the exercise '${name}', but ${required} does not "
                          "exist: check the name and the \"files\" of its entry")
    endif()
  endforeach()

  add_library(exercise_${name} STATIC ${ARG_SOURCES})
  course_student_target(exercise_${name})
  target_include_directories(exercise_${name} PUBLIC ${exercise_dir})
  target_link_libraries(exercise_${name} PUBLIC course_lesson)
  # What a stub's not_implemented() names as the folder to edit (common/lesson.h).
  target_compile_definitions(exercise_${name} PRIVATE
    COURSE_EXERCISE_FOLDER="exercises/${name}")

  add_executable(ex${name} ${exercise_dir}/main.cpp)
  course_target(ex${name})
  target_link_libraries(ex${name} PRIVATE exercise_${name} course_common)

  if(COURSE_BUILD_TESTS)
    # The checks link the rest of the common library (the data set, the flags) only when they
    # include it: a student's first check of 01 then waits for no more than it runs.
    set(test_libraries exercise_${name})
    file(STRINGS ${test_source} common_includes
      REGEX "#include \"common/(fashion_mnist|idx|cli|progress)\\.h\"")
    if(common_includes)
      list(APPEND test_libraries course_common)
    endif()
    course_test(test_${name} SOURCES ${test_source} LIBRARIES ${test_libraries}
      LABELS "exercise;${name}")
  endif()
  # What an exercise builds besides its code (06's model, exported from Python), in the folder's
  # exercise.cmake: it sees this function's variables (name, exercise_dir).
  if(EXISTS ${exercise_dir}/exercise.cmake)
    include(${exercise_dir}/exercise.cmake)
  endif()
endfunction()

# course_exercises_from(<course.json>)
#
# One course_exercise() per exercise of the manifest: the entries whose folder is
# exercises/<name> (the default; the homework has its own folder and CMakeLists.txt).
# Why CMake reads course.json and not the other way round: the manifest is what students and
# the runner already read (titles, stub files, order), JSON is what both CMake (string(JSON),
# 3.19+) and C++ parse without a generator step, and an exercise is then declared in exactly one
# place, its entry there.
function(course_exercises_from manifest_file)
  file(READ ${manifest_file} manifest)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${manifest_file})
  string(JSON count LENGTH "${manifest}" exercises)
  math(EXPR last "${count} - 1")
  foreach(index RANGE ${last})
    string(JSON name GET "${manifest}" exercises ${index} name)
    string(JSON folder ERROR_VARIABLE no_folder GET "${manifest}" exercises ${index} folder)
    if(NOT no_folder AND NOT folder STREQUAL "exercises/${name}")
      continue()  # laid out otherwise (the homework): declared by its own CMakeLists.txt
    endif()
    string(JSON file_count LENGTH "${manifest}" exercises ${index} files)
    math(EXPR last_file "${file_count} - 1")
    set(sources)
    foreach(file_index RANGE ${last_file})
      string(JSON file GET "${manifest}" exercises ${index} files ${file_index})
      if(NOT file MATCHES "\\.h$")
        list(APPEND sources ${file})
      endif()
    endforeach()
    course_exercise(${name} SOURCES ${sources})
  endforeach()
endfunction()
