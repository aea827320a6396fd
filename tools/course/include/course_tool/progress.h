// The student's progress, cached in .course/progress.json (ignored by git). Only a cache: the
// truth is always the checks, and `course check` rewrites an exercise's entry every time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace course::tool {

struct ExerciseProgress {
  int passed = 0;             // checks passing at the last `course check`
  int total = 0;              // checks found at the last `course check` (0: never ran them)
  bool compiles = true;       // false: the last check stopped at a compile error
  int64_t checked_at = 0;     // seconds since the epoch; 0: never checked
  int hints_shown = 0;        // how many hint levels `course hint` has shown
  std::string first_failure;  // the name of the first failing check, if any

  bool checked() const { return checked_at != 0; }
  bool done() const { return checked() && compiles && total > 0 && passed == total; }
};

class ProgressCache {
 public:
  // Reads `file`; a missing or damaged file is an empty cache (it is only a cache).
  explicit ProgressCache(std::filesystem::path file);

  ExerciseProgress get(const std::string& exercise) const;
  void set(const std::string& exercise, const ExerciseProgress& progress);
  void forget(const std::string& exercise);
  // Writes the cache atomically (temporary file + rename). Failing to write it is not fatal:
  // returns false.
  bool save() const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::map<std::string, ExerciseProgress> entries_;
};

// Where the cache lives in a course checkout.
std::filesystem::path progress_file(const std::filesystem::path& root);

}  // namespace course::tool
