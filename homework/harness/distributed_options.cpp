#include "harness/distributed_options.h"

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>
#include <torch/torch.h>

#include "common/cli.h"
#include "common/language.h"
#include "harness/c10d_compat.h"

namespace homework::harness {

using course::N_;
using course::trf;
using std::chrono::milliseconds;

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
    throw course::UsageError(trf("{}='{}' is not a whole number", name, *value));
  }
  return number;
}

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

std::string no_backend_message() {
  return std::string(course::tr(
      "this build has no Gloo backend for several processes: LibTorch's c10d needs Gloo's "
      "headers to declare it (Debian: `sudo apt install libgloo-dev`; the official LibTorch: "
      "configure with -DCOURSE_GLOO_INCLUDE_DIR=<gloo source>), then rebuild"));
}

bool no_backend_for(const std::string& backend) {
  return !c10d_compat::gloo_available() && (backend == "gloo" || !c10d_compat::nccl_available());
}

// The descriptions are marked N_: course::run_main translates them (course::localize_cli).
void add_distributed_options(CLI::App& app, DistributedOptions& options) {
  CLI::App* group = app.add_option_group(
      N_("Distributed"), N_("Data-parallel training (homework/README.md, \"Training on several "
                            "processes or machines\")"));
  group
      ->add_option("--nproc", options.nproc,
                   N_("Start this many worker processes on this machine (like torchrun "
                      "--nproc-per-node) and train data-parallel"))
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  group
      ->add_option(
          "--world-size", options.world_size,
          N_("Processes in the whole run, on every machine (default: $WORLD_SIZE, else 1)"))
      ->check(CLI::Range(1, 65536));
  group
      ->add_option("--rank", options.rank,
                   N_("This process's rank, 0 .. world size - 1 (default: $RANK)"))
      ->check(CLI::Range(0, 65535));
  group
      ->add_option("--local-rank", options.local_rank,
                   N_("This process's index on its machine, picks its GPU (default: $LOCAL_RANK, "
                      "else the rank)"))
      ->check(CLI::Range(0, 65535));
  group->add_option("--master-addr", options.master_addr,
                    N_("Address of rank 0, which hosts the rendezvous (default: $MASTER_ADDR, else "
                       "127.0.0.1)"));
  group
      ->add_option("--master-port", options.master_port,
                   N_("Port of the rendezvous (default: $MASTER_PORT, else 29500; with --nproc "
                      "alone: any free port)"))
      ->check(CLI::Range(1, 65535));
  group
      ->add_option("--timeout", options.timeout,
                   N_("Seconds a rank waits for the others (to arrive, or to answer) before it "
                      "stops with an error naming the missing one"))
      ->capture_default_str()
      ->check(CLI::Range(0.1, 86400.0));
  group
      ->add_option("--backend", options.backend,
                   N_("Communication backend: auto (NCCL when every rank has a GPU of its own, "
                      "else Gloo), gloo, nccl"))
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "gloo", "nccl"}));
  group
      ->add_option("--allreduce", options.allreduce,
                   N_("Gradient all-reduce: flat (all gradients in one buffer, one call per step) "
                      "or per-parameter (one call per tensor, to compare)"))
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
    throw course::UsageError(trf("WORLD_SIZE={} must be between 1 and 65536", world_size));
  }
  config.world_size = static_cast<int>(world_size);
  if (options.rank >= 0) {
    config.rank = options.rank;
  } else if (rank) {
    config.rank = static_cast<int>(*rank);
  } else if (config.world_size > 1) {
    throw course::UsageError(
        trf("the world size is {} but this process has no rank: set RANK or --rank (0 to {}), or "
            "start every process here with --nproc {}",
            config.world_size, config.world_size - 1, config.world_size));
  }
  if (config.rank < 0 || config.rank >= config.world_size) {
    throw course::UsageError(
        trf("rank {} is outside 0 .. {} (world size {}): check "
            "RANK / --rank and WORLD_SIZE / --world-size",
            config.rank, config.world_size - 1, config.world_size));
  }
  config.local_rank = options.local_rank >= 0 ? options.local_rank
                                              : static_cast<int>(local_rank.value_or(config.rank));
  if (config.local_rank < 0) {
    throw course::UsageError(trf("LOCAL_RANK={} must be >= 0", config.local_rank));
  }
  if (!options.master_addr.empty()) {
    config.master_addr = options.master_addr;
  } else if (const auto address = environment("MASTER_ADDR")) {
    config.master_addr = *address;
  }
  const long master_port = options.master_port > 0 ? options.master_port : port.value_or(29500);
  if (master_port < 1 || master_port > 65535) {
    throw course::UsageError(trf("MASTER_PORT={} must be between 1 and 65535", master_port));
  }
  config.master_port = static_cast<uint16_t>(master_port);
  config.launcher_hosts_store = environment("TORCHELASTIC_USE_AGENT_STORE") == "True";
  config.store_file = environment("HOMEWORK_STORE_FILE").value_or("");
  config.timeout = milliseconds(static_cast<int64_t>(options.timeout * 1000.0));
  config.backend = options.backend;
  config.flat_allreduce = options.allreduce != "per-parameter";
  return config;
}

}  // namespace homework::harness
