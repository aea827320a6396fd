// Exercise 03: a custom MLP. Fill in each function below: replace the TODO and the
// course::not_implemented(...) line with your code. Check your work with
//   cmake --build --preset student && ctest --preset student -L 03_mlp
// and run build/student/bin/ex03_mlp to see the lesson. Hints: README.md, "## Hints".
#include "mlp.h"

#include "common/lesson.h"

namespace exercises::mlp {

namespace F = torch::nn::functional;

NetImpl::NetImpl([[maybe_unused]] int64_t inputs, [[maybe_unused]] int64_t hidden,
                 [[maybe_unused]] int64_t outputs) {
  // TODO: create both layers and register them under the names "fc1" and "fc2":
  //   fc1 = register_module("fc1", torch::nn::Linear(inputs, hidden));  and the same for fc2
  //   (hidden -> outputs). register_module is what makes a layer's weights show up in
  //   parameters() and named_parameters() ("fc1.weight", ...).
  //   Python: self.fc1 = nn.Linear(inputs, hidden); self.fc2 = nn.Linear(hidden, outputs)
  course::not_implemented("03_mlp", "NetImpl::NetImpl");
}

torch::Tensor NetImpl::forward([[maybe_unused]] torch::Tensor x) {
  // TODO: apply fc1, then the functional ReLU F::relu, then fc2, and return the result.
  //   A layer is called like a function: fc1(x).
  //   Python: return self.fc2(F.relu(self.fc1(x)))
  course::not_implemented("03_mlp", "NetImpl::forward");
}

torch::nn::Sequential make_sequential([[maybe_unused]] int64_t inputs,
                                      [[maybe_unused]] int64_t hidden,
                                      [[maybe_unused]] int64_t outputs) {
  // TODO: build the two Linear layers in two separate statements, first inputs -> hidden, then
  //   hidden -> outputs, and return torch::nn::Sequential(first, torch::nn::ReLU(), second).
  //   Why not build them inside the Sequential(...) call? See README.md, "A common mistake".
  //   Python: nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, outputs))
  course::not_implemented("03_mlp", "make_sequential");
}

int64_t count_parameters([[maybe_unused]] const torch::nn::Module& module) {
  // TODO: add up parameter.numel() over module.parameters() and return the sum.
  //   Python: sum(p.numel() for p in model.parameters())
  course::not_implemented("03_mlp", "count_parameters");
}

void copy_weights([[maybe_unused]] const Net& from, [[maybe_unused]] torch::nn::Sequential& to) {
  // TODO: under a torch::NoGradGuard, copy_ each of from's four tensors into the matching
  //   tensor of `to`. to[0] and to[2] are the Linear layers; to[0]->as<torch::nn::Linear>()
  //   gives a pointer to the first one, so: first->weight.copy_(from->fc1->weight); and the
  //   same for fc1's bias and for fc2 -> to[2]. (Without the guard, copy_ into a parameter
  //   throws: it is an in-place change of a leaf that requires grad.)
  //   Python: with torch.no_grad(): seq[0].weight.copy_(net.fc1.weight); ...
  course::not_implemented("03_mlp", "copy_weights");
}

torch::Tensor dropout_forward([[maybe_unused]] torch::nn::Dropout dropout,
                              [[maybe_unused]] const torch::Tensor& x,
                              [[maybe_unused]] bool training) {
  // TODO: switch the mode with dropout->train() when `training`, else dropout->eval(); then
  //   return dropout(x).
  //   Python: dropout.train() if training else dropout.eval(); return dropout(x)
  course::not_implemented("03_mlp", "dropout_forward");
}

}  // namespace exercises::mlp
