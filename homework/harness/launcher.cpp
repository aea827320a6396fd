#include "harness/launcher.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

#include <fmt/format.h>

#include "common/cli.h"
#include "common/process.h"
#include "common/language.h"

extern char** environ;

namespace homework::harness {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// The workers, for the signal handler that passes SIGTERM on to them.
constexpr int kMaxWorkers = 1024;
volatile pid_t worker_pids[kMaxWorkers];
volatile std::sig_atomic_t worker_count = 0;

extern "C" void forward_to_workers(int signal_number) {
  for (int i = 0; i < worker_count; ++i) {
    if (worker_pids[i] > 0) ::kill(worker_pids[i], signal_number);
  }
}

// Ctrl-C in a terminal reaches every process of the foreground group, the workers included, and
// each of them stops cleanly after its current step; the launcher only waits for them.
extern "C" void launcher_ignores_interrupt(int) {}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) {
    return course::trf("was killed by signal {} ({})", WTERMSIG(status),
                       ::strsignal(WTERMSIG(status)));
  }
  return course::trf("exited with status {}", WEXITSTATUS(status));
}

int exit_code_of(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// A folder of its own (mode 0700) for the rendezvous file, removed with the object.
class RendezvousFolder {
 public:
  RendezvousFolder() {
    std::string pattern = (fs::temp_directory_path() / "homework-rendezvous-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error(course::trf("cannot create a folder for the rendezvous in {}: {}",
                                           fs::temp_directory_path().string(),
                                           std::strerror(errno)));
    }
    folder_ = pattern;
  }
  ~RendezvousFolder() {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  RendezvousFolder(const RendezvousFolder&) = delete;
  RendezvousFolder& operator=(const RendezvousFolder&) = delete;
  fs::path file() const { return folder_ / "store"; }

 private:
  fs::path folder_;
};

// Our own command line, with `--threads T` added unless it was given.
std::vector<std::string> worker_arguments(int argc, char** argv, bool threads_given, int threads) {
  std::vector<std::string> arguments(argv, argv + argc);
  if (!threads_given) {
    arguments.push_back("--threads");
    arguments.push_back(std::to_string(threads));
  }
  return arguments;
}

// Each worker's environment: ours, without the variables set here, then torchrun's variables
// and the rendezvous file.
std::vector<std::vector<std::string>> worker_environments(int count, bool threads_given,
                                                          int threads, const fs::path& store) {
  const std::set<std::string> replaced = {"RANK",
                                          "LOCAL_RANK",
                                          "WORLD_SIZE",
                                          "LOCAL_WORLD_SIZE",
                                          "MASTER_ADDR",
                                          "MASTER_PORT",
                                          "TORCHELASTIC_USE_AGENT_STORE",
                                          "HOMEWORK_STORE_FILE"};
  std::vector<std::string> shared;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (replaced.count(variable.substr(0, variable.find('='))) == 0) shared.push_back(variable);
  }
  if (!threads_given && !environment("OMP_NUM_THREADS")) {
    shared.push_back(fmt::format("OMP_NUM_THREADS={}", threads));
  }
  std::vector<std::vector<std::string>> environments(count, shared);
  for (int rank = 0; rank < count; ++rank) {
    for (const auto& [name, value] : std::vector<std::pair<const char*, std::string>>{
             {"RANK", std::to_string(rank)},
             {"LOCAL_RANK", std::to_string(rank)},
             {"WORLD_SIZE", std::to_string(count)},
             {"LOCAL_WORLD_SIZE", std::to_string(count)},
             {"MASTER_ADDR", "127.0.0.1"},
             {"HOMEWORK_STORE_FILE", store.string()}}) {
      environments[rank].push_back(fmt::format("{}={}", name, value));
    }
  }
  return environments;
}

// Starts one worker per environment (this same program, /proc/self/exe); returns them, by rank.
std::vector<course::ChildProcess> start_workers(const std::vector<std::string>& arguments,
                                                const std::vector<std::vector<std::string>>& environments) {
  std::vector<std::string> command = arguments;
  command.front() = "/proc/self/exe";
  std::vector<course::ChildProcess> workers;
  for (size_t rank = 0; rank < environments.size(); ++rank) {
    course::SpawnOptions spawn;
    spawn.replace_environment = true;
    for (const std::string& variable : environments[rank]) {
      const size_t equals = variable.find('=');
      spawn.environment.emplace_back(variable.substr(0, equals), variable.substr(equals + 1));
    }
    spawn.death_signal = SIGTERM;  // the launcher gone: stop too
    try {
      workers.emplace_back(command, spawn);
    } catch (const std::runtime_error& e) {
      forward_to_workers(SIGTERM);
      throw std::runtime_error(course::trf("cannot start worker {}: {}", rank, e.what()));
    }
    worker_pids[rank] = workers.back().pid();
    worker_count = static_cast<int>(rank) + 1;
  }
  return workers;
}

