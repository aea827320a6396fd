// Starting other programs: the one process library of the course. The runner and the
// instructors' tools (cmake, the build tool, test binaries, git), the homework's launcher (its
// workers) and grade (the training run), and the tests that start programs all start them here:
//   - run_process(): runs a program to its end, its output captured or not, with a time limit,
//     an output limit and resource limits;
//   - ChildProcess: starts a program that runs beside its starter (the homework's workers, a
//     training a test interrupts), its output to files or to ours, waited for later.
//
// The one rule about shells: a program is started from an argv (a vector of arguments), never
// from a line a shell would split. The single exception is a command line that CMake or Ninja
// recorded as a shell command line (a compile command in compile_commands.json, a link command
// from `ninja -t commands`): those, and only those, go through shell_command() below, the one
// place in the course that names /bin/sh. (A program that replaces itself with exec, as the
// runner's `course run` and the OpenBLAS re-exec in runtime.cpp do, starts no process.)
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace course {

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

// How a ChildProcess starts.
struct SpawnOptions {
  std::filesystem::path working_directory;  // empty: the current one
  // The child's environment: ours with these added or replaced, or (with `replace_environment`)
  // exactly these.
  std::vector<std::pair<std::string, std::string>> environment;
  bool replace_environment = false;
  std::filesystem::path stdout_file;  // empty: ours; else created (truncated) for it
  std::filesystem::path stderr_file;  // empty: ours
  bool null_stdin = false;            // stdin from /dev/null instead of ours
  int death_signal = 0;               // sent to the child when its starter dies (0: none)
};

// A program started and left running: signal it, wait for it (with a time limit or not).
class ChildProcess {
 public:
  // Starts `arguments[0]` (looked up on PATH when it has no '/'). Throws std::runtime_error naming
  // the program when it cannot start (not found, not executable, fork failed).
  explicit ChildProcess(const std::vector<std::string>& arguments, const SpawnOptions& options = {});
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();  // a child still running is killed (SIGKILL) and waited for

  int pid() const { return pid_; }
  // Sends `signal_number` to the child, unless it was waited for already.
  void send(int signal_number) const;
  // Waits for the child to end and returns its wait status (WIFEXITED, WEXITSTATUS...); with
  // `timeout_seconds` > 0, nothing when it is still running after that long.
  std::optional<int> wait(double timeout_seconds = 0);
  // Another wait (waitpid(-1), as the homework's launcher does for several children) reaped it.
  void reaped_elsewhere(int status);

 private:
  int pid_ = -1;
  bool waited_ = false;
  int status_ = 0;
};

}  // namespace course
