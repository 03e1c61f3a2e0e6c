// A date format in a strftime subset, for date columns and {date:...} in drop patterns.
// Contract: a format is literal text with the fields %Y (4 digits, 0001-9999), %m (2 digits),
// %d (2 digits), %j (3 digits, day of the year) and %% (a '%'); it has %Y once and either %m and
// %d once each or %j once. parse() accepts exactly the text format() writes (fixed widths, zero
// padded, real calendar days) and returns days since 1970-01-01; dates sort as their days do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace snapdelta {

class DateFormat {
 public:
  // What a valid format looks like and what `format` has instead, as "expected ..., found ...";
  // "" when `format` is valid.
  static std::string problem(std::string_view format);
  // The compiled format; nullopt exactly when problem(format) is not "".
  static std::optional<DateFormat> compile(std::string_view format);

  std::optional<int32_t> parse(std::string_view text) const;
  std::string format(int32_t days) const;
  // The length of every text parse() accepts.
  size_t width() const { return width_; }
  const std::string& text() const { return text_; }

 private:
  enum class Field : uint8_t { literal, year, month, day, day_of_year };
  struct Part {
    Field field;
    char literal;
  };
  std::string text_;
  std::vector<Part> parts_;
  size_t width_ = 0;
};

}  // namespace snapdelta
