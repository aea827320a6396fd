#include "harness/options.h"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "common/language.h"
#include "harness/files.h"

namespace homework::harness {
namespace fs = std::filesystem;
using course::N_;
using course::trf;

// The descriptions are marked N_: course::run_main translates them (course::localize_cli).
void add_options(CLI::App& app, Options& options) {
  course::add_common_options(app, options.common);
  app.add_option("--batch-size", options.batch_size, N_("Examples per training step"))
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
  app.add_option("--lr", options.lr, N_("Adam's learning rate"))
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& value) {
            double lr = 0.0;
            try {
              lr = std::stod(value);
            } catch (const std::exception&) {
              return trf("not a number: '{}'", value);
            }
            return std::isfinite(lr) && lr > 0 ? std::string()
                                               : trf("must be a finite number > 0, not {}", value);
          },
          "LR > 0"));
  app.add_option("--patience", options.patience,
                 N_("Stop after this many epochs without a lower validation loss"))
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1000000}));
  app.add_option("--max-epochs", options.max_epochs, N_("Stop after this many epochs at most"))
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  app.add_option("--val-size", options.val_size,
                 N_("Validation examples, drawn from the training set by a seeded split"))
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{59999}));
  app.add_option("--metrics", options.metrics, N_("Write the results as JSON to this file"));
  CLI::Option* checkpoint = app.add_option("--checkpoint", options.checkpoint,
                                           N_("Save the best model and optimizer to this file"));
  app.add_flag("--resume", options.resume, N_("Continue from --checkpoint (its best epoch)"))
      ->needs(checkpoint);
  app.add_option("--plot", options.plot,
                 N_("Write an SVG with the loss curves, validation accuracy and confusion matrix"));
  app.add_option("--model", options.model,
                 N_("Write the trained model's weights (after fit(): the best epoch's) to this "
                    "file"));
  app.add_flag("--quiet,-q", options.quiet, N_("Print only the final result"));
}

void check_paths(const Options& options) {
  check_writable("--metrics", options.metrics);
  check_writable("--checkpoint", options.checkpoint);
  check_writable("--plot", options.plot);
  check_writable("--model", options.model);
  if (options.resume && !fs::is_regular_file(options.checkpoint)) {
    throw course::UsageError(
        trf("--resume: checkpoint '{}' does not exist; run once without --resume to create it",
            options.checkpoint));
  }
  for (const auto& [flag, path] :
       {std::pair{"--metrics", &options.metrics}, std::pair{"--plot", &options.plot},
        std::pair{"--model", &options.model}}) {
    if (!path->empty() && !options.checkpoint.empty() &&
        fs::weakly_canonical(*path) == fs::weakly_canonical(options.checkpoint)) {
      throw course::UsageError(
          trf("{} and --checkpoint name the same file '{}'; use two files", flag, *path));
    }
  }
}

}  // namespace homework::harness
