#!/usr/bin/python3
"""Exercise 05 in PyTorch-Python: the twin of main.cpp, a Dataset over Fashion-MNIST, its
Normalize + collate pipeline and a shuffling DataLoader with workers, with the same numbers for the
same --seed. The classes are the Python that solution/dataloader.cpp mirrors.

    /usr/bin/python3 exercises/05_dataloader/main.py [--seed 42] [--threads 1]
"""
import os
import sys
import time

import torch
from torch.utils.data import DataLoader, Dataset, Sampler, default_collate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import (CLASS_NAMES, PIXEL_MEAN, PIXEL_STD, Lesson,  # noqa: E402
                           apply_common_options, load_fashion_mnist, locate_data_dir, parser, tr,
                           trf, trn)


class FashionDataset(Dataset):
    """Example `index` is (images[index], labels[index]), an image [1, 28, 28] and an int64."""

    def __init__(self, images, labels, transform=None):
        self.images, self.labels, self.transform = images, labels, transform

    def __getitem__(self, index):
        image = self.images[index]
        return (self.transform(image) if self.transform else image), self.labels[index]

    def __len__(self):
        return len(self.labels)


class Normalize:
    """(image - mean) / std per channel, as torchvision's transforms.Normalize((mean,), (std,))
    and LibTorch's torch::data::transforms::Normalize compute it."""

    def __init__(self, mean, std):
        self.mean = torch.tensor([mean]).view(-1, 1, 1)
        self.std = torch.tensor([std]).view(-1, 1, 1)

    def __call__(self, image):
        return image.sub(self.mean).div(self.std)


class RandomSampler(Sampler):
    """LibTorch's RandomSampler: torch.randperm(size) from the global generator when made and at
    the start of every epoch. (Python's own shuffle=True draws the order from a generator of its
    own, so it would give other orders than the C++ for the same seed.)"""

    def __init__(self, size):
        self.size = size
        self.order = torch.randperm(size)

    def __iter__(self):
        self.order = torch.randperm(self.size)
        return iter(self.order.tolist())

    def __len__(self):
        return self.size


def make_loader(dataset, batch_size=32, workers=2, drop_last=False):
    # DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2); the workers' seeds come
    # from a generator of their own, so that the global one is the sampler's alone, as in C++.
    return DataLoader(dataset, batch_size=batch_size, sampler=RandomSampler(len(dataset)),
                      num_workers=workers, drop_last=drop_last, generator=torch.Generator())


def run_epoch(loader, device):
    """(batches, examples, batch sizes, every target in order) of one pass over the loader."""
    sizes, targets = [], []
    for images, labels in loader:  # for x, y in loader:
        images, labels = images.to(device), labels.to(device)
        sizes.append(len(images))
        targets.append(labels.cpu())
    return len(sizes), sum(sizes), sizes, torch.cat(targets)


def main():
    options = parser("Exercise 05: Dataset and DataLoader over Fashion-MNIST").parse_args()
    data_dir = locate_data_dir(options.data_dir)  # the data first; pixels stay in [0, 1]
    train_images, train_labels = load_fashion_mnist(data_dir, True)
    test_images, test_labels = load_fashion_mnist(data_dir, False)
    device = apply_common_options(options)
    lesson = Lesson("Exercise 05: Dataset and DataLoader")

    with lesson.section("A Dataset over tensors in memory"):
        dataset = FashionDataset(train_images, train_labels)
        image, label = dataset[0]
        print(trf("len(dataset) = {} | dataset[0]: image {} {}, label {} ({})", len(dataset),
                  list(image.shape), image.dtype, label.item(), tr(CLASS_NAMES[label.item()])))
        print(trf("pixels in [{:.1f}, {:.1f}]", image.min().item(), image.max().item()))

    with lesson.section("The pipeline: Normalize, then Stack"):
        pipeline = FashionDataset(train_images, train_labels, Normalize(PIXEL_MEAN, PIXEL_STD))
        # default_collate stacks the examples, as LibTorch's Stack<> does
        data, target = default_collate([pipeline[i] for i in range(1000)])
        print(f"default_collate([pipeline[i] for i in 0..999]): data {list(data.shape)} "
              f"{data.dtype}, target {list(target.shape)} {target.dtype}")
        print(trf("after Normalize({}, {}): mean {:.3f}, std {:.3f} (was about 0.286 and 0.353)",
                  PIXEL_MEAN, PIXEL_STD, data.mean().item(), data.std().item()))

    with lesson.section("DataLoader: batch 32, shuffled, 2 workers"):
        test_pipeline = FashionDataset(test_images, test_labels, Normalize(PIXEL_MEAN, PIXEL_STD))
        for drop_last in (False, True):
            batches, examples, sizes, _ = run_epoch(
                make_loader(test_pipeline, drop_last=drop_last), torch.device("cpu"))
            print(trf("test set, drop_last={}: {} batches, {} examples, last batch of {}",
                      drop_last, batches, examples, sizes[-1]))
        print(tr("ceil(10000 / 32) = 313; drop_last leaves out the 16 examples of the last one"))

    with lesson.section("Shuffling: a new order every epoch, the same one for the same seed"):
        # Ten examples whose labels are their own indices, so the targets show the order.
        tiny = FashionDataset(torch.zeros(10, 1, 28, 28), torch.arange(10),
                              Normalize(0.0, 1.0))
        torch.manual_seed(options.seed)
        loader = make_loader(tiny, batch_size=4)
        for epoch in (1, 2):
            order = run_epoch(loader, torch.device("cpu"))[3]
            print(trf("epoch {}: {}", epoch, " ".join(str(i) for i in order.tolist())))
        torch.manual_seed(options.seed)
        again = make_loader(tiny, batch_size=4)
        order = run_epoch(again, torch.device("cpu"))[3]
        print(trf("same seed, new loader, epoch 1: {}", " ".join(str(i) for i in order.tolist())))

    with lesson.section("Speed: batches per second with 0 and 2 workers"):
        pipeline = FashionDataset(train_images, train_labels, Normalize(PIXEL_MEAN, PIXEL_STD))
        for workers in (0, 2):
            start = time.perf_counter()
            batches = run_epoch(make_loader(pipeline, workers=workers), device)[0]
            seconds = time.perf_counter() - start
            print(trf("workers={}: {} batches in {:.2f} s = {:.0f} batches/s", workers, batches,
                      seconds, batches / seconds))
        cores = os.cpu_count()
        print(trn("workers are processes that build the next batches while the main process uses "
                  "this one ({} core here)",
                  "workers are processes that build the next batches while the main process uses "
                  "this one ({} cores here)", cores, cores))

    with lesson.section("Pinned memory and non-blocking copies (CUDA)"):
        data, target = train_images[:32], train_labels[:32]
        if device.type == "cuda":  # DataLoader(..., pin_memory=True), then non_blocking copies
            data = data.pin_memory().to(device, non_blocking=True)
            target = target.pin_memory().to(device, non_blocking=True)
        else:
            data, target = data.to(device), target.to(device)
        print(trf("to_device: batch now on {}", data.device))
        if device.type == "cuda":
            print(tr("pinned host copy, then .to(device, non_blocking=true): the copy overlaps the "
                     "GPU's work"))
        else:
            print(tr("on the CPU there is nothing to copy: pinning needs CUDA, and the batch is "
                     "already where the model is"))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
