#include "common/near_miss.h"

#include <algorithm>
#include <cstddef>

namespace snapdelta {
namespace {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

size_t allowed_edits(std::string_view word) {
  const std::string_view bare = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  return bare.size() <= 4 ? 1 : bare.size() <= 8 ? 2 : 3;
}

}  // namespace

std::optional<std::string> near_miss(std::string_view word,
                                     const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = allowed_edits(word) + 1;
  for (const std::string& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d > 0 && d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best) return best;
  const std::string_view bare = word.substr(std::min(word.find_first_not_of('-'), word.size()));
  if (bare.size() < 3) return std::nullopt;
  std::optional<std::string> prefixed;
  for (const std::string& c : candidates) {
    if (c.size() > word.size() && c.compare(0, word.size(), word) == 0) {
      if (prefixed) return std::nullopt;  // ambiguous
      prefixed = c;
    }
  }
  return prefixed;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::optional<std::string> m = near_miss(word, candidates);
  return m ? " (did you mean \"" + *m + "\"?)" : "";
}

}  // namespace snapdelta
