#include "harness/data_parallel.h"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>

#include "common/cli.h"
#include "common/language.h"
#include "harness/c10d_compat.h"

namespace homework::harness {
namespace {

using course::tr;
using course::trf;
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

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "unknown-host";
  return name;
}

using course::first_line;

std::string list_ranks(const std::vector<int>& ranks) {
  return fmt::format("{}", fmt::join(ranks, ", "));
}

// The rendezvous store: a file on one machine (`--nproc`), else a TCPStore that rank 0 hosts
// (unless the launcher, torchrun's agent, does) and the others reach at MASTER_ADDR:MASTER_PORT.
c10::intrusive_ptr<c10d::Store> open_store(const WorkerConfig& config, bool host) {
  if (!config.store_file.empty()) {
    return c10d_compat::make_file_store(config.store_file, config.timeout);
  }
  return c10d_compat::make_tcp_store(config.master_addr, config.master_port, host, config.timeout);
}

// Where the rendezvous is, for messages.
std::string rendezvous_place(const WorkerConfig& config) {
  return config.store_file.empty() ? fmt::format("{}:{}", config.master_addr, config.master_port)
                                   : config.store_file;
}

}  // namespace

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
        own = open_store(config, /*host=*/false);
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
               ? trf("rank {} ({})", rank, peers[rank])
               : trf("rank {}", rank);
  }

  std::string store_host() const {
    if (!config.store_file.empty()) return trf("the rendezvous file {}", config.store_file);
    return config.launcher_hosts_store ? trf("the launcher (its rendezvous at {}:{})",
                                             config.master_addr, config.master_port)
                                       : trf("{}, which hosts the rendezvous", describe(0));
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
      return trf("lost {}", store_host());
    }
    if (!lost.empty()) {
      std::vector<std::string> names;
      for (int rank : lost) names.push_back(describe(rank));
      return trf("lost {}: no sign of life from it", fmt::join(names, ", "));
    }
    if (!failed.empty()) return trf("rank {} failed first ({})", failed.front(), first_reason);
    return std::string(tr("a peer stopped answering, though every rank still sends heartbeats"));
  }

  [[noreturn]] void fail(const std::string& during, const std::string& error) {
    const std::string message =
        trf("rank {}: {}, during {} (--timeout {:g} s; {}: {})", config.rank, diagnose(), during,
            seconds(config.timeout), backend, error);
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

namespace {

// The four steps of join(), each a function of the Group it fills.

// 1. The store: a file on one machine, else a TCPStore that rank 0 hosts (unless the launcher
// does) and the others connect to.
void connect_store(DataParallel::Group& group) {
  const WorkerConfig& config = group.config;
  try {
    group.store = open_store(config, group.hosts_store);
  } catch (const std::exception& error) {
    if (group.hosts_store) {
      throw std::runtime_error(
          trf("rank 0: cannot host the rendezvous on port {} ({}); is another run using it? "
              "Pick another MASTER_PORT / --master-port",
              config.master_port, first_line(error)));
    }
    throw std::runtime_error(
        trf("rank {}: cannot reach the rendezvous at {} within --timeout {:g} s ({}); start rank 0 "
            "there, or fix MASTER_ADDR / MASTER_PORT",
            config.rank, rendezvous_place(config), seconds(config.timeout), first_line(error)));
  }
}

// 2. Arrive: claim the rank, say who we are, start the heartbeat, and wait for everyone else
// (naming those that do not come).
void arrive(DataParallel::Group& group, const torch::Device& device) {
  const WorkerConfig& config = group.config;
  const int rank = config.rank;
  const std::string where = rendezvous_place(config);
  c10d::Store& store = *group.store;
  try {
    if (store.add(key("claim", rank), 1) > 1) {
      throw std::runtime_error(
          trf("rank {}: another process already joined as rank {}; give each process its own "
              "RANK",
              rank, rank));
    }
    const std::string who = trf("pid {} on {}", ::getpid(), host_name());
    const std::string place =
        device.is_cuda() ? fmt::format("cuda:{}@{}", device.index(), host_name()) : "cpu";
    store.set(key("worker", rank), bytes(who));
    store.set(key("device", rank), bytes(place));
  } catch (const c10::Error& error) {
    throw std::runtime_error(
        trf("rank {}: the rendezvous at {} failed: {}", rank, where, first_line(error)));
  }
  group.start_heartbeat();
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
          trf("rank {}: lost the rendezvous at {} while waiting for the other ranks ({})", rank,
              where, first_line(error)));
    }
    throw std::runtime_error(course::trn(
        "rank {}: rank {} did not join within --timeout {:g} s (rendezvous {}, world size {}); "
        "start every rank with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE, or raise "
        "--timeout",
        "rank {}: ranks {} did not join within --timeout {:g} s (rendezvous {}, world size {}); "
        "start every rank with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE, or raise "
        "--timeout",
        static_cast<long long>(missing.size()), rank, list_ranks(missing), seconds(config.timeout),
        where, config.world_size));
  }
}

