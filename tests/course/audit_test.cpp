// course_audit on the demo course: lint, reference and honesty catch what they promise.
#include "course_tool/lint.h"

#include <fstream>

#include <gtest/gtest.h>

#include "course_tool/manifest.h"
#include "fixture.h"
#include "support/temp_dir.h"

namespace {
using namespace course::testing;
namespace fs = std::filesystem;

const char* kPassesOnAnyStub = "\nTEST(Demo, PassesOnAnything) { EXPECT_EQ(1 + 1, 2); }\n";

std::vector<std::string> lint(const fs::path& root) {
  return course::tool::lint_course(course::tool::load_manifest(root));
}

bool any_contains(const std::vector<std::string>& problems, const std::string& part) {
  for (const auto& problem : problems) {
    if (contains(problem, part)) return true;
  }
  return false;
}

TEST(Lint, DemoCourseIsClean) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  EXPECT_EQ(lint(root), std::vector<std::string>{});
  const auto result = audit({"lint", "--root", root.string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST(Lint, NamesAMissingSolutionAndAnExtraSolutionFile) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::rename(root / "exercises/01_demo/solution/demo.cpp",
             root / "exercises/01_demo/solution/other.cpp");
  const auto problems = lint(root);
  EXPECT_TRUE(any_contains(problems, "exercises/01_demo/demo.cpp has no reference solution"));
  EXPECT_TRUE(any_contains(problems, "exercises/01_demo/solution/other.cpp is not a stub file"));
}

TEST(Lint, NamesAReadmeWithFewerThanTwoHints) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  std::ofstream(root / "exercises/01_demo/README.md") << "# Demo\n\n## Hints\n\n### Hint 1\nA.\n";
  EXPECT_TRUE(any_contains(lint(root), "has 1 hint(s)"));
  std::ofstream(root / "exercises/01_demo/README.md") << "# Demo\n";
  EXPECT_TRUE(any_contains(lint(root), "no \"## Hints\" section"));
}

TEST(Lint, NamesAnExerciseFolderMissingFromTheManifest) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::create_directories(root / "exercises/02_new");
  const auto problems = lint(root);
  EXPECT_TRUE(any_contains(problems, "exercises/02_new is not in course.json"));
}

TEST(Lint, NamesAStubThatGivesTheAnswerAway) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::copy_file(root / "exercises/01_demo/solution/demo.cpp", root / "exercises/01_demo/demo.cpp",
                fs::copy_options::overwrite_existing);
  const auto problems = lint(root);
  EXPECT_TRUE(any_contains(problems, "every stub file equals its solution"));
  EXPECT_TRUE(any_contains(problems, "no stub file says TODO"));
}

TEST(Lint, NamesMissingTestsAndTestSourcesWithoutChecks) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  std::ofstream(root / "tests/exercises/demo_test.cpp") << "// no checks yet\n";
  EXPECT_TRUE(any_contains(lint(root), "tests/exercises/demo_test.cpp has no TEST(...)"));
  fs::remove(root / "tests/exercises/demo_test.cpp");
  EXPECT_TRUE(any_contains(lint(root), "the test source tests/exercises/demo_test.cpp is missing"));
}

// The Spanish README.es.md beside each README.md cannot drift from it: a hint, a heading, a
// table row or a code block the English one has, the Spanish one has too.
TEST(Lint, NamesASpanishReadmeWithAHintMissing) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const fs::path spanish = root / "exercises/02_double/README.es.md";
  std::string text = read_file(spanish);
  text.erase(text.find("### Pista 2"));  // the last hint, cut off
  std::ofstream(spanish) << text;
  const auto problems = lint(root);
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "02_double: exercises/02_double/README.es.md has 1 hint(s), but "
                "exercises/02_double/README.md has 2: translate each hint",
                "02_double: exercises/02_double/README.es.md ends early: "
                "exercises/02_double/README.md:10 has hint 2 (\"### Hint 2\") and more after it"}));
  const auto result = audit({"lint", "--root", root.string()});
  EXPECT_NE(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "exercises/02_double/README.es.md has 1 hint(s)"))
      << result.output;
}

