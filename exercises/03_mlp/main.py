#!/usr/bin/python3
"""Exercise 03 in PyTorch-Python: the twin of main.cpp, section by section, with the same
numbers for the same --seed. The modules are the Python that solution/mlp.cpp mirrors: in C++ a
module is NetImpl + TORCH_MODULE(Net); in Python one class.

    /usr/bin/python3 exercises/03_mlp/main.py [--seed 42] [--threads 1]
"""
import os
import platform
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import Lesson, apply_common_options, parser, shape, show, tr, trf  # noqa: E402

INPUTS, HIDDEN, OUTPUTS = 784, 128, 10


class Net(nn.Module):
    def __init__(self, inputs=INPUTS, hidden=HIDDEN, outputs=OUTPUTS):
        super().__init__()
        self.fc1 = nn.Linear(inputs, hidden)  # C++: fc1 = register_module("fc1", Linear(...))
        self.fc2 = nn.Linear(hidden, outputs)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


class ScaleShift(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(features))  # C++: register_parameter("scale", ...)
        self.shift = nn.Parameter(torch.zeros(features))

    def forward(self, x):
        return x * self.scale + self.shift


def make_sequential():
    # Python evaluates a call's arguments left to right, so building the layers inside
    # nn.Sequential(...) is safe here; the C++ builds them one statement at a time.
    return nn.Sequential(nn.Linear(INPUTS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, OUTPUTS))


def copy_weights(net, sequential):
    with torch.no_grad():  # in-place writes to parameters need it
        sequential[0].weight.copy_(net.fc1.weight)
        sequential[0].bias.copy_(net.fc1.bias)
        sequential[2].weight.copy_(net.fc2.weight)
        sequential[2].bias.copy_(net.fc2.bias)


def main():
    options = parser("Exercise 03: a custom MLP as nn::Module and as nn::Sequential",
                     data=False).parse_args()
    device = apply_common_options(options)  # torch.manual_seed(seed), set_num_threads, device
    lesson = Lesson("Exercise 03: a custom MLP")

    with lesson.section("A custom module: NetImpl + TORCH_MODULE(Net)"):
        net = Net()
        print(net)
        for name, parameter in net.named_parameters():
            print(f"  {name:<11} {shape(parameter)}")
        print(trf("parameters: {} (784*128 + 128 + 128*10 + 10)",
                  sum(p.numel() for p in net.parameters())))

    with lesson.section("Forward: a batch of flattened images in, ten logits out"):
        net = Net().to(device)
        images = torch.rand(4, INPUTS, device=device)
        logits = net(images)
        print(trf("input {} -> logits {} on {}", shape(images), shape(logits), logits.device))
        print(trf("first image's logits: {}", show(logits[0])))

    with lesson.section("The same network as nn::Sequential"):
        torch.manual_seed(options.seed)
        net = Net()
        torch.manual_seed(options.seed)
        first = nn.Linear(INPUTS, HIDDEN)  # one statement at a time, as the C++ must
        second = nn.Linear(HIDDEN, OUTPUTS)
        sequential = nn.Sequential(first, nn.ReLU(), second)
        print(sequential)
        print(trf("same seed, layers built one statement at a time: same first weights as Net: "
                  "{}", torch.equal(sequential[0].weight, net.fc1.weight)))
        # The rule, in any language: the order in which layers are built decides their weights.
        torch.manual_seed(options.seed)
        first_built_first = nn.Linear(INPUTS, HIDDEN)
        nn.Linear(HIDDEN, OUTPUTS)
        torch.manual_seed(options.seed)
        nn.Linear(HIDDEN, OUTPUTS)
        first_built_second = nn.Linear(INPUTS, HIDDEN)
        print(trf("same seed, the two layers built in the other order: same first weights: {}",
                  torch.equal(first_built_first.weight, first_built_second.weight)))
        torch.manual_seed(options.seed)
        inline_built = make_sequential()
        print(trf("same seed, layers built inside Sequential(...): same first weights as Net: {}",
                  torch.equal(inline_built[0].weight, net.fc1.weight)))
        print(trf("Python {} evaluates a call's arguments left to right, always: inside "
                  "nn.Sequential(...) the layers are built as written", platform.python_version()))

    with lesson.section("Copying weights: two modules, one function"):
        torch.manual_seed(options.seed)
        net = Net()
        sequential = make_sequential()  # other initial weights
        x = torch.randn(8, INPUTS)
        print(trf("before copy_weights: largest output difference {:.4f}",
                  (net(x) - sequential(x)).abs().max().item()))
        copy_weights(net, sequential)
        print(trf("after copy_weights:  largest output difference {:.4f}, identical: {}",
                  (net(x) - sequential(x)).abs().max().item(), torch.equal(net(x), sequential(x))))

    with lesson.section("A parameter of your own: register_parameter"):
        scale_shift = ScaleShift(3)
        for name, parameter in scale_shift.named_parameters():
            print(f"  {name:<6} {show(parameter)}  requires_grad: {parameter.requires_grad}")
        x = torch.tensor([[1.0, 2.0, 3.0]])
        scale_shift(x).sum().backward()
        print(trf("after backward of sum(x * scale + shift) at x = {}: scale.grad = {}", show(x),
                  show(scale_shift.scale.grad)))

    with lesson.section("train() and eval(): what Dropout does in each"):
        dropout = nn.Dropout(0.5)
        x = torch.ones(10)
        dropout.train()
        print(trf("train(): about half dropped, the rest scaled by 1 / (1 - 0.5): {}",
                  show(dropout(x))))
        dropout.eval()
        print(trf("eval():  the identity: {}", show(dropout(x))))

    with lesson.section("train() and eval(): BatchNorm's running statistics"):
        torch.manual_seed(options.seed)
        batch_norm = nn.BatchNorm1d(2)
        x = torch.randn(256, 2) * 2.0 + 3.0  # mean ~3, std ~2
        print(trf("before: running_mean {} running_var {}", show(batch_norm.running_mean),
                  show(batch_norm.running_var)))
        batch_norm.train()
        trained = batch_norm(x)
        print(trf("train(): output mean {}; running mean, 10% of the way to the batch's: {}",
                  show(trained.mean(0)), show(batch_norm.running_mean)))
        batch_norm.eval()
        evaluated = batch_norm(x)
        print(trf("eval():  output mean {} (the running statistics); running mean unchanged: {}",
                  show(evaluated.mean(0)), show(batch_norm.running_mean)))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
