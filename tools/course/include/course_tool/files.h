// Reading and writing the course tool's text files: whole, with errors that name the file, and
// atomically where a reader may look at any moment (a reader sees the old file or the new one,
// never half of one; an interrupted run loses nothing it had finished).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace course::tool {

// The whole file. Throws CourseError naming it when it cannot be read.
std::string read_text(const std::filesystem::path& file);

// Writes `text` to a temporary file beside `file`, then renames it over `file` (creating the
// folders). Throws CourseError naming the file when it cannot be written.
void write_atomically(const std::filesystem::path& file, const std::string& text);

// `path` as the file system resolves it (symbolic links followed, `.` and `..` gone; what does
// not exist yet kept as written): the one way the tools compare paths, so that a checkout
// reached through a symbolic link (macOS's /tmp, many clusters' home folders) is the same
// checkout.
std::filesystem::path canonical_path(const std::filesystem::path& path);
// True when `a` and `b` name the same place (canonical_path of each).
bool same_path(const std::filesystem::path& a, const std::filesystem::path& b);

// `text` with every `from` replaced by `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to);

// `text` without the spaces, tabs and line ends around it.
std::string trim(const std::string& text);

// The last `lines` lines of `text` (a long output's end, for a report).
std::string last_lines(const std::string& text, size_t lines);

}  // namespace course::tool
