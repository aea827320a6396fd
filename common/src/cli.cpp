#include "common/cli.h"

#include <torch/version.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "common/device.h"
#include "common/language.h"

namespace course {

std::string first_line(const std::exception& error) {
  const auto* c10_error = dynamic_cast<const c10::Error*>(&error);
  return first_line(c10_error != nullptr ? c10_error->what_without_backtrace() : error.what());
}

void keep_freed_memory() {
#if defined(__GLIBC__)
  const char* choice = std::getenv("COURSE_MALLOC");
  if (choice != nullptr && std::strcmp(choice, "default") == 0) return;  // to measure the default
  // glibc maps each block above its mmap threshold (128 KiB, rising as blocks are freed) fresh
  // from the kernel and unmaps it when freed, and gives the heap's free top back above 128 KiB.
  // A training step allocates and frees the same temporaries of up to about 1 MB every time, so
  // each step page-faulted them in anew (torch::optim::Adam's step: 4.7 ms instead of 0.3 ms
  // in bench_homework_step). Blocks up to 32 MiB now come from the heap, which keeps 256 MiB.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

std::string version_string() {
  return fmt::format("libtorch-fundamentals {} (LibTorch {}.{}.{})", COURSE_VERSION,
                     TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, TORCH_VERSION_PATCH);
}

void add_common_options(CLI::App& app, CommonOptions& options, bool with_data) {
  // The descriptions are marked N_ and translated by localize_cli() (run_main calls it).
  app.set_version_flag("--version", version_string());
  if (with_data) {
    app.add_option(
        "--data-dir", options.data_dir,
        N_("Directory with the four Fashion-MNIST IDX files (default: "
           "$FASHION_MNIST_DIR, data/fashion-mnist/, /usr/share/datasets/fashion-mnist/)"));
  }
  app.add_option("--device", options.device, N_("Where tensors live: auto, cpu, cuda, cuda:N, mps"))
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& value) {
            return is_device_name(value)
                       ? std::string()
                       : trf("use auto, cpu, cuda, cuda:N or mps, not '{}'", value);
          },
          "DEVICE"));
  app.add_option("--seed", options.seed, N_("Seed for every random generator"))
      ->capture_default_str();
  app.add_option("--threads", options.threads, N_("LibTorch CPU threads"))
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
}

torch::Device apply_common_options(const CommonOptions& options, bool quiet) {
  torch::manual_seed(options.seed);
  torch::set_num_threads(options.threads);
  torch::Device device = select_device(options.device);
  if (device.is_cuda()) torch::cuda::manual_seed_all(options.seed);
  if (!quiet) {
    fmt::print("{}\n", trf("device: {} | threads: {} | seed: {}", describe_device(device),
                           torch::get_num_threads(), options.seed));
  }
  return device;
}

int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  keep_freed_memory();
  localize_cli(app);
  const std::string program = app.get_name();
  // A usage error names the problem and where the flags are explained, in one line.
  auto usage_error = [&](const std::string& what) {
    fmt::print(stderr, "{}\n",
               trf("{}: error: {} (see {} --help)", program, first_line(what), program));
    return 2;
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(cli_error_message(e));
  }
  try {
    return body();
  } catch (const UsageError& e) {
    return usage_error(e.what());
  } catch (const c10::Error& e) {
    // LibTorch's own words stay as it wrote them; in Spanish they are quoted as its words.
    const std::string said = first_line(e.what_without_backtrace());
    fmt::print(stderr, "{}: error: {}\n", program,
               current_language() == Language::kSpanish ? trf("(LibTorch said: {})", said) : said);
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: error: {}\n", program, first_line(e.what()));
    return 1;
  }
}

}  // namespace course
