// What clang 14 printed for real mistakes in the course's stubs (LibTorch 1.13.1, the shared
// precompiled header), for the tests of compile_errors.h. The checkout's path is written @ROOT@;
// a test puts its own in. Some are ninja's whole output (FAILED: and the compile command, cut
// short here), the others the compiler's alone, as `course_audit mistakes` gets them; the long
// ones are cut to their first errors.
#pragma once

namespace course::testing {

// homework.h / mlp.h: `torch::nn::Linear fc1;` without {nullptr}. clang never names the line.
inline const char* kHolderWithoutNullptr = R"clang([1/6] Building CXX object exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o
FAILED: exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o 
/usr/bin/clang++ -I@ROOT@/exercises/03_mlp -isystem /usr/include/torch/csrc/api/include -O3 -std=c++17 -MD -MT exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o -MF exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o.d -o exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o -c @ROOT@/exercises/03_mlp/mlp.cpp
In file included from <built-in>:432:
In file included from @ROOT@/build/student/CMakeFiles/course_pch.dir/cmake_pch.hxx:5:
In file included from /usr/include/torch/csrc/api/include/torch/torch.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/all.h:15:
In file included from /usr/include/torch/csrc/api/include/torch/nn.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/cloneable.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/module.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_module_holder.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_value.h:5:
/usr/include/torch/csrc/api/include/torch/nn/pimpl.h:44:5: error: static_assert failed due to requirement 'std::is_default_constructible<torch::nn::LinearImpl>::value' "You are trying to default construct a module which has no default constructor. Use = nullptr to give it the empty state (e.g. `Linear linear = nullptr;` instead of `Linear linear;`)."
    static_assert(
    ^
/usr/include/torch/csrc/api/include/torch/nn/modules/linear.h:85:14: note: in instantiation of member function 'torch::nn::ModuleHolder<torch::nn::LinearImpl>::ModuleHolder' requested here
TORCH_MODULE(Linear);
             ^
1 error generated.
[2/6] Building CXX object exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o
[3/6] Building CXX object exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o
ninja: build stopped: subcommand failed.
)clang";

// mlp.cpp: a ReLU module passed to fc2 (`return fc2(relu);`).
inline const char* kReluPassedAsTensor = R"clang(In file included from <built-in>:432:
In file included from @ROOT@/build/student/CMakeFiles/course_pch.dir/cmake_pch.hxx:5:
In file included from /usr/include/torch/csrc/api/include/torch/torch.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/all.h:15:
In file included from /usr/include/torch/csrc/api/include/torch/nn.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/cloneable.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/module.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_module_holder.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_value.h:5:
In file included from /usr/include/torch/csrc/api/include/torch/nn/pimpl.h:17:
/usr/include/torch/csrc/api/include/torch/nn/pimpl-inl.h:58:53: error: no viable conversion from 'torch::nn::ReLU' to 'const at::Tensor'
  using type = decltype(::std::declval<C>().forward(::std::declval<Args>()...));
                                                    ^~~~~~~~~~~~~~~~~~~~~~
/usr/include/torch/csrc/api/include/torch/nn/pimpl-inl.h:73:1: note: in instantiation of template class 'torch::detail::return_type_of_forward_impl<true, torch::nn::LinearImpl, torch::nn::ReLU &>' requested here
using return_type_of_forward_t =
^
/usr/include/torch/csrc/api/include/torch/nn/pimpl.h:121:25: note: in instantiation of template type alias 'return_type_of_forward_t' requested here
      -> torch::detail::return_type_of_forward_t<Contained, Args...> {
                        ^
@ROOT@/exercises/03_mlp/mlp.cpp:18:13: note: while substituting deduced template arguments into function template 'operator()' [with Args = <torch::nn::ReLU &>]
  return fc2(relu);  // functional: ReLU has no parameters, so it needs no member
            ^
/usr/include/ATen/core/TensorBody.h:106:3: note: candidate constructor not viable: no known conversion from 'torch::nn::ReLU' to 'const at::Tensor &' for 1st argument
  Tensor(const Tensor &tensor) = default;
  ^
/usr/include/ATen/core/TensorBody.h:107:3: note: candidate constructor not viable: no known conversion from 'torch::nn::ReLU' to 'at::Tensor &&' for 1st argument
  Tensor(Tensor &&tensor) = default;
  ^
/usr/include/torch/csrc/api/include/torch/nn/modules/linear.h:67:32: note: passing argument to parameter 'input' here
  Tensor forward(const Tensor& input);
                               ^
In file included from <built-in>:432:
In file included from @ROOT@/build/student/CMakeFiles/course_pch.dir/cmake_pch.hxx:5:
In file included from /usr/include/torch/csrc/api/include/torch/torch.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/all.h:15:
In file included from /usr/include/torch/csrc/api/include/torch/nn.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/cloneable.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/module.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_module_holder.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/nn/modules/container/any_value.h:5:
/usr/include/torch/csrc/api/include/torch/nn/pimpl.h:126:27: error: no viable conversion from 'torch::nn::ReLU' to 'const at::Tensor'
    return impl_->forward(::std::forward<Args>(args)...);
                          ^~~~~~~~~~~~~~~~~~~~~~~~~~
@ROOT@/exercises/03_mlp/mlp.cpp:18:13: note: in instantiation of function template specialization 'torch::nn::ModuleHolder<torch::nn::LinearImpl>::operator()<torch::nn::ReLU &>' requested here
  return fc2(relu);  // functional: ReLU has no parameters, so it needs no member
            ^
2 errors generated.
)clang";

// dataloader.cpp: Stack mapped before Normalize.
inline const char* kStackBeforeNormalize = R"clang(@ROOT@/exercises/05_dataloader/dataloader.cpp:19:10: error: no viable conversion from returned value of type 'MapDataset<MapDataset<[...], torch::data::transforms::Stack<>>, torch::data::transforms::Normalize<>>' to function return type 'MapDataset<MapDataset<[...], torch::data::transforms::Normalize<>>, torch::data::transforms::Stack<>>'
  return std::move(dataset)
         ^~~~~~~~~~~~~~~~~~
/usr/include/torch/csrc/api/include/torch/data/datasets/map.h:22:7: note: candidate constructor (the implicit copy constructor) not viable: no known conversion from 'MapDataset<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Stack<>>, torch::data::transforms::Normalize<>>' to 'const torch::data::datasets::MapDataset<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Normalize<>>, torch::data::transforms::Stack<>> &' for 1st argument
class MapDataset : public BatchDataset<
      ^
/usr/include/torch/csrc/api/include/torch/data/datasets/map.h:22:7: note: candidate constructor (the implicit move constructor) not viable: no known conversion from 'MapDataset<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Stack<>>, torch::data::transforms::Normalize<>>' to 'torch::data::datasets::MapDataset<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Normalize<>>, torch::data::transforms::Stack<>> &&' for 1st argument
/usr/include/torch/csrc/api/include/torch/data/datasets/map.h:109:48: error: no type named 'value_type' in 'torch::data::Example<>'
              typename DatasetType::BatchType::value_type,
              ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^~~~~~~~~~
/usr/include/torch/csrc/api/include/torch/data/datasets/base.h:64:22: note: in instantiation of function template specialization 'torch::data::datasets::map<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Stack<>>, torch::data::transforms::Normalize<>>' requested here
    return datasets::map(
                     ^
@ROOT@/exercises/05_dataloader/dataloader.cpp:21:8: note: in instantiation of function template specialization 'torch::data::datasets::BatchDataset<torch::data::datasets::MapDataset<exercises::dataloader::FashionDataset, torch::data::transforms::Stack<>>, torch::data::Example<>>::map<torch::data::transforms::Normalize<>>' requested here
      .map(torch::data::transforms::Normalize<>(mean, stddev));
       ^
In file included from <built-in>:432:
In file included from @ROOT@/build/student/CMakeFiles/course_pch.dir/cmake_pch.hxx:5:
In file included from /usr/include/torch/csrc/api/include/torch/torch.h:3:
In file included from /usr/include/torch/csrc/api/include/torch/all.h:9:
In file included from /usr/include/torch/csrc/api/include/torch/data.h:4:
In file included from /usr/include/torch/csrc/api/include/torch/data/datasets.h:5:
3 errors generated.
)clang";

// mlp.h: make_sequential's default arguments removed: the test and main.cpp fail.
inline const char* kHeaderChangedTestAndMainFail = R"clang([1/6] Building CXX object exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o
[2/6] Linking CXX static library exercises/libexercise_03_mlp.a
[3/6] Building CXX object exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o
FAILED: exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o 
/usr/bin/clang++ -I@ROOT@/exercises/03_mlp -isystem /usr/include/torch/csrc/api/include -O3 -std=c++17 -MD -MT exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o -MF exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o.d -o exercises/CMakeFiles/test_03_mlp.dir/__/tests/exercises/mlp_test.cpp.o -c @ROOT@/tests/exercises/mlp_test.cpp
@ROOT@/tests/exercises/mlp_test.cpp:117:38: error: no matching function for call to 'make_sequential'
  torch::nn::Sequential sequential = make_sequential();
                                     ^~~~~~~~~~~~~~~
@ROOT@/exercises/03_mlp/mlp.h:40:23: note: candidate function not viable: requires 3 arguments, but 0 were provided
torch::nn::Sequential make_sequential(int64_t inputs, int64_t hidden, int64_t outputs);
                      ^
@ROOT@/tests/exercises/mlp_test.cpp:131:38: error: no matching function for call to 'make_sequential'
  torch::nn::Sequential sequential = make_sequential();
                                     ^~~~~~~~~~~~~~~
@ROOT@/exercises/03_mlp/mlp.h:40:23: note: candidate function not viable: requires 3 arguments, but 0 were provided
torch::nn::Sequential make_sequential(int64_t inputs, int64_t hidden, int64_t outputs);
                      ^
2 errors generated.
[4/6] Building CXX object exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o
FAILED: exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o 
/usr/bin/clang++ -I@ROOT@/exercises/03_mlp -isystem /usr/include/torch/csrc/api/include -O3 -std=c++17 -MD -MT exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o -MF exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o.d -o exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o -c @ROOT@/exercises/03_mlp/main.cpp
@ROOT@/exercises/03_mlp/main.cpp:22:58: error: too few arguments to function call, expected 3, have 0
  torch::nn::Sequential sequential = ex::make_sequential();  // other initial weights
                                     ~~~~~~~~~~~~~~~~~~~ ^
@ROOT@/exercises/03_mlp/mlp.h:40:23: note: 'make_sequential' declared here
torch::nn::Sequential make_sequential(int64_t inputs, int64_t hidden, int64_t outputs);
                      ^
@ROOT@/exercises/03_mlp/main.cpp:103:62: error: too few arguments to function call, expected 3, have 0
      torch::nn::Sequential sequential = ex::make_sequential();
                                         ~~~~~~~~~~~~~~~~~~~ ^
@ROOT@/exercises/03_mlp/mlp.h:40:23: note: 'make_sequential' declared here
torch::nn::Sequential make_sequential(int64_t inputs, int64_t hidden, int64_t outputs);
                      ^
2 errors generated.
ninja: build stopped: subcommand failed.
)clang";

