#include "fused_adam.h"

#include "adam_pass.h"

#include <cmath>
#include <sstream>
#include <string>
#include <type_traits>

namespace bench {
namespace {

// The key of a parameter in Optimizer::state_: its TensorImpl's address, as a string in
// LibTorch 1.x and as the pointer itself in 2.x.
template <typename Map>
typename Map::key_type state_key(const Map&, const torch::Tensor& parameter) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream key;  // what c10::guts::to_string wrote
    key << parameter.unsafeGetTensorImpl();
    return key.str();
  } else {
    return static_cast<typename Map::key_type>(parameter.unsafeGetTensorImpl());
  }
}

bool takes_fused_path(const torch::Tensor& p, const torch::Tensor& g,
                      const torch::optim::AdamParamState& state) {
  auto fits = [&](const torch::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat && t.is_contiguous() &&
           t.numel() == p.numel();
  };
  return fits(p) && fits(g) && fits(state.exp_avg()) && fits(state.exp_avg_sq());
}

}  // namespace

torch::Tensor FusedAdam::step(LossClosure closure) {
  torch::NoGradGuard no_grad;
  torch::Tensor loss;
  if (closure) {
    torch::AutoGradMode enable_grad(true);
    loss = closure();
  }
  for (auto& group : param_groups_) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      const torch::Tensor& grad = p.grad();
      auto key = state_key(state_, p);
      auto found = state_.find(key);
      if (found == state_.end()) {  // first step: zero moments, as torch::optim::Adam makes them
        auto state = std::make_unique<torch::optim::AdamParamState>();
        state->step(0);
        state->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        if (options.amsgrad()) {
          state->max_exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        }
        found = state_.emplace(key, std::move(state)).first;
      }
      auto& state = static_cast<torch::optim::AdamParamState&>(*found->second);
      state.step(state.step() + 1);
      const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(state.step()));
      const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(state.step()));
      const double step_size = options.lr() / bias_correction1;

      if (!options.amsgrad() && options.weight_decay() == 0 && takes_fused_path(p, grad, state)) {
        float* parameter = p.data_ptr<float>();
        const float* gradient = grad.data_ptr<float>();
        float* exp_avg = state.exp_avg().data_ptr<float>();
        float* exp_avg_sq = state.exp_avg_sq().data_ptr<float>();
        const float inverse_sqrt_bias2 = static_cast<float>(1.0 / std::sqrt(bias_correction2));
        at::parallel_for(0, p.numel(), 32768, [&](int64_t begin, int64_t end) {
          adam_pass(parameter, gradient, exp_avg, exp_avg_sq, begin, end,
                    static_cast<float>(beta1), static_cast<float>(beta2),
                    static_cast<float>(step_size), inverse_sqrt_bias2,
                    static_cast<float>(options.eps()));
        });
        continue;
      }
      // The reference: the tensor operations of torch::optim::Adam::step.
      torch::Tensor g = grad;
      if (options.weight_decay() != 0) g = g.add(p, options.weight_decay());
      state.exp_avg().mul_(beta1).add_(g, 1 - beta1);
      state.exp_avg_sq().mul_(beta2).addcmul_(g, g, 1 - beta2);
      torch::Tensor denom;
      if (options.amsgrad()) {
        torch::max_out(state.max_exp_avg_sq(), state.exp_avg_sq(), state.max_exp_avg_sq());
        denom = (state.max_exp_avg_sq().sqrt() / std::sqrt(bias_correction2)).add_(options.eps());
      } else {
        denom = (state.exp_avg_sq().sqrt() / std::sqrt(bias_correction2)).add_(options.eps());
      }
      p.addcdiv_(state.exp_avg(), denom, -step_size);
    }
  }
  return loss;
}

}  // namespace bench
