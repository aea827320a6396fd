// course: the student's loop through the exercises, from any folder of the checkout.
//
//   course list            every exercise and the homework, with its status and checks
//   course check [NAME] [--verbose]   rebuild NAME in build/student, run its checks, say what
//                          to do next (--verbose: GoogleTest's and the compiler's whole output)
//   course hint [NAME [N]] the next hint for NAME (a nudge first, nearly the answer last), or
//                          hint N, the one a failing check names
//   course watch [NAME]    check again on every save; move on when it passes
//   course run NAME        build and run the exercise's lesson executable
//   course reset NAME      put the untouched stub back (asks first)
//   course progress        one bar per exercise
//   course --lang es|en    read the course in Spanish or English (saved; `auto`: the locale);
//                          `course lang es` does the same
//
// Without NAME, a command works on the exercise whose folder you are in, else on the first
// exercise that is not done yet. (Instructors: `course grade` runs course_grade, their own tool;
// see tools/course/bin/course.)
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "common/cli_language.h"
#include "common/text.h"
#include "course_tool/course.h"

using course::first_line;
using namespace course::tool;

namespace {

// What the command line asked for: the command chosen and its arguments.
struct Request {
  std::string build_dir;
  std::vector<std::string> run_tail;  // `course run NAME ARGS...`: ARGS, for the lesson
  bool no_color = false;
  std::string language;        // --lang: "es", "en", "auto"; empty: the saved choice or the locale
  bool language_only = false;  // `course --lang es` without a command
  std::string name;            // the exercise (each command's NAME)
  int hint_level = 0;
  bool verbose = false;
  double interval = 1.0;
  int max_checks = 0;
  bool yes = false;
  std::string reset_from = "HEAD";
  CLI::App* list = nullptr;
  CLI::App* check = nullptr;
  CLI::App* hint = nullptr;
  CLI::App* watch = nullptr;
  CLI::App* run = nullptr;
  CLI::App* reset = nullptr;
  CLI::App* progress = nullptr;
};

void add_commands(CLI::App& app, Request& request) {
  app.require_subcommand(0, 1);  // `course --lang es` alone only saves the language
  app.fallthrough();
  app.add_option("--build-dir", request.build_dir,
                 course::N_("The student build (default: build/student)"));
  app.add_flag("--no-color", request.no_color,
               course::N_("Plain output, no colours (also: NO_COLOR=1)"));
  app.add_option(
      "--lang", request.language,
      course::N_("es or en: the language of the course, saved for next time; auto: the locale "
                 "decides (LC_ALL, LC_MESSAGES, LANG)"));
  request.list =
      app.add_subcommand("list", course::N_("Every exercise and the homework, with status"));
  request.check = app.add_subcommand(
      "check",
      course::N_(
          "Rebuild one exercise and run its checks (default: the one whose folder you are in, "
          "else the first not done)"));
  request.check->add_option("name", request.name,
                            course::N_("Exercise, e.g. 02_autograd (or 02, or autograd)"));
  request.check->add_flag(
      "--verbose,-v", request.verbose,
      course::N_("Show GoogleTest's whole report and the compiler's whole output"));
  request.hint = app.add_subcommand(
      "hint",
      course::N_("The next hint for an exercise (a nudge first), or hint N: course hint 03_mlp 2"));
  request.hint->add_option("name", request.name, course::N_("Exercise (default: as for check)"));
  request.hint->add_option(
      "number,--level", request.hint_level,
      course::N_("The hint to show (default: the next one), as a failing check names it"));
  request.watch = app.add_subcommand(
      "watch",
      course::N_("Check again on every save; move on to the next exercise when it passes"));
  request.watch->add_option("name", request.name,
                            course::N_("Exercise to start with (default: as for check)"));
  request.watch
      ->add_option("--interval", request.interval, course::N_("Seconds between looks at the files"))
      ->capture_default_str()
      ->check(CLI::Range(0.05, 60.0));
  request.watch
      ->add_option("--max-checks", request.max_checks,
                   course::N_("Stop after this many checks (0: never)"))
      ->group("");
  request.watch->add_flag(
      "--verbose,-v", request.verbose,
      course::N_("Show GoogleTest's whole report and the compiler's whole output"));
  request.run =
      app.add_subcommand("run", course::N_("Build and run an exercise's lesson executable"));
  request.run->add_option("name", request.name, course::N_("Exercise"))->required();
  request.run->footer(course::N_(
      "Everything after NAME goes to the executable: course run 04_training_loop --seed 7\n"
      "Right after NAME, --python runs the lesson's Python twin (exercises/NAME/main.py) instead,\n"
      "and --side-by-side runs both and shows them section by section, each marked agree or\n"
      "differ: course run 01_tensors --side-by-side\n"));
  // What follows NAME goes to the executable: main() sets it aside before parsing.
  request.reset =
      app.add_subcommand("reset", course::N_("Put back the untouched stub of an exercise (asks)"));
  request.reset->add_option("name", request.name, course::N_("Exercise"))->required();
  request.reset->add_flag("--yes,-y", request.yes,
                          course::N_("Do not ask (needed without a terminal)"));
  request.reset
      ->add_option("--from", request.reset_from, course::N_("The git revision holding the stub"))
      ->capture_default_str();
  request.progress = app.add_subcommand("progress", course::N_("A bar per exercise"));
}

// A parse error as one line, naming a mistyped command; the help when nothing was given.
int report_parse_error(CLI::App& app, const CLI::ParseError& e, int argc) {
  if (argc == 1) {
    fmt::print("{}\n{}", app.help(), course::tr("Start with: course list\n"));
    return 2;
  }
  // A mistyped command: CLI11 says "a subcommand is required" or "not expected"; name it.
  const std::vector<std::string> left = app.remaining();
  if (app.get_subcommands().empty() && !left.empty() && left.front()[0] != '-') {
    if (left.front() == "lang" || left.front() == "language") {  // the language is an option
      fmt::print(stderr,
                 fmt::runtime(
                     course::tr("course: error: the language is an option, not a command: `course "
                                "--lang {}` (es, en, or auto: the locale decides)\n")),
                 left.size() > 1 ? left[1] : "es");
      return 2;
    }
    std::string commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      commands += (commands.empty() ? "" : ", ") + sub->get_name();
    }
    fmt::print(stderr,
               fmt::runtime(course::tr(
                   "course: error: unknown command '{}'; use one of {} (see course --help)\n")),
               left.front(), commands);
    return 2;
  }
  fmt::print(stderr, fmt::runtime(course::tr("course: error: {} (see course --help)\n")),
             first_line(course::cli_error_message(e)));
  return 2;
}

