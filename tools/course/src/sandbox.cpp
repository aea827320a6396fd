#include "course_tool/sandbox.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <iterator>
#include <utility>

#include <fmt/format.h>

namespace course::tool {
namespace fs = std::filesystem;

namespace {

std::string mebibytes(size_t bytes) { return fmt::format("{} MiB", bytes >> 20); }

std::vector<std::string> bwrap_arguments(const Sandbox& sandbox, const SandboxLimits& limits,
                                         const fs::path& directory,
                                         const std::vector<fs::path>& writable) {
  std::vector<std::string> arguments = {
      sandbox.bwrap, "--die-with-parent", "--new-session", "--unshare-all",
      "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
      "--size", std::to_string(limits.tmp_bytes), "--tmpfs", "/tmp"};
  // Outer folders first, so that a folder inside a hidden one (this submission's, inside the
  // folder of all grades) is bound again on top of the empty one.
  std::vector<std::pair<std::string, fs::path>> mounts;
  for (const auto& path : sandbox.readable) mounts.emplace_back("--ro-bind", path);
  for (const auto& path : sandbox.hidden) mounts.emplace_back("--tmpfs", path);
  for (const auto& path : writable) mounts.emplace_back("--bind", path);
  for (auto& mount : mounts) mount.second = fs::absolute(mount.second).lexically_normal();
  std::stable_sort(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) {
    return std::distance(a.second.begin(), a.second.end()) <
           std::distance(b.second.begin(), b.second.end());
  });
  for (const auto& [how, path] : mounts) {
    if (!fs::exists(path)) continue;
    if (how == "--tmpfs") {
      arguments.insert(arguments.end(), {how, path.string()});
    } else {
      arguments.insert(arguments.end(), {how, path.string(), path.string()});
    }
  }
  arguments.insert(arguments.end(), {"--chdir", fs::absolute(directory).string(), "--setenv",
                                     "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--"});
  return arguments;
}

}  // namespace

std::string sandbox_unavailable(const std::string& bwrap) {
  if (!find_program(bwrap)) {
    return fmt::format("'{}' is not installed (Debian: `sudo apt-get install bubblewrap`)", bwrap);
  }
  ProcessOptions options;
  options.timeout_seconds = 30;
  const ProcessResult tried =
      run_process({bwrap, "--die-with-parent", "--unshare-all", "--ro-bind", "/", "/", "--dev",
                   "/dev", "--proc", "/proc", "--", "true"},
                  options);
  if (tried.succeeded()) return "";
  std::string why = tried.output;
  while (!why.empty() && (why.back() == '\n' || why.back() == '\r')) why.pop_back();
  return fmt::format("bubblewrap cannot create its namespaces here ({}{}): user namespaces are "
                     "probably disabled (sysctl kernel.unprivileged_userns_clone, "
                     "user.max_user_namespaces)",
                     tried.describe(30), why.empty() ? "" : ": " + why);
}

ProcessResult run_sandboxed(const Sandbox& sandbox, const SandboxLimits& limits,
                            const std::vector<std::string>& command, const fs::path& directory,
                            const std::vector<fs::path>& writable) {
  std::vector<std::string> arguments;
  if (sandbox.enabled) arguments = bwrap_arguments(sandbox, limits, directory, writable);
  arguments.insert(arguments.end(), command.begin(), command.end());
  ProcessOptions options;
  options.working_directory = directory;
  options.timeout_seconds = limits.wall_seconds;
  options.max_output_bytes = limits.output_bytes;
  options.limits = {limits.cpu_seconds, limits.memory_bytes, limits.processes, limits.file_bytes};
  if (sandbox.enabled) {
    options.run_as_uid = sandbox.uid;
    options.run_as_gid = sandbox.gid;
  }
  ProcessResult result = run_process(arguments, options);
  // The processes of a run stopped a moment ago (a fork bomb's hundreds) still count against
  // the process limit until the kernel has reaped them all: bubblewrap cannot start yet. Wait.
  for (int attempt = 0; sandbox.enabled && attempt < 40 && result.started &&
                        result.exit_code == 1 &&
                        result.output.rfind("bwrap: Creating new namespace failed", 0) == 0;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    result = run_process(arguments, options);
  }
  // bubblewrap exits with 128 + N when the command inside was ended by signal N.
  if (sandbox.enabled && result.started && result.signal == 0 && result.exit_code > 128 &&
      result.exit_code <= 128 + 64) {
    result.signal = result.exit_code - 128;
  }
  return result;
}

std::string limit_hit(const ProcessResult& result, const SandboxLimits& limits) {
  if (result.output_limited)
    return fmt::format("the output limit ({} printed)", mebibytes(limits.output_bytes));
  if (result.timed_out) return fmt::format("the wall-time limit ({:.0f} s)", limits.wall_seconds);
  if (result.signal == SIGXCPU || (result.signal == SIGKILL && limits.cpu_seconds > 0))
    return fmt::format("the CPU-time limit ({:.0f} s)", limits.cpu_seconds);
  if (result.signal == SIGXFSZ)
    return fmt::format("the file-size limit ({})", mebibytes(limits.file_bytes));
  return "";
}

}  // namespace course::tool
