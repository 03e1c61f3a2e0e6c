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
  if (o.shape != "default" && o.shape != "small")
    fail("--fleet-shape", fmt::format("expected default or small, found {}", o.shape));
  p.shape = o.shape;
  const bool small = o.shape == "small";
  p.clients = o.clients > 0 ? o.clients
              : quick       ? kQuickFleetClients
              : small       ? kSmallFleetClients
                            : kFleetClients;
  if (p.clients > 100000)
    fail("--fleet-clients", fmt::format("expected 1-100000, found {}", p.clients));
  p.repeat = o.repeat > 0 ? o.repeat : bench_repeat;
  p.jobs = std::max(1, usable_cores);
  p.base_rows = quick ? kQuickBaseRows : small ? kSmallFleetBaseRows : kFleetBaseRows;
  p.rows_per_day = quick ? kQuickRowsPerDay : small ? kSmallFleetRowsPerDay : kFleetRowsPerDay;
  p.skus = quick ? kQuickSkus : small ? kSmallFleetSkus : kFleetSkus;
  const std::string dir_name = small ? "data-fleet-small" : "data-fleet";
  p.data_dir = !o.data_dir.empty() ? o.data_dir
               : quick             ? (std::filesystem::path(out) / (dir_name + "-quick")).string()
                                   : dir_name;
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
