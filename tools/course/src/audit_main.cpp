// course_audit: the suite's proofs about itself, for instructors and CI (ctest runs them).
//
//   course_audit lint       [--root DIR]
//   course_audit reference  [--root DIR] --build-dir build/solutions
//   course_audit honesty    [--root DIR] --build-dir build/solutions/honesty-student [--generator
//   G]
//   course_audit mistakes   [--root DIR] --build-dir build/solutions/honesty-student
//                           [--catalogue tests/mistakes]
//
// Exit status: 0 proved, 1 a problem (each one printed), 2 a usage error.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "course_tool/audit.h"
#include "course_tool/lint.h"
#include "course_tool/manifest.h"
#include "course_tool/mistakes.h"

namespace fs = std::filesystem;
using namespace course::tool;

int main(int argc, char** argv) {
  CLI::App app{
      "Proves the course: lint, reference (solutions pass), honesty (stubs fail), mistakes (wrong "
      "solutions are caught)",
      "course_audit"};
  app.require_subcommand(1);
  app.fallthrough();  // --root may come after the subcommand
  std::string root_option;
  app.add_option("--root", root_option, "The course checkout (default: found from here upwards)");

  auto* lint = app.add_subcommand("lint", "Every exercise has stub, solution, tests, README hints");

  auto* reference = app.add_subcommand("reference", "Every check passes on the solutions build");
  std::string reference_build;
  double timeout = 900;
  std::vector<std::string> only;
  reference->add_option("--build-dir", reference_build, "The solutions build")->required();
  reference->add_option("--timeout", timeout, "Seconds per test binary")->capture_default_str();
  reference->add_option("--only", only, "Just these exercises");

  auto* honesty = app.add_subcommand(
      "honesty", "Build the untouched stubs in a tree of their own; every check must fail");
  StudentTree tree;
  std::string honesty_build;
  bool no_build = false;
  honesty->add_option("--build-dir", honesty_build, "The stub tree (created when missing)")
      ->required();
  honesty->add_option("--cmake", tree.cmake, "The cmake to use")->capture_default_str();
  honesty->add_option("--generator", tree.generator, "CMake generator for a new tree");
  honesty->add_option("--cache-arg", tree.cache_arguments, "Extra -D... for configuring")
      ->allow_extra_args(false);
  honesty->add_option("--jobs", tree.jobs, "Parallel build jobs (default: all cores)");
  honesty->add_option("--timeout", timeout, "Seconds per test binary")->capture_default_str();
  honesty->add_option("--only", only, "Just these exercises");
  honesty->add_flag("--no-build", no_build, "Use the tree as it is (already built)");

  auto* mistakes = app.add_subcommand(
      "mistakes",
      "Build each catalogued wrong solution as the stub; a check must fail and name the mistake");
  MistakesOptions mistakes_options;
  std::string mistakes_build, catalogue;
  bool mistakes_no_build = false;
  mistakes->add_option("--build-dir", mistakes_build, "The stub tree (the honesty audit's)")
      ->required();
  mistakes->add_option("--catalogue", catalogue, "The catalogue (default: <root>/tests/mistakes)");
  mistakes->add_option("--cmake", mistakes_options.tree.cmake, "The cmake to use")
      ->capture_default_str();
  mistakes->add_option("--generator", mistakes_options.tree.generator, "CMake generator");
  mistakes
      ->add_option("--cache-arg", mistakes_options.tree.cache_arguments,
                   "Extra -D... for configuring")
      ->allow_extra_args(false);
  mistakes->add_option("--jobs", mistakes_options.tree.jobs, "Parallel build jobs");
  mistakes->add_option("--timeout", timeout, "Seconds per test binary")->capture_default_str();
  mistakes->add_option("--only", only, "Just these exercises");
  mistakes->add_flag("--no-build", mistakes_no_build, "Use the stub tree as it is");
  mistakes
      ->add_option("--minimum", mistakes_options.minimum_per_exercise,
                   "Entries every exercise needs")
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    const fs::path root = root_option.empty() ? find_course_root(fs::current_path())
                                              : fs::absolute(root_option).lexically_normal();
    if (root.empty()) throw CourseError("no course.json here or above: pass --root");
    const Manifest manifest = load_manifest(root);
    for (const auto& name : only) manifest.find(name);  // a typo is an error, not "all good"

    if (*lint) {
      const auto problems = lint_course(manifest);
      for (const auto& problem : problems) fmt::print("lint: {}\n", problem);
      if (problems.empty()) {
        fmt::print("lint: ok: {} exercises, each with stub, solution, tests and hints ({})\n",
                   manifest.exercises.size(), manifest.names());
        return 0;
      }
      fmt::print("lint: {} problem(s)\n", problems.size());
      return 1;
    }

    AuditOptions options;
    options.timeout_seconds = timeout;
    options.only = only;
    if (*reference) {
      const fs::path build = fs::absolute(reference_build).lexically_normal();
      options.build_dir = build;
      options.report_dir = build / "course-audit" / "reference";
      return audit_checks(manifest, Expectation::kEveryCheckPasses, options, stdout) == 0 ? 0 : 1;
    }
    if (*honesty) {
      tree.build_dir = fs::absolute(honesty_build).lexically_normal();
      if (!no_build && !build_student_tree(manifest, tree, only, stdout)) return 1;
      std::fflush(stdout);
      options.build_dir = tree.build_dir;
      options.report_dir = tree.build_dir / "course-audit" / "honesty";
      options.cmake = tree.cmake;
      return audit_checks(manifest, Expectation::kEveryCheckFails, options, stdout) == 0 ? 0 : 1;
    }
    if (*mistakes) {
      mistakes_options.tree.build_dir = fs::absolute(mistakes_build).lexically_normal();
      // The audit builds each entry with the tree's own compile commands.
      mistakes_options.tree.cache_arguments.push_back("-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
      mistakes_options.catalogue_dir =
          catalogue.empty() ? root / "tests" / "mistakes" : fs::absolute(catalogue);
      mistakes_options.build_tree = !mistakes_no_build;
      mistakes_options.timeout_seconds = timeout;
      mistakes_options.only = only;
      return audit_mistakes(manifest, mistakes_options, stdout) == 0 ? 0 : 1;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "course_audit: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
