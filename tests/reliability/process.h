// Runs a program of the course as a child process, the way a student's shell would, and says how
// it ended: exit status or the signal that killed it, and what it wrote on stdout and stderr.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/process.h"

namespace course::testing {

struct ProcessResult {
  bool exited = false;  // ended through exit(): false if a signal killed it
  int exit_code = -1;   // when `exited`
  int signal = 0;       // when killed by a signal (SIGSEGV, SIGABRT, ...)
  bool core_dumped = false;
  bool timed_out = false;  // still running after the time limit: we killed it
  std::string out, err;
};

// A child process with stdout and stderr going to files in `log_dir` (common/process.h's
// ChildProcess, the course's one way of starting a program).
class Process {
 public:
  // `environment`: NAME=VALUE entries set in the child on top of ours ("NAME=" empties it).
  Process(const std::vector<std::string>& command, const std::filesystem::path& working_dir,
          const std::filesystem::path& log_dir,
          const std::vector<std::pair<std::string, std::string>>& environment = {})
      : out_path_(log_dir / "stdout.txt"),
        err_path_(log_dir / "stderr.txt"),
        child_(command, spawn_options(working_dir, environment, out_path_, err_path_)) {}

  pid_t pid() const { return child_.pid(); }
  void send(int signal) const { child_.send(signal); }

  // Waits at most `limit`, then kills the child; returns how it ended.
  ProcessResult wait(std::chrono::seconds limit) {
    ProcessResult result;
    std::optional<int> status = child_.wait(static_cast<double>(limit.count()));
    if (!status) {
      result.timed_out = true;
      child_.send(SIGKILL);
      status = child_.wait();
    }
    result.exited = WIFEXITED(*status);
    if (result.exited) result.exit_code = WEXITSTATUS(*status);
    if (WIFSIGNALED(*status)) {
      result.signal = WTERMSIG(*status);
      result.core_dumped = WCOREDUMP(*status);
    }
    result.out = read_all(out_path_);
    result.err = read_all(err_path_);
    return result;
  }

 private:
  static course::SpawnOptions spawn_options(
      const std::filesystem::path& working_dir,
      const std::vector<std::pair<std::string, std::string>>& environment,
      const std::filesystem::path& out, const std::filesystem::path& err) {
    course::SpawnOptions options;
    options.working_directory = working_dir;
    options.environment = environment;
    options.stdout_file = out;
    options.stderr_file = err;
    options.null_stdin = true;
    return options;
  }
  static std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::filesystem::path out_path_, err_path_;
  course::ChildProcess child_;
};

// Runs `command` to its end (or `limit`).
inline ProcessResult run_process(
    const std::vector<std::string>& command, const std::filesystem::path& working_dir,
    const std::filesystem::path& log_dir, std::chrono::seconds limit,
    const std::vector<std::pair<std::string, std::string>>& environment = {}) {
  Process process(command, working_dir, log_dir, environment);
  return process.wait(limit);
}

}  // namespace course::testing
