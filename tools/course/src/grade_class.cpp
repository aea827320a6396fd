// A whole class: the submissions graded `jobs` at a time on threads of their own, each written
// as it finishes; slices of the class for several machines (shards) and their outputs merged.
// Nothing escapes a worker: a problem with one submission is its zero with the reason, and a
// problem that stops the run stops it cleanly, with every finished grade on disk.
#include "course_tool/grade_class.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/files.h"
#include "course_tool/grade_output.h"
#include "course_tool/class_report.h"
#include "course_tool/gradebook.h"

namespace course::tool {
namespace fs = std::filesystem;

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard shard;
  try {
    size_t used = 0;
    shard.index = std::stoi(text.substr(0, slash), &used);
    if (slash == std::string::npos || used != slash) throw std::invalid_argument(text);
    shard.count = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument(text);
  } catch (const std::exception&) {
    shard.count = 0;
  }
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw CourseError(trf("--shard takes K/N, the K-th of N slices (1 <= K <= N), not '{}'", text));
  return shard;
}

std::vector<fs::path> shard_of(const std::vector<fs::path>& inputs, const Shard& shard) {
  std::vector<fs::path> sorted = inputs;
  std::stable_sort(sorted.begin(), sorted.end(), [](const fs::path& a, const fs::path& b) {
    return student_name(a) < student_name(b);
  });
  const size_t size = sorted.size();
  const auto count = static_cast<size_t>(shard.count);
  const size_t begin = size * static_cast<size_t>(shard.index - 1) / count;
  const size_t end = size * static_cast<size_t>(shard.index) / count;
  return {sorted.begin() + static_cast<long>(begin), sorted.begin() + static_cast<long>(end)};
}

namespace {

// Every grade in `out` (one folder per student), those of `seed` only when it is given.
std::vector<SubmissionGrade> grades_in(const fs::path& out, std::optional<uint64_t> seed) {
  std::vector<SubmissionGrade> grades;
  for (const auto& folder : fs::directory_iterator(out)) {
    const fs::path done = folder.path() / "grade.json";
    if (!fs::is_regular_file(done)) continue;
    try {
      SubmissionGrade grade = parse_grade_json(read_text(done), done.string());
      if (!seed || grade.seed == *seed) grades.push_back(std::move(grade));
    } catch (const CourseError&) {
      // unreadable: left out until it is graded again
    }
  }
  return grades;
}

}  // namespace

