#!/usr/bin/env python3
"""Prints the lines of English prose in what a program printed, and exits 1 when there are any.

Used by tests/course/spanish_test.sh on what a student reads with the language set to Spanish.
A line is English prose when, once its code is set aside, at least two of its words are English
(one at least a function word such as "the", "is", "of", "with"; the others may be words of the
course's messages such as "expected", "hint", "check") and no fewer are Spanish function words,
or when it starts with one of CLI11's English labels ("Usage:", "Options:"). Set aside first:
`inline code`, anything in quotes, paths and file names, flags (--epochs), identifiers and calls
(zero_grad, torch::nn::Linear, item<double>(), model->train), and LibTorch's own words that a
Spanish sentence quotes ("(LibTorch dijo: ...)") and the compiler's diagnostics that the runner
quotes before its Spanish explanation ("mlp.h:44:21: error: ...").

  some-program | english_lines.py [--label NAME] [--min N]
--min N: instead, exit 1 unless at least N lines are English (proves the detector on English).
"""
import argparse
import re
import sys

FUNCTION_WORDS = set("""
the is are was were not of to with and for this that these those your you it its be been has
have had from on at by an or yet which when should does did than into only each every still
will would can cannot there their what how why if then else all any more out up about after
before because but do done doesn't don't isn't wasn't aren't here them they we our us my me
none must may might could also just so such same other another until while where who whom
""".split())
COURSE_WORDS = set("""
usage options positionals subcommands subcommand required print message help exit stuck shows
expected returned gave got passes pass passed failed fails fail written write edit rebuild run
exercise exercises section sections hint hints check checks epoch epochs took seconds layer
layers weights loss losses still left missing wrong should instead first next last
""".split())
SPANISH = set("""
el la los las un una unos unas de del al que y o en con por para es son fue no se su sus lo
como pero más mas ya todavía aún este esta estos estas ese esa eso hay ha han sin sobre entre
cuando donde qué cómo cuál tu tus te le les ni muy también solo sólo cada todo todos toda todas
le otro otra otros otras hasta mientras porque está están era eran ser hace da dan
""".split())

SET_ASIDE = [
    re.compile(r"\x1b\[[0-9;]*m"),                       # colours
    re.compile(r"\(LibTorch (?:dijo|said):[^)]*\)?"),    # LibTorch's own words, quoted
    re.compile(r"^\s*\S+:\d+:\d+: (?:fatal error|error|warning|note): .*"),  # the compiler's
    re.compile(r"`[^`]*`"),                              # inline code
    re.compile(r"\bNone\b"),                             # Python's None
    re.compile(r"\"[^\"]*\"|“[^”]*”|'[^' ]+'"),          # quoted text, 'names'
    re.compile(r"(?:\S*/\S+|\S+\.(?:cpp|h|md|json|csv|txt|svg|html|pt|po|gz)\b)"),  # paths
    re.compile(r"(?<!\w)--?[A-Za-z][\w-]*"),             # flags
    re.compile(r"\S*(?:::|->|\(\)|<\w+>|_)\S*"),         # identifiers, calls
    re.compile(r"\b\w+\.\w+\S*"),                        # model.train, x.grad
]
LABEL = re.compile(r"\s*(?:Usage|Options|Positionals|Subcommands|SUBCOMMANDS?|OPTIONS|REQUIRED)\b")
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ']+")


def is_english(line):
    text = line
    for pattern in SET_ASIDE:
        text = pattern.sub(" ", text)
    if LABEL.match(text):
        return True
    words = [w.lower() for w in WORD.findall(text)]
    function_words = sum(w in FUNCTION_WORDS for w in words)
    english = function_words + sum(w in COURSE_WORDS for w in words)
    spanish = sum(w in SPANISH for w in words)
    return function_words >= 1 and english >= 2 and english >= spanish


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", default="output")
    parser.add_argument("--min", type=int, default=None)
    args = parser.parse_args()
    found = [line.rstrip("\n") for line in sys.stdin if is_english(line)]
    if args.min is not None:
        if len(found) < args.min:
            print(f"english_lines.py: {args.label}: only {len(found)} English line(s) found in "
                  f"English output, expected at least {args.min}: the detector misses English")
            return 1
        return 0
    for line in found:
        print(f"{args.label}: English: {line.strip()}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
