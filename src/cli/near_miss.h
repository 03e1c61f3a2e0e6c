// near_miss for the command line: the hints live in common (the job file uses them too); this
// header keeps the command line's spelling, snapdelta::cli::near_miss and did_you_mean.
#pragma once

#include "common/near_miss.h"

namespace snapdelta::cli {

using snapdelta::did_you_mean;
using snapdelta::near_miss;

}  // namespace snapdelta::cli
