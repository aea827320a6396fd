#include "course_tool/submission.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/language.h"
#include "course_tool/files.h"
#include "course_tool/process.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kArchiveSuffixes = {".tar.gz", ".tar.bz2", ".tar.xz",
                                                   ".tgz",    ".tar",     ".zip"};

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Where an archive entry's path would land, relative to the extraction folder; empty when it
// leaves it (absolute, or a ".." that climbs above the top).
fs::path inside_path(const std::string& name) {
  const fs::path path(name);
  if (path.is_absolute() || name.empty()) return {};
  fs::path result;
  for (const auto& part : path) {
    if (part == "..") return {};
    if (part == "." || part.empty()) continue;
    result /= part;
  }
  return result;
}

// A link at `entry` pointing to `target` stays inside the folder.
bool link_stays_inside(const fs::path& entry, const std::string& target) {
  if (target.empty() || fs::path(target).is_absolute()) return false;
  int depth = 0;
  for (const auto& part : entry.parent_path() / fs::path(target)) {
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (part != "." && !part.empty()) {
      ++depth;
    }
  }
  return true;
}

struct ArchiveCloser {
  void operator()(archive* handle) const { archive_read_free(handle); }
};

std::string describe_size(size_t bytes) {
  return fmt::format("{} MiB", bytes >> 20);
}

}  // namespace

