// Checks of the data-parallel machinery (homework/harness/distributed.h and Batches::set_shard),
// which the student does not write, so they pass with the stub too (label distributed):
//   - the sharding (DistributedSampler's rule) covers every index once per epoch;
//   - where a worker stands, from torchrun's environment variables and the flags;
//   - several processes on loopback (distributed_worker): bit-identical parameters, the same
//     parameters as one process with the ranks' batches together, flat = per-parameter;
//   - a rank that is killed, or never arrives, is named by the others within --timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "common/cli.h"
#include "harness/batches.h"
#include "harness/distributed.h"
#include "reliability/process.h"
#include "support/scoped_environment.h"
#include "support/temp_dir.h"

namespace homework::harness {
namespace {

namespace fs = std::filesystem;
using course::testing::Process;
using course::testing::ProcessResult;
using course::testing::TempDir;
using Clock = std::chrono::steady_clock;
using Environment = std::vector<std::pair<std::string, std::string>>;

[[maybe_unused]] constexpr auto kLimit = std::chrono::seconds(300);  // sanitizer builds are slow
[[maybe_unused]] constexpr int64_t kParameters = 266610;

// ---------------------------------------------------------------------------------------------
// Sharding

// Batches over the indices 0..n-1 (the labels are the indices), sharded for `rank`.
Batches index_batches(int64_t n, int64_t batch_size, int64_t rank, int64_t world_size) {
  Batches batches(torch::zeros({n, 1}), torch::arange(n, torch::kInt64), batch_size, 7);
  batches.set_shard(rank, world_size);
  return batches;
}

std::vector<int64_t> indices_of(const Batches& batches) {
  std::vector<int64_t> indices;
  for (const Batch& batch : batches) {
    const torch::Tensor labels = batch.labels.contiguous();
    indices.insert(indices.end(), labels.data_ptr<int64_t>(),
                   labels.data_ptr<int64_t>() + labels.numel());
  }
  return indices;
}

TEST(Sharding, TwoRanksCoverEveryIndexExactlyOncePerEpoch) {
  Batches rank0 = index_batches(1000, 32, 0, 2);
  Batches rank1 = index_batches(1000, 32, 1, 2);
  std::vector<int64_t> previous;
  for (int64_t epoch = 1; epoch <= 3; ++epoch) {
    rank0.set_epoch(epoch);
    rank1.set_epoch(epoch);
    EXPECT_EQ(rank0.examples(), 500);
    EXPECT_EQ(rank1.examples(), 500);
    EXPECT_EQ(rank0.size(), rank1.size());  // as many steps, so as many all-reduces
    std::vector<int64_t> all = indices_of(rank0);
    const std::vector<int64_t> second = indices_of(rank1);
    all.insert(all.end(), second.begin(), second.end());
    EXPECT_NE(all, previous) << "epoch " << epoch << " has the order of the epoch before";
    previous = all;
    std::sort(all.begin(), all.end());
    std::vector<int64_t> expected(1000);
    for (int64_t i = 0; i < 1000; ++i) expected[i] = i;
    EXPECT_EQ(all, expected) << "epoch " << epoch;
  }
}

TEST(Sharding, TheHomeworkTrainingSetSplitsIntoTwoEqualShards) {
  const int64_t n = 55000;  // 60000 - 5000 for validation
  Batches rank0 = index_batches(n, 32, 0, 2);
  Batches rank1 = index_batches(n, 32, 1, 2);
  rank0.set_epoch(4);
  rank1.set_epoch(4);
  EXPECT_EQ(rank0.examples(), 27500);
  EXPECT_EQ(rank1.examples(), 27500);
  EXPECT_EQ(rank0.size(), 860);  // ceil(27500 / 32)
  std::vector<int64_t> all = indices_of(rank0);
  const std::vector<int64_t> second = indices_of(rank1);
  all.insert(all.end(), second.begin(), second.end());
  EXPECT_EQ(std::set<int64_t>(all.begin(), all.end()).size(), static_cast<size_t>(n));
  EXPECT_EQ(all.size(), static_cast<size_t>(n));
}

TEST(Sharding, ThreeRanksGetEqualDisjointSharesAndLeaveOutADifferentFewEachEpoch) {
  const int64_t n = 100;
  std::set<int64_t> left_out_over_epochs;
  for (int64_t epoch = 1; epoch <= 10; ++epoch) {
    std::set<int64_t> seen;
    size_t total = 0;
    for (int64_t rank = 0; rank < 3; ++rank) {
      Batches batches = index_batches(n, 8, rank, 3);
      batches.set_epoch(epoch);
      EXPECT_EQ(batches.examples(), 33);
      const std::vector<int64_t> indices = indices_of(batches);
      total += indices.size();
      seen.insert(indices.begin(), indices.end());
    }
    EXPECT_EQ(total, 99u);
    EXPECT_EQ(seen.size(), 99u) << "the shards overlap in epoch " << epoch;
    for (int64_t i = 0; i < n; ++i) {
      if (seen.count(i) == 0) left_out_over_epochs.insert(i);
    }
  }
  EXPECT_GT(left_out_over_epochs.size(), 1u) << "the same index is left out every epoch";
}

TEST(Sharding, StepKOfTheRanksTogetherIsStepKOfOneProcessWithTheirBatchesTogether) {
  Batches one = index_batches(640, 32, 0, 1);
  Batches rank0 = index_batches(640, 16, 0, 2);
  Batches rank1 = index_batches(640, 16, 1, 2);
  for (Batches* batches : {&one, &rank0, &rank1}) batches->set_epoch(2);
  ASSERT_EQ(one.size(), 20);
  ASSERT_EQ(rank0.size(), 20);
  for (int64_t step = 0; step < one.size(); ++step) {
    const torch::Tensor together = torch::cat({rank0[step].labels, rank1[step].labels});
    EXPECT_TRUE(torch::equal(std::get<0>(together.sort()), std::get<0>(one[step].labels.sort())))
        << "step " << step;
  }
}

TEST(Sharding, OneRankOfOneIsTheUnshardedOrder) {
  Batches plain(torch::zeros({50, 1}), torch::arange(50, torch::kInt64), 8, 7);
  Batches sharded = index_batches(50, 8, 0, 1);
  plain.set_epoch(3);
  sharded.set_epoch(3);
  EXPECT_TRUE(torch::equal(plain.order(), sharded.order()));
}

TEST(Sharding, ARankOutsideTheWorldIsRefused) {
  Batches batches(torch::zeros({10, 1}), torch::arange(10, torch::kInt64), 4, 7);
  EXPECT_THROW(batches.set_shard(2, 2), std::invalid_argument);
  EXPECT_THROW(batches.set_shard(0, 0), std::invalid_argument);
  EXPECT_THROW(batches.set_shard(0, 11), std::invalid_argument);  // fewer examples than ranks
}

// ---------------------------------------------------------------------------------------------
// Where a worker stands

// The launcher's variables unset, then `values` set; all put back afterwards.
class ScopedEnvironment : public course::testing::ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const Environment& values)
      : course::testing::ScopedEnvironment(cleared_then(values)) {}

