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

#include "common/text.h"
#include "course_tool/compile_errors.h"
#include "course_tool/files.h"
#include "course_tool/process.h"
#include "course_tool/recipe.h"
#include "course_tool/student_build.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

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
  std::string find, replace, file;
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
      if (block == Block::kReplace) mistake.edits.push_back({find, replace, file});
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
      mistake.edits.push_back({find, replace, file});
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
      file = trim(line.substr(5));
      if (file.empty()) fail("an empty `file:`");
      if (mistake.file.empty()) mistake.file = file;
    } else if (header(line, "kind")) {
      const std::string kind = trim(line.substr(5));
      if (kind == "compile") {
        mistake.kind = MistakeKind::kCompile;
      } else if (kind == "check") {
        mistake.kind = MistakeKind::kCheck;
      } else {
        fail(fmt::format("unknown kind \"{}\": `kind: compile` or `kind: check`", kind));
      }
    } else {
      fail(fmt::format(
          "unexpected line \"{}\": expected mistake:, message:, kind:, file: or --- find", line));
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
  for (const auto& edit : mistake.edits) {
    if (!edit.file.empty() && edit.file != mistake.file) {
      throw CourseError(
          fmt::format("{}/{}: the entry edits several files ({} and {}): apply "
                      "its edits file by file",
                      mistake.exercise, mistake.name, mistake.file, edit.file));
    }
  }
  return apply_mistake(mistake, text, mistake.file, mistake.file);
}

std::vector<std::string> edited_files(const Mistake& mistake, const std::string& first_file) {
  std::vector<std::string> files;
  for (const auto& edit : mistake.edits) {
    const std::string file = edit.file.empty() ? first_file : edit.file;
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }
  return files;
}

