// The `course` runner, used as a new student would on the demo course (tests/course/fixture).
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "fixture.h"
#include "support/temp_dir.h"

namespace {
using namespace course::testing;
namespace fs = std::filesystem;

TEST(Runner, WalkthroughFromUnconfiguredToDone) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const fs::path exercise = root / "exercises" / "01_demo";

  // Before configuring: the exact command to run, from any folder of the checkout.
  auto result = run_course(exercise, {"check", "01_demo"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "not configured yet")) << result.output;
  EXPECT_TRUE(contains(result.output, "`cmake --preset student`")) << result.output;
  result = run_course(exercise / "solution", {"list"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "not started")) << result.output;
  EXPECT_TRUE(contains(result.output, "cmake --preset student")) << result.output;

  ASSERT_TRUE(configure_fixture(root, root / "build" / "student", false).succeeded());

  // The untouched stub: every check fails, the first failure is shown with the hint command.
  result = run_course(exercise, {"check", "01_demo"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "FAIL  Demo.AddsSmallNumbers")) << result.output;
  EXPECT_TRUE(contains(result.output, "WAIT  demo.lesson (runs once every other check passes)"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "0 of 3 checks pass")) << result.output;
  EXPECT_TRUE(contains(result.output, "First failing check: Demo.AddsSmallNumbers"));
  // The stub's own sentence, without GoogleTest's wrapping and without its file and line.
  EXPECT_TRUE(contains(result.output, "    add() is not implemented yet: write it in"))
      << result.output;
  EXPECT_FALSE(contains(result.output, "C++ exception")) << result.output;
  EXPECT_FALSE(contains(result.output, "unknown file")) << result.output;
  EXPECT_TRUE(contains(result.output, "`course hint 01_demo` shows hint 1 of 2")) << result.output;
  EXPECT_TRUE(contains(result.output, "`course check 01_demo --verbose`")) << result.output;
  // --verbose: GoogleTest's whole report.
  result = run_course(exercise, {"check", "01_demo", "--verbose"});
  EXPECT_TRUE(contains(result.output, "threw: add() is not implemented yet")) << result.output;
  result = run_course(root, {"list"});
  EXPECT_TRUE(contains(result.output, "in progress")) << result.output;
  EXPECT_TRUE(contains(result.output, "0/3")) << result.output;

  // Hints: a nudge first, then nearly the answer, and the level is remembered.
  result = run_course(root / "tests", {"hint"});
  EXPECT_TRUE(contains(result.output, "Hint 1 of 2 for 01_demo")) << result.output;
  EXPECT_TRUE(contains(result.output, "Think of the `+` operator.")) << result.output;
  result = run_course(root, {"hint", "demo"});
  EXPECT_TRUE(contains(result.output, "Hint 2 of 2")) << result.output;
  EXPECT_TRUE(contains(result.output, "return a + b;")) << result.output;
  EXPECT_FALSE(contains(result.output, "Not a hint.")) << result.output;
  result = run_course(root, {"hint", "1", "--level", "1"});
  EXPECT_TRUE(contains(result.output, "Hint 1 of 2")) << result.output;
  // Without NAME, inside an exercise's folder: that exercise.
  result = run_course(root / "exercises" / "02_double", {"hint"});
  EXPECT_TRUE(contains(result.output, "Hint 1 of 2 for 02_double")) << result.output;

  // A compile error: the compiler's message, with the file to fix.
  append_to(exercise / "demo.cpp", "this does not compile;\n");
  result = run_course(root, {"check"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "does not compile yet")) << result.output;
  EXPECT_TRUE(contains(result.output, "exercises/01_demo/demo.cpp:")) << result.output;
  EXPECT_TRUE(contains(run_course(root, {"list"}).output, "no build"));

  // A wrong answer: the course's sentence alone, the hint it names as the command to run, and no
  // "look for TODO" once the TODO is gone.
  {
    std::ofstream(exercise / "demo.cpp") << "#include \"demo.h\"\nnamespace demo {\n"
                                            "int add(int a, int b) { return a - b; }\n}\n";
  }
  result = run_course(root, {"check"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "    demo::add(2, 3) returned -1, expected 5 (hint 1)"))
      << result.output;
  EXPECT_FALSE(contains(result.output, "Expected equality")) << result.output;
  EXPECT_FALSE(contains(result.output, "demo_test.cpp")) << result.output;
  EXPECT_TRUE(contains(result.output, "Stuck? `course hint 01_demo 1` shows hint 1 of 2."))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Edit exercises/01_demo/demo.cpp, then run"))
      << result.output;
  result = run_course(root, {"hint", "01_demo", "2"});
  EXPECT_TRUE(contains(result.output, "Hint 2 of 2 for 01_demo")) << result.output;
  result = run_course(root, {"check", "--verbose"});
  EXPECT_TRUE(contains(result.output, "Expected equality")) << result.output;

