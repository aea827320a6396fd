#!/usr/bin/python3
"""Exercise 04 in PyTorch-Python: the twin of main.cpp, the manual training loop on
Fashion-MNIST, with the same numbers for the same --seed. The functions are the Python that
solution/training_loop.cpp mirrors.

    /usr/bin/python3 exercises/04_training_loop/main.py [--seed 42] [--batch-size 64]
"""
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import (Lesson, apply_common_options, load_fashion_mnist,  # noqa: E402
                           locate_data_dir, parser, shape, tr, trf)


class Classifier(nn.Module):
    """784 -> hidden -> ReLU -> Dropout -> 10, layers created in the C++'s order."""

    def __init__(self, hidden=128, dropout_probability=0.2):
        super().__init__()
        self.fc1 = nn.Linear(784, hidden)
        self.dropout = nn.Dropout(dropout_probability)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, images):
        return self.fc2(self.dropout(torch.relu(self.fc1(images.flatten(1)))))


class DeviceMismatch(ValueError):
    pass


def check_same_device(model, batch):
    for name, parameter in model.named_parameters():
        if parameter.device != batch.device:
            raise DeviceMismatch(
                f"the model's parameter '{name}' is on {parameter.device} but the batch is on "
                f"{batch.device}: move both to one device with model.to(device) and "
                f"batch.to(device)")


criterion = nn.CrossEntropyLoss()


def train_step(model, optimizer, images, labels):
    check_same_device(model, images)
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    return loss.item()


def train_one_epoch(model, optimizer, images, labels, batch_size):
    """(first batch loss, sample-weighted mean loss, batches, examples) of one shuffled epoch."""
    model.train()  # Dropout on
    order = torch.randperm(len(labels), device=images.device)  # a new order every epoch
    first_loss, loss_sum, batches = 0.0, 0.0, 0
    for index in order.split(batch_size):
        loss = train_step(model, optimizer, images.index_select(0, index),
                          labels.index_select(0, index))
        if batches == 0:
            first_loss = loss
        loss_sum += loss * len(index)  # weight by the batch's size
        batches += 1
    return first_loss, loss_sum / len(labels), batches, len(labels)


def accuracy(model, images, labels, batch_size=1000):
    check_same_device(model, images)
    model.eval()  # Dropout off
    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            predicted = model(images[start:start + batch_size]).argmax(1)
            correct += (predicted == labels[start:start + batch_size]).sum().item()
    return correct / len(labels)


def accuracy_in_train_mode(model, images, labels):
    """The mistake: predictions made with model.train(), Dropout still active."""
    model.train()
    with torch.no_grad():
        return (model(images).argmax(1) == labels).double().mean().item()


