#include "harness/report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common/language.h"
#include "common/text.h"

namespace homework::harness {
namespace {

using course::tr;
using course::trf;

using course::escape_xml;

// A rectangle of the drawing that maps data coordinates to pixels.
struct Panel {
  double left, top, width, height;
  double x_min, x_max, y_min, y_max;
  double x(double value) const { return left + (value - x_min) / (x_max - x_min) * width; }
  double y(double value) const { return top + height - (value - y_min) / (y_max - y_min) * height; }
};

struct Series {
  std::vector<double> values;  // one per epoch, NaN where missing
  std::string color;
  std::string name;
};

// One series: its points, a polyline broken where a value is missing, and its legend entry
// (the k-th), in a row below the panel's "epoch" label, so that no legend covers a point.
std::string series_svg(const Panel& p, const Series& s, size_t k) {
  std::string svg;
  std::string points;
  auto flush = [&] {
    if (!points.empty()) {
      svg += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>)"
                         "\n",
                         s.color, points);
    }
    points.clear();
  };
  for (size_t i = 0; i < s.values.size(); ++i) {
    if (!std::isfinite(s.values[i])) {
      flush();
      continue;
    }
    const double px = p.x(static_cast<double>(i + 1)), py = p.y(s.values[i]);
    points += fmt::format("{:.1f},{:.1f} ", px, py);
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="2.5" fill="{}"/>)"
                       "\n",
                       px, py, s.color);
  }
  flush();
  const double legend_x = p.left + 170.0 * static_cast<double>(k);
  const double legend_y = p.top + p.height + 56;
  svg += fmt::format(R"(<g class="legend"><line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" )"
                     R"(y2="{1:.1f}" stroke="{3}" stroke-width="3"/><text x="{4:.1f}" y="{5:.1f}" )"
                     R"(font-size="12">{6}</text></g>)"
                     "\n",
                     legend_x, legend_y, legend_x + 20, s.color, legend_x + 25, legend_y + 4,
                     escape_xml(s.name));
  return svg;
}

// Axes, ticks, a legend, and each series as a polyline broken where a value is missing.
std::string line_chart(const Panel& frame, const std::string& title,
                       const std::vector<Series>& series, int64_t best_epoch) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  size_t count = 0;
  for (const Series& s : series) {
    count = std::max(count, s.values.size());
    for (double v : s.values) {
      if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
    }
  }
  if (!std::isfinite(low)) low = 0.0, high = 1.0;
  if (high - low < 1e-12) low -= 0.5, high += 0.5;
  const double pad = 0.06 * (high - low);
  Panel p = frame;
  p.y_min = low - pad;
  p.y_max = high + pad;
  p.x_min = count > 1 ? 1.0 : 0.5;
  p.x_max = count > 1 ? static_cast<double>(count) : 1.5;

  std::string svg;
  svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="15">{}</text>)"
                     "\n",
                     p.left + p.width / 2, p.top - 12, escape_xml(title));
  svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="none" )"
                     R"(stroke="#444"/>)"
                     "\n",
                     p.left, p.top, p.width, p.height);
  for (int i = 0; i <= 4; ++i) {  // y ticks and grid
    const double value = p.y_min + (p.y_max - p.y_min) * i / 4.0;
    svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{2:.1f}" y2="{1:.1f}" )"
                       R"(stroke="#ddd"/><text x="{3:.1f}" y="{4:.1f}" text-anchor="end" )"
                       R"(font-size="11">{5:.3g}</text>)"
                       "\n",
                       p.left, p.y(value), p.left + p.width, p.left - 5, p.y(value) + 4, value);
  }
  const int64_t step = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(count / 10.0)));
  for (int64_t epoch = 1; epoch <= static_cast<int64_t>(count); epoch += step) {  // x ticks
    svg +=
        fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="11">{}</text>)"
                    "\n",
                    p.x(epoch), p.top + p.height + 15, epoch);
  }
  svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="12">{}</text>)"
                     "\n",
                     p.left + p.width / 2, p.top + p.height + 32, escape_xml(tr("epoch")));
  if (best_epoch >= 1) {
    svg += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#888" )"
                       R"(stroke-dasharray="4 3"/><text x="{3:.1f}" y="{4:.1f}" font-size="11" )"
                       R"(fill="#666">{5}</text>)"
                       "\n",
                       p.x(best_epoch), p.top, p.top + p.height, p.x(best_epoch) + 4, p.top + 14,
                       escape_xml(trf("best {}", best_epoch)));
  }
  for (size_t k = 0; k < series.size(); ++k) svg += series_svg(p, series[k], k);
  return svg;
}

