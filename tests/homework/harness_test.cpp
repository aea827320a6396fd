// Checks of the homework's harness (homework/harness/), which the student does not write: batches,
// the train/validation split, atomic files, checkpoints of any module, the metrics and the grade,
// the report, the flags. These pass with the stub too, hence their own label: homework-harness.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "common/cli.h"
#include "common/fashion_mnist.h"
#include "common/idx.h"
#include "harness/batches.h"
#include "harness/checkpoint.h"
#include "harness/data.h"
#include "harness/files.h"
#include "harness/grading.h"
#include "harness/metrics.h"
#include "harness/options.h"
#include "harness/reference_mlp.h"
#include "harness/report.h"
#include "support/idx_writer.h"
#include "support/temp_dir.h"

namespace homework::harness {
namespace {

namespace fs = std::filesystem;
using course::testing::TempDir;
using nlohmann::json;

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// ---------------------------------------------------------------------------------- batches

TEST(Batches, EachEpochVisitsEveryExampleOnceInBatchesOfTheGivenSize) {
  const torch::Tensor labels = torch::arange(10);
  const torch::Tensor images = labels.to(torch::kFloat).unsqueeze(1).repeat({1, 3});
  Batches batches(images, labels, 4, 1);
  batches.set_epoch(3);
  EXPECT_EQ(batches.size(), 3);
  std::vector<int64_t> sizes;
  std::vector<torch::Tensor> seen;
  for (const Batch& batch : batches) {
    sizes.push_back(batch.size());
    // Images and labels stay paired: image i holds the value i.
    EXPECT_TRUE(torch::equal(batch.images.select(1, 0).to(torch::kLong), batch.labels));
    seen.push_back(batch.labels);
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 4, 2}));
  EXPECT_TRUE(torch::equal(std::get<0>(torch::cat(seen).sort()), labels));
  EXPECT_FALSE(torch::equal(torch::cat(seen), labels));  // shuffled
}

TEST(Batches, OrderDependsOnSeedAndEpochOnly) {
  const torch::Tensor labels = torch::arange(100);
  Batches a(labels.unsqueeze(1), labels, 10, 42), b(labels.unsqueeze(1), labels, 10, 42),
      other_seed(labels.unsqueeze(1), labels, 10, 43);
  a.set_epoch(5);
  torch::randn({1000});  // other draws from the global generator change nothing
  b.set_epoch(5);
  other_seed.set_epoch(5);
  EXPECT_TRUE(torch::equal(a.order(), b.order()));
  EXPECT_FALSE(torch::equal(a.order(), other_seed.order()));
  const torch::Tensor epoch5 = a.order().clone();
  a.set_epoch(6);
  EXPECT_FALSE(torch::equal(a.order(), epoch5));
  a.set_epoch(5);
  EXPECT_TRUE(torch::equal(a.order(), epoch5));
}

TEST(Batches, RejectsABatchSizeBelowOneAndMismatchedTensors) {
  const torch::Tensor labels = torch::arange(4);
  EXPECT_THROW(Batches(labels.unsqueeze(1), labels, 0, 1), std::invalid_argument);
  EXPECT_THROW(Batches(torch::zeros({3, 1}), labels, 2, 1), std::invalid_argument);
}

// ----------------------------------------------------------------------------------- split

// A data directory with `train` training and `test` test images; every pixel of training image i
// holds i, of test image i 200 + i, so each image can be told apart after normalization.
void write_data(const fs::path& dir, uint32_t train, uint32_t test) {
  using course::testing::gzip;
  using course::testing::idx_bytes;
  auto write_split = [&](const std::string& prefix, uint32_t count, int offset) {
    std::vector<uint8_t> pixels, labels;
    for (uint32_t i = 0; i < count; ++i) {
      pixels.insert(pixels.end(), 784, static_cast<uint8_t>((offset + i) % 256));
      labels.push_back(static_cast<uint8_t>(i % 10));
    }
    course::testing::write_file(
        dir / (prefix + "-images-idx3-ubyte.gz"),
        gzip(idx_bytes(course::idx::kImagesMagic, {count, 28, 28}, pixels)));
    course::testing::write_file(dir / (prefix + "-labels-idx1-ubyte.gz"),
                                gzip(idx_bytes(course::idx::kLabelsMagic, {count}, labels)));
  };
  write_split("train", train, 0);
  write_split("t10k", test, 200);
}

