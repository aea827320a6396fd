// The class report's page and its CSV: rendering the figures (class_report.cpp counts them).
#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"
#include "course_tool/class_report.h"
#include "course_tool/gradebook.h"

namespace course::tool {
namespace {

using course::tr;
using course::trf;
using course::trn;


std::string percent_of(size_t part, size_t whole) {
  return whole == 0 ? "-"
                    : fmt::format("{:.0f}%",
                                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// A histogram of `values` in `bins` bins over [low, high], with a vertical line at `marker`
// (when inside): an inline SVG with one <rect class="bar"> per bin.
std::string histogram_svg(const std::vector<double>& values, int bins, double low, double high,
                          const std::string& axis, std::optional<double> marker = {}) {
  constexpr int kWidth = 560, kHeight = 200, kLeft = 40, kBottom = 30, kTop = 10;
  std::vector<size_t> counts(static_cast<size_t>(bins), 0);
  for (const double value : values) {
    int bin = static_cast<int>((value - low) / (high - low) * bins);
    bin = std::clamp(bin, 0, bins - 1);
    ++counts[static_cast<size_t>(bin)];
  }
  const size_t most = std::max<size_t>(1, *std::max_element(counts.begin(), counts.end()));
  const double bar_width = static_cast<double>(kWidth - kLeft - 10) / bins;
  const double plot_height = kHeight - kBottom - kTop;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">\n",
      kWidth, kHeight);
  for (int i = 0; i < bins; ++i) {
    const size_t count = counts[static_cast<size_t>(i)];
    const double height = plot_height * static_cast<double>(count) / static_cast<double>(most);
    const double x = kLeft + i * bar_width;
    svg += fmt::format(
        "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "data-count=\"{}\"><title>{:.2f}-{:.2f}: {}</title></rect>\n",
        x + 1, kTop + plot_height - height, bar_width - 2, height, count,
        low + (high - low) * i / bins, low + (high - low) * (i + 1) / bins, count);
    if (count > 0)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"count\">{}</text>\n",
                         x + bar_width / 2, kTop + plot_height - height - 2, count);
  }
  for (int i = 0; i <= bins; i += std::max(1, bins / 5)) {
    svg +=
        fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\">{:.2f}</text>\n",
                    kLeft + i * bar_width, kHeight - kBottom + 14, low + (high - low) * i / bins);
  }
  if (marker && *marker >= low && *marker <= high) {
    const double x = kLeft + (*marker - low) / (high - low) * (kWidth - kLeft - 10);
    svg += fmt::format(
        "<line class=\"threshold\" x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
        "data-value=\"{}\"/>\n<text x=\"{:.1f}\" y=\"{}\" class=\"threshold-label\">{}</text>\n",
        x, kTop, x, kTop + plot_height, *marker, x + 3, kTop + 10, *marker);
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis\">{}</text>\n</svg>\n", kWidth / 2,
                     kHeight - 2, escape_xml(axis));
  return svg;
}

// One horizontal bar per rate, its width the fraction passed.
std::string rates_svg(const std::vector<ClassFigures::Rate>& rates) {
  constexpr int kRow = 22, kLabel = 260, kBar = 280;
  const int height = static_cast<int>(rates.size()) * kRow + 10;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">\n",
      kLabel + kBar + 60, height);
  for (size_t i = 0; i < rates.size(); ++i) {
    const auto& rate = rates[i];
    const double fraction =
        rate.total == 0 ? 0.0 : static_cast<double>(rate.passed) / static_cast<double>(rate.total);
    const double y = 5 + static_cast<double>(i) * kRow;
    svg += fmt::format(
        "<text x=\"0\" y=\"{:.0f}\" class=\"label\">{}</text>\n"
        "<rect class=\"track\" x=\"{}\" y=\"{:.0f}\" width=\"{}\" height=\"14\"/>\n"
        "<rect class=\"rate\" x=\"{}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"14\" "
        "data-passed=\"{}\" data-total=\"{}\"/>\n"
        "<text x=\"{}\" y=\"{:.0f}\" class=\"value\">{} ({}/{})</text>\n",
        y + 12, escape_xml(rate.name), kLabel, y, kBar, kLabel, y, kBar * fraction, rate.passed,
        rate.total, kLabel + kBar + 6, y + 12, percent_of(rate.passed, rate.total), rate.passed,
        rate.total);
  }
  return svg + "</svg>\n";
}

}  // namespace