def main():
    arguments = parser("Exercise 04: the manual training loop on Fashion-MNIST")
    arguments.add_argument("--batch-size", type=int, default=64,
                           help=tr("Examples per training step"))
    options = arguments.parse_args()
    batch_size = options.batch_size
    data_dir = locate_data_dir(options.data_dir)  # the data first, as the C++
    train_images, train_labels = load_fashion_mnist(data_dir, True, flatten=True, normalize=True)
    test_images, test_labels = load_fashion_mnist(data_dir, False, flatten=True, normalize=True)
    device = apply_common_options(options)
    train_images, train_labels = train_images.to(device), train_labels.to(device)
    test_images, test_labels = test_images.to(device), test_labels.to(device)

    lesson = Lesson("Exercise 04: the manual training loop")
    # The network and optimizer first, so that the seed alone fixes their initial weights.
    model = Classifier(hidden=128, dropout_probability=0.2).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    with lesson.section("Data and model"):
        print(trf("train images {} | test images {} | data from {}", shape(train_images),
                  shape(test_images), data_dir))
        print(trf("Classifier 784 -> 128 -> ReLU -> Dropout(0.2) -> 10: {} parameters",
                  sum(p.numel() for p in model.parameters())))

    with lesson.section("One step: zero_grad, forward, loss, backward, step"):
        scratch = Classifier(128, 0.0).to(device)  # a throwaway copy: the epoch starts untouched
        scratch_optimizer = torch.optim.Adam(scratch.parameters(), lr=1e-3)
        x, y = train_images[:batch_size], train_labels[:batch_size]
        for step in range(1, 6):
            loss = train_step(scratch, scratch_optimizer, x, y)
            print(trf("step {}: loss of the same batch before the step {:.4f}", step, loss))
        print(tr("the loss falls: each step moves the weights against the gradient"))

    with lesson.section("make_adam: the model on its device first, then the optimizer"):
        scratch = Classifier(128, 0.0)
        scratch.to(device)  # first the model, then the optimizer over its moved parameters
        adam = torch.optim.Adam(scratch.parameters(), lr=1e-3)
        print(trf("Adam over {} tensors on {}; state before any step: {} entries",
                  len(adam.param_groups[0]["params"]), next(scratch.parameters()).device,
                  len(adam.state)))
        train_step(scratch, adam, train_images[:batch_size], train_labels[:batch_size])
        scratch.to(torch.float64)  # the model moves after a step...
        state = next(iter(adam.state.values()))
        print(trf("after a step, model.to(torch.float64): parameters {}, Adam's exp_avg still {}: "
                  "the state made at the first step does not move with the model",
                  next(scratch.parameters()).dtype, state["exp_avg"].dtype))

    with lesson.section("Mistake 1: forgetting zero_grad() accumulates gradients"):
        scratch = Classifier(128, 0.2).to(device)
        scratch.eval()  # Dropout off, so both passes see the same network
        x, y = train_images[:batch_size], train_labels[:batch_size]
        scratch.zero_grad()
        criterion(scratch(x), y).backward()
        once = scratch.fc1.weight.grad.norm().item()
        criterion(scratch(x), y).backward()  # no zero_grad() in between
        twice = scratch.fc1.weight.grad.norm().item()
        scratch.zero_grad()
        criterion(scratch(x), y).backward()
        zeroed = scratch.fc1.weight.grad.norm().item()
        print(trf("|grad fc1.weight| after one backward:             {:.5f}", once))
        print(trf("|grad fc1.weight| after a second, without zeroing: {:.5f} ({:.2f}x)", twice,
                  twice / once))
        print(trf("|grad fc1.weight| after zero_grad() and backward:  {:.5f}", zeroed))

    with lesson.section("One epoch with Adam(1e-3)"):
        start = time.perf_counter()
        first_loss, mean_loss, batches, examples = train_one_epoch(
            model, optimizer, train_images, train_labels, batch_size)
        seconds = time.perf_counter() - start
        print(trf("{} batches of {} ({} examples) in {:.2f} s", batches, batch_size, examples,
                  seconds))
        print(trf("first batch loss {:.4f} -> mean training loss {:.4f}", first_loss, mean_loss))

    with lesson.section("Test accuracy, and mistake 2: evaluating in train() mode"):
        in_eval = accuracy(model, test_images, test_labels)
        in_train = accuracy_in_train_mode(model, test_images, test_labels)
        in_train_again = accuracy_in_train_mode(model, test_images, test_labels)
        print(trf("test accuracy, eval() under torch.no_grad(): {:.4f}", in_eval))
        print(trf("test accuracy, left in train() mode:         {:.4f}, then {:.4f} (Dropout "
                  "differs each time)", in_train, in_train_again))

    with lesson.section("Mistake 3: model and batch on different devices"):
        # Without CUDA the "meta" device (shapes, no data) plays the other device.
        other = torch.device("meta") if device.type == "cpu" else torch.device("cpu")
        batch = test_images[:4].to(other)
        try:
            check_same_device(model, batch)
            print(trf("no error: check_same_device() let a batch on {} through", other))
        except DeviceMismatch as error:
            print(trf("caught (your message): \"{}\"", error))

    with lesson.section("A regression with MSELoss"):
        x = torch.rand(256, 1) * 2 - 1  # make_line_data(256, slope=3, intercept=2, noise=0.1)
        y = 3.0 * x + 2.0 + 0.1 * torch.randn(256, 1)
        line = nn.Linear(1, 1)
        mse = nn.MSELoss()
        sgd = torch.optim.SGD(line.parameters(), lr=0.1)
        for step in range(200):
            sgd.zero_grad()
            loss = mse(line(x), y)
            if step == 0:
                first_loss = loss.item()
            loss.backward()
            sgd.step()
        with torch.no_grad():
            final_loss = mse(line(x), y).item()
        print(trf("MSE {:.4f} -> {:.4f} after 200 SGD steps (noise variance 0.01)", first_loss,
                  final_loss))
        print(trf("fitted y = {:.3f} x + {:.3f} (true: y = 3 x + 2)", line.weight.item(),
                  line.bias.item()))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
