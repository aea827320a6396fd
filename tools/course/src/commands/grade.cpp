// course_grade SUBMISSIONS... (`course grade ...`): an instructor grades a whole class (see
// course_tool/grade.h).
// The grading tree (the stubs built once, in build/grading) is built or brought up to date
// first; then each submission is graded in the sandbox and written to --out as it finishes.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "commands/grade.h"
#include "course_tool/audit.h"
#include "course_tool/course.h"
#include "course_tool/files.h"
#include "course_tool/grade.h"
#include "course_tool/process.h"

namespace course::tool {
namespace fs = std::filesystem;

namespace {

// The presets' compiler and linker when the machine has them (the tree builds like the
// students' does), else CMake's defaults.
std::vector<std::string> tree_cache_arguments() {
  // The compile database: each submission file is compiled with its recorded command.
  std::vector<std::string> arguments = {"-DCMAKE_BUILD_TYPE=Release",
                                        "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"};
  if (find_program("clang++")) arguments.push_back("-DCMAKE_CXX_COMPILER=clang++");
  if (find_program("clang++") && find_program("ld.lld"))
    arguments.push_back("-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld");
  return arguments;
}

// The files that decide a grade, changed in the instructor's checkout since its last commit.
std::string uncommitted_changes(const fs::path& root) {
  ProcessOptions options;
  options.timeout_seconds = 60;
  const ProcessResult status = run_process(
      {"git", "-C", root.string(), "status", "--porcelain", "--untracked-files=no"}, options);
  return status.succeeded() ? status.output : "";
}

std::string one_line(const SubmissionGrade& grade, bool skipped) {
  std::string parts;
  for (const auto& part : grade.parts) {
    const Tally counts = tally(part.checks);
    parts += fmt::format("  {} {}/{}", part.exercise.substr(0, part.exercise.find('_')),
                         counts.passed, counts.total());
    if (part.accuracy) parts += fmt::format(" (accuracy {:.4f})", *part.accuracy);
  }
  if (skipped)
    return fmt::format("{}: {:g}/{:g} (graded before; --force regrades)", grade.student,
                       grade.score(), grade.max_score());
  std::string line = fmt::format("{}: {:g}/{:g}{}  ({:.0f} s)", grade.student, grade.score(),
                                 grade.max_score(), parts, grade.seconds);
  if (!grade.refused.empty()) line += "  refused: " + grade.refused;
  if (!grade.notes.empty()) line += fmt::format("  [{} note(s)]", grade.notes.size());
  return line;
}

}  // namespace

void add_grade_options(CLI::App& grade, GradeRequest& request) {
  CLI::Option* submissions =
      grade
          .add_option(
              "submissions", request.submissions,
              course::N_("Each student's folder (a clone of the course) or archive; the name is "
                         "the student's"))
          ->check(CLI::ExistingPath);
  CLI::Option* seed = grade.add_option(
      "--seed", request.seed,
      course::N_("Seed the homework is trained with (pick one the students never saw)"));
  seed->each([&request](const std::string&) { request.seed_given = true; });
  CLI::Option* shard = grade.add_option(
      "--shard", request.shard,
      course::N_("K/N: grade only the K-th of N slices of the submissions (sorted by student "
                 "name), one per machine; join their outputs with --merge"));
  CLI::Option* merge = grade.add_option(
      "--merge", request.merge,
      course::N_("Join the --out folders of the shards into one gradebook in --out (in the "
                 "--roster's order, with its missing students), instead of grading"));
  merge->check(CLI::ExistingDirectory)->excludes(submissions)->excludes(seed)->excludes(shard);
  grade.add_option("--out", request.out, course::N_("Where the gradebook and the reports go"))
      ->capture_default_str();
  grade.add_option("--jobs,-j", request.jobs, course::N_("Submissions graded at a time"))
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  grade
      .add_option("--roster", request.roster,
                  course::N_("CSV of student ids (first column): the order"))
      ->check(CLI::ExistingFile);
  grade.add_flag("--force", request.force, course::N_("Grade again what an earlier run finished"));
  grade.add_option(
      "--tree", request.tree,
      course::N_("The grading build of the stubs (default: build/grading in the course)"));
  grade
      .add_option("--check-time", request.check_seconds,
                  course::N_("Seconds each test binary may run, and each compile"))
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3600.0));
  grade
      .add_option("--train-time", request.train_seconds,
                  course::N_("Seconds the homework may train"))
      ->capture_default_str()
      ->check(CLI::Range(1.0, 7200.0));
  grade.add_option("--memory", request.memory_mib, course::N_("MiB of address space per process"))
      ->capture_default_str()
      ->check(CLI::Range(256, 1 << 20));
  grade.add_option("--data-dir", request.data_dir,
                   course::N_("The Fashion-MNIST files (default: searched)"));
  grade.add_flag(
      "--no-sandbox", request.no_sandbox,
      course::N_("Run the submissions' code without bubblewrap (only where it cannot run; the "
                 "limits still apply)"));
  grade
      .add_option("--lang", request.language,
                  course::N_("es or en: the language of each student's feedback.md and of the "
                             "checks' sentences in it, unless the roster's \"language\" column "
                             "names the student's (default: yours, as `course` chooses it)"))
      ->check(CLI::IsMember({"es", "en"}));
}