TEST(Lint, NamesAMissingSpanishReadmeAndAMissingSpanishTitle) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::remove(root / "exercises/03_triple/README.es.md");
  std::string manifest = read_file(root / "course.json");
  const std::string title =
      R"("title_es": "Un segundo ejercicio de demostración: el doble de un número", )";
  ASSERT_TRUE(contains(manifest, title));
  manifest.erase(manifest.find(title), title.size());
  std::ofstream(root / "course.json") << manifest;
  EXPECT_EQ(lint(root),
            (std::vector<std::string>{
                "02_double: course.json gives no \"title_es\": the title in Spanish, for "
                "`course list`",
                "03_triple: the Spanish README exercises/03_triple/README.es.md is missing: "
                "translate exercises/03_triple/README.md (the same sections, hints and tables)"}));
}

TEST(Lint, TranslationKeepsHeadingsTablesAndCodeBlocks) {
  const std::string english =
      "# Title\n\nText.\n\n## Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```cpp\n"
      "auto x = 1;  // why\n```\n\n## Hints\n\n### Hint 1\nOne.\n\n### Hint 2\nTwo.\n";
  const std::string spanish =
      "# Título\n\nTexto.\n\n## Tabla\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```cpp\n"
      "auto x = 1;  // why\n```\n\n## Pistas\n\n### Pista 1\nUna.\n\n### Pista 2\nDos.\n";
  using course::tool::compare_translation;
  EXPECT_EQ(compare_translation(english, spanish, "R.md", "R.es.md"), std::vector<std::string>{});

  auto changed = [&](const std::string& from, const std::string& to) {
    std::string text = spanish;
    text.replace(text.find(from), from.size(), to);
    return compare_translation(english, text, "R.md", "R.es.md");
  };
  EXPECT_EQ(changed("## Tabla", "### Tabla"),
            std::vector<std::string>{"R.es.md:5 has a level-3 heading (\"### Tabla\") where R.md:5 "
                                     "has a level-2 heading (\"## Table\")"});
  EXPECT_EQ(changed("| 1 | 2 |\n", ""),
            std::vector<std::string>{"R.es.md:7 has a table of 2 rows where R.md:7 has a table of "
                                     "3 rows"});
  EXPECT_EQ(changed("// why", "// por qué"),
            std::vector<std::string>{"R.es.md:11: this code block differs from R.md:11: code "
                                     "stays English, copy it as it is"});
  EXPECT_EQ(changed("\n### Pista 2\nDos.\n", ""),
            (std::vector<std::string>{"R.es.md has 1 hint(s), but R.md has 2: translate each hint",
                                      "R.es.md ends early: R.md:20 has hint 2 (\"### Hint 2\") and "
                                      "more after it"}));

  // The instructors-only parts of the English README are not translated.
  const std::string with_instructors =
      english + "\n<!-- instructors -->\n## For instructors\n\n| x |\n<!-- /instructors -->\n";
  EXPECT_EQ(compare_translation(with_instructors, spanish, "R.md", "R.es.md"),
            std::vector<std::string>{});
  EXPECT_EQ(compare_translation(english, spanish + "\n## Extra\n", "R.md", "R.es.md"),
            std::vector<std::string>{"R.es.md:23 has a level-2 heading (\"## Extra\"), which R.md "
                                     "does not have"});
}

TEST(Honesty, PassesWhenEveryCheckFailsOnTheStub) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const auto result =
      audit({"honesty", "--root", root.string(), "--build-dir", (root / "build/honesty").string(),
             "--generator", COURSE_GENERATOR, "--cmake", COURSE_CMAKE, "--jobs", "2"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "2 fail on the stub")) << result.output;
  EXPECT_TRUE(contains(result.output, "01_demo (demo.lesson)")) << result.output;
  EXPECT_TRUE(contains(result.output, "honesty: proved for 5 checks")) << result.output;
}

TEST(Honesty, NamesACheckThatPassesOnTheStub) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  append_to(root / "tests/exercises/demo_test.cpp", kPassesOnAnyStub);
  const auto result =
      audit({"honesty", "--root", root.string(), "--build-dir", (root / "build/honesty").string(),
             "--generator", COURSE_GENERATOR, "--cmake", COURSE_CMAKE, "--jobs", "2"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "Demo.PassesOnAnything PASSES on the untouched stub"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "1 problem(s) in 6 checks")) << result.output;
}

