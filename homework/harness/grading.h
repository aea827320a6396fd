// What the grade counts itself, from the model a run saved (`homework --model FILE`): the
// weights go into the harness's own copy of the network (ReferenceMlp), never through the
// student's code, and are measured on the validation split and the test set that the grade loads
// itself. A metrics file can claim anything; these numbers are the grade's own.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

#include "harness/batches.h"
#include "harness/metrics.h"

namespace homework::harness {

// The loss of `logits` [N, 10] for `labels` [N], and the accuracy counted from their own
// predictions: how the harness and the grade count what they report, never taking a number from
// the student's code.
struct Score {
  double loss = 0.0;          // mean cross-entropy
  double accuracy = 0.0;      // fraction of examples whose largest logit is the label
  torch::Tensor predictions;  // int64 [N]
};
Score score(const torch::Tensor& logits, const torch::Tensor& labels);

struct MeasuredModel {
  double val_loss = 0.0;       // mean cross-entropy on the validation split
  double test_accuracy = 0.0;  // fraction of the test images whose largest logit is the label
  double test_loss = 0.0;
  int64_t test_examples = 0;
};

// Loads `model_file` (written by torch::save of the homework's Mlp) into a ReferenceMlp and
// measures it. Throws std::runtime_error naming the file when it is missing or holds another
// model.
MeasuredModel measure_model(const std::filesystem::path& model_file, const Examples& validation,
                            const Examples& test);

// The requirements graded from the measured model:
//   - the saved weights are the best epoch's: their validation loss is the one the history
//     records for best_epoch (restore_best_weights);
//   - the student's evaluate() reported the accuracy the predictions give (within half an
//     example);
//   - test accuracy >= min_accuracy.
std::vector<GradeCheck> grade_model(const nlohmann::json& metrics, const MeasuredModel& measured,
                                    double min_accuracy = 0.87);

}  // namespace homework::harness