std::string student_name(const fs::path& input) {
  std::string name = input.lexically_normal().filename().string();
  if (name.empty()) name = input.lexically_normal().parent_path().filename().string();
  for (const auto& suffix : kArchiveSuffixes) {
    if (ends_with(name, suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

bool is_archive(const fs::path& input) {
  const std::string name = input.filename().string();
  return std::any_of(kArchiveSuffixes.begin(), kArchiveSuffixes.end(),
                     [&](const std::string& suffix) { return ends_with(name, suffix); });
}

std::vector<std::string> extract_archive(const fs::path& archive_file, const fs::path& into,
                                         const ExtractLimits& limits) {
  std::unique_ptr<archive, ArchiveCloser> reader(archive_read_new());
  archive_read_support_format_all(reader.get());
  archive_read_support_filter_all(reader.get());
  if (archive_read_open_filename(reader.get(), archive_file.c_str(), 65536) != ARCHIVE_OK) {
    throw CourseError(trf("cannot read {} as an archive: {}", archive_file.string(),
                          archive_error_string(reader.get())));
  }
  fs::create_directories(into);
  std::vector<std::string> notes;
  size_t written = 0, entries = 0;
  archive_entry* entry = nullptr;
  int status;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK ||
         status == ARCHIVE_WARN) {
    if (++entries > limits.max_entries) {
      throw CourseError(trf("{} holds more than {} entries: refused",
                            archive_file.filename().string(), limits.max_entries));
    }
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    const fs::path path = inside_path(name);
    if (path.empty()) {
      if (!name.empty() && name != "./" && name != ".")
        notes.push_back(trf("refused: {}: a path that leaves the submission", name));
      continue;
    }
    const fs::path target = into / path;
    const auto type = archive_entry_filetype(entry);
    if (archive_entry_hardlink(entry) != nullptr || type == AE_IFLNK) {
      const char* link = archive_entry_hardlink(entry) ? archive_entry_hardlink(entry)
                                                       : archive_entry_symlink(entry);
      const bool inside = archive_entry_hardlink(entry) ? !inside_path(link ? link : "").empty()
                                                        : link_stays_inside(path, link ? link : "");
      if (!inside)
        notes.push_back(
            trf("refused: {}: a link to {}, outside the submission", name, link ? link : "?"));
      continue;  // links are never followed: only regular files are read
    }
    if (type == AE_IFDIR) {
      fs::create_directories(target);
      continue;
    }
    if (type != AE_IFREG) {
      notes.push_back(trf("refused: {}: not a regular file", name));
      continue;
    }
    fs::create_directories(target.parent_path());
    // O_NOFOLLOW | O_EXCL: never write through a link, never over a file written before.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd < 0) {
      notes.push_back(trf("refused: {}: listed twice or not writable", name));
      continue;
    }
    const void* block;
    size_t size;
    la_int64_t offset;
    int read_status;
    while ((read_status = archive_read_data_block(reader.get(), &block, &size, &offset)) ==
           ARCHIVE_OK) {
      written += size;
      if (written > limits.max_bytes) {
        ::close(fd);
        throw CourseError(trf("{} expands past {} (a zip bomb?): refused",
                              archive_file.filename().string(), describe_size(limits.max_bytes)));
      }
      if (::pwrite(fd, block, size, static_cast<off_t>(offset)) != static_cast<ssize_t>(size)) {
        ::close(fd);
        throw CourseError(
            trf("cannot write {} while extracting {}", target.string(), archive_file.string()));
      }
    }
    ::close(fd);
    if (read_status != ARCHIVE_EOF) {
      throw CourseError(trf("{} is damaged at {}: {}", archive_file.filename().string(), name,
                            archive_error_string(reader.get())));
    }
  }
  if (status != ARCHIVE_EOF) {
    throw CourseError(trf("{} is damaged: {}", archive_file.filename().string(),
                          archive_error_string(reader.get())));
  }
  return notes;
}

std::map<std::string, fs::path> course_files(const fs::path& root) {
  std::map<std::string, fs::path> files;
  ProcessOptions options;
  options.timeout_seconds = 60;
  if (fs::exists(root / ".git")) {
    const ProcessResult listed =
        run_process({"git", "-C", root.string(), "ls-files", "-z", "--cached"}, options);
    if (listed.succeeded()) {
      std::string name;
      std::istringstream names(listed.output);
      while (std::getline(names, name, '\0')) {
        if (!name.empty() && fs::is_regular_file(root / name)) files[name] = root / name;
      }
      return files;
    }
  }
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string top = it->path().lexically_relative(root).begin()->string();
    if (it->is_directory() && (top.rfind("build", 0) == 0 || top == ".git")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files[it->path().lexically_relative(root).string()] = it->path();
  }
  return files;
}

std::vector<std::string> student_files(const Manifest& manifest) {
  std::vector<std::string> files;
  for (const auto& exercise : manifest.exercises) {
    for (const auto& file : exercise.files) files.push_back((exercise.folder / file).string());
  }
  return files;
}

Overlay overlay(const Manifest& manifest, const std::map<std::string, fs::path>& course,
                const fs::path& submission) {
  Overlay result;
  result.root = submission;
  if (!fs::exists(submission / kManifestFile)) {  // an archive of the clone's folder
    std::vector<fs::path> roots;
    for (const auto& item : fs::directory_iterator(submission)) {
      if (item.is_directory() && !item.is_symlink() && fs::exists(item.path() / kManifestFile))
        roots.push_back(item.path());
    }
    if (roots.size() == 1) result.root = roots.front();
  }
  const std::vector<std::string> own = student_files(manifest);
  for (const auto& file : own) {
    const fs::path path = result.root / file;
    if (fs::is_regular_file(fs::symlink_status(path))) {
      result.files[file] = path;
    } else {
      result.files[file] = fs::path();
      result.notes.push_back(
          fs::is_symlink(fs::symlink_status(path))
              ? trf("missing: {} is not in the submission (a link, not a file): graded as the "
                    "untouched stub",
                    file)
              : trf("missing: {} is not in the submission: graded as the untouched stub", file));
    }
  }
  const std::set<std::string> own_set(own.begin(), own.end());
  std::vector<std::string> ignored;
  for (const auto& [name, instructors] : course) {
    if (own_set.count(name)) continue;
    const fs::path theirs = result.root / name;
    std::error_code error;
    if (!fs::is_regular_file(fs::symlink_status(theirs, error))) continue;
    if (fs::file_size(theirs, error) == fs::file_size(instructors, error) &&
        read_text(theirs) == read_text(instructors))
      continue;
    ignored.push_back(name);
  }
  // A submission made from an older handout differs in many files: the first few, then a count.
  const size_t shown = std::min<size_t>(ignored.size(), 10);
  for (size_t i = 0; i < shown; ++i) {
    result.notes.push_back(
        trf("ignored: {} was modified (only the student files are graded)", ignored[i]));
  }
  if (ignored.size() > shown) {
    const size_t more = ignored.size() - shown;
    result.notes.push_back(trn("ignored: {} more file of the course was modified",
                               "ignored: {} more files of the course were modified",
                               static_cast<long long>(more), more));
  }
  return result;
}

}  // namespace course::tool
