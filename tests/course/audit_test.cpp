// course_audit on the demo course: lint, reference and honesty catch what they promise.
#include "course_tool/lint.h"

#include <fstream>
#include <set>

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
  // The comments of a code block are translated, its code is not.
  EXPECT_EQ(changed("// why", "// por qué"), std::vector<std::string>{});
  EXPECT_EQ(changed("auto x = 1;", "auto x = 2;"),
            std::vector<std::string>{"R.es.md:12: this code block's code differs from R.md:12: "
                                     "the code stays as it is, only its comments are translated"});
  EXPECT_EQ(changed("\n### Pista 2\nDos.\n", ""),
            (std::vector<std::string>{"R.es.md has 1 hint(s), but R.md has 2: translate each hint",
                                      "R.es.md ends early: R.md:20 has hint 2 (\"### Hint 2\") and "
                                      "more after it"}));

  // The instructors' parts are translated too, at the same places: README.es.md is whole.
  const std::string with_instructors =
      english + "\n<!-- instructors -->\n## For instructors\n\n| x |\n<!-- /instructors -->\n";
  EXPECT_EQ(
      compare_translation(
          with_instructors,
          spanish +
              "\n<!-- instructors -->\n## Para instructores\n\n| x |\n<!-- /instructors -->\n",
          "R.md", "R.es.md"),
      std::vector<std::string>{});
  EXPECT_EQ(compare_translation(with_instructors, spanish, "R.md", "R.es.md"),
            std::vector<std::string>{"R.es.md ends early: R.md:23 has the start of an instructors' "
                                     "part (<!-- instructors -->) and more after it"});
  EXPECT_EQ(compare_translation(with_instructors, spanish + "\n## Para instructores\n\n| x |\n",
                                "R.md", "R.es.md"),
            std::vector<std::string>{"R.es.md:23 has a level-2 heading (\"## Para instructores\") "
                                     "where R.md:23 has the start of an instructors' part "
                                     "(<!-- instructors -->)"});
  EXPECT_EQ(compare_translation(english, spanish + "\n## Extra\n", "R.md", "R.es.md"),
            std::vector<std::string>{"R.es.md:23 has a level-2 heading (\"## Extra\"), which R.md "
                                     "does not have"});
}

// A README pair whose only code block is `english_code` and `spanish_code`, in `language`.
std::vector<std::string> compare_code(const std::string& language, const std::string& english_code,
                                      const std::string& spanish_code) {
  return course::tool::compare_translation("# T\n\n```" + language + "\n" + english_code + "```\n",
                                           "# T\n\n```" + language + "\n" + spanish_code + "```\n",
                                           "R.md", "R.es.md");
}

