// DropCatalog: where a data directory keeps its drops, and what it holds.
// Contract: a client's drop for day K is <data_dir>/ the job's pattern (job/drop_pattern.h)
// formatted for (client, K); the default pattern, {client}/transactions_day_{day}.zip, gives
// <data_dir>/<client>/transactions_day_<K>.zip (K >= 1, written without leading zeros). Every
// command finds drops through drop_path() or require_drop() with the same pattern, so they agree;
// a file is a drop only when the pattern matches its path exactly (DropPattern::match). A
// pattern's folder part, below {client}, is the one its day-1 drop sits in. A client is a folder of
// data_dir holding at least one drop (a regular file, or a link to one). Listings never throw for a
// missing directory (they are empty); a directory that exists but cannot be read is an Error.
// Clients are sorted in natural order (client_2 before client_10), days ascending. require_drop()
// returns the drop's path when it exists and otherwise throws snapdelta::Error with one line that
// names the absolute directory it looked in, lists what does exist there (days, or dates for a
// {date:...} pattern) and hints at --data-dir / `snapdelta generate`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "job/drop_pattern.h"

namespace snapdelta::drops {

inline constexpr std::string_view kDefaultPattern = "{client}/transactions_day_{day}.zip";

// The compiled default pattern.
const DropPattern& default_pattern();
// `text` compiled, or the default pattern for ""; an Error saying what is wrong otherwise.
DropPattern pattern_or_default(std::string_view text);

// "transactions_day_<K>.zip"
std::string drop_name(int day);
// The day a file name stands for, or nullopt when it is not a drop's name.
std::optional<int> day_of(const std::string& file_name);
// <data_dir>/<client>/transactions_day_<K>.zip, as given (relative stays relative).
std::string drop_path(const std::string& data_dir, const std::string& client, int day,
                      const DropPattern& pattern = default_pattern());

std::vector<std::string> clients(const std::string& data_dir,
                                 const DropPattern& pattern = default_pattern());
// Every folder of data_dir, drops or not yet (a client folder may be created before its first
// drop), in the same natural order.
std::vector<std::string> folders(const std::string& data_dir);
std::vector<int> days(const std::string& data_dir, const std::string& client,
                      const DropPattern& pattern = default_pattern());
// The client's newest day, or the newest at or before `at_most`; nullopt when there is none.
std::optional<int> newest_day(const std::string& data_dir, const std::string& client,
                              std::optional<int> at_most = std::nullopt,
                              const DropPattern& pattern = default_pattern());

// One listing of a folder of data_dir: the days of its drops (as days()) and its files that look
// like drops but do not match the pattern (as ignored(), sorted).
struct FolderDrops {
  std::string name;
  std::vector<int> days;
  std::vector<std::string> ignored;
};
// Every folder of data_dir (as folders()), each listed once: what clients(), days() and ignored()
// would say together, for a command that needs them all.
std::vector<FolderDrops> survey(const std::string& data_dir,
                                const DropPattern& pattern = default_pattern());

// The files of every client folder that look like drops but do not match `pattern` (a leading
// zero, other letter case, another extension), one line each with the reason
// (DropPattern::why_not), clients in natural order, files sorted; such files are never read.
std::vector<std::string> ignored(const std::string& data_dir,
                                 const DropPattern& pattern = default_pattern());

// The drop's path (as drop_path()), or an Error explaining what is missing.
std::string require_drop(const std::string& data_dir, const std::string& client, int day,
                         const DropPattern& pattern = default_pattern());

// `dir` made absolute and normal, without a trailing slash: how messages name a directory.
std::string absolute_dir(const std::string& dir);

// "1-3, 5, 7-9": sorted days with consecutive runs joined.
std::string describe_days(const std::vector<int>& days);
// The same in `pattern`'s terms: days for {day}; dates for {date:...}, runs joined as
// "2025-11-03 to 2025-11-06".
std::string describe_keys(const std::vector<int>& days, const DropPattern& pattern);

}  // namespace snapdelta::drops