TEST(Honesty, NamesACtestCheckThatPassesOnTheStub) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  // The stub's lesson prints "TODO: add() ... exercises/01_demo/...": "demo" matches it.
  append_to(root / "CMakeLists.txt",
            "set_tests_properties(demo.lesson PROPERTIES PASS_REGULAR_EXPRESSION demo)\n");
  const auto result =
      audit({"honesty", "--root", root.string(), "--build-dir", (root / "build/honesty").string(),
             "--generator", COURSE_GENERATOR, "--cmake", COURSE_CMAKE, "--jobs", "2"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "demo.lesson PASSES on the untouched stub")) << result.output;
}

TEST(Honesty, UntouchedStubThatDoesNotBuildFails) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  append_to(root / "exercises/01_demo/demo.cpp", "this does not compile;\n");
  const auto result =
      audit({"honesty", "--root", root.string(), "--build-dir", (root / "build/honesty").string(),
             "--generator", COURSE_GENERATOR, "--cmake", COURSE_CMAKE, "--jobs", "2"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "the untouched stubs do not build")) << result.output;
}

TEST(Reference, PassesWhenEverySolutionPasses) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  const fs::path build = root / "build/solutions";
  ASSERT_TRUE(configure_fixture(root, build, true).succeeded());
  ASSERT_TRUE(build_fixture(build).succeeded());
  const auto result = audit({"reference", "--root", root.string(), "--build-dir", build.string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "reference: proved for 4 checks")) << result.output;
}

TEST(Reference, NamesAFailingAndACrashingCheck) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  append_to(root / "tests/exercises/demo_test.cpp",
            "\n#include <cstdlib>\n"
            "TEST(Demo, WrongExpectation) { EXPECT_EQ(demo::add(1, 1), 3); }\n"
            "TEST(Demo, Crashes) { std::abort(); }\n");
  const fs::path build = root / "build/solutions";
  ASSERT_TRUE(configure_fixture(root, build, true).succeeded());
  ASSERT_TRUE(build_fixture(build).succeeded());
  const auto result = audit({"reference", "--root", root.string(), "--build-dir", build.string()});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  // The crash is pinned on its own check; the other checks still get their own verdict.
  EXPECT_TRUE(contains(result.output, "crashed")) << result.output;
  EXPECT_TRUE(contains(result.output, "Demo.WrongExpectation failed on the reference solution"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Demo.Crashes failed on the reference solution"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "2 pass")) << result.output;
}

TEST(Reference, MissingTestBinaryIsAProblem) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::create_directories(root / "build/empty/bin");
  const auto result =
      audit({"reference", "--root", root.string(), "--build-dir", (root / "build/empty").string()});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "no checks ran")) << result.output;
}

// ---- mistakes: the catalogue of wrong solutions, each built as the stub ----

void write_mistake(const fs::path& root, const std::string& exercise, const std::string& name,
                   const std::string& phrase, const std::string& find, const std::string& replace) {
  fs::create_directories(root / "tests/mistakes" / exercise);
  std::ofstream(root / "tests/mistakes" / exercise / (name + ".mistake"))
      << "mistake: " << name << "\nmessage: " << phrase << "\n--- find\n"
      << find << "\n--- replace\n"
      << replace << "\n--- end\n";
}

course::tool::ProcessResult audit_mistakes(const fs::path& root) {
  return audit({"mistakes", "--root", root.string(), "--build-dir",
                (root / "build/honesty").string(), "--generator", COURSE_GENERATOR, "--cmake",
                COURSE_CMAKE, "--jobs", "2", "--minimum", "1"});
}

TEST(MistakesAudit, PassesWhenEachWrongSolutionFailsACheckThatNamesIt) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  write_mistake(root, "01_demo", "subtracts", "demo::add(2, 3)", "  return a + b;",
                "  return a - b;");
  write_mistake(root, "02_double", "adds_one", "demo::twice(4)",
                "int twice(int value) { return 2 * value; }",
                "int twice(int value) { return value + 1; }");
  write_mistake(root, "03_triple", "doubles", "demo::thrice(4)",
                "int thrice(int value) { return 3 * value; }",
                "int thrice(int value) { return 2 * value; }");
  const auto result = audit_mistakes(root);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "ok   01_demo/subtracts")) << result.output;
  EXPECT_TRUE(contains(result.output, "mistakes: proved for 3 catalogue entries")) << result.output;
  // The tree's own stub library is untouched: honesty still holds.
  EXPECT_EQ(audit({"honesty", "--root", root.string(), "--build-dir",
                   (root / "build/honesty").string(), "--no-build"})
                .exit_code,
            0);
}

