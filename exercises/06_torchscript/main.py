#!/usr/bin/python3
"""Exercise 06 in PyTorch-Python: the twin of main.cpp, section by section, with the same
numbers. The same TorchScript file that export_model.py saved, loaded and run from Python:
what the C++ does with torch::jit::load, model.eval(), NoGradGuard and forward({x}).

    /usr/bin/python3 exercises/06_torchscript/main.py [--model-dir DIR] [--data-dir DIR]
"""
import glob
import json
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import (CLASS_NAMES, ROOT, Lesson, apply_common_options,  # noqa: E402
                           load_fashion_mnist, locate_data_dir, parser, show, tr, trf)


def default_model_dir():
    """The newest build's exercises/06_torchscript/ (the C++ has it compiled in); when no build
    exported the model yet, build/student's, where export_model.py (beside this file) writes it
    now, as the build would."""
    built = sorted(glob.glob(os.path.join(ROOT, "build", "*", "exercises", "06_torchscript",
                                          "expected.json")), key=os.path.getmtime)
    if built:
        return os.path.dirname(built[-1])
    folder = os.path.join(ROOT, "build", "student", "exercises", "06_torchscript")
    export = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export_model.py")
    done = subprocess.run([sys.executable, export, "--out-dir", folder], stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        sys.exit(1)  # export_model.py said why
    print(trf("the model exported by export_model.py into {}", folder))
    return folder


def main():
    arguments = parser("Exercise 06: a TorchScript model trained in Python, run from C++")
    arguments.add_argument("--model-dir", default="", help=tr(
        "Where export_model.py wrote fashion_mlp.pt and expected.json"))
    options = arguments.parse_args()
    model_dir = options.model_dir or default_model_dir()
    expected_path = os.path.join(model_dir, "expected.json")
    if not os.path.isfile(expected_path):
        sys.exit(trf("{} is missing: build the exercise (its model comes from export_model.py) "
                     "or pass --model-dir", expected_path))
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    images, labels = load_fashion_mnist(locate_data_dir(options.data_dir), train=False)
    apply_common_options(options)
    model_path = os.path.join(model_dir, expected["model"])

    lesson = Lesson("Exercise 06: TorchScript, a model from Python served in C++")

    with lesson.section("Loading a TorchScript model"):
        model = torch.jit.load(model_path)  # C++: torch::jit::load(path)
        print(f'torch.jit.load("{os.path.basename(model_path)}")')
        for name, parameter in model.named_parameters():
            print(f"  {name:<12} [{', '.join(str(size) for size in parameter.shape)}]")
        print(trf("model.training: {} (saved as training left it)", model.training))

    with lesson.section("The input, prepared as Python trained it"):
        inputs = (images - expected["mean"]) / expected["std"]
        print(trf("(images - {}) / {}: mean {:.3f}, std {:.3f}, shape [{}]", expected["mean"],
                  expected["std"], inputs.mean().item(), inputs.std().item(),
                  ", ".join(str(size) for size in inputs.shape)))

    with lesson.section("Running it: eval() and no_grad"):
        model.eval()               # C++: model.eval();
        with torch.no_grad():      # C++: torch::NoGradGuard no_grad;
            logits = model(inputs)  # C++: model.forward({inputs}).toTensor()
        python_logits = torch.tensor(expected["first_logits"][0], dtype=torch.float32)
        predicted = logits[0].argmax().item()
        print(trf("logits of test image 0: {}", show(logits[0])))
        print(trf("Python's logits:        {}", show(python_logits)))
        print(trf("largest difference {:.2g}; predicted {} ({}), label {} ({})",
                  (logits[0] - python_logits).abs().max().item(), predicted,
                  CLASS_NAMES[predicted], labels[0].item(), CLASS_NAMES[labels[0].item()]))
        print(trf("model.training: {} | logits.requires_grad: {}", model.training,
                  logits.requires_grad))

    with lesson.section("Accuracy on the test set"):
        accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
        print(trf("accuracy {:.4f} on {} test images | Python's, in expected.json: {:.4f}", accuracy, len(labels),
                  expected["accuracy"]))

    with lesson.section("The other way: a tensor from C++ that Python reads"):
        path = os.path.join(model_dir, "from_cpp.pt")
        if os.path.isfile(path):
            tensor = torch.load(path)  # what the C++ wrote with torch::pickle_save
            print(trf("read {} ({} bytes), written by the C++ lesson", show(tensor),
                      os.path.getsize(path)))
        else:
            print(tr("(run the C++ lesson first: it writes from_cpp.pt)"))
        print(trf("in Python: torch.load(\"{}\")", path))

    return lesson.finish()


if __name__ == "__main__":
    sys.exit(main())
