#include "common/language.h"

#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace course {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

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
  const std::string text = ascii_lowercase(code);
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
    if (!out) throw std::runtime_error(trf("cannot write {}", temporary.string()));
  }
  fs::rename(temporary, file, error);
  if (error) {
    fs::remove(temporary, error);
    throw std::runtime_error(trf("cannot write {}", file.string()));
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

// po/es.po compiled by msgfmt into a .mo file, embedded by the build (cmake/embed_catalogue.cmake).
extern const unsigned char kSpanishMo[];
extern const size_t kSpanishMoSize;

namespace {

// The catalogue read from the embedded .mo file (GNU gettext's format: a header of 32-bit words,
// then two tables of (length, offset) pairs, the English and the Spanish strings, each ended by
// a NUL; a message with plural forms holds them NUL-separated). Built once, on first use, and
// never destroyed: a message may still be looked up at exit.
struct Catalogue {
  std::vector<CatalogueEntry> entries;
  std::unordered_map<std::string_view, size_t> by_english;
};

std::vector<std::string_view> split_at_nul(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t nul = text.find('\0', start);
    parts.push_back(text.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) return parts;
    start = nul + 1;
  }
}

const Catalogue& catalogue() {
  static const Catalogue* const read = [] {
    auto* result = new Catalogue();
    const unsigned char* mo = kSpanishMo;
    auto word = [&](size_t offset) -> uint32_t {
      if (offset + 4 > kSpanishMoSize) throw std::logic_error("the embedded po/es.po is damaged");
      uint32_t value;
      std::memcpy(&value, mo + offset, 4);
      return value;
    };
    auto string_at = [&](size_t table, uint32_t index) {
      const uint32_t length = word(table + 8 * index), offset = word(table + 8 * index + 4);
      if (size_t{offset} + length > kSpanishMoSize)
        throw std::logic_error("the embedded po/es.po is damaged");
      return std::string_view(reinterpret_cast<const char*>(mo) + offset, length);
    };
    if (word(0) != 0x950412deu) throw std::logic_error("the embedded po/es.po is not a .mo file");
    const uint32_t count = word(8), english_table = word(12), spanish_table = word(16);
    for (uint32_t i = 0; i < count; ++i) {
      const std::vector<std::string_view> english = split_at_nul(string_at(english_table, i));
      if (english.front().empty()) continue;  // the header
      CatalogueEntry entry{english.front(), english.size() > 1 ? english[1] : std::string_view(),
                           split_at_nul(string_at(spanish_table, i))};
      result->by_english.emplace(entry.english, result->entries.size());
      result->entries.push_back(std::move(entry));
    }
    return result;
  }();
  return *read;
}

const CatalogueEntry* find_entry(std::string_view english) {
  const Catalogue& read = catalogue();
  const auto found = read.by_english.find(english);
  return found == read.by_english.end() ? nullptr : &read.entries[found->second];
}

}  // namespace

const std::vector<CatalogueEntry>& spanish_catalogue() {
  return catalogue().entries;
}

std::optional<std::string_view> spanish_of(std::string_view english) {
  const CatalogueEntry* entry = find_entry(english);
  if (!entry) return std::nullopt;
  return entry->spanish.front();
}

std::string_view tr(std::string_view english) {
  if (current_language() != Language::kSpanish) return english;
  return spanish_of(english).value_or(english);
}

std::string_view tr_plural(std::string_view singular, std::string_view plural, long long n) {
  // Spanish and English alike: Plural-Forms: nplurals=2; plural=(n != 1).
  const size_t form = n == 1 ? 0 : 1;
  if (current_language() == Language::kSpanish) {
    const CatalogueEntry* entry = find_entry(singular);
    if (entry && entry->spanish.size() > form) return entry->spanish[form];
  }
  return form == 0 ? singular : plural;
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