 private:
  static std::map<std::string, std::optional<std::string>> cleared_then(const Environment& values) {
    std::map<std::string, std::optional<std::string>> settings;
    for (const char* name : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT",
                             "TORCHELASTIC_USE_AGENT_STORE"})
      settings[name] = std::nullopt;
    for (const auto& [name, value] : values) settings[name] = value;
    return settings;
  }
};

TEST(WorkerConfig, NoFlagsAndNoEnvironmentIsOneProcess) {
  ScopedEnvironment environment({});
  const WorkerConfig config = resolve_worker_config(DistributedOptions{});
  EXPECT_EQ(config.world_size, 1);
  EXPECT_EQ(config.rank, 0);
  EXPECT_FALSE(should_launch_workers(DistributedOptions{}));
}

TEST(WorkerConfig, ReadsTorchrunsVariablesAndTheFlagsWin) {
  ScopedEnvironment environment({{"RANK", "3"},
                                 {"WORLD_SIZE", "4"},
                                 {"LOCAL_RANK", "1"},
                                 {"MASTER_ADDR", "10.0.0.7"},
                                 {"MASTER_PORT", "29511"},
                                 {"TORCHELASTIC_USE_AGENT_STORE", "True"}});
  WorkerConfig config = resolve_worker_config(DistributedOptions{});
  EXPECT_EQ(config.rank, 3);
  EXPECT_EQ(config.world_size, 4);
  EXPECT_EQ(config.local_rank, 1);
  EXPECT_EQ(config.master_addr, "10.0.0.7");
  EXPECT_EQ(config.master_port, 29511);
  EXPECT_TRUE(config.launcher_hosts_store);

  DistributedOptions flags;
  flags.rank = 2;
  flags.master_addr = "node-a";
  flags.master_port = 30000;
  flags.timeout = 2.5;
  flags.allreduce = "per-parameter";
  config = resolve_worker_config(flags);
  EXPECT_EQ(config.rank, 2);
  EXPECT_EQ(config.world_size, 4);
  EXPECT_EQ(config.master_addr, "node-a");
  EXPECT_EQ(config.master_port, 30000);
  EXPECT_EQ(config.timeout, std::chrono::milliseconds(2500));
  EXPECT_FALSE(config.flat_allreduce);
  // A worker started by a launcher (RANK set) does not launch again, whatever --nproc says.
  DistributedOptions nproc;
  nproc.nproc = 2;
  EXPECT_FALSE(should_launch_workers(nproc));
}

