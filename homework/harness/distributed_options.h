// The flags and environment of data-parallel training: what torchrun users know (WORLD_SIZE,
// RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), each with a flag of the same name, resolved into
// where this process stands.
// Students can skip this folder: it is the harness around homework.cpp, not part of the task.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace homework::harness {

// The flags. Each one but --nproc/--timeout/--backend/--allreduce has the environment variable
// torchrun sets as its fallback; a flag wins over the variable.
struct DistributedOptions {
  int nproc = 1;                 // --nproc: worker processes to start on this machine
  int world_size = 0;            // --world-size / WORLD_SIZE (0: unset)
  int rank = -1;                 // --rank / RANK (-1: unset)
  int local_rank = -1;           // --local-rank / LOCAL_RANK (-1: unset, then the rank)
  std::string master_addr;       // --master-addr / MASTER_ADDR (default 127.0.0.1)
  int master_port = 0;           // --master-port / MASTER_PORT (default 29500; 0 with --nproc: any)
  double timeout = 60.0;         // --timeout: seconds before a silent peer counts as lost
  std::string backend = "auto";  // --backend: auto | gloo | nccl
  std::string allreduce = "flat";  // --allreduce: flat (one buffer per step) | per-parameter
};

void add_distributed_options(CLI::App& app, DistributedOptions& options);

// Where this process stands, from the flags and the environment.
struct WorkerConfig {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  uint16_t master_port = 29500;
  bool launcher_hosts_store = false;  // TORCHELASTIC_USE_AGENT_STORE=True, as torchrun sets it
  std::string store_file;  // HOMEWORK_STORE_FILE: the rendezvous is a file (--nproc, one machine)
  std::chrono::milliseconds timeout{60000};
  std::string backend = "auto";
  bool flat_allreduce = true;
};

// Throws course::UsageError naming the flag or variable when a value is wrong.
WorkerConfig resolve_worker_config(const DistributedOptions& options);

// The device a worker trains on: `requested`, except that "cuda" / "auto" on a machine with
// several GPUs becomes "cuda:<local rank mod GPUs>", so the ranks of one machine share them out.
std::string worker_device(const std::string& requested, const WorkerConfig& config);

// True when this process is the launcher: --nproc > 1 and no rank given (flag or RANK).
bool should_launch_workers(const DistributedOptions& options);

// The shared small rules of the data-parallel files.
std::optional<std::string> environment(const char* name);   // unset or empty: nothing
std::optional<long> environment_integer(const char* name);  // a typo is a UsageError
bool is_loopback(const std::string& address);
double seconds(std::chrono::milliseconds duration);
// True when this build has nothing to connect ranks that ask for `backend` (auto | gloo | nccl):
// no Gloo, and no NCCL either unless NCCL may carry them; then no_backend_message() says why.
bool no_backend_for(const std::string& backend);
std::string no_backend_message();

}  // namespace homework::harness
