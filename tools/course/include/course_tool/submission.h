// A student's submission as `course grade` reads it: a folder (their clone of the course, git
// or not) or an archive (.zip, .tar.gz, ...), from which only the files course.json lists as the
// student's are taken. Everything else (tests, harness, CMake files, data) is the instructor's;
// a submission that changed any of it gets a note saying the change was ignored.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "course_tool/manifest.h"

namespace course::tool {

// "alice" for alice/, alice.zip, alice.tar.gz, alice.tgz: the row of the gradebook.
std::string student_name(const std::filesystem::path& input);

bool is_archive(const std::filesystem::path& input);

struct ExtractLimits {
  size_t max_bytes = size_t{256} << 20;  // everything it expands to, counted as it is written
  size_t max_entries = 50000;
};

// Extracts `archive` (any format libarchive reads) into `into`, which must not exist. Entries
// with an absolute path or a ".." component, links (symbolic or hard) that leave the folder,
// devices and FIFOs are refused, one note each ("refused: ../../etc/x: a path that leaves the
// submission"); links inside it are skipped (only regular files are ever read). Throws
// CourseError when it is not an archive or expands past the limits (a zip bomb): nothing of it
// is graded.
std::vector<std::string> extract_archive(const std::filesystem::path& archive,
                                         const std::filesystem::path& into,
                                         const ExtractLimits& limits = {});

// The course's own files (relative path -> absolute path in `root`): git's tracked files when
// `root` is a git checkout, else every file but build folders and .git.
std::map<std::string, std::filesystem::path> course_files(const std::filesystem::path& root);

// The student's files of every exercise (relative to the course root, as course.json gives
// them), in manifest order.
std::vector<std::string> student_files(const Manifest& manifest);

struct Overlay {
  std::filesystem::path root;  // where the submission's course root is (has course.json)
  // Per student file (relative path): the submission's copy, or empty when it has none (the
  // instructor's stub is graded then, and a note says so).
  std::map<std::string, std::filesystem::path> files;
  std::vector<std::string> notes;  // "ignored: tests/exercises/autograd_test.cpp was modified"
};

// Finds the course inside `submission` (itself, or the one folder at its top holding
// course.json) and compares it with the instructor's course: student files are taken (regular files
// only, never links), every other course file that differs is noted as ignored.
Overlay overlay(const Manifest& manifest,
                const std::map<std::string, std::filesystem::path>& course,
                const std::filesystem::path& submission);

}  // namespace course::tool
