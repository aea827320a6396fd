// The homework's flags: the common ones (--seed, --threads, --device, --data-dir) and its own.
// Every value is checked when the command line is parsed, so a typo exits with status 2 and one
// line before anything slow starts.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "common/cli.h"

namespace homework::harness {

struct Options {
  course::CommonOptions common;
  int64_t batch_size = 32;
  double lr = 1e-3;
  int64_t patience = 5;
  int64_t max_epochs = 100;
  int64_t val_size = 5000;  // taken from the 60000 training images; the test set is never used
  std::string metrics;      // JSON file, written at the end (also after Ctrl-C)
  std::string checkpoint;   // the best model and its optimizer, rewritten on every improvement
  std::string plot;         // SVG: loss curves, validation accuracy, test confusion matrix
  std::string model;        // the model's weights after fit() (the best epoch's), for the grade
  bool resume = false;      // continue from --checkpoint
  bool quiet = false;       // only errors and the final line
};

void add_options(CLI::App& app, Options& options);

// The checks that need the file system, run before training: every output file's directory
// exists and accepts new files; with --resume, the checkpoint exists. Throws course::UsageError.
void check_paths(const Options& options);

}  // namespace homework::harness