std::string class_report_html(const ClassFigures& figures) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
      "<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>\n"
      "body {{ font-family: sans-serif; max-width: 960px; margin: 2em auto; color: #222; }}\n"
      "rect.bar {{ fill: #4c78a8; }} rect.rate {{ fill: #54a24b; }} rect.track {{ fill: #eee; }}\n"
      "line.threshold {{ stroke: #e45756; stroke-width: 2; stroke-dasharray: 4 3; }}\n"
      "text {{ font-size: 11px; }} text.count, text.tick, text.axis {{ text-anchor: middle; }}\n"
      "table {{ border-collapse: collapse; }} td, th {{ padding: 2px 8px; text-align: left; "
      "border-bottom: 1px solid #ddd; }} td.number {{ text-align: right; }}\n"
      "</style>\n</head>\n<body>\n",
      escape_xml(tr("Class report")));
  html +=
      fmt::format("<h1>{}</h1>\n<p>{}</p>\n", escape_xml(tr("Class report")),
                  escape_xml(trn("{} submission graded.", "{} submissions graded.",
                                   static_cast<long long>(figures.students), figures.students)));

  html += fmt::format("<h2 id=\"scores\">{}</h2>\n", escape_xml(tr("Scores")));
  html += histogram_svg(figures.score_fractions, 10, 0.0, 1.0, std::string(tr("score / maximum")));

  html += fmt::format("<h2 id=\"exercises\">{}</h2>\n<p>{}</p>\n", escape_xml(tr("Exercises")),
                      escape_xml(tr("Students with every check of the exercise passing.")));
  html += rates_svg(figures.exercises);

  html += fmt::format("<h2 id=\"accuracy\">{}</h2>\n", escape_xml(tr("Homework: test accuracy")));
  if (figures.accuracies.empty()) {
    html += fmt::format("<p>{}</p>\n", escape_xml(tr("No homework was trained to the end.")));
  } else {
    const double low =
        std::min(0.5, *std::min_element(figures.accuracies.begin(), figures.accuracies.end()));
    html += histogram_svg(figures.accuracies, 20, std::floor(low * 20) / 20, 1.0,
                          std::string(tr("test accuracy")), figures.accuracy_threshold);
    const auto above = std::count_if(figures.accuracies.begin(), figures.accuracies.end(),
                                     [&](double a) { return a >= figures.accuracy_threshold; });
    html += fmt::format("<p>{}</p>\n",
                        escape_xml(trf("{} of {} at or above {}.", above,
                                         figures.accuracies.size(), figures.accuracy_threshold)));
  }

  html +=
      fmt::format("<h2 id=\"mistakes\">{}</h2>\n<p>{}</p>\n",
                  escape_xml(tr("The class's most common mistakes")),
                  escape_xml(trf("Each student's first failing check of each exercise, matched "
                                   "against the catalogue of classic mistakes (tests/mistakes/): "
                                   "{} of {} first failures name one.",
                                   figures.first_failures - figures.first_failures_unmatched,
                                   figures.first_failures)));
  html += fmt::format("<table class=\"mistakes\">\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                      escape_xml(tr("students")), escape_xml(tr("exercise")),
                      escape_xml(tr("mistake")));
  for (const auto& count : figures.mistakes) {
    html += fmt::format(
        "<tr data-entry=\"{}/{}\"><td class=\"number\">{}</td><td>{}</td><td>{}</td></tr>\n",
        escape_xml(count.mistake->exercise), escape_xml(count.mistake->name),
        count.students.size(), escape_xml(count.mistake->exercise),
        escape_xml(count.mistake->description));
  }
  html += "</table>\n";

  html += fmt::format("<h2 id=\"checks\">{}</h2>\n", escape_xml(tr("Every check")));
  html += rates_svg(figures.checks);
  return html + "</body>\n</html>\n";
}

std::string class_report_csv(const ClassFigures& figures) {
  std::string csv = "figure,name,value,total\n";
  for (size_t i = 0; i < figures.score_fractions.size(); ++i)
    csv += fmt::format("score_fraction,{},{:.4f},\n", i + 1, figures.score_fractions[i]);
  for (const auto& rate : figures.exercises)
    csv += fmt::format("exercise_passed,{},{},{}\n", csv_field(rate.name), rate.passed, rate.total);
  for (const auto& rate : figures.checks)
    csv += fmt::format("check_passed,{},{},{}\n", csv_field(rate.name), rate.passed, rate.total);
  for (size_t i = 0; i < figures.accuracies.size(); ++i)
    csv += fmt::format("homework_accuracy,{},{:.4f},\n", i + 1, figures.accuracies[i]);
  for (const auto& count : figures.mistakes) {
    csv += fmt::format("mistake,{},{},{}\n",
                       csv_field(count.mistake->exercise + "/" + count.mistake->name),
                       count.students.size(), figures.students);
  }
  csv += fmt::format("first_failures_unmatched,,{},{}\n", figures.first_failures_unmatched,
                     figures.first_failures);
  return csv;
}

}  // namespace course::tool
