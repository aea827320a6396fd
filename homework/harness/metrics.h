// The results of a run as JSON (nlohmann::json), and the grade computed from them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace homework::harness {

// One line of the training history.
struct EpochRecord {
  int64_t epoch = 0;  // 1-based
  double train_loss = 0.0;
  double val_loss = 0.0;
  double val_accuracy = 0.0;
  double seconds = 0.0;   // training + validation of this epoch
  bool improved = false;  // a new lowest validation loss
};

// NaN and infinities have no JSON spelling: they are written as null and read back as NaN.
nlohmann::json to_json(const EpochRecord& record);
EpochRecord epoch_record_from_json(const nlohmann::json& json);
nlohmann::json to_json(const std::vector<EpochRecord>& history);
std::vector<EpochRecord> history_from_json(const nlohmann::json& json);

// A number for JSON: null when not finite; and back: null reads as NaN.
nlohmann::json json_number(double value);
double number_or_nan(const nlohmann::json& value);

// The keys every metrics file has (the grade checks for them).
const std::vector<std::string>& required_metrics_keys();

// One check of the grade: what it requires, and whether the metrics met it (with the detail),
// both in the student's language (common/language.h).
struct GradeCheck {
  std::string requirement;
  bool passed = false;
  std::string detail;
};

// Grades the training a metrics file records: every key present, parameters == 266610, the
// history consistent with `epochs`, `best_epoch` the epoch of the lowest validation loss, early
// stopping fired exactly max(patience, 1) epochs after it (or max_epochs reached). The test
// accuracy is graded from the model itself (harness/grading.h), never from this file.
std::vector<GradeCheck> grade(const nlohmann::json& metrics);
bool all_passed(const std::vector<GradeCheck>& checks);

}  // namespace homework::harness
