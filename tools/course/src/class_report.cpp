#include "course_tool/class_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/files.h"

namespace course::tool {
namespace {

using course::tr;
using course::trf;
using course::trn;

// A format string cut at its placeholders ("{}", "{:.4f}"): the literal pieces around them.
std::vector<std::string_view> literal_pieces(std::string_view format) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  for (size_t open = format.find('{'); open != std::string_view::npos;
       open = format.find('{', start)) {
    const size_t close = format.find('}', open);
    if (close == std::string_view::npos) break;
    pieces.push_back(format.substr(start, open - start));
    start = close + 1;
  }
  pieces.push_back(format.substr(start));
  return pieces;
}

// The placeholders' text when `sentence` is `format` filled in; nullopt when it is not.
std::optional<std::vector<std::string>> filled_values(std::string_view sentence,
                                                      const std::vector<std::string_view>& pieces) {
  if (pieces.size() == 1) {
    if (sentence != pieces.front()) return std::nullopt;
    return std::vector<std::string>{};
  }
  if (sentence.substr(0, pieces.front().size()) != pieces.front()) return std::nullopt;
  const std::string_view last = pieces.back();
  if (sentence.size() < pieces.front().size() + last.size() ||
      sentence.substr(sentence.size() - last.size()) != last)
    return std::nullopt;
  const std::string_view middle =
      sentence.substr(pieces.front().size(), sentence.size() - pieces.front().size() - last.size());
  std::vector<std::string> values;
  size_t at = 0;
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    const size_t found = pieces[i].empty() ? at : middle.find(pieces[i], at);
    if (found == std::string_view::npos) return std::nullopt;
    values.emplace_back(middle.substr(at, found - at));
    at = found + pieces[i].size();
  }
  values.emplace_back(middle.substr(at));
  return values;
}

}  // namespace

std::string english_of_sentence(const std::string& sentence) {
  struct Known {
    std::vector<std::string_view> spanish;
    std::vector<std::string_view> english;
    size_t literal_size = 0;
  };
  static const std::vector<Known> known = [] {
    std::vector<Known> table;
    for (const auto& entry : spanish_catalogue()) {
      for (size_t form = 0; form < entry.spanish.size(); ++form) {
        Known item{literal_pieces(entry.spanish[form]),
                   literal_pieces(form == 1 && !entry.english_plural.empty() ? entry.english_plural
                                                                             : entry.english),
                   0};
        if (item.spanish.size() != item.english.size()) continue;
        for (const auto piece : item.spanish) item.literal_size += piece.size();
        table.push_back(std::move(item));
      }
    }
    // The most specific message first: the one with the most literal text.
    std::sort(table.begin(), table.end(),
              [](const Known& a, const Known& b) { return a.literal_size > b.literal_size; });
    return table;
  }();
  for (const auto& item : known) {
    if (item.literal_size < 8) continue;  // "{}: {}" would match anything
    const auto values = filled_values(sentence, item.spanish);
    if (!values) continue;
    std::string english(item.english.front());
    for (size_t i = 0; i < values->size(); ++i)
      english += (*values)[i] + std::string(item.english[i + 1]);
    return english;
  }
  return sentence;
}

ClassFigures class_figures(const Manifest& manifest, const std::vector<SubmissionGrade>& grades,
                           const std::vector<Mistake>& catalogue) {
  ClassFigures figures;
  figures.students = grades.size();
  std::map<std::string, ClassFigures::Rate> exercise_rates, check_rates;
  std::vector<std::string> check_order;
  std::map<const Mistake*, std::set<std::string>> named;
  for (const auto& grade : grades) {
    if (grade.max_score() > 0) figures.score_fractions.push_back(grade.score() / grade.max_score());
    for (const auto& part : grade.parts) {
      auto& exercise = exercise_rates[part.exercise];
      exercise.name = part.exercise;
      ++exercise.total;
      const Tally counts = tally(part.checks);
      if (counts.failed == 0 && counts.passed > 0) ++exercise.passed;
      if (part.accuracy) figures.accuracies.push_back(*part.accuracy);
      for (const auto& check : part.checks) {
        const std::string key = part.exercise + ": " + check.name;
        auto [it, added] = check_rates.try_emplace(key);
        if (added) check_order.push_back(key);
        it->second.name = key;
        ++it->second.total;
        if (check.status == CheckStatus::kPassed) ++it->second.passed;
      }
      const auto first = std::find_if(part.checks.begin(), part.checks.end(), [](const auto& c) {
        return c.status != CheckStatus::kPassed;
      });
      if (first == part.checks.end()) continue;
      ++figures.first_failures;
      const std::string read = student_message(*first);
      std::string english = english_of_sentence(read);
      bool matched = false;
      for (const auto& mistake : catalogue) {
        if (mistake.exercise != part.exercise) continue;
        if (missing_phrases(mistake, english).empty() || missing_phrases(mistake, read).empty()) {
          named[&mistake].insert(grade.student);
          matched = true;
        }
      }
      if (!matched) ++figures.first_failures_unmatched;
    }
  }
  for (const auto& exercise : manifest.exercises) {
    if (exercise_rates.count(exercise.name))
      figures.exercises.push_back(exercise_rates[exercise.name]);
  }
  for (const auto& key : check_order) figures.checks.push_back(check_rates[key]);
  for (const auto& [mistake, students] : named)
    figures.mistakes.push_back(
        {mistake, std::vector<std::string>(students.begin(), students.end())});
  std::stable_sort(figures.mistakes.begin(), figures.mistakes.end(),
                   [](const MistakeCount& a, const MistakeCount& b) {
                     return a.students.size() > b.students.size();
                   });
  return figures;
}

std::vector<Mistake> course_catalogue(const Manifest& manifest) {
  const std::filesystem::path catalogue_dir = manifest.root / "tests" / "mistakes";
  return std::filesystem::is_directory(catalogue_dir) ? load_catalogue(catalogue_dir)
                                                      : std::vector<Mistake>();
}

void write_class_report(const Manifest& manifest, const std::vector<SubmissionGrade>& grades,
                        const std::vector<Mistake>& catalogue, const std::filesystem::path& out) {
  const ClassFigures figures = class_figures(manifest, grades, catalogue);
  write_atomically(out / "report.html", class_report_html(figures));
  write_atomically(out / "report.csv", class_report_csv(figures));
}

}  // namespace course::tool
