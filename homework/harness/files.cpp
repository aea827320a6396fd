#include "harness/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "common/cli.h"
#include "common/language.h"

namespace homework::harness {
namespace fs = std::filesystem;
namespace {

fs::path directory_of(const fs::path& path) {
  return path.has_parent_path() ? path.parent_path() : fs::path(".");
}

// Flushes a written file to the disk, so the rename never publishes a file still in the cache.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    throw std::runtime_error(
        course::trf("cannot flush '{}': {}", path.string(), std::strerror(error)));
  }
  ::close(fd);
}

}  // namespace

void replace_atomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  // The temporary name: hidden, next to the target, unique to this process.
  const fs::path temporary =
      directory_of(path) / fmt::format(".{}.tmp.{}", path.filename().string(), ::getpid());
  try {
    write(temporary);
    sync_file(temporary);
    fs::rename(temporary, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

void write_file_atomically(const fs::path& path, const std::string& contents) {
  replace_atomically(path, [&](const fs::path& temporary) {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      throw std::runtime_error(
          course::trf("cannot write '{}': {}", path.string(), std::strerror(errno)));
    }
    size_t written = 0;
    while (written < contents.size()) {
      const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        ::close(fd);
        throw std::runtime_error(
            course::trf("cannot write '{}': {}", path.string(), std::strerror(error)));
      }
      written += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) {
      throw std::runtime_error(
          course::trf("cannot write '{}': {}", path.string(), std::strerror(errno)));
    }
  });
}

void check_writable(const std::string& flag, const fs::path& path) {
  if (path.empty()) return;
  std::error_code error;
  if (fs::is_directory(path, error)) {
    throw course::UsageError(
        course::trf("{} '{}' is a directory; name a file in it", flag, path.string()));
  }
  const fs::path directory = directory_of(path);
  if (!fs::is_directory(directory, error)) {
    throw course::UsageError(
        course::trf("{} '{}': directory '{}' does not exist; create it first (mkdir -p {})", flag,
                    path.string(), directory.string(), directory.string()));
  }
  // Try it: permissions, read-only mounts and quotas all show up as a failed create.
  const fs::path probe = directory / fmt::format(".write-test.{}", ::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    throw course::UsageError(course::trf("{} '{}': cannot create files in '{}': {}", flag,
                                         path.string(), directory.string(), std::strerror(errno)));
  }
  ::close(fd);
  fs::remove(probe, error);
}

}  // namespace homework::harness
