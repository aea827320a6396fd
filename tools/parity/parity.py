#!/usr/bin/python3
"""Parity of a C++ lesson and its Python twin: the same sections, the same numbers.

    tools/parity/parity.py --cpp build/solutions/bin/ex01_tensors \\
        --python exercises/01_tensors/main.py [--seed 42] [--data-dir D] [--side-by-side]
    tools/parity/parity.py --homework --cpp build/solutions/bin/homework \\
        --python bench/homework.py [--epochs 3] [--seed 42] [--data-dir D]

Both programs run with the same --seed and --threads 1 (and --data-dir when given). The output is
split into a header (the lines before the first banner) and sections at the banners
"== N. title ==". The same sections, with the same numbers and titles, must appear on both sides,
each with the same number of lines; then EVERY number of every line is compared, in order.

What counts as a number: an integer or decimal, with an optional sign and exponent, that is not
part of a word ("fc1", "float32" and "int64" hold none); "2x3" holds 2 and 3; the booleans
true/false (C++) and True/False (Python) count too, compared as booleans. Skipped, by rule:
  - timings: a number followed by ms, s, us or µs ("0.52 s"), a rate "N <unit>/s"
    ("6986 batches/s"), and, on a line that holds a timing, a speed ratio "48x";
  - versions: dotted triples such as a compiler's or Python's "14.0.6" or "3.11.2".

How two numbers are compared:
  - integers on both sides (no '.', no exponent): exactly;
  - otherwise, by default, "exact": equal as float32 values (C++ prints a float's shortest digits,
    Python the double's: 0.1 and 0.10000000149011612 are the same float32);
  - in the sections of the table below, within |cpp - python| <= absolute + relative * max(|cpp|,
    |python|): where a BLAS product (matmul, nn.Linear) could sum in another order on the other
    side, or a number is itself the size of a rounding error. Both sides load the same LibTorch,
    so today they agree to the last digit; the tolerances say how much another BLAS kernel or
    thread count may move them, and no more.

    lesson        section                                    relative  absolute  why
    01_tensors    7 matmul against three loops                0         1e-4      the largest difference is float32 rounding of a 256-term sum
    02_autograd   7 autograd against finite differences       1e-4      1e-6      the difference itself is rounding (1e-8)
    03_mlp        2 forward (logits)                          1e-3      1e-6      nn.Linear = BLAS, printed with 4 digits
    03_mlp        4 copying weights (output difference)       0         1e-4      BLAS; last printed digit of {:.4f}
    03_mlp        7 BatchNorm (output mean ~1e-7)             1e-3      1e-5      a mean of zero up to float32 rounding
    04_training   2-6, 8 training steps, epoch, accuracy, MSE 1e-3      2e-3      BLAS sums in every step; 2e-3 of accuracy
                                                                                  is 20 of 10000 test images
    homework      train and validation loss, 3 epochs         1e-4      1e-4      BLAS sums over 3 epochs of 1719 steps

On a difference, one sentence names the lesson, the section, the line, the C++ number, the Python
number and the tolerance; the exit status is 1 (0 when all agree, 2 for a usage error or a
program that failed). --side-by-side prints each section's C++ and Python lines, in two columns
when the terminal is wide enough, each section marked "agree" or "differ".

As a module: check_lesson(cpp, python, seed=42, data_dir="") and check_homework(...) return a
Result (ok, differences, and the outputs); side_by_side(result) renders it.
"""
import argparse
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

# The student's language (`course run NAME --side-by-side` shows this tool's lines to a student):
# the twins' own module and catalogue (common/python/course_lesson.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                                "python"))
from course_lesson import tr, trf, trn  # noqa: E402

# ---- Tolerances -----------------------------------------------------------------------------

EXACT = None  # no tolerance: equal as float32 (integers: exactly)


@dataclass(frozen=True)
class Tolerance:
    relative: float
    absolute: float

    def __str__(self):
        return f"relative {self.relative:g}, absolute {self.absolute:g}"

    def allows(self, a, b):
        return abs(a - b) <= self.absolute + self.relative * max(abs(a), abs(b))


