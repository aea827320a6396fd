#include "course_tool/mistakes.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "course_tool/files.h"
#include "course_tool/process.h"
#include "course_tool/recipe.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {


std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

size_t count_occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::string indented(const std::string& text, size_t max_lines) {
  std::istringstream lines(text);
  std::string line, result;
  for (size_t count = 0; count < max_lines && std::getline(lines, line); ++count)
    result += "      " + line + "\n";
  return result;
}

}  // namespace

Mistake parse_mistake(const std::string& text, const std::string& source) {
  Mistake mistake;
  enum class Block { kNone, kFind, kReplace } block = Block::kNone;
  std::string find, replace;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  auto fail = [&](const std::string& why) {
    throw CourseError(fmt::format("{}:{}: {}", source, number, why));
  };
  auto header = [](const std::string& line, const std::string& key) {
    return line.rfind(key + ":", 0) == 0;
  };
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "--- find") {
      if (block == Block::kFind) fail("a `--- find` block with no `--- replace`");
      if (block == Block::kReplace) mistake.edits.push_back({find, replace});
      find.clear();
      replace.clear();
      block = Block::kFind;
      continue;
    }
    if (line == "--- replace") {
      if (block != Block::kFind) fail("`--- replace` without a `--- find` before it");
      block = Block::kReplace;
      continue;
    }
    if (line == "--- end") {
      if (block != Block::kReplace) fail("`--- end` without a `--- find` and `--- replace`");
      mistake.edits.push_back({find, replace});
      block = Block::kNone;
      continue;
    }
    if (block == Block::kFind) {
      find += line + "\n";
    } else if (block == Block::kReplace) {
      replace += line + "\n";
    } else if (trim(line).empty() || line[0] == '#') {
      continue;
    } else if (header(line, "mistake")) {
      mistake.description = trim(line.substr(8));
    } else if (header(line, "message")) {
      const std::string phrase = trim(line.substr(8));
      if (phrase.empty()) fail("an empty `message:` phrase");
      mistake.message.push_back(phrase);
    } else if (header(line, "file")) {
      mistake.file = trim(line.substr(5));
    } else {
      fail(fmt::format("unexpected line \"{}\": expected mistake:, message:, file: or --- find",
                       line));
    }
  }
  if (block != Block::kNone) fail("the last block is not closed with `--- end`");
  if (mistake.description.empty()) fail("no `mistake:` line saying what the mistake is");
  if (mistake.message.empty())
    fail("no `message:` phrase: what must the first failing check's message say?");
  if (mistake.edits.empty()) fail("no `--- find` / `--- replace` edit");
  for (const auto& edit : mistake.edits) {
    if (trim(edit.find).empty()) fail("an edit with nothing to find");
  }
  return mistake;
}

std::string apply_mistake(const Mistake& mistake, const std::string& solution_text) {
  std::string text = solution_text;
  for (size_t i = 0; i < mistake.edits.size(); ++i) {
    const auto& edit = mistake.edits[i];
    const size_t found = count_occurrences(text, edit.find);
    if (found != 1) {
      throw CourseError(fmt::format(
          "{}/{}: edit {} finds its text {} times in the solution, not once: the solution "
          "changed, so the entry must follow it. The text:\n{}",
          mistake.exercise, mistake.name, i + 1, found, edit.find));
    }
    text.replace(text.find(edit.find), edit.find.size(), edit.replace);
  }
  return text;
}

std::vector<Mistake> load_catalogue(const fs::path& catalogue_dir) {
  std::vector<Mistake> catalogue;
  if (!fs::is_directory(catalogue_dir))
    throw CourseError(fmt::format("no catalogue of mistakes at {}", catalogue_dir.string()));
  for (const auto& folder : fs::directory_iterator(catalogue_dir)) {
    if (!folder.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(folder.path())) {
      if (entry.path().extension() != ".mistake") continue;
      Mistake mistake = parse_mistake(read_text(entry.path()), entry.path().string());
      mistake.exercise = folder.path().filename().string();
      mistake.name = entry.path().stem().string();
      catalogue.push_back(std::move(mistake));
    }
  }
  std::sort(catalogue.begin(), catalogue.end(), [](const Mistake& a, const Mistake& b) {
    return std::tie(a.exercise, a.name) < std::tie(b.exercise, b.name);
  });
  return catalogue;
}

