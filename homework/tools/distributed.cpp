#include "tools/distributed.h"

#include <torch/csrc/autograd/engine.h>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>

#include "common/cli.h"
#include "tools/c10d_compat.h"

extern char** environ;

namespace homework::tools {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Every key of ours in the store starts with this, apart from whatever else shares the store
// (torchrun's own keys, when torchrun hosts it).
std::string key(const std::string& what, int rank) {
  return fmt::format("homework/{}/{}", what, rank);
}

std::vector<uint8_t> bytes(const std::string& text) {
  return {text.begin(), text.end()};
}
std::string text(const std::vector<uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

double seconds(milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// An integer environment variable, or nothing when unset; a typo is a usage error.
std::optional<long> environment_integer(const char* name) {
  const std::optional<std::string> value = environment(name);
  if (!value) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long number = std::strtol(value->c_str(), &end, 10);
  if (errno != 0 || end == value->c_str() || *end != '\0') {
    throw course::UsageError(fmt::format("{}='{}' is not a whole number", name, *value));
  }
  return number;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "unknown-host";
  return name;
}

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

// c10::Error's what() carries a C++ backtrace; the first line is what a user needs.
std::string first_line(const std::exception& error) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&error);
  std::string message = c10_error ? c10_error->what_without_backtrace() : error.what();
  const size_t newline = message.find('\n');
  if (newline != std::string::npos) message.resize(newline);
  return message;
}

std::string list_ranks(const std::vector<int>& ranks) {
  return fmt::format("{}", fmt::join(ranks, ", "));
}

std::string no_backend_message() {
  return "this build has no Gloo backend for several processes: LibTorch's c10d needs Gloo's "
         "headers to declare it (Debian: `sudo apt install libgloo-dev`; the official LibTorch: "
         "configure with -DCOURSE_GLOO_INCLUDE_DIR=<gloo source>), then rebuild";
}

// True when this build has nothing to connect ranks that ask for `backend` (auto | gloo | nccl):
// no Gloo, and no NCCL either unless NCCL may carry them.
bool no_backend_for(const std::string& backend) {
  return !c10d_compat::gloo_available() &&
         (backend == "gloo" || !c10d_compat::nccl_available());
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Flags and environment

void add_distributed_options(CLI::App& app, DistributedOptions& options) {
  CLI::App* group =
      app.add_option_group("Distributed",
                           "Data-parallel training (homework/README.md, \"Training on several "
                           "processes or machines\")");
  group
      ->add_option("--nproc", options.nproc,
                   "Start this many worker processes on this machine (like torchrun "
                   "--nproc-per-node) and train data-parallel")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  group
      ->add_option("--world-size", options.world_size,
                   "Processes in the whole run, on every machine (default: $WORLD_SIZE, else 1)")
      ->check(CLI::Range(1, 65536));
  group
      ->add_option("--rank", options.rank,
                   "This process's rank, 0 .. world size - 1 (default: $RANK)")
      ->check(CLI::Range(0, 65535));
  group
      ->add_option("--local-rank", options.local_rank,
                   "This process's index on its machine, picks its GPU (default: $LOCAL_RANK, "
                   "else the rank)")
      ->check(CLI::Range(0, 65535));
  group->add_option("--master-addr", options.master_addr,
                    "Address of rank 0, which hosts the rendezvous (default: $MASTER_ADDR, else "
                    "127.0.0.1)");
  group
      ->add_option("--master-port", options.master_port,
                   "Port of the rendezvous (default: $MASTER_PORT, else 29500; with --nproc "
                   "alone: any free port)")
      ->check(CLI::Range(1, 65535));
  group
      ->add_option("--timeout", options.timeout,
                   "Seconds a rank waits for the others (to arrive, or to answer) before it "
                   "stops with an error naming the missing one")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  group
      ->add_option("--backend", options.backend,
                   "Communication backend: auto (NCCL when every rank has a GPU of its own, "
                   "else Gloo), gloo, nccl")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "gloo", "nccl"}));
  group
      ->add_option("--allreduce", options.allreduce,
                   "Gradient all-reduce: flat (all gradients in one buffer, one call per step) "
                   "or per-parameter (one call per tensor, to compare)")
      ->capture_default_str()
      ->check(CLI::IsMember({"flat", "per-parameter"}));
}