// 3. The backend: NCCL when it is compiled in and every rank has a GPU of its own, else Gloo.
void choose_backend(DataParallel::Group& group, const torch::Device& device) {
  const WorkerConfig& config = group.config;
  std::vector<std::string> places;
  for (int peer = 0; peer < config.world_size; ++peer) {
    group.peers.push_back(text(group.store->get(key("worker", peer))));
    places.push_back(text(group.store->get(key("device", peer))));
  }
  const bool all_cuda = std::all_of(places.begin(), places.end(), [](const std::string& place) {
    return place.rfind("cuda", 0) == 0;
  });
  const bool distinct = std::set<std::string>(places.begin(), places.end()).size() == places.size();
  const bool nccl_fits = c10d_compat::nccl_available() && all_cuda && distinct;
  if (config.backend == "nccl" && !nccl_fits) {
    throw course::UsageError(
        c10d_compat::nccl_available()
            ? trf("--backend nccl needs a LibTorch with NCCL and every rank on a GPU of its own "
                  "(this build has NCCL; the ranks are on {}); use --backend gloo",
                  fmt::join(places, ", "))
            : trf("--backend nccl needs a LibTorch with NCCL and every rank on a GPU of its own "
                  "(this build has no NCCL; the ranks are on {}); use --backend gloo",
                  fmt::join(places, ", ")));
  }
  group.backend = config.backend == "gloo" || !nccl_fits ? "gloo" : "nccl";
  if (group.backend == "gloo" && !c10d_compat::gloo_available()) {
    throw std::runtime_error(fmt::format("rank {}: {}", config.rank, no_backend_message()));
  }
  if (group.backend == "nccl") group.staging = device;
}

// 4. Connect the ranks (Gloo listens on loopback when the whole run is on this machine).
void connect_ranks(DataParallel::Group& group) {
  const WorkerConfig& config = group.config;
  try {
    auto prefixed =
        c10::make_intrusive<c10d::PrefixStore>("homework/" + group.backend, group.store);
    group.collectives =
        group.backend == "nccl"
            ? c10d_compat::make_nccl(prefixed, config.rank, config.world_size, config.timeout)
            : c10d_compat::make_gloo(prefixed, config.rank, config.world_size, config.timeout,
                                     is_loopback(config.master_addr) ? "127.0.0.1" : "");
  } catch (const std::exception& error) {
    group.fail(std::string(tr("the connection of the ranks")), first_line(error));
  }
}

}  // namespace

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
  group->hosts_store =
      config.rank == 0 && !config.launcher_hosts_store && config.store_file.empty();
  group->heartbeat_interval =
      std::clamp(config.timeout / 20, milliseconds(100), milliseconds(1000));
  connect_store(*group);
  arrive(*group, device);
  choose_backend(*group, device);
  connect_ranks(*group);
  self->group_ = std::move(group);
  return self;
}

void DataParallel::broadcast_parameters(const std::vector<torch::Tensor>& parameters) {
  if (!group_) return;
  torch::Tensor flat = group_->flatten(parameters);
  group_->broadcast_from_rank0(flat,
                               std::string(tr("the broadcast of rank 0's initial parameters")));
  Group::unflatten(flat, parameters);
}

bool DataParallel::average_gradients(const std::vector<torch::Tensor>& parameters, bool stop) {
  if (!group_) return stop;
  Group& group = *group_;
  const Clock::time_point start = Clock::now();
  torch::NoGradGuard no_grad;
  ++group.step;
  const std::string during = trf("the gradient all-reduce of step {}", group.step);
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
  group_->allreduce_sum(tensor, std::string(tr("the sum of the validation results")));
  tensor = tensor.to(torch::kCPU);
  const double* data = tensor.data_ptr<double>();
  return {data, data + tensor.numel()};
}

bool DataParallel::parameters_identical(const std::vector<torch::Tensor>& parameters) {
  if (!group_) return true;
  const torch::Tensor mine = group_->flatten(parameters);
  torch::Tensor rank0 = mine.clone();
  group_->broadcast_from_rank0(rank0, std::string(tr("the final check of the parameters")));
  const bool same = torch::equal(mine, rank0);
  return sum({same ? 0.0 : 1.0}).front() == 0.0;
}

void require_identical_parameters(DataParallel& group,
                                  const std::vector<torch::Tensor>& parameters) {
  if (!group.parameters_identical(parameters)) {
    throw std::runtime_error(
        std::string(tr("the ranks ended with different parameters: the gradient all-reduce or "
                       "the sharding is broken")));
  }
}

}  // namespace homework::harness