  // The student writes the solution: every check passes and the list says done.
  fs::copy_file(exercise / "solution" / "demo.cpp", exercise / "demo.cpp",
                fs::copy_options::overwrite_existing);
  result = run_course(exercise, {"check"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "PASS  Demo.AddsNegativeNumbers")) << result.output;
  EXPECT_TRUE(contains(result.output, "PASS  demo.lesson\n        the lesson adds 2 and 3\n"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "All 3 checks of 01_demo pass")) << result.output;
  EXPECT_TRUE(contains(result.output, "Next: `course check 02_double`")) << result.output;
  result = run_course(root, {"list"});
  EXPECT_TRUE(contains(result.output, "01_demo    done               3/3")) << result.output;
  EXPECT_TRUE(contains(result.output, "02_double  in progress          -")) << result.output;
  EXPECT_TRUE(contains(result.output, "Next: `course check 02_double`")) << result.output;
  result = run_course(root, {"progress"});
  EXPECT_TRUE(contains(result.output, "1 of 3 done, 3 of 3 checks passing")) << result.output;

  // The lesson executable, with arguments passed through.
  result = run_course(root, {"run", "01_demo", "--", "--seed", "3"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "demo lesson: 2 + 3 = 5 (arguments: 2)")) << result.output;
  // Without the separator too, in their order: an option after NAME is the lesson's.
  result = run_course(root, {"run", "01_demo", "--seed", "3", "extra"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "argument 1: --seed\nargument 2: 3\nargument 3: extra\n"))
      << result.output;
  // A lesson without a Python twin (the demo has no main.py) says so in a sentence.
  result = run_course(root, {"run", "01_demo", "--python"});
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "01_demo has no Python twin")) << result.output;

  // The progress cache lives in the ignored .course/ folder.
  EXPECT_TRUE(fs::exists(root / ".course" / "progress.json"));
}

TEST(Runner, UnknownExerciseAndMissingCourseAreOneLineErrors) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  auto result = run_course(root, {"hint", "07_nothing"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.output,
            "course: error: no exercise called '07_nothing' in course.json: choose one of "
            "01_demo, 02_double, 03_triple\n");
  fs::remove(root / "course.json");
  // A copy of the binary outside any checkout (the one in <build>/bin finds the checkout it
  // was built in when the current folder is outside every course).
  const fs::path lone = temp.path() / "lone-course";
  fs::copy_file(COURSE_BINARY, lone);
  result = course::tool::run_process({lone.string(), "list"}, [&] {
    course::tool::ProcessOptions options;
    options.working_directory = root;
    return options;
  }());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "not inside the course")) << result.output;
  result = run_course(temp.path(), {"frobnicate"});
  EXPECT_EQ(result.exit_code, 2);
}

TEST(Runner, BuildConfiguredWithSolutionsIsRefused) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  ASSERT_TRUE(configure_fixture(root, root / "build" / "student", true).succeeded());
  const auto result = run_course(root, {"check", "01_demo"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "COURSE_USE_SOLUTIONS=ON")) << result.output;
  EXPECT_TRUE(contains(result.output, "cmake --preset student")) << result.output;
}

