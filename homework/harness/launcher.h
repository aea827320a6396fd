// The launcher of `homework --nproc N`, the C++ side of `torchrun --nproc-per-node N`.
// Students can skip this folder: it is the harness around homework.cpp, not part of the task.
#pragma once

#include "harness/distributed_options.h"

namespace homework::harness {

// The launcher (torchrun --nproc-per-node N): makes the rendezvous a file in a folder of its own
// (reachable from this machine only; the ranks' Gloo connections listen on 127.0.0.1), starts
// N copies of this program (/proc/self/exe, same arguments) with RANK, LOCAL_RANK, WORLD_SIZE,
// MASTER_ADDR, MASTER_PORT and HOMEWORK_STORE_FILE set, and `--threads T` added unless
// `threads_given` (T = cores / N, at least 1, so N processes do not oversubscribe the cores). Waits
// for all of them; once one fails, the others get --timeout plus a grace period to stop on their
// own, then are terminated. Returns 0 when every worker succeeded, else the first failure's status
// (128 + signal if one was killed).
int launch_workers(const DistributedOptions& options, int argc, char** argv, bool threads_given,
                   bool quiet);

}  // namespace homework::harness
