#include "course_tool/progress.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace course::tool {
namespace fs = std::filesystem;
using nlohmann::json;

fs::path progress_file(const fs::path& root) {
  return root / ".course" / "progress.json";
}

ProgressCache::ProgressCache(fs::path file) : file_(std::move(file)) {
  std::ifstream in(file_);
  if (!in) return;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const json document = json::parse(text.str());
    if (!document.contains("exercises") || !document["exercises"].is_object()) return;
    for (const auto& [name, item] : document["exercises"].items()) {
      if (!item.is_object()) continue;
      ExerciseProgress progress;
      progress.passed = item.value("passed", 0);
      progress.total = item.value("total", 0);
      progress.compiles = item.value("compiles", true);
      progress.checked_at = item.value("checked_at", int64_t{0});
      progress.hints_shown = item.value("hints_shown", 0);
      progress.first_failure = item.value("first_failure", "");
      entries_[name] = progress;
    }
  } catch (const json::exception&) {
    entries_.clear();  // damaged: start again, the next check fills it in
  }
}

ExerciseProgress ProgressCache::get(const std::string& exercise) const {
  auto found = entries_.find(exercise);
  return found == entries_.end() ? ExerciseProgress{} : found->second;
}

void ProgressCache::set(const std::string& exercise, const ExerciseProgress& progress) {
  entries_[exercise] = progress;
}

void ProgressCache::forget(const std::string& exercise) {
  entries_.erase(exercise);
}

bool ProgressCache::save() const {
  json document;
  document["version"] = 1;
  document["note"] = "A cache written by `course`; delete it any time. The checks are the truth.";
  document["exercises"] = json::object();
  for (const auto& [name, progress] : entries_) {
    document["exercises"][name] = {
        {"passed", progress.passed},           {"total", progress.total},
        {"compiles", progress.compiles},       {"checked_at", progress.checked_at},
        {"hints_shown", progress.hints_shown}, {"first_failure", progress.first_failure}};
  }
  std::error_code error;
  fs::create_directories(file_.parent_path(), error);
  const fs::path temporary = file_.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary);
    if (!out) return false;
    out << document.dump(2) << "\n";
    if (!out) return false;
  }
  fs::rename(temporary, file_, error);
  if (!error) return true;
  fs::remove(temporary, error);
  return false;
}

}  // namespace course::tool