std::string worker_device(const std::string& requested, const WorkerConfig& config) {
  if (config.world_size == 1 || (requested != "cuda" && requested != "auto")) return requested;
  if (!torch::cuda::is_available()) return requested;
  const int64_t gpus = static_cast<int64_t>(torch::cuda::device_count());
  if (gpus < 2) return requested;
  return fmt::format("cuda:{}", config.local_rank % gpus);
}

bool should_launch_workers(const DistributedOptions& options) {
  return options.nproc > 1 && options.rank < 0 && !environment("RANK");
}

WorkerConfig resolve_worker_config(const DistributedOptions& options) {
  WorkerConfig config;
  const std::optional<long> world = environment_integer("WORLD_SIZE");
  const std::optional<long> rank = environment_integer("RANK");
  const std::optional<long> local_rank = environment_integer("LOCAL_RANK");
  const std::optional<long> port = environment_integer("MASTER_PORT");

  const long world_size = options.world_size > 0 ? options.world_size : world.value_or(1);
  if (world_size < 1 || world_size > 65536) {
    throw course::UsageError(fmt::format("WORLD_SIZE={} must be between 1 and 65536", world_size));
  }
  config.world_size = static_cast<int>(world_size);
  if (options.rank >= 0) {
    config.rank = options.rank;
  } else if (rank) {
    config.rank = static_cast<int>(*rank);
  } else if (config.world_size > 1) {
    throw course::UsageError(fmt::format(
        "the world size is {} but this process has no rank: set RANK or --rank (0 to {}), or "
        "start every process here with --nproc {}",
        config.world_size, config.world_size - 1, config.world_size));
  }
  if (config.rank < 0 || config.rank >= config.world_size) {
    throw course::UsageError(
        fmt::format("rank {} is outside 0 .. {} (world size {}): check "
                    "RANK / --rank and WORLD_SIZE / --world-size",
                    config.rank, config.world_size - 1, config.world_size));
  }
  config.local_rank = options.local_rank >= 0 ? options.local_rank
                                              : static_cast<int>(local_rank.value_or(config.rank));
  if (config.local_rank < 0) {
    throw course::UsageError(fmt::format("LOCAL_RANK={} must be >= 0", config.local_rank));
  }
  if (!options.master_addr.empty()) {
    config.master_addr = options.master_addr;
  } else if (const auto address = environment("MASTER_ADDR")) {
    config.master_addr = *address;
  }
  const long master_port = options.master_port > 0 ? options.master_port : port.value_or(29500);
  if (master_port < 1 || master_port > 65535) {
    throw course::UsageError(
        fmt::format("MASTER_PORT={} must be between 1 and 65535", master_port));
  }
  config.master_port = static_cast<uint16_t>(master_port);
  config.launcher_hosts_store = environment("TORCHELASTIC_USE_AGENT_STORE") == "True";
  config.timeout = milliseconds(static_cast<int64_t>(options.timeout * 1000.0));
  config.backend = options.backend;
  config.flat_allreduce = options.allreduce != "per-parameter";
  return config;
}

// ---------------------------------------------------------------------------------------------
// The launcher

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
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status),
                       ::strsignal(WTERMSIG(status)));
  }
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

int exit_code_of(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

}  // namespace

