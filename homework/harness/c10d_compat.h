// The few calls into PyTorch's c10d (torch.distributed's C++ core) whose C++ API differs between
// LibTorch 1.13 and 2.x, kept in one small file so the rest of the code does not care:
//   - 1.13: ProcessGroupGloo *is* a c10d::ProcessGroup;
//     2.x:  it is a c10d::Backend (a ProcessGroup dispatches to backends). Both offer the same
//           allreduce / broadcast / barrier, so the code holds a `Collectives` pointer.
//   - TCPStoreOptions gained fields in 2.x (useLibUV, masterListenFd); we set only the shared ones.
//   - ProcessGroupGloo::Options derives from ProcessGroup::Options (1.13) or Backend::Options
//   (2.x).
// Gloo's own headers are needed to declare ProcessGroupGloo (Debian: libgloo-dev; the official
// LibTorch ships them in include/gloo). Without them the build still succeeds and
// gloo_available() says false, so --nproc fails with a message instead of the build.
#pragma once

#include <torch/torch.h>
#include <torch/version.h>

#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Types.hpp>
#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#else
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#endif

#include <chrono>
#include <cstdint>
#include <string>

namespace homework::harness::c10d_compat {

#if TORCH_VERSION_MAJOR >= 2
using Collectives = c10d::Backend;
#else
using Collectives = c10d::ProcessGroup;
#endif

// A TCPStore (Python: torch.distributed.TCPStore). As server it listens on `port` (0: any free
// port, see store_port()) and serves the other processes; as client it connects to host:port,
// retrying until `timeout`.
c10::intrusive_ptr<c10d::Store> make_tcp_store(const std::string& host, uint16_t port,
                                               bool is_server, std::chrono::milliseconds timeout);
// A FileStore (Python: torch.distributed.FileStore): the rendezvous of processes on one machine
// through a file, with no socket at all. The caller removes the file when the run is over.
c10::intrusive_ptr<c10d::Store> make_file_store(const std::string& path,
                                                std::chrono::milliseconds timeout);
// The port a store made by make_tcp_store() listens on or talks to.
uint16_t store_port(const c10::intrusive_ptr<c10d::Store>& store);

bool gloo_available();  // ProcessGroupGloo compiled into this binary (needs Gloo's headers)
bool nccl_available();  // ProcessGroupNCCL compiled in (a CUDA LibTorch with USE_C10D_NCCL)

// ProcessGroupGloo over TCP. `bind_address`: the address this process listens on for its peers
// ("127.0.0.1" on one machine); empty: GLOO_SOCKET_IFNAME's interface if set, else the address
// this machine's hostname resolves to (as torch.distributed does).
c10::intrusive_ptr<Collectives> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                          int world_size, std::chrono::milliseconds timeout,
                                          const std::string& bind_address);
// ProcessGroupNCCL; throws when nccl_available() is false.
c10::intrusive_ptr<Collectives> make_nccl(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                          int world_size, std::chrono::milliseconds timeout);

}  // namespace homework::harness::c10d_compat