// The pixel value each image was written with, back from its normalized first pixel.
std::set<int64_t> image_ids(const torch::Tensor& images) {
  const torch::Tensor pixel =
      (images.select(1, 0) * course::kPixelStd + course::kPixelMean) * 255.0;
  std::set<int64_t> ids;
  for (int64_t i = 0; i < pixel.size(0); ++i) ids.insert(std::lround(pixel[i].item<double>()));
  return ids;
}

TEST(Split, ValidationIsDisjointFromTrainingSeededAndNeverTheTestSet) {
  TempDir dir;
  write_data(dir.path(), 60, 10);
  const HomeworkData data = load_homework_data(dir.path(), 12, 42, torch::kCPU);
  EXPECT_EQ(data.train.images.sizes(), (std::vector<int64_t>{48, 784}));
  EXPECT_EQ(data.validation.images.sizes(), (std::vector<int64_t>{12, 784}));
  EXPECT_EQ(data.test.images.sizes(), (std::vector<int64_t>{10, 784}));
  EXPECT_EQ(data.validation.labels.sizes(), (std::vector<int64_t>{12}));

  const auto train = image_ids(data.train.images), validation = image_ids(data.validation.images),
             test = image_ids(data.test.images);
  EXPECT_EQ(train.size(), 48u);
  EXPECT_EQ(validation.size(), 12u);
  std::set<int64_t> all(train.begin(), train.end());
  all.insert(validation.begin(), validation.end());
  EXPECT_EQ(all.size(), 60u);     // disjoint, and together the whole set
  EXPECT_EQ(*all.rbegin(), 59);   // ... of training images only
  EXPECT_EQ(*test.begin(), 200);  // the test set is the test file, untouched
  // Labels travel with their images (label = id % 10).
  for (int64_t i = 0; i < data.validation.labels.size(0); ++i) {
    const double pixel =
        (data.validation.images[i][0].item<double>() * course::kPixelStd + course::kPixelMean) *
        255.0;
    EXPECT_EQ(std::lround(pixel) % 10, data.validation.labels[i].item<int64_t>());
  }

  const HomeworkData again = load_homework_data(dir.path(), 12, 42, torch::kCPU);
  EXPECT_TRUE(torch::equal(again.validation.images, data.validation.images));
  const HomeworkData other = load_homework_data(dir.path(), 12, 7, torch::kCPU);
  EXPECT_NE(image_ids(other.validation.images), validation);
}

TEST(Split, AValidationSizeTooLargeIsAUsageError) {
  TempDir dir;
  write_data(dir.path(), 20, 5);
  EXPECT_THROW(load_homework_data(dir.path(), 20, 42, torch::kCPU), course::UsageError);
}

// ----------------------------------------------------------------------------------- files

TEST(AtomicFiles, WriteReplacesTheContentAndLeavesNoTemporaryFile) {
  TempDir dir;
  const fs::path path = dir.path() / "metrics.json";
  write_file_atomically(path, "first");
  write_file_atomically(path, "second, longer");
  EXPECT_EQ(read_file(path), "second, longer");
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"metrics.json"}));
}

TEST(AtomicFiles, AWriteThatFailsHalfwayKeepsTheOldFile) {
  TempDir dir;
  const fs::path path = dir.path() / "best.pt";
  write_file_atomically(path, "good checkpoint");
  EXPECT_THROW(replace_atomically(path,
                                  [](const fs::path& temporary) {
                                    std::ofstream(temporary) << "half a checkp";
                                    throw std::runtime_error("interrupted");
                                  }),
               std::runtime_error);
  EXPECT_EQ(read_file(path), "good checkpoint");
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"best.pt"}));
}

// The UsageError message of check_writable ("" if it passed).
std::string writable_error(const fs::path& path) {
  try {
    check_writable("--metrics", path);
  } catch (const course::UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(CheckWritable, AMissingDirectoryIsAUsageErrorNamingFlagAndFix) {
  TempDir dir;
  const std::string message = writable_error(dir.path() / "missing" / "m.json");
  EXPECT_NE(message.find("--metrics"), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("mkdir -p"), std::string::npos) << message;
}

TEST(CheckWritable, ADirectoryOrAFileAsDirectoryIsRefusedAndAGoodPathPasses) {
  TempDir dir;
  EXPECT_NE(writable_error(dir.path()).find("is a directory"), std::string::npos);
  write_file_atomically(dir.path() / "file", "x");
  EXPECT_NE(writable_error(dir.path() / "file" / "m.json"), "");
  EXPECT_EQ(writable_error(dir.path() / "m.json"), "");
  EXPECT_EQ(writable_error(""), "");
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"file"}));  // no probe left behind
}

