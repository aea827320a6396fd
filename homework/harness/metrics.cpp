#include "harness/metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/language.h"
#include "homework.h"

namespace homework::harness {
namespace {

using course::N_;
using course::tr;
using course::trf;
using nlohmann::json;

// What one check of the grade found.
struct Outcome {
  bool passed;
  std::string detail;
};
Outcome pass(std::string detail) {
  return {true, std::move(detail)};
}
Outcome fail(std::string detail) {
  return {false, std::move(detail)};
}

}  // namespace

double number_or_nan(const json& value) {
  return value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
}

json json_number(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}

json to_json(const EpochRecord& record) {
  return {{"epoch", record.epoch},
          {"train_loss", json_number(record.train_loss)},
          {"val_loss", json_number(record.val_loss)},
          {"val_accuracy", json_number(record.val_accuracy)},
          {"seconds", record.seconds},
          {"improved", record.improved}};
}

EpochRecord epoch_record_from_json(const json& value) {
  EpochRecord record;
  record.epoch = value.at("epoch").get<int64_t>();
  record.train_loss = number_or_nan(value.at("train_loss"));
  record.val_loss = number_or_nan(value.at("val_loss"));
  record.val_accuracy = number_or_nan(value.at("val_accuracy"));
  record.seconds = value.at("seconds").get<double>();
  record.improved = value.at("improved").get<bool>();
  return record;
}

json to_json(const std::vector<EpochRecord>& history) {
  json array = json::array();
  for (const EpochRecord& record : history) array.push_back(to_json(record));
  return array;
}

std::vector<EpochRecord> history_from_json(const json& value) {
  std::vector<EpochRecord> history;
  for (const json& record : value) history.push_back(epoch_record_from_json(record));
  return history;
}

const std::vector<std::string>& required_metrics_keys() {
  static const std::vector<std::string> keys = {"test_accuracy", "test_loss",
                                                "best_epoch",    "epochs",
                                                "best_val_loss", "parameters",
                                                "device",        "seed",
                                                "seconds",       "history",
                                                "stopped",       "patience",
                                                "max_epochs",    "evaluate_test_accuracy"};
  return keys;
}

namespace {

Outcome all_keys_present(const json& metrics) {
  if (!metrics.is_object()) return fail(std::string(tr("the metrics are not a JSON object")));
  std::vector<std::string> missing;
  for (const std::string& key : required_metrics_keys()) {
    if (!metrics.contains(key)) missing.push_back(key);
  }
  if (!missing.empty()) return fail(trf("missing: {}", fmt::join(missing, ", ")));
  return pass(trf("all {} keys", required_metrics_keys().size()));
}

Outcome parameter_count(const json& metrics) {
  const int64_t parameters = metrics.at("parameters").get<int64_t>();
  if (parameters != homework::kParameterCount) {
    return fail(
        trf("{} parameters; the MLP 784-300-100-10 has {}", parameters, homework::kParameterCount));
  }
  return pass(std::to_string(parameters));
}

Outcome one_record_per_epoch(const json& metrics) {
  const int64_t epochs = metrics.at("epochs").get<int64_t>();
  const auto history = history_from_json(metrics.at("history"));
  if (epochs < 1) return fail(trf("epochs is {}", epochs));
  if (static_cast<int64_t>(history.size()) != epochs) {
    return fail(trf("{} records for {} epochs", history.size(), epochs));
  }
  for (size_t i = 0; i < history.size(); ++i) {
    if (history[i].epoch != static_cast<int64_t>(i) + 1) {
      return fail(trf("record {} is numbered epoch {}", i + 1, history[i].epoch));
    }
  }
  return pass(course::trn("{} epoch", "{} epochs", epochs, epochs));
}

Outcome best_epoch_is_lowest(const json& metrics) {
  const auto history = history_from_json(metrics.at("history"));
  const int64_t best = metrics.at("best_epoch").get<int64_t>();
  if (best < 1 || best > static_cast<int64_t>(history.size())) {
    return fail(trf("best_epoch {} is outside 1..{}", best, history.size()));
  }
  const double best_loss = history[best - 1].val_loss;
  if (std::isnan(best_loss)) return fail(trf("epoch {} has no validation loss", best));
  for (const EpochRecord& record : history) {
    // The first epoch that reached the lowest loss: a later tie does not count as better.
    const bool better =
        record.epoch < best ? !(record.val_loss > best_loss) : record.val_loss < best_loss;
    if (better) {
      return fail(trf("epoch {} has validation loss {:.6f}, epoch {} has {:.6f}", record.epoch,
                      record.val_loss, best, best_loss));
    }
  }
  const double reported = number_or_nan(metrics.at("best_val_loss"));
  if (!(std::abs(reported - best_loss) <= 1e-9 * std::max(1.0, std::abs(best_loss)))) {
    return fail(trf("best_val_loss {} differs from epoch {}'s {}", reported, best, best_loss));
  }
  return pass(trf("epoch {}, validation loss {:.4f}", best, best_loss));
}

Outcome marks_match_losses(const json& metrics) {
  double lowest = std::numeric_limits<double>::infinity();
  for (const EpochRecord& record : history_from_json(metrics.at("history"))) {
    const bool improved = record.val_loss < lowest;
    if (improved != record.improved) {
      return fail(record.improved ? trf("epoch {} is marked improved", record.epoch)
                                  : trf("epoch {} is marked not improved", record.epoch));
    }
    if (improved) lowest = record.val_loss;
  }
  return pass(std::string(tr("consistent")));
}

Outcome stopped_by_the_rule(const json& metrics) {
  const std::string stopped = metrics.at("stopped").get<std::string>();
  const int64_t epochs = metrics.at("epochs").get<int64_t>();
  const int64_t best = metrics.at("best_epoch").get<int64_t>();
  const int64_t patience = std::max<int64_t>(metrics.at("patience").get<int64_t>(), 1);
  const int64_t max_epochs = metrics.at("max_epochs").get<int64_t>();
  if (stopped == "early_stopping") {
    if (epochs - best != patience) {
      return fail(trf("stopped at epoch {}, {} after the best ({}); patience is {}", epochs,
                      epochs - best, best, patience));
    }
    return pass(trf("early stopping at epoch {} = best {} + patience {}", epochs, best, patience));
  }
  if (stopped == "max_epochs") {
    if (epochs != max_epochs) {
      return fail(trf("stopped at epoch {} but max_epochs is {}", epochs, max_epochs));
    }
    if (epochs - best >= patience) {
      return fail(trf("early stopping should have fired at epoch {}", best + patience));
    }
    return pass(trf("max_epochs {} reached", max_epochs));
  }
  return fail(trf("the run ended '{}' (not finished)", stopped));
}

}  // namespace

std::vector<GradeCheck> grade(const json& metrics) {
  const std::vector<std::pair<const char*, Outcome (*)(const json&)>> requirements = {
      {N_("every key is present"), all_keys_present},
      {N_("the model has 266610 parameters"), parameter_count},
      {N_("the history has one record per epoch"), one_record_per_epoch},
      {N_("best_epoch is the epoch with the lowest validation loss"), best_epoch_is_lowest},
      {N_("improvement marks match the validation losses"), marks_match_losses},
      {N_("training stopped by the early-stopping rule or at max_epochs"), stopped_by_the_rule},
  };
  std::vector<GradeCheck> checks;
  for (const auto& [requirement, check] : requirements) {
    // A missing key or a wrong type fails that requirement alone, with the reason.
    GradeCheck result{std::string(tr(requirement)), false, ""};
    try {
      Outcome outcome = check(metrics);
      result.passed = outcome.passed;
      result.detail = std::move(outcome.detail);
    } catch (const std::exception& e) {
      result.detail = trf("cannot check: {}", e.what());
    }
    checks.push_back(result);
  }
  return checks;
}

bool all_passed(const std::vector<GradeCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(), [](const GradeCheck& c) { return c.passed; });
}

}  // namespace homework::harness