TEST(WorkerConfig, WrongValuesAreUsageErrorsNamingTheVariable) {
  {
    ScopedEnvironment environment({{"RANK", "2"}, {"WORLD_SIZE", "2"}});
    EXPECT_THROW(resolve_worker_config(DistributedOptions{}), course::UsageError);
  }
  {
    ScopedEnvironment environment(Environment{{"WORLD_SIZE", "2"}});  // no rank
    try {
      resolve_worker_config(DistributedOptions{});
      ADD_FAILURE() << "no error for a world of 2 without a rank";
    } catch (const course::UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("RANK"), std::string::npos) << error.what();
    }
  }
  {
    ScopedEnvironment environment({{"RANK", "one"}, {"WORLD_SIZE", "2"}});
    try {
      resolve_worker_config(DistributedOptions{});
      ADD_FAILURE() << "no error for RANK=one";
    } catch (const course::UsageError& error) {
      EXPECT_NE(std::string(error.what()).find("RANK='one'"), std::string::npos) << error.what();
    }
  }
  {
    ScopedEnvironment environment({});
    DistributedOptions options;
    options.nproc = 2;
    EXPECT_TRUE(should_launch_workers(options));
  }
}

#ifndef COURSE_WITHOUT_GLOO  // see tests/distributed/CMakeLists.txt
// ---------------------------------------------------------------------------------------------
// Several processes on loopback

// A port no one listens on right now (the kernel's pick; closed again at once).
int free_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (socket_fd < 0 ||
      ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ADD_FAILURE() << "cannot find a free port";
  }
  ::close(socket_fd);
  return ntohs(address.sin_port);
}

// The variables a launcher or a user would set; empty ones are cleared in the child.
Environment no_rank_environment() {
  return {{"RANK", ""},        {"WORLD_SIZE", ""},  {"LOCAL_RANK", ""},
          {"MASTER_ADDR", ""}, {"MASTER_PORT", ""}, {"TORCHELASTIC_USE_AGENT_STORE", ""}};
}

