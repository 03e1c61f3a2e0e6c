#include "csv/transaction_parser.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "common/money.h"

namespace snapdelta {
namespace {

constexpr const char* kFieldNames[5] = {"transaction_id", "transaction_date", "sku_id",
                                        "quantity_sold", "revenue_usd"};

struct Field {
  std::string value;
  size_t column;  // 1-based column where the field starts
};

inline bool is_digit(char c) { return static_cast<unsigned char>(c - '0') <= 9; }

// Parses an optionally negative integer of at most 18 digits filling the whole text.
bool parse_quantity(std::string_view t, int64_t* out) {
  size_t i = 0;
  const bool negative = !t.empty() && t[0] == '-';
  if (negative) ++i;
  if (i == t.size() || t.size() - i > 18) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
    v = v * 10 + (t[i] - '0');
  }
  *out = negative ? -v : v;
  return true;
}

bool all_digits(std::string_view t) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i) {
    if (!is_digit(t[i])) return false;
  }
  return true;
}

}  // namespace

TransactionParser::TransactionParser(std::string path, GroupTable& table, uint64_t next_line,
                                     bool at_file_start, bool after_unterminated_row)
    : path_(std::move(path)),
      table_(table),
      skus_(table.skus()),
      line_(next_line),
      need_header_(at_file_start),
      need_bom_check_(at_file_start),
      need_line_end_(after_unterminated_row) {}

void TransactionParser::error(const char* line_begin, const char* at,
                              const std::string& message) const {
  fail_at(path_, line_, static_cast<uint64_t>(at - line_begin) + 1, message);
}

void TransactionParser::line_too_long() const {
  fail_at(path_, line_, 1,
          fmt::format("expected a line of at most {} bytes, found a longer one", kMaxLineBytes));
}

void TransactionParser::feed(const char* data, size_t size) {
  if (size == 0) return;
  const char* p = data;
  const char* end = data + size;
  if (need_line_end_) {
    if (*p == '\r' && carry_.empty()) {
      carry_ = "\r";
      if (++p == end) return;
    }
    if (*p != '\n') {
      throw HistoryChanged(line_ - 1, fmt::format("history changed at line {}", line_ - 1));
    }
    carry_.clear();
    ++p;
    need_line_end_ = false;
    if (p == end) return;
  }
  if (!carry_.empty()) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (nl == nullptr) {
      if (carry_.size() + static_cast<size_t>(end - p) > kMaxLineBytes + 1) {  // + a CR
        line_too_long();
      }
      carry_.append(p, end);
      return;
    }
    carry_.append(p, nl);
    process_line(carry_.data(), carry_.data() + carry_.size(), true);
    carry_.clear();
    p = nl + 1;
  }
  if (p == end) return;
  const char* last_nl = static_cast<const char*>(memrchr(p, '\n', static_cast<size_t>(end - p)));
  if (last_nl != nullptr) {
    const size_t n = static_cast<size_t>(last_nl + 1 - p);
    process_lines(p, n, std::memchr(p, '"', n) != nullptr);
    p = last_nl + 1;
  }
  if (static_cast<size_t>(end - p) > kMaxLineBytes + 1) {  // + a CR
    line_too_long();
  }
  carry_.assign(p, end);
}

void TransactionParser::finish() {
  if (need_header_ && carry_.empty()) {
    fail_at(path_, 1, 1, fmt::format("expected header \"{}\", found an empty CSV", kHeader));
  }
  if (need_line_end_) {
    unterminated_ = true;  // nothing new: the previous last row still has no line end
    return;
  }
  if (!carry_.empty()) {
    process_line(carry_.data(), carry_.data() + carry_.size(), true);
    carry_.clear();
    unterminated_ = true;
  } else {
    unterminated_ = false;
  }
}

void TransactionParser::process_lines(const char* p, size_t size, bool may_have_quotes) {
  const char* end = p + size;
  while (p < end) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    process_line(p, nl, may_have_quotes);
    p = nl + 1;
  }
}

void TransactionParser::process_line(const char* begin, const char* end, bool may_have_quotes) {
  if (end > begin && end[-1] == '\r') --end;
  if (static_cast<size_t>(end - begin) > kMaxLineBytes) {
    line_too_long();
  }
  if (need_header_) {
    header(begin, end);
  } else if (begin != end) {
    if (may_have_quotes || !fast_row(begin, end)) slow_row(begin, end);
  }
  ++line_;
}

