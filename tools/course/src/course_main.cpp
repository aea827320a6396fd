// course: the student's loop through the exercises, from any folder of the checkout.
//
//   course list            every exercise and the homework, with its status and checks
//   course check [NAME]    rebuild NAME in build/student, run its checks, say what to do next
//   course hint [NAME]     the next hint for NAME (a nudge first, nearly the answer last)
//   course watch [NAME]    check again on every save; move on when it passes
//   course run NAME        build and run the exercise's lesson executable
//   course reset NAME      put the untouched stub back (asks first)
//   course progress        one bar per exercise
//
// Without NAME, a command works on the exercise whose folder you are in, else on the first
// exercise that is not done yet.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/text.h"
#include "course_tool/checks.h"
#include "course_tool/hints.h"
#include "course_tool/manifest.h"
#include "course_tool/process.h"
#include "course_tool/progress.h"
#include "course_tool/student_build.h"

namespace fs = std::filesystem;
using namespace course::tool;

namespace {

// ANSI colours on a terminal only; NO_COLOR (no-color.org) and --no-color turn them off.
struct Style {
  bool color = false;
  std::string paint(const std::string& code, const std::string& text) const {
    return color ? "\033[" + code + "m" + text + "\033[0m" : text;
  }
  std::string green(const std::string& text) const { return paint("32", text); }
  std::string red(const std::string& text) const { return paint("31", text); }
  std::string yellow(const std::string& text) const { return paint("33", text); }
  std::string bold(const std::string& text) const { return paint("1", text); }
  std::string dim(const std::string& text) const { return paint("2", text); }
};

Style make_style(bool no_color) {
  Style style;
  const char* term = std::getenv("TERM");
  style.color = !no_color && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
                !(term && std::string(term) == "dumb");
  return style;
}

bool utf8_terminal() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value && *value) {
      std::string text = value;
      std::transform(text.begin(), text.end(), text.begin(), ::tolower);
      return text.find("utf-8") != std::string::npos || text.find("utf8") != std::string::npos;
    }
  }
  return false;
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t modified_seconds(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return 0;
  return static_cast<int64_t>(info.st_mtime);
}

std::string indent(const std::string& text, const std::string& prefix, size_t max_lines = 0) {
  std::istringstream lines(text);
  std::string line, result;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (max_lines && count == max_lines) {
      result += prefix + "...\n";
      break;
    }
    result += prefix + line + "\n";
    ++count;
  }
  return result;
}

struct Course {
  Manifest manifest;
  StudentBuild build;
  ProgressCache progress;
  Style style;

  fs::path root() const { return manifest.root; }
  std::string relative(const fs::path& path) const {
    return path.lexically_relative(manifest.root).string();
  }
};

// The checkout's root: from the current folder upwards, else from where this binary lives
// (build/student/bin/course inside the checkout).
fs::path locate_root() {
  fs::path root = find_course_root(fs::current_path());
  if (!root.empty()) return root;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) root = find_course_root(self.parent_path());
  if (!root.empty()) return root;
  throw CourseError(
      "not inside the course: run `course` from the folder you cloned (the one with "
      "course.json) or any folder below it");
}

Course open_course(const std::string& build_dir, bool no_color) {
  const fs::path root = locate_root();
  Manifest manifest = load_manifest(root);
  StudentBuild build = student_build(manifest, build_dir);
  return Course{std::move(manifest), std::move(build), ProgressCache(progress_file(root)),
                make_style(no_color)};
}

// Stub files that differ from git's HEAD (the student has started editing). Empty without git.
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

enum class State { kNotStarted, kInProgress, kDone };

struct Status {
  State state = State::kNotStarted;
  ExerciseProgress progress;
  bool edited_since_check = false;
};

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
      return "done";
    case State::kInProgress:
      return "in progress";
    case State::kNotStarted:
      return "not started";
  }
  return "";
}