std::string judge_mistake(const Mistake& mistake, const std::vector<CheckResult>& checks) {
  if (checks.empty()) return "no checks ran";
  const auto first_failure = std::find_if(checks.begin(), checks.end(), [](const auto& check) {
    return check.status != CheckStatus::kPassed;
  });
  if (first_failure == checks.end()) {
    return fmt::format(
        "CAUGHT BY NO CHECK: all {} checks pass with this mistake; strengthen a "
        "check so that it fails, naming the mistake and the hint",
        checks.size());
  }
  // What the student reads of it: the course's sentence (tests/support/sentence.h).
  if (course_sentence(first_failure->first_failure.empty() ? first_failure->message
                                                           : first_failure->first_failure)
          .empty()) {
    return fmt::format(
        "caught by {}, but its failure carries no sentence of the course (tests/support/"
        "sentence.h), only GoogleTest's lines or LibTorch's exception:\n{}",
        first_failure->name, indented(first_failure->message, 12));
  }
  const std::string message = lower(student_message(*first_failure));
  std::vector<std::string> missing;
  for (const auto& phrase : mistake.message) {
    if (message.find(lower(phrase)) == std::string::npos) missing.push_back("\"" + phrase + "\"");
  }
  if (missing.empty()) return "";
  std::string joined;
  for (const auto& phrase : missing) joined += (joined.empty() ? "" : ", ") + phrase;
  return fmt::format("caught by {}, but its sentence does not say {}:\n{}", first_failure->name,
                     joined, indented(student_message(*first_failure), 12));
}

namespace {

}  // namespace

namespace {

struct Job {
  const Exercise* exercise;
  const Mistake* mistake;
  const ExerciseRecipe* recipe;
};

// Builds one entry as the stub and runs its checks; returns the verdict (empty: caught and named).
std::string audit_one(const Manifest& manifest, const Job& job, const fs::path& tree,
                      const fs::path& work, const std::string& ar, double timeout_seconds) {
  const Exercise& exercise = *job.exercise;
  const Mistake& mistake = *job.mistake;
  const ExerciseRecipe& recipe = *job.recipe;
  const fs::path folder = work / exercise.name / mistake.name;
  fs::remove_all(folder);
  std::vector<fs::path> sources;
  for (const auto& source : recipe.sources) {
    const std::string file = source.stub.filename().string();
    if (file != (mistake.file.empty() ? exercise.files.front() : mistake.file)) {
      sources.push_back(source.stub);
      continue;
    }
    const fs::path solution = manifest.root / exercise.solution_folder() / file;
    sources.push_back(folder / "source" / file);
    write_atomically(sources.back(), apply_mistake(mistake, read_text(solution)));
  }
  const Rebuilt rebuilt = rebuild(recipe, tree, sources, folder, ar);
  if (rebuilt.failed_step.rfind("compile", 0) == 0) {
    return "does not compile (a catalogue entry must build):\n" +
           indented(compiler_errors(rebuilt.process.output, manifest.root, 20), 20);
  }
  if (!rebuilt.failed_step.empty()) {
    return fmt::format("{} failed:\n{}", rebuilt.failed_step, rebuilt.process.output);
  }
  std::vector<CheckResult> checks;
  for (const fs::path& binary : rebuilt.binaries) {
    RunOptions run_options;
    run_options.timeout_seconds = timeout_seconds;
    run_options.report_dir = folder;
    run_options.working_directory = manifest.root;
    // Only the first failing check counts: the ones after it need not run.
    run_options.extra_arguments = {"--gtest_fail_fast"};
    const BinaryRun run = run_gtest_binary(binary, run_options);
    checks.insert(checks.end(), run.checks.begin(), run.checks.end());
    if (tally(run.checks).failed > 0) break;
  }
  for (const fs::path& binary : rebuilt.binaries) fs::remove(binary);  // tens of megabytes each
  return judge_mistake(mistake, checks);
}

}  // namespace

