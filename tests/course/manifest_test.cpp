// course.json: what it must hold, and finding it from any folder of the checkout.
#include "course_tool/manifest.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace {
using course::tool::CourseError;
using course::tool::parse_manifest;
namespace fs = std::filesystem;

const char* kTwoExercises = R"({
  "exercises": [
    {"name": "01_tensors", "title": "Tensors", "folder": "exercises/01_tensors/",
     "files": ["tensors.cpp"], "readme": "exercises/01_tensors/README.md",
     "library": "exercise_01_tensors", "executable": "ex01_tensors",
     "test_executables": ["test_01_tensors"], "test_sources": ["tests/exercises/tensors_test.cpp"]},
    {"name": "02_autograd", "title": "Autograd", "folder": "exercises/02_autograd",
     "files": ["autograd.cpp"], "readme": "exercises/02_autograd/README.md",
     "executable": "ex02_autograd", "test_executables": ["test_02_autograd"],
     "test_sources": ["tests/exercises/autograd_test.cpp"]}
  ]
})";

std::string error_of(const std::string& text) {
  try {
    parse_manifest(text, "/course");
  } catch (const CourseError& e) {
    return e.what();
  }
  return "";
}

TEST(Manifest, ReadsEveryFieldInCourseOrder) {
  const auto manifest = parse_manifest(kTwoExercises, "/course");
  ASSERT_EQ(manifest.exercises.size(), 2u);
  const auto& first = manifest.exercises[0];
  EXPECT_EQ(first.name, "01_tensors");
  EXPECT_EQ(first.folder, fs::path("exercises/01_tensors"));  // the trailing '/' is dropped
  EXPECT_EQ(first.files, std::vector<std::string>{"tensors.cpp"});
  EXPECT_EQ(first.solution_folder(), fs::path("exercises/01_tensors/solution"));
  // `course check` builds the library and the checks, not the lesson executable.
  EXPECT_EQ(first.check_targets(),
            (std::vector<std::string>{"exercise_01_tensors", "test_01_tensors"}));
  EXPECT_EQ(manifest.exercises[1].check_targets(),
            (std::vector<std::string>{"exercise_02_autograd", "test_02_autograd"}));
  EXPECT_EQ(first.ctest_check_targets(), (std::vector<std::string>{"ex01_tensors"}));
  EXPECT_EQ(manifest.student_build, "build/student");
  EXPECT_EQ(manifest.student_preset, "student");
}

TEST(Manifest, FindsAnExerciseByFullNameNumberOrWord) {
  const auto manifest = parse_manifest(kTwoExercises, "/course");
  EXPECT_EQ(manifest.find("02_autograd").name, "02_autograd");
  EXPECT_EQ(manifest.find("2").name, "02_autograd");
  EXPECT_EQ(manifest.find("01").name, "01_tensors");
  EXPECT_EQ(manifest.find("autograd").name, "02_autograd");
}

TEST(Manifest, UnknownNameListsTheKnownOnes) {
  const auto manifest = parse_manifest(kTwoExercises, "/course");
  try {
    manifest.find("03_mlp");
    FAIL() << "expected CourseError";
  } catch (const CourseError& e) {
    EXPECT_NE(std::string(e.what()).find("01_tensors, 02_autograd"), std::string::npos) << e.what();
  }
}

TEST(Manifest, MissingFieldIsNamedInTheError) {
  std::string text = kTwoExercises;
  text.replace(text.find("\"title\": \"Tensors\","), 19, "");
  const std::string error = error_of(text);
  EXPECT_NE(error.find("01_tensors"), std::string::npos) << error;
  EXPECT_NE(error.find("\"title\""), std::string::npos) << error;
}

TEST(Manifest, AnEntryOfNameTitleAndFilesDerivesTheRestFromTheName) {
  const auto manifest = parse_manifest(R"({"exercises": [
    {"name": "06_attention", "title": "Attention", "files": ["attention.cpp"]}]})",
                                       "/course");
  const auto& exercise = manifest.exercises.at(0);
  EXPECT_EQ(exercise.folder, fs::path("exercises/06_attention"));
  EXPECT_EQ(exercise.readme, fs::path("exercises/06_attention/README.md"));
  EXPECT_EQ(exercise.library, "exercise_06_attention");
  EXPECT_EQ(exercise.executable, "ex06_attention");
  EXPECT_EQ(exercise.test_executables, std::vector<std::string>{"test_06_attention"});
  EXPECT_EQ(exercise.test_sources,
            std::vector<fs::path>{fs::path("tests/exercises/attention_test.cpp")});
  EXPECT_EQ(exercise.test_labels, (std::vector<std::string>{"exercise", "06_attention"}));
}

TEST(Manifest, RejectsDuplicatesEscapingPathsAndBadJson) {
  std::string duplicate = kTwoExercises;
  duplicate.replace(duplicate.find("02_autograd"), 11, "01_tensors");
  EXPECT_NE(error_of(duplicate).find("listed twice"), std::string::npos);

  std::string escaping = kTwoExercises;
  escaping.replace(escaping.find("exercises/02_autograd\""), 22, "../elsewhere\"");
  EXPECT_NE(error_of(escaping).find("inside the repository"), std::string::npos);

  EXPECT_NE(error_of("{ not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"exercises": []})").find("non-empty"), std::string::npos);
}

TEST(Manifest, RootIsFoundFromAnyFolderBelowIt) {
  course::testing::TempDir temp;
  fs::create_directories(temp.path() / "exercises" / "02_autograd" / "solution");
  std::ofstream(temp.path() / "course.json") << kTwoExercises;
  EXPECT_EQ(course::tool::find_course_root(temp.path() / "exercises" / "02_autograd" / "solution"),
            temp.path());
  EXPECT_EQ(course::tool::find_course_root(temp.path()), temp.path());
  EXPECT_EQ(course::tool::load_manifest(temp.path()).exercises.size(), 2u);
}

TEST(Manifest, NoRootOutsideTheCourse) {
  course::testing::TempDir temp;
  fs::create_directories(temp.path() / "somewhere");
  // The temp folder's parents (e.g. /tmp) hold no course.json.
  EXPECT_TRUE(course::tool::find_course_root(temp.path() / "somewhere").empty());
}

}  // namespace
