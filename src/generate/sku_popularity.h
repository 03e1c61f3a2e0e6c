// Long-tail SKU popularity shared by every client: a Pareto(alpha = 1.16) split into `skus`
// equal-probability strata, the stratum of rank r (1 = most popular) weighing
// L(r/N) - L((r-1)/N) with the Pareto Lorenz share L(p) = p^(1 - 1/alpha). So the top 20% of SKUs
// carry 80% of the rows (exactly, in expectation, when N is a multiple of 5), the top 1% about 53%.
// Which SKU id holds which rank is a permutation drawn from the seed alone, so clients agree on
// popular SKUs but not on their rows.
// Contract: sample() returns an id in 1..skus; the table and the sampling use only IEEE basic
// arithmetic and integers, so results are identical across platforms and standard libraries.
#pragma once

#include <cstdint>
#include <vector>

#include "generate/rng.h"

namespace snapdelta::generate {

class SkuPopularity {
 public:
  static constexpr double kAlpha = 1.16;

  SkuPopularity(uint32_t skus, uint64_t seed);

  uint32_t sample(Rng& rng) const {
    const uint64_t x = rng.next() >> 1;  // 63 uniform bits
    uint32_t rank = guide_[x >> guide_shift_];
    while (x >= cdf_[rank]) ++rank;
    return id_of_rank_[rank];
  }

  uint32_t size() const { return static_cast<uint32_t>(id_of_rank_.size()); }
  // Probability of the SKU at 0-based popularity rank `rank`.
  double share_of_rank(uint32_t rank) const;

 private:
  void build_cdf(uint32_t skus);
  void build_guide();
  void build_ids(uint32_t skus, uint64_t seed);

  std::vector<uint64_t> cdf_;         // cdf_[r] = P(rank <= r) * 2^63, cdf_.back() = 2^63
  std::vector<uint32_t> guide_;       // first rank whose cdf exceeds the bucket's lower bound
  std::vector<uint32_t> id_of_rank_;  // SKU id (1-based) at each popularity rank
  int guide_shift_ = 63;
};

}  // namespace snapdelta::generate
