// The containers `generate --container` writes a client's drops in, and their file names.
// Contract: every container holds the same CSV bytes for the same day. zip: one deflated entry
// (today's drops). gzip: the whole CSV as one gzip member, recompressed each day. gzip_append:
// the day before's bytes plus one member of the new rows. csv: the plain CSV. zstd: the whole CSV
// as one frame. zstd_append: the day before's bytes plus one frame of the new rows. The file of
// day K is transactions_day_<K>.<extension>: .zip, .csv.gz, .csv, .csv.zst.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snapdelta::generate {

enum class Container { zip, gzip, gzip_append, csv, zstd, zstd_append };

// "zip", "gzip", "gzip-append", "csv", "zstd", "zstd-append": the --container spellings.
std::string_view container_option(Container container);
std::optional<Container> parse_container(std::string_view option);
std::vector<std::string> container_options();

// "zip", "csv.gz", "csv", "csv.zst".
std::string_view drop_extension(Container container);

}  // namespace snapdelta::generate
