#include "course_tool/sandbox.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "common/language.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

std::string mebibytes(size_t bytes) {
  return fmt::format("{} MiB", bytes >> 20);
}

// Root grading: the runs become another user inside the sandbox.
bool switches_user(const Sandbox& sandbox) {
  return sandbox.uid >= 0 && ::getuid() == 0;
}

// Until no process of `uid` is left (a run killed a moment ago: the kernel reaps a fork bomb's
// hundreds in a while, and they count against the process limit of the next run), at most 10 s.
void wait_for_no_process_of(int uid) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    bool found = false;
    for (const auto& entry : fs::directory_iterator("/proc")) {
      struct stat info {};
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      if (::stat(entry.path().c_str(), &info) == 0 && static_cast<int>(info.st_uid) == uid) {
        found = true;
        break;
      }
    }
    if (!found) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::vector<std::string> bwrap_arguments(const Sandbox& sandbox, const SandboxLimits& limits,
                                         const fs::path& directory,
                                         const std::vector<fs::path>& writable) {
  std::vector<std::string> arguments = {sandbox.bwrap, "--die-with-parent", "--new-session"};
  if (switches_user(sandbox)) {
    // Root's bubblewrap reaches every folder it binds; inside, setpriv becomes the run's user
    // (no user namespace: in one, root's limits would not bind the processes it starts).
    arguments.insert(arguments.end(), {"--unshare-ipc", "--unshare-pid", "--unshare-net",
                                       "--unshare-uts", "--unshare-cgroup-try", "--cap-add",
                                       "CAP_SETUID", "--cap-add", "CAP_SETGID"});
  } else {
    arguments.push_back("--unshare-all");
  }
  arguments.insert(arguments.end(),
                   {"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777",
                    "--size", std::to_string(limits.tmp_bytes), "--tmpfs", "/tmp"});
  // Outer folders first, so that a folder inside a hidden one (this submission's, inside the
  // folder of all grades) is bound again on top of the empty one.
  std::vector<std::pair<std::string, fs::path>> mounts;
  for (const auto& path : sandbox.readable) mounts.emplace_back("--ro-bind", path);
  for (const auto& path : sandbox.hidden) mounts.emplace_back("--tmpfs", path);
  for (const auto& path : writable) mounts.emplace_back("--bind", path);
  for (auto& mount : mounts) mount.second = fs::absolute(mount.second).lexically_normal();
  // A folder on the way to a mount that the run's user may not pass (a checkout under /root,
  // 0700) is replaced by an empty tmpfs, in which bubblewrap makes the way to each mount.
  if (switches_user(sandbox)) {
    std::set<fs::path> closed;
    for (const auto& mount : mounts) {
      fs::path way = "/";
      for (const auto& part : mount.second.relative_path().parent_path()) {
        way /= part;
        struct stat info {};
        if (::stat(way.c_str(), &info) == 0 && S_ISDIR(info.st_mode) && !(info.st_mode & S_IXOTH)) {
          closed.insert(way);
          break;
        }
      }
    }
    for (const auto& way : closed) mounts.emplace_back("--tmpfs", way);
    // bubblewrap would make the folders between a tmpfs (this one, /tmp, a hidden folder) and a
    // mount in it 0700, root's: made 0755 first.
    std::set<fs::path> tmpfs = closed;
    tmpfs.insert("/tmp");
    for (const auto& path : sandbox.hidden) tmpfs.insert(fs::absolute(path).lexically_normal());
    std::set<fs::path> between;
    for (const auto& mount : mounts) {
      for (const auto& way : tmpfs) {
        const fs::path rest = mount.second.lexically_relative(way);
        if (rest.empty() || *rest.begin() == "..") continue;
        fs::path folder = way;
        for (const auto& part : rest.parent_path()) between.insert(folder /= part);
      }
    }
    for (const auto& folder : between) mounts.emplace_back("--dir", folder);
  }
  std::stable_sort(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) {
    return std::distance(a.second.begin(), a.second.end()) <
           std::distance(b.second.begin(), b.second.end());
  });
  for (const auto& [how, path] : mounts) {
    if (how != "--dir" && !fs::exists(path)) continue;
    if (how == "--dir") {
      arguments.insert(arguments.end(), {"--perms", "0755", how, path.string()});
    } else if (how == "--tmpfs") {
      arguments.insert(arguments.end(), {how, path.string()});
    } else {
      arguments.insert(arguments.end(), {how, path.string(), path.string()});
    }
  }
  arguments.insert(arguments.end(), {"--chdir", fs::absolute(directory).string(), "--setenv",
                                     "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--"});
  if (switches_user(sandbox)) {
    arguments.insert(arguments.end(),
                     {"setpriv", "--reuid=" + std::to_string(sandbox.uid),
                      "--regid=" + std::to_string(sandbox.gid), "--clear-groups", "--"});
  }
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
  return fmt::format(
      "bubblewrap cannot create its namespaces here ({}{}): user namespaces are "
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
  // Inside the sandbox bubblewrap's --chdir moves there; outside, the run's user may not be
  // allowed in (a checkout under /root).
  options.working_directory = sandbox.enabled ? fs::path("/") : directory;
  options.timeout_seconds = limits.wall_seconds;
  options.max_output_bytes = limits.output_bytes;
  options.limits = {limits.cpu_seconds, limits.memory_bytes, limits.processes, limits.file_bytes};
  ProcessResult result = run_process(arguments, options);
  if (sandbox.enabled && switches_user(sandbox) && !result.succeeded())
    wait_for_no_process_of(sandbox.uid);
  // bubblewrap exits with 128 + N when the command inside was ended by signal N.
  if (sandbox.enabled && result.started && result.signal == 0 && result.exit_code > 128 &&
      result.exit_code <= 128 + 64) {
    result.signal = result.exit_code - 128;
  }
  return result;
}

std::string limit_hit(const ProcessResult& result, const SandboxLimits& limits) {
  if (result.output_limited)
    return trf("the output limit ({} printed)", mebibytes(limits.output_bytes));
  if (result.timed_out) return trf("the wall-time limit ({:.0f} s)", limits.wall_seconds);
  if (result.signal == SIGXCPU || (result.signal == SIGKILL && limits.cpu_seconds > 0))
    return trf("the CPU-time limit ({:.0f} s)", limits.cpu_seconds);
  if (result.signal == SIGXFSZ)
    return trf("the file-size limit ({})", mebibytes(limits.file_bytes));
  return "";
}

}  // namespace course::tool