// Waits for every worker. After the first failure the others have the timeout (they notice the
// lost peer by themselves) plus a grace period, then they are terminated. Returns 0, or the
// first failure's exit code.
int wait_for_workers(std::vector<course::ChildProcess> workers, milliseconds timeout) {
  std::vector<pid_t> pids;
  for (const auto& worker : workers) pids.push_back(worker.pid());
  int result = 0;
  int running = static_cast<int>(pids.size());
  std::optional<Clock::time_point> deadline;
  bool terminated = false;
  while (running > 0) {
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, deadline ? WNOHANG : 0);
    if (done < 0 && errno != EINTR) break;
    if (done > 0) {
      const auto found = std::find(pids.begin(), pids.end(), done);
      if (found == pids.end()) continue;
      const int rank = static_cast<int>(found - pids.begin());
      workers[static_cast<size_t>(rank)].reaped_elsewhere(status);  // waitpid(-1) waited for it
      *found = -1;
      worker_pids[rank] = -1;
      --running;
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // 130: stopped by Ctrl-C, as every rank was, after the same step; nothing to report.
        if (exit_code_of(status) != 130) {
          fmt::print(
              stderr, "{}\n",
              course::trf("launcher: rank {} (pid {}) {}", rank, done, describe_status(status)));
        }
        if (result == 0) {
          result = exit_code_of(status);
          deadline = Clock::now() + timeout + std::chrono::seconds(5);
        }
      }
      continue;
    }
    if (deadline && Clock::now() > *deadline) {
      if (!terminated) {
        fmt::print(stderr, "{}\n",
                   course::trf("launcher: {} worker(s) still running {:.0f} s after the first "
                               "failure; terminating them",
                               running, seconds(timeout) + 5));
        forward_to_workers(SIGTERM);
        terminated = true;
        deadline = Clock::now() + std::chrono::seconds(3);
      } else {
        forward_to_workers(SIGKILL);
        deadline.reset();
      }
    }
    if (deadline) std::this_thread::sleep_for(milliseconds(20));
  }
  return result;
}

// SIGTERM passed on to the workers, SIGINT left to them, for as long as the object lives.
class LauncherSignals {
 public:
  LauncherSignals() {
    struct sigaction forward {};
    forward.sa_handler = forward_to_workers;
    sigemptyset(&forward.sa_mask);
    struct sigaction ignore_interrupt {};
    ignore_interrupt.sa_handler = launcher_ignores_interrupt;
    sigemptyset(&ignore_interrupt.sa_mask);
    ::sigaction(SIGTERM, &forward, &old_term_);
    ::sigaction(SIGINT, &ignore_interrupt, &old_int_);
  }
  ~LauncherSignals() {
    worker_count = 0;
    ::sigaction(SIGTERM, &old_term_, nullptr);
    ::sigaction(SIGINT, &old_int_, nullptr);
  }
  LauncherSignals(const LauncherSignals&) = delete;
  LauncherSignals& operator=(const LauncherSignals&) = delete;

 private:
  struct sigaction old_term_ {};
  struct sigaction old_int_ {};
};

}  // namespace

int launch_workers(const DistributedOptions& options, int argc, char** argv, bool threads_given,
                   bool quiet) {
  const int count = options.nproc;
  if (no_backend_for("auto")) throw std::runtime_error(no_backend_message());
  if (count > kMaxWorkers) {
    throw course::UsageError(course::trf("--nproc {} is more than {}", count, kMaxWorkers));
  }
  if (options.world_size > 0 && options.world_size != count) {
    throw course::UsageError(
        course::trf("--world-size {} and --nproc {} disagree; with --nproc the world is the "
                    "processes it starts",
                    options.world_size, count));
  }
  // Every rank is on this machine: the rendezvous is a file only this user can reach, and the
  // ranks' own connections listen on 127.0.0.1 (MASTER_ADDR), so nothing is open to the network.
  const RendezvousFolder rendezvous;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int threads = std::max(1, static_cast<int>(cores) / count);
  std::vector<std::string> arguments = worker_arguments(argc, argv, threads_given, threads);
  std::vector<std::vector<std::string>> environments =
      worker_environments(count, threads_given, threads, rendezvous.file());
  if (!quiet) {
    const std::string per_worker = threads_given ? std::string(course::tr("--threads as given"))
                                                 : course::trf("{} thread(s) each", threads);
    fmt::print("{}\n",
               course::trf("launching {} worker processes ({}), rendezvous in {} (this machine "
                           "only)",
                           count, per_worker, rendezvous.file().string()));
  }
  std::fflush(nullptr);  // a forked child must not print our buffered output again
  const LauncherSignals signals;
  const milliseconds timeout(static_cast<int64_t>(options.timeout * 1000.0));
  return wait_for_workers(start_workers(arguments, environments), timeout);
}

}  // namespace homework::harness