TEST(MistakesAudit, NamesAnEntryNoCheckCatchesAndOneWhoseMessageDoesNotNameIt) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  write_mistake(root, "01_demo", "swapped", "demo::add", "  return a + b;", "  return b + a;");
  write_mistake(root, "02_double", "adds_one", "hint 7",
                "int twice(int value) { return 2 * value; }",
                "int twice(int value) { return value + 1; }");
  const auto result = audit_mistakes(root);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "FAIL 01_demo/swapped")) << result.output;
  EXPECT_TRUE(contains(result.output, "CAUGHT BY NO CHECK")) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "caught by Double.TwiceFourIsEight, but its sentence does "
                       "not say \"hint 7\""))
      << result.output;
}

void write_entry(const fs::path& root, const std::string& exercise, const std::string& name,
                 const std::string& text) {
  fs::create_directories(root / "tests/mistakes" / exercise);
  std::ofstream(root / "tests/mistakes" / exercise / (name + ".mistake")) << text;
}

// `kind: compile`: the compile must fail, the runner's explanation say every phrase, and "Fix it
// in" name the file the entry edits, a header of the exercise's folder included.
TEST(MistakesAudit, CompileEntriesMustFailToCompileAndBeExplained) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  write_entry(root, "01_demo", "holder_never_declared",
              "mistake: demo.h declares NetImpl but uses Net\n"
              "kind: compile\n"
              "message: TORCH_MODULE(Name);\n"
              "file: demo.h\n"
              "--- find\nint add(int a, int b);\n--- replace\n"
              "struct NetImpl {};\nNet add(int a, int b);\n--- end\n");
  write_entry(root, "02_double", "size_not_called",
              "mistake: twice names a member function without calling it\n"
              "kind: compile\n"
              "message: add the `()`\n"
              "--- find\nint twice(int value) { return 2 * value; }\n--- replace\n"
              "int twice(int value) { struct { int size() { return 2; } } box; return box.size; }\n"
              "--- end\n");
  write_entry(root, "02_double", "compiles_after_all",
              "mistake: an edit the compiler accepts\n"
              "kind: compile\n"
              "message: anything\n"
              "--- find\nint twice(int value) { return 2 * value; }\n--- replace\n"
              "int twice(int value) { return value + value; }\n--- end\n");
  write_entry(root, "03_triple", "explained_otherwise",
              "mistake: the explanation does not say the phrase\n"
              "kind: compile\n"
              "message: hint 9\n"
              "--- find\nint thrice(int value) { return 3 * value; }\n--- replace\n"
              "int thrice(int value) { struct { int size() { return 3; } } box; return box.size; }\n"
              "--- end\n");
  const auto result = audit_mistakes(root);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "ok   01_demo/holder_never_declared")) << result.output;
  EXPECT_TRUE(contains(result.output, "ok   02_double/size_not_called")) << result.output;
  EXPECT_TRUE(contains(result.output, "FAIL 02_double/compiles_after_all")) << result.output;
  EXPECT_TRUE(contains(result.output, "compiles, but a `kind: compile` entry must not"))
      << result.output;
  EXPECT_TRUE(contains(result.output, "FAIL 03_triple/explained_otherwise")) << result.output;
  EXPECT_TRUE(contains(result.output, "the runner's explanation does not say \"hint 9\""))
      << result.output;
  EXPECT_TRUE(contains(result.output, "mistakes: 2 problem(s) in 4 catalogue entries"))
      << result.output;
  // The tree's own files are untouched: the stub header is still the stub's.
  EXPECT_FALSE(contains(read_file(root / "exercises/01_demo/demo.h"), "NetImpl"));
}

TEST(MistakesAudit, AnExerciseWithTooFewEntriesIsAProblem) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  write_mistake(root, "01_demo", "subtracts", "demo::add(2, 3)", "  return a + b;",
                "  return a - b;");
  const auto result = audit_mistakes(root);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(contains(result.output, "02_double has 0 mistake(s)")) << result.output;
}

}  // namespace
