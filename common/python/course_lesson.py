"""What every Python twin of a lesson shares (exercises/NN_topic/main.py), the Python side of
common/src/lesson.cpp, cli.cpp and language.cpp: the header line, the section banners, tensors
printed on one line exactly like the C++'s course::show, the common flags, the student's language
and Fashion-MNIST from its IDX files. A student need not read it: each twin reads top to bottom.

Language: Spanish when COURSE_LANG says "es" (else the checkout's .course/settings.json, else
LC_ALL / LC_MESSAGES / LANG), read with Python's gettext from the catalogue the C++ build compiles
from po/es.po (env COURSE_CATALOGUE, else build/*/common/es.mo of this checkout). The messages are
the C++'s own English format strings, so the same Spanish serves both.
"""
import argparse
import gettext
import glob
import gzip
import json
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PIXEL_MEAN = 0.2860  # course::kPixelMean: the training images' mean in [0, 1]
PIXEL_STD = 0.3530  # course::kPixelStd
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]


# ---- Language: course::current_language() and tr / trf / trn -----------------------------------

def _parse_language(code):
    """True for Spanish ("es", "es_ES.UTF-8"), False for English ("en", "C", "POSIX"), else None."""
    text = code.lower()

    def is_(language):
        return text == language or text.startswith((language + "_", language + "-", language + "."))
    if is_("es"):
        return True
    if is_("en") or text in ("c", "posix") or text.startswith("c."):
        return False
    return None


def _spanish_wanted():
    chosen = _parse_language(os.environ.get("COURSE_LANG", ""))
    if chosen is not None:
        return chosen
    try:
        with open(os.path.join(ROOT, ".course", "settings.json"), encoding="utf-8") as f:
            saved = json.load(f).get("language")
        if isinstance(saved, str) and _parse_language(saved) is not None:
            return _parse_language(saved)
    except (OSError, ValueError, AttributeError):
        pass
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return bool(_parse_language(os.environ[name]))
    return False


def _catalogue():
    if not _spanish_wanted():
        return gettext.NullTranslations()
    path = os.environ.get("COURSE_CATALOGUE", "")
    if not path:
        built = sorted(glob.glob(os.path.join(ROOT, "build", "*", "common", "es.mo")),
                       key=os.path.getmtime)
        path = built[-1] if built else ""
    if not path or not os.path.isfile(path):
        print("note: no Spanish catalogue (build/*/common/es.mo): build the course, or set "
              "COURSE_CATALOGUE; the lesson speaks English", file=sys.stderr)
        return gettext.NullTranslations()
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


_TRANSLATIONS = None


def _translations():
    """The catalogue, read the first time a message is translated (a script that prints none,
    such as exercise 06's export_model.py, never looks for it)."""
    global _TRANSLATIONS
    if _TRANSLATIONS is None:
        _TRANSLATIONS = _catalogue()
    return _TRANSLATIONS


def N_(english):
    """A message kept as it is here and translated where it is shown (the C++'s course::N_)."""
    return english


# argparse's own words (it asks gettext for them: "usage: ", "options", its errors), in the
# student's language too, as CLI11's are in the C++ (common/cli_language.h).
ARGPARSE_MESSAGES = [
    N_("usage: "), N_("options"), N_("positional arguments"),
    N_("show this help message and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("unrecognized arguments: %s"), N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"), N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
]
argparse._ = lambda message: _translations().gettext(message)
argparse.ngettext = lambda singular, plural, n: _translations().ngettext(singular, plural, n)


def tr(english):
    """The student's language of one message (the C++'s course::tr)."""
    return _translations().gettext(english)


def trf(english, *args):
    """tr, then str.format: fmt's "{}" and "{:.4f}" mean the same in Python."""
    return tr(english).format(*args)


def trn(singular, plural, n, *args):
    """The plural form for n (course::trn), then str.format."""
    return _translations().ngettext(singular, plural, n).format(*args)


# ---- Printing: course::show and course::Lesson --------------------------------------------------

def show(tensor):
    """A tensor on one line, nested like a Python list, 4 significant digits: [[1, 2], [3, 4]]."""
    values = tensor.detach().cpu().to(torch.float64)
    if values.dim() == 0:
        return format(values.item(), ".4g")
    return "[" + ", ".join(show(row) for row in values) + "]"


def shape(tensor):
    """2x3, as the C++ prints fmt::join(tensor.sizes(), "x")."""
    return "x".join(str(size) for size in tensor.shape)