TEST(Lint, CodeBlocksAreComparedWithoutTheirComments) {
  const std::vector<std::string> same{};
  // Shell: `#` at the start of a word is a comment; `$#`, `${#x}` and a quoted '#' are code.
  EXPECT_EQ(compare_code("sh", "course check   # build your stub\n",
                         "course check   # compila tu esqueleto\n"),
            same);
  EXPECT_EQ(compare_code("sh", "# on host-a: rank 0\nRANK=0 run\n",
                         "# en host-a: el rank 0,\n# que hospeda el rendezvous\nRANK=0 run\n"),
            same);  // a translated comment may take two lines
  EXPECT_EQ(
      compare_code("sh", "echo \"$# ${#x}\" '#a'  # count\n", "echo \"$# ${#x}\" '#b'  # cuenta\n"),
      std::vector<std::string>{"R.es.md:4: this code block's code differs from R.md:4: the "
                               "code stays as it is, only its comments are translated"});
  EXPECT_EQ(compare_code("sh", "cmake --preset student\n", "cmake --preset students\n").size(), 1u);
  // C++: `//` and /* */ outside literals; #include is code, and so is "http://" in a string.
  EXPECT_EQ(compare_code("cpp", "#include <a.h>\nint x = 1;  // one\n/* why */ f(x);\n",
                         "#include <a.h>\nint x = 1;  // uno\n/* por qué */ f(x);\n"),
            same);
  EXPECT_EQ(compare_code("cpp", "#include <a.h>\n", "#include <b.h>\n").size(), 1u);
  EXPECT_EQ(compare_code("cpp", "auto url = \"http://a\";  // the address\n",
                         "auto url = \"http://b\";  // la dirección\n")
                .size(),
            1u);
  EXPECT_EQ(compare_code("cpp", "char c = '/'; int n = 1'000;  // slash\n",
                         "char c = '/'; int n = 1'000;  // barra\n"),
            same);
  // Python: `#` anywhere outside a string.
  EXPECT_EQ(compare_code("python", "print(\"#1\")  # first\n", "print(\"#1\")  # primero\n"), same);
  EXPECT_EQ(compare_code("python", "print(\"#1\")  # first\n", "print(\"#2\")  # primero\n").size(),
            1u);
  // A block of no language known to have comments (program output, a listing) stays as it is.
  EXPECT_EQ(compare_code("", "graded 2  # a\n", "graded 2  # b\n"),
            std::vector<std::string>{"R.es.md:4: this code block's code differs from R.md:4: a "
                                     "code block without a language known to have comments stays "
                                     "exactly as it is"});
  EXPECT_EQ(compare_code("sh", "ls\n", "ls\n"), same);
  EXPECT_EQ(course::tool::compare_translation("```sh\nls\n```\n", "```bash\nls\n```\n", "R.md",
                                              "R.es.md"),
            std::vector<std::string>{"R.es.md:1: this code block opens with ```bash where R.md:1 "
                                     "has ```sh: keep the fence as it is"});
}

const char* kGlossary =
    "# Glossary\n\n| English | Spanish | note |\n| --- | --- | --- |\n| fix | corregir | x |\n\n"
    "## Words to avoid\n\n| avoid | use instead | why |\n| --- | --- | --- |\n"
    "| arreglo, `arreglos` | \"la solución\" | array |\n| desvío | \"desviación estándar\" | x |\n"
    "| build | \"compilación\" | English |\n| feature, features | \"característica\" | English |\n"
    "\nAfter the table.\n| not | a row | here |\n";

TEST(Lint, ReadsTheWordsToAvoidFromTheGlossarysTable) {
  const auto avoid = course::tool::read_avoid_list(kGlossary);
  std::vector<std::string> words;
  for (const auto& entry : avoid) words.push_back(entry.word + " -> " + entry.instead);
  EXPECT_EQ(words, (std::vector<std::string>{
                       "arreglo -> \"la solución\"", "arreglos -> \"la solución\"",
                       "desvío -> \"desviación estándar\"", "build -> \"compilación\"",
                       "feature -> \"característica\"", "features -> \"característica\""}));
  EXPECT_TRUE(course::tool::read_avoid_list("# No table\n\n| a | b |\n|---|---|\n").empty());
}

TEST(Lint, TheCoursesGlossaryListsTheWordsItPromises) {
  std::set<std::string> words;
  for (const auto& entry :
       course::tool::read_avoid_list(read_file(fs::path(COURSE_REPOSITORY_DIR) / "po/GLOSSARY.md")))
    words.insert(entry.word);
  for (const char* word :
       {"arreglo", "targets", "desvío", "historia", "build", "bug", "feature", "overhead"})
    EXPECT_TRUE(words.count(word)) << word << " is not in po/GLOSSARY.md's table of words to avoid";
}

