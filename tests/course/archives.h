// Archives and files the grade tests build on the fly (libarchive's writer): a submission
// zipped, with entries that climb out, links, or a zip bomb's gigabytes of zeros.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture.h"

namespace course::testing {
namespace fs = std::filesystem;

inline void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

struct Entry {
  std::string name;
  std::string text;
  std::string link;  // a symbolic link to this, when set
  size_t zeros = 0;  // that many zero bytes instead of text
};

inline void write_zip(const fs::path& file, const std::vector<Entry>& entries) {
  archive* zip = archive_write_new();
  archive_write_set_format_zip(zip);
  archive_write_zip_set_compression_deflate(zip);
  ASSERT_EQ(archive_write_open_filename(zip, file.c_str()), ARCHIVE_OK);
  const std::string megabyte(size_t{1} << 20, '\0');
  for (const auto& item : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, item.name.c_str());
    archive_entry_set_perm(entry, 0644);
    if (!item.link.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, item.link.c_str());
      archive_write_header(zip, entry);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_size(entry, static_cast<la_int64_t>(item.zeros ? item.zeros : item.text.size()));
      archive_write_header(zip, entry);
      if (item.zeros) {
        for (size_t done = 0; done < item.zeros; done += megabyte.size())
          archive_write_data(zip, megabyte.data(), std::min(megabyte.size(), item.zeros - done));
      } else {
        archive_write_data(zip, item.text.data(), item.text.size());
      }
    }
    archive_entry_free(entry);
  }
  archive_write_close(zip);
  archive_write_free(zip);
}

// Every file under `folder`, as archive entries under `prefix`.
inline std::vector<Entry> entries_of(const fs::path& folder, const std::string& prefix) {
  std::vector<Entry> entries;
  for (const auto& item : fs::recursive_directory_iterator(folder)) {
    if (!item.is_regular_file()) continue;
    entries.push_back(
        {prefix + item.path().lexically_relative(folder).string(), read_file(item.path()), "", 0});
  }
  return entries;
}

}  // namespace course::testing
