// DropCatalog: where a data directory keeps its drops, and what it holds.
// Contract: a client's drop for day K is <data_dir>/<client>/transactions_day_<K>.zip (K >= 1,
// written without leading zeros); every command finds drops through drop_path() or
// require_drop(), so they agree. A client is a folder of data_dir holding at least one drop (a
// regular file, or a link to one). Listings never throw for a missing directory (they are empty);
// a directory that exists but cannot be read is an Error. Clients are sorted in natural order
// (client_2 before client_10), days ascending. require_drop() returns the drop's path when it
// exists and otherwise throws snapdelta::Error with one line that names the absolute directory
// it looked in, lists what does exist there and hints at --data-dir / `snapdelta generate`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace snapdelta::drops {

// "transactions_day_<K>.zip"
std::string drop_name(int day);
// The day a file name stands for, or nullopt when it is not a drop's name.
std::optional<int> day_of(const std::string& file_name);
// <data_dir>/<client>/transactions_day_<K>.zip, as given (relative stays relative).
std::string drop_path(const std::string& data_dir, const std::string& client, int day);

std::vector<std::string> clients(const std::string& data_dir);
// Every folder of data_dir, drops or not yet (a client folder may be created before its first
// drop), in the same natural order.
std::vector<std::string> folders(const std::string& data_dir);
std::vector<int> days(const std::string& data_dir, const std::string& client);
// The client's newest day, or the newest at or before `at_most`; nullopt when there is none.
std::optional<int> newest_day(const std::string& data_dir, const std::string& client,
                              std::optional<int> at_most = std::nullopt);

// The drop's path (as drop_path()), or an Error explaining what is missing.
std::string require_drop(const std::string& data_dir, const std::string& client, int day);

// `dir` made absolute and normal, without a trailing slash: how messages name a directory.
std::string absolute_dir(const std::string& dir);

// "1-3, 5, 7-9": sorted days with consecutive runs joined.
std::string describe_days(const std::vector<int>& days);

}  // namespace snapdelta::drops
