// Counts the LibTorch operators that run on this thread while it lives, at::RecordFunction
// seeing each one, so that a check can see the mechanism and not only the result: that
// backward() filled a gradient (its AccumulateGrad steps), that a hand-written loop ran no
// operator, that a forward ran with autograd off.
#pragma once

#include <ATen/record_function.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace course::testing {

class OperatorCounter {
 public:
  using Predicate = std::function<bool(const at::RecordFunction&)>;

  // `counts`: which operators to count (every one when empty).
  explicit OperatorCounter(Predicate counts = {}) : counts_(std::move(counts)) {
    if (active().empty()) {
      handle() = at::addThreadLocalCallback(at::RecordFunctionCallback(&on_start));
    }
    active().push_back(this);
  }
  ~OperatorCounter() {
    active().erase(std::find(active().begin(), active().end(), this));
    if (active().empty()) at::removeCallback(handle());
  }
  OperatorCounter(const OperatorCounter&) = delete;
  OperatorCounter& operator=(const OperatorCounter&) = delete;

  int count() const { return count_; }

  // A predicate: the operator is called `name` ("aten::linear",
  // "torch::autograd::AccumulateGrad", ...).
  static Predicate named(std::vector<std::string> names) {
    return [names = std::move(names)](const at::RecordFunction& step) {
      return std::find(names.begin(), names.end(), std::string(step.name())) != names.end();
    };
  }

 private:
  // One callback for all the counters alive on this thread.
  static std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& step) {
    for (OperatorCounter* counter : active()) {
      if (!counter->counts_ || counter->counts_(step)) ++counter->count_;
    }
    return nullptr;
  }
  static std::vector<OperatorCounter*>& active() {
    static thread_local std::vector<OperatorCounter*> counters;
    return counters;
  }
  static at::CallbackHandle& handle() {
    static thread_local at::CallbackHandle callback = 0;
    return callback;
  }

  Predicate counts_;
  int count_ = 0;
};

}  // namespace course::testing