std::string checks_text(const ExerciseProgress& progress) {
  if (!progress.checked()) return "-";
  if (!progress.compiles) return "no build";
  return fmt::format("{}/{}", progress.passed, progress.total);
}

// The first exercise, in course order, that is not done.
const Exercise* current_exercise(const Course& course) {
  for (const auto& exercise : course.manifest.exercises) {
    if (!course.progress.get(exercise.name).done()) return &exercise;
  }
  return nullptr;
}

// The exercise whose folder holds the current folder (a student working in
// exercises/02_autograd/ means 02_autograd), if any.
const Exercise* exercise_here(const Course& course) {
  std::error_code error;
  const fs::path here = fs::weakly_canonical(fs::current_path(), error);
  if (error) return nullptr;
  for (const auto& exercise : course.manifest.exercises) {
    const fs::path folder = fs::weakly_canonical(course.root() / exercise.folder, error);
    if (error) continue;
    const fs::path relative = here.lexically_relative(folder);
    if (!relative.empty() && *relative.begin() != "..") return &exercise;
  }
  return nullptr;
}

// NAME when given; else the exercise of the current folder; else the first one not done.
const Exercise& exercise_or_current(const Course& course, const std::string& name) {
  if (!name.empty()) return course.manifest.find(name);
  if (const Exercise* here = exercise_here(course)) return *here;
  const Exercise* current = current_exercise(course);
  if (!current)
    throw CourseError("every exercise is done; name one to work on it again (see `course list`)");
  return *current;
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

size_t hint_count(const Course& course, const Exercise& exercise) {
  try {
    return read_hints(course.root() / exercise.readme).size();
  } catch (const CourseError&) {
    return 0;
  }
}

// GoogleTest's message made readable: paths relative to the checkout, and the text of a
// NotImplemented (or any exception) without GoogleTest's wrapping.
std::string friendly_message(const std::string& raw, const fs::path& root) {
  std::string text = raw;
  const std::string prefix = root.string() + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  static const std::regex thrown(
      R"re(C\+\+ exception with description "([\s\S]*)" thrown in the test body\.?)re");
  std::smatch match;
  if (std::regex_search(text, match, thrown)) {
    text = "threw: " + match[1].str();
  }
  if (text.rfind("unknown file\n", 0) == 0) text = text.substr(13);
  return text;
}

std::string stub_list(const Exercise& exercise) {
  std::string list;
  for (const auto& file : exercise.files) {
    if (!list.empty()) list += ", ";
    list += (exercise.folder / file).string();
  }
  return list;
}

struct CheckOutcome {
  bool compiled = false;
  bool all_pass = false;
};

CheckOutcome check_exercise(Course& course, const Exercise& exercise) {
  course.build.require_ready();
  const Style& style = course.style;
  CheckOutcome outcome;
  fmt::print("{} {}\n", style.bold(exercise.name), style.dim("· " + exercise.title));
  const bool first_build = !fs::exists(course.build.binary(exercise.test_executables.front()));
  fmt::print("Building {}{} ...\n", exercise.name,
             first_build ? " (the first build takes a few minutes)" : "");
  std::fflush(stdout);
  const auto start = std::chrono::steady_clock::now();
  ProcessResult built = course.build.build(exercise.build_targets(), ::isatty(STDOUT_FILENO));
  if (!built.started) throw CourseError(fmt::format("cannot run cmake: {}", built.describe()));

  ExerciseProgress progress = course.progress.get(exercise.name);
  progress.checked_at = now_seconds();
  const size_t hints = hint_count(course, exercise);
  const std::string hint_line =
      hints > 0 ? fmt::format("Stuck? `course hint {}` shows hint {} of {}.", exercise.name,
                              std::min<size_t>(progress.hints_shown + 1, hints), hints)
                : fmt::format("Stuck? See {}.", exercise.readme.string());

  if (!built.succeeded()) {
    progress.compiles = false;
    course.progress.set(exercise.name, progress);
    course.progress.save();
    fmt::print("\n{} does not compile yet. The compiler says:\n\n{}\n", exercise.name,
               indent(compiler_errors(built.output, course.root()), "  "));
    fmt::print("Fix it in {}, then run `course check {}` again.\n{}\n", stub_list(exercise),
               exercise.name, hint_line);
    return outcome;
  }
  outcome.compiled = true;
  const double build_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::vector<CheckResult> checks;
  std::vector<std::string> problems;
  for (const auto& test : exercise.test_executables) {
    RunOptions options;
    options.report_dir = course.build.directory / "course-checks" / exercise.name;
    options.working_directory = course.build.directory;  // where ctest would run them
    options.timeout_seconds = 900;
    const BinaryRun run = run_gtest_binary(course.build.binary(test), options);
    checks.insert(checks.end(), run.checks.begin(), run.checks.end());
    if (run.crashed || run.checks.empty())
      problems.push_back(run.problem.empty() ? test + " ran no checks" : run.problem);
  }
  // A ctest check of its own (the homework's grade: a whole training run) comes last, once
  // everything else passes.
  const bool rest_passes = problems.empty() && tally(checks).failed == 0 && !checks.empty();
  for (const auto& name : exercise.ctest_checks) {
    if (!rest_passes) {
      checks.push_back(
          CheckResult{name, CheckStatus::kNotRun, "runs once every other check passes"});
      continue;
    }
    fmt::print("Running {} (a full run: this can take a minute or two) ...\n", name);
    std::fflush(stdout);
    checks.push_back(run_ctest_check(course.build.ctest, course.build.directory, name, 1800));
  }
  const Tally counts = tally(checks);
  progress.compiles = true;
  progress.passed = counts.passed;
  progress.total = counts.total();
  progress.first_failure.clear();

  fmt::print("Built in {:.1f} s. Running its {} checks:\n\n", build_seconds, counts.total());
  const CheckResult* first_failure = nullptr;
  for (const auto& check : checks) {
    const bool passed = check.status == CheckStatus::kPassed;
    if (check.status == CheckStatus::kNotRun) {
      fmt::print("  {}  {} {}\n", style.yellow("WAIT"), check.name,
                 style.dim("(" + check.message + ")"));
      continue;
    }
    fmt::print("  {}  {}\n", passed ? style.green("PASS") : style.red("FAIL"), check.name);
    if (!passed && !first_failure) first_failure = &check;
  }
  for (const auto& problem : problems) fmt::print("  {}\n", style.yellow(problem));
  outcome.all_pass = first_failure == nullptr && problems.empty() && counts.total() > 0;
  if (first_failure) progress.first_failure = first_failure->name;
  course.progress.set(exercise.name, progress);
  course.progress.save();

  if (outcome.all_pass) {
    fmt::print("\n{}\n", style.green(fmt::format("All {} checks of {} pass. Well done!",
                                                 counts.total(), exercise.name)));
    fmt::print("See it run: `course run {}`\n", exercise.name);
    if (const Exercise* next = next_after(course, exercise)) {
      fmt::print("Next: `course check {}` ({})\n", next->name, next->title);
    } else {
      fmt::print("That was the last one: every exercise is done.\n");
    }
    return outcome;
  }
  fmt::print("\n{} of {} checks pass.\n", counts.passed, counts.total());
  if (first_failure) {
    fmt::print("\nFirst failing check: {}\n{}\n", style.bold(first_failure->name),
               indent(friendly_message(first_failure->message, course.root()), "    ", 15));
  }
  fmt::print("Edit {} (look for TODO), then run `course check {}` again.\n{}\n",
             stub_list(exercise), exercise.name, hint_line);
  return outcome;
}

// ---- the commands -------------------------------------------------------------------------

int command_list(Course& course) {
  const auto edited = edited_in_git(course);
  const Style& style = course.style;
  size_t name_width = 8;
  for (const auto& exercise : course.manifest.exercises)
    name_width = std::max(name_width, exercise.name.size());
  fmt::print("{:<{}}  {:<13} {:>8}  {}\n", "exercise", name_width, "status", "checks", "title");
  for (const auto& exercise : course.manifest.exercises) {
    const Status status = status_of(course, exercise, edited);
    std::string state = fmt::format("{:<13}", state_text(status.state));
    if (status.state == State::kDone) state = style.green(state);
    if (status.state == State::kInProgress) state = style.yellow(state);
    fmt::print("{:<{}}  {} {:>8}  {}{}\n", exercise.name, name_width, state,
               checks_text(status.progress), exercise.title,
               status.edited_since_check ? style.dim("  (edited since its last check)") : "");
  }
  fmt::print("\n");
  if (!course.build.configured()) {
    fmt::print("Next: configure the student build once: `cmake --preset {}` (in {}).\n",
               course.build.preset, course.root().string());
  } else if (const Exercise* current = current_exercise(course)) {
    fmt::print("Next: `course check {}`   (`course hint {}` when stuck)\n", current->name,
               current->name);
  } else {
    fmt::print("Everything is done. Congratulations!\n");
  }
  return 0;
}

int command_progress(Course& course) {
  const auto edited = edited_in_git(course);
  const bool unicode = utf8_terminal();
  const std::string full = unicode ? "█" : "#";
  const std::string empty = unicode ? "░" : ".";
  const int width = 24;
  auto bar = [&](double fraction) {
    const int filled = static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * width));
    std::string text;
    for (int i = 0; i < width; ++i) text += i < filled ? full : empty;
    return text;
  };
  size_t name_width = 8;
  for (const auto& exercise : course.manifest.exercises)
    name_width = std::max(name_width, exercise.name.size());
  int done = 0, passed = 0, total = 0;
  std::vector<std::string> rows;
  for (const auto& exercise : course.manifest.exercises) {
    const Status status = status_of(course, exercise, edited);
    const auto& progress = status.progress;
    double fraction = 0;
    if (progress.checked() && progress.compiles && progress.total > 0)
      fraction = static_cast<double>(progress.passed) / progress.total;
    std::string painted = bar(fraction);
    if (status.state == State::kDone) painted = course.style.green(painted);
    done += status.state == State::kDone;
    if (progress.checked() && progress.compiles) {
      passed += progress.passed;
      total += progress.total;
    }
    rows.push_back(fmt::format("  {:<{}}  {}  {:>8}  {}", exercise.name, name_width, painted,
                               checks_text(progress), state_text(status.state)));
  }
  const int exercises = static_cast<int>(course.manifest.exercises.size());
  fmt::print("Your progress: {} of {} done, {} of {} checks passing (of those checked)\n\n", done,
             exercises, passed, total);
  for (const auto& row : rows) fmt::print("{}\n", row);
  fmt::print("\n  {:<{}}  {}  {:>8}\n", "overall", name_width,
             bar(exercises ? static_cast<double>(done) / exercises : 0),
             fmt::format("{}/{}", done, exercises));
  fmt::print("\n{}\n", course.style.dim("(From each exercise's last `course check`; the checks "
                                        "are the truth: `course check NAME` refreshes one.)"));
  return 0;
}