class Lesson:
    """The title, underlined, then one banner per section: "== 2. Broadcasting =="."""

    def __init__(self, title):
        self.title = tr(title)
        self.sections = 0
        print(f"{self.title}\n{'=' * len(self.title)}")

    def section(self, title):
        self.sections += 1
        print(f"\n== {self.sections}. {tr(title)} ==")
        return _Section()

    def finish(self):
        print(tr("\nAll {} sections ran. Well done!\n").format(self.sections), end="")
        return 0


class _Section:
    """`with lesson.section(...):` only groups a section's lines; a twin has no TODO to catch."""

    def __enter__(self):
        return self

    def __exit__(self, *error):
        return False


# ---- The common flags: course::add_common_options and apply_common_options ---------------------

def parser(description, data=True):
    """argparse with the C++'s flags: --data-dir (lessons that read data), --device, --seed,
    --threads (default 1, like the C++: chosen by measurement on 2-core machines)."""
    result = argparse.ArgumentParser(description=tr(description))
    if data:
        result.add_argument("--data-dir", default="", help=tr(
            "Directory with the four Fashion-MNIST IDX files (default: $FASHION_MNIST_DIR, "
            "data/fashion-mnist/, /usr/share/datasets/fashion-mnist/)"))
    result.add_argument("--device", default="auto",
                        help=tr("Where tensors live: auto, cpu, cuda, cuda:N, mps"))
    result.add_argument("--seed", type=int, default=42, help=tr("Seed for every random generator"))
    result.add_argument("--threads", type=int, default=1, help=tr("LibTorch CPU threads"))
    return result


def apply_common_options(options):
    """Seeds, sets the threads, picks the device and prints the header line; returns the device."""
    torch.manual_seed(options.seed)
    torch.set_num_threads(options.threads)
    if options.device == "auto":
        name = "cuda:0" if torch.cuda.is_available() else (
            "mps" if torch.backends.mps.is_available() else "cpu")
    else:
        name = options.device
    device = torch.device(name)
    if device.type == "cuda":
        torch.cuda.manual_seed_all(options.seed)
        described = trf("CUDA device {} of {}", device.index or 0, torch.cuda.device_count())
    elif device.type == "mps":
        described = tr("MPS (Apple GPU)")
    else:
        described = "CPU"
    print(trf("device: {} | threads: {} | seed: {}", described, torch.get_num_threads(),
              options.seed))
    return device


# ---- Fashion-MNIST: course::locate_data_dir and load_fashion_mnist ------------------------------

def locate_data_dir(flag_value=""):
    """--data-dir, else $FASHION_MNIST_DIR, else data/fashion-mnist/ of this checkout, else
    Debian's /usr/share/datasets/fashion-mnist/."""
    if flag_value:
        return flag_value
    if os.environ.get("FASHION_MNIST_DIR"):
        return os.environ["FASHION_MNIST_DIR"]
    candidates = [os.path.join(ROOT, "data", "fashion-mnist"), "/usr/share/datasets/fashion-mnist"]
    for folder in candidates:
        if any(os.path.exists(os.path.join(folder, "train-images-idx3-ubyte" + end))
               for end in (".gz", "")):
            return folder
    sys.exit(trf("Fashion-MNIST not found: no --data-dir, no FASHION_MNIST_DIR, nothing in {} or "
                 "{}; {}", candidates[0], candidates[1],
                 tr("install Debian's dataset-fashion-mnist (scripts/install-deps.sh), run "
                    "data/download.sh, or pass --data-dir")))


def _read_idx(folder, stem, header):
    for path, opener in ((os.path.join(folder, stem + ".gz"), gzip.open),
                         (os.path.join(folder, stem), open)):
        if os.path.exists(path):
            with opener(path, "rb") as f:
                return np.frombuffer(f.read(), dtype=np.uint8, offset=header)
    sys.exit(f"{folder}: missing {stem}.gz (or {stem})")


def load_fashion_mnist(folder, train, flatten=False, normalize=False):
    """(images float32 [N, 1, 28, 28] or [N, 784], labels int64 [N]), what the C++ loads: each
    pixel p / 255 in float32, then (x - mean) / std in float32 when normalized."""
    prefix = "train" if train else "t10k"
    pixels = _read_idx(folder, f"{prefix}-images-idx3-ubyte", 16)
    labels = _read_idx(folder, f"{prefix}-labels-idx1-ubyte", 8)
    table = np.arange(256, dtype=np.float32) / np.float32(255.0)  # the C++'s 256-entry table
    if normalize:
        table = (table - np.float32(PIXEL_MEAN)) / np.float32(PIXEL_STD)
    images = torch.from_numpy(table[pixels].reshape(-1, 784 if flatten else 1, *(
        () if flatten else (28, 28))))
    return images, torch.from_numpy(labels.astype(np.int64))
