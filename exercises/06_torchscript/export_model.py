#!/usr/bin/python3
"""Exercise 06's Python side: trains a small Fashion-MNIST model and saves it as TorchScript.

This is what a team's Python does before the C++ serves the model (pytorch.org's "Loading a
TorchScript Model in C++"): define an nn.Module, train it, turn it into TorchScript with
torch.jit.script, and save one file that LibTorch loads with torch::jit::load, no Python needed.
The build runs it (build/<preset>/exercises/06_torchscript/); it also writes what Python's own
evaluation of the saved model gives (expected.json), which the C++ must reproduce exactly.

  python3 exercises/06_torchscript/export_model.py --out-dir DIR [--data-dir D] [--seed 42]

Writes DIR/fashion_mlp.pt (the TorchScript model, saved as training left it: in train mode, so
the C++ must call eval() as Python would) and DIR/expected.json (the test accuracy, the logits
and predictions of the first test images, the input's normalisation).
"""
import argparse
import json
import os
import sys

FIRST = 5  # how many test images' logits expected.json keeps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", required=True, help="where fashion_mlp.pt and expected.json go")
    parser.add_argument("--data-dir", default="", help="the Fashion-MNIST folder")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--train-images", type=int, default=20000,
                        help="train on the first N training images (a few seconds)")
    args = parser.parse_args()
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        # The lessons' shared module: the data set found and read as the C++ finds and reads it.
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                        "common", "python"))
        from course_lesson import PIXEL_MEAN, PIXEL_STD, load_fashion_mnist, locate_data_dir
    except ImportError:
        sys.exit("export_model.py: exercise 06 needs PyTorch for Python to export its model: "
                 "install python3-torch (scripts/install-deps.sh) or `pip install torch`")
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)

    class FashionMlp(nn.Module):
        """784 -> 128 -> 10 with dropout: train() and eval() give different outputs."""

        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 128)
            self.dropout = nn.Dropout(0.2)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x):
            x = torch.flatten(x, 1)  # [N, 1, 28, 28] -> [N, 784]
            return self.fc2(self.dropout(F.relu(self.fc1(x))))

    folder = locate_data_dir(args.data_dir)
    train_x, train_y = load_fashion_mnist(folder, train=True)
    test_x, test_y = load_fashion_mnist(folder, train=False)
    train_x, train_y = train_x[:args.train_images], train_y[:args.train_images]
    model = FashionMlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for start in range(0, len(train_y), 64):  # one epoch, in order
        x = (train_x[start:start + 64] - PIXEL_MEAN) / PIXEL_STD
        optimizer.zero_grad()
        F.cross_entropy(model(x), train_y[start:start + 64]).backward()
        optimizer.step()

    scripted = torch.jit.script(model)  # still in train mode, as training left it
    os.makedirs(args.out_dir, exist_ok=True)
    model_path = os.path.join(args.out_dir, "fashion_mlp.pt")
    scripted.save(model_path + ".tmp")
    os.replace(model_path + ".tmp", model_path)

    # What Python gets from the saved model: the numbers the C++ must reproduce.
    loaded = torch.jit.load(model_path)
    loaded.eval()
    with torch.no_grad():
        logits = loaded((test_x - PIXEL_MEAN) / PIXEL_STD)
    accuracy = (logits.argmax(dim=1) == test_y).float().mean().item()
    expected = {
        "model": "fashion_mlp.pt",
        "mean": PIXEL_MEAN, "std": PIXEL_STD,
        "test_images": len(test_y),
        "accuracy": accuracy,
        "correct": int((logits.argmax(dim=1) == test_y).sum().item()),
        "first_logits": logits[:FIRST].tolist(),
        "first_predictions": logits[:FIRST].argmax(dim=1).tolist(),
        "first_labels": test_y[:FIRST].tolist(),
        "torch_version": torch.__version__,
    }
    expected_path = os.path.join(args.out_dir, "expected.json")
    with open(expected_path + ".tmp", "w") as f:
        json.dump(expected, f, indent=1)
    os.replace(expected_path + ".tmp", expected_path)
    print(f"export_model.py: {model_path} (test accuracy {accuracy:.4f} in Python)")


if __name__ == "__main__":
    main()
