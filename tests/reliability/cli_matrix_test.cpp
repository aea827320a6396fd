// The bad-input matrix: every executable of the course against the mistakes students make
// (typos, wrong paths, half-downloaded files, impossible values). One ctest test per row
// (CliMatrix.<program>_<what>); each asserts that the program
//   - ends through exit() with the row's status (2 for a usage error, 1 for any other), never a
//     signal (no segfault, no abort, no core dump) and never a hang;
//   - writes exactly one line on stderr, "<program>: error: ...", naming the problem;
//   - leaves no file behind: its working directory holds exactly what it held before (no
//     partial metrics, checkpoint or temporary file), and the inputs are unchanged.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "process.h"

namespace course {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

// The programs, from the same build (paths given by CMake).
const std::map<std::string, std::string>& programs() {
  static const std::map<std::string, std::string> paths = {
      {"ex01_tensors", EX01_TENSORS},
      {"ex02_autograd", EX02_AUTOGRAD},
      {"ex03_mlp", EX03_MLP},
      {"ex04_training_loop", EX04_TRAINING_LOOP},
      {"ex05_dataloader", EX05_DATALOADER},
      {"ex06_torchscript", EX06_TORCHSCRIPT},
      {"homework", HOMEWORK},
      {"course", COURSE},
      {"data_info", DATA_INFO}};
  return paths;
}

// One row of the matrix. In `arguments` and `inputs`, {work} is the row's own (empty) working
// directory, {fixtures} the shared bad data sets, {readonly} a directory nobody may write in.
struct Row {
  std::string name;  // "<program>_<what>", the test's name
  std::string program;
  std::vector<std::string> arguments;
  int exit_code;                                   // 2: usage error, 1: anything else
  std::vector<std::string> mentions;               // each must appear in the error line
  std::map<std::string, std::string> inputs = {};  // files put in {work} first, left unchanged
};

const std::vector<std::string> kCommonFlagPrograms = {
    "ex01_tensors",     "ex02_autograd", "ex03_mlp", "ex04_training_loop", "ex05_dataloader",
    "ex06_torchscript", "homework",      "data_info"};
const std::vector<std::string> kDataPrograms = {"ex04_training_loop", "ex05_dataloader",
                                                "ex06_torchscript", "homework", "data_info"};

std::vector<Row> matrix() {
  std::vector<Row> rows;
  // The flags every binary shares (course::add_common_options).
  for (const std::string& p : kCommonFlagPrograms) {
    rows.push_back({p + "_unknown_flag", p, {"--frobnicate"}, 2, {"--frobnicate"}});
    rows.push_back({p + "_flag_without_value", p, {"--seed"}, 2, {"--seed"}});
    rows.push_back({p + "_seed_not_a_number", p, {"--seed", "abc"}, 2, {"--seed", "abc"}});
    rows.push_back({p + "_device_tpu", p, {"--device", "tpu"}, 2, {"--device", "tpu"}});
    // CUDA_VISIBLE_DEVICES is emptied for every row: no CUDA even where there is a GPU.
    rows.push_back({p + "_device_cuda_without_cuda", p, {"--device", "cuda"}, 1, {"cuda"}});
    rows.push_back({p + "_threads_zero", p, {"--threads", "0"}, 2, {"--threads", "0"}});
    rows.push_back({p + "_threads_negative", p, {"--threads", "-2"}, 2, {"--threads"}});
  }
  // The data set: a wrong path, a file missing, a truncated download, a web page saved as .gz.
  // The homework is given its output files too: none may appear when the data is bad.
  for (const std::string& p : kDataPrograms) {
    auto with_data_dir = [&](const std::string& dir) {
      std::vector<std::string> arguments = {"--data-dir", dir};
      if (p == "homework") {
        arguments.insert(arguments.end(),
                         {"--metrics", "{work}/m.json", "--checkpoint", "{work}/best.pt", "--plot",
                          "{work}/r.svg", "--model", "{work}/model.pt"});
      }
      return arguments;
    };
    rows.push_back({p + "_data_dir_does_not_exist",
                    p,
                    with_data_dir("{work}/no-such-dir"),
                    1,
                    {"no-such-dir", "--data-dir"}});
    rows.push_back({p + "_data_dir_missing_a_file",
                    p,
                    with_data_dir("{fixtures}/missing-file"),
                    1,
                    {"missing-file", "t10k-labels-idx1-ubyte"}});
    rows.push_back({p + "_data_file_truncated",
                    p,
                    with_data_dir("{fixtures}/truncated"),
                    1,
                    {"t10k-images-idx3-ubyte.gz", "truncated"}});
    rows.push_back({p + "_data_file_not_gzip_or_idx",
                    p,
                    with_data_dir("{fixtures}/html"),
                    1,
                    {"t10k-labels-idx1-ubyte.gz", "magic number"}});
  }
  // Exercise 06's model folder: without the model Python exported, one line that says how.
  rows.push_back({"ex06_torchscript_model_dir_without_a_model",
                  "ex06_torchscript",
                  {"--model-dir", "{work}/no-model"},
                  1,
                  {"expected.json", "--model-dir"}});
  // Exercise 04's own flag.
  for (const char* value : {"0", "-3", "x"}) {
    rows.push_back({std::string("ex04_training_loop_batch_size_") + (value[0] == '-'   ? "negative"
                                                                     : value[0] == '0' ? "zero"
                                                                                       : "text"),
                    "ex04_training_loop",
                    {"--batch-size", value},
                    2,
                    {"--batch-size"}});
  }
  // The homework's flags and output files.
  const std::string hw = "homework";
  const std::vector<std::pair<std::string, std::vector<std::string>>> homework_usage = {
      {"batch_size_zero", {"--batch-size", "0"}},
      {"batch_size_negative", {"--batch-size", "-32"}},
      {"lr_zero", {"--lr", "0"}},
      {"lr_nan", {"--lr", "nan"}},
      {"lr_negative", {"--lr", "-0.001"}},
      {"lr_infinite", {"--lr", "inf"}},
      {"lr_text", {"--lr", "fast"}},
      {"patience_negative", {"--patience", "-1"}},
      {"max_epochs_zero", {"--max-epochs", "0"}},
      {"val_size_zero", {"--val-size", "0"}},
      {"val_size_whole_training_set", {"--val-size", "60000"}},
  };
  for (const auto& [what, arguments] : homework_usage) {
    rows.push_back({hw + "_" + what, hw, arguments, 2, {arguments[0]}});
  }
  rows.push_back({hw + "_model_in_missing_dir",
                  hw,
                  {"--model", "{work}/no-dir/model.pt"},
                  2,
                  {"--model", "no-dir", "does not exist"}});
  rows.push_back({hw + "_metrics_in_missing_dir",
                  hw,
                  {"--metrics", "{work}/no-dir/m.json"},
                  2,
                  {"--metrics", "no-dir", "does not exist"}});
  rows.push_back({hw + "_metrics_in_readonly_dir",
                  hw,
                  {"--metrics", "{readonly}/m.json"},
                  2,
                  {"--metrics", "cannot create"}});
  rows.push_back({hw + "_metrics_is_a_directory",
                  hw,
                  {"--metrics", "{work}"},
                  2,
                  {"--metrics", "is a directory"}});
  rows.push_back({hw + "_checkpoint_in_missing_dir",
                  hw,
                  {"--checkpoint", "{work}/no-dir/best.pt"},
                  2,
                  {"--checkpoint", "no-dir"}});
  rows.push_back({hw + "_checkpoint_in_readonly_dir",
                  hw,
                  {"--checkpoint", "{readonly}/best.pt"},
                  2,
                  {"--checkpoint", "cannot create"}});
  rows.push_back({hw + "_plot_in_missing_dir",
                  hw,
                  {"--plot", "{work}/no-dir/r.svg"},
                  2,
                  {"--plot", "no-dir"}});
  rows.push_back({hw + "_metrics_and_checkpoint_same_file",
                  hw,
                  {"--metrics", "{work}/out", "--checkpoint", "{work}/out"},
                  2,
                  {"--metrics", "--checkpoint", "same file"}});
  rows.push_back({hw + "_resume_without_checkpoint_flag", hw, {"--resume"}, 2, {"--resume"}});
  rows.push_back({hw + "_resume_from_missing_checkpoint",
                  hw,
                  {"--resume", "--checkpoint", "{work}/best.pt"},
                  2,
                  {"--resume", "best.pt", "does not exist"}});
  rows.push_back({hw + "_resume_from_corrupt_checkpoint",
                  hw,
                  {"--resume", "--checkpoint", "{work}/best.pt", "--metrics", "{work}/m.json"},
                  1,
                  {"best.pt"},
                  {{"best.pt", "not a checkpoint: a half-written download\n"}}});
  rows.push_back({hw + "_resume_from_empty_checkpoint",
                  hw,
                  {"--resume", "--checkpoint", "{work}/best.pt", "--metrics", "{work}/m.json"},
                  1,
                  {"best.pt"},
                  {{"best.pt", ""}}});
  // The runner.
  const std::string c = "course";
  rows.push_back({c + "_unknown_flag", c, {"--frobnicate", "list"}, 2, {"--frobnicate"}});
  rows.push_back({c + "_flag_without_value", c, {"--build-dir"}, 2, {"--build-dir"}});
  rows.push_back({c + "_unknown_command", c, {"frobnicate"}, 2, {"frobnicate"}});
  rows.push_back({c + "_run_without_name", c, {"run"}, 2, {"name"}});
  rows.push_back({c + "_hint_unknown_exercise", c, {"hint", "99_nothing"}, 1, {"99_nothing"}});
  rows.push_back({c + "_watch_interval_zero", c, {"watch", "--interval", "0"}, 2, {"--interval"}});
  rows.push_back(
      {c + "_hint_level_text", c, {"hint", "01_tensors", "--level", "x"}, 2, {"--level"}});
  return rows;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Every path under `dir`, sorted.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    paths.push_back(fs::relative(entry.path(), dir).string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The real data set: where course::locate_data_dir would find it.
fs::path real_data_dir() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("FASHION_MNIST_DIR"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  candidates.emplace_back(fs::path(COURSE_SOURCE_DIR) / "data" / "fashion-mnist");
  candidates.emplace_back("/usr/share/datasets/fashion-mnist");
  for (const fs::path& dir : candidates) {
    if (fs::exists(dir / "t10k-images-idx3-ubyte.gz")) return dir;
  }
  return {};
}

const char* const kDataFiles[] = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                  "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

// Every row is a test of its own, CliMatrix.<row name> (registered below), so ctest reports each.
class CliMatrix : public ::testing::Test {
 public:
  // The shared bad data sets, built once: each a copy of the real one with one thing wrong.
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("course-cli-matrix-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fixtures_ = root_ / "fixtures";
    const fs::path real = real_data_dir();
    if (real.empty()) return;  // each data row then fails with the reason (see TestBody)
    for (const char* set : {"missing-file", "truncated", "html"}) {
      fs::create_directories(fixtures_ / set);
      for (const char* file : kDataFiles) fs::create_symlink(real / file, fixtures_ / set / file);
    }
    fs::remove(fixtures_ / "missing-file" / "t10k-labels-idx1-ubyte.gz");
    // The first 64 KiB of the test images: an interrupted download.
    fs::remove(fixtures_ / "truncated" / "t10k-images-idx3-ubyte.gz");
    write_file(fixtures_ / "truncated" / "t10k-images-idx3-ubyte.gz",
               read_file(real / "t10k-images-idx3-ubyte.gz").substr(0, 64 * 1024));
    // What a download behind a captive portal saves.
    fs::remove(fixtures_ / "html" / "t10k-labels-idx1-ubyte.gz");
    write_file(fixtures_ / "html" / "t10k-labels-idx1-ubyte.gz",
               "<!DOCTYPE html>\n<html><body>Please log in to the network</body></html>\n");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  static fs::path root_, fixtures_;
};
fs::path CliMatrix::root_, CliMatrix::fixtures_;

// Runs one row: the program must fail with one line and leave nothing behind.
class CliMatrixRow : public CliMatrix {
 public:
  explicit CliMatrixRow(Row row) : row_(std::move(row)) {}
  void TestBody() override;

 private:
  Row row_;
};

void CliMatrixRow::TestBody() {
  const Row& row = row_;
  for (const std::string& argument : row.arguments) {
    if (argument.find("{fixtures}") != std::string::npos) {
      ASSERT_FALSE(real_data_dir().empty())
          << "the real Fashion-MNIST files are needed to build this row's bad copy; run "
             "scripts/install-deps.sh or data/download.sh";
    }
  }
  const fs::path base = root_ / row.name;
  const fs::path work = base / "work", logs = base / "logs";
  fs::create_directories(work);
  fs::create_directories(logs);
  // A directory no one may create files in. As root (CI containers) permissions do not stop
  // us, so use /proc, where even root cannot create files.
  fs::path readonly = base / "readonly";
  if (::geteuid() == 0) {
    readonly = "/proc";
  } else {
    fs::create_directories(readonly);
    fs::permissions(readonly, fs::perms::owner_read | fs::perms::owner_exec);
  }
  for (const auto& [name, contents] : row.inputs) write_file(work / name, contents);
  const std::vector<std::string> before = listing(work);

  std::vector<std::string> command = {programs().at(row.program)};
  for (std::string argument : row.arguments) {
    argument = replace_all(argument, "{work}", work.string());
    argument = replace_all(argument, "{fixtures}", fixtures_.string());
    argument = replace_all(argument, "{readonly}", readonly.string());
    command.push_back(argument);
  }
  // `course` finds the course from its working directory: run it inside the source tree.
  const fs::path cwd = row.program == "course" ? fs::path(COURSE_SOURCE_DIR) : work;
  const ProcessResult result = testing::run_process(
      command, cwd, logs, std::chrono::seconds(120),
      {{"CUDA_VISIBLE_DEVICES", ""}, {"NO_COLOR", "1"}, {"FASHION_MNIST_DIR", ""}});

  std::cout << "exit " << result.exit_code << ", stderr: " << result.err;  // for the log
  SCOPED_TRACE("stderr: " + result.err);
  EXPECT_FALSE(result.timed_out) << "still running after 120 s";
  EXPECT_TRUE(result.exited) << "killed by signal " << result.signal
                             << (result.core_dumped ? " (core dumped)" : "");
  EXPECT_EQ(result.exit_code, row.exit_code);

  // Exactly one line, naming the program and the problem.
  ASSERT_FALSE(result.err.empty()) << "nothing on stderr";
  EXPECT_EQ(result.err.back(), '\n');
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "not one line";
  EXPECT_EQ(result.err.rfind(row.program + ": error: ", 0), 0u) << "no '<program>: error:'";
  for (const std::string& mention : row.mentions) {
    EXPECT_NE(result.err.find(mention), std::string::npos) << "does not mention " << mention;
  }

  // Nothing left behind, nothing changed.
  EXPECT_EQ(listing(work), before);
  for (const auto& [name, contents] : row.inputs) EXPECT_EQ(read_file(work / name), contents);
  if (readonly != "/proc") fs::permissions(readonly, fs::perms::owner_all);
  fs::remove_all(base);
}

[[maybe_unused]] const bool registered = [] {
  for (const Row& row : matrix()) {
    ::testing::RegisterTest("CliMatrix", row.name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [row]() -> CliMatrix* { return new CliMatrixRow(row); });
  }
  return true;
}();

}  // namespace
}  // namespace course