int command_check(Course& course, const std::string& name) {
  const Exercise& exercise = exercise_or_current(course, name);
  return check_exercise(course, exercise).all_pass ? 0 : 1;
}

int command_hint(Course& course, const std::string& name, int level) {
  const Exercise& exercise = exercise_or_current(course, name);
  const auto hints = read_hints(course.root() / exercise.readme);
  if (hints.empty())
    throw CourseError(fmt::format("{} has no hints under \"## Hints\"", exercise.readme.string()));
  ExerciseProgress progress = course.progress.get(exercise.name);
  const int count = static_cast<int>(hints.size());
  if (level == 0) level = std::min(progress.hints_shown + 1, count);
  if (level < 1 || level > count)
    throw CourseError(fmt::format("{} has hints 1 to {}, not {}", exercise.name, count, level));
  const Hint& hint = hints[static_cast<size_t>(level - 1)];
  fmt::print("{}\n\n{}\n",
             course.style.bold(fmt::format("Hint {} of {} for {}:", level, count, exercise.name)),
             indent(hint.text, "  "));
  if (level < count) {
    fmt::print("Still stuck? `course hint {}` shows hint {}.\n", exercise.name, level + 1);
  } else {
    fmt::print("That was the last hint. The table in {} maps each PyTorch line to its C++ call.\n",
               exercise.readme.string());
  }
  progress.hints_shown = std::max(progress.hints_shown, level);
  course.progress.set(exercise.name, progress);
  course.progress.save();
  return 0;
}

