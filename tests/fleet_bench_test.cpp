// Tests for `snapdelta bench --fleet` (src/bench/fleet_*): a tiny fleet (3 clients, 1 sample) on
// SQLite writes the fleet section of results.md, the `fleet` key of results.json with every
// contract key and exact = true, and its chart; and the same against PostgreSQL
// (SNAPDELTA_TEST_PG; without it the test fails, it never skips): the single-client runs on
// databases of their own on the server, the 1/2/4-worker fleet exact, and no database left
// behind. Also the concurrent child runner and the generator's --from-day.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bar_chart.h"
#include "bench/child_runner.h"
#include "bench/fleet_results.h"
#include "common/error.h"
#include "pg_test_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using namespace snapdelta::bench;
using nlohmann::json;

namespace {

using snapdelta::test::TempDir;

std::string slurp(const std::string& path) { return snapdelta::test::read_file(path); }

ChildResult run_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {SNAPDELTA_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_child(argv);
}

// A quick bench of 2 days with a 3-client fleet and 1 sample, into `dir`.
std::vector<std::string> quick_fleet_args(const TempDir& dir) {
  return {"bench", "--quick", "--out", dir.path(), "--day", "2", "--fleet", "--fleet-clients", "3"};
}

const json* find_case(const json& fleet, const std::string& mode, int jobs) {
  for (const auto& c : fleet["cases"]) {
    if (c["mode"] == mode && (mode == "start" || c["jobs"] == jobs)) return &c;
  }
  return nullptr;
}

void expect_summary(const json& s, size_t n) {
  ASSERT_TRUE(s.is_object()) << s.dump();
  for (const char* key : {"median", "min", "max"}) EXPECT_TRUE(s[key].is_number()) << key;
  EXPECT_EQ(s["n"], n);
}

// The `fleet` key: sizes, one entry per case with spreads, targets, exactness.
void expect_fleet_json(const json& f, const std::string& store) {
  EXPECT_EQ(f["clients"], 3);
  EXPECT_EQ(f["day"], 10);
  EXPECT_EQ(f["repeat"], 1);
  const int jobs = f["jobs"].get<int>();
  EXPECT_GE(jobs, 1);
  EXPECT_GT(f["rows_in_day_file"].get<long>(), 0);
  EXPECT_EQ(f["new_rows"].get<long>(), 3 * 500);  // 3 clients x the quick data's rows per day
  for (const char* mode : {"full", "incremental", "noop"}) {
    for (int j : {1, jobs}) {
      const json* c = find_case(f, mode, j);
      ASSERT_NE(c, nullptr) << mode << " " << j;
      expect_summary((*c)["wall_ms"], 1);
      expect_summary((*c)["peak_rss_kb"], 1);
      expect_summary((*c)["cpu_ms"], 1);
      EXPECT_EQ((*c)["clients"], 3);
      EXPECT_TRUE((*c)["clients_per_s"].is_number());
    }
  }
  EXPECT_EQ((*find_case(f, "full", 1))["rows_processed"], f["rows_in_day_file"]);
  EXPECT_EQ((*find_case(f, "noop", 1))["rows_processed"], 0);
  ASSERT_NE(find_case(f, "start", 0), nullptr);
  ASSERT_TRUE(f["targets"].is_array());
  EXPECT_GE(f["targets"].size(), 5u);
  for (const auto& t : f["targets"]) {
    EXPECT_TRUE(t["measured"].is_number()) << t.dump();
    EXPECT_TRUE(t["met"].is_boolean()) << t.dump();
    EXPECT_TRUE(t["goal"].is_string());
  }
  EXPECT_TRUE(f["exact"].get<bool>());
  EXPECT_TRUE(f["exactness"]["exact"].get<bool>());
  // Every full / incremental / no-op result but the reference, every client.
  const size_t results = jobs > 1 ? 5 : 2;
  EXPECT_EQ(f["exactness"]["clients_compared"], 3 * results);
  EXPECT_EQ(f["exactness"]["difference_count"], 0);
  EXPECT_GT(f["exactness"]["groups"].get<long>(), 0);
  (void)store;
}

void expect_fleet_markdown(const std::string& md) {
  for (const char* text : {"## Fleet: 3 clients", "**Targets**", "incremental sync vs full sync",
                           "no-op sync per client beyond process start", "peak RSS, ", "**exact**",
                           "](results_fleet.svg)", "--jobs 1 --threads 1", "### PostgreSQL"}) {
    EXPECT_NE(md.find(text), std::string::npos) << text;
  }
}

}  // namespace