TEST(Lint, FindsAvoidedWordsInTheProseOfASpanishReadme) {
  const auto avoid = course::tool::read_avoid_list(kGlossary);
  const std::string markdown =
      "# Título\n\nEl Arreglo habitual: `arreglo` en código no cuenta,\n"
      "ni `torch::zeros({n},\ntorch::arreglo())` partido en dos líneas.\n\n"
      "```sh\ncmake --build build  # el build\n```\n\n"
      "Corre build/student/bin/x con `--build`, lee [esto](build/arreglo.md) y build.ninja.\n"
      "La media ~0 y el desvío ~1; tarda 1,8-2,3 s, no (1, 2); el build.\n"
      "<!-- instructors -->\n";
  EXPECT_EQ(course::tool::find_avoided_words_in_markdown(markdown, "R.es.md", avoid),
            (std::vector<std::string>{
                "R.es.md:3: \"Arreglo\" is on po/GLOSSARY.md's list of words to avoid: use \"la "
                "solución\"",
                "R.es.md:12: \"desvío\" is on po/GLOSSARY.md's list of words to avoid: use "
                "\"desviación estándar\"",
                "R.es.md:12: \"build\" is on po/GLOSSARY.md's list of words to avoid: use "
                "\"compilación\"",
                "R.es.md:12: \"1,8\" has a decimal comma: write 1.8, with the decimal point, as "
                "the programs print numbers (po/GLOSSARY.md)",
                "R.es.md:12: \"2,3\" has a decimal comma: write 2.3, with the decimal point, as "
                "the programs print numbers (po/GLOSSARY.md)"}));
}

TEST(Lint, FindsAvoidedWordsInTheSpanishOfACatalogue) {
  const auto avoid = course::tool::read_avoid_list(kGlossary);
  const std::string po =
      "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
      "msgid \"the first build\"\nmsgstr \"el primer build\"\n\n"
      "msgid \"run `cmake --build` in build/student\"\n"
      "msgstr \"corre `cmake --build` en build/student\"\n\n"
      "msgid \"ones\"\nmsgstr \"torch::ones({features}), build() y x::feature\"\n\n"
      "msgid \"\"\n\"a\\n\"\n\"the fix\"\nmsgstr \"\"\n\"a\\n\"\n\"el arreglo\"\n\n"
      "#~ msgid \"old\"\n#~ msgstr \"el build viejo\"\n";
  EXPECT_EQ(course::tool::find_avoided_words_in_po(po, "po/es.po", avoid),
            (std::vector<std::string>{
                "po/es.po:6: \"build\" is on po/GLOSSARY.md's list of words to avoid: use "
                "\"compilación\"",
                "po/es.po:19: \"arreglo\" is on po/GLOSSARY.md's list of words to avoid: use \"la "
                "solución\""}));
}

TEST(Lint, NamesAnAvoidedWordInTheCourse) {
  TempDir temp;
  const fs::path root = copy_fixture(temp.path() / "course");
  fs::create_directories(root / "po");
  EXPECT_EQ(lint(root),
            std::vector<std::string>{
                "po/GLOSSARY.md is missing: the course's Spanish terms, and the table "
                "of words to avoid (| avoid | use instead | why |) that the lint reads"});
  std::ofstream(root / "po/GLOSSARY.md") << kGlossary;
  EXPECT_EQ(lint(root), std::vector<std::string>{});
  const fs::path spanish = root / "exercises/02_double/README.es.md";
  std::ofstream(spanish, std::ios::app) << "\nEl arreglo está en la pista 2.\n";
  std::ofstream(root / "po/es.po") << "msgid \"build\"\nmsgstr \"el build\"\n";
  EXPECT_EQ(lint(root),
            (std::vector<std::string>{
                "exercises/02_double/README.es.md:13: \"arreglo\" is on po/GLOSSARY.md's list of "
                "words to avoid: use \"la solución\"",
                "po/es.po:2: \"build\" is on po/GLOSSARY.md's list of words to avoid: use "
                "\"compilación\""}));
  const auto result = audit({"lint", "--root", root.string()});
  EXPECT_NE(result.exit_code, 0) << result.output;
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
  write_entry(
      root, "03_triple", "explained_otherwise",
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