namespace {

// Every exercise needs entries of its own (a new exercise cannot join without its mistakes),
// and every entry an exercise of the manifest. Returns the problems found, each printed.
int check_coverage(const Manifest& manifest, const std::vector<Mistake>& catalogue,
                   const MistakesOptions& options,
                   const std::function<bool(const std::string&)>& selected, std::FILE* out) {
  int problems = 0;
  for (const auto& exercise : manifest.exercises) {
    if (!selected(exercise.name)) continue;
    const auto entries = std::count_if(catalogue.begin(), catalogue.end(), [&](const Mistake& m) {
      return m.exercise == exercise.name;
    });
    if (entries < static_cast<long>(options.minimum_per_exercise)) {
      ++problems;
      fmt::print(
          out, "mistakes: FAIL {} has {} mistake(s) in {}; the catalogue needs at least {}\n",
          exercise.name, entries, options.catalogue_dir.string(), options.minimum_per_exercise);
    }
  }
  for (const auto& mistake : catalogue) {
    const bool known =
        std::any_of(manifest.exercises.begin(), manifest.exercises.end(),
                    [&](const Exercise& exercise) { return exercise.name == mistake.exercise; });
    if (!known) {
      ++problems;
      fmt::print(out, "mistakes: FAIL {}/{}.mistake: no exercise called {} in course.json\n",
                 mistake.exercise, mistake.name, mistake.exercise);
    }
  }
  return problems;
}

// Runs `jobs` on `workers` threads; prints one line per entry. Returns the entries that failed.
int run_jobs(const Manifest& manifest, const std::vector<Job>& jobs, size_t workers,
             const fs::path& tree, const fs::path& work, const std::string& ar, double timeout,
             std::FILE* out) {
  int problems = 0;
  std::mutex lock;
  size_t next = 0;
  auto worker = [&] {
    for (;;) {
      size_t index;
      {
        std::lock_guard<std::mutex> guard(lock);
        if (next == jobs.size()) return;
        index = next++;
      }
      const Job& job = jobs[index];
      const auto start = std::chrono::steady_clock::now();
      std::string verdict;
      try {
        verdict = audit_one(manifest, job, tree, work, ar, timeout);
      } catch (const std::exception& e) {
        verdict = e.what();
      }
      std::lock_guard<std::mutex> guard(lock);
      if (!verdict.empty()) ++problems;
      fmt::print(out, "mistakes: {} {:<50} ({:.1f} s)  {}\n", verdict.empty() ? "ok  " : "FAIL",
                 job.exercise->name + "/" + job.mistake->name, seconds_since(start),
                 job.mistake->description);
      if (!verdict.empty()) fmt::print(out, "    {}\n", verdict);
      std::fflush(out);
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 0; i < workers; ++i) threads.emplace_back(worker);
  for (auto& thread : threads) thread.join();
  return problems;
}

}  // namespace

int audit_mistakes(const Manifest& manifest, const MistakesOptions& options, std::FILE* out) {
  const auto started = std::chrono::steady_clock::now();
  const std::vector<Mistake> catalogue = load_catalogue(options.catalogue_dir);
  auto selected = [&](const std::string& name) {
    return options.only.empty() ||
           std::find(options.only.begin(), options.only.end(), name) != options.only.end();
  };
  int problems = check_coverage(manifest, catalogue, options, selected, out);
  if (options.build_tree && !build_student_tree(manifest, options.tree, options.only, out))
    return problems + 1;
  std::fflush(out);

  const fs::path tree = options.tree.build_dir;
  const std::string ar = tree_archiver(tree);

  // One recipe per exercise, read from the tree once; then the entries, `jobs` at a
  // time (each in a folder of its own).
  std::map<std::string, ExerciseRecipe> recipes;
  std::vector<Job> jobs;
  for (const auto& exercise : manifest.exercises) {
    if (!selected(exercise.name)) continue;
    for (const auto& mistake : catalogue) {
      if (mistake.exercise != exercise.name) continue;
      const std::string key = exercise.name;
      try {
        if (!recipes.count(key))
          recipes.emplace(key, read_recipe(manifest, exercise, tree, exercise.test_executables));
      } catch (const std::exception& e) {
        ++problems;
        fmt::print(out, "mistakes: FAIL {}: cannot build entries: {}\n", exercise.name, e.what());
        break;
      }
      jobs.push_back({&exercise, &mistake, &recipes.at(key)});
    }
  }
  const size_t workers = std::max<size_t>(
      1, std::min<size_t>(jobs.size(), options.tree.jobs > 0
                                           ? static_cast<size_t>(options.tree.jobs)
                                           : std::max(1u, std::thread::hardware_concurrency())));
  problems += run_jobs(manifest, jobs, workers, tree, tree / "course-audit" / "mistakes", ar,
                       options.timeout_seconds, out);
  if (problems == 0) {
    fmt::print(out,
               "mistakes: proved for {} catalogue entries: each fails a check whose message "
               "names it ({:.0f} s, {} at a time)\n",
               jobs.size(), seconds_since(started), workers);
  } else {
    fmt::print(out, "mistakes: {} problem(s) in {} catalogue entries\n", problems, jobs.size());
  }
  return problems;
}

}  // namespace course::tool