// mlp.h: TORCH_MODULE(Net) deleted: main.cpp's errors first.
inline const char* kTorchModuleDeleted = R"clang([1/6] Building CXX object exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o
FAILED: exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o 
/usr/bin/clang++ -I@ROOT@/exercises/03_mlp -isystem /usr/include/torch/csrc/api/include -O3 -std=c++17 -MD -MT exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o -MF exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o.d -o exercises/CMakeFiles/ex03_mlp.dir/03_mlp/main.cpp.o -c @ROOT@/exercises/03_mlp/main.cpp
In file included from @ROOT@/exercises/03_mlp/main.cpp:12:
@ROOT@/exercises/03_mlp/mlp.h:51:25: error: unknown type name 'Net'
void copy_weights(const Net& from, torch::nn::Sequential& to);
                        ^
@ROOT@/exercises/03_mlp/main.cpp:21:11: error: use of undeclared identifier 'net'; did you mean 'new'?
  ex::Net net;
          ^~~
          new
@ROOT@/exercises/03_mlp/main.cpp:21:10: error: expected ';' after expression
  ex::Net net;
         ^
         ;
@ROOT@/exercises/03_mlp/main.cpp:21:7: error: no member named 'Net' in namespace 'exercises::mlp'
  ex::Net net;
  ~~~~^
