// The course's structure, checked without building anything: every exercise in course.json has
// a stub, a solution/ with the same files, tests, a README with at least two hints, and every
// exercises/NN_* folder is listed in course.json; every README.md (each exercise's and the top
// one) has its Spanish README.es.md with the same structure, instructors' parts included; and no
// README.es.md, nor po/es.po's Spanish, uses a word that po/GLOSSARY.md says to avoid.
#pragma once

#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

// One line per problem, each naming the file and what to do; empty when all is well.
std::vector<std::string> lint_course(const Manifest& manifest);

// Whether the Spanish translation `spanish` has the structure of `english` (both Markdown, whole:
// the instructors' parts are translated too): the same headings at the same levels in the same
// order, the same hints, the same tables with as many rows, the same <!-- instructors --> and
// <!-- /instructors --> lines, the same code blocks. A code block's code stays as it is and its
// comments may be translated: the blocks are compared without their comments (`#` in sh, bash,
// Python, CMake; `//` and `/* */` in C and C++; none in a block of another or no language).
// One line per difference found, naming the files (`english_name`, `spanish_name`) and the
// lines; empty when they match.
std::vector<std::string> compare_translation(const std::string& english, const std::string& spanish,
                                             const std::string& english_name,
                                             const std::string& spanish_name);

// One word the course's Spanish avoids, and what to write instead (po/GLOSSARY.md).
struct AvoidedWord {
  std::string word;     // in lower case, one word ("arreglo")
  std::string instead;  // as the glossary writes it ("la solución, corregir")
};

// The words to avoid of a glossary: the rows of the Markdown table whose header row is
// | avoid | use instead | why |, the first cell listing one or more words ("arreglo, arreglos").
// Empty when there is no such table.
std::vector<AvoidedWord> read_avoid_list(const std::string& glossary);

// Each avoided word in the prose of `markdown`: outside code blocks, inline code, links' targets
// and HTML comments, and not part of a path, flag or identifier (build/student, --build). One
// line per use, "name:line: ...", naming the word to use instead; and each number written with
// a decimal comma ("1,8": the course writes 1.8, as its programs print it). Empty when there is
// neither.
std::vector<std::string> find_avoided_words_in_markdown(const std::string& markdown,
                                                        const std::string& name,
                                                        const std::vector<AvoidedWord>& avoid);

// The same over the msgstr strings (the Spanish) of a gettext PO file `po`.
std::vector<std::string> find_avoided_words_in_po(const std::string& po, const std::string& name,
                                                  const std::vector<AvoidedWord>& avoid);

}  // namespace course::tool