int command_grade(const GradeRequest& request) {
  const Manifest manifest = load_manifest(locate_root());
  GradeOptions options;
  options.out = canonical_path(request.out);
  if (!request.merge.empty()) {
    std::vector<fs::path> shards;
    for (const auto& folder : request.merge) shards.push_back(canonical_path(folder));
    const Merged merged = merge_grades(manifest, shards, options.out, request.roster);
    fmt::print("{}\n", trf("merged {} students of {} shards (seed {}): {}", merged.students,
                           shards.size(), merged.seed, (options.out / "gradebook.csv").string()));
    return 0;
  }
  if (request.submissions.empty() || !request.seed_given) {
    throw CourseError(std::string(
        tr("course grade needs the submissions and --seed (or --merge OUT... to join shards)")));
  }
  if (!request.shard.empty()) options.shard = parse_shard(request.shard);
  options.tree = canonical_path(request.tree.empty() ? manifest.root / "build" / "grading"
                                                     : fs::path(request.tree));
  options.seed = request.seed;
  options.jobs = request.jobs;
  options.force = request.force;
  options.roster = request.roster;
  // The class's language: --lang, else the instructor's (COURSE_LANG, the saved choice, the
  // locale), which this run speaks too.
  options.language = choose_language(manifest.root, "");
  if (!request.language.empty()) options.language = *parse_language(request.language);
  // Absolute: the homework runs in a folder of its own.
  if (!request.data_dir.empty()) options.data_dir = fs::absolute(request.data_dir).string();
  options.compile.wall_seconds = options.checks.wall_seconds = request.check_seconds;
  options.compile.cpu_seconds = options.checks.cpu_seconds = 2 * request.check_seconds;
  options.homework.wall_seconds = request.train_seconds;
  options.homework.cpu_seconds = 2 * request.train_seconds;
  for (SandboxLimits* limits : {&options.compile, &options.checks, &options.homework})
    limits->memory_bytes = request.memory_mib << 20;

  options.sandbox.enabled = !request.no_sandbox;
  if (options.sandbox.enabled) {
    const std::string why = sandbox_unavailable(options.sandbox.bwrap);
    if (!why.empty()) {
      fmt::print(
          stderr,
          "course grade: error: cannot sandbox the submissions: {}. Fix that, or grade without "
          "a sandbox with --no-sandbox (their code then runs as you, with only the "
          "limits)\n",
          why);
      return 1;
    }
    // As root, the runs become users of their own (200000 + the slot; no account needed): the
    // process limit holds for them, and one submission's processes never count against another's.
    if (::getuid() == 0) options.sandbox.uid = options.sandbox.gid = 200000;
  } else {
    fmt::print(stderr, "warning: --no-sandbox: the submissions' code runs as you, unconfined\n");
  }
  // What a submission must not see: every grade (its own folder is bound again) and the other
  // submissions.
  options.sandbox.hidden.push_back(options.out);
  for (const auto& input : request.submissions) {
    const fs::path path = canonical_path(input);
    const fs::path hide = fs::is_directory(path) ? path : path.parent_path();
    const std::string root = manifest.root.string() + "/";
    if (root.rfind(hide.string() + "/", 0) != 0 && hide != manifest.root)  // never the course
      options.sandbox.hidden.push_back(hide);
  }

  const std::string changed = uncommitted_changes(manifest.root);
  if (!changed.empty()) {
    fmt::print(stderr, "warning: {} has uncommitted changes; the grade uses them:\n{}",
               manifest.root.string(), changed);
  }
  StudentTree tree;
  tree.build_dir = options.tree;
  tree.generator = "Ninja";
  // A tree configured before (this command's, or the honesty audit's) keeps its own settings.
  if (!fs::exists(options.tree / "CMakeCache.txt")) tree.cache_arguments = tree_cache_arguments();
  tree.label = "grading tree";
  if (!build_student_tree(manifest, tree, {}, stdout)) return 1;

  std::vector<fs::path> inputs;
  for (const auto& input : request.submissions) inputs.push_back(canonical_path(input));
  const bool terminal = interactive_terminal();
  const size_t to_grade = shard_of(inputs, options.shard).size();
  size_t done = 0;
  const auto start = std::chrono::steady_clock::now();
  const GradeRun run = grade_class(
      manifest, options, inputs,
      [&](const SubmissionGrade& grade, bool skipped) {
        ++done;
        if (terminal) fmt::print("\r\033[K");
        fmt::print("{}\n", one_line(grade, skipped));
        if (terminal && done < to_grade) {
          fmt::print("[{}/{}] grading...", done, to_grade);
        }
        std::fflush(stdout);
      },
      [] { return false; });
  for (const auto& warning : run.warnings) fmt::print(stderr, "warning: {}\n", warning);
  fmt::print("graded {}, skipped {} (graded before) in {:.0f} s: {}\n", run.graded, run.skipped,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
             (options.out / "gradebook.csv").string());
  if (run.failed > 0) {
    fmt::print(stderr, "{}\n",
               trf("the grader failed on {} submission(s): each has zero with the reason in its "
                   "feedback.md, and the next run grades it again",
                   run.failed));
  }
  if (!run.stopped.empty()) {
    fmt::print(stderr, "{}\n",
               trf("course grade stopped: {}. The {} grade(s) finished before are on disk in {} "
                   "(each student's grade.json); run the same command again to grade the rest",
                   run.stopped, run.graded + run.failed + run.skipped, options.out.string()));
    return 1;
  }
  return run.failed > 0 ? 1 : 0;
}

}  // namespace course::tool