@ROOT@/exercises/03_mlp/main.cpp:21:14: error: expected a type
  ex::Net net;
fatal error: too many errors emitted, stopping now [-ferror-limit=]
20 errors generated.
[2/6] Building CXX object exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o
FAILED: exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o 
/usr/bin/clang++ -I@ROOT@/exercises/03_mlp -isystem /usr/include/torch/csrc/api/include -O3 -std=c++17 -MD -MT exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o -MF exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o.d -o exercises/CMakeFiles/exercise_03_mlp.dir/03_mlp/mlp.cpp.o -c @ROOT@/exercises/03_mlp/mlp.cpp
In file included from @ROOT@/exercises/03_mlp/mlp.cpp:5:
@ROOT@/exercises/03_mlp/mlp.h:51:25: error: unknown type name 'Net'
void copy_weights(const Net& from, torch::nn::Sequential& to);
                        ^
@ROOT@/exercises/03_mlp/mlp.cpp:49:42: error: unknown type name 'Net'
void copy_weights([[maybe_unused]] const Net& from, [[maybe_unused]] torch::nn::Sequential& to) {
                                         ^
2 errors generated.
ninja: build stopped: subcommand failed.
)clang";

// homework.cpp: `model.parameters()` on the Mlp holder.
inline const char* kDotForArrow = R"clang(@ROOT@/homework/homework.cpp:23:34: error: no member named 'parameters' in 'homework::Mlp'; did you mean to use '->' instead of '.'?
  return torch::optim::Adam(model.parameters(), torch::optim::AdamOptions(learning_rate));
                                 ^
                                 ->
