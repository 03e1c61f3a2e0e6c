#include "job/column_type.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"
#include "common/near_miss.h"
#include "job/date_format.h"

namespace snapdelta {
namespace {

constexpr const char* kExpected =
    "expected a column type (date, date:FORMAT, string, int or decimal(S))";

ParsedColumnType not_a_type(std::string_view text) {
  const std::string hint = did_you_mean(text, {"date", "string", "int", "decimal"});
  return {{}, fmt::format("{}, found {}{}", kExpected, quote_whole(text), hint)};
}

ParsedColumnType decimal_type(std::string_view text) {
  const std::string_view inner = text.substr(8, text.size() - 9);
  unsigned scale = 0;
  const auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), scale);
  if (ec != std::errc() || end != inner.data() + inner.size() || inner.empty() ||
      scale > kMaxDecimalScale)
    return {{},
            fmt::format("expected decimal(S) with S from 0 to {}, found {}", kMaxDecimalScale,
                        quote_whole(text))};
  return {{ColumnKind::decimal, "", static_cast<uint8_t>(scale)}, ""};
}

}  // namespace

ParsedColumnType parse_column_type(std::string_view text) {
  if (text == "string") return {{ColumnKind::string, "", 0}, ""};
  if (text == "int") return {{ColumnKind::int64, "", 0}, ""};
  if (text == "date") return {{ColumnKind::date, kDefaultDateFormat, 0}, ""};
  if (text.starts_with("date:")) {
    const std::string_view format = text.substr(5);
    std::string problem = DateFormat::problem(format);
    if (!problem.empty()) return {{}, std::move(problem)};
    return {{ColumnKind::date, std::string(format), 0}, ""};
  }
  if (text.starts_with("decimal(") && text.ends_with(")")) return decimal_type(text);
  return not_a_type(text);
}

std::string column_type_text(const ColumnType& type) {
  switch (type.kind) {
    case ColumnKind::string:
      return "string";
    case ColumnKind::int64:
      return "int";
    case ColumnKind::decimal:
      return fmt::format("decimal({})", type.scale);
    case ColumnKind::date:
      return type.date_format == kDefaultDateFormat ? "date" : "date:" + type.date_format;
  }
  return "string";
}

}  // namespace snapdelta