std::string apply_mistake(const Mistake& mistake, const std::string& solution_text,
                          const std::string& file, const std::string& first_file) {
  std::string text = solution_text;
  for (size_t i = 0; i < mistake.edits.size(); ++i) {
    const auto& edit = mistake.edits[i];
    if ((edit.file.empty() ? first_file : edit.file) != file) continue;
    const size_t found = count_occurrences(text, edit.find);
    if (found != 1) {
      throw CourseError(
          fmt::format("{}/{}: edit {} finds its text {} times in {}, not once: the solution "
                      "changed, so the entry must follow it. The text:\n{}",
                      mistake.exercise, mistake.name, i + 1, found,
                      file.empty() ? "the solution" : file, edit.find));
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

std::vector<std::string> missing_phrases(const Mistake& mistake, const std::string& text) {
  const std::string lower_text = ascii_lowercase(text);
  std::vector<std::string> missing;
  for (const auto& phrase : mistake.message) {
    if (lower_text.find(ascii_lowercase(phrase)) == std::string::npos) missing.push_back(phrase);
  }
  return missing;
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
  const std::vector<std::string> missing =
      missing_phrases(mistake, student_message(*first_failure));
  if (missing.empty()) return "";
  std::string joined;
  for (const auto& phrase : missing) joined += (joined.empty() ? "\"" : ", \"") + phrase + "\"";
  return fmt::format("caught by {}, but its sentence does not say {}:\n{}", first_failure->name,
                     joined, indented(student_message(*first_failure), 12));
}

std::string judge_compile_mistake(const Mistake& mistake, const std::string& explanation,
                                  const std::string& pointed_file,
                                  const std::vector<std::string>& edited,
                                  const std::string& shown) {
  if (explanation.empty()) {
    return fmt::format(
        "does not compile, but the runner recognises no classic mistake in the compiler's "
        "messages (add its pattern to tools/course/src/compile_errors.cpp); the student reads:\n{}",
        indented(shown, 30));
  }
  const std::vector<std::string> missing = missing_phrases(mistake, explanation);
  if (!missing.empty()) {
    std::string joined;
    for (const auto& phrase : missing) joined += (joined.empty() ? "\"" : ", \"") + phrase + "\"";
    return fmt::format("the runner's explanation does not say {}:\n{}", joined,
                       indented(explanation, 12));
  }
  if (std::find(edited.begin(), edited.end(), pointed_file) == edited.end()) {
    std::string files;
    for (const auto& file : edited) files += (files.empty() ? "" : ", ") + file;
    return fmt::format(
        "the runner says \"Fix it in {}\", but the mistake is in {}; the student reads:\n{}",
        pointed_file.empty() ? "(no file)" : pointed_file, files, indented(shown, 30));
  }
  return "";
}

namespace {

struct Job {
  const Exercise* exercise;
  const Mistake* mistake;
  const ExerciseRecipe* recipe;
};

// Builds one entry as the stub and runs its checks; returns the verdict (empty: caught and named).
// With `shown`, what the student reads of it goes there and the phrases are not judged.
std::string audit_one(const Manifest& manifest, const Job& job, const fs::path& tree,
                      const fs::path& work, const std::string& ar, double timeout_seconds,
                      std::string* shown) {
  const Exercise& exercise = *job.exercise;
  const Mistake& mistake = *job.mistake;
  const ExerciseRecipe& recipe = *job.recipe;
  const fs::path folder = work / exercise.name / mistake.name;
  fs::remove_all(folder);
  // Every edited file goes into folder/source: a solution file with its edits, or a header of
  // the exercise's folder (the solution's too) with its edits. The exercise's files are then
  // compiled from there, so that `#include "mlp.h"` finds the edited header beside them first.
  const std::string first_file = exercise.files.front();
  const std::vector<std::string> edited = edited_files(mistake, first_file);
  bool header_edited = false;
  for (const auto& file : edited) {
    const bool stub =
        std::find(exercise.files.begin(), exercise.files.end(), file) != exercise.files.end();
    const fs::path original =
        manifest.root / (stub ? exercise.solution_folder() : exercise.folder) / file;
    if (!fs::is_regular_file(original)) {
      throw CourseError(fmt::format("{}/{}: `file: {}` is neither a file of {} nor a header in {}",
                                    mistake.exercise, mistake.name, file, exercise.name,
                                    exercise.folder.string()));
    }
    header_edited = header_edited || !stub;
    write_atomically(folder / "source" / file,
                     apply_mistake(mistake, read_text(original), file, first_file));
  }
  std::vector<fs::path> sources;
  for (const auto& source : recipe.sources) {
    const std::string file = source.stub.filename().string();
    const bool is_edited = std::find(edited.begin(), edited.end(), file) != edited.end();
    if (!is_edited && !header_edited) {
      sources.push_back(source.stub);
      continue;
    }
    sources.push_back(folder / "source" / file);
    if (!is_edited) {
      fs::copy_file(manifest.root / exercise.solution_folder() / file, sources.back(),
                    fs::copy_options::overwrite_existing);
    }
  }
  const Rebuilt rebuilt = rebuild(recipe, tree, sources, folder, ar);
  const bool compile_failed = rebuilt.failed_step.rfind("compile", 0) == 0;
  if (mistake.kind == MistakeKind::kCompile) {
    if (!compile_failed) {
      return rebuilt.failed_step.empty()
                 ? std::string(
                       "compiles, but a `kind: compile` entry must not: make the edit "
                       "one that the compiler refuses")
                 : fmt::format("{} failed instead of the compile:\n{}", rebuilt.failed_step,
                               rebuilt.process.output);
    }
    // The compiler named the copies in folder/source: they are the student's files.
    const auto [context, failure] = explain_failure_of_copies(rebuilt.process.output, manifest.root,
                                                              exercise, folder / "source");
    if (shown) {
      *shown = failure.shown + mistake_explanation(failure, context, /*english=*/false);
      return failure.mistake.id.empty()
                 ? "does not compile, but the runner recognises no classic mistake in it"
                 : "";
    }
    std::vector<std::string> edited_paths;
    for (const auto& file : edited) edited_paths.push_back((exercise.folder / file).string());
    return judge_compile_mistake(mistake, mistake_explanation(failure, context, /*english=*/true),
                                 failure.file, edited_paths,
                                 failure.shown + mistake_explanation(failure, context, true));
  }
  if (compile_failed) {
    return "does not compile (a catalogue entry must build, or say `kind: compile`):\n" +
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
  if (shown) {
    const auto first_failure = std::find_if(checks.begin(), checks.end(), [](const auto& check) {
      return check.status != CheckStatus::kPassed;
    });
    if (first_failure == checks.end()) return "CAUGHT BY NO CHECK";
    *shown = student_message(*first_failure);
    return "";
  }
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
             bool show, std::FILE* out) {
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
      std::string verdict, shown;
      try {
        verdict = audit_one(manifest, job, tree, work, ar, timeout, show ? &shown : nullptr);
      } catch (const std::exception& e) {
        verdict = e.what();
      }
      std::lock_guard<std::mutex> guard(lock);
      if (!verdict.empty()) ++problems;
      fmt::print(out, "mistakes: {} {:<50} ({:.1f} s)  {}\n", verdict.empty() ? "ok  " : "FAIL",
                 job.exercise->name + "/" + job.mistake->name, seconds_since(start),
                 job.mistake->description);
      if (!verdict.empty()) fmt::print(out, "    {}\n", verdict);
      std::istringstream lines(shown);
      for (std::string line; std::getline(lines, line);) fmt::print(out, "    | {}\n", line);
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
  auto chosen = [&](const Mistake& mistake) {
    return options.entries.empty() ||
           std::find(options.entries.begin(), options.entries.end(),
                     mistake.exercise + "/" + mistake.name) != options.entries.end();
  };
  for (const auto& entry : options.entries) {
    if (std::none_of(catalogue.begin(), catalogue.end(), [&](const Mistake& mistake) {
          return mistake.exercise + "/" + mistake.name == entry;
        })) {
      throw CourseError(
          fmt::format("--entry {}: no such entry in {} (EXERCISE/NAME, the file's "
                      "name without .mistake)",
                      entry, options.catalogue_dir.string()));
    }
  }
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
      if (mistake.exercise != exercise.name || !chosen(mistake)) continue;
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
                       options.timeout_seconds, options.show, out);
  if (problems == 0 && options.show) {
    fmt::print(out, "mistakes: {} catalogue entries caught, each shown as the student reads it\n",
               jobs.size());
  } else if (problems == 0) {
    fmt::print(out,
               "mistakes: proved for {} catalogue entries: each fails a check whose message "
               "names it, or its compile fails and the runner's explanation names it ({:.0f} s, "
               "{} at a time)\n",
               jobs.size(), seconds_since(started), workers);
  } else {
    fmt::print(out, "mistakes: {} problem(s) in {} catalogue entries\n", problems, jobs.size());
  }
  return problems;
}

}  // namespace course::tool
