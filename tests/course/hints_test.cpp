// Graded hints read from an exercise's README ("## Hints", "### Hint N").
#include "course_tool/hints.h"

#include <gtest/gtest.h>

#include "course_tool/manifest.h"

namespace {
using course::tool::CourseError;
using course::tool::parse_hints;

std::string error_of(const std::string& markdown) {
  try {
    parse_hints(markdown, "README.md");
  } catch (const CourseError& e) {
    return e.what();
  }
  return "";
}

TEST(Hints, ReadsEachLevelInOrderAndStopsAtTheNextSection) {
  const auto hints = parse_hints(
      "# Autograd\n\nThe lesson.\n\n## Hints\n\n### Hint 1\nA nudge.\n\n"
      "### Hint 2: closer\nLook at `backward()`.\nTwo lines.\n\n### Hint 3\n"
      "```cpp\n### not a heading, code\nx.grad();\n```\n\n## Next section\nNot a hint.\n",
      "README.md");
  ASSERT_EQ(hints.size(), 3u);
  EXPECT_EQ(hints[0].number, 1);
  EXPECT_EQ(hints[0].text, "A nudge.");
  EXPECT_EQ(hints[1].text, "Look at `backward()`.\nTwo lines.");
  EXPECT_EQ(hints[2].text, "```cpp\n### not a heading, code\nx.grad();\n```");
}

TEST(Hints, MissingSectionIsAnError) {
  EXPECT_NE(error_of("# Title\n\n### Hint 1\ntext\n").find("no \"## Hints\""), std::string::npos);
}

TEST(Hints, NumbersMustCountFromOne) {
  const std::string error = error_of("## Hints\n### Hint 1\na\n### Hint 3\nb\n");
  EXPECT_NE(error.find("should be \"### Hint 2\""), std::string::npos) << error;
}

TEST(Hints, OtherHeadingsInsideTheSectionAreRejected) {
  EXPECT_NE(error_of("## Hints\n### Hint 1\na\n### Solution\nb\n").find("### Hint N"),
            std::string::npos);
}

TEST(Hints, EmptyHintIsAnError) {
  EXPECT_NE(error_of("## Hints\n### Hint 1\n\n### Hint 2\nb\n").find("Hint 1\" is empty"),
            std::string::npos);
}

TEST(Hints, SectionWithoutHintsGivesNone) {
  EXPECT_TRUE(parse_hints("## Hints\nnothing yet\n## Other\n", "README.md").empty());
}

}  // namespace
