// FleetReport: the fleet's part of results.md, results.json and the bench's stdout summary, and
// its chart (results_fleet.svg / .png).
// Contract: fleet_markdown() is the "## Fleet" section: what was run, the terms, one row per case
// with every median's min–max and n beside it, clients/s and rows/s, the targets with the
// measured ratios and whether each is met, exactness, the chart, and PostgreSQL (its workers,
// exactness and where a client's time goes) — or, without a server, one line saying how to get
// it. fleet_json() is results.json's "fleet" object (keys in json_report.h; null where not
// measured). render_fleet_figure() (bar_chart.h): one bar per case with its min–max whisker —
// wall time, each wall-time target drawn as the time it allows (incremental ≤ full / 10, --jobs
// <cores> ≤ --jobs 1 / 1.7 or / 1.5, no-op ≤ `--version` + 1 ms per client) — then peak RSS per
// case against 16 MiB + 32 MiB per job, then PostgreSQL's wall time by workers when it ran.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/fleet_results.h"
#include "bench/markdown_report.h"

namespace snapdelta::bench {

inline constexpr const char* kFleetChartFile = "results_fleet.svg";
inline constexpr const char* kFleetChartPng = "results_fleet.png";
// Said when the bench ran without a PostgreSQL server.
inline constexpr const char* kPostgresHint =
    "PostgreSQL: not measured (pass --db postgresql://user@host/db, a role that may create "
    "databases; scripts/pg-server.sh start DIR starts a throw-away server)";

std::string fleet_markdown(const FleetResults& fleet, const ChartFiles& chart);
nlohmann::ordered_json fleet_json(const FleetResults& fleet);
std::string fleet_summary(const FleetResults& fleet);
std::string render_fleet_figure(const FleetResults& fleet);

}  // namespace snapdelta::bench
