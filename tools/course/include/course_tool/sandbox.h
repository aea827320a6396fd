// Running code we do not trust (a student's submission: its compiler input, its test binaries,
// its training run) inside bubblewrap (Debian `bubblewrap`): no network, the system and the
// course read-only, other students' files hidden, one folder of its own to write, and limits on
// wall time, CPU time, memory, processes, file size and output. A run that hits a limit is
// stopped and says which limit it hit.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "course_tool/process.h"

namespace course::tool {

struct SandboxLimits {
  double wall_seconds = 300;              // the whole run, then every process is killed
  double cpu_seconds = 600;               // CPU time, all threads together
  size_t memory_bytes = size_t{8} << 30;  // address space of each process
  size_t processes = 512;                 // processes and threads of the sandbox's user
  size_t output_bytes = size_t{8} << 20;  // what it prints
  size_t file_bytes = size_t{512} << 20;  // the largest file it may write
  size_t tmp_bytes = size_t{256} << 20;   // its private /tmp (memory)
};

struct Sandbox {
  bool enabled = true;  // false: --no-sandbox, the command runs as it is (limits still set)
  std::string bwrap = "bwrap";
  std::vector<std::filesystem::path> readable;  // bound read-only (the course, its build tree)
  std::vector<std::filesystem::path> hidden;    // replaced by an empty folder (other submissions)
  int uid = -1;  // as root: the user the run becomes, so that the process limit holds
  int gid = -1;
};

// Why bubblewrap cannot sandbox a command on this machine (not installed, user namespaces
// disabled), or empty when it can: tried with a real run.
std::string sandbox_unavailable(const std::string& bwrap);

// Runs `command` in `directory` inside the sandbox, `writable` folders bound read-write. The
// result's `signal` is the one that ended the command inside (bubblewrap reports it as 128 + N).
ProcessResult run_sandboxed(const Sandbox& sandbox, const SandboxLimits& limits,
                            const std::vector<std::string>& command,
                            const std::filesystem::path& directory,
                            const std::vector<std::filesystem::path>& writable);

// The limit a run hit, in words ("the wall-time limit (60 s)", "the CPU-time limit (60 s)",
// "the output limit (8 MiB)", "the file-size limit (512 MiB)"), or empty when it hit none that
// can be told apart from a plain failure.
std::string limit_hit(const ProcessResult& result, const SandboxLimits& limits);

}  // namespace course::tool
