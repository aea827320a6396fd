// Writing output files so that an interrupted run never leaves half a file behind: everything is
// written to a temporary file in the same directory, flushed to disk, then renamed over the
// target (a rename within one directory is atomic on POSIX file systems).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace homework::harness {

// Calls write(temporary_path), then renames the temporary file to `path`. If `write` throws,
// the temporary file is removed and `path` is left as it was.
void replace_atomically(const std::filesystem::path& path,
                        const std::function<void(const std::filesystem::path&)>& write);

// `contents` into `path`, atomically (through replace_atomically).
void write_file_atomically(const std::filesystem::path& path, const std::string& contents);

// Checks, before any work, that the file `path` given with `flag` can be written: it is not a
// directory, its directory exists and accepts new files. An empty path (flag not given) passes.
// Throws course::UsageError with a message naming the flag and the fix.
void check_writable(const std::string& flag, const std::filesystem::path& path);

}  // namespace homework::harness
