#include "common/language.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace course {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

const char* non_empty_variable(const char* name) {
  const char* value = std::getenv(name);
  return value && *value ? value : nullptr;
}

json read_settings(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return json::object();
  std::stringstream text;
  text << in.rdbuf();
  try {
    json document = json::parse(text.str());
    return document.is_object() ? document : json::object();
  } catch (const json::exception&) {
    return json::object();  // damaged: as if there were no settings
  }
}

}  // namespace

std::optional<Language> parse_language(std::string_view code) {
  const std::string text = lower(code);
  auto is = [&](const std::string& language) {
    return text == language || text.rfind(language + "_", 0) == 0 ||
           text.rfind(language + "-", 0) == 0 || text.rfind(language + ".", 0) == 0;
  };
  if (is("es")) return Language::kSpanish;
  if (is("en") || text == "c" || text.rfind("c.", 0) == 0 || text == "posix")
    return Language::kEnglish;
  return std::nullopt;
}

std::string language_code(Language language) {
  return language == Language::kSpanish ? "es" : "en";
}

Language language_from_locale() {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (const char* value = non_empty_variable(name))
      return parse_language(value) == Language::kSpanish ? Language::kSpanish : Language::kEnglish;
  }
  return Language::kEnglish;
}

fs::path settings_file(const fs::path& root) {
  return root / ".course" / "settings.json";
}

std::optional<Language> saved_language(const fs::path& root) {
  const json settings = read_settings(settings_file(root));
  const auto found = settings.find("language");
  if (found == settings.end() || !found->is_string()) return std::nullopt;
  return parse_language(found->get<std::string>());
}

void save_language(const fs::path& root, std::optional<Language> language) {
  const fs::path file = settings_file(root);
  json settings = read_settings(file);
  if (language) {
    settings["language"] = language_code(*language);
  } else {
    settings.erase("language");
  }
  std::error_code error;
  fs::create_directories(file.parent_path(), error);
  // Written whole, then renamed: a reader never sees half a file.
  const fs::path temporary = file.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary);
    out << settings.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, file, error);
  if (error) {
    fs::remove(temporary, error);
    throw std::runtime_error("cannot write " + file.string());
  }
}

Language current_language() {
  if (const char* value = non_empty_variable(kLanguageVariable)) {
    if (const auto language = parse_language(value)) return *language;
  }
#ifdef COURSE_SOURCE_DIR
  if (const auto saved = saved_language(COURSE_SOURCE_DIR)) return *saved;
#endif
  return language_from_locale();
}

void use_language(Language language) {
  ::setenv(kLanguageVariable, language_code(language).c_str(), 1);
}

std::optional<std::string_view> spanish_of(std::string_view english) {
  // Built once, on first use, and never destroyed: a message may still be looked up at exit.
  static const auto* catalogue = [] {
    auto* table = new std::unordered_map<std::string_view, std::string_view>();
    for (size_t i = 0; i < kSpanishCatalogueSize; ++i)
      table->emplace(kSpanishCatalogue[i].english, kSpanishCatalogue[i].spanish);
    return table;
  }();
  const auto found = catalogue->find(english);
  if (found == catalogue->end()) return std::nullopt;
  return found->second;
}

std::string_view tr(std::string_view english) {
  if (current_language() != Language::kSpanish) return english;
  return spanish_of(english).value_or(english);
}

fs::path spanish_readme(const fs::path& readme) {
  fs::path spanish = readme;
  spanish.replace_extension(".es" + readme.extension().string());
  return spanish;
}

fs::path localized_readme(const fs::path& readme, Language language) {
  if (language != Language::kSpanish) return readme;
  const fs::path spanish = spanish_readme(readme);
  std::error_code error;
  return fs::is_regular_file(spanish, error) ? spanish : readme;
}

}  // namespace course
