// What a student looks at after training: the confusion matrix of the test set (a table and a
// heat map), the accuracy of each class with its name, and the loss and accuracy curves, drawn
// as one SVG file that any browser opens (no plotting library needed).
#pragma once

#include <torch/torch.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "common/fashion_mnist.h"
#include "harness/metrics.h"

namespace homework::harness {

using ClassNames = std::array<std::string_view, course::kNumClasses>;

// int64 [classes, classes]: row = true label, column = prediction (sklearn's convention).
torch::Tensor confusion_matrix(const torch::Tensor& predictions, const torch::Tensor& labels,
                               int64_t classes = course::kNumClasses);

// The diagonal over each row's sum: the fraction of each class recognised (NaN if absent).
std::vector<double> per_class_accuracy(const torch::Tensor& confusion);

// The matrix as text, one row per true class, with the class names and the per-class accuracy.
std::string confusion_table(const torch::Tensor& confusion, const ClassNames& names);

// One SVG: training and validation loss per epoch (best epoch marked), validation accuracy
// per epoch, and the test confusion matrix as a heat map.
std::string training_report_svg(const std::vector<EpochRecord>& history, int64_t best_epoch,
                                const torch::Tensor& confusion, const ClassNames& names,
                                double test_accuracy);

}  // namespace homework::harness
