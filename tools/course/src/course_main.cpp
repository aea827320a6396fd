// course: the student's loop through the exercises, from any folder of the checkout.
//
//   course list            every exercise and the homework, with its status and checks
//   course check [NAME]    rebuild NAME in build/student, run its checks, say what to do next
//   course hint [NAME]     the next hint for NAME (a nudge first, nearly the answer last)
//   course watch [NAME]    check again on every save; move on when it passes
//   course run NAME        build and run the exercise's lesson executable
//   course reset NAME      put the untouched stub back (asks first)
//   course progress        one bar per exercise
//
// Without NAME, a command works on the exercise whose folder you are in, else on the first
// exercise that is not done yet.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "common/text.h"
#include "course_tool/course.h"

using course::first_line;
using namespace course::tool;

int main(int argc, char** argv) {
  CLI::App app{
      "course: work through the exercises. Edit a stub, `course check` it, ask `course hint` "
      "when stuck.",
      "course"};
  app.require_subcommand(1);
  app.fallthrough();
  std::string build_dir;
  bool no_color = false;
  app.add_option("--build-dir", build_dir, "The student build (default: build/student)");
  app.add_flag("--no-color", no_color, "Plain output, no colours (also: NO_COLOR=1)");

  auto* list = app.add_subcommand("list", "Every exercise and the homework, with status");
  auto* check = app.add_subcommand(
      "check",
      "Rebuild one exercise and run its checks (default: the one whose folder you are in, "
      "else the first not done)");
  std::string check_name;
  check->add_option("name", check_name, "Exercise, e.g. 02_autograd (or 02, or autograd)");
  auto* hint = app.add_subcommand("hint", "The next hint for an exercise (a nudge first)");
  std::string hint_name;
  int hint_level = 0;
  hint->add_option("name", hint_name, "Exercise (default: as for check)");
  hint->add_option("--level", hint_level, "Show this hint number again");
  auto* watch = app.add_subcommand(
      "watch", "Check again on every save; move on to the next exercise when it passes");
  std::string watch_name;
  double interval = 1.0;
  int max_checks = 0;
  watch->add_option("name", watch_name, "Exercise to start with (default: as for check)");
  watch->add_option("--interval", interval, "Seconds between looks at the files")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 60.0));
  watch->add_option("--max-checks", max_checks, "Stop after this many checks (0: never)")
      ->group("");
  auto* run = app.add_subcommand("run", "Build and run an exercise's lesson executable");
  std::string run_name;
  run->add_option("name", run_name, "Exercise")->required();
  run->footer(
      "Everything after NAME goes to the executable: course run 04_training_loop --seed 7\n");
  auto* reset = app.add_subcommand("reset", "Put back the untouched stub of an exercise (asks)");
  std::string reset_name, reset_from = "HEAD";
  bool yes = false;
  reset->add_option("name", reset_name, "Exercise")->required();
  reset->add_flag("--yes,-y", yes, "Do not ask (needed without a terminal)");
  reset->add_option("--from", reset_from, "The git revision holding the stub")
      ->capture_default_str();
  auto* progress = app.add_subcommand("progress", "A bar per exercise");

  // `course run NAME ARGS...`: after NAME, everything belongs to the executable (a leading
  // "--" is optional): the words before the first option fill `arguments`, and from that
  // option on CLI11 keeps the rest, untouched, in run->remaining().
  std::vector<std::string> run_arguments;
  run->add_option("arguments", run_arguments, "Arguments for the lesson executable");
  run->prefix_command();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (argc == 1) {
      fmt::print("{}\nStart with: course list\n", app.help());
      return 2;
    }
    // A mistyped command: CLI11 says "a subcommand is required" or "not expected"; name it.
    const std::vector<std::string> left = app.remaining();
    if (app.get_subcommands().empty() && !left.empty() && left.front()[0] != '-') {
      std::string commands;
      for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        commands += (commands.empty() ? "" : ", ") + sub->get_name();
      }
      fmt::print(stderr, "course: error: unknown command '{}'; use one of {} (see course --help)\n",
                 left.front(), commands);
      return 2;
    }
    fmt::print(stderr, "course: error: {} (see course --help)\n", first_line(e.what()));
    return 2;
  }
  std::vector<std::string> passed_on = run_arguments;  // before an option: positionals
  for (const std::string& argument : run->remaining()) {
    if (argument != "--") passed_on.push_back(argument);  // the optional separator is ours
  }

  try {
    Course course = open_course(build_dir, no_color);
    if (*list) return command_list(course);
    if (*check) return command_check(course, check_name);
    if (*hint) return command_hint(course, hint_name, hint_level);
    if (*watch) return command_watch(course, watch_name, interval, max_checks);
    if (*run) return command_run(course, run_name, passed_on);
    if (*reset) return command_reset(course, reset_name, yes, reset_from);
    if (*progress) return command_progress(course);
  } catch (const CourseError& e) {
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 1;
  }
  return 0;
}
