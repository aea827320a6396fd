// The status model of the runner: where a student stands in each exercise, from the saved
// progress, the files' times and git; and which exercise a command means.
#pragma once

#include <set>
#include <string>

#include "course_tool/course.h"

namespace course::tool {

// Stub files that differ from git's HEAD (the student has started editing). Empty without git.
std::set<std::string> edited_in_git(const Course& course);

enum class State { kNotStarted, kInProgress, kDone };

struct Status {
  State state = State::kNotStarted;
  ExerciseProgress progress;
  bool edited_since_check = false;
};

// Done once every check passed; in progress once checked, hinted or edited; else not started.
Status status_of(const Course& course, const Exercise& exercise,
                 const std::set<std::string>& edited);
std::string state_text(State state);
std::string checks_text(const ExerciseProgress& progress);  // "3/5", "no build", "-"

// The first exercise, in course order, that is not done (nullptr: all done).
const Exercise* current_exercise(const Course& course);
// The exercise whose folder holds `here` (a student in exercises/02_autograd/), if any.
const Exercise* exercise_at(const Course& course, const std::filesystem::path& here);
// NAME when given; else the exercise of the current folder; else the first one not done.
const Exercise& exercise_or_current(const Course& course, const std::string& name);
// The next exercise not done after `exercise` (then from the start), or nullptr.
// The exercise's title in the student's language (course.json "title_es" in Spanish).
std::string title_to_show(const Exercise& exercise);
// The exercise's README in the student's language (README.es.md in Spanish), relative to the root.
std::filesystem::path readme_to_read(const Course& course, const Exercise& exercise);
const Exercise* next_after(const Course& course, const Exercise& exercise);

}  // namespace course::tool
