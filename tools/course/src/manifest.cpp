#include "course_tool/manifest.h"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include "common/language.h"

namespace course::tool {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> Exercise::check_targets() const {
  std::vector<std::string> targets;
  if (!library.empty()) targets.push_back(library);
  targets.insert(targets.end(), test_executables.begin(), test_executables.end());
  return targets;
}

std::vector<std::string> Exercise::ctest_check_targets() const {
  std::vector<std::string> targets = {executable};
  targets.insert(targets.end(), support_targets.begin(), support_targets.end());
  return targets;
}

const Exercise& Manifest::find(const std::string& name) const {
  for (const auto& exercise : exercises) {
    if (exercise.name == name) return exercise;
  }
  // Let "2", "02" or "autograd" name 02_autograd when exactly one exercise matches.
  const Exercise* match = nullptr;
  int matches = 0;
  for (const auto& exercise : exercises) {
    const auto& full = exercise.name;
    const auto underscore = full.find('_');
    const std::string number = full.substr(0, underscore);
    const std::string word = underscore == std::string::npos ? full : full.substr(underscore + 1);
    bool numeric = !name.empty() && name.size() <= 4 &&
                   name.find_first_not_of("0123456789") == std::string::npos && !number.empty() &&
                   number.size() <= 4 &&
                   number.find_first_not_of("0123456789") == std::string::npos;
    if (name == word || (numeric && std::stoi(name) == std::stoi(number))) {
      match = &exercise;
      ++matches;
    }
  }
  if (matches == 1) return *match;
  throw CourseError(
      course::trf("no exercise called '{}' in {}: choose one of {}", name, kManifestFile, names()));
}

std::string Manifest::names() const {
  std::string joined;
  for (const auto& exercise : exercises) {
    if (!joined.empty()) joined += ", ";
    joined += exercise.name;
  }
  return joined;
}

namespace {

std::string where(size_t index, const std::string& name) {
  return name.empty() ? fmt::format("{}: exercises[{}]", kManifestFile, index)
                      : trf("{}: exercise '{}'", kManifestFile, name);
}

std::string required_string(const json& object, const char* key, const std::string& context) {
  if (!object.contains(key) || !object[key].is_string() || object[key].get<std::string>().empty())
    throw CourseError(trf("{} needs \"{}\" (a non-empty string)", context, key));
  return object[key].get<std::string>();
}

std::string optional_string(const json& object, const char* key, const std::string& context) {
  if (!object.contains(key)) return {};
  if (!object[key].is_string()) throw CourseError(trf("{}: \"{}\" must be a string", context, key));
  return object[key].get<std::string>();
}

std::vector<std::string> string_list(const json& object, const char* key,
                                     const std::string& context, bool required) {
  if (!object.contains(key)) {
    if (required) throw CourseError(trf("{} needs \"{}\" (a list of strings)", context, key));
    return {};
  }
  const json& value = object[key];
  if (!value.is_array())
    throw CourseError(trf("{}: \"{}\" must be a list of strings", context, key));
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.is_string() || item.get<std::string>().empty())
      throw CourseError(trf("{}: \"{}\" must hold non-empty strings", context, key));
    items.push_back(item.get<std::string>());
  }
  if (required && items.empty())
    throw CourseError(trf("{}: \"{}\" must not be empty", context, key));
  return items;
}

// Paths in the manifest stay inside the repository: relative, no "..".
fs::path relative_path(const std::string& text, const std::string& context, const char* key) {
  fs::path path(text);
  bool escapes = false;
  for (const auto& part : path) escapes |= part == "..";
  if (path.is_absolute() || escapes)
    throw CourseError(
        trf("{}: \"{}\" must be a path inside the repository, not '{}'", context, key, text));
  path = path.lexically_normal();
  if (!path.has_filename() && path.has_parent_path()) path = path.parent_path();  // "a/b/"
  return path;
}

}  // namespace

Exercise derive_from_name(const std::string& name) {
  const size_t underscore = name.find('_');
  const std::string topic = underscore == std::string::npos ? name : name.substr(underscore + 1);
  Exercise exercise;
  exercise.name = name;
  exercise.folder = fs::path("exercises") / name;
  exercise.readme = exercise.folder / "README.md";
  exercise.library = "exercise_" + name;
  exercise.executable = "ex" + name;
  exercise.test_executables = {"test_" + name};
  exercise.test_sources = {fs::path("tests") / "exercises" / (topic + "_test.cpp")};
  exercise.test_labels = {"exercise", name};
  return exercise;
}