GradeRun grade_class(const Manifest& manifest, const GradeOptions& options,
                     const std::vector<fs::path>& all_inputs,
                     const std::function<void(const SubmissionGrade&, bool)>& report,
                     const std::function<bool()>& stop_requested) {
  std::map<std::string, fs::path> seen;
  for (const auto& input : all_inputs) {
    const std::string student = student_name(input);
    if (student.empty() || student == "." || student == "..")
      throw CourseError(fmt::format("{}: no student name in this path", input.string()));
    if (seen.count(student)) {
      throw CourseError(fmt::format("two submissions for {}: {} and {}; keep one", student,
                                    seen.at(student).string(), input.string()));
    }
    seen[student] = input;
  }
  const std::vector<fs::path> inputs = shard_of(all_inputs, options.shard);
  std::vector<std::string> roster =
      options.roster.empty() ? std::vector<std::string>() : read_roster(options.roster);
  if (options.shard.count > 1) {  // a slice lists its own students; the merge, the missing
    std::set<std::string> mine;
    for (const auto& input : inputs) mine.insert(student_name(input));
    roster.erase(std::remove_if(roster.begin(), roster.end(),
                                [&](const std::string& id) { return !mine.count(id); }),
                 roster.end());
  }
  const std::map<std::string, Language> roster_languages =
      options.roster.empty() ? std::map<std::string, Language>()
                             : read_roster_languages(options.roster);
  auto language_of = [&](const std::string& student) {
    const auto found = roster_languages.find(student);
    return found == roster_languages.end() ? options.language : found->second;
  };
  fs::create_directories(options.out);
  const Grader grader(manifest, options);

  std::mutex lock;
  GradeRun totals;
  std::atomic<bool> stopping{false};
  // The gradebook holds every student graded with this seed in `out`, from this run or before.
  const std::vector<Mistake> catalogue = course_catalogue(manifest);  // for the class report
  auto write_gradebook = [&] {
    const std::vector<SubmissionGrade> grades = grades_in(options.out, options.seed);
    write_atomically(options.out / "gradebook.csv", gradebook_csv(manifest, roster, grades));
    write_class_report(manifest, grades, catalogue, options.out);
  };
  // A problem that stops the run (called with `lock` held): said once, every worker stops after
  // the submission it is grading.
  auto stop = [&](const std::string& why) {
    if (totals.stopped.empty()) totals.stopped = why;
    stopping = true;
  };
  // What earlier runs finished: kept (and skipped) unless --force, another seed, another
  // language (its feedback.md would not be in the student's) or the grader failed on it.
  std::vector<fs::path> to_grade;
  for (const auto& input : inputs) {
    const fs::path done = options.out / student_name(input) / "grade.json";
    if (!options.force && fs::exists(done)) {
      try {
        const SubmissionGrade earlier = parse_grade_json(read_text(done), done.string());
        if (earlier.seed == options.seed && earlier.language == language_of(earlier.student) &&
            !earlier.grader_failed) {
          ++totals.skipped;
          report(earlier, true);
          continue;
        }
      } catch (const CourseError&) {
        // unreadable: graded again
      }
    }
    to_grade.push_back(input);
  }

  // One submission, start to end; nothing it throws leaves it. Its grade is written before the
  // next one starts, so a run stopped later loses none of it.
  int parts_at_a_time = 1;  // per submission: the cores the workers leave (set per group below)
  auto grade_one = [&](const fs::path& input, int slot, Language language) {
    SubmissionGrade grade = grader.grade(input, slot, language, parts_at_a_time);
    if (stop_requested()) return;  // interrupted halfway: not a grade
    const fs::path folder = options.out / grade.student;
    try {
      write_grade_files(manifest, folder, grade);
    } catch (const std::exception& e) {  // a full disk: this submission's zero with the reason
      grade.grader_failed = true;
      grader.zero(grade, trf("the grader failed on this submission: {}", e.what()));
      // Each file on its own, grade.json whatever the others do: the gradebook shows the zero.
      for (const auto& [file, text] : {std::pair{"results.json", gradescope_json(grade)},
                                       std::pair{"feedback.md", feedback_markdown(manifest, grade)},
                                       std::pair{"grade.json", grade_json(grade)}}) {
        try {
          write_atomically(folder / file, text);
        } catch (const std::exception&) {
          // what could be written is; the report below says why
        }
      }
    }
    std::error_code error;  // linked binaries and copies: space for the next submission
    fs::remove_all(folder / "work", error);
    std::lock_guard<std::mutex> guard(lock);
    if (error) {
      totals.warnings.push_back(
          trf("cannot remove {}: {}", (folder / "work").string(), error.message()));
    }
    grade.grader_failed ? ++totals.failed : ++totals.graded;
    report(grade, false);
    try {
      write_gradebook();
    } catch (const std::exception& e) {
      stop(e.what());
    }
  };

  // The students of each language together, this process speaking theirs: the checks it starts
  // inherit it (COURSE_LANG), and so do the explanations it writes. The class's language first.
  std::vector<fs::path> group;
  Language group_language = options.language;
  std::atomic<size_t> next{0};
  auto worker = [&](int slot) {
    while (!stop_requested() && !stopping) {
      const size_t index = next++;
      if (index >= group.size()) return;
      try {
        grade_one(group[index], slot, group_language);
      } catch (const std::exception& e) {  // report() or the folder itself: the run stops
        std::lock_guard<std::mutex> guard(lock);
        stop(e.what());
      }
    }
  };
  const Language other =
      options.language == Language::kSpanish ? Language::kEnglish : Language::kSpanish;
  for (const Language language : {options.language, other}) {
    group.clear();
    for (const auto& input : to_grade) {
      if (language_of(student_name(input)) == language) group.push_back(input);
    }
    if (group.empty() || stopping) continue;
    group_language = language;
    next = 0;
    use_language(language);  // no thread runs: every worker of the last group has ended
    std::vector<std::thread> threads;
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(group.size())));
    // Fewer submissions at a time than cores (one late submission, --jobs 1): each may use the
    // cores the others leave, so its homework trains beside its exercises.
    parts_at_a_time = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / jobs);
    for (int i = 0; i < jobs; ++i) threads.emplace_back(worker, i);
    for (auto& thread : threads) thread.join();
  }
  use_language(options.language);
  if (totals.stopped.empty()) {
    try {
      write_gradebook();  // also when nothing was graded: the skipped and the missing
    } catch (const std::exception& e) {
      totals.stopped = e.what();
    }
  }
  return totals;
}

Merged merge_grades(const Manifest& manifest, const std::vector<fs::path>& shards,
                    const fs::path& out, const fs::path& roster_file) {
  Merged merged;
  std::map<std::string, fs::path> from;  // student: the shard that graded them
  std::vector<SubmissionGrade> grades;
  std::optional<uint64_t> seed;
  for (const auto& shard : shards) {
    if (!fs::is_directory(shard))
      throw CourseError(
          trf("{} is not a folder of grades (a --out of course grade)", shard.string()));
    for (auto& grade : grades_in(shard, std::nullopt)) {
      if (from.count(grade.student)) {
        throw CourseError(trf("{} was graded in two shards, {} and {}: keep one", grade.student,
                              from.at(grade.student).string(), shard.string()));
      }
      if (seed && *seed != grade.seed) {
        throw CourseError(
            trf("the shards were graded with different seeds ({} and {}): grade "
                "them again with one",
                *seed, grade.seed));
      }
      seed = grade.seed;
      from[grade.student] = shard;
      grades.push_back(std::move(grade));
    }
  }
  fs::create_directories(out);
  for (const auto& [student, shard] : from) {
    const fs::path folder = out / student;
    if (fs::exists(folder) && fs::equivalent(folder, shard / student)) continue;
    fs::create_directories(folder);
    for (const char* file : {"results.json", "feedback.md", "grade.json"}) {
      if (fs::exists(shard / student / file))
        write_atomically(folder / file, read_text(shard / student / file));
    }
  }
  const std::vector<std::string> roster =
      roster_file.empty() ? std::vector<std::string>() : read_roster(roster_file);
  write_atomically(out / "gradebook.csv", gradebook_csv(manifest, roster, grades));
  write_class_report(manifest, grades, course_catalogue(manifest), out);
  merged.students = static_cast<int>(grades.size());
  merged.seed = seed.value_or(0);
  return merged;
}

}  // namespace course::tool
