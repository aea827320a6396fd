#include "harness/grading.h"

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "common/language.h"
#include "harness/reference_mlp.h"

namespace homework::harness {
using course::tr;
using course::trf;
using nlohmann::json;

Score score(const torch::Tensor& logits, const torch::Tensor& labels) {
  Score result;
  result.loss = torch::nn::functional::cross_entropy(logits, labels).item<double>();
  result.predictions = logits.argmax(1);
  result.accuracy = result.predictions.eq(labels).sum().item<double>() /
                    static_cast<double>(std::max<int64_t>(labels.size(0), 1));
  return result;
}

MeasuredModel measure_model(const std::filesystem::path& model_file, const Examples& validation,
                            const Examples& test) {
  if (!std::filesystem::is_regular_file(model_file)) {
    throw std::runtime_error(
        trf("the model file '{}' does not exist; run the homework with --model {}",
            model_file.string(), model_file.string()));
  }
  ReferenceMlp model;
  try {
    torch::load(model, model_file.string());
  } catch (const c10::Error& error) {
    const std::string what = error.what_without_backtrace();
    throw std::runtime_error(
        trf("'{}' does not hold the homework's MLP 784-300-100-10 (hidden1, hidden2, output): {}",
            model_file.string(), what.substr(0, what.find('\n'))));
  }
  model->eval();
  torch::NoGradGuard no_grad;
  const Score on_test = score(model->forward(test.images), test.labels);
  MeasuredModel measured;
  measured.val_loss = score(model->forward(validation.images), validation.labels).loss;
  measured.test_loss = on_test.loss;
  measured.test_accuracy = on_test.accuracy;
  measured.test_examples = test.size();
  return measured;
}

std::vector<GradeCheck> grade_model(const json& metrics, const MeasuredModel& measured,
                                    double min_accuracy) {
  std::vector<GradeCheck> checks;
  // `requirement`: in the student's language already.
  auto check = [&](const std::string& requirement, const std::function<GradeCheck()>& body) {
    GradeCheck result{requirement, false, ""};
    try {
      result = body();
      result.requirement = requirement;
    } catch (const std::exception& e) {
      result.detail = trf("cannot check: {}", e.what());
    }
    checks.push_back(result);
  };

  check(std::string(tr("the saved model holds the best epoch's weights")), [&]() -> GradeCheck {
    const int64_t best = metrics.at("best_epoch").get<int64_t>();
    const json& history = metrics.at("history");
    if (best < 1 || best > static_cast<int64_t>(history.size())) {
      return {"", false, trf("best_epoch {} is not in the history", best)};
    }
    const double recorded = number_or_nan(history.at(best - 1).at("val_loss"));
    const double tolerance = 1e-5 * std::max(1.0, std::abs(recorded));
    if (!(std::abs(measured.val_loss - recorded) <= tolerance)) {
      return {"", false,
              trf("its validation loss is {:.6f}, but epoch {} (the best) had {:.6f}: fit() did "
                  "not put the best weights back, or kept a copy that shares the live weights "
                  "(hints 5 and 6)",
                  measured.val_loss, best, recorded)};
    }
    return {"", true, trf("validation loss {:.6f} = epoch {}'s", measured.val_loss, best)};
  });

  check(std::string(tr("evaluate() reports the accuracy of the model's predictions")),
        [&]() -> GradeCheck {
          const double reported = number_or_nan(metrics.at("evaluate_test_accuracy"));
          const double rounding =
              0.5 / static_cast<double>(std::max<int64_t>(measured.test_examples, 1));
          if (!(std::abs(reported - measured.test_accuracy) <= rounding)) {
            return {"", false,
                    trf("evaluate() reported {:.4f}, the predictions give {:.4f} (hint 4)",
                        reported, measured.test_accuracy)};
          }
          return {"", true, fmt::format("{:.4f}", reported)};
        });

  check(trf("test accuracy >= {} (counted by the grade)", min_accuracy), [&]() -> GradeCheck {
    const double accuracy = measured.test_accuracy;
    return {"", accuracy >= min_accuracy,
            trf("{:.4f} on {} test images", accuracy, measured.test_examples)};
  });
  return checks;
}

}  // namespace homework::harness