BLAS_TRAINING = Tolerance(1e-3, 2e-3)
# lesson (the folder's name without the number's leading part kept) -> section number -> tolerance
TOLERANCES = {
    "01_tensors": {7: Tolerance(0.0, 1e-4)},
    "02_autograd": {7: Tolerance(1e-4, 1e-6)},
    "03_mlp": {2: Tolerance(1e-3, 1e-6), 4: Tolerance(0.0, 1e-4), 7: Tolerance(1e-3, 1e-5)},
    "04_training_loop": {n: BLAS_TRAINING for n in (2, 3, 4, 5, 6, 8)},
}
HOMEWORK_TOLERANCE = Tolerance(1e-4, 1e-4)

# ---- Numbers in a line ----------------------------------------------------------------------

_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_TIMING = re.compile(rf"{_NUMBER}\s*(?:ms|s|us|µs)(?![\w/])|{_NUMBER}\s+\w+/s\b")
_RATIO = re.compile(rf"{_NUMBER}x\b")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
_TOKEN = re.compile(rf"(?<![\w.])(?:{_NUMBER})(?=x\b|[^\w]|$)|\b(?:true|false|True|False)\b")


def numbers(line):
    """The numbers and booleans of one line, as strings, in order, timings and versions left out
    (the rules of the module's docstring)."""
    if _TIMING.search(line):
        line = _RATIO.sub(" ", _TIMING.sub(" ", line))
    line = _VERSION.sub(" ", line)
    line = re.sub(r"(\d)x(?=\d)", r"\1 x ", line)  # shapes: 2x3 holds 2 and 3
    return _TOKEN.findall(line)


def _float32(value):
    return struct.unpack("f", struct.pack("f", value))[0] if math.isfinite(value) else value


def agree(cpp, python, tolerance):
    """Whether two printed numbers (or booleans) agree under `tolerance` (None: exact)."""
    if cpp.lower() in ("true", "false") or python.lower() in ("true", "false"):
        return cpp.lower() == python.lower()
    is_integer = re.compile(r"-?\d+$")
    a, b = float(cpp), float(python)
    if is_integer.match(cpp) and is_integer.match(python):
        return a == b
    if tolerance is None:
        return a == b or _float32(a) == _float32(b)
    return a == b or tolerance.allows(a, b)


# ---- Sections ------------------------------------------------------------------------------

_BANNER = re.compile(r"^== (\d+)\. (.*) ==$")


@dataclass
class Section:
    number: int  # 0: the header, before the first banner
    title: str
    lines: list = field(default_factory=list)


def split_sections(text):
    """[header, section 1, section 2, ...]; blank lines dropped."""
    sections = [Section(0, "header")]
    for line in text.splitlines():
        banner = _BANNER.match(line)
        if banner:
            sections.append(Section(int(banner.group(1)), banner.group(2)))
        elif line.strip():
            sections[-1].lines.append(line.rstrip())
    return sections


# ---- Comparing -----------------------------------------------------------------------------

@dataclass
class Result:
    lesson: str
    cpp_output: str
    python_output: str
    differences: list  # one sentence each
    agreeing: dict = field(default_factory=dict)  # section number -> bool

    @property
    def ok(self):
        return not self.differences


def _where(lesson, section):
    return (trf("{}, header", lesson) if section.number == 0 else
            trf("{}, section {} \"{}\"", lesson, section.number, section.title))


