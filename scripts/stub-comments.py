#!/usr/bin/env python3
"""The comments a student reads in the stubs and their headers, in English and in Spanish.

Every stub a student edits (course.json's "files") and the header beside it (tensors.h, mlp.h,
homework.h) is written in both languages: each English comment is followed by its Spanish, whose
first line starts with "// (es) ". A handout keeps one language, or both as written:

  // TODO: n ones whose dtype is int64.           --lang en keeps these three lines,
  //   Python: torch.ones(n, dtype=torch.int64)
  //   Hint 1.
  // (es) TODO: n unos cuyo dtype es int64.        --lang es these three, without "(es) ",
  //   Python: torch.ones(n, dtype=torch.int64)    and no --lang all six.
  //   Pista 1.

The rules, as the filter and the check read them:
  - A paragraph is a run of `//` lines at one indentation, up to an empty `//` line, a line of
    code or a blank line. Its Spanish starts at its line that starts with "// (es) " and ends with
    it; the lines before are its English.
  - A paragraph without Spanish is kept in both languages; it must be code (a listing whose every
    line is indented, `//   for x, y in loader:`), not prose.
  - A comment at the end of a line of code is English; its Spanish is the comment line below it,
    aligned with it and starting with "// (es) ", and in Spanish it takes the English one's place
    on the line. One that holds no English word (`// 784 -> 300`) needs none.
  - Code, identifiers and Python stay as they are in both languages (a Python `# comment` is
    translated); the Spanish of a TODO starts with TODO; a hint is "Hint N" in English and
    "Pista N" in Spanish, and a README section is quoted from README.md or README.es.md.

  scripts/stub-comments.py keep {en,es} ROOT   rewrite the stubs and headers of the course in ROOT
                                               (make-student-copy.sh --lang, on its copy)
  scripts/stub-comments.py show {en,es,both} FILE...    print what a handout holds
  scripts/stub-comments.py check ROOT          the lint (ctest course.stub_comments): every prose
                                               comment has its Spanish, --lang es leaves no
                                               English, --lang en no Spanish, the code is the same
  scripts/stub-comments.py compile [--compile-commands FILE] ROOT
                                               both handouts' stubs pass clang++ -fsyntax-only
                                               with the flags of the build's solutions
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

MARKER = "(es)"
COMMENT_LINE = re.compile(r"^(\s*)//(.*)$")
MAX_COLUMNS = 100


class StubError(Exception):
    pass


# ---- Which files ------------------------------------------------------------------------------

def student_files(root):
    """The stubs of every entry of course.json and the header of each beside it, relative to
    root, in the manifest's order."""
    with open(os.path.join(root, "course.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    files = []
    for exercise in manifest["exercises"]:
        folder = exercise.get("folder", "exercises/" + exercise["name"])
        for name in exercise["files"]:
            for candidate in (name, os.path.splitext(name)[0] + ".h"):
                path = os.path.join(folder, candidate)
                if path not in files and os.path.isfile(os.path.join(root, path)):
                    files.append(path)
    return files


# ---- Reading a file into units ----------------------------------------------------------------

def trailing_comment_column(line):
    """Where the `//` of a comment after code starts, or None (string and character literals are
    skipped; a digit separator is not a quote)."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 2
                continue
            if c == quote:
                quote = None
        elif c == '"' or (c == "'" and not (i > 0 and line[i - 1].isalnum())):
            quote = c
        elif line.startswith("//", i):
            return i
        i += 1
    return None


def is_marker(text):
    """Whether the text after `//` starts the Spanish: " (es) ..."."""
    return text.startswith(" " + MARKER + " ") or text == " " + MARKER


def unmark(text):
    """The text after `//` of a Spanish first line, without its marker."""
    return " " + text[len(" " + MARKER + " "):] if text != " " + MARKER else ""


class Unit:
    """Lines of a file: "code" (kept as it is), "comment" (a paragraph: en, and es or None),
    "separator" (an empty `//` line) or "trailing" (a comment after code: en, es or None; the
    lines hold the text after `//`)."""

    def __init__(self, kind, line_number, **fields):
        self.kind = kind
        self.line_number = line_number  # 1-based, of the unit's first line
        self.__dict__.update(fields)


def parse(text, name="<text>"):
    lines = text.split("\n")
    units = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = COMMENT_LINE.match(line)
        if match:
            indent = match.group(1)
            j = i
            while j < len(lines):
                other = COMMENT_LINE.match(lines[j])
                if not other or other.group(1) != indent:
                    break
                j += 1
            paragraph = []

            def close(start):
                if not paragraph:
                    return
                markers = [k for k, t in enumerate(paragraph) if is_marker(t)]
                if len(markers) > 1:
                    raise StubError(f"{name}:{start + markers[1] + 1}: a second \"// {MARKER}\" in "
                                    "one paragraph: put an empty `//` line between two paragraphs")
                if markers and markers[0] == 0:
                    above = lines[start - 1] if start > 0 else ""
                    if trailing_comment_column(above) is not None and not COMMENT_LINE.match(above):
                        raise StubError(f"{name}:{start + 1}: Spanish (\"// {MARKER}\") under a "
                                        "line of code: align its // with the comment at the end "
                                        "of that line, whose Spanish it is")
                    raise StubError(f"{name}:{start + 1}: Spanish (\"// {MARKER}\") with no English "
                                    "before it in its paragraph")
                cut = markers[0] if markers else len(paragraph)
                units.append(Unit("comment", start + 1, indent=indent,
                                  en=[indent + "//" + t for t in paragraph[:cut]],
                                  es=[indent + "//" + t for t in paragraph[cut:]] if markers else None))
                paragraph.clear()

            start = i
            for k in range(i, j):
                text_after = COMMENT_LINE.match(lines[k]).group(2)
                if text_after.strip() == "":
                    close(start)
                    units.append(Unit("separator", k + 1, line=lines[k]))
                    start = k + 1
                else:
                    if MARKER in text_after and not is_marker(text_after):
                        raise StubError(f"{name}:{k + 1}: \"{MARKER}\" must start its line: "
                                        f"\"{indent}// {MARKER} ...\"")
                    paragraph.append(text_after)
            close(start)
            i = j
            continue
        column = trailing_comment_column(line)
        if column is None:
            units.append(Unit("code", i + 1, line=line))
            i += 1
            continue
        texts = [line[column + 2:]]
        j = i + 1
        while j < len(lines):
            other = COMMENT_LINE.match(lines[j])
            if not other or len(other.group(1)) != column:
                break
            texts.append(other.group(2))
            j += 1
        if is_marker(texts[0]) or (MARKER in texts[0]):
            raise StubError(f"{name}:{i + 1}: \"{MARKER}\" on a line of code: the Spanish of a "
                            "comment after code goes on the line below it, aligned with it")
        markers = [k for k, t in enumerate(texts) if is_marker(t)]
        if len(markers) > 1:
            raise StubError(f"{name}:{i + markers[1] + 1}: a second \"// {MARKER}\" under one "
                            "line of code")
        for k, t in enumerate(texts):
            if MARKER in t and not is_marker(t):
                raise StubError(f"{name}:{i + k + 1}: \"{MARKER}\" must start its comment")
        cut = markers[0] if markers else len(texts)
        units.append(Unit("trailing", i + 1, code=line[:column], column=column,
                          en=texts[:cut], es=texts[cut:] if markers else None))
        i = j
    return units


# ---- Writing one language ---------------------------------------------------------------------

def render(units, language):
    """The file's text in "en", "es" or "both" (both: the source as written)."""
    out = []
    for unit in units:
        if unit.kind in ("code", "separator"):
            out.append(unit.line)
        elif unit.kind == "comment":
            if unit.es is None or language == "both":
                out.extend(unit.en + (unit.es or []))
            elif language == "en":
                out.extend(unit.en)
            else:
                first = unit.es[0]
                out.append(first[:len(unit.indent) + 2] + unmark(first[len(unit.indent) + 2:]))
                out.extend(unit.es[1:])
        else:  # trailing
            texts = unit.en + (unit.es or []) if unit.es is None or language == "both" else (
                unit.en if language == "en" else [unmark(unit.es[0])] + unit.es[1:])
            out.append(unit.code + "//" + texts[0])
            out.extend(" " * unit.column + "//" + t for t in texts[1:])
    return "\n".join(out)


def keep(text, language, name="<text>"):
    return render(parse(text, name), language)


# ---- Telling English from Spanish -------------------------------------------------------------

# Set aside before counting words: what is code, quoted or a name in every language.
SET_ASIDE = [
    re.compile(r"`[^`]*`"),                                               # inline code
    re.compile(r"\"[^\"]*\"|'[^' ]+'"),                                   # quotes, 'names'
    re.compile(r"(?:\S*/\S+|\S+\.(?:cpp|h|md|json|py|sh)\b)"),           # paths
    re.compile(r"(?<!\w)--?[A-Za-z][\w-]*"),                              # flags
    re.compile(r"\S*(?:::|->|\(\)|<\w*>|_|\[|\])\S*"),                    # identifiers, calls
    re.compile(r"\b\w+\.\w+\S*"),                                         # x.grad, model.train
    re.compile(r"\b\w+\("),                                               # calls: range(2)
]
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ']+")
# English words that Spanish prose does not use; Python's keywords (for, in, if, not, is, and,
# with, return...) are left out, since Spanish comments quote Python.
ENGLISH = set("""
the of to this that these those your you it its be been have had an which when should does
did than only each every still will would can cannot there their what how why then all any
more out up about after before because but done doesn't don't isn't aren't wasn't here them
they we our us must may might could also just so such same other another until where who whom
are was were on at by into yet one ones per gives returns makes keeps without between
first last once twice both either neither whose given image images flattened number numbers
something nothing none through instead record remember epoch epochs based improved
""".split())
SPANISH = set("""
el la los las un una unos unas de del al que en con por para es son fue se su sus lo como pero
más ya este esta estos estas ese esa eso hay sin sobre entre cuando donde qué cómo cuál cada
todo todos toda todas otro otra otros otras hasta mientras porque está están tu tus te le les
ni muy también solo cuántos cuántas uno dos tres antes después
""".split())
SPANISH_LETTERS = re.compile(r"[áéíóúñÁÉÍÓÚÑ¿¡]")


def words_of(text):
    for pattern in SET_ASIDE:
        text = pattern.sub(" ", text)
    return [w.lower() for w in WORD.findall(text)]


def english_and_spanish(text):
    words = words_of(text)
    return sum(w in ENGLISH for w in words), sum(w in SPANISH for w in words)


def is_listing(lines):
    """A paragraph of code: every line indented under its `//` (`//   for x, y in loader:`)."""
    return all(COMMENT_LINE.match(line).group(2).startswith("   ") for line in lines)


def python_comment(line):
    """The `# ...` comment of a line of Python quoted in a comment, or ""."""
    text = COMMENT_LINE.match(line).group(2)
    at = text.find(" # ")
    return text[at + 3:] if at >= 0 else ""


def needs_spanish(unit):
    """Why this unit, with no Spanish, still needs some (None: it is code, it may stay)."""
    if unit.kind == "comment":
        if not is_listing(unit.en):
            return "prose"
        for line in unit.en:
            if english_and_spanish(python_comment(line))[0] > 0:
                return "a Python comment in English"
        return None
    english, _ = english_and_spanish(" ".join(unit.en))
    return "English words" if english > 0 else None


# ---- The lint ---------------------------------------------------------------------------------

def strip_comments(text):
    """The code of a file, one line per line of code, comments and comment lines gone."""
    code = []
    for line in text.split("\n"):
        if COMMENT_LINE.match(line):
            continue
        column = trailing_comment_column(line)
        line = (line if column is None else line[:column]).rstrip()
        if line:
            code.append(line)
    return code


def readme_headings(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line[3:].strip() for line in f if line.startswith("## ")]
    except OSError:
        return None


SECTION = re.compile(r"(?P<readme>[\w./-]*README(?:\.es)?(?:\.md)?), \"(?P<section>[^\"]+)\"")


def kept_lines(unit, language):
    """The comment lines that `language` ("en" or "es") keeps of a unit: (line number in the
    source, text after `//`, without the marker)."""
    if unit.kind == "comment":
        first, lines = unit.line_number, [COMMENT_LINE.match(l).group(2) for l in unit.en]
        if unit.es is not None and language == "es":
            first += len(unit.en)
            lines = [COMMENT_LINE.match(l).group(2) for l in unit.es]
            lines[0] = unmark(lines[0])
    elif unit.kind == "trailing":
        first, lines = unit.line_number, list(unit.en)
        if unit.es is not None and language == "es":
            first += len(unit.en)
            lines = [unmark(unit.es[0])] + unit.es[1:]
    else:
        return []
    return [(first + k, text) for k, text in enumerate(lines)]


def check_file(root, path, problems):
    full = os.path.join(root, path)
    with open(full, encoding="utf-8") as f:
        source = f.read()

    def problem(line, why):
        problems.append(f"{path}:{line}: {why}")

    try:
        units = parse(source, path)
    except StubError as e:
        problems.append(str(e))
        return None
    if render(units, "both") != source:
        problem(1, "stub-comments.py reads this file differently from how it is written (a bug of "
                   "the script)")
    for number, line in enumerate(source.split("\n"), 1):
        if len(line) > MAX_COLUMNS:
            problem(number, f"{len(line)} columns, more than {MAX_COLUMNS}")

    # Every comment of prose has its Spanish.
    spanish_pairs = 0
    for unit in units:
        if unit.kind not in ("comment", "trailing"):
            continue
        if unit.es is None:
            why = needs_spanish(unit)
            if why:
                first = unit.en[0] if unit.kind == "comment" else unit.code + "//" + unit.en[0]
                problem(unit.line_number, f"{why} without its Spanish (add the Spanish right "
                        f"after it, first line \"// {MARKER} ...\"): {first.strip()}")
        else:
            spanish_pairs += 1

    english = keep(source, "en", path)
    spanish = keep(source, "es", path)
    for language, text in (("en", english), ("es", spanish)):
        # The handout's stubs compile as the sources do: only comments differ.
        if strip_comments(text) != strip_comments(source):
            problem(1, f"--lang {language} changes the code, not only comments")
        if keep(text, language, path) != text:
            problem(1, f"--lang {language} is not stable: filtering its output changes it again")
        if MARKER in text:
            problem(1, f"--lang {language} leaves a \"{MARKER}\" marker")
    if english.count("TODO") != spanish.count("TODO"):
        problem(1, f"{english.count('TODO')} TODO in English but {spanish.count('TODO')} in "
                   "Spanish: the Spanish of a TODO starts with TODO too (the runner says to look "
                   "for TODO)")

    # --lang es: no English line left; --lang en: no Spanish one.
    for unit in units:
        total_en = total_es = 0
        for number, line in kept_lines(unit, "es"):
            en, es = english_and_spanish(line)
            total_en, total_es = total_en + en, total_es + es
            if (en >= 2 and en > es) or en >= 3:
                problem(number, f"--lang es keeps a line of English: {line.strip()}")
        if (total_en >= 3 and total_en > total_es) or (
                unit.kind == "trailing" and total_en > 0 and total_es == 0):
            problem(unit.line_number, "--lang es keeps a comment in English")
        if unit.kind in ("comment", "trailing") and unit.es is not None and [
                t for _, t in kept_lines(unit, "es")] == [t for _, t in kept_lines(unit, "en")]:
            problem(unit.line_number, "the Spanish is a copy of the English")
        for number, line in kept_lines(unit, "en"):
            en, es = english_and_spanish(line)
            if SPANISH_LETTERS.search(line) or (es >= 2 and es > en):
                problem(number, f"--lang en keeps a line of Spanish: {line.strip()}")

    # The hints and the sections a comment points to, in the README of its language.
    folder = os.path.dirname(path)
    for language, foreign in (("en", r"README\.es\.md|\bPistas?\b"),
                              ("es", r"README\.md|\bHints?\b")):
        for unit in units:
            kept = kept_lines(unit, language)
            if not kept:
                continue
            number, text = kept[0][0], " ".join(line.strip() for _, line in kept)
            found = re.search(foreign, text)
            if found:
                problem(number, f"--lang {language} points to \"{found.group(0)}\", the other "
                                f"language's: {text}")
            for reference in SECTION.finditer(text):
                readme = reference.group("readme")
                if not readme.endswith(".md"):
                    readme += ".md"
                if os.path.basename(readme) == "README.md" and language == "es":
                    continue  # reported above
                if "/" not in readme:
                    readme = os.path.join(folder, readme)
                headings = readme_headings(os.path.join(root, readme))
                section = reference.group("section").removeprefix("## ")
                if headings is None:
                    problem(number, f"points to {readme}, which does not exist")
                elif not any(h == section or h.startswith(section) for h in headings):
                    problem(number, f"points to the section \"{section}\" of {readme}, which has "
                                    f"no such \"## \" heading")
    return spanish_pairs


def check(root):
    problems = []
    files = student_files(root)
    if not files:
        problems.append("course.json names no stub files")
    pairs = 0
    for path in files:
        pairs += check_file(root, path, problems) or 0

    # The folder filter (make-student-copy.sh --lang) gives what the file filter gives.
    with tempfile.TemporaryDirectory() as work:
        for language in ("en", "es"):
            copy = os.path.join(work, language)
            os.makedirs(copy)
            shutil.copy(os.path.join(root, "course.json"), copy)
            for path in files:
                os.makedirs(os.path.join(copy, os.path.dirname(path)), exist_ok=True)
                shutil.copy(os.path.join(root, path), os.path.join(copy, path))
            try:
                keep_folder(copy, language)
            except StubError:
                continue  # reported above, file by file
            for path in files:
                with open(os.path.join(root, path), encoding="utf-8") as f:
                    expected = keep(f.read(), language, path)
                with open(os.path.join(copy, path), encoding="utf-8") as f:
                    if f.read() != expected:
                        problems.append(f"{path}: keep {language} on a folder does not give "
                                        "what it gives on the file")

    for line in problems:
        print(f"stub-comments: FAIL {line}")
    if problems:
        print(f"stub-comments: {len(problems)} problem(s) in {len(files)} files")
        return 1
    print(f"stub-comments: {len(files)} stubs and headers, {pairs} comments in English and "
          "Spanish; --lang es keeps no English, --lang en no Spanish, and the code is the same")
    return 0


# ---- Commands ---------------------------------------------------------------------------------

def keep_folder(root, language):
    """Rewrites the stubs and headers of the course in `root` in one language."""
    files = student_files(root)
    for path in files:
        full = os.path.join(root, path)
        with open(full, encoding="utf-8") as f:
            text = f.read()
        with open(full, "w", encoding="utf-8") as f:
            f.write(keep(text, language, path))
    return files


def compile_handouts(root, compile_commands):
    """clang++ -fsyntax-only on the stubs of both handouts, with the flags the build compiles each
    exercise's solution with (its precompiled header included)."""
    with open(compile_commands, encoding="utf-8") as f:
        commands = json.load(f)
    problems = 0
    files = student_files(root)
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            if not path.endswith(".cpp"):
                continue
            folder, name = os.path.split(path)
            solution = os.path.realpath(os.path.join(root, folder, "solution", name))
            entry = next((e for e in commands if os.path.realpath(
                os.path.join(e["directory"], e["file"])) == solution), None)
            if entry is None:
                print(f"stub-comments: FAIL {path}: no compile command for {solution} in "
                      f"{compile_commands}")
                problems += 1
                continue
            arguments = entry.get("arguments") or shlex.split(entry["command"])
            for language in ("en", "es"):
                # The folder's sources beside the stub, so that `#include "mlp.h"` finds the
                # header of the same language first.
                copy = os.path.join(work, language, folder)
                os.makedirs(copy, exist_ok=True)
                for other in os.listdir(os.path.join(root, folder)):
                    if other.endswith((".h", ".cpp")):
                        with open(os.path.join(root, folder, other), encoding="utf-8") as f:
                            text = f.read()
                        if os.path.join(folder, other) in files:
                            text = keep(text, language, other)
                        with open(os.path.join(copy, other), "w", encoding="utf-8") as f:
                            f.write(text)
                command = []
                skip = False
                for argument in arguments:
                    if skip:
                        skip = False
                        continue
                    if argument in ("-o", "-c"):
                        skip = True
                        continue
                    if argument == solution or argument == entry["file"]:
                        continue
                    command.append(argument)
                command += ["-fsyntax-only", os.path.join(copy, name)]
                result = subprocess.run(command, cwd=entry["directory"], capture_output=True,
                                        text=True)
                status = "ok  " if result.returncode == 0 else "FAIL"
                print(f"stub-comments: {status} --lang {language} {path} compiles")
                if result.returncode != 0:
                    problems += 1
                    print(result.stderr[-4000:])
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.split("\n")[2:]))
    commands = parser.add_subparsers(dest="command", required=True)
    keep_parser = commands.add_parser("keep", help="rewrite ROOT's stubs in one language")
    keep_parser.add_argument("language", choices=["en", "es"])
    keep_parser.add_argument("root")
    show_parser = commands.add_parser("show", help="print files in one language")
    show_parser.add_argument("language", choices=["en", "es", "both"])
    show_parser.add_argument("files", nargs="+")
    check_parser = commands.add_parser("check", help="the lint of the stubs' two languages")
    check_parser.add_argument("root")
    compile_parser = commands.add_parser("compile", help="both handouts' stubs compile")
    compile_parser.add_argument("--compile-commands", default=None)
    compile_parser.add_argument("root")
    args = parser.parse_args()
    try:
        if args.command == "keep":
            files = keep_folder(args.root, args.language)
            print(f"comments kept in {'Spanish' if args.language == 'es' else 'English'} in "
                  f"{len(files)} stubs and headers")
            return 0
        if args.command == "show":
            for path in args.files:
                with open(path, encoding="utf-8") as f:
                    sys.stdout.write(keep(f.read(), args.language, path))
            return 0
        if args.command == "check":
            return check(args.root)
        compile_commands = args.compile_commands or os.path.join(
            args.root, "build", "solutions", "compile_commands.json")
        return compile_handouts(args.root, compile_commands)
    except StubError as e:
        print(f"stub-comments.py: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
