// What `generate` may do with the drops already in its data directory.
// Contract: plan_over_existing() reads the manifest (manifest.h) and decides:
// - manifest with other history options (seed, rows, SKUs, start date, late fraction): an Error,
//   one line naming the absolute data directory and each differing option, unless
//   Overwrite::force; forcing removes the manifest first (a forced run cut short leaves drops of
//   unknown options, which the next run refuses too) and, once done, the old drops the new
//   options do not rewrite (stale history);
// - no manifest but drops of the clients to write: an Error unless Overwrite::force (their
//   options are unknown);
// - same history options and every requested drop present (days from_day..days of each client):
//   up_to_date, nothing to write;
// - otherwise: generate. More clients or days over the same options only add drops; the files
//   already there are rewritten byte for byte the same.
// `record` is the manifest to write after a successful run.
#pragma once

#include <string>
#include <vector>

#include "generate/generator.h"
#include "generate/manifest.h"

namespace snapdelta::generate {

struct ExistingPlan {
  bool up_to_date = false;
  Manifest record;
  std::vector<std::string> stale;  // drops to remove after a forced run
};

ExistingPlan plan_over_existing(const Options& options);

}  // namespace snapdelta::generate
