// The course's sentence of a failing check. Every assertion a student can fail ends with one,
// in the student's language: the English is a format string given to trf (common/language.h),
// and its Spanish is in po/es.po:
//
//   EXPECT_EQ(total, kParameterCount)
//       << sentence
//       << trf("the model has {} parameters, expected {}: a layer assigned without "
//              "register_module is invisible to parameters() (hint 2)",
//              total, kParameterCount);
//
// A value fmt cannot format (a tensor, its sizes, a device) goes through text_of(). It says what
// was expected, what came, the likely cause and the hint to read, in one sentence a student can
// act on without GoogleTest's "Value of / Actual / Expected / Which is" lines:
// `course check` shows the student only the text after the marker (of the first failure), and
// keeps GoogleTest's own lines and the test's file and line for `course check --verbose`.
// The marker starts a line of its own, so that the raw GoogleTest output stays readable.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <torch/torch.h>

#include "common/language.h"
#include "common/lesson.h"

namespace course::testing {

using course::trf;
using course::trn;

inline constexpr const char* sentence = "\n>> ";

// What `operator<<` prints of a value (a tensor's sizes "[2, 3]", a device "cpu"), for trf.
template <typename Value>
std::string text_of(const Value& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// A dtype as Python names it ("float32", "int64"), where LibTorch prints "float" or "long int".
inline std::string dtype_name(caffe2::TypeMeta dtype) {
  switch (c10::typeMetaToScalarType(dtype)) {
    case c10::ScalarType::Float:
      return "float32";
    case c10::ScalarType::Double:
      return "float64";
    case c10::ScalarType::Half:
      return "float16";
    case c10::ScalarType::BFloat16:
      return "bfloat16";
    case c10::ScalarType::Long:
      return "int64";
    case c10::ScalarType::Int:
      return "int32";
    case c10::ScalarType::Short:
      return "int16";
    case c10::ScalarType::Char:
      return "int8";
    case c10::ScalarType::Byte:
      return "uint8";
    case c10::ScalarType::Bool:
      return "bool";
    default:
      return std::string(dtype.name());
  }
}

// Calls the student's code (`call`) and returns what it returns. When it throws anything but
// NotImplemented (the untouched stub: GoogleTest reports that one as it is, and the runner shows
// its text), the exception is thrown again as the course's sentence `why`, followed by the first
// line of what LibTorch said ("Accessing empty ModuleHolder", a shape mismatch...; cut at 200
// characters), instead of c10's message and stack frames:
//   Net net = explain_throw([] { return Net(784, 100, 10); },
//                           "constructing Net threw: a layer used before it exists (hint 2)");
template <typename Call>
decltype(auto) explain_throw(Call&& call, std::string_view why) {
  try {
    return std::forward<Call>(call)();
  } catch (const course::NotImplemented&) {
    throw;
  } catch (const std::exception& error) {
    std::string said = error.what();
    said = said.substr(0, said.find('\n'));
    if (said.size() > 200) said = said.substr(0, said.rfind(' ', 200)) + " ...";
    throw std::runtime_error(std::string(sentence + 1) + std::string(why) +
                             trf(" (LibTorch said: {})", said));
  }
}

}  // namespace course::testing
