#include "generate/existing_drops.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "generate/client_history.h"
#include "source/drop_catalog.h"

namespace snapdelta::generate {
namespace {

namespace fs = std::filesystem;

std::string client_name(int64_t c) { return fmt::format("client_{}", c); }

std::string drop_file(const std::string& data_dir, int64_t c, int64_t day, std::string_view ext) {
  return (fs::path(data_dir) / client_name(c) / day_file_name(static_cast<uint32_t>(day), ext))
      .string();
}

// Whether client c's folder holds a file named as a drop of the container, any day.
bool holds_drops(const Options& o, int64_t c) {
  if (o.container == Container::zip) return !drops::days(o.data_dir, client_name(c)).empty();
  const std::string suffix = "." + std::string(drop_extension(o.container));
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(o.data_dir) / client_name(c), ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with("transactions_day_") && name.ends_with(suffix)) return true;
  }
  return false;
}

bool all_present(const Options& o) {
  std::error_code ec;
  for (int64_t c = 1; c <= o.clients; ++c) {
    for (int64_t d = o.from_day; d <= o.days; ++d) {
      if (!fs::is_regular_file(drop_file(o.data_dir, c, d, drop_extension(o.container)), ec)) {
        return false;
      }
    }
  }
  return true;
}

// The drops `was` recorded that a run with `now` does not rewrite (all of them when the file
// names differ).
std::vector<std::string> stale_drops(const Options& o, const Manifest& was) {
  std::vector<std::string> out;
  std::error_code ec;
  const std::string_view old_ext =
      drop_extension(parse_container(was.container).value_or(Container::zip));
  const bool same_names = old_ext == drop_extension(o.container);
  for (int64_t c = 1; c <= was.clients; ++c) {
    for (int64_t d = 1; d <= was.days; ++d) {
      if (same_names && c <= o.clients && d <= o.days) continue;
      const std::string p = drop_file(o.data_dir, c, d, old_ext);
      if (fs::is_regular_file(p, ec)) out.push_back(p);
    }
  }
  return out;
}

// Clients among those to write that already hold drops.
std::vector<std::string> clients_with_drops(const Options& o) {
  std::vector<std::string> out;
  for (int64_t c = 1; c <= o.clients; ++c) {
    if (holds_drops(o, c)) out.push_back(client_name(c));
  }
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < 5; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 5) out += fmt::format(" and {} more", names.size() - 5);
  return out;
}

ExistingPlan over_manifest(const Options& o, const Manifest& was) {
  ExistingPlan plan;
  plan.record = manifest_of(o);
  const std::vector<std::string> diffs = history_differences(was, plan.record);
  if (diffs.empty()) {
    plan.record.clients = std::max(was.clients, o.clients);
    plan.record.days = std::max(was.days, o.days);
    plan.up_to_date = all_present(o);
    return plan;
  }
  if (o.overwrite != Overwrite::force) {
    fail(drops::absolute_dir(o.data_dir),
         fmt::format("expected the options its drops were generated with, found {} (pass "
                     "--force to overwrite them)",
                     listed(diffs)));
  }
  plan.stale = stale_drops(o, was);
  std::error_code ec;
  fs::remove(manifest_path(o.data_dir), ec);
  if (ec) fail(manifest_path(o.data_dir), "cannot remove the manifest: " + ec.message());
  return plan;
}

}  // namespace

ExistingPlan plan_over_existing(const Options& o) {
  if (const std::optional<Manifest> was = read_manifest(o.data_dir)) return over_manifest(o, *was);
  const std::vector<std::string> occupied = clients_with_drops(o);
  if (!occupied.empty() && o.overwrite != Overwrite::force) {
    fail(drops::absolute_dir(o.data_dir),
         fmt::format("expected no drops without a {} recording their options, found drops of "
                     "{} (pass --force to overwrite them)",
                     kManifestName, listed(occupied)));
  }
  ExistingPlan plan;
  plan.record = manifest_of(o);
  return plan;
}

}  // namespace snapdelta::generate
