// ContainerReport: the containers' part of results.md, results.json and the bench's stdout
// summary (`snapdelta bench --container`).
// Contract: containers_markdown() is the "## Containers" section: what was run, one row per
// container (file size, full and incremental wall medians with min–max and n, CPU, peak RSS,
// full / incremental, the route, exact), then the targets with their measured ratios and
// met/missed, and any difference found. containers_json() is results.json's "containers"
// object: {client, day, repeat, rows_in_file, new_rows, elapsed_ms, basis, results [{container,
// file, file_bytes, route, paths[], full, incremental ({wall_ms, cpu_ms, peak_rss_kb} each
// {median,min,max,n}), speedup, exact, difference_count, differences[]}], targets [{name, goal,
// measured, unit, threshold, met, basis}], missed [names], exact}; null where not measured.
// containers_summary() is a few stdout lines. All are pure functions of the results.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "bench/container_results.h"

namespace snapdelta::bench {

std::string containers_markdown(const ContainerResults& results);
nlohmann::ordered_json containers_json(const ContainerResults& results);
std::string containers_summary(const ContainerResults& results);

}  // namespace snapdelta::bench