// Files whose saving should trigger a new check: the exercise's folder (not its solution),
// and its test sources. Path -> (modification time in ns, size).
std::map<std::string, std::pair<int64_t, int64_t>> snapshot(const Course& course,
                                                            const Exercise& exercise) {
  std::map<std::string, std::pair<int64_t, int64_t>> files;
  auto add = [&](const fs::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return;
    files[file.string()] = {
        static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
        static_cast<int64_t>(info.st_size)};
  };
  const fs::path folder = course.root() / exercise.folder;
  const fs::path solution = course.root() / exercise.solution_folder();
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (it->path() == solution || (!name.empty() && name[0] == '.'))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && !name.empty() && name[0] != '.' && name.back() != '~')
      add(it->path());
  }
  for (const auto& source : exercise.test_sources) add(course.root() / source);
  return files;
}

int command_watch(Course& course, const std::string& name, double interval, int max_checks) {
  course.build.require_ready();
  const Exercise* exercise = &exercise_or_current(course, name);
  int checks = 0;
  while (true) {
    const auto before = snapshot(course, *exercise);
    std::time_t now = std::time(nullptr);
    char clock[16];
    std::strftime(clock, sizeof clock, "%H:%M:%S", std::localtime(&now));
    fmt::print("{}\n", course.style.dim(fmt::format("── {} ──", clock)));
    const CheckOutcome outcome = check_exercise(course, *exercise);
    ++checks;
    if (max_checks > 0 && checks >= max_checks) return outcome.all_pass ? 0 : 1;
    if (outcome.all_pass) {
      const Exercise* next = next_after(course, *exercise);
      if (!next) {
        fmt::print("\nEvery exercise passes. Congratulations!\n");
        return 0;
      }
      fmt::print("\nMoving on to {}.\n\n", next->name);
      exercise = next;
      continue;
    }
    fmt::print("\n{}\n",
               course.style.dim(fmt::format("Watching {}/ for saved changes (Ctrl-C to stop) ...",
                                            exercise->folder.string())));
    std::fflush(stdout);
    const auto interval_ms = std::chrono::milliseconds(static_cast<long>(interval * 1000));
    // Compare with the files as they were when this check started: a save during the build
    // counts too.
    auto current = before;
    while (current == before) {
      std::this_thread::sleep_for(interval_ms);
      current = snapshot(course, *exercise);
    }
    // Editors save in steps (temp file, rename): wait until the files stay still.
    for (auto settled = snapshot(course, *exercise); settled != current;
         settled = snapshot(course, *exercise)) {
      current = settled;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    fmt::print("\n");
  }
}

int command_run(Course& course, const std::string& name, const std::vector<std::string>& args) {
  course.build.require_ready();
  const Exercise& exercise = course.manifest.find(name);
  fmt::print("Building {} ...\n", exercise.executable);
  std::fflush(stdout);
  ProcessResult built = course.build.build({exercise.executable}, ::isatty(STDOUT_FILENO));
  if (!built.succeeded()) {
    if (!built.started) throw CourseError(fmt::format("cannot run cmake: {}", built.describe()));
    fmt::print(
        "\n{} does not compile yet. The compiler says:\n\n{}\nFix it in {}, then try "
        "again.\n",
        exercise.name, indent(compiler_errors(built.output, course.root()), "  "),
        stub_list(exercise));
    return 1;
  }
  const fs::path binary = course.build.binary(exercise.executable);
  std::string command_line = course.relative(binary);
  for (const auto& arg : args) command_line += " " + arg;
  fmt::print("{}\n\n", course.style.dim("$ " + command_line));
  std::fflush(stdout);
  std::vector<char*> argv;
  const std::string program = binary.string();
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execv(program.c_str(), argv.data());
  throw CourseError(fmt::format("cannot run {}: {}", program, std::strerror(errno)));
}

int command_reset(Course& course, const std::string& name, bool yes, const std::string& from) {
  const Exercise& exercise = course.manifest.find(name);
  if (!find_program("git"))
    throw CourseError("reset restores the stub from git, and git is not installed");
  ProcessOptions quiet;
  quiet.working_directory = course.root();
  quiet.timeout_seconds = 30;
  if (!run_process({"git", "rev-parse", "--is-inside-work-tree"}, quiet).succeeded())
    throw CourseError(fmt::format("{} is not a git checkout, so there is no stub to restore from",
                                  course.root().string()));
  std::vector<std::string> changed;
  for (const auto& file : exercise.files) {
    const std::string path = (exercise.folder / file).string();
    if (!run_process({"git", "cat-file", "-e", from + ":" + path}, quiet).succeeded())
      throw CourseError(fmt::format("git has no {} at {}: nothing to restore it from", path, from));
    if (!fs::exists(course.root() / path) ||
        !run_process({"git", "diff", "--quiet", from, "--", path}, quiet).succeeded())
      changed.push_back(path);
  }
  ExerciseProgress progress = course.progress.get(exercise.name);
  if (changed.empty()) {
    fmt::print("{} is already the untouched stub ({}): nothing to reset.\n", stub_list(exercise),
               from);
    return 0;
  }
  fmt::print("This puts back the untouched stub (from git, {}) of:\n", from);
  for (const auto& path : changed) fmt::print("  {}\n", path);
  char stamp[32];
  std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  const fs::path backup = fs::path(".course") / "backup" / (exercise.name + "-" + stamp);
  fmt::print("Your current version is kept in {}/.\n", backup.string());
  if (!yes) {
    if (!interactive_terminal())
      throw CourseError(
          "reset replaces your work, so it asks first, and there is no terminal "
          "to ask on: pass --yes to confirm");
    fmt::print("Reset {}? [y/N] ", exercise.name);
    std::fflush(stdout);
    std::string answer;
    if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) {
      fmt::print("Nothing changed.\n");
      return 1;
    }
  }
  for (const auto& path : changed) {
    if (!fs::exists(course.root() / path)) continue;
    const fs::path target = course.root() / backup / path;
    fs::create_directories(target.parent_path());
    fs::copy_file(course.root() / path, target, fs::copy_options::overwrite_existing);
  }
  std::vector<std::string> restore = {"git", "restore", "--source=" + from, "--worktree", "--"};
  restore.insert(restore.end(), changed.begin(), changed.end());
  ProcessResult restored = run_process(restore, quiet);
  if (!restored.succeeded())
    throw CourseError(fmt::format("git could not restore the stub: {}", restored.output));
  ExerciseProgress fresh;
  fresh.hints_shown = progress.hints_shown;  // hints already read stay read
  course.progress.set(exercise.name, fresh);
  course.progress.save();
  fmt::print("{} is the untouched stub again. Start over with `course check {}`.\n", exercise.name,
             exercise.name);
  return 0;
}

