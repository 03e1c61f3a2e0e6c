#include "generate/sku_popularity.h"

#include <cmath>

namespace snapdelta::generate {
namespace {

constexpr double kLn2 = 0.693147180559945309417232121458176568;
constexpr double kTwo63 = 9223372036854775808.0;

// Natural log of x > 0 from basic arithmetic only (frexp is exact): ln x = e ln 2 + 2 atanh(t).
double portable_log(double x) {
  int e = 0;
  const double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  const double t = (m - 1) / (m + 1);  // |t| <= 1/3
  const double t2 = t * t;
  double term = t, sum = 0;
  for (int k = 1; k < 80; k += 2) {
    sum += term / k;
    term *= t2;
  }
  return e * kLn2 + 2 * sum;
}

// e^y from basic arithmetic only: y = k ln 2 + r, r in [0, ln 2), Taylor series for e^r.
double portable_exp(double y) {
  const double k = std::floor(y / kLn2);
  const double r = y - k * kLn2;
  double term = 1, sum = 1;
  for (int n = 1; n < 30; ++n) {
    term *= r / n;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

// Lorenz share of the top fraction p of a Pareto(alpha) population.
double lorenz_share(double p) {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  return portable_exp((1 - 1 / SkuPopularity::kAlpha) * portable_log(p));
}

}  // namespace

SkuPopularity::SkuPopularity(uint32_t skus, uint64_t seed) {
  build_cdf(skus);
  build_guide();
  build_ids(skus, seed);
}

void SkuPopularity::build_cdf(uint32_t skus) {
  cdf_.resize(skus);
  for (uint32_t r = 0; r + 1 < skus; ++r) {
    cdf_[r] = static_cast<uint64_t>(lorenz_share(static_cast<double>(r + 1) / skus) * kTwo63);
    if (r > 0 && cdf_[r] < cdf_[r - 1]) cdf_[r] = cdf_[r - 1];  // keep it monotone
  }
  cdf_[skus - 1] = uint64_t{1} << 63;
}

void SkuPopularity::build_guide() {
  int bits = 1;
  while ((uint64_t{1} << bits) < cdf_.size() && bits < 24) ++bits;
  guide_shift_ = 63 - bits;
  guide_.resize(size_t{1} << bits);
  uint32_t rank = 0;
  for (size_t j = 0; j < guide_.size(); ++j) {
    const uint64_t low = static_cast<uint64_t>(j) << guide_shift_;
    while (cdf_[rank] <= low) ++rank;
    guide_[j] = rank;
  }
}

void SkuPopularity::build_ids(uint32_t skus, uint64_t seed) {
  id_of_rank_.resize(skus);
  for (uint32_t i = 0; i < skus; ++i) id_of_rank_[i] = i + 1;
  Rng rng = Rng::for_stream(seed, /*domain=*/0x534B55, /*index=*/0);
  for (uint32_t i = skus - 1; i > 0; --i) {
    const auto j = static_cast<uint32_t>(rng.below(uint64_t{i} + 1));
    std::swap(id_of_rank_[i], id_of_rank_[j]);
  }
}

double SkuPopularity::share_of_rank(uint32_t rank) const {
  const uint64_t low = rank == 0 ? 0 : cdf_[rank - 1];
  return static_cast<double>(cdf_[rank] - low) / kTwo63;
}

}  // namespace snapdelta::generate
