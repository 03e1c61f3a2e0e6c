#include "fleet_support.h"

#include <algorithm>

#include "child_harness.h"
#include "generate/generator.h"

namespace snapdelta::test {
namespace {

int pick(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

RunCounts counts_of(const std::vector<std::vector<std::string>>& cells) {
  RunCounts counts;
  for (const auto& r : cells) counts[{r[0], std::stoi(r[1])}] = std::stoi(r[2]);
  return counts;
}

const char* kCountRuns =
    "SELECT client_id, day, count(*) FROM snapdelta_runs GROUP BY client_id, day";

}  // namespace

Fleet::Fleet(const fs::path& root, const FleetShape& shape, std::mt19937_64& rng)
    : data_dir_((root / "data").string()) {
  fs::create_directories(data_dir_);
  for (int i = 1; i <= shape.clients; ++i) generate_client(root, i, shape, rng);
}

void Fleet::generate_client(const fs::path& root, int index, const FleetShape& shape,
                            std::mt19937_64& rng) {
  generate::Options o;
  o.data_dir = (root / ("gen_" + std::to_string(index))).string();
  o.clients = 1;
  o.days = pick(rng, shape.min_days, shape.max_days);
  o.base_rows = pick(rng, shape.min_base, shape.max_base);
  o.rows_per_day = pick(rng, shape.min_per_day, shape.max_per_day);
  o.skus = pick(rng, shape.min_skus, shape.max_skus);
  o.seed = rng();
  o.late_fraction = std::uniform_real_distribution<double>(0, shape.max_late)(rng);
  o.threads = 1;
  generate::run(o);
  const std::string name = "client_" + std::to_string(index);
  fs::rename(fs::path(o.data_dir) / "client_1", fs::path(data_dir_) / name);
  fs::remove_all(o.data_dir);
  clients_.push_back(name);
  days_[name] = static_cast<int>(o.days);
}

int Fleet::max_days() const {
  int m = 0;
  for (const auto& [client, days] : days_) m = std::max(m, days);
  return m;
}

std::string Fleet::drop(const std::string& client, int day) const {
  return day_path(data_dir_, client, day);
}

void Fleet::restate(const std::string& client, int from_day, size_t line) {
  for (int d = from_day; d <= days(client); ++d) {
    std::vector<std::string> lines = split_lines(read_zip_member(drop(client, d)).text);
    std::vector<std::string> f = split_csv_line(lines.at(line - 1));
    f.at(3) = std::to_string(std::stoll(f.at(3)) + 7);
    lines[line - 1] = f[0] + "," + f[1] + "," + f[2] + "," + f[3] + "," + f[4];
    write_zip_text(drop(client, d), joined_lines(lines));
  }
}

void Fleet::break_drop(const std::string& client, int day, Breakage how) {
  const std::string path = drop(client, day);
  broken_.emplace_back(path, read_file(path));
  const ZipMember m = read_zip_member(path);
  if (how == Breakage::bad_value) {
    const std::string date = split_csv_line(split_lines(m.text).at(1)).at(1);
    write_zip_text(path, m.text + "T_BAD," + date + ",SKU_00001,7x,1.00\n");
    return;
  }
  std::string deflate = m.deflate;
  deflate[deflate.size() * 3 / 4] ^= 0x5A;
  write_zip_raw(path, deflate, m.text.size(), crc_of(m.text));
}

void Fleet::repair() {
  for (const auto& [path, bytes] : broken_) write_file(path, bytes);
  broken_.clear();
}

ReferenceRows::ReferenceRows(std::string data_dir) : data_dir_(std::move(data_dir)) {}

const std::vector<RefRow>& ReferenceRows::rows(const std::string& client, int day) {
  static const std::vector<RefRow> none;
  if (day == 0) return none;
  const auto key = std::make_pair(client, day);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  return cache_[key] = reference_of_zip(day_path(data_dir_, client, day));
}

void ReferenceRows::forget(const std::string& client) {
  std::erase_if(cache_, [&](const auto& kv) { return kv.first.first == client; });
}

SyncResult parse_sync_output(int exit_code, int signal, std::string out, std::string err) {
  SyncResult s;
  s.exit_code = exit_code;
  s.signal = signal;
  s.out = std::move(out);
  s.err = std::move(err);
  for (const std::string& line : split_lines(s.out)) {
    const auto j = nlohmann::ordered_json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      s.parse_error = "not a JSON object: " + line;
    } else if (!s.summary.is_null()) {
      s.parse_error = "a line after the summary: " + line;
    } else if (j.contains("summary")) {
      s.summary = j["summary"];
    } else if (!j.contains("client") || s.clients.count(j["client"].get<std::string>())) {
      s.parse_error = "no client, or a client twice: " + line;
    } else {
      s.order.push_back(j["client"]);
      s.clients[j["client"]] = j;
    }
  }
  if (s.summary.is_null() && s.parse_error.empty()) s.parse_error = "no summary line";
  return s;
}

std::vector<std::string> sync_args(const std::string& data_dir, const std::string& db,
                                   const std::vector<std::string>& extra) {
  std::vector<std::string> args{"sync", "--json", "--data-dir", data_dir, "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

SyncResult run_sync(const std::string& data_dir, const std::string& db,
                    const std::vector<std::string>& extra, const fs::path& scratch) {
  harness::ChildResult r = harness::run(sync_args(data_dir, db, extra), scratch);
  return parse_sync_output(r.exit_code, r.signal, std::move(r.out), std::move(r.err));
}

RunCounts run_counts(const StoreKind& store) {
  if (!store.postgres()) return run_counts_sqlite(store.db());
  if (store.query("SELECT to_regclass('snapdelta_runs') IS NULL")[0][0] == "t") return {};
  return counts_of(store.query(kCountRuns));
}

RunCounts run_counts_sqlite(const std::string& db_path) {
  if (!fs::exists(db_path)) return {};
  Sqlite db(db_path);
  if (db.query("SELECT 1 FROM sqlite_master WHERE name = 'snapdelta_runs'").empty()) return {};
  return counts_of(db.query(kCountRuns));
}

std::string duplicates(const RunCounts& counts) {
  std::string out;
  for (const auto& [key, n] : counts) {
    if (n > 1) {
      out += (out.empty() ? "" : ", ") + key.first + " day " + std::to_string(key.second) + " x" +
             std::to_string(n);
    }
  }
  return out;
}

}  // namespace snapdelta::test
