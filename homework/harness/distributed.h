// Data-parallel training over several processes and machines, on PyTorch's own c10d (the C++
// core of torch.distributed) with the Gloo backend (NCCL when every rank is on its own GPU).
// What a Python user writes as
//   torchrun --nproc-per-node 2 train.py        # or MASTER_ADDR=... RANK=... on each machine
//   dist.init_process_group("gloo")             # rendezvous through a TCPStore
//   model = DistributedDataParallel(model)      # broadcast of rank 0's weights, averaged grads
//   sampler = DistributedSampler(train, drop_last=True); sampler.set_epoch(epoch)
// is here:
//   - launch_workers(): `homework --nproc N` starts N copies of itself with RANK, WORLD_SIZE, ...
//   - DataParallel::join(): rendezvous, backend, heartbeat; a rank that dies or never arrives
//     makes the others fail within --timeout with a message naming it;
//   - DistributedModel: rank 0's weights broadcast, then the gradients averaged over the ranks
//     in one flat all-reduce after every backward pass; Batches::set_shard() (harness/batches.h);
//   - DataParallel::sum(): the epoch's train loss over the ranks, and a check that they agree.
// With one process (no flags, no environment) every call is a no-op and nothing is started.
// One file a job: distributed_options.h (flags, environment), launcher.h (--nproc),
// data_parallel.h (rendezvous, backend, collectives, heartbeat), distributed_model.h (DDP).
// Students can skip this folder: it is the harness around homework.cpp, not part of the task.
#pragma once

#include "harness/data_parallel.h"
#include "harness/distributed_model.h"
#include "harness/distributed_options.h"
#include "harness/launcher.h"
