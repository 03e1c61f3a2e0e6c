// --pattern: the drops named otherwise than the job's [source] says.
// Contract: override_pattern() makes `pattern` the job's own source pattern, with the container
// its extension implies (the job's container when the extension implies none), so everything that
// sees the job afterwards — the drops found, the definition a database stores and compares — sees
// the pattern in effect. "" leaves the job as it is. A pattern that is not one is an Error:
// `--pattern: expected ..., found ...`.
#pragma once

#include <string_view>

#include "job/job.h"

namespace snapdelta {

void override_pattern(Job& job, std::string_view pattern);

}  // namespace snapdelta
