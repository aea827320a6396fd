// The error every data-loading problem raises; kept free of torch so the IDX parser is too.
#pragma once

#include <stdexcept>

namespace course {

// Any problem with the data files. The message names the file, what is wrong and what to do.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace course
