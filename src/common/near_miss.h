// near_miss: the word a user most likely meant, for "did you mean ...?" hints.
// Contract: returns the candidate closest to `word` by edit distance (insert, delete, substitute,
// or swap two neighbouring characters), if it is close enough to be a typo: at most 1 edit for
// words of up to 4 characters, 2 up to 8, 3 beyond; failing that, the one candidate `word` is a
// prefix of (at least 3 characters). Ties go to the earlier candidate. nullopt otherwise, and
// never `word` itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snapdelta {

std::optional<std::string> near_miss(std::string_view word,
                                     const std::vector<std::string>& candidates);

// " (did you mean \"X\"?)" for a near miss, "" otherwise.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace snapdelta