Environment rank_environment(int rank, int world_size, int port) {
  return {{"RANK", std::to_string(rank)},        {"WORLD_SIZE", std::to_string(world_size)},
          {"LOCAL_RANK", std::to_string(rank)},  {"MASTER_ADDR", "127.0.0.1"},
          {"MASTER_PORT", std::to_string(port)}, {"TORCHELASTIC_USE_AGENT_STORE", ""}};
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

torch::Tensor read_parameters(const fs::path& path) {
  const std::string bytes = read_file(path);
  EXPECT_EQ(bytes.size(), static_cast<size_t>(kParameters) * sizeof(float)) << path;
  torch::Tensor flat = torch::empty({static_cast<int64_t>(bytes.size() / sizeof(float))});
  std::memcpy(flat.data_ptr<float>(), bytes.data(), bytes.size());
  return flat;
}

// Runs distributed_worker with `arguments`, writing into a fresh folder `name` under `root`.
fs::path run_worker(const fs::path& root, const std::string& name,
                    std::vector<std::string> arguments) {
  const fs::path out = root / name;
  fs::create_directories(out);
  arguments.insert(arguments.begin(), DISTRIBUTED_WORKER);
  arguments.insert(arguments.end(), {"--out", out.string()});
  const ProcessResult result =
      course::testing::run_process(arguments, root, out, kLimit, no_rank_environment());
  EXPECT_TRUE(result.exited) << name << ": killed by signal " << result.signal;
  EXPECT_EQ(result.exit_code, 0) << name << "\nstdout: " << result.out
                                 << "\nstderr: " << result.err;
  return out;
}

// The runs the checks below compare, each made once: 30 steps of 2 ranks x batch 16 (flat and
// per-parameter all-reduce) and of 1 process x batch 32, over the same sample order.
class DataParallelRun : public ::testing::Test {
 protected:
  static fs::path run(const std::string& name) {
    static const std::map<std::string, std::vector<std::string>> commands = {
        {"two", {"--nproc", "2", "--steps", "30", "--batch-size", "16"}},
        {"two-per-parameter",
         {"--nproc", "2", "--steps", "30", "--batch-size", "16", "--allreduce", "per-parameter"}},
        {"one", {"--steps", "30", "--batch-size", "32"}}};
    if (!root_) root_ = std::make_unique<TempDir>();
    if (done_.count(name) == 0) done_[name] = run_worker(root_->path(), name, commands.at(name));
    return done_[name];
  }
  static void TearDownTestSuite() {
    done_.clear();
    root_.reset();
  }

 private:
  static inline std::unique_ptr<TempDir> root_;
  static inline std::map<std::string, fs::path> done_;
};

TEST_F(DataParallelRun, TwoProcessesFinishWithBitIdenticalParameters) {
  const fs::path two = run("two");
  // Each rank drew its own initial weights (seed + rank); rank 0's broadcast replaced rank 1's.
  EXPECT_FALSE(read_file(two / "seeded0.bin") == read_file(two / "seeded1.bin"));
  EXPECT_TRUE(read_file(two / "initial1.bin") == read_file(two / "seeded0.bin"));
  const std::string rank0 = read_file(two / "rank0.bin");
  ASSERT_EQ(rank0.size(), static_cast<size_t>(kParameters) * sizeof(float));
  EXPECT_TRUE(rank0 == read_file(two / "rank1.bin")) << "the two ranks' parameters differ";
  EXPECT_FALSE(rank0 == read_file(two / "initial0.bin")) << "the run did not train";
  EXPECT_NE(read_file(two / "stdout.txt").find("rank 1 of 2: 30 steps, parameters identical: yes"),
            std::string::npos);
}

TEST_F(DataParallelRun, TwoRanksOfBatch16MatchOneProcessOfBatch32OverTheSameSamples) {
  // 30 steps: one epoch of 20 (640 examples), then 10 of the next, reshuffled one.
  const torch::Tensor distributed = read_parameters(run("two") / "rank0.bin");
  const torch::Tensor single = read_parameters(run("one") / "rank0.bin");
  const torch::Tensor initial = read_parameters(run("one") / "initial0.bin");
  // Training moved the parameters (Adam at lr 1e-3: up to about 1e-3 per step) ...
  EXPECT_GT((single - initial).abs().max().item<double>(), 1e-2);
  // ... and both runs moved them alike: only the order of the float additions differs.
  const double difference = (distributed - single).abs().max().item<double>();
  EXPECT_LT(difference, 1e-5) << "largest difference " << difference;
}

TEST_F(DataParallelRun, PerParameterAllReduceEndsBitIdenticalToTheFlatBuffer) {
  EXPECT_TRUE(read_file(run("two") / "rank0.bin") ==
              read_file(run("two-per-parameter") / "rank0.bin"));
}

// ---------------------------------------------------------------------------------------------
// Lost peers

// Two ranks started by hand (as on two machines), training "for ever" until one is killed.
struct TwoRanks {
  TwoRanks(const fs::path& root, double timeout) {
    const int port = free_port();
    for (int rank = 0; rank < 2; ++rank) {
      const fs::path logs = root / ("rank" + std::to_string(rank));
      fs::create_directories(logs);
      ranks.push_back(std::make_unique<Process>(
          std::vector<std::string>{DISTRIBUTED_WORKER, "--steps", "1000000000", "--examples", "256",
                                   "--batch-size", "8", "--timeout", std::to_string(timeout),
                                   "--out", root.string()},
          root, logs, rank_environment(rank, 2, port)));
    }
  }
  // True once both ranks have taken a training step.
  bool training(const fs::path& root) const {
    const auto deadline = Clock::now() + kLimit;
    while (Clock::now() < deadline) {
      if (fs::exists(root / "ready0") && fs::exists(root / "ready1")) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  std::vector<std::unique_ptr<Process>> ranks;
};

void expect_survivor_names_the_killed_rank(int killed) {
  TempDir dir;
  const double timeout = 10.0;
  TwoRanks run(dir.path(), timeout);
  ASSERT_TRUE(run.training(dir.path())) << "the ranks never started training";
  run.ranks[killed]->send(SIGKILL);
  const auto killed_at = Clock::now();
  const ProcessResult survivor = run.ranks[1 - killed]->wait(kLimit);
  const double waited = std::chrono::duration<double>(Clock::now() - killed_at).count();
  SCOPED_TRACE("survivor's stderr: " + survivor.err);
  ASSERT_TRUE(survivor.exited) << "killed by signal " << survivor.signal;
  EXPECT_EQ(survivor.exit_code, 1);
  EXPECT_LT(waited, timeout) << "the survivor took longer than --timeout to give up";
  EXPECT_NE(survivor.err.find("lost rank " + std::to_string(killed) + " (pid " +
                              std::to_string(run.ranks[killed]->pid())),
            std::string::npos);
  run.ranks[killed]->wait(kLimit);
}

TEST(LostPeer, KillingRankOneMakesRankZeroExitNamingIt) {
  expect_survivor_names_the_killed_rank(1);
}

TEST(LostPeer, KillingRankZeroWhichHostsTheStoreMakesRankOneExitNamingIt) {
  expect_survivor_names_the_killed_rank(0);
}

TEST(LostPeer, ARankThatNeverArrivesIsNamedAfterTheTimeout) {
  TempDir dir;
  const auto start = Clock::now();
  const ProcessResult result = course::testing::run_process(
      {DISTRIBUTED_WORKER, "--steps", "5", "--timeout", "2"}, dir.path(), dir.path(), kLimit,
      rank_environment(0, 3, free_port()));
  const double waited = std::chrono::duration<double>(Clock::now() - start).count();
  SCOPED_TRACE("stderr: " + result.err);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("ranks 1, 2 did not join within --timeout 2 s"), std::string::npos);
  EXPECT_LT(waited, 30.0);
}

// `distributed_worker --nproc 2` training without end (until killed) in `dir`; returns once
// both workers have taken their first step (their pids are in dir/ready0 and dir/ready1).
std::unique_ptr<Process> start_endless_launcher(const fs::path& dir) {
  const fs::path logs = dir / "logs";
  fs::create_directories(logs);
  auto launcher = std::make_unique<Process>(
      std::vector<std::string>{DISTRIBUTED_WORKER, "--nproc", "2", "--steps", "1000000000",
                               "--examples", "256", "--batch-size", "8", "--timeout", "10", "--out",
                               dir.string()},
      dir, logs, no_rank_environment());
  const auto deadline = Clock::now() + kLimit;
  while (!(fs::exists(dir / "ready0") && fs::exists(dir / "ready1")) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return launcher;
}

TEST(LostPeer, TheLauncherReportsAKilledWorkerAndFailsWithTheSurvivor) {
  TempDir dir;
  const std::unique_ptr<Process> launcher = start_endless_launcher(dir.path());
  ASSERT_TRUE(fs::exists(dir.path() / "ready1")) << "the workers never started training";
  const std::string rank1_pid = read_file(dir.path() / "ready1");
  ASSERT_FALSE(rank1_pid.empty());
  ::kill(std::stoi(rank1_pid), SIGKILL);
  const ProcessResult result = launcher->wait(kLimit);
  SCOPED_TRACE("launcher's stderr: " + result.err);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 128 + SIGKILL);  // the first failure's status
  EXPECT_NE(result.err.find("launcher: rank 1 (pid " + rank1_pid + ") was killed by signal 9"),
            std::string::npos);
  EXPECT_NE(result.err.find("rank 0: lost rank 1 (pid " + rank1_pid), std::string::npos);
}

// The local ends of the TCP sockets `pid` holds open, listening or connected, as "address:port"
// in /proc/net/tcp's hexadecimal (IPv4 and IPv6).
std::vector<std::string> tcp_sockets(pid_t pid) {
  std::set<std::string> inodes;  // the sockets the process holds open
  for (const auto& entry : fs::directory_iterator(fs::path("/proc") / std::to_string(pid) / "fd")) {
    std::error_code error;
    const std::string target = fs::read_symlink(entry.path(), error).string();
    if (!error && target.rfind("socket:[", 0) == 0) {
      inodes.insert(target.substr(8, target.size() - 9));
    }
  }
  std::vector<std::string> sockets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (inodes.count(inode) > 0) sockets.push_back(local);
    }
  }
  return sockets;
}

