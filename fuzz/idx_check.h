// One input through the IDX parser, the way the fuzzer and the regression test both run it:
// course::idx::parse() on the whole input, then course::idx::Reader in small steps (as the
// Fashion-MNIST loader reads images), and the two must agree. Header-only and torch-free, so the
// fuzzer builds it with clang alone.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/data_error.h"
#include "common/idx.h"

namespace course::fuzz {

// What parsing one input gave: the array, or the DataError's message.
struct Outcome {
  bool parsed = false;
  idx::Array array;
  std::string error;
};

inline Outcome parse_whole(std::string_view bytes) {
  Outcome outcome;
  try {
    outcome.array = idx::parse(bytes, "input");
    outcome.parsed = true;
  } catch (const DataError& e) {
    outcome.error = e.what();
  }
  return outcome;
}

// The same input through Reader, `step` payload bytes at a time.
inline Outcome parse_in_steps(std::string_view bytes, uint64_t step) {
  Outcome outcome;
  try {
    idx::Reader reader(bytes, "input");
    outcome.array.magic = reader.magic();
    outcome.array.dims = reader.dims();
    outcome.array.data.resize(reader.payload_size());
    for (uint64_t offset = 0; offset < reader.payload_size(); offset += step) {
      reader.read_payload(outcome.array.data.data() + offset,
                          std::min(step, reader.payload_size() - offset));
    }
    reader.finish();
    outcome.parsed = true;
  } catch (const DataError& e) {
    outcome.array = {};
    outcome.error = e.what();
  }
  return outcome;
}

// Checks one input. Returns "" when everything holds, else what went wrong. A DataError is a
// fine answer for a broken input; any other exception escapes to the caller (a bug).
inline std::string check_idx_input(std::string_view bytes) {
  const Outcome whole = parse_whole(bytes);
  if (whole.parsed) {
    const idx::Array& array = whole.array;
    if (array.magic != idx::kImagesMagic && array.magic != idx::kLabelsMagic) {
      return "parsed an array with magic " + std::to_string(array.magic);
    }
    const size_t rank = array.magic == idx::kImagesMagic ? 3 : 1;
    if (array.dims.size() != rank) return "rank does not match the magic number";
    uint64_t size = 1;
    for (int64_t dim : array.dims) {
      if (dim < 0) return "negative dimension";
      size *= static_cast<uint64_t>(dim);
    }
    if (size > idx::kMaxPayloadBytes) return "payload above the limit was accepted";
    if (size != array.data.size()) return "payload size differs from the product of dims";
    if (rank == 3 && (array.dims[1] != idx::kImageSide || array.dims[2] != idx::kImageSide)) {
      return "images that are not 28x28 were accepted";
    }
  } else if (whole.error.rfind("input: ", 0) != 0) {
    return "error message does not start with the file name: " + whole.error;
  } else if (whole.error.find('\n') != std::string::npos) {
    return "error message has more than one line: " + whole.error;
  }

  // A step size that varies with the input, so the corpus covers many of them.
  const uint64_t step = 1 + bytes.size() % 61;
  const Outcome steps = parse_in_steps(bytes, step);
  if (steps.parsed != whole.parsed) {
    return "parse() and Reader in steps of " + std::to_string(step) +
           " disagree: " + (whole.parsed ? steps.error : whole.error);
  }
  if (whole.parsed &&
      (steps.array.dims != whole.array.dims || steps.array.data != whole.array.data)) {
    return "parse() and Reader in steps of " + std::to_string(step) + " read different data";
  }
  return "";
}

}  // namespace course::fuzz
