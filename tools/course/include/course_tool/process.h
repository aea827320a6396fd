// Running the tools a student already has (cmake, the build tool, test binaries, git) as child
// processes: with or without capturing their output, with a time limit.
//
// The one rule about shells: a program is started from an argv (a vector of arguments), never
// from a line a shell would split. The single exception is a command line that CMake or Ninja
// recorded as a shell command line (a compile command in compile_commands.json, a link command
// from `ninja -t commands`): those, and only those, go through shell_command() below, the one
// place in the course's tools that names /bin/sh.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace course::tool {

// Seconds from `start` until now.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Resource limits set in the child before it starts (setrlimit; 0: not set). They bind the
// child and everything it starts.
struct ProcessLimits {
  double cpu_seconds = 0;   // RLIMIT_CPU: SIGXCPU, then SIGKILL
  size_t memory_bytes = 0;  // RLIMIT_AS: allocations fail past it
  size_t processes = 0;     // RLIMIT_NPROC (threads count): fork fails past it (not for root)
  size_t file_bytes = 0;    // RLIMIT_FSIZE: SIGXFSZ past it
};

struct ProcessOptions {
  std::filesystem::path working_directory;  // empty: the current one
  bool capture_output = true;  // true: stdout and stderr together into ProcessResult::output
  double timeout_seconds = 0;  // 0: no limit; else the whole process group is killed after it
  std::vector<std::pair<std::string, std::string>> environment;  // added to the current one
  // Called with each piece of captured output as it arrives (e.g. to show build progress).
  std::function<void(const std::string&)> on_output;
  // With capture_output: past this many bytes of output the whole process group is killed
  // (ProcessResult::output_limited). 0: no limit.
  size_t max_output_bytes = 0;
  ProcessLimits limits;
};

struct ProcessResult {
  bool started = false;         // false: the program could not be run at all (see `error`)
  std::string error;            // why it did not start
  int exit_code = -1;           // when it exited normally
  int signal = 0;               // when a signal ended it (e.g. 11 for a segmentation fault)
  bool timed_out = false;       // it ran past the limit and was killed
  bool output_limited = false;  // it printed more than max_output_bytes and was killed
  std::string output;           // what it printed, when captured

  bool succeeded() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  // "exit status 1", "killed by signal 11 (Segmentation fault)", "timed out after 300 s",
  // "printed more than 8 MiB", ...
  std::string describe(double timeout_seconds = 0) const;
};

// Runs `arguments[0]` (looked up on PATH when it has no '/') with the rest as its arguments.
ProcessResult run_process(const std::vector<std::string>& arguments,
                          const ProcessOptions& options = {});

// The argv that runs `command_line`, a command line CMake or Ninja recorded for a shell (a
// compile or a link command), through /bin/sh -c: for run_process, or for run_sandboxed.
std::vector<std::string> shell_command(const std::string& command_line);

// The full path of `program` on PATH (or `program` itself when it contains a '/' and is
// executable); nothing when it cannot be found.
std::optional<std::filesystem::path> find_program(const std::string& program);

// True when both stdin and stdout are terminals (a person is typing and reading).
bool interactive_terminal();

}  // namespace course::tool
