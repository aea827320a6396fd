// The course in two languages: the locale's choice, the saved setting, and the Spanish catalogue
// (common/language.h), which must hold every message the runner prints and every lesson title.
#include "common/language.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "fixture.h"
#include "support/temp_dir.h"

namespace {
using namespace course::testing;
using course::Language;
namespace fs = std::filesystem;

// Sets environment variables for one test and puts the old values back afterwards.
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      ::setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

Language locale_of(const std::string& lc_all, const std::string& lc_messages,
                   const std::string& lang) {
  ScopedEnvironment environment({{"LC_ALL", lc_all}, {"LC_MESSAGES", lc_messages}, {"LANG", lang}});
  return course::language_from_locale();
}

TEST(Language, LocaleDecidesInTheUsualOrderLcAllThenLcMessagesThenLang) {
  EXPECT_EQ(locale_of("", "", "es_ES.UTF-8"), Language::kSpanish);
  EXPECT_EQ(locale_of("", "", "es_MX"), Language::kSpanish);
  EXPECT_EQ(locale_of("", "", "en_US.UTF-8"), Language::kEnglish);
  EXPECT_EQ(locale_of("", "", ""), Language::kEnglish);              // nothing set: English
  EXPECT_EQ(locale_of("", "", "fr_FR.UTF-8"), Language::kEnglish);   // no French: English
  EXPECT_EQ(locale_of("C", "", "es_ES.UTF-8"), Language::kEnglish);  // LC_ALL over LANG
  EXPECT_EQ(locale_of("es_AR.UTF-8", "en_US", "en_US"), Language::kSpanish);
  EXPECT_EQ(locale_of("", "es_ES.UTF-8", "en_US.UTF-8"), Language::kSpanish);  // LC_MESSAGES
  EXPECT_EQ(locale_of("", "C.UTF-8", "es_ES.UTF-8"), Language::kEnglish);      // over LANG
}

TEST(Language, CourseLangPassedByTheRunnerOutranksTheLocale) {
  ScopedEnvironment environment({{"COURSE_LANG", "es"}, {"LC_ALL", "en_US.UTF-8"}});
  EXPECT_EQ(course::current_language(), Language::kSpanish);
  EXPECT_EQ(course::tr("Hint {} of {} for {}:"), "Pista {} de {} para {}:");
  ScopedEnvironment english({{"COURSE_LANG", "en"}, {"LC_ALL", "es_ES.UTF-8"}});
  EXPECT_EQ(course::current_language(), Language::kEnglish);
  EXPECT_EQ(course::tr("Hint {} of {} for {}:"), "Hint {} of {} for {}:");
}

TEST(Language, ParsesLanguageCodesAndLocaleNames) {
  EXPECT_EQ(course::parse_language("es"), Language::kSpanish);
  EXPECT_EQ(course::parse_language("ES_es.utf8"), Language::kSpanish);
  EXPECT_EQ(course::parse_language("es-419"), Language::kSpanish);
  EXPECT_EQ(course::parse_language("en"), Language::kEnglish);
  EXPECT_EQ(course::parse_language("POSIX"), Language::kEnglish);
  EXPECT_EQ(course::parse_language("fr"), std::nullopt);
  EXPECT_EQ(course::parse_language("estonian"), std::nullopt);
}

TEST(Language, SavedChoiceIsReadBackAndForgottenWithAuto) {
  TempDir temp;
  EXPECT_EQ(course::saved_language(temp.path()), std::nullopt);
  course::save_language(temp.path(), Language::kSpanish);
  EXPECT_EQ(course::saved_language(temp.path()), Language::kSpanish);
  EXPECT_TRUE(
      contains(read_file(temp.path() / ".course" / "settings.json"), "\"language\": \"es\""));
  course::save_language(temp.path(), std::nullopt);
  EXPECT_EQ(course::saved_language(temp.path()), std::nullopt);
  std::ofstream(temp.path() / ".course" / "settings.json") << "{ damaged";
  EXPECT_EQ(course::saved_language(temp.path()), std::nullopt);  // damaged: no choice saved
}

TEST(Language, SpanishReadmeSitsBesideTheEnglishOne) {
  EXPECT_EQ(course::spanish_readme("exercises/01_tensors/README.md"),
            fs::path("exercises/01_tensors/README.es.md"));
  TempDir temp;
  std::ofstream(temp.path() / "README.md") << "# English\n";
  EXPECT_EQ(course::localized_readme(temp.path() / "README.md", Language::kSpanish),
            temp.path() / "README.md");  // no translation yet: the English one
  std::ofstream(temp.path() / "README.es.md") << "# Español\n";
  EXPECT_EQ(course::localized_readme(temp.path() / "README.md", Language::kSpanish),
            temp.path() / "README.es.md");
  EXPECT_EQ(course::localized_readme(temp.path() / "README.md", Language::kEnglish),
            temp.path() / "README.md");
}

std::vector<std::string> placeholders(std::string_view text) {
  static const std::regex placeholder(R"(\{[^{}]*\})");
  std::vector<std::string> found;
  const std::string copy(text);
  for (auto it = std::sregex_iterator(copy.begin(), copy.end(), placeholder);
       it != std::sregex_iterator(); ++it)
    found.push_back(it->str());
  return found;
}

TEST(Catalogue, EverySpanishEntryKeepsThePlaceholdersOfItsEnglish) {
  std::set<std::string_view> seen;
  for (size_t i = 0; i < course::kSpanishCatalogueSize; ++i) {
    const auto& entry = course::kSpanishCatalogue[i];
    EXPECT_TRUE(seen.insert(entry.english).second) << "twice in the catalogue: " << entry.english;
    EXPECT_EQ(placeholders(entry.english), placeholders(entry.spanish)) << entry.english;
    EXPECT_FALSE(entry.spanish.empty()) << entry.english;
  }
}

// The string literals (adjacent ones joined, escapes read) of every call `pattern` matches.
std::vector<std::string> literals_called(const fs::path& file, const std::regex& pattern) {
  static const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
  const std::string text = read_file(file);
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    std::string joined;
    const std::string group = (*it)[1].str();
    for (auto part = std::sregex_iterator(group.begin(), group.end(), literal);
         part != std::sregex_iterator(); ++part) {
      const std::string raw = (*part)[1].str();
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
          const char next = raw[++i];
          joined += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
          joined += raw[i];
        }
      }
    }
    found.push_back(joined);
  }
  return found;
}