def compare_outputs(lesson, cpp_output, python_output, tolerances=None):
    """Compares two lessons' outputs section by section and number by number: a Result."""
    tolerances = TOLERANCES.get(lesson, {}) if tolerances is None else tolerances
    cpp_sections, python_sections = split_sections(cpp_output), split_sections(python_output)
    differences, agreeing = [], {}
    if [s.number for s in cpp_sections] != [s.number for s in python_sections]:
        differences.append(trf("{}: the C++ prints sections {} but the Python prints {}", lesson,
                               [s.number for s in cpp_sections[1:]],
                               [s.number for s in python_sections[1:]]))
    for cpp, python in zip(cpp_sections, python_sections):
        before = len(differences)
        where = _where(lesson, cpp)
        if cpp.title != python.title:
            differences.append(trf("{}: the Python's section {} is titled \"{}\"", where,
                                   python.number, python.title))
        elif len(cpp.lines) != len(python.lines):
            differences.append(trn("{}: the C++ prints {} line, the Python {}",
                                   "{}: the C++ prints {} lines, the Python {}", len(cpp.lines),
                                   where, len(cpp.lines), len(python.lines)))
        else:
            tolerance = tolerances.get(cpp.number, EXACT)
            for index, (cpp_line, python_line) in enumerate(zip(cpp.lines, python.lines), 1):
                cpp_numbers, python_numbers = numbers(cpp_line), numbers(python_line)
                if len(cpp_numbers) != len(python_numbers):
                    differences.append(trf(
                        "{}, line {}: the C++ prints {} numbers ({}) and the Python {} ({}): "
                        "\"{}\" against \"{}\"", where, index, len(cpp_numbers),
                        " ".join(cpp_numbers), len(python_numbers), " ".join(python_numbers),
                        cpp_line, python_line))
                    continue
                for a, b in zip(cpp_numbers, python_numbers):
                    if not agree(a, b, tolerance):
                        differences.append(trf(
                            "{}, line {} (\"{}\"): the C++ prints {}, the Python {}, beyond the "
                            "tolerance ({})", where, index, cpp_line, a, b,
                            tr("exact") if tolerance is None else tolerance))
                        break
        agreeing[cpp.number] = len(differences) == before
    return Result(lesson, cpp_output, python_output, differences, agreeing)


# ---- Running the two sides -----------------------------------------------------------------

