#include "bench/fleet_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "bench/bench_plan.h"
#include "common/error.h"

namespace snapdelta::bench {

FleetPlan make_fleet_plan(const FleetOptions& o, bool quick, const std::string& out,
                          int bench_repeat, int usable_cores) {
  FleetPlan p;
  if (!o.enabled) return p;
  p.enabled = true;
  p.clients = o.clients > 0 ? o.clients : quick ? kQuickFleetClients : kFleetClients;
  if (p.clients > 100000)
    fail("--fleet-clients", fmt::format("expected 1-100000, found {}", p.clients));
  p.repeat = o.repeat > 0 ? o.repeat : bench_repeat;
  p.jobs = std::max(1, usable_cores);
  p.base_rows = quick ? kQuickBaseRows : kFleetBaseRows;
  p.rows_per_day = quick ? kQuickRowsPerDay : kFleetRowsPerDay;
  p.skus = quick ? kQuickSkus : kFleetSkus;
  p.data_dir = !o.data_dir.empty() ? o.data_dir
               : quick             ? (std::filesystem::path(out) / "data-fleet-quick").string()
                                   : std::string("data-fleet");
  p.generate_args = {"generate",
                     "--data-dir",
                     p.data_dir,
                     "--clients",
                     std::to_string(p.clients),
                     "--days",
                     std::to_string(p.day),
                     "--from-day",
                     std::to_string(p.day - 1),
                     "--base-rows",
                     std::to_string(p.base_rows),
                     "--rows-per-day",
                     std::to_string(p.rows_per_day),
                     "--skus",
                     std::to_string(p.skus),
                     "--seed",
                     quick ? "7" : "42"};
  for (int c = 1; c <= p.clients; ++c) p.client_names.push_back(fmt::format("client_{}", c));
  return p;
}

}  // namespace snapdelta::bench
