#include "job/pattern_override.h"

#include <optional>
#include <string>

#include "common/error.h"
#include "job/container.h"
#include "job/drop_pattern.h"

namespace snapdelta {

void override_pattern(Job& job, std::string_view pattern) {
  if (pattern.empty()) return;
  const std::string problem = DropPattern::problem(pattern);
  if (!problem.empty()) throw Error("--pattern: " + problem);
  job.source.pattern = std::string(pattern);
  if (const std::optional<Container> c = container_from_extension(pattern))
    job.source.container = *c;
}

}  // namespace snapdelta
