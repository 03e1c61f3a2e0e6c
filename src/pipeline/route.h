// Route: how a run reached its result, with its printed names (`path` in run --json, sync --json,
// the run log and the benchmark) in one table.
#pragma once

#include <string_view>

#include "common/enum_names.h"

namespace snapdelta {

enum class Route {
  full,         // the full plan: the whole drop, the client's rows replaced
  first_run,    // incremental with no state yet: the whole drop
  checkpoint,   // resumed inflating at a proven checkpoint; only the tail parsed
  inflate_all,  // inflated from the start, the consumed bytes checked; only the tail parsed
  noop,         // the drop was already applied
  rebuilt,      // history changed: the client rebuilt from the whole drop
  offset,       // a plain CSV: its consumed bytes checked, parsed from the consumed offset
  append,       // resumed at the proven end of the last gzip member or zstd frame consumed
};

inline constexpr EnumNames<Route, 8> kRouteNames{{{
    {Route::full, "full"},
    {Route::first_run, "first-run"},
    {Route::checkpoint, "checkpoint"},
    {Route::inflate_all, "inflate-all"},
    {Route::noop, "noop"},
    {Route::rebuilt, "rebuilt"},
    {Route::offset, "offset"},
    {Route::append, "append"},
}}};

inline std::string_view to_string(Route route) { return kRouteNames.name(route); }

}  // namespace snapdelta
