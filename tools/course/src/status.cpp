#include "course_tool/status.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/process.h"

namespace course::tool {
namespace fs = std::filesystem;
using course::tr;

std::set<std::string> edited_in_git(const Course& course) {
  std::set<std::string> edited;
  if (!find_program("git") || !fs::exists(course.root() / ".git")) return edited;
  std::vector<std::string> command = {
      "git", "-C", course.root().string(), "status", "--porcelain", "--untracked-files=no", "--"};
  for (const auto& exercise : course.manifest.exercises) {
    for (const auto& file : exercise.files) command.push_back((exercise.folder / file).string());
  }
  ProcessOptions options;
  options.timeout_seconds = 20;
  ProcessResult status = run_process(command, options);
  if (!status.succeeded()) return edited;
  std::istringstream lines(status.output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > 3) edited.insert(fs::path(line.substr(3)).lexically_normal().string());
  }
  return edited;
}

Status status_of(const Course& course, const Exercise& exercise,
                 const std::set<std::string>& edited) {
  Status status;
  status.progress = course.progress.get(exercise.name);
  bool edited_in_git = false;
  for (const auto& file : exercise.files) {
    const fs::path path = exercise.folder / file;
    edited_in_git |= edited.count(path.lexically_normal().string()) > 0;
    if (status.progress.checked() &&
        modified_seconds(course.root() / path) > status.progress.checked_at)
      status.edited_since_check = true;
  }
  if (status.progress.done()) {
    status.state = State::kDone;
  } else if (status.progress.checked() || status.progress.hints_shown > 0 || edited_in_git) {
    status.state = State::kInProgress;
  }
  return status;
}

std::string state_text(State state) {
  switch (state) {
    case State::kDone:
      return std::string(tr("done"));
    case State::kInProgress:
      return std::string(tr("in progress"));
    case State::kNotStarted:
      return std::string(tr("not started"));
  }
  return "";
}

std::string checks_text(const ExerciseProgress& progress) {
  if (!progress.checked()) return "-";
  if (!progress.compiles) return std::string(tr("no build"));
  return fmt::format("{}/{}", progress.passed, progress.total);
}

const Exercise* current_exercise(const Course& course) {
  for (const auto& exercise : course.manifest.exercises) {
    if (!course.progress.get(exercise.name).done()) return &exercise;
  }
  return nullptr;
}

const Exercise* exercise_at(const Course& course, const fs::path& where) {
  std::error_code error;
  const fs::path here = fs::weakly_canonical(where, error);
  if (error) return nullptr;
  for (const auto& exercise : course.manifest.exercises) {
    const fs::path folder = fs::weakly_canonical(course.root() / exercise.folder, error);
    if (error) continue;
    const fs::path relative = here.lexically_relative(folder);
    if (!relative.empty() && *relative.begin() != "..") return &exercise;
  }
  return nullptr;
}

const Exercise& exercise_or_current(const Course& course, const std::string& name) {
  if (!name.empty()) return course.manifest.find(name);
  if (const Exercise* here = exercise_at(course, fs::current_path())) return *here;
  const Exercise* current = current_exercise(course);
  if (!current)
    throw CourseError(std::string(
        tr("every exercise is done; name one to work on it again (see `course list`)")));
  return *current;
}

std::string title_to_show(const Exercise& exercise) {
  const bool spanish = current_language() == Language::kSpanish && !exercise.title_es.empty();
  return spanish ? exercise.title_es : exercise.title;
}

fs::path readme_to_read(const Course& course, const Exercise& exercise) {
  return localized_readme(course.root() / exercise.readme, current_language())
      .lexically_relative(course.root());
}

const Exercise* next_after(const Course& course, const Exercise& exercise) {
  const auto& all = course.manifest.exercises;
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const Exercise& item) { return item.name == exercise.name; });
  for (++it; it != all.end(); ++it) {
    if (!course.progress.get(it->name).done()) return &*it;
  }
  for (const auto& item : all) {  // one left earlier in the list?
    if (item.name != exercise.name && !course.progress.get(item.name).done()) return &item;
  }
  return nullptr;
}

}  // namespace course::tool