def lesson_name(cpp, python):
    """"01_tensors": the Python twin's folder (exercises/01_tensors/main.py)."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(python)))
    return folder if re.match(r"\d\d_", folder) else os.path.basename(cpp).replace("ex", "", 1)


def _run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with status {done.returncode}: "
                           f"{(done.stderr or done.stdout).strip().splitlines()[-1:] or ''}")
    return done.stdout


def check_lesson(cpp, python, seed=42, data_dir="", python_interpreter=sys.executable, extra=()):
    """Runs both sides with the same seed and one thread (and the `extra` arguments) and compares
    them: a Result. The C++ runs first (06's twin reads the file the C++ lesson writes)."""
    flags = ["--seed", str(seed), "--threads", "1"] + (["--data-dir", data_dir] if data_dir else [])
    flags += list(extra)
    cpp_output = _run([cpp] + flags)
    python_output = _run([python_interpreter, python] + flags)
    return compare_outputs(lesson_name(cpp, python), cpp_output, python_output)


def check_homework(cpp, python, epochs=3, seed=42, data_dir="",
                   python_interpreter=sys.executable):
    """The homework's train and validation loss per epoch, C++ (--metrics) against Python
    (bench/homework.py --loader memory, its JSON line per epoch): a Result."""
    data = ["--data-dir", data_dir] if data_dir else []
    with tempfile.TemporaryDirectory() as folder:
        metrics = os.path.join(folder, "metrics.json")
        _run([cpp, "--seed", str(seed), "--threads", "1", "--max-epochs", str(epochs),
              "--patience", str(epochs), "--quiet", "--metrics", metrics] + data)
        with open(metrics, encoding="utf-8") as f:
            cpp_history = json.load(f)["history"]
    python_output = _run([python_interpreter, python, "--loader", "memory", "--epochs",
                          str(epochs), "--seed", str(seed), "--threads", "1", "--json-epochs"]
                         + data)
    python_history = [json.loads(line[len("EPOCH "):]) for line in python_output.splitlines()
                      if line.startswith("EPOCH ")]

    def as_text(history):
        return "\n".join(f"epoch {e['epoch']}: train loss {e['train_loss']:.8f}, validation loss "
                         f"{e['val_loss']:.8f}" for e in history) + "\n"
    differences = []
    if len(cpp_history) != epochs or len(python_history) != epochs:
        differences.append(f"homework: the C++ trained {len(cpp_history)} epochs and the Python "
                           f"{len(python_history)}, not {epochs}")
    for cpp_epoch, python_epoch in zip(cpp_history, python_history):
        for key, name in (("train_loss", "train loss"), ("val_loss", "validation loss")):
            a, b = cpp_epoch[key], python_epoch[key]
            if not HOMEWORK_TOLERANCE.allows(a, b):
                differences.append(
                    f"homework, epoch {cpp_epoch['epoch']}: the C++ {name} is {a:.8f}, the "
                    f"Python's {b:.8f}, beyond the tolerance ({HOMEWORK_TOLERANCE})")
    return Result("homework", as_text(cpp_history), as_text(python_history), differences,
                  {0: not differences})


# ---- Side by side --------------------------------------------------------------------------

def side_by_side(result, width=None):
    """Each section's C++ and Python lines, in two columns when `width` allows (else one after
    the other), under a banner marked agree or differ."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    cpp_sections = split_sections(result.cpp_output)
    python_sections = {s.number: s for s in split_sections(result.python_output)}
    longest = max((len(line) for s in cpp_sections + list(python_sections.values())
                   for line in s.lines), default=0)
    column = (width - 3) // 2
    two_columns = longest <= column
    out = []
    for cpp in cpp_sections:
        python = python_sections.get(cpp.number, Section(cpp.number, "?"))
        mark = tr("agree") if result.agreeing.get(cpp.number, False) else tr("DIFFER")
        title = tr("header") if cpp.number == 0 else f"{cpp.number}. {cpp.title}"
        out.append(f"\n== {title} == [{mark}]")
        if two_columns:
            out.append(f"{'C++':<{column}} | Python")
            for i in range(max(len(cpp.lines), len(python.lines))):
                left = cpp.lines[i] if i < len(cpp.lines) else ""
                right = python.lines[i] if i < len(python.lines) else ""
                out.append(f"{left:<{column}} | {right}")
        else:
            out += ["  C++:"] + [f"    {line}" for line in cpp.lines]
            out += ["  Python:"] + [f"    {line}" for line in python.lines]
    return "\n".join(out).lstrip("\n") + "\n"


def main(argv=None):
    arguments = argparse.ArgumentParser(
        description="Runs a C++ lesson and its Python twin with the same seed and compares "
                    "every number they print (see the module's docstring for the rules).")
    arguments.add_argument("--cpp", required=True, help="the C++ binary (build/.../bin/exNN_...)")
    arguments.add_argument("--python", required=True, help="the Python twin (exercises/NN_.../"
                           "main.py), or bench/homework.py with --homework")
    arguments.add_argument("--seed", type=int, default=42)
    arguments.add_argument("--data-dir", default="")
    arguments.add_argument("--side-by-side", action="store_true",
                           help="print both outputs, section by section, marked agree/differ")
    arguments.add_argument("--homework", action="store_true",
                           help="compare the homework's losses per epoch instead of a lesson")
    arguments.add_argument("--epochs", type=int, default=3, help="with --homework")
    arguments.add_argument("--arg", action="append", default=[], metavar="ARG",
                           help="an argument given to both sides, once per --arg "
                                "(--arg=--model-dir --arg=DIR)")
    options = arguments.parse_args(argv)
    try:
        if options.homework:
            result = check_homework(options.cpp, options.python, options.epochs, options.seed,
                                     options.data_dir)
        else:
            result = check_lesson(options.cpp, options.python, options.seed, options.data_dir,
                                  extra=options.arg)
    except (OSError, RuntimeError) as error:
        print(f"parity.py: error: {error}", file=sys.stderr)
        return 2
    if options.side_by_side:
        # A student reads the sections and their marks; the detailed sentences are for CI.
        print(side_by_side(result), end="")
        agreeing = sum(result.agreeing.values())
        print("\n" + trn("{} of {} section agrees", "{} of {} sections agree", len(result.agreeing),
                         agreeing, len(result.agreeing)))
    else:
        for sentence in result.differences:
            print(sentence)
    if result.ok:
        print(trf("{}: C++ and Python agree on every number (seed {}, 1 thread)", result.lesson,
                  options.seed))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