// ------------------------------------------------------------------------------ checkpoints

// The message of the error load_checkpoint throws ("" if none).
std::string load_error(const fs::path& path, torch::nn::Module& model) {
  torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(1e-3));
  try {
    load_checkpoint(path, model, optimizer, torch::kCPU);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(CheckpointFiles, RoundTripOfAnyModuleAndItsOptimizer) {
  TempDir dir;
  torch::nn::Linear model(3, 2);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(0.1));
  torch::nn::functional::mse_loss(model(torch::ones({4, 3})), torch::zeros({4, 2})).backward();
  optimizer.step();
  save_checkpoint(dir.path() / "c.pt", *model, optimizer, {3, json::array({1, 2, 3}), {{"a", 1}}});

  torch::nn::Linear restored(3, 2);
  torch::optim::Adam restored_optimizer(restored->parameters(), torch::optim::AdamOptions(0.1));
  const CheckpointInfo info =
      load_checkpoint(dir.path() / "c.pt", *restored, restored_optimizer, torch::kCPU);
  EXPECT_TRUE(torch::equal(restored->weight, model->weight));
  EXPECT_TRUE(torch::equal(restored->bias, model->bias));
  EXPECT_EQ(info.epoch, 3);
  EXPECT_EQ(info.history, json::array({1, 2, 3}));
  EXPECT_EQ(info.config, (json{{"a", 1}}));
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"c.pt"}));
}

TEST(CheckpointFiles, MissingDamagedOrForeignFilesAreClearErrors) {
  TempDir dir;
  torch::nn::Linear model(3, 2);
  EXPECT_NE(load_error(dir.path() / "none.pt", *model).find("does not exist"), std::string::npos);

  write_file_atomically(dir.path() / "garbage.pt", "this is not a checkpoint");
  const std::string garbage = load_error(dir.path() / "garbage.pt", *model);
  EXPECT_NE(garbage.find("damaged"), std::string::npos) << garbage;
  EXPECT_EQ(garbage.find('\n'), std::string::npos) << garbage;  // one line

  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(0.1));
  save_checkpoint(dir.path() / "good.pt", *model, optimizer, {});
  const std::string bytes = read_file(dir.path() / "good.pt");
  write_file_atomically(dir.path() / "cut.pt", bytes.substr(0, bytes.size() / 2));
  EXPECT_NE(load_error(dir.path() / "cut.pt", *model).find("damaged"), std::string::npos);

  torch::nn::Linear other(4, 2);  // another model: refused, not silently reshaped
  EXPECT_NE(load_error(dir.path() / "good.pt", *other), "");
  EXPECT_EQ(other->weight.sizes(), (std::vector<int64_t>{2, 4}));
}

// ---------------------------------------------------------------------------- metrics, grade

TEST(Metrics, HistoryRoundTripsWithNaNWrittenAsNull) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<EpochRecord> history = {{1, 0.5, 0.4, 0.8, 1.5, true},
                                            {2, nan, nan, nan, 1.25, false}};
  const json encoded = to_json(history);
  EXPECT_TRUE(encoded[1]["val_loss"].is_null());
  const auto decoded = history_from_json(json::parse(encoded.dump()));
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_DOUBLE_EQ(decoded[0].val_loss, 0.4);
  EXPECT_TRUE(decoded[0].improved);
  EXPECT_TRUE(std::isnan(decoded[1].train_loss));
  EXPECT_DOUBLE_EQ(decoded[1].seconds, 1.25);
}

// A complete, consistent metrics file: best epoch 3 of 8, patience 5.
json good_metrics() {
  const std::vector<double> losses = {0.50, 0.42, 0.38, 0.39, 0.40, 0.38, 0.41, 0.45};
  std::vector<EpochRecord> history;
  double best = 1e9;
  for (size_t i = 0; i < losses.size(); ++i) {
    history.push_back({static_cast<int64_t>(i) + 1, 0.4, losses[i], 0.88, 1.0, losses[i] < best});
    best = std::min(best, losses[i]);
  }
  return {{"test_accuracy", 0.885},
          {"test_loss", 0.33},
          {"best_epoch", 3},
          {"epochs", 8},
          {"best_val_loss", 0.38},
          {"parameters", 266610},
          {"device", "cpu"},
          {"seed", 42},
          {"seconds", 12.5},
          {"history", to_json(history)},
          {"stopped", "early_stopping"},
          {"patience", 5},
          {"max_epochs", 100},
          {"evaluate_test_accuracy", 0.885}};
}