using course::first_line;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "course: work through the exercises. Edit a stub, `course check` it, ask `course hint` "
      "when stuck.",
      "course"};
  app.require_subcommand(1);
  app.fallthrough();
  std::string build_dir;
  bool no_color = false;
  app.add_option("--build-dir", build_dir, "The student build (default: build/student)");
  app.add_flag("--no-color", no_color, "Plain output, no colours (also: NO_COLOR=1)");

  auto* list = app.add_subcommand("list", "Every exercise and the homework, with status");
  auto* check = app.add_subcommand(
      "check",
      "Rebuild one exercise and run its checks (default: the one whose folder you are in, "
      "else the first not done)");
  std::string check_name;
  check->add_option("name", check_name, "Exercise, e.g. 02_autograd (or 02, or autograd)");
  auto* hint = app.add_subcommand("hint", "The next hint for an exercise (a nudge first)");
  std::string hint_name;
  int hint_level = 0;
  hint->add_option("name", hint_name, "Exercise (default: as for check)");
  hint->add_option("--level", hint_level, "Show this hint number again");
  auto* watch = app.add_subcommand(
      "watch", "Check again on every save; move on to the next exercise when it passes");
  std::string watch_name;
  double interval = 1.0;
  int max_checks = 0;
  watch->add_option("name", watch_name, "Exercise to start with (default: as for check)");
  watch->add_option("--interval", interval, "Seconds between looks at the files")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 60.0));
  watch->add_option("--max-checks", max_checks, "Stop after this many checks (0: never)")
      ->group("");
  auto* run = app.add_subcommand("run", "Build and run an exercise's lesson executable");
  std::string run_name;
  run->add_option("name", run_name, "Exercise")->required();
  run->footer(
      "Everything after NAME goes to the executable: course run 04_training_loop --seed 7\n");
  auto* reset = app.add_subcommand("reset", "Put back the untouched stub of an exercise (asks)");
  std::string reset_name, reset_from = "HEAD";
  bool yes = false;
  reset->add_option("name", reset_name, "Exercise")->required();
  reset->add_flag("--yes,-y", yes, "Do not ask (needed without a terminal)");
  reset->add_option("--from", reset_from, "The git revision holding the stub")
      ->capture_default_str();
  auto* progress = app.add_subcommand("progress", "A bar per exercise");

  // `course run NAME ARGS...`: ARGS belong to the executable, not to us, so they are set apart
  // before parsing (a leading "--" is optional).
  std::vector<std::string> arguments(argv + 1, argv + argc);
  std::vector<std::string> passed_on;
  std::string command_word;  // the first word that is not a flag: the command asked for
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--build-dir") {
      ++i;
      continue;
    }
    if (!arguments[i].empty() && arguments[i][0] == '-') continue;
    command_word = arguments[i];
    if (arguments[i] == "run" && i + 1 < arguments.size() && arguments[i + 1][0] != '-') {
      passed_on.assign(arguments.begin() + static_cast<long>(i) + 2, arguments.end());
      arguments.resize(i + 2);
      if (!passed_on.empty() && passed_on.front() == "--") passed_on.erase(passed_on.begin());
    }
    break;
  }
  const bool no_arguments = arguments.empty();
  std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last first (and eats them)

  try {
    app.parse(arguments);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    if (no_arguments) {
      fmt::print("{}\nStart with: course list\n", app.help());
      return 2;
    }
    // CLI11 reports a mistyped command as "a subcommand is required": name the word instead.
    bool known = command_word.empty();
    std::string commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      known |= sub->get_name() == command_word;
      commands += (commands.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "course: error: unknown command '{}'; use one of {} (see course --help)\n",
                 command_word, commands);
      return 2;
    }
    fmt::print(stderr, "course: error: {} (see course --help)\n", first_line(e.what()));
    return 2;
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "course: error: {} (see course --help)\n", first_line(e.what()));
    return 2;
  }

  try {
    Course course = open_course(build_dir, no_color);
    if (*list) return command_list(course);
    if (*check) return command_check(course, check_name);
    if (*hint) return command_hint(course, hint_name, hint_level);
    if (*watch) return command_watch(course, watch_name, interval, max_checks);
    if (*run) {
      return command_run(course, run_name, passed_on);
    }
    if (*reset) return command_reset(course, reset_name, yes, reset_from);
    if (*progress) return command_progress(course);
  } catch (const CourseError& e) {
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 1;
  }
  return 0;
}
