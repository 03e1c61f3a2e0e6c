#include "bench/container_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "bench/bench_plan.h"
#include "common/error.h"
#include "generate/container.h"

namespace snapdelta::bench {
namespace {

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> names;
  std::istringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

std::string known_names() {
  std::string out;
  for (const auto& n : generate::container_options()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The named containers plus zip, in the generator's order, each once.
std::vector<std::string> resolve(const std::string& list) {
  const std::vector<std::string> all = generate::container_options();
  if (list == "all") return all;
  std::vector<std::string> named = split(list);
  for (const auto& n : named) {
    if (!generate::parse_container(n)) {
      fail("--container", fmt::format("expected a comma list of {} (or all), found {}",
                                      known_names(), quote_found(n)));
    }
  }
  named.push_back("zip");
  std::vector<std::string> out;
  for (const auto& n : all) {
    if (std::find(named.begin(), named.end(), n) != named.end()) out.push_back(n);
  }
  return out;
}

}  // namespace

std::vector<std::string> ContainerPlan::generate_args(const std::string& container,
                                                      const std::string& data_dir) const {
  return {"generate",
          "--data-dir",
          data_dir,
          "--clients",
          "1",
          "--days",
          std::to_string(day),
          "--from-day",
          std::to_string(day - 1),
          "--base-rows",
          std::to_string(base_rows),
          "--rows-per-day",
          std::to_string(rows_per_day),
          "--skus",
          std::to_string(skus),
          "--seed",
          seed,
          "--container",
          container};
}

ContainerPlan make_container_plan(const std::string& list, bool quick, int day) {
  ContainerPlan p;
  if (list.empty()) return p;
  if (day < 2) {
    fail("--container",
         fmt::format("expected --day 2 or more (an incremental run needs the day before), found "
                     "--day {}",
                     day));
  }
  p.enabled = true;
  p.containers = resolve(list);
  p.day = day;
  p.base_rows = quick ? kQuickBaseRows : kSeedBaseRows;
  p.rows_per_day = quick ? kQuickRowsPerDay : kSeedRowsPerDay;
  p.skus = quick ? kQuickSkus : kSeedSkus;
  p.seed = quick ? "7" : "42";
  return p;
}

std::string container_pattern(const std::string& container) {
  const auto c = generate::parse_container(container);
  if (!c) fail("--container", "expected a known container, found " + quote_found(container));
  return fmt::format("{{client}}/transactions_day_{{day}}.{}", generate::drop_extension(*c));
}

}  // namespace snapdelta::bench