// The requirements that failed.
std::vector<std::string> failures(const json& metrics) {
  std::vector<std::string> failed;
  for (const GradeCheck& check : grade(metrics)) {
    if (!check.passed) failed.push_back(check.requirement);
  }
  return failed;
}

TEST(Grade, AConsistentRunPassesEveryRequirement) {
  const auto checks = grade(good_metrics());
  EXPECT_TRUE(all_passed(checks));
  EXPECT_EQ(checks.size(), 6u);
  EXPECT_EQ(failures(good_metrics()), std::vector<std::string>{});
}

TEST(Grade, ReachingMaxEpochsPassesWhenPatienceHadNotRunOut) {
  json metrics = good_metrics();
  metrics["max_epochs"] = 8;
  metrics["patience"] = 6;  // 8 - 3 = 5 epochs without improvement: not yet enough to stop
  metrics["stopped"] = "max_epochs";
  EXPECT_EQ(failures(metrics), std::vector<std::string>{});
}

TEST(Grade, EachInconsistencyFailsItsOwnRequirement) {
  auto fails = [](const std::function<void(json&)>& edit) {
    json metrics = good_metrics();
    edit(metrics);
    return failures(metrics);
  };
  using Names = std::vector<std::string>;
  // The metrics' own test accuracy is not graded: the grade counts it from the model.
  EXPECT_EQ(fails([](json& m) { m["test_accuracy"] = 0.5; }), Names{});
  EXPECT_EQ(fails([](json& m) { m["parameters"] = 266600; }),
            Names{"the model has 266610 parameters"});
  EXPECT_EQ(fails([](json& m) { m.erase("device"); }), Names{"every key is present"});
  EXPECT_EQ(fails([](json& m) { m["best_epoch"] = 2; }),
            (Names{"best_epoch is the epoch with the lowest validation loss",
                   "training stopped by the early-stopping rule or at max_epochs"}));
  // Epoch 6 ties the best (0.38): the first epoch with the lowest loss is the best one.
  EXPECT_EQ(fails([](json& m) { m["best_epoch"] = 6; }),
            (Names{"best_epoch is the epoch with the lowest validation loss",
                   "training stopped by the early-stopping rule or at max_epochs"}));
  EXPECT_EQ(fails([](json& m) { m["best_val_loss"] = 0.37; }),
            Names{"best_epoch is the epoch with the lowest validation loss"});
  EXPECT_EQ(fails([](json& m) { m["history"].erase(7); }),
            (Names{"the history has one record per epoch"}));
  EXPECT_EQ(fails([](json& m) { m["history"][3]["improved"] = true; }),
            Names{"improvement marks match the validation losses"});
  EXPECT_EQ(fails([](json& m) { m["patience"] = 4; }),
            Names{"training stopped by the early-stopping rule or at max_epochs"});
  EXPECT_EQ(fails([](json& m) { m["stopped"] = "interrupted"; }),
            Names{"training stopped by the early-stopping rule or at max_epochs"});
  EXPECT_EQ(fails([](json& m) {
              m["stopped"] = "max_epochs";
              m["max_epochs"] = 9;
            }),
            Names{"training stopped by the early-stopping rule or at max_epochs"});
  EXPECT_EQ(failures(json::array()).size(), 6u);  // not even an object: everything fails
}

// ------------------------------------------------------------------ the grade's own measurement

// The model's weights as `homework --model` writes them: torch::save of a module with the
// homework's layer names.
void save_model(const fs::path& path, ReferenceMlp& model) {
  torch::save(model, path.string());
}

TEST(GradeModel, MeasuresTheSavedWeightsThroughItsOwnNetwork) {
  TempDir dir;
  torch::manual_seed(21);
  ReferenceMlp model;
  save_model(dir.path() / "model.pt", model);
  const Examples validation{torch::randn({30, 784}), torch::randint(10, {30})};
  const Examples test{torch::randn({40, 784}), torch::randint(10, {40})};
  const MeasuredModel measured = measure_model(dir.path() / "model.pt", validation, test);

  torch::NoGradGuard no_grad;
  const torch::Tensor logits = model->forward(test.images);
  EXPECT_DOUBLE_EQ(measured.test_accuracy,
                   logits.argmax(1).eq(test.labels).sum().item<double>() / 40.0);
  EXPECT_NEAR(
      measured.val_loss,
      torch::nn::functional::cross_entropy(model->forward(validation.images), validation.labels)
          .item<double>(),
      1e-6);
  EXPECT_EQ(measured.test_examples, 40);
}

