// course.json, the single manifest of the course: every exercise and the homework, in the
// order a student works through them, with the files they edit and the targets that check them.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace course::tool {

// A problem the student or instructor can fix: what is wrong, in which file, and what to do.
class CourseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Exercise {
  std::string name;                                 // "02_autograd": what `course check NAME` takes
  std::string title;                                // one line for `course list`
  std::string title_es;                             // the same in Spanish ("title_es")
  std::filesystem::path folder;                     // relative to the root: "exercises/02_autograd"
  std::vector<std::string> files;                   // the stub files, relative to `folder`
  std::filesystem::path readme;                     // relative to the root; holds "## Hints"
  std::string library;                              // the CMake target built from `files`
  std::string executable;                           // the lesson (or homework) binary
  std::vector<std::string> test_executables;        // GoogleTest binaries: the checks
  std::vector<std::filesystem::path> test_sources;  // relative to the root
  std::vector<std::string> test_labels;             // the ctest labels of its checks
  // Checks that are ctest tests but not GoogleTest cases (e.g. "homework.grade": a full run,
  // graded), run by name after every GoogleTest check passes.
  std::vector<std::string> ctest_checks;
  std::vector<std::string> support_targets;  // what those need built (e.g. homework_grade)
  double points = 1;  // what each check is worth to `course grade` ("points" in course.json)

  // What `course check` builds for the GoogleTest checks: the library and the test binaries
  // (not the lesson executable: `course run` builds that).
  std::vector<std::string> check_targets() const;
  // What the ctest checks need besides, built once every other check passes: the executable
  // and the support targets (the homework's binary and its grader).
  std::vector<std::string> ctest_check_targets() const;
  std::filesystem::path solution_folder() const { return folder / "solution"; }
};

// What an exercise's name says about it, the one rule that CMake (cmake/Course.cmake,
// course_exercise) follows too: "02_autograd" lives in exercises/02_autograd/ with its
// README.md, builds the library exercise_02_autograd, the lesson ex02_autograd and the checks
// test_02_autograd from tests/exercises/autograd_test.cpp, labelled exercise and 02_autograd.
// course.json gives only the name, the title and the stub files; an entry may still spell out
// any of these (the homework does).
Exercise derive_from_name(const std::string& name);

struct Manifest {
  std::filesystem::path root;       // the folder holding course.json
  std::string student_build;        // relative to the root: "build/student"
  std::string student_preset;       // "student": the preset that configures it
  std::vector<Exercise> exercises;  // in course order; the homework last

  // The exercise named `name`; throws CourseError listing the known names when there is none.
  const Exercise& find(const std::string& name) const;
  std::string names() const;  // "01_tensors, 02_autograd, ..."
};

inline constexpr const char* kManifestFile = "course.json";

// Reads and validates `root`/course.json. Throws CourseError naming the field that is wrong.
Manifest load_manifest(const std::filesystem::path& root);
Manifest parse_manifest(const std::string& text, const std::filesystem::path& root);

// The first folder from `start` upwards that holds course.json; empty when there is none.
std::filesystem::path find_course_root(const std::filesystem::path& start);

}  // namespace course::tool
