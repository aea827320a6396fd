#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "common/language.h"

extern char** environ;

namespace course {
namespace fs = std::filesystem;

std::string ProcessResult::describe(double timeout_seconds) const {
  if (!started) return trf("could not start: {}", error);
  if (output_limited) return std::string(tr("printed too much (output limit)"));
  if (timed_out) return trf("timed out after {:.0f} s", timeout_seconds);
  if (signal != 0) return trf("killed by signal {} ({})", signal, ::strsignal(signal));
  return trf("exit status {}", exit_code);
}

std::optional<fs::path> find_program(const std::string& program) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos) {
    if (::access(program.c_str(), X_OK) == 0) return fs::path(program);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string directories = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= directories.size()) {
    size_t end = directories.find(':', start);
    if (end == std::string::npos) end = directories.size();
    std::string directory = directories.substr(start, end - start);
    if (directory.empty()) directory = ".";
    fs::path candidate = fs::path(directory) / program;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::vector<std::string> shell_command(const std::string& command_line) {
  return {"/bin/sh", "-c", command_line};
}

bool interactive_terminal() {
  return ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
}

namespace {

using Clock = std::chrono::steady_clock;

// Our environment with `overrides` replacing (or adding) their variables, as execve wants it.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> strings;
  for (char** entry = environ; *entry; ++entry) {
    std::string item = *entry;
    bool replaced = false;
    for (const auto& [key, value] : overrides) {
      if (item.compare(0, key.size() + 1, key + "=") == 0) replaced = true;
    }
    if (!replaced) strings.push_back(item);
  }
  for (const auto& [key, value] : overrides) strings.push_back(key + "=" + value);
  return strings;
}

// In the child, between fork and exec: async-signal-safe calls only. An error before exec
// travels through `exec_pipe` as errno.
void set_limit(int resource, double value) {
  if (value <= 0) return;
  const auto limit = static_cast<rlim_t>(value);
  // The soft limit first: for CPU time that sends SIGXCPU a second before the hard SIGKILL.
  rlimit both{limit, resource == RLIMIT_CPU ? limit + 1 : limit};
  ::setrlimit(resource, &both);
}

[[noreturn]] void become_child(const std::string& program, char* const* argv, char* const* envp,
                               const std::string& directory, bool own_group, int output_pipe[2],
                               const ProcessOptions& options, int exec_pipe[2]) {
  const bool capture_output = options.capture_output;
  if (own_group) ::setpgid(0, 0);
  set_limit(RLIMIT_CPU, options.limits.cpu_seconds);
  set_limit(RLIMIT_AS, static_cast<double>(options.limits.memory_bytes));
  set_limit(RLIMIT_NPROC, static_cast<double>(options.limits.processes));
  set_limit(RLIMIT_FSIZE, static_cast<double>(options.limits.file_bytes));
  // Out of our process group, Ctrl-C would not reach it: it dies with us instead.
  if (own_group) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (capture_output) {
    ::dup2(output_pipe[1], STDOUT_FILENO);
    ::dup2(output_pipe[1], STDERR_FILENO);
    ::close(output_pipe[0]);
    ::close(output_pipe[1]);
    int null_input = ::open("/dev/null", O_RDONLY);
    if (null_input >= 0) ::dup2(null_input, STDIN_FILENO);
  }
  ::close(exec_pipe[0]);
  if (directory.empty() || ::chdir(directory.c_str()) == 0) ::execve(program.c_str(), argv, envp);
  int error = errno;
  [[maybe_unused]] auto written = ::write(exec_pipe[1], &error, sizeof error);
  ::_exit(127);
}

// Reads the child's output until it closes the pipe; past the deadline, `kill` stops the child
// and reading ends once nothing more comes (a grandchild may still hold the pipe).
void read_output(int fd, const ProcessOptions& options, Clock::time_point deadline,
                 ProcessResult& result, const std::function<void()>& kill) {
  char buffer[65536];
  bool open = true;
  while (open) {
    int wait_ms = -1;
    if (options.timeout_seconds > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0 && !result.timed_out) kill();
      wait_ms = result.timed_out ? 1000 : static_cast<int>(std::min<long>(left.count(), 1000));
    }
    if (result.output_limited) wait_ms = 1000;
    pollfd descriptor{fd, POLLIN, 0};
    int ready = ::poll(&descriptor, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready > 0) {
      ssize_t count = ::read(fd, buffer, sizeof buffer);
      if (count > 0 && result.output_limited) {
        // killed for printing too much: what is still in the pipe is dropped
      } else if (count > 0) {
        result.output.append(buffer, static_cast<size_t>(count));
        if (options.max_output_bytes > 0 && result.output.size() > options.max_output_bytes) {
          result.output.resize(options.max_output_bytes);
          result.output += "\n[... output cut: the limit is reached ...]\n";
          kill();
          result.timed_out = false;
          result.output_limited = true;
          continue;
        }
        if (options.on_output) options.on_output(std::string(buffer, static_cast<size_t>(count)));
      } else if (count == 0 || errno != EINTR) {
        open = false;
      }
    } else if (ready == 0 && (result.timed_out || result.output_limited)) {
      open = false;
    }
  }
  ::close(fd);
}