TEST(GradeModel, AMissingOrForeignModelFileIsAClearError) {
  TempDir dir;
  const Examples none{torch::zeros({1, 784}), torch::zeros({1}, torch::kLong)};
  try {
    measure_model(dir.path() / "absent.pt", none, none);
    FAIL() << "no error for a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--model"), std::string::npos) << e.what();
  }
  torch::nn::Linear other(4, 2);
  torch::save(other, (dir.path() / "other.pt").string());
  EXPECT_THROW(measure_model(dir.path() / "other.pt", none, none), std::runtime_error);
}

// The requirements graded from a measurement that agrees with good_metrics().
std::vector<std::string> model_failures(const json& metrics, const MeasuredModel& measured) {
  std::vector<std::string> failed;
  for (const GradeCheck& check : grade_model(metrics, measured, 0.87)) {
    if (!check.passed) failed.push_back(check.requirement + ": " + check.detail);
  }
  return failed;
}

TEST(GradeModel, AnHonestRunPassesAndEachMistakeFailsItsRequirement) {
  const MeasuredModel honest{/*val_loss=*/0.38, /*test_accuracy=*/0.885, /*test_loss=*/0.33,
                             /*test_examples=*/10000};
  EXPECT_EQ(model_failures(good_metrics(), honest), std::vector<std::string>{});

  // The last epoch's weights were saved, not the best one's (epoch 8: 0.45).
  MeasuredModel last = honest;
  last.val_loss = 0.45;
  const auto not_restored = model_failures(good_metrics(), last);
  ASSERT_EQ(not_restored.size(), 1u);
  EXPECT_NE(not_restored[0].find("best epoch's weights"), std::string::npos) << not_restored[0];
  EXPECT_NE(not_restored[0].find("hints 5 and 6"), std::string::npos) << not_restored[0];

  // evaluate() inflates the accuracy: the metrics say 0.95, the predictions give 0.885.
  json inflated = good_metrics();
  inflated["evaluate_test_accuracy"] = 0.95;
  inflated["test_accuracy"] = 0.95;
  const auto caught = model_failures(inflated, honest);
  ASSERT_EQ(caught.size(), 1u);
  EXPECT_NE(caught[0].find("evaluate() reported 0.9500, the predictions give 0.8850"),
            std::string::npos)
      << caught[0];

  // Rounding is not a disagreement: half an example either way passes.
  json rounded = good_metrics();
  rounded["evaluate_test_accuracy"] = 0.885 + 0.4 / 10000;
  EXPECT_EQ(model_failures(rounded, honest), std::vector<std::string>{});

  // Below the bar, counted by the grade, whatever the metrics claim.
  MeasuredModel weak = honest;
  weak.test_accuracy = 0.869;
  json claims = good_metrics();
  claims["evaluate_test_accuracy"] = 0.869;
  const auto below = model_failures(claims, weak);
  ASSERT_EQ(below.size(), 1u);
  EXPECT_NE(below[0].find("test accuracy >= 0.87"), std::string::npos) << below[0];
}

// ----------------------------------------------------------------------------------- report

TEST(Report, ConfusionMatrixCountsTrueClassByPredictedClass) {
  const torch::Tensor labels = torch::tensor({0, 0, 1, 2, 2, 2}, torch::kLong);
  const torch::Tensor predictions = torch::tensor({0, 1, 1, 2, 2, 0}, torch::kLong);
  const torch::Tensor matrix = confusion_matrix(predictions, labels, 3);
  EXPECT_TRUE(torch::equal(matrix, torch::tensor({1, 1, 0, 0, 1, 0, 1, 0, 2}).view({3, 3})));
  const auto accuracy = per_class_accuracy(matrix);
  EXPECT_DOUBLE_EQ(accuracy[0], 0.5);
  EXPECT_DOUBLE_EQ(accuracy[1], 1.0);
  EXPECT_DOUBLE_EQ(accuracy[2], 2.0 / 3.0);
}

