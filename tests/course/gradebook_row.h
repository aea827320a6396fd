// Reading what `course grade` wrote, for the grade tests: a student's row of gradebook.csv.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace course::testing {

// The student's row of `gradebook` (gradebook.csv), as column -> value; empty when absent.
inline std::map<std::string, std::string> gradebook_row(const std::filesystem::path& gradebook,
                                                        const std::string& student) {
  std::ifstream file(gradebook);
  std::string header, line;
  std::getline(file, header);
  std::vector<std::string> columns;
  std::istringstream names(header);
  for (std::string name; std::getline(names, name, ',');) columns.push_back(name);
  while (std::getline(file, line)) {
    if (line.rfind(student + ",", 0) != 0) continue;
    std::map<std::string, std::string> values;
    std::istringstream cells(line);
    std::string cell;
    for (size_t i = 0; i < columns.size() && std::getline(cells, cell, ','); ++i)
      values[columns[i]] = cell;
    return values;
  }
  return {};
}

}  // namespace course::testing
