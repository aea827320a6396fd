// Small text helpers that every program of the course shares. Header-only and free of LibTorch,
// so that the course runner (tools/course) uses the same ones.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace course {

// The first line of `text`: error messages often append details (c10::Error a C++ backtrace,
// a process its whole output) that a one-line report does not show.
inline std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

// Whether `text` begins with `prefix` (C++20's starts_with).
inline bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// `text` with its ASCII letters in lower case (a flag, a header cell, a phrase matched in any
// case).
inline std::string ascii_lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// `text` with XML's special characters escaped (&, <, >, "): for SVG and HTML reports.
inline std::string escape_xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace course