int launch_workers(const DistributedOptions& options, int argc, char** argv, bool threads_given,
                   bool quiet) {
  const int count = options.nproc;
  if (no_backend_for("auto")) throw std::runtime_error(no_backend_message());
  if (count > kMaxWorkers)
    throw course::UsageError(fmt::format("--nproc {} is more than {}", count, kMaxWorkers));
  if (options.world_size > 0 && options.world_size != count) {
    throw course::UsageError(
        fmt::format("--world-size {} and --nproc {} disagree; with --nproc "
                    "the world is the processes it starts",
                    options.world_size, count));
  }
  const std::string address = !options.master_addr.empty()
                                  ? options.master_addr
                                  : environment("MASTER_ADDR").value_or("127.0.0.1");
  const long wanted_port = options.master_port > 0 ? options.master_port
                                                   : environment_integer("MASTER_PORT").value_or(0);
  const milliseconds timeout(static_cast<int64_t>(options.timeout * 1000.0));

  // The launcher hosts the store (as torchrun's agent does), so it outlives any one worker and
  // every worker can tell which peer is gone.
  c10::intrusive_ptr<c10d::Store> store;
  try {
    store = c10d_compat::make_tcp_store(address, static_cast<uint16_t>(wanted_port), true, timeout);
  } catch (const std::exception& error) {
    throw std::runtime_error(
        fmt::format("cannot host the rendezvous on {}:{} ({}); pick another --master-port", address,
                    wanted_port, first_line(error)));
  }
  const uint16_t port = c10d_compat::store_port(store);

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int threads = std::max(1, static_cast<int>(cores) / count);

  std::vector<std::string> arguments(argv, argv + argc);
  if (!threads_given) {
    arguments.push_back("--threads");
    arguments.push_back(std::to_string(threads));
  }
  std::vector<char*> child_argv;
  for (std::string& argument : arguments) child_argv.push_back(argument.data());
  child_argv.push_back(nullptr);

  // Each worker's environment: ours, without the variables set here.
  const std::set<std::string> replaced = {"RANK",
                                          "LOCAL_RANK",
                                          "WORLD_SIZE",
                                          "LOCAL_WORLD_SIZE",
                                          "MASTER_ADDR",
                                          "MASTER_PORT",
                                          "TORCHELASTIC_USE_AGENT_STORE"};
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
             {"MASTER_ADDR", address},
             {"MASTER_PORT", std::to_string(port)},
             {"TORCHELASTIC_USE_AGENT_STORE", "True"}}) {
      environments[rank].push_back(fmt::format("{}={}", name, value));
    }
  }

  if (!quiet) {
    const std::string per_worker =
        threads_given ? "--threads as given" : fmt::format("{} thread(s) each", threads);
    fmt::print("launching {} worker processes ({}), rendezvous on {}:{}\n", count, per_worker,
               address, port);
  }
  std::fflush(nullptr);  // a forked child must not print our buffered output again

  struct sigaction forward {};
  forward.sa_handler = forward_to_workers;
  sigemptyset(&forward.sa_mask);
  struct sigaction ignore_interrupt {};
  ignore_interrupt.sa_handler = launcher_ignores_interrupt;
  sigemptyset(&ignore_interrupt.sa_mask);
  struct sigaction old_term {
  }, old_int{};
  ::sigaction(SIGTERM, &forward, &old_term);
  ::sigaction(SIGINT, &ignore_interrupt, &old_int);

  const pid_t launcher = ::getpid();
  std::vector<pid_t> pids(count, -1);
  for (int rank = 0; rank < count; ++rank) {
    std::vector<char*> envp;
    for (std::string& variable : environments[rank]) envp.push_back(variable.data());
    envp.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
      forward_to_workers(SIGTERM);
      throw std::runtime_error(
          fmt::format("cannot start worker {}: {}", rank, std::strerror(errno)));
    }
    if (pid == 0) {                        // the worker, until exec: async-signal-safe calls only
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // the launcher gone: stop too
      if (::getppid() != launcher) ::_exit(1);
      ::execve("/proc/self/exe", child_argv.data(), envp.data());
      ::_exit(127);
    }
    pids[rank] = pid;
    worker_pids[rank] = pid;
    worker_count = rank + 1;
  }

  // Wait for every worker. After the first failure the others have the timeout (they notice
  // the lost peer by themselves) plus a grace period, then they are terminated.
  int result = 0;
  int running = count;
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
      *found = -1;
      worker_pids[rank] = -1;
      --running;
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        // 130: stopped by Ctrl-C, as every rank was, after the same step; nothing to report.
        if (exit_code_of(status) != 130) {
          fmt::print(stderr, "launcher: rank {} (pid {}) {}\n", rank, done,
                     describe_status(status));
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
        fmt::print(stderr,
                   "launcher: {} worker(s) still running {:.0f} s after the first failure; "
                   "terminating them\n",
                   running, seconds(timeout) + 5);
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
  worker_count = 0;
  ::sigaction(SIGTERM, &old_term, nullptr);
  ::sigaction(SIGINT, &old_int, nullptr);
  return result;
}

