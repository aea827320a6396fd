// What a run of several processes reports about its gradient all-reduce: the metrics JSON's
// "distributed" object and the last line of the run (harness/data_parallel.h).
#include <fmt/format.h>

#include "common/language.h"
#include "harness/data_parallel.h"

namespace homework::harness {

nlohmann::json describe(const DataParallel& group) {
  if (group.world_size() == 1) return {{"world_size", 1}};
  const DataParallel::GradientStats& stats = group.gradient_stats();
  const double steps = static_cast<double>(std::max<int64_t>(stats.steps, 1));
  return {{"world_size", group.world_size()},
          {"backend", group.backend()},
          {"allreduce", group.flat_allreduce() ? "flat" : "per-parameter"},
          {"steps", stats.steps},
          {"allreduce_calls_per_step", static_cast<double>(stats.calls) / steps},
          {"allreduce_ms_per_step", 1000.0 * stats.seconds / steps},
          {"floats_per_step", stats.floats_per_step},
          {"bytes_per_step", stats.floats_per_step * 4},
          {"parameters_identical", true}};
}

std::string summary(const DataParallel& group) {
  const DataParallel::GradientStats& stats = group.gradient_stats();
  const double steps = static_cast<double>(std::max<int64_t>(stats.steps, 1));
  return course::trf(
      "data-parallel: {} processes ({}), gradient all-reduce {:.3f} ms per step ({}: {:.0f} "
      "call(s) of {} floats in all, {:.2f} MB), parameters identical on every rank",
      group.world_size(), group.backend(), 1000.0 * stats.seconds / steps,
      group.flat_allreduce() ? "flat" : "per-parameter", static_cast<double>(stats.calls) / steps,
      stats.floats_per_step, static_cast<double>(stats.floats_per_step) * 4.0 / 1e6);
}

}  // namespace homework::harness