TEST(Launcher, ARunOnThisMachineUsesLoopbackOnly) {
  // `--nproc 2` keeps its rendezvous in a file and the ranks' connections on 127.0.0.1: no
  // socket of the run may be reachable from the network (c10d has no authentication). Every
  // TCP socket of the launcher and the workers, listening or connected, is on 127.0.0.1.
  TempDir dir;
  const std::unique_ptr<Process> launcher = start_endless_launcher(dir.path());
  ASSERT_TRUE(fs::exists(dir.path() / "ready1")) << "the workers never started training";
  std::vector<std::string> sockets;
  for (const char* ready : {"ready0", "ready1"}) {
    const pid_t worker = std::stoi(read_file(dir.path() / ready));
    for (const std::string& socket : tcp_sockets(worker)) sockets.push_back(socket);
  }
  for (const std::string& socket : tcp_sockets(launcher->pid())) sockets.push_back(socket);
  ::kill(launcher->pid(), SIGTERM);  // passed on to the workers
  launcher->wait(kLimit);
  ASSERT_FALSE(sockets.empty()) << "no TCP socket found: the ranks' Gloo connection is one";
  for (const std::string& socket : sockets) {
    // /proc/net/tcp writes 127.0.0.1 as 0100007F (little-endian); tcp6 the v4-mapped form.
    const std::string address = socket.substr(0, socket.find(':'));
    EXPECT_TRUE(address == "0100007F" || address == "0000000000000000FFFF00000100007F" ||
                address == "00000000000000000000000001000000")
        << "a socket of the run is bound to " << socket << ", not to loopback";
  }
}

#else  // COURSE_WITHOUT_GLOO

// Built without Gloo's headers (the official LibTorch 2.x ships none): asking for several
// processes is one clear error that says how to get the backend, never a crash or a hang.
TEST(DataParallelRun, WithoutGlooSeveralProcessesAreRefusedWithTheFix) {
  WorkerConfig config;
  config.world_size = 2;
  config.rank = 0;
  config.backend = "gloo";  // a CUDA LibTorch may have NCCL, but not for CPU ranks
  try {
    DataParallel::join(config, torch::kCPU);
    FAIL() << "two ranks joined in a build without a backend";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("no Gloo backend"), std::string::npos) << message;
    EXPECT_NE(message.find("COURSE_GLOO_INCLUDE_DIR"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
  WorkerConfig alone;  // one process needs no backend
  EXPECT_EQ(DataParallel::join(alone, torch::kCPU)->world_size(), 1);
}

#endif  // COURSE_WITHOUT_GLOO

}  // namespace
}  // namespace homework::harness