// ---------------------------------------------------------------------------------------------
// The worker side

struct DataParallel::Group {
  WorkerConfig config;
  bool hosts_store = false;
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d_compat::Collectives> collectives;
  std::string backend = "gloo";
  std::vector<std::string> peers;      // "pid 123 on host-a", by rank
  torch::Device staging{torch::kCPU};  // where the flat buffers live (the GPU only with NCCL)
  torch::Tensor flat;                  // the gradients, then this rank's stop flag
  int64_t step = 0;

  milliseconds heartbeat_interval{500};
  std::thread heartbeat;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  ~Group() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    if (heartbeat.joinable()) heartbeat.join();
  }

  // Each rank bumps a counter of its own in the store every heartbeat_interval, on a connection
  // of its own, so a rank that is gone (killed, stopped, cut off) is the one whose counter
  // stands still.
  void start_heartbeat() {
    heartbeat = std::thread([this] {
      c10::intrusive_ptr<c10d::Store> own;
      try {
        own = c10d_compat::make_tcp_store(config.master_addr, config.master_port, false,
                                          config.timeout);
      } catch (const std::exception&) {
        return;
      }
      std::unique_lock<std::mutex> lock(mutex);
      while (!stopping) {
        lock.unlock();
        try {
          own->add(key("heartbeat", config.rank), 1);
        } catch (const std::exception&) {
          return;  // the store is gone: the run is ending, one way or the other
        }
        lock.lock();
        wake.wait_for(lock, heartbeat_interval, [this] { return stopping; });
      }
    });
  }

  std::string describe(int rank) const {
    return rank < static_cast<int>(peers.size()) && !peers[rank].empty()
               ? fmt::format("rank {} ({})", rank, peers[rank])
               : fmt::format("rank {}", rank);
  }

  std::string store_host() const {
    return config.launcher_hosts_store ? fmt::format("the launcher (its rendezvous at {}:{})",
                                                     config.master_addr, config.master_port)
                                       : describe(0) + ", which hosts the rendezvous";
  }

  // After a collective failed: who is gone? Heartbeats that stand still for a while name the
  // lost ranks; a rank that failed first has left its reason in the store.
  std::string diagnose() {
    std::vector<int> lost;
    std::vector<int> failed;
    std::string first_reason;
    try {
      auto read = [&] {
        std::vector<int64_t> beats(config.world_size);
        for (int rank = 0; rank < config.world_size; ++rank) {
          beats[rank] = store->add(key("heartbeat", rank), 0);
        }
        return beats;
      };
      const std::vector<int64_t> before = read();
      std::this_thread::sleep_for(heartbeat_interval * 5 / 2);
      const std::vector<int64_t> after = read();
      for (int rank = 0; rank < config.world_size; ++rank) {
        if (rank == config.rank) continue;
        if (store->check({key("failed", rank)})) {
          failed.push_back(rank);
          if (first_reason.empty()) first_reason = text(store->get(key("failed", rank)));
        } else if (after[rank] == before[rank]) {
          lost.push_back(rank);
        }
      }
    } catch (const std::exception&) {
      return "lost " + store_host();
    }
    if (!lost.empty()) {
      std::vector<std::string> names;
      for (int rank : lost) names.push_back(describe(rank));
      return fmt::format("lost {}: no sign of life from it", fmt::join(names, ", "));
    }
    if (!failed.empty())
      return fmt::format("rank {} failed first ({})", failed.front(), first_reason);
    return "a peer stopped answering, though every rank still sends heartbeats";
  }

  [[noreturn]] void fail(const std::string& during, const std::string& error) {
    const std::string message =
        fmt::format("rank {}: {}, during {} (--timeout {:g} s; {}: {})", config.rank, diagnose(),
                    during, seconds(config.timeout), backend, error);
    try {
      store->set(key("failed", config.rank), bytes(message));
    } catch (const std::exception&) {
    }
    // The store lives in this process: keep it up a little longer, so the other ranks (if
    // more than the lost one) can still read who is gone before they give up too.
    if (hosts_store && config.world_size > 2) std::this_thread::sleep_for(heartbeat_interval * 3);
    throw std::runtime_error(message);
  }

  // Runs one collective to its end; a failure (a peer gone, or silent past the timeout) becomes
  // an error naming the peer.
  template <typename Start>
  void run(const std::string& during, Start&& start) {
    std::string error;
    try {
      auto work = start();
      work->wait();
      return;
    } catch (const std::exception& e) {
      error = first_line(e);
    }
    fail(during, error);
  }

  void allreduce_sum(torch::Tensor& tensor, const std::string& during) {
    std::vector<at::Tensor> tensors{tensor};
    c10d::AllreduceOptions options;
    options.reduceOp = c10d::ReduceOp::SUM;
    run(during, [&] { return collectives->allreduce(tensors, options); });
  }

  void broadcast_from_rank0(torch::Tensor& tensor, const std::string& during) {
    std::vector<at::Tensor> tensors{tensor};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    run(during, [&] { return collectives->broadcast(tensors, options); });
  }

  // The tensors, flattened one after the other into one buffer on the staging device.
  torch::Tensor flatten(const std::vector<torch::Tensor>& tensors) const {
    std::vector<torch::Tensor> pieces;
    for (const torch::Tensor& tensor : tensors) pieces.push_back(tensor.detach().reshape(-1));
    return torch::cat(pieces).to(staging);
  }

  static void unflatten(const torch::Tensor& flat, const std::vector<torch::Tensor>& tensors) {
    torch::NoGradGuard no_grad;
    int64_t offset = 0;
    for (const torch::Tensor& tensor : tensors) {
      const int64_t size = tensor.numel();
      tensor.copy_(flat.slice(0, offset, offset + size).view_as(tensor));
      offset += size;
    }
  }
};