TEST(Catalogue, EveryRunnerMessageAndLessonTitleHasItsSpanish) {
  const fs::path repository = COURSE_REPOSITORY_DIR;
  static const std::regex translated(R"re(\btrf?\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)])re");
  static const std::regex titled(
      R"re(\b(?:lesson\.section|Lesson lesson)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)])re");
  std::vector<std::pair<fs::path, std::string>> messages;
  for (const fs::path& folder :
       {repository / "tools" / "course" / "src", repository / "common" / "src",
        repository / "homework" / "harness"}) {
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.path().extension() != ".cpp" || entry.path().filename() == "spanish.cpp") continue;
      for (const auto& text : literals_called(entry.path(), translated))
        messages.emplace_back(entry.path(), text);
    }
  }
  size_t titles = 0;
  for (const auto& entry : fs::directory_iterator(repository / "exercises")) {
    const fs::path lesson = entry.path() / "main.cpp";
    if (!fs::is_regular_file(lesson)) continue;
    for (const auto& text : literals_called(lesson, titled)) {
      messages.emplace_back(lesson, text);
      ++titles;
    }
  }
  EXPECT_GT(messages.size(), 60u);  // the scan found the calls
  EXPECT_GE(titles, 35u);           // five lessons' titles and sections
  for (const auto& [file, text] : messages)
    EXPECT_TRUE(course::spanish_of(text).has_value())
        << file.lexically_relative(repository).string() << ": no Spanish for \"" << text
        << "\": add it to common/src/spanish.cpp";
}

}  // namespace
