// The lesson runner and a stub's "not implemented" error, in the student's language.
#include "common/lesson.h"

#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "common/language.h"

namespace course {
namespace {

// COURSE_LANG for one test (what `course` passes on to the programs it starts), then put back.
class ScopedCourseLanguage {
 public:
  explicit ScopedCourseLanguage(const char* code) {
    if (const char* old = std::getenv(kLanguageVariable)) saved_ = old;
    ::setenv(kLanguageVariable, code, 1);
  }
  ~ScopedCourseLanguage() {
    if (saved_) {
      ::setenv(kLanguageVariable, saved_->c_str(), 1);
    } else {
      ::unsetenv(kLanguageVariable);
    }
  }

 private:
  std::optional<std::string> saved_;
};

std::string stub_error() {
  try {
    not_implemented_in("exercises/02_autograd", "02_autograd", "cube_gradient_at");
  } catch (const NotImplemented& e) {
    return e.what();
  }
  return "";
}

TEST(Lesson, StubErrorSpeaksSpanishAndPointsAtTheSpanishHints) {
  ScopedCourseLanguage spanish("es");
  EXPECT_EQ(stub_error(),
            "cube_gradient_at() todavía no está implementada: escríbela en exercises/02_autograd/ "
            "(busca TODO). ¿Necesitas ayuda? `course hint 02_autograd` o las Pistas de "
            "exercises/02_autograd/README.es.md");
}

TEST(Lesson, StubErrorSpeaksEnglishOtherwise) {
  ScopedCourseLanguage english("en");
  EXPECT_EQ(stub_error(),
            "cube_gradient_at() is not implemented yet: write it in exercises/02_autograd/ (look "
            "for TODO). Stuck? `course hint 02_autograd` or the Hints in "
            "exercises/02_autograd/README.md");
}

TEST(Lesson, StubErrorNamesTheStubsFileWhenTheCallGivesIt) {
  ScopedCourseLanguage english("en");
  std::string message;
  try {
    not_implemented_in("exercises/02_autograd", "02_autograd", "cube_gradient_at",
                       "/home/student/course/exercises/02_autograd/autograd.cpp");
  } catch (const NotImplemented& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("write it in exercises/02_autograd/autograd.cpp (look for TODO)"),
            std::string::npos)
      << message;
}

TEST(Lesson, TitlesAndSummaryInSpanish) {
  ScopedCourseLanguage spanish("es");
  ::testing::internal::CaptureStdout();
  {
    Lesson lesson("Exercise 02: autograd");
    lesson.section("Gradients accumulate", [] {
      not_implemented_in("exercises/02_autograd", "02_autograd", "accumulate_cube_gradients");
    });
    lesson.section("A title the catalogue does not know", [] {});
    EXPECT_EQ(lesson.finish(), 0);
  }
  const std::string output = ::testing::internal::GetCapturedStdout();
  // The underline counts characters, not bytes.
  EXPECT_EQ(output.substr(0, output.find("\n\n")),
            "Ejercicio 02: autograd\n======================");
  EXPECT_NE(output.find("== 1. Los gradientes se acumulan =="), std::string::npos) << output;
  EXPECT_NE(output.find("TODO: accumulate_cube_gradients() todavía no está implementada"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("== 2. A title the catalogue does not know =="), std::string::npos)
      << output;  // no entry: the English title, never an empty one
  EXPECT_NE(output.find("Quedan 1 de 2 secciones por hacer"), std::string::npos) << output;
}

}  // namespace
}  // namespace course