DataParallel::DataParallel() = default;
DataParallel::~DataParallel() = default;

std::string DataParallel::backend() const {
  return group_ ? group_->backend : "none";
}

std::unique_ptr<DataParallel> DataParallel::join(const WorkerConfig& config,
                                                 const torch::Device& device) {
  auto self = std::make_unique<DataParallel>();
  self->rank_ = config.rank;
  self->world_size_ = config.world_size;
  self->flat_ = config.flat_allreduce;
  if (config.world_size == 1) return self;

  // No backend for these ranks: say so now, before anyone waits for a rendezvous.
  if (no_backend_for(config.backend)) throw std::runtime_error(no_backend_message());
  auto group = std::make_unique<Group>();
  group->config = config;
  group->hosts_store = config.rank == 0 && !config.launcher_hosts_store;
  group->heartbeat_interval =
      std::clamp(config.timeout / 20, milliseconds(100), milliseconds(1000));
  const int rank = config.rank;
  const std::string where = fmt::format("{}:{}", config.master_addr, config.master_port);

  // 1. The store: rank 0 hosts it (unless the launcher does); the others connect to it.
  try {
    group->store = c10d_compat::make_tcp_store(config.master_addr, config.master_port,
                                               group->hosts_store, config.timeout);
  } catch (const std::exception& error) {
    if (group->hosts_store) {
      throw std::runtime_error(fmt::format(
          "rank 0: cannot host the rendezvous on port {} ({}); is another run using it? Pick "
          "another MASTER_PORT / --master-port",
          config.master_port, first_line(error)));
    }
    throw std::runtime_error(fmt::format(
        "rank {}: cannot reach the rendezvous at {} within --timeout {:g} s ({}); start rank 0 "
        "there, or fix MASTER_ADDR / MASTER_PORT",
        rank, where, seconds(config.timeout), first_line(error)));
  }
  c10d::Store& store = *group->store;

  // 2. Arrive: claim the rank, say who we are, and wait for everyone else.
  try {
    if (store.add(key("claim", rank), 1) > 1) {
      throw std::runtime_error(fmt::format(
          "rank {}: another process already joined as rank {}; give each process its own RANK",
          rank, rank));
    }
    const std::string who = fmt::format("pid {} on {}", ::getpid(), host_name());
    const std::string place =
        device.is_cuda() ? fmt::format("cuda:{}@{}", device.index(), host_name()) : "cpu";
    store.set(key("worker", rank), bytes(who));
    store.set(key("device", rank), bytes(place));
  } catch (const c10::Error& error) {
    throw std::runtime_error(
        fmt::format("rank {}: the rendezvous at {} failed: {}", rank, where, first_line(error)));
  }
  group->start_heartbeat();
  std::vector<std::string> worker_keys;
  for (int peer = 0; peer < config.world_size; ++peer) worker_keys.push_back(key("worker", peer));
  try {
    store.wait(worker_keys, config.timeout);
  } catch (const std::exception& error) {
    std::vector<int> missing;
    try {
      for (int peer = 0; peer < config.world_size; ++peer) {
        if (!store.check({worker_keys[peer]})) missing.push_back(peer);
      }
    } catch (const std::exception&) {
      throw std::runtime_error(
          fmt::format("rank {}: lost the rendezvous at {} while waiting for "
                      "the other ranks ({})",
                      rank, where, first_line(error)));
    }
    throw std::runtime_error(fmt::format(
        "rank {}: rank{} {} did not join within --timeout {:g} s (rendezvous {}, world size {}); "
        "start every rank with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE, or raise "
        "--timeout",
        rank, missing.size() == 1 ? "" : "s", list_ranks(missing), seconds(config.timeout), where,
        config.world_size));
  }

  // 3. The backend: NCCL when it is compiled in and every rank has a GPU of its own.
  std::vector<std::string> places;
  for (int peer = 0; peer < config.world_size; ++peer) {
    group->peers.push_back(text(store.get(key("worker", peer))));
    places.push_back(text(store.get(key("device", peer))));
  }
  const bool all_cuda = std::all_of(places.begin(), places.end(), [](const std::string& place) {
    return place.rfind("cuda", 0) == 0;
  });
  const bool distinct = std::set<std::string>(places.begin(), places.end()).size() == places.size();
  const bool nccl_fits = c10d_compat::nccl_available() && all_cuda && distinct;
  if (config.backend == "nccl" && !nccl_fits) {
    throw course::UsageError(fmt::format(
        "--backend nccl needs a LibTorch with NCCL and every rank on a GPU of its own (this "
        "build has {}NCCL; the ranks are on {}); use --backend gloo",
        c10d_compat::nccl_available() ? "" : "no ", fmt::join(places, ", ")));
  }
  group->backend = config.backend == "gloo" || !nccl_fits ? "gloo" : "nccl";
  if (group->backend == "gloo" && !c10d_compat::gloo_available()) {
    throw std::runtime_error(fmt::format("rank {}: {}", rank, no_backend_message()));
  }
  if (group->backend == "nccl") group->staging = device;

  // 4. Connect the ranks (Gloo listens on loopback when the whole run is on this machine).
  try {
    auto prefixed =
        c10::make_intrusive<c10d::PrefixStore>("homework/" + group->backend, group->store);
    group->collectives =
        group->backend == "nccl"
            ? c10d_compat::make_nccl(prefixed, rank, config.world_size, config.timeout)
            : c10d_compat::make_gloo(prefixed, rank, config.world_size, config.timeout,
                                     is_loopback(config.master_addr) ? "127.0.0.1" : "");
  } catch (const std::exception& error) {
    group->fail("the connection of the ranks", first_line(error));
  }
  self->group_ = std::move(group);
  return self;
}