std::string heat_map(double left, double top, const torch::Tensor& confusion,
                     const ClassNames& names) {
  const int64_t classes = confusion.size(0);
  const auto counts = confusion.to(torch::kCPU).to(torch::kLong).contiguous();
  const int64_t* data = counts.data_ptr<int64_t>();
  constexpr double kCell = 30.0;
  std::string svg;
  // The title in two lines, so that it stays within the matrix's width (and the canvas).
  svg += fmt::format(R"(<text x="{0:.1f}" y="{1:.1f}" text-anchor="middle" font-size="15">)"
                     R"({3}</text>)"
                     "\n"
                     R"(<text x="{0:.1f}" y="{2:.1f}" text-anchor="middle" font-size="11">)"
                     R"({4}</text>)"
                     "\n",
                     left + kCell * classes / 2, top - 28, top - 12,
                     escape_xml(tr("Test confusion matrix")),
                     escape_xml(tr("row: true class, column: predicted")));
  for (int64_t row = 0; row < classes; ++row) {
    int64_t total = 0;
    for (int64_t col = 0; col < classes; ++col) total += data[row * classes + col];
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="11">{}</text>)"
                       "\n",
                       left - 6, top + kCell * (row + 0.5) + 4, escape_xml(names[row]));
    for (int64_t col = 0; col < classes; ++col) {
      const int64_t count = data[row * classes + col];
      const double t = total > 0 ? static_cast<double>(count) / static_cast<double>(total) : 0.0;
      const auto shade = [t](int full) {
        return static_cast<int>(std::lround(255 - (255 - full) * t));
      };
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" )"
                         R"svg(fill="rgb({},{},{})" stroke="#fff"/>)svg"
                         R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="10" )"
                         R"(fill="{}">{}</text>)"
                         "\n",
                         left + kCell * col, top + kCell * row, kCell, kCell, shade(31), shade(119),
                         shade(180), left + kCell * (col + 0.5), top + kCell * (row + 0.5) + 4,
                         t > 0.5 ? "#fff" : "#222", count);
    }
  }
  for (int64_t col = 0; col < classes; ++col) {
    const double x = left + kCell * (col + 0.5), y = top + kCell * classes + 8;
    svg += fmt::format(R"(<text x="{0:.1f}" y="{1:.1f}" text-anchor="end" font-size="11" )"
                       R"svg(transform="rotate(-45 {0:.1f} {1:.1f})">{2}</text>)svg"
                       "\n",
                       x, y, escape_xml(names[col]));
  }
  return svg;
}

}  // namespace

torch::Tensor confusion_matrix(const torch::Tensor& predictions, const torch::Tensor& labels,
                               int64_t classes) {
  const torch::Tensor cells = (labels.to(torch::kCPU).to(torch::kLong) * classes +
                               predictions.to(torch::kCPU).to(torch::kLong))
                                  .flatten();
  return torch::bincount(cells, /*weights=*/{}, classes * classes).view({classes, classes});
}

std::vector<double> per_class_accuracy(const torch::Tensor& confusion) {
  std::vector<double> result;
  const torch::Tensor counts = confusion.to(torch::kCPU).to(torch::kDouble);
  const torch::Tensor totals = counts.sum(1);
  for (int64_t c = 0; c < counts.size(0); ++c) {
    const double total = totals[c].item<double>();
    result.push_back(total > 0 ? counts[c][c].item<double>() / total
                               : std::numeric_limits<double>::quiet_NaN());
  }
  return result;
}

std::string confusion_table(const torch::Tensor& confusion, const ClassNames& names) {
  const int64_t classes = confusion.size(0);
  const torch::Tensor counts = confusion.to(torch::kCPU).to(torch::kLong);
  const std::vector<double> accuracy = per_class_accuracy(confusion);
  std::string table = fmt::format("{:>13} |", tr("true \\ pred"));
  for (int64_t c = 0; c < classes; ++c) table += fmt::format(" {:>5.5}", names[c]);
  table +=
      fmt::format(" | {}\n", tr("accuracy")) + std::string(15 + 6 * classes, '-') + "+---------\n";
  for (int64_t row = 0; row < classes; ++row) {
    table += fmt::format("{:>13} |", names[row]);
    for (int64_t col = 0; col < classes; ++col) {
      table += fmt::format(" {:>5}", counts[row][col].item<int64_t>());
    }
    table += fmt::format(" | {:.3f}\n", accuracy[row]);
  }
  return table;
}

std::string training_report_svg(const std::vector<EpochRecord>& history, int64_t best_epoch,
                                const torch::Tensor& confusion, const ClassNames& names,
                                double test_accuracy) {
  // The loss panel's legend names the two sets; its title says what is plotted.
  Series train{{}, "#1f77b4", std::string(tr("training"))},
      validation{{}, "#ff7f0e", std::string(tr("validation"))},
      accuracy{{}, "#2ca02c", std::string(tr("validation accuracy"))};
  for (const EpochRecord& record : history) {
    train.values.push_back(record.train_loss);
    validation.values.push_back(record.val_loss);
    accuracy.values.push_back(record.val_accuracy);
  }
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" width="1340" height="470" )"
                    R"(font-family="sans-serif">)"
                    "\n"
                    R"(<rect width="100%" height="100%" fill="#fff"/>)"
                    "\n";
  svg += fmt::format(R"(<text x="670" y="26" text-anchor="middle" font-size="18">{}</text>)"
                     "\n",
                     escape_xml(trf("Homework: MLP 784-300-100-10 on Fashion-MNIST. Best epoch {}, "
                                    "test accuracy {:.4f}",
                                    best_epoch, test_accuracy)));
  svg += line_chart(Panel{70, 80, 340, 300, 0, 1, 0, 1}, std::string(tr("Loss per epoch")),
                    {train, validation}, best_epoch);
  svg += line_chart(Panel{500, 80, 340, 300, 0, 1, 0, 1},
                    std::string(tr("Validation accuracy per epoch")), {accuracy}, best_epoch);
  svg += heat_map(1000, 80, confusion, names);
  svg += "</svg>\n";
  return svg;
}

}  // namespace homework::harness
