// How the reports write their numbers. Contract: r3() rounds to 3 decimals (JSON figures: ms to
// the microsecond is plenty); ms() writes milliseconds with 0, 1 or 2 decimals for values of at
// least 100, at least 10, and below.
#pragma once

#include <string>

namespace snapdelta::bench {

double r3(double v);
std::string ms(double v);

}  // namespace snapdelta::bench
