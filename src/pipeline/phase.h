// Phase: the parts a run's time is reported in (`phases_ms` of run --json and sync --json, the
// benchmark's phase tables), with their printed names in one table; Phases: the time each took,
// in the order first reported. Contract: add() accumulates into a phase already present.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "common/enum_names.h"

namespace snapdelta {

enum class Phase {
  connect,          // opening the store: connecting, checking its schema and job
  state_read,       // taking the lock, reading the client's state
  read_decompress,  // a whole-file scan: reading and inflating (and checksumming) the drop
  decompress,       // a tail scan: inflating from the resume point
  prefix_check,     // proving the consumed bytes are still the drop's prefix
  parse_aggregate,  // parsing rows and adding them to groups
  db_write,         // writing the groups and the state, committing
  total,
};

inline constexpr EnumNames<Phase, 8> kPhaseNames{{{
    {Phase::connect, "connect"},
    {Phase::state_read, "state_read"},
    {Phase::read_decompress, "read_decompress"},
    {Phase::decompress, "decompress"},
    {Phase::prefix_check, "prefix_check"},
    {Phase::parse_aggregate, "parse_aggregate"},
    {Phase::db_write, "db_write"},
    {Phase::total, "total"},
}}};

inline std::string_view to_string(Phase phase) { return kPhaseNames.name(phase); }

class Phases {
 public:
  void add(Phase phase, double ms) {
    for (auto& [p, v] : list_) {
      if (p == phase) {
        v += ms;
        return;
      }
    }
    list_.emplace_back(phase, ms);
  }
  void add(const Phases& other) {
    for (const auto& [p, v] : other.list_) add(p, v);
  }
  const std::vector<std::pair<Phase, double>>& list() const { return list_; }
  auto begin() const { return list_.begin(); }
  auto end() const { return list_.end(); }

 private:
  std::vector<std::pair<Phase, double>> list_;
};

}  // namespace snapdelta
