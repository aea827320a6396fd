// The runner's status model (course_tool/status.h) on the demo course: where a student stands
// in each exercise, and which exercise a command means when none is named.
#include "course_tool/status.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "course_tool/progress.h"
#include "fixture.h"
#include "support/temp_dir.h"

namespace course::tool {
namespace {

namespace fs = std::filesystem;

// The demo course in a temporary folder, opened as the runner opens it (no build needed).
struct DemoCourse {
  testing::TempDir temp;
  Course course;
  DemoCourse()
      : course{load_manifest(testing::copy_fixture(temp.path() / "course")), StudentBuild{},
               ProgressCache(temp.path() / "progress.json"), Style{}} {}
  const Exercise& exercise(const std::string& name) const { return course.manifest.find(name); }
  void record(const std::string& name, int passed, int total) {
    ExerciseProgress progress;
    progress.checked_at = now_seconds();
    progress.compiles = true;
    progress.passed = passed;
    progress.total = total;
    course.progress.set(name, progress);
  }
};

TEST(Status, AnExerciseIsNotStartedThenInProgressThenDone) {
  DemoCourse demo;
  const Exercise& first = demo.exercise("01_demo");
  EXPECT_EQ(status_of(demo.course, first, {}).state, State::kNotStarted);
  // Edited in git (the student opened the stub and saved): in progress, before any check.
  EXPECT_EQ(status_of(demo.course, first, {(first.folder / first.files.front()).string()}).state,
            State::kInProgress);
  demo.record("01_demo", 1, 2);
  EXPECT_EQ(status_of(demo.course, first, {}).state, State::kInProgress);
  EXPECT_EQ(checks_text(status_of(demo.course, first, {}).progress), "1/2");
  demo.record("01_demo", 2, 2);
  EXPECT_EQ(status_of(demo.course, first, {}).state, State::kDone);
  EXPECT_EQ(state_text(State::kDone), "done");
}

TEST(Status, AHintShownCountsAsStarted) {
  DemoCourse demo;
  ExerciseProgress progress;
  progress.hints_shown = 1;
  demo.course.progress.set("02_double", progress);
  EXPECT_EQ(status_of(demo.course, demo.exercise("02_double"), {}).state, State::kInProgress);
  EXPECT_EQ(checks_text(progress), "-");  // never checked
}

TEST(Status, TheCurrentExerciseIsTheFirstNotDoneAndNextWrapsAround) {
  DemoCourse demo;
  EXPECT_EQ(current_exercise(demo.course)->name, "01_demo");
  demo.record("01_demo", 2, 2);
  EXPECT_EQ(current_exercise(demo.course)->name, "02_double");
  EXPECT_EQ(next_after(demo.course, demo.exercise("01_demo"))->name, "02_double");
  demo.record("02_double", 1, 1);
  demo.record("03_triple", 1, 1);
  EXPECT_EQ(current_exercise(demo.course), nullptr);
  EXPECT_EQ(next_after(demo.course, demo.exercise("03_triple")), nullptr);
  // 01 not done again: after 03, the last, comes 01 (earlier in the list).
  demo.record("01_demo", 1, 2);
  EXPECT_EQ(next_after(demo.course, demo.exercise("03_triple"))->name, "01_demo");
}

TEST(Status, TheFolderYouAreInNamesTheExercise) {
  DemoCourse demo;
  const fs::path root = demo.course.root();
  EXPECT_EQ(exercise_at(demo.course, root / "exercises" / "02_double")->name, "02_double");
  EXPECT_EQ(exercise_at(demo.course, root / "exercises" / "02_double" / "solution")->name,
            "02_double");
  EXPECT_EQ(exercise_at(demo.course, root), nullptr);
  EXPECT_EQ(exercise_at(demo.course, root / "exercises"), nullptr);
}

}  // namespace
}  // namespace course::tool