TEST(Report, TableAndSvgNameEveryClass) {
  const torch::Tensor labels = torch::arange(10).repeat(3);
  const torch::Tensor matrix = confusion_matrix(labels, labels);
  const std::string table = confusion_table(matrix, course::class_names());
  const std::vector<EpochRecord> history = {{1, 0.6, 0.5, 0.8, 1.0, true},
                                            {2, 0.4, std::nan(""), 0.85, 1.0, false}};
  const std::string svg = training_report_svg(history, 1, matrix, course::class_names(), 0.9);
  for (std::string_view name : course::class_names()) {
    EXPECT_NE(table.find(name), std::string::npos) << name;
    EXPECT_NE(svg.find(name), std::string::npos) << name;
  }
  EXPECT_NE(table.find("1.000"), std::string::npos);  // every class right
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);  // a missing value is a gap, not a number
}

// The layout of the report's picture, read back from the SVG: every text's box (estimated at
// 0.6 em a character, a generous average for sans-serif, and one em high) lies inside the
// canvas, no two upright texts overlap, and no legend covers a plotted point.
struct Box {
  double left, top, right, bottom;
  bool overlaps(const Box& o) const {
    return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
  }
  bool contains(double x, double y) const {
    return left <= x && x <= right && top <= y && y <= bottom;
  }
};

double attribute(const std::string& element, const std::string& name, double otherwise) {
  std::smatch match;
  const std::regex pattern("\\b" + name + "=\"([-0-9.]+)\"");
  return std::regex_search(element, match, pattern) ? std::stod(match[1].str()) : otherwise;
}

struct Text {
  std::string content;
  Box box;
  bool rotated;
};

std::vector<Text> texts_of(const std::string& svg) {
  std::vector<Text> texts;
  static const std::regex text_element(R"(<text([^>]*)>([^<]*)</text>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text_element);
       it != std::sregex_iterator(); ++it) {
    const std::string attributes = (*it)[1].str(), content = (*it)[2].str();
    const double x = attribute(attributes, "x", 0), y = attribute(attributes, "y", 0);
    const double size = attribute(attributes, "font-size", 16);
    const double width = 0.6 * size * static_cast<double>(content.size());
    const bool rotated = attributes.find("rotate(") != std::string::npos;
    double left = x;
    if (attributes.find("text-anchor=\"middle\"") != std::string::npos) left = x - width / 2;
    if (attributes.find("text-anchor=\"end\"") != std::string::npos) left = x - width;
    Box box{left, y - size, left + width, y + 0.25 * size};
    if (rotated) {  // rotate(-45) about its end: it runs down and to the left from (x, y)
      const double run = width * std::sqrt(0.5);
      box = Box{x - run - size, y - size, x, y + run + size};
    }
    texts.push_back({content, box, rotated});
  }
  return texts;
}

TEST(Report, NothingInThePictureIsCutOrCoveredByALegend) {
  // A realistic history: 30 epochs whose validation accuracy climbs to the top right corner of
  // its panel, where a legend inside the panel would sit on the curve.
  std::vector<EpochRecord> history;
  for (int64_t epoch = 1; epoch <= 30; ++epoch) {
    const double t = static_cast<double>(epoch) / 30.0;
    history.push_back(
        {epoch, 0.9 - 0.6 * t, 0.8 - 0.45 * t, 0.70 + 0.19 * std::sqrt(t), 1.0, true});
  }
  const torch::Tensor labels = torch::arange(10).repeat(100);
  const torch::Tensor matrix = confusion_matrix((labels * 7) % 10, labels);
  const std::string svg = training_report_svg(history, 25, matrix, course::class_names(), 0.8876);
  const double width = attribute(svg.substr(0, svg.find('>')), "width", 0);
  const double height = attribute(svg.substr(0, svg.find('>')), "height", 0);
  ASSERT_GT(width, 0);
  ASSERT_GT(height, 0);

  const std::vector<Text> texts = texts_of(svg);
  ASSERT_GT(texts.size(), 100u);
  for (const Text& text : texts) {
    EXPECT_TRUE(text.box.left >= 0 && text.box.top >= 0 && text.box.right <= width &&
                text.box.bottom <= height)
        << "\"" << text.content << "\" reaches (" << text.box.left << ", " << text.box.top << ")-("
        << text.box.right << ", " << text.box.bottom << "), outside the " << width << "x" << height
        << " canvas";
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = i + 1; j < texts.size(); ++j) {
      if (texts[i].rotated || texts[j].rotated) continue;
      EXPECT_FALSE(texts[i].box.overlaps(texts[j].box))
          << "\"" << texts[i].content << "\" and \"" << texts[j].content << "\" overlap";
    }
  }

  // Every point drawn (a circle at each vertex of the polylines).
  std::vector<std::pair<double, double>> points;
  static const std::regex circle(R"re(<circle cx="([-0-9.]+)" cy="([-0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), circle); it != std::sregex_iterator();
       ++it) {
    points.emplace_back(std::stod((*it)[1].str()), std::stod((*it)[2].str()));
  }
  ASSERT_EQ(points.size(), 90u);  // three series of 30 epochs
  static const std::regex legend(R"(<g class="legend">(.*?)</g>)");
  size_t legends = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), legend); it != std::sregex_iterator();
       ++it, ++legends) {
    const std::string entry = (*it)[1].str();
    const std::vector<Text> label = texts_of(entry);
    ASSERT_EQ(label.size(), 1u) << entry;
    const Box box{attribute(entry, "x1", 0) - 3, label[0].box.top - 3, label[0].box.right + 3,
                  label[0].box.bottom + 3};
    for (const auto& [x, y] : points) {
      EXPECT_FALSE(box.contains(x, y)) << "the legend \"" << label[0].content
                                       << "\" covers the point (" << x << ", " << y << ")";
    }
  }
  EXPECT_EQ(legends, 3u);  // train loss, validation loss, validation accuracy
}

