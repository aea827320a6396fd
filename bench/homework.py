#!/usr/bin/python3
"""The homework in PyTorch-Python, for the C++/Python comparison of bench/homework_vs_python.sh.

The same model, data, split, optimizer and early-stopping rule as build/*/bin/homework, built
the way the C++ binary builds them, so that with --loader memory both see the same initial
weights and the same batches in the same order:
  - images flattened and normalized by the same 256-entry table ((p / 255 - mean) / std in
    float32), the split of course::split_train_validation (randperm with a generator seeded with
    --seed; the first val-size positions, sorted, for validation);
  - torch.manual_seed(seed) right before the model, whose layers are created in order;
  - --loader memory: each epoch's order is randperm(N) from a generator seeded with seed + epoch,
    and each batch an index_select: what homework::harness::Batches does;
  - --loader dataloader: the usual DataLoader(TensorDataset(...), shuffle=True) (another order).

Run with Debian's interpreter, which has python3-torch (the same LibTorch as the C++ side):
  /usr/bin/python3 bench/homework.py --loader dataloader --epochs 3
  /usr/bin/python3 bench/homework.py --loader memory              # the whole homework
Prints one line per epoch and a final JSON line (prefix "RESULT "); --json-epochs adds a JSON
line per epoch (prefix "EPOCH "), which tools/parity/parity.py --homework compares with the C++.
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

PIXEL_MEAN = 0.2860
PIXEL_STD = 0.3530
SEARCH = ["data/fashion-mnist", "/usr/share/datasets/fashion-mnist"]


def find_data_dir(flag):
    candidates = [flag] if flag else [os.environ.get("FASHION_MNIST_DIR", "")] + SEARCH
    for candidate in candidates:
        if candidate and os.path.exists(os.path.join(candidate, "train-images-idx3-ubyte.gz")):
            return candidate
    sys.exit(f"homework.py: error: no Fashion-MNIST files in {candidates}; pass --data-dir")


def read_idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load(dir_, prefix):
    pixels = read_idx(os.path.join(dir_, f"{prefix}-images-idx3-ubyte.gz"), 16)
    labels = read_idx(os.path.join(dir_, f"{prefix}-labels-idx1-ubyte.gz"), 8)
    # The C++ loader's table, in float32 step by step: bit-identical inputs.
    table = (np.arange(256, dtype=np.float32) / np.float32(255.0) - np.float32(PIXEL_MEAN)) \
        / np.float32(PIXEL_STD)
    images = torch.from_numpy(table[pixels].reshape(-1, 784))
    return images, torch.from_numpy(labels.astype(np.int64))


def split(images, labels, val_size, seed):
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(labels), generator=generator)
    val = order[:val_size].sort().values
    train = order[val_size:].sort().values
    return images[train], labels[train], images[val], labels[val]


def evaluate(model, images, labels):
    model.eval()
    with torch.no_grad():
        logits = model(images)
        loss = F.cross_entropy(logits, labels).item()
        accuracy = (logits.argmax(1) == labels).double().mean().item()
    return loss, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loader", choices=["memory", "dataloader"], default="memory")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--max-epochs", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=0,
                        help="train exactly this many epochs (timing runs); 0: early stopping")
    parser.add_argument("--val-size", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--json-epochs", action="store_true",
                        help='also print each epoch as a JSON line "EPOCH {...}" '
                             "(tools/parity/parity.py --homework reads them)")
    args = parser.parse_args()

    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    data_dir = find_data_dir(args.data_dir)
    train_images, train_labels = load(data_dir, "train")
    test_images, test_labels = load(data_dir, "t10k")
    train_images, train_labels, val_images, val_labels = split(
        train_images, train_labels, args.val_size, args.seed)

    torch.manual_seed(args.seed)
    model = nn.Sequential(nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
                          nn.Linear(100, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loader = DataLoader(TensorDataset(train_images, train_labels), batch_size=args.batch_size,
                        shuffle=True, generator=torch.Generator().manual_seed(args.seed))

    max_epochs = args.epochs or args.max_epochs
    best_loss, best_epoch, since_best = math.inf, 0, 0
    best_state = {k: v.clone() for k, v in model.state_dict().items()}
    history = []
    for epoch in range(1, max_epochs + 1):
        epoch_start = time.perf_counter()
        model.train()
        if args.loader == "memory":
            order = torch.randperm(len(train_labels),
                                   generator=torch.Generator().manual_seed(args.seed + epoch))
            batches = ((train_images.index_select(0, index), train_labels.index_select(0, index))
                       for index in order.split(args.batch_size))
        else:
            batches = loader
        loss_sum, seen = 0.0, 0
        for images, labels in batches:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(labels)
            seen += len(labels)
        val_loss, val_accuracy = evaluate(model, val_images, val_labels)
        seconds = time.perf_counter() - epoch_start
        improved = val_loss < best_loss
        if improved:
            best_loss, best_epoch, since_best = val_loss, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            since_best += 1
        history.append({"epoch": epoch, "train_loss": loss_sum / seen, "val_loss": val_loss,
                        "val_accuracy": val_accuracy, "seconds": seconds})
        if args.json_epochs:
            print("EPOCH " + json.dumps(history[-1]), flush=True)
        print(f"epoch {epoch:3}  train loss {loss_sum / seen:.4f}  val loss {val_loss:.4f}  "
              f"val acc {val_accuracy:.4f}  {seconds:5.2f} s{'  * best' if improved else ''}",
              flush=True)
        if not args.epochs and since_best >= max(args.patience, 1):
            break
    model.load_state_dict(best_state)
    test_loss, test_accuracy = evaluate(model, test_images, test_labels)
    result = {"loader": args.loader, "epochs": len(history), "best_epoch": best_epoch,
              "test_accuracy": test_accuracy, "test_loss": test_loss,
              "seconds": time.perf_counter() - start, "history": history,
              "threads": torch.get_num_threads(), "torch": torch.__version__}
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