TEST(Runner, ResetRestoresTheStubFromGitOnlyWhenConfirmed) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const fs::path stub = root / "exercises" / "01_demo" / "demo.cpp";
  const std::string untouched = read_file(stub);
  for (const std::vector<std::string>& git :
       {std::vector<std::string>{"git", "init", "-q"},
        {"git", "add", "."},
        {"git", "-c", "user.name=Course", "-c", "user.email=course@example.org", "commit", "-q",
         "-m", "handout"}}) {
    course::tool::ProcessOptions options;
    options.working_directory = root;
    ASSERT_TRUE(course::tool::run_process(git, options).succeeded());
  }
  auto result = run_course(root, {"reset", "01_demo"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(contains(result.output, "already the untouched stub")) << result.output;

  append_to(stub, "// my work\n");
  // No terminal to ask on: refused, nothing changed.
  result = run_course(root, {"reset", "01_demo"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.output, "pass --yes")) << result.output;
  EXPECT_EQ(read_file(stub), untouched + "// my work\n");

  result = run_course(root, {"reset", "01_demo", "--yes"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(read_file(stub), untouched);
  // The student's version is kept.
  bool kept = false;
  for (const auto& entry : fs::recursive_directory_iterator(root / ".course" / "backup")) {
    if (entry.path().filename() == "demo.cpp")
      kept = read_file(entry.path()) == untouched + "// my work\n";
  }
  EXPECT_TRUE(kept);
}

TEST(Runner, WatchChecksAgainAfterASave) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const fs::path exercise = root / "exercises" / "01_demo";
  ASSERT_TRUE(configure_fixture(root, root / "build" / "student", false).succeeded());
  ASSERT_TRUE(build_fixture(root / "build" / "student").succeeded());
  // Save the solution once the watcher's first check has run its tests (its report exists).
  const fs::path report = root / "build/student/course-checks/01_demo/test_01_demo.json";
  std::thread editor([&] {
    for (int i = 0; i < 3000 && !fs::exists(report); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fs::copy_file(exercise / "solution" / "demo.cpp", exercise / "demo.cpp",
                  fs::copy_options::overwrite_existing);
  });
  const auto result = run_course(root, {"watch", "--interval", "0.1", "--max-checks", "2"});
  editor.join();
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "0 of 3 checks pass")) << result.output;
  EXPECT_TRUE(contains(result.output, "Watching exercises/01_demo/")) << result.output;
  EXPECT_TRUE(contains(result.output, "All 3 checks of 01_demo pass")) << result.output;
}

TEST(Runner, AnExerciseIsItsFolderAndOneLineOfCourseJson) {
  // The demo course's 03_triple was added that way: exercises/03_triple/ (stub, solution/,
  // main.cpp, README.md), tests/exercises/triple_test.cpp, and its line in course.json. No
  // CMakeLists.txt names it; the build and the runner derive everything from its name.
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  EXPECT_FALSE(fs::exists(root / "exercises" / "03_triple" / "CMakeLists.txt"));
  ASSERT_TRUE(configure_fixture(root, root / "build" / "student", false).succeeded());
  auto result = run_course(root, {"list"});
  EXPECT_TRUE(contains(result.output, "03_triple")) << result.output;
  EXPECT_TRUE(contains(result.output, "A third, added with its folder and this line"))
      << result.output;
  result = run_course(root, {"check", "03_triple"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "FAIL  Triple.ThriceFourIsTwelve")) << result.output;
  EXPECT_TRUE(contains(result.output, "`course hint 03_triple` shows hint 1 of 2"))
      << result.output;
  // The student writes it: the same check passes.
  std::ofstream(root / "exercises" / "03_triple" / "triple.cpp")
      << "#include \"triple.h\"\nnamespace demo {\nint thrice(int value) { return 3 * value; "
         "}\n}\n";
  result = run_course(root, {"check", "03_triple"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "All 1 checks of 03_triple pass")) << result.output;
}

TEST(Runner, AMisspeltExerciseInCourseJsonStopsTheConfigureStep) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  std::string manifest = read_file(root / "course.json");
  manifest.replace(manifest.find("03_triple"), 9, "03_tripel");
  std::ofstream(root / "course.json") << manifest;
  const auto result = configure_fixture(root, root / "build" / "student", false);
  EXPECT_FALSE(result.succeeded());
  EXPECT_TRUE(contains(result.output, "course.json lists the exercise '03_tripel'"))
      << result.output;
}

}  // namespace

namespace {

// A Spanish-speaking student (LANG=es_ES.UTF-8) reads the runner, its hints and the errors in
// Spanish, from the Spanish README.es.md.
TEST(Runner, SpeaksSpanishUnderASpanishLocale) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  auto result = run_course(root, {"list"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "ejercicio  estado")) << result.output;
  EXPECT_TRUE(contains(result.output, "01_demo    sin empezar")) << result.output;
  EXPECT_TRUE(contains(result.output, "Un ejercicio de demostración: sumar dos números"))
      << result.output;  // course.json's "title_es"
  EXPECT_TRUE(contains(result.output,
                       "Siguiente: configura una vez el árbol de compilación del estudiante"))
      << result.output;

  ASSERT_TRUE(configure_fixture(root, root / "build" / "student", false).succeeded());
  result = run_course(root, {"check", "01_demo"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "Compilando 01_demo")) << result.output;
  EXPECT_TRUE(contains(result.output, "FALLA   Demo.AddsSmallNumbers")) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "ESPERA  demo.lesson (corre cuando pasan todas las demás "
                       "pruebas)"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Pasan 0 de 3 pruebas.")) << result.output;
  EXPECT_TRUE(contains(result.output, "Primera prueba que falla: Demo.AddsSmallNumbers"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "add() is not implemented yet")) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "(el informe completo de GoogleTest: `course check 01_demo "
                       "--verbose`)"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Edita exercises/01_demo/demo.cpp (busca TODO)"))
      << result.output;
  EXPECT_TRUE(
      contains(result.output, "¿Necesitas ayuda? `course hint 01_demo` muestra la pista 1 de 2."))
      << result.output;
  EXPECT_FALSE(contains(result.output, "checks pass")) << result.output;

