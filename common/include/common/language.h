// The language a student reads the course in: English or Spanish. Chosen the way every program
// chooses its messages (LC_ALL, else LC_MESSAGES, else LANG: "es_*" means Spanish), overridden by
// `course --lang es|en`, which saves the choice in the checkout's .course/settings.json.
// Code, identifiers and comments stay English; the Spanish of every message a student reads
// lives in one gettext catalogue, po/es.po, keyed by the English text. The build compiles it
// (msgfmt) into the program itself, so no installed locale is needed; scripts/update-po.sh keeps
// it in step with the sources.
// Free of LibTorch: the course runner links it too.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace course {

enum class Language { kEnglish, kSpanish };

// "es", "es_ES.UTF-8", "es-MX" -> Spanish; "en", "en_US.UTF-8", "C", "POSIX" -> English;
// anything else: nullopt.
std::optional<Language> parse_language(std::string_view code);
std::string language_code(Language language);  // "en" or "es"

// The locale's choice: the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty decides;
// "es..." is Spanish, anything else English.
Language language_from_locale();

// The checkout's settings: `root`/.course/settings.json, {"language": "es"}.
std::filesystem::path settings_file(const std::filesystem::path& root);
// The saved language, if any (a missing or damaged file: none).
std::optional<Language> saved_language(const std::filesystem::path& root);
// Saves `language` (nullopt: forgets it, the locale decides again). Throws std::runtime_error
// when the file cannot be written.
void save_language(const std::filesystem::path& root, std::optional<Language> language);

// The environment variable through which `course` passes its choice on to the programs it
// starts (lesson executables, checks), so that they speak the runner's language.
inline constexpr const char* kLanguageVariable = "COURSE_LANG";

// This program's language: COURSE_LANG when set, else the language saved in the checkout this
// program was built from, else the locale.
Language current_language();
// Sets COURSE_LANG, so that this program and every program it starts speak `language`.
void use_language(Language language);

// The Spanish catalogue, po/es.po, as the build compiled it into the program. Its keys are the
// English messages of the calls below (and of N_), which scripts/update-po.sh extracts.
struct CatalogueEntry {
  std::string_view english;
  std::string_view english_plural;       // empty unless the message has plural forms (trn)
  std::vector<std::string_view> spanish;  // one form, or the plural forms: [0] n == 1, [1] others
};
const std::vector<CatalogueEntry>& spanish_catalogue();

// `english` in the current language: its entry in the Spanish catalogue, or itself.
std::string_view tr(std::string_view english);
// The Spanish of `english`, if the catalogue has it.
std::optional<std::string_view> spanish_of(std::string_view english);

// tr() of a fmt format string, then formatted: trf("{} of {} checks pass.", passed, total).
template <typename... Args>
std::string trf(std::string_view english_format, Args&&... args) {
  return fmt::format(fmt::runtime(tr(english_format)), std::forward<Args>(args)...);
}

// The form of a message that depends on a count `n` (gettext's ngettext), then formatted:
// trn("{} part is left", "{} parts are left", parts, parts). Spanish, like English, has two
// forms: one for n == 1 and one for every other n.
std::string_view tr_plural(std::string_view singular, std::string_view plural, long long n);
template <typename... Args>
std::string trn(std::string_view singular, std::string_view plural, long long n, Args&&... args) {
  return fmt::format(fmt::runtime(tr_plural(singular, plural, n)), std::forward<Args>(args)...);
}

// Marks a message that is kept in a table and translated where it is printed (with tr or trf):
// the extraction finds it here; the program gets the English back.
constexpr const char* N_(const char* english) { return english; }

// The README a student reads in `language`: README.es.md beside README.md for Spanish (when it
// exists), else `readme` itself.
std::filesystem::path localized_readme(const std::filesystem::path& readme, Language language);
// README.md -> README.es.md (any name: homework/README.md -> homework/README.es.md).
std::filesystem::path spanish_readme(const std::filesystem::path& readme);

}  // namespace course