void DataParallel::broadcast_parameters(const std::vector<torch::Tensor>& parameters) {
  if (!group_) return;
  torch::Tensor flat = group_->flatten(parameters);
  group_->broadcast_from_rank0(flat, "the broadcast of rank 0's initial parameters");
  Group::unflatten(flat, parameters);
}

bool DataParallel::average_gradients(const std::vector<torch::Tensor>& parameters, bool stop) {
  if (!group_) return stop;
  Group& group = *group_;
  const Clock::time_point start = Clock::now();
  torch::NoGradGuard no_grad;
  ++group.step;
  const std::string during = fmt::format("the gradient all-reduce of step {}", group.step);
  std::vector<torch::Tensor> gradients;
  int64_t total = 0;
  for (const torch::Tensor& parameter : parameters) {
    // A parameter without a gradient (unused this step) still takes part, with zeros.
    if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
    gradients.push_back(parameter.grad());
    total += parameter.numel();
  }
  const double world = static_cast<double>(world_size_);
  bool any_stop = stop;
  if (flat_) {
    // One buffer: every gradient, then the stop flag. One call moves it all.
    if (!group.flat.defined() || group.flat.numel() != total + 1) {
      group.flat = torch::empty({total + 1}, gradients.front().options().device(group.staging));
    }
    int64_t offset = 0;
    for (const torch::Tensor& gradient : gradients) {
      group.flat.slice(0, offset, offset + gradient.numel()).copy_(gradient.reshape(-1));
      offset += gradient.numel();
    }
    group.flat.slice(0, total, total + 1).fill_(stop ? 1.0 : 0.0);
    group.allreduce_sum(group.flat, during);
    group.flat.div_(world);
    any_stop = group.flat[total].item<double>() > 0.0;
    Group::unflatten(group.flat, gradients);
    stats_.calls += 1;
    stats_.floats_per_step = total + 1;
  } else {
    // One call per gradient tensor (what DDP's buckets avoid), and one for the stop flag.
    for (torch::Tensor& gradient : gradients) {
      torch::Tensor buffer =
          gradient.device() == group.staging ? gradient : gradient.to(group.staging);
      group.allreduce_sum(buffer, during);
      buffer.div_(world);
      if (!buffer.is_same(gradient)) gradient.copy_(buffer);
    }
    torch::Tensor flag = torch::full(
        {1}, stop ? 1.0 : 0.0, torch::TensorOptions().dtype(torch::kFloat).device(group.staging));
    group.allreduce_sum(flag, during);
    any_stop = flag.item<double>() > 0.0;
    stats_.calls += static_cast<int64_t>(gradients.size()) + 1;
    stats_.floats_per_step = total + 1;
  }
  stats_.steps += 1;
  stats_.seconds += std::chrono::duration<double>(Clock::now() - start).count();
  return any_stop;
}