  result = run_course(root, {"hint", "01_demo"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "Pista 1 de 2 para 01_demo:")) << result.output;
  EXPECT_TRUE(contains(result.output, "Piensa en el operador `+`.")) << result.output;
  EXPECT_TRUE(
      contains(result.output, "¿Necesitas más ayuda? `course hint 01_demo` muestra la pista 2."))
      << result.output;
  result = run_course(root, {"hint", "01_demo"}, kSpanishLocale);
  EXPECT_TRUE(contains(result.output, "Pista 2 de 2 para 01_demo:")) << result.output;
  EXPECT_TRUE(contains(result.output, "return a + b;")) << result.output;
  EXPECT_FALSE(contains(result.output, "No es una pista.")) << result.output;
  EXPECT_TRUE(contains(result.output, "La tabla de exercises/01_demo/README.es.md"))
      << result.output;

  result = run_course(root, {"list"}, kSpanishLocale);
  EXPECT_TRUE(contains(result.output, "01_demo    en curso")) << result.output;
  EXPECT_TRUE(contains(result.output, "Siguiente: `course check 01_demo`")) << result.output;
  result = run_course(root, {"hint", "07_nothing"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(
      contains(result.output, "course: error: no hay ningún ejercicio llamado '07_nothing'"))
      << result.output;

  // LC_ALL outranks LANG, as for every program: LC_ALL=C is English.
  Environment c_over_spanish = kSpanishLocale;
  c_over_spanish.emplace_back("LC_ALL", "C");
  result = run_course(root, {"list"}, c_over_spanish);
  EXPECT_TRUE(contains(result.output, "01_demo    in progress")) << result.output;
}

// `course --lang es|en` is saved in .course/settings.json and outranks the locale; `auto` hands
// the choice back to the locale; the programs the runner starts speak its language.
TEST(Runner, LangOptionIsSavedAndOutranksTheLocale) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const Environment english_locale = {
      {"COURSE_LANG", ""}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}, {"LANG", "en_US.UTF-8"}};
  auto result = run_course(root, {"--lang", "es"}, english_locale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "Idioma: español (guardado en .course/settings.json).\n");
  EXPECT_TRUE(contains(read_file(root / ".course" / "settings.json"), "\"language\": \"es\""));
  result = run_course(root / "exercises", {"list"}, english_locale);
  EXPECT_TRUE(contains(result.output, "01_demo    sin empezar")) << result.output;

  result = run_course(root, {"--lang", "en", "list"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "01_demo    not started")) << result.output;
  result = run_course(root, {"list"}, kSpanishLocale);  // English stays saved
  EXPECT_TRUE(contains(result.output, "01_demo    not started")) << result.output;

  result = run_course(root, {"--lang", "auto"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "Idioma: español")) << result.output;
  EXPECT_FALSE(contains(read_file(root / ".course" / "settings.json"), "language"));
  result = run_course(root, {"list"}, english_locale);
  EXPECT_TRUE(contains(result.output, "01_demo    not started")) << result.output;

  // `course lang es`, as a student may type it, does the same as `course --lang es`.
  result = run_course(root, {"lang", "es"}, english_locale);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "Idioma: español (guardado en .course/settings.json).\n");
  result = run_course(root, {"lang"}, english_locale);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.output,
                       "course: error: el idioma es una opción, no un comando: "
                       "`course --lang es`"))
      << result.output;
}

// A word too many, a NAME left out: CLI11's errors in the student's language, in one line.
TEST(Runner, CommandLineErrorsSpeakTheStudentsLanguage) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  auto result = run_course(root, {"check", "01_demo", "02_double"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output,
            "course: error: no se esperaba este argumento: 02_double (ver course --help)\n");
  result = run_course(root, {"run"}, kSpanishLocale);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(contains(result.output, "(ver course --help)")) << result.output;
  EXPECT_FALSE(contains(result.output, "required")) << result.output;
  result = run_course(root, {"check", "01_demo", "02_double"});
  EXPECT_EQ(result.output,
            "course: error: The following argument was not expected: 02_double (see course "
            "--help)\n");
}

TEST(Runner, UnknownLanguageIsAOneLineError) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const auto result = run_course(root, {"--lang", "fr", "list"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output,
            "course: error: --lang takes es (Spanish), en (English) or auto (the locale decides), "
            "not 'fr'\n");
  EXPECT_FALSE(fs::exists(root / ".course" / "settings.json"));
}

}  // namespace