TEST(FleetBench, QuickFleetWritesItsSectionJsonKeyAndChart) {
  TempDir dir;
  const ChildResult r = run_cli(quick_fleet_args(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fleet exact: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PostgreSQL: not measured (pass --db postgresql://"), std::string::npos)
      << r.out;
  const json j = json::parse(slurp(dir / "results.json"));
  ASSERT_TRUE(j["fleet"].is_object());
  expect_fleet_json(j["fleet"], "SQLite");
  EXPECT_TRUE(j["fleet"]["postgresql"].is_null());
  EXPECT_EQ(j["conditions"]["store"], "SQLite");
  const std::string md = slurp(dir / "results.md");
  expect_fleet_markdown(md);
  EXPECT_NE(md.find("PostgreSQL: not measured"), std::string::npos);
  const std::string svg = slurp(dir / "results_fleet.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  // One bar per case, the targets as ticks, each judged.
  for (const auto& c : j["fleet"]["cases"]) {
    const std::string label = c["label"].get<std::string>();
    EXPECT_NE(svg.find("data-name=\"" + label + "\""), std::string::npos) << label;
  }
  EXPECT_NE(svg.find("data-target=\"≥ 10× faster than full, --jobs "), std::string::npos);
  EXPECT_NE(svg.find("data-target=\"≤ 1 ms per client beyond process start\""), std::string::npos);
  EXPECT_NE(svg.find("data-met=\""), std::string::npos);
  // The headline carries the fleet beside the single client, naming every missed target.
  const std::string head = md.substr(0, md.find("## "));
  EXPECT_NE(head.find("**Fleet** (3 clients"), std::string::npos) << head;
  for (const auto& t : j["fleet"]["targets"]) {
    if (t["met"] == false) {
      EXPECT_NE(head.find(t["name"].get<std::string>()), std::string::npos) << t["name"];
    }
  }
  // Only days 9 and 10 of the fleet were written.
  EXPECT_TRUE(fs::exists(dir / "data-fleet-quick/client_3/transactions_day_9.zip"));
  EXPECT_FALSE(fs::exists(dir / "data-fleet-quick/client_3/transactions_day_8.zip"));
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().rfind(".snapdelta-bench-", 0), std::string::npos);

  // A second bench reuses the fleet's drops: generate finds them made with the same options.
  const ChildResult again = run_cli(quick_fleet_args(dir));
  ASSERT_EQ(again.exit_code, 0) << again.err;
}

TEST(BarChart, BarsWhiskersAndTargetsStayClearOfTheLegend) {
  BarChart c;
  c.title = "t <&>";
  c.unit = "ms";
  c.bars.push_back({"fast", "#000", {10, 8, 12, 3}, {{20, "≤ 20", true}}});
  c.bars.push_back({"slow", "#000", {50, 40, 70, 3}, {{30, "≤ 30", false}}});
  c.bars.push_back({"none", "#000", {}, {}});
  const std::string svg = render_bar_panels({c, BarChart{}});
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("t &lt;&amp;&gt;"), std::string::npos);
  EXPECT_NE(svg.find("data-target=\"≤ 20\" data-met=\"yes\""), std::string::npos);
  EXPECT_NE(svg.find("data-target=\"≤ 30\" data-met=\"no\""), std::string::npos);
  EXPECT_NE(svg.find("not measured"), std::string::npos);
  // The legend's band ends above the first bar's row.
  const size_t legend = svg.find("class=\"legend\"");
  const size_t first_bar = svg.find("data-name=\"fast\"");
  ASSERT_NE(legend, std::string::npos);
  ASSERT_NE(first_bar, std::string::npos);
  auto y_after = [&](size_t from) {
    const size_t at = svg.find(" y=\"", from) + 4;
    return std::stod(svg.substr(at, svg.find('"', at) - at));
  };
  EXPECT_LT(y_after(svg.find("<text", legend)), y_after(svg.find("<rect", first_bar)));
}

TEST(FleetBench, WithoutFleetTheKeyIsNull) {
  TempDir dir;
  const ChildResult r = run_cli({"bench", "--quick", "--out", dir.path(), "--day", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(slurp(dir / "results.json"))["fleet"].is_null());
  EXPECT_EQ(slurp(dir / "results.md").find("## Fleet"), std::string::npos);
}

TEST(FleetBench, ADbThatIsNotAServerIsAOneLineError) {
  TempDir dir;
  const ChildResult r =
      run_cli({"bench", "--quick", "--out", dir.path(), "--db", dir / "x.db", "--fleet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db: expected a postgresql:// URI"), std::string::npos) << r.err;
}

TEST(FleetBench, PostgresSingleClientAndWorkersAreExactAndLeaveNoDatabase) {
  const std::string server = test::test_pg_server();  // throws (fails) without a server
  TempDir dir;
  std::vector<std::string> args = quick_fleet_args(dir);
  args.insert(args.end(), {"--db", server});
  const ChildResult r = run_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(slurp(dir / "results.json"));
  EXPECT_TRUE(j["exact"].get<bool>());
  EXPECT_EQ(j["conditions"]["store"], redact_uri(server));
  EXPECT_EQ(j["days"].size(), 2u);
  const json& f = j["fleet"];
  expect_fleet_json(f, "PostgreSQL");
  const json& pg = f["postgresql"];
  ASSERT_TRUE(pg.is_object());
  ASSERT_EQ(pg["workers"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const json& w = pg["workers"][i];
    EXPECT_EQ(w["workers"], std::vector<int>({1, 2, 4})[i]);
    EXPECT_TRUE(w["exact"].get<bool>()) << w.dump();
    EXPECT_EQ(w["exactness"]["clients_compared"], 3);
    EXPECT_TRUE(w["clients_per_s"].is_number());
    EXPECT_TRUE(w["rows_per_s"].is_number());
  }
  for (const char* phase : {"read_decompress", "parse_aggregate", "db_write", "total"})
    EXPECT_TRUE(pg["phases_ms_per_client"][phase].is_object()) << phase;
  EXPECT_TRUE(pg["write_share"].is_number());
  const std::string md = slurp(dir / "results.md");
  EXPECT_NE(md.find("Where a client's time goes"), std::string::npos);
  // Every database the bench made on the server is gone. Bench databases are named
  // sdbench_<pid>_<name>: those of a bench still running (another test's, in parallel) are its own.
  test::PgRaw raw(server);
  for (const auto& row :
       raw.query("SELECT datname FROM pg_database WHERE datname LIKE 'sdbench\\_%' ORDER BY 1")) {
    const std::string& name = row.at(0);
    const std::string pid = name.substr(8, name.find('_', 8) - 8);
    EXPECT_TRUE(fs::exists("/proc/" + pid)) << "left on the server by a finished bench: " << name;
  }
}

// A child that leaves its marker file, waits for the other's, then runs `rest`. Run one after the
// other, the first would wait out its guard (60 s) and fail with "alone" instead.
std::vector<std::string> meet(const TempDir& dir, const std::string& me, const std::string& other,
                              const std::string& rest) {
  const std::string mine = "'" + dir / me + "'", theirs = "'" + dir / other + "'";
  return {"/bin/sh", "-c",
          "touch " + mine + "; i=0; while [ ! -e " + theirs +
              " ] && [ $i -lt 600 ]; do sleep 0.1; " + "i=$((i+1)); done; [ -e " + theirs +
              " ] || { echo alone >&2; exit 9; }; " + rest};
}

TEST(ChildRunner, RunsChildrenAtOnceEachMeasured) {
  TempDir dir;
  const std::vector<ChildResult> rs =
      run_children({meet(dir, "a", "b", "sleep 0.3; echo a"),
                    meet(dir, "b", "a", "sleep 0.3; echo b >&2; exit 3")});
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].out, "a\n");
  EXPECT_EQ(rs[0].exit_code, 0) << rs[0].err;  // each saw the other's marker: both ran at once
  EXPECT_EQ(rs[1].err, "b\n");
  EXPECT_EQ(rs[1].exit_code, 3);
  EXPECT_GE(rs[0].wall_ms, 290);  // measured to its end, past its 0.3 s sleep
  EXPECT_THROW(run_children({{"/nonexistent/program"}}), Error);
}

TEST(GenerateFromDay, WritesOnlyTheLaterDaysWithTheSameBytes) {
  TempDir dir;
  const std::vector<std::string> common = {"--clients",   "1",   "--days",         "4",
                                           "--base-rows", "300", "--rows-per-day", "30",
                                           "--skus",      "20"};
  std::vector<std::string> all = {"generate", "--data-dir", dir / "all"};
  all.insert(all.end(), common.begin(), common.end());
  std::vector<std::string> late = {"generate", "--data-dir", dir / "late", "--from-day", "3"};
  late.insert(late.end(), common.begin(), common.end());
  ASSERT_EQ(run_cli(all).exit_code, 0);
  const ChildResult r = run_cli(late);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("files of days 3-4"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "late/client_1/transactions_day_2.zip"));
  for (int d : {3, 4}) {
    const std::string name = "client_1/transactions_day_" + std::to_string(d) + ".zip";
    EXPECT_EQ(slurp(dir / ("late/" + name)), slurp(dir / ("all/" + name))) << name;
  }
  // Again: nothing to write; --from-day past --days is refused.
  EXPECT_NE(run_cli(late).out.find("nothing written"), std::string::npos);
  std::vector<std::string> bad = late;
  bad[4] = "5";
  const ChildResult refused = run_cli(bad);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--from-day"), std::string::npos) << refused.err;
}