Manifest parse_manifest(const std::string& text, const fs::path& root) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw CourseError(trf("{} is not valid JSON: {}", kManifestFile, e.what()));
  }
  if (!document.is_object() || !document.contains("exercises") ||
      !document["exercises"].is_array() || document["exercises"].empty())
    throw CourseError(trf("{} needs a non-empty \"exercises\" list", kManifestFile));

  Manifest manifest;
  manifest.root = root;
  manifest.student_build = optional_string(document, "student_build", kManifestFile);
  if (manifest.student_build.empty()) manifest.student_build = "build/student";
  manifest.student_preset = optional_string(document, "student_preset", kManifestFile);
  if (manifest.student_preset.empty()) manifest.student_preset = "student";

  std::set<std::string> seen;
  size_t index = 0;
  for (const auto& item : document["exercises"]) {
    const std::string context = where(index++, "");
    if (!item.is_object()) throw CourseError(trf("{} must be an object", context));
    Exercise exercise;
    exercise.name = required_string(item, "name", context);
    const std::string named = where(index - 1, exercise.name);
    if (exercise.name.find_first_of(" /\\") != std::string::npos)
      throw CourseError(trf("{}: the name must not contain spaces or slashes", named));
    if (!seen.insert(exercise.name).second) throw CourseError(trf("{} is listed twice", named));
    exercise.title = required_string(item, "title", named);
    exercise.title_es = optional_string(item, "title_es", named);
    for (const auto& file : string_list(item, "files", named, true)) {
      exercise.files.push_back(relative_path(file, named, "files").string());
    }
    // Everything else follows from the name (see derive_from_name); the homework, laid out
    // differently, spells its own out.
    const Exercise derived = derive_from_name(exercise.name);
    const std::string folder = optional_string(item, "folder", named);
    exercise.folder = folder.empty() ? derived.folder : relative_path(folder, named, "folder");
    const std::string readme = optional_string(item, "readme", named);
    exercise.readme =
        readme.empty() ? exercise.folder / "README.md" : relative_path(readme, named, "readme");
    exercise.library =
        item.contains("library") ? optional_string(item, "library", named) : derived.library;
    exercise.executable = optional_string(item, "executable", named);
    if (exercise.executable.empty()) exercise.executable = derived.executable;
    exercise.test_executables = string_list(item, "test_executables", named, false);
    if (exercise.test_executables.empty()) exercise.test_executables = derived.test_executables;
    for (const auto& source : string_list(item, "test_sources", named, false)) {
      exercise.test_sources.push_back(relative_path(source, named, "test_sources"));
    }
    if (exercise.test_sources.empty()) exercise.test_sources = derived.test_sources;
    exercise.test_labels = string_list(item, "test_labels", named, false);
    if (exercise.test_labels.empty() && !item.contains("test_labels")) {
      exercise.test_labels = derived.test_labels;
    }
    exercise.ctest_checks = string_list(item, "ctest_checks", named, false);
    exercise.support_targets = string_list(item, "support_targets", named, false);
    if (item.contains("points")) {
      if (!item["points"].is_number() || !(item["points"].get<double>() > 0))
        throw CourseError(
            trf("{}: \"points\" (per check, for `course grade`) must be a number > 0", named));
      exercise.points = item["points"].get<double>();
    }
    manifest.exercises.push_back(std::move(exercise));
  }
  return manifest;
}

Manifest load_manifest(const fs::path& root) {
  const fs::path file = root / kManifestFile;
  std::ifstream in(file);
  if (!in) throw CourseError(trf("cannot read {}", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  return parse_manifest(text.str(), root);
}

fs::path find_course_root(const fs::path& start) {
  std::error_code error;
  fs::path folder = fs::absolute(start, error);
  if (error) return {};
  folder = folder.lexically_normal();
  while (true) {
    if (fs::is_regular_file(folder / kManifestFile, error)) return folder;
    if (!folder.has_parent_path() || folder.parent_path() == folder) return {};
    folder = folder.parent_path();
  }
}

}  // namespace course::tool