// Waits for the child (killing it at the deadline, when there is one); returns its status.
int reap(pid_t pid, const ProcessOptions& options, Clock::time_point deadline,
         const ProcessResult& result, const std::function<void()>& kill) {
  int status = 0;
  while (true) {
    if (options.timeout_seconds > 0 && !result.timed_out) {
      if (::waitpid(pid, &status, WNOHANG) == pid) return status;
      if (Clock::now() >= deadline) {
        kill();
      } else {
        ::usleep(20000);
      }
      continue;
    }
    if (::waitpid(pid, &status, 0) == pid) return status;
    if (errno != EINTR) return status;
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& arguments,
                          const ProcessOptions& options) {
  ProcessResult result;
  if (arguments.empty()) {
    result.error = "no program given";
    return result;
  }
  auto program = find_program(arguments[0]);
  if (!program) {
    result.error = trf("'{}' not found", arguments[0]);
    return result;
  }
  int output_pipe[2] = {-1, -1};
  if (options.capture_output && ::pipe(output_pipe) != 0) {
    result.error = fmt::format("pipe: {}", std::strerror(errno));
    return result;
  }
  // A pipe that reports exec failures: closed on a successful exec (O_CLOEXEC).
  int exec_pipe[2];
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    result.error = fmt::format("pipe: {}", std::strerror(errno));
    return result;
  }
  // Everything the child needs is prepared before fork: only async-signal-safe calls after.
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> environment = child_environment(options.environment);
  std::vector<char*> envp;
  for (auto& item : environment) envp.push_back(item.data());
  envp.push_back(nullptr);
  const std::string program_path = program->string();
  // With a time limit the child leads its own process group, so we can stop all it started.
  const bool own_group = options.timeout_seconds > 0 || options.max_output_bytes > 0;

  const pid_t pid = ::fork();
  if (pid < 0) {
    result.error = fmt::format("fork: {}", std::strerror(errno));
    return result;
  }
  if (pid == 0) {
    become_child(program_path, argv.data(), envp.data(), options.working_directory.string(),
                 own_group, output_pipe, options, exec_pipe);
  }
  ::close(exec_pipe[1]);
  if (options.capture_output) ::close(output_pipe[1]);
  int exec_error = 0;
  const ssize_t got = ::read(exec_pipe[0], &exec_error, sizeof exec_error);
  ::close(exec_pipe[0]);

  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(options.timeout_seconds * 1000));
  const auto kill = [&] {
    ::kill(own_group ? -pid : pid, SIGKILL);
    result.timed_out = true;
  };
  if (options.capture_output) read_output(output_pipe[0], options, deadline, result, kill);
  const int status = reap(pid, options, deadline, result, kill);

  if (got == static_cast<ssize_t>(sizeof exec_error) && exec_error != 0) {
    result.error = fmt::format("{}: {}", program_path, std::strerror(exec_error));
    return result;
  }
  result.started = true;
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.timed_out) result.signal = 0;
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& arguments, const SpawnOptions& options) {
  if (arguments.empty()) throw std::runtime_error("no program given");
  const auto program = find_program(arguments[0]);
  if (!program) throw std::runtime_error(trf("'{}' not found", arguments[0]));
  // Everything the child needs is prepared before fork: only async-signal-safe calls after.
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> environment;
  if (options.replace_environment) {
    for (const auto& [key, value] : options.environment) environment.push_back(key + "=" + value);
  } else {
    environment = child_environment(options.environment);
  }
  std::vector<char*> envp;
  for (auto& item : environment) envp.push_back(item.data());
  envp.push_back(nullptr);
  const std::string program_path = program->string();
  const std::string directory = options.working_directory.string();
  const std::string out_file = options.stdout_file.string();
  const std::string err_file = options.stderr_file.string();
  int exec_pipe[2];
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    const int error = errno;
    ::close(exec_pipe[0]);
    ::close(exec_pipe[1]);
    throw std::runtime_error(trf("cannot start {}: {}", program_path, std::strerror(error)));
  }
  if (pid_ == 0) {  // the child: async-signal-safe calls only, until exec
    if (options.death_signal != 0) {
      ::prctl(PR_SET_PDEATHSIG, options.death_signal);
      if (::getppid() != parent) ::_exit(1);  // the starter died before prctl
    }
    int error = 0;
    for (const auto& [file, target] : {std::pair{&out_file, STDOUT_FILENO},
                                       std::pair{&err_file, STDERR_FILENO}}) {
      if (file->empty()) continue;
      const int fd = ::open(file->c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || ::dup2(fd, target) < 0) error = errno;
      if (fd >= 0) ::close(fd);
    }
    if (options.null_stdin) {
      const int fd = ::open("/dev/null", O_RDONLY);
      if (fd < 0 || ::dup2(fd, STDIN_FILENO) < 0) error = errno;
      if (fd >= 0) ::close(fd);
    }
    ::close(exec_pipe[0]);
    if (error == 0 && (directory.empty() || ::chdir(directory.c_str()) == 0))
      ::execve(program_path.c_str(), argv.data(), envp.data());
    if (error == 0) error = errno;
    [[maybe_unused]] auto written = ::write(exec_pipe[1], &error, sizeof error);
    ::_exit(127);
  }
  ::close(exec_pipe[1]);
  int exec_error = 0;
  const ssize_t got = ::read(exec_pipe[0], &exec_error, sizeof exec_error);
  ::close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_error) && exec_error != 0) {
    wait();
    throw std::runtime_error(trf("cannot start {}: {}", program_path, std::strerror(exec_error)));
  }
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), waited_(other.waited_), status_(other.status_) {
  other.pid_ = -1;
  other.waited_ = true;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !waited_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

void ChildProcess::send(int signal_number) const {
  if (pid_ > 0 && !waited_) ::kill(pid_, signal_number);
}

std::optional<int> ChildProcess::wait(double timeout_seconds) {
  if (waited_) return status_;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_seconds * 1000));
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, timeout_seconds > 0 ? WNOHANG : 0);
    if (done == pid_) {
      waited_ = true;
      status_ = status;
      return status_;
    }
    if (done < 0 && errno != EINTR) {  // not ours to wait for any more
      waited_ = true;
      return status_;
    }
    if (timeout_seconds > 0) {
      if (Clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void ChildProcess::reaped_elsewhere(int status) {
  waited_ = true;
  status_ = status;
}

}  // namespace course
