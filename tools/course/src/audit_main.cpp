// course_audit: the suite's proofs about itself, for instructors and CI (ctest runs them).
//
//   course_audit lint       [--root DIR]
//   course_audit reference  [--root DIR] --build-dir build/solutions
//   course_audit honesty    [--root DIR] --build-dir build/solutions/honesty-student [--generator
//   G]
//   course_audit mistakes   [--root DIR] --build-dir build/solutions/honesty-student
//                           [--catalogue tests/mistakes] [--entry EXERCISE/NAME]... [--show]
//
// Exit status: 0 proved, 1 a problem (each one printed), 2 a usage error.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/cli_language.h"
#include "course_tool/audit.h"
#include "course_tool/lint.h"
#include "course_tool/manifest.h"
#include "course_tool/mistakes.h"

namespace fs = std::filesystem;
using namespace course::tool;

namespace {

// What the command line asked for.
struct Request {
  std::string root;
  double timeout = 900;
  std::vector<std::string> only;
  CLI::App* lint = nullptr;
  CLI::App* reference = nullptr;
  CLI::App* honesty = nullptr;
  CLI::App* mistakes = nullptr;
  std::string reference_build;
  StudentTree tree;  // honesty
  std::string honesty_build;
  bool no_build = false;
  MistakesOptions mistakes_options;
  std::string mistakes_build, catalogue;
  bool mistakes_no_build = false;
};

// --cmake, --generator, --cache-arg, --jobs: how a stub tree is configured and built.
void add_tree_options(CLI::App& command, StudentTree& tree) {
  command.add_option("--cmake", tree.cmake, course::N_("The cmake to use"))->capture_default_str();
  command.add_option("--generator", tree.generator, course::N_("CMake generator for a new tree"));
  command
      .add_option("--cache-arg", tree.cache_arguments, course::N_("Extra -D... for configuring"))
      ->allow_extra_args(false);
  command.add_option("--jobs", tree.jobs, course::N_("Parallel build jobs (default: all cores)"));
}

void add_commands(CLI::App& app, Request& r) {
  app.require_subcommand(1);
  app.fallthrough();  // --root may come after the subcommand
  app.add_option("--root", r.root,
                 course::N_("The course checkout (default: found from here upwards)"));
  r.lint = app.add_subcommand("lint",
                              course::N_("Every exercise has stub, solution, tests, README hints"));

  r.reference =
      app.add_subcommand("reference", course::N_("Every check passes on the solutions build"));
  r.reference->add_option("--build-dir", r.reference_build, course::N_("The solutions build"))
      ->required();

  r.honesty = app.add_subcommand(
      "honesty",
      course::N_("Build the untouched stubs in a tree of their own; every check must fail"));
  r.honesty
      ->add_option("--build-dir", r.honesty_build,
                   course::N_("The stub tree (created when missing)"))
      ->required();
  add_tree_options(*r.honesty, r.tree);
  r.honesty->add_flag("--no-build", r.no_build,
                      course::N_("Use the tree as it is (already built)"));

  r.mistakes =
      app.add_subcommand("mistakes", course::N_("Build each catalogued wrong solution as the stub; "
                                                "a check must fail and name the mistake"));
  r.mistakes
      ->add_option("--build-dir", r.mistakes_build,
                   course::N_("The stub tree (the honesty audit's)"))
      ->required();
  r.mistakes->add_option("--catalogue", r.catalogue,
                         course::N_("The catalogue (default: <root>/tests/mistakes)"));
  add_tree_options(*r.mistakes, r.mistakes_options.tree);
  r.mistakes->add_flag("--no-build", r.mistakes_no_build, course::N_("Use the stub tree as it is"));
  r.mistakes->add_option("--entry", r.mistakes_options.entries,
                         course::N_("Just these entries (EXERCISE/NAME)"));
  r.mistakes->add_flag("--show", r.mistakes_options.show,
                       course::N_("Print what the student reads of each entry, in the program's "
                                  "language; judge only that it is caught"));
  r.mistakes
      ->add_option("--minimum", r.mistakes_options.minimum_per_exercise,
                   course::N_("Entries every exercise needs"))
      ->capture_default_str();
  for (CLI::App* command : {r.reference, r.honesty, r.mistakes}) {
    command->add_option("--timeout", r.timeout, course::N_("Seconds per test binary"))
        ->capture_default_str();
    command->add_option("--only", r.only, course::N_("Just these exercises"));
  }
}

int run_lint(const Manifest& manifest) {
  const auto problems = lint_course(manifest);
  for (const auto& problem : problems) fmt::print("lint: {}\n", problem);
  if (problems.empty()) {
    fmt::print(
        "lint: ok: {} exercises, each with stub, solution, tests and hints, its README in Spanish "
        "too ({})\n",
        manifest.exercises.size(), manifest.names());
    return 0;
  }
  fmt::print("lint: {} problem(s)\n", problems.size());
  return 1;
}

int run_audit(const Manifest& manifest, Request& r) {
  if (*r.lint) return run_lint(manifest);
  AuditOptions options;
  options.timeout_seconds = r.timeout;
  options.only = r.only;
  if (*r.reference) {
    const fs::path build = fs::absolute(r.reference_build).lexically_normal();
    options.build_dir = build;
    options.report_dir = build / "course-audit" / "reference";
    return audit_checks(manifest, Expectation::kEveryCheckPasses, options, stdout) == 0 ? 0 : 1;
  }
  if (*r.honesty) {
    r.tree.build_dir = fs::absolute(r.honesty_build).lexically_normal();
    if (!r.no_build && !build_student_tree(manifest, r.tree, r.only, stdout)) return 1;
    std::fflush(stdout);
    options.build_dir = r.tree.build_dir;
    options.report_dir = r.tree.build_dir / "course-audit" / "honesty";
    options.cmake = r.tree.cmake;
    return audit_checks(manifest, Expectation::kEveryCheckFails, options, stdout) == 0 ? 0 : 1;
  }
  MistakesOptions& mistakes = r.mistakes_options;
  mistakes.tree.build_dir = fs::absolute(r.mistakes_build).lexically_normal();
  // The audit builds each entry with the tree's own compile commands.
  mistakes.tree.cache_arguments.push_back("-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
  mistakes.catalogue_dir =
      r.catalogue.empty() ? manifest.root / "tests" / "mistakes" : fs::absolute(r.catalogue);
  mistakes.build_tree = !r.mistakes_no_build;
  mistakes.timeout_seconds = r.timeout;
  mistakes.only = r.only;
  return audit_mistakes(manifest, mistakes, stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{course::N_("Proves the course: lint, reference (solutions pass), honesty (stubs "
                          "fail), mistakes (wrong "
                          "solutions are caught)"),
               "course_audit"};
  Request request;
  add_commands(app, request);
  course::localize_cli(app);  // --help and CLI11's errors in the instructor's language
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    const fs::path root = request.root.empty() ? find_course_root(fs::current_path())
                                               : fs::absolute(request.root).lexically_normal();
    if (root.empty()) throw CourseError("no course.json here or above: pass --root");
    const Manifest manifest = load_manifest(root);
    for (const auto& name : request.only) manifest.find(name);  // a typo is an error
    return run_audit(manifest, request);
  } catch (const std::exception& e) {
    fmt::print(stderr, "course_audit: error: {}\n", e.what());
    return 1;
  }
}
