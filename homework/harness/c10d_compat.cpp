#include "harness/c10d_compat.h"

#include <cstdlib>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "common/language.h"

#if defined(USE_C10D_GLOO) && __has_include(<gloo/config.h>)
#define HOMEWORK_HAVE_GLOO 1
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#else
#define HOMEWORK_HAVE_GLOO 0
#endif

// NCCL: only a CUDA LibTorch built with it, and only where nccl.h is on the include path.
// TODO(multi-GPU): exercised on no machine of ours yet (one GPU cannot host two NCCL ranks).
#if defined(USE_C10D_NCCL) && __has_include(<nccl.h>) && \
    __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#define HOMEWORK_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#else
#define HOMEWORK_HAVE_NCCL 0
#endif

namespace homework::harness::c10d_compat {

c10::intrusive_ptr<c10d::Store> make_tcp_store(const std::string& host, uint16_t port,
                                               bool is_server, std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions options;  // 2.x adds fields (useLibUV, ...); their defaults are fine
  options.port = port;
  options.isServer = is_server;
  options.waitWorkers =
      false;  // arrival is checked by the caller, rank by rank, to name latecomers
  options.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(host, options);
}

c10::intrusive_ptr<c10d::Store> make_file_store(const std::string& path,
                                                std::chrono::milliseconds timeout) {
  // FileStore deletes its file once as many stores as `numWorkers` have been closed; the
  // heartbeats open stores of their own, so no count fits: the launcher removes the file.
  auto store = c10::make_intrusive<c10d::FileStore>(path, std::numeric_limits<int>::max());
  store->setTimeout(timeout);
  return store;
}

uint16_t store_port(const c10::intrusive_ptr<c10d::Store>& store) {
  const auto* tcp = dynamic_cast<const c10d::TCPStore*>(store.get());
  if (tcp == nullptr) throw std::logic_error("store_port: not a TCPStore");
  return tcp->getPort();
}

bool gloo_available() {
  return HOMEWORK_HAVE_GLOO != 0;
}
bool nccl_available() {
  return HOMEWORK_HAVE_NCCL != 0;
}

c10::intrusive_ptr<Collectives> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                          int world_size, std::chrono::milliseconds timeout,
                                          const std::string& bind_address) {
#if HOMEWORK_HAVE_GLOO
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
  if (!bind_address.empty()) {
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(bind_address));
  } else if (interface != nullptr && *interface != '\0') {
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
  } else {
    options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  }
  // One worker thread: the training issues one collective at a time and waits for it.
  options->threads = 1;
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world_size, options);
#else
  (void)store, (void)rank, (void)world_size, (void)timeout, (void)bind_address;
  throw std::runtime_error(std::string(
      course::tr("this build has no Gloo backend (LibTorch's c10d needs Gloo's headers)")));
#endif
}

c10::intrusive_ptr<Collectives> make_nccl(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                          int world_size, std::chrono::milliseconds timeout) {
#if HOMEWORK_HAVE_NCCL
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world_size, options);
#else
  (void)store, (void)rank, (void)world_size, (void)timeout;
  throw std::runtime_error(
      std::string(course::tr("this build has no NCCL backend (a CUDA LibTorch built with NCCL)")));
#endif
}

}  // namespace homework::harness::c10d_compat
