// RunMode: how a run brought a client to its drop, as states and the run log keep it. Contract:
// the printed names are "full" and "incremental" (to_string / parse_run_mode), the words the
// command line takes and the store's `mode` columns hold.
#pragma once

#include <optional>
#include <string_view>

#include "common/enum_names.h"

namespace snapdelta {

enum class RunMode { full, incremental };

inline constexpr EnumNames<RunMode, 2> kRunModeNames{{{
    {RunMode::full, "full"},
    {RunMode::incremental, "incremental"},
}}};

inline std::string_view to_string(RunMode mode) { return kRunModeNames.name(mode); }
inline std::optional<RunMode> parse_run_mode(std::string_view text) {
  return kRunModeNames.parse(text);
}

}  // namespace snapdelta