// ------------------------------------------------------------------------------------ flags

// Parses `arguments` (after the program name) like main() does; returns the exit status.
int parse(std::vector<std::string> arguments, Options& options) {
  CLI::App app{"test", "homework"};
  add_options(app, options);
  arguments.insert(arguments.begin(), "homework");
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  ::testing::internal::CaptureStderr();
  const int status = course::run_main(app, static_cast<int>(argv.size()), argv.data(), [&] {
    check_paths(options);
    return 0;
  });
  const std::string err = ::testing::internal::GetCapturedStderr();
  if (status != 0) {
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_EQ(err.rfind("homework: error: ", 0), 0u) << err;
  }
  return status;
}

TEST(Flags, DefaultsAreTheHomeworkSettings) {
  Options options;
  EXPECT_EQ(parse({}, options), 0);
  EXPECT_EQ(options.batch_size, 32);
  EXPECT_DOUBLE_EQ(options.lr, 1e-3);
  EXPECT_EQ(options.patience, 5);
  EXPECT_EQ(options.val_size, 5000);
  EXPECT_EQ(options.common.seed, 42u);
  EXPECT_EQ(options.common.threads, course::kDefaultThreads);
}

TEST(Flags, BadValuesAreUsageErrorsWithOneLine) {
  TempDir dir;
  const std::string missing_dir = (dir.path() / "nope" / "m.json").string();
  for (const auto& arguments : std::vector<std::vector<std::string>>{
           {"--batch-size", "0"},
           {"--batch-size", "-1"},
           {"--lr", "0"},
           {"--lr", "nan"},
           {"--lr", "inf"},
           {"--lr", "-0.001"},
           {"--lr", "fast"},
           {"--patience", "-1"},
           {"--max-epochs", "0"},
           {"--val-size", "0"},
           {"--val-size", "60000"},
           {"--resume"},
           {"--metrics", missing_dir},
           {"--checkpoint", missing_dir},
           {"--plot", dir.path().string()},
           {"--checkpoint", (dir.path() / "absent.pt").string(), "--resume"},
           {"--metrics", (dir.path() / "same").string(), "--checkpoint",
            (dir.path() / "same").string()}}) {
    Options options;
    EXPECT_EQ(parse(arguments, options), 2) << arguments[0] << " " << arguments.back();
  }
}

TEST(Flags, GoodValuesParse) {
  TempDir dir;
  Options options;
  EXPECT_EQ(parse({"--batch-size", "128", "--lr", "3e-4", "--patience", "0", "--max-epochs", "3",
                   "--val-size", "100", "--metrics", (dir.path() / "m.json").string(), "--quiet"},
                  options),
            0);
  EXPECT_EQ(options.batch_size, 128);
  EXPECT_DOUBLE_EQ(options.lr, 3e-4);
  EXPECT_EQ(options.patience, 0);
  EXPECT_TRUE(options.quiet);
}

}  // namespace
}  // namespace homework::harness