std::vector<double> DataParallel::sum(std::vector<double> values) {
  if (!group_ || values.empty()) return values;
  torch::Tensor tensor =
      torch::tensor(values, torch::TensorOptions().dtype(torch::kDouble)).to(group_->staging);
  group_->allreduce_sum(tensor, "the sum of the validation results");
  tensor = tensor.to(torch::kCPU);
  const double* data = tensor.data_ptr<double>();
  return {data, data + tensor.numel()};
}

double DataParallel::mean(double value, int64_t count) {
  if (!group_) return value;
  const std::vector<double> totals =
      sum({value * static_cast<double>(count), static_cast<double>(count)});
  return totals[0] / totals[1];
}

bool DataParallel::parameters_identical(const std::vector<torch::Tensor>& parameters) {
  if (!group_) return true;
  const torch::Tensor mine = group_->flatten(parameters);
  torch::Tensor rank0 = mine.clone();
  group_->broadcast_from_rank0(rank0, "the final check of the parameters");
  const bool same = torch::equal(mine, rank0);
  return sum({same ? 0.0 : 1.0}).front() == 0.0;
}

void require_identical_parameters(DataParallel& group,
                                  const std::vector<torch::Tensor>& parameters) {
  if (!group.parameters_identical(parameters)) {
    throw std::runtime_error(
        "the ranks ended with different parameters: the gradient all-reduce or the sharding is "
        "broken");
  }
}

