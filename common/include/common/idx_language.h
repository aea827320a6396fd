// The language of the IDX reader's messages (common/src/idx.cpp). The reader compiles alone in
// the fuzzer (fuzz/), without the course's catalogue, so it reaches course::tr through this
// pointer, which fashion_mnist.cpp sets before main() in every program that reads the data set.
// Unset (the fuzzer), the messages stay English.
#pragma once

#include <string_view>

namespace course::idx {

inline std::string_view (*translate_message)(std::string_view english) = nullptr;

// `english` (a message marked N_ in idx.cpp) in the student's language, once translate_message
// is set.
inline std::string_view message(std::string_view english) {
  return translate_message != nullptr ? translate_message(english) : english;
}

}  // namespace course::idx