1 error generated.
)clang";

// homework.cpp: `optimizer.zero_grad;`.
inline const char* kZeroGradNotCalled = R"clang(@ROOT@/homework/homework.cpp:33:15: error: reference to non-static member function must be called; did you mean to call it with no arguments?
    optimizer.zero_grad;
    ~~~~~~~~~~^~~~~~~~~
                       ()
1 error generated.
)clang";

// training_loop.cpp: `return loss.item();` from a function returning double.
inline const char* kItemWithoutType = R"clang(@ROOT@/exercises/04_training_loop/training_loop.cpp:40:10: error: no viable conversion from returned value of type 'at::Scalar' to function return type 'double'
  return loss.item();                              // loss.item()
         ^~~~~~~~~~~
1 error generated.
)clang";

// dataloader.cpp: `const size_t size = dataset.size();`.
inline const char* kSizeIsOptional = R"clang(@ROOT@/exercises/05_dataloader/dataloader.cpp:26:16: error: no viable conversion from 'optional<size_t>' (aka 'optional<unsigned long>') to 'const size_t' (aka 'const unsigned long')
  const size_t size = dataset.size();
               ^      ~~~~~~~~~~~~~~
1 error generated.
)clang";

// tensors.cpp: `torch::zeros(rows, cols)`.
inline const char* kZerosWithoutBraces = R"clang(@ROOT@/exercises/01_tensors/tensors.cpp:15:10: error: no matching function for call to 'zeros'
  return torch::zeros(rows, cols);
         ^~~~~~~~~~~~
/usr/include/torch/csrc/autograd/generated/variable_factories.h:459:19: note: candidate function not viable: no known conversion from 'int64_t' (aka 'long') to 'c10::optional<at::DimnameList>' (aka 'optional<ArrayRef<at::Dimname>>') for 2nd argument
inline at::Tensor zeros(at::IntArrayRef size, c10::optional<at::DimnameList> names, at::TensorOptions options = {}) {
                  ^
/usr/include/torch/csrc/autograd/generated/variable_factories.h:467:19: note: candidate function not viable: no known conversion from 'int64_t' (aka 'long') to 'at::TensorOptions' for 2nd argument
inline at::Tensor zeros(at::IntArrayRef size, at::TensorOptions options = {}) {
                  ^
1 error generated.
)clang";

// mlp.cpp: `torch::nn::Sequential(first, torch::nn::ReLU, second)`.
inline const char* kReluTypeAsValue = R"clang(@ROOT@/exercises/03_mlp/mlp.cpp:35:54: error: expected '(' for function-style cast or type construction
  return torch::nn::Sequential(first, torch::nn::ReLU, second);
                                      ~~~~~~~~~~~~~~~^
1 error generated.
)clang";

// mlp.h: `torch::nn::Linear fc1(kInputs, kHidden);` in the class.
inline const char* kMemberWithParentheses = R"clang(In file included from @ROOT@/exercises/03_mlp/mlp.cpp:2:
@ROOT@/exercises/03_mlp/mlp.h:33:25: error: unknown type name 'kInputs'
  torch::nn::Linear fc1(kInputs, kHidden);
                        ^
@ROOT@/exercises/03_mlp/mlp.h:33:34: error: unknown type name 'kHidden'
  torch::nn::Linear fc1(kInputs, kHidden);
                                 ^
2 errors generated.
)clang";

}  // namespace course::testing