bool TransactionParser::fast_row(const char* b, const char* e) {
  const char* p = b;
  const auto* c1 = static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(e - p)));
  if (c1 == nullptr || c1 == p) return false;
  p = c1 + 1;
  if (e - p < 11 || p[10] != ',') return false;
  int32_t date;
  if (have_last_date_ && std::memcmp(p, last_date_text_, 10) == 0) {
    date = last_date_;
  } else {
    if (!parse_date(std::string_view(p, 10), &date)) return false;
    std::memcpy(last_date_text_, p, 10);
    last_date_ = date;
    have_last_date_ = true;
  }
  p += 11;
  const auto* c3 = static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(e - p)));
  if (c3 == nullptr || c3 == p) return false;
  const std::string_view sku(p, static_cast<size_t>(c3 - p));
  p = c3 + 1;
  const bool negative = p < e && *p == '-';
  if (negative) ++p;
  const char* digits = p;
  int64_t q = 0;
  // At most 18 digits are accumulated (no overflow); a 19th stops the loop short of the comma,
  // which sends the row to the slow path and its error.
  while (p < e && is_digit(*p) && p - digits < 18) q = q * 10 + (*p++ - '0');
  if (p == digits || p - digits > 18 || p >= e || *p != ',') return false;
  if (negative) q = -q;
  ++p;
  int64_t cents;
  if (!parse_cents(std::string_view(p, static_cast<size_t>(e - p)), &cents)) return false;
  if (!table_.add(date, skus_.intern(sku), q, cents)) return false;
  ++rows_;
  return true;
}

namespace {

// Splits one line into fields, honouring double quotes. Throws through `err` on malformed quoting.
template <typename Err>
void split_fields(const char* b, const char* e, std::vector<Field>& fields, Err err) {
  fields.clear();
  const char* p = b;
  for (;;) {
    Field f{{}, static_cast<size_t>(p - b) + 1};
    if (p < e && *p == '"') {
      const char* open = p++;
      for (;;) {
        const auto* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(e - p)));
        if (q == nullptr) err(open, "expected a closing '\"', found an unterminated quoted field");
        f.value.append(p, q);
        if (q + 1 < e && q[1] == '"') {
          f.value.push_back('"');
          p = q + 2;
          continue;
        }
        p = q + 1;
        break;
      }
      if (p < e && *p != ',') {
        err(p, fmt::format("expected ',' after a closing quote, found {}",
                           quote_found(std::string_view(p, 1))));
      }
    } else {
      const auto* c = static_cast<const char*>(std::memchr(p, ',', static_cast<size_t>(e - p)));
      const char* fe = c ? c : e;
      if (const void* q = std::memchr(p, '"', static_cast<size_t>(fe - p))) {
        err(static_cast<const char*>(q),
            "expected a quote only at the start of a field, found one inside");
      }
      f.value.assign(p, fe);
      p = fe;
    }
    fields.push_back(std::move(f));
    if (p < e && *p == ',') {
      ++p;
      continue;
    }
    break;
  }
}

}  // namespace

void TransactionParser::slow_row(const char* b, const char* e) {
  std::vector<Field> f;
  split_fields(b, e, f, [&](const char* at, const std::string& msg) { error(b, at, msg); });
  if (f.size() < 5) {
    error(b, e, fmt::format("expected 5 fields, found {}", f.size()));
  }
  if (f.size() > 5) {
    fail_at(path_, line_, f[5].column, fmt::format("expected 5 fields, found {}", f.size()));
  }
  auto bad = [&](size_t i, std::string_view what) {
    fail_at(path_, line_, f[i].column,
            fmt::format("expected {} in {}, found {}", what, kFieldNames[i],
                        f[i].value.empty() ? "an empty field" : quote_found(f[i].value)));
  };
  if (f[0].value.empty()) bad(0, "a transaction id");
  int32_t date;
  if (!parse_date(f[1].value, &date)) bad(1, "a valid date YYYY-MM-DD");
  if (f[2].value.empty()) bad(2, "a SKU id");
  int64_t q;
  if (!parse_quantity(f[3].value, &q)) {
    bad(3, all_digits(f[3].value) ? "an integer of at most 18 digits" : "an integer");
  }
  int64_t cents;
  if (!parse_cents(f[4].value, &cents)) bad(4, "an amount like 123.45 (at most two decimals)");
  if (!table_.add(date, skus_.intern(f[2].value), q, cents)) {
    fail_at(path_, line_, f[3].column,
            "expected group sums within 64-bit integers, found an overflow of quantity_sold or "
            "revenue_usd");
  }
  ++rows_;
}

void TransactionParser::header(const char* b, const char* e) {
  if (need_bom_check_) {
    need_bom_check_ = false;
    if (e - b >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) b += 3;
  }
  need_header_ = false;
  std::vector<Field> f;
  split_fields(b, e, f, [&](const char* at, const std::string& msg) { error(b, at, msg); });
  for (size_t i = 0; i < 5; ++i) {
    if (i >= f.size() || f[i].value != kFieldNames[i]) {
      const size_t column = i < f.size() ? f[i].column : static_cast<size_t>(e - b) + 1;
      fail_at(path_, line_, column,
              fmt::format("expected header \"{}\", found {}", kHeader,
                          quote_found(std::string_view(b, e - b))));
    }
  }
  if (f.size() > 5) {
    fail_at(path_, line_, f[5].column,
            fmt::format("expected header \"{}\", found {}", kHeader,
                        quote_found(std::string_view(b, e - b))));
  }
}

}  // namespace snapdelta