std::pair<int64_t, int64_t> DataParallel::shard_range(int64_t count) const {
  return {count * rank_ / world_size_, count * (rank_ + 1) / world_size_};
}

nlohmann::json describe(const DataParallel& group) {
  if (group.world_size() == 1) return {{"world_size", 1}};
  const DataParallel::GradientStats& stats = group.gradient_stats();
  const double steps = static_cast<double>(std::max<int64_t>(stats.steps, 1));
  return {{"world_size", group.world_size()},
          {"backend", group.backend()},
          {"allreduce", group.flat_allreduce() ? "flat" : "per-parameter"},
          {"steps", stats.steps},
          {"allreduce_calls_per_step", static_cast<double>(stats.calls) / steps},
          {"allreduce_ms_per_step", 1000.0 * stats.seconds / steps},
          {"floats_per_step", stats.floats_per_step},
          {"bytes_per_step", stats.floats_per_step * 4},
          {"parameters_identical", true}};
}

std::string summary(const DataParallel& group) {
  const DataParallel::GradientStats& stats = group.gradient_stats();
  const double steps = static_cast<double>(std::max<int64_t>(stats.steps, 1));
  return fmt::format(
      "data-parallel: {} processes ({}), gradient all-reduce {:.3f} ms per step ({}: {:.0f} "
      "call(s) of {} floats in all, {:.2f} MB), parameters identical on every rank",
      group.world_size(), group.backend(), 1000.0 * stats.seconds / steps,
      group.flat_allreduce() ? "flat" : "per-parameter", static_cast<double>(stats.calls) / steps,
      stats.floats_per_step, static_cast<double>(stats.floats_per_step) * 4.0 / 1e6);
}

// ---------------------------------------------------------------------------------------------

DistributedModel::DistributedModel(DataParallel& group, std::vector<torch::Tensor> parameters,
                                   std::function<bool()> local_stop)
    : group_(group), parameters_(std::move(parameters)), local_stop_(std::move(local_stop)) {
  if (group_.world_size() == 1) return;
  group_.broadcast_parameters(parameters_);
  for (torch::Tensor& parameter : parameters_) {
    // Called with each parameter's gradient during backward(); the first one of a pass queues
    // the all-reduce, which the engine runs once every gradient has been accumulated.
    hooks_.push_back(parameter.register_hook([this](const torch::Tensor&) {
      if (queued_) return;
      queued_ = true;
      torch::autograd::Engine::get_default_engine().queue_callback([this] { after_backward(); });
    }));
  }
}

DistributedModel::~DistributedModel() {
  for (size_t i = 0; i < hooks_.size(); ++i) parameters_[i].remove_hook(hooks_[i]);
}

void DistributedModel::after_backward() {
  queued_ = false;
  agreed_stop_ = group_.average_gradients(parameters_, local_stop_ && local_stop_());
}

bool DistributedModel::stop_agreed() const {
  if (group_.world_size() == 1) return local_stop_ && local_stop_();
  return agreed_stop_;
}

}  // namespace homework::tools
