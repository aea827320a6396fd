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
#include "support/scoped_environment.h"
#include "support/temp_dir.h"

namespace {
using namespace course::testing;
using course::Language;
namespace fs = std::filesystem;

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
  const auto& catalogue = course::spanish_catalogue();
  EXPECT_GT(catalogue.size(), 100u);  // po/es.po was compiled into the program
  for (const auto& entry : catalogue) {
    ASSERT_FALSE(entry.spanish.empty()) << entry.english;
    EXPECT_EQ(placeholders(entry.english), placeholders(entry.spanish[0])) << entry.english;
    EXPECT_FALSE(entry.spanish[0].empty()) << entry.english;
    if (!entry.english_plural.empty()) {
      ASSERT_EQ(entry.spanish.size(), 2u) << entry.english;
      EXPECT_EQ(placeholders(entry.english_plural), placeholders(entry.spanish[1]))
          << entry.english_plural;
    }
  }
}

TEST(Catalogue, PluralFormFollowsTheCountInBothLanguages) {
  const char* one = "{} part of homework/homework.cpp is not written yet (listed above)";
  const char* many = "{} parts of homework/homework.cpp are not written yet (listed above)";
  ScopedEnvironment spanish({{"COURSE_LANG", "es"}});
  EXPECT_EQ(course::trn(one, many, 1, 1),
            "1 parte de homework/homework.cpp todavía no está escrita (en la lista de arriba)");
  EXPECT_EQ(course::trn(one, many, 3, 3),
            "3 partes de homework/homework.cpp todavía no están escritas (en la lista de arriba)");
  EXPECT_EQ(course::trn("{} unknown thing", "{} unknown things", 2, 2), "2 unknown things");
  ScopedEnvironment english({{"COURSE_LANG", "en"}});
  EXPECT_EQ(course::trn(one, many, 1, 1), fmt::format(one, 1));
  EXPECT_EQ(course::trn(one, many, 0, 0), fmt::format(many, 0));
}

TEST(Catalogue, MessageMarkedForLaterIsTranslatedWherePrinted) {
  ScopedEnvironment spanish({{"COURSE_LANG", "es"}});
  EXPECT_STREQ(course::N_("English"), "English");  // the mark gives the English back
  EXPECT_EQ(course::tr(course::N_("English")), "inglés");
}

}  // namespace
