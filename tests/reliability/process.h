// Runs a program of the course as a child process, the way a student's shell would, and says how
// it ended: exit status or the signal that killed it, and what it wrote on stdout and stderr.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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

namespace course::testing {

struct ProcessResult {
  bool exited = false;  // ended through exit(): false if a signal killed it
  int exit_code = -1;   // when `exited`
  int signal = 0;       // when killed by a signal (SIGSEGV, SIGABRT, ...)
  bool core_dumped = false;
  bool timed_out = false;  // still running after the time limit: we killed it
  std::string out, err;
};

// A child process with stdout and stderr going to files in `log_dir`.
class Process {
 public:
  // `environment`: NAME=VALUE entries set in the child on top of ours ("NAME=" empties it).
  Process(const std::vector<std::string>& command, const std::filesystem::path& working_dir,
          const std::filesystem::path& log_dir,
          const std::vector<std::pair<std::string, std::string>>& environment = {})
      : out_path_(log_dir / "stdout.txt"), err_path_(log_dir / "stderr.txt") {
    std::vector<char*> argv;
    for (const std::string& argument : command) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    // The child's environment, built before fork(): after it only async-signal-safe calls.
    std::vector<std::string> entries;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      bool replaced = false;
      for (const auto& change : environment) replaced |= text.rfind(change.first + "=", 0) == 0;
      if (!replaced) entries.push_back(text);
    }
    for (const auto& [name, value] : environment) entries.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : entries) envp.push_back(entry.data());
    envp.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {  // the child: only async-signal-safe calls until exec
      const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
          ::dup2(err, 2) < 0 || ::chdir(working_dir.c_str()) != 0) {
        ::_exit(127);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  void send(int signal) const { ::kill(pid_, signal); }

  // Waits at most `limit`, then kills the child; returns how it ended.
  ProcessResult wait(std::chrono::seconds limit) {
    ProcessResult result;
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        result.timed_out = true;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    reaped_ = true;
    result.exited = WIFEXITED(status);
    if (result.exited) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) {
      result.signal = WTERMSIG(status);
      result.core_dumped = WCOREDUMP(status);
    }
    result.out = read_all(out_path_);
    result.err = read_all(err_path_);
    return result;
  }

 private:
  static std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  std::filesystem::path out_path_, err_path_;
  pid_t pid_ = -1;
  bool reaped_ = false;
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