int dispatch(Request& request) {
  Course course = open_course(request.build_dir, request.no_color);
  course.verbose = request.verbose;
  const course::Language language = choose_language(course.root(), request.language);
  if (request.language_only) {
    fmt::print(fmt::runtime(course::tr("Language: {} (saved in {}).\n")),
               course::tr(language == course::Language::kSpanish ? course::N_("Spanish")
                                                                 : course::N_("English")),
               course.relative(course::settings_file(course.root())));
    return 0;
  }
  if (*request.list) return command_list(course);
  if (*request.check) return command_check(course, request.name);
  if (*request.hint) return command_hint(course, request.name, request.hint_level);
  if (*request.watch) {
    return command_watch(course, request.name, request.interval, request.max_checks);
  }
  if (*request.run) {
    std::vector<std::string> passed_on = request.run_tail;
    if (!passed_on.empty() && passed_on.front() == "--") passed_on.erase(passed_on.begin());
    return command_run(course, request.name, passed_on);
  }
  if (*request.reset) return command_reset(course, request.name, request.yes, request.reset_from);
  if (*request.progress) return command_progress(course);
  return 0;
}

// The language of --help and of the command line's errors, before --lang is read: the one of
// the checkout this runs in (COURSE_LANG, else its saved choice, else the locale).
void speak_the_checkouts_language() {
  try {
    choose_language(locate_root(), "");
  } catch (const std::exception&) {
    // outside a checkout: COURSE_LANG or the locale, and the error comes later
  }
}

}  // namespace

int main(int argc, char** argv) {
  speak_the_checkouts_language();
  CLI::App app{
      course::N_(
          "course: work through the exercises. Edit a stub, `course check` it, ask `course hint` "
          "when stuck."),
      "course"};
  Request request;
  add_commands(app, request);
  course::localize_cli(app);  // --help in the student's language
  // `course lang es`, as a student may well type it, is `course --lang es`: the command word
  // "lang" with one word after it.
  // `course run NAME ARGS...`: ARGS belong to the lesson, in their order, options included; they
  // are set aside before CLI11 parses the runner's own command line.
  std::vector<char*> words(argv, argv + argc);
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--build-dir" || word == "--lang") {
      ++i;  // its value
    } else if (word.empty() || word[0] != '-') {
      if (word == "lang" && i == argc - 2) words[i] = const_cast<char*>("--lang");
      if (word == "run" && i + 1 < argc && argv[i + 1][0] != '-') {
        request.run_tail.assign(argv + i + 2, argv + argc);
        words.resize(static_cast<size_t>(i) + 2);
      }
      break;
    }
  }
  try {
    app.parse(static_cast<int>(words.size()), words.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_parse_error(app, e, argc);
  }
  try {
    if (!request.language.empty()) parse_language_choice(request.language);
  } catch (const std::exception& e) {  // a usage error, like a parse error
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 2;
  }
  if (app.get_subcommands().empty()) {
    request.language_only = !request.language.empty();
    if (!request.language_only) {
      fmt::print("{}\n{}", app.help(), course::tr("Start with: course list\n"));
      return 2;
    }
  }
  try {
    return dispatch(request);
  } catch (const std::exception& e) {
    fmt::print(stderr, "course: error: {}\n", first_line(e.what()));
    return 1;
  }
}
