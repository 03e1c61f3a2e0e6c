#include "csv/transaction_parser.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "common/money.h"
#include "csv/separator_scan.h"
#include "csv/swar_digits.h"

namespace snapdelta {
namespace {

using detail::load8_before;
using detail::swar_digits;

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

TransactionParser::TransactionParser(std::string path, GroupTable& table, ParserStart start)
    : path_(std::move(path)),
      table_(table),
      skus_(table.skus()),
      line_(start.next_line()),
      need_header_(start.at_file_start()),
      need_bom_check_(start.at_file_start()),
      need_line_end_(start.after_unterminated_row()) {}

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
    process_line(carry_.data(), carry_.data() + carry_.size());
    carry_.clear();
    p = nl + 1;
  }
  if (p == end) return;
  const char* last_nl = static_cast<const char*>(memrchr(p, '\n', static_cast<size_t>(end - p)));
  if (last_nl != nullptr) {
    const size_t n = static_cast<size_t>(last_nl + 1 - p);
    process_lines(p, p + n);
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
    process_line(carry_.data(), carry_.data() + carry_.size());
    carry_.clear();
    unterminated_ = true;
  } else {
    unterminated_ = false;
  }
}

// A row whose four commas are known and which holds no quote (so c4 >= b + 15): validates the
// fields the common way and adds the row, or returns false (having changed no group) for
// process_line to redo the general way or report.
inline bool TransactionParser::fast_row(const char* b, const char* c1, const char* c2,
                                        const char* c3, const char* c4, const char* e,
                                        const char* readable_end) {
  if (c1 == b || c2 - c1 != 11 || c3 == c2 + 1) return false;
  const char* d = c1 + 1;
  int32_t date;
  if (std::memcmp(d, last_date_text_, 10) == 0) {
    date = last_date_;
  } else {
    if (!parse_date(std::string_view(d, 10), &date)) return false;
    std::memcpy(last_date_text_, d, 10);
    last_date_ = date;
  }
  // quantity_sold: at most 18 digits (so no overflow); more, or none, go to the slow path.
  const char* p = c3 + 1;
  const bool negative = *p == '-';
  p += negative;
  const auto q_digits = static_cast<size_t>(c4 - p);
  int64_t q;
  if (q_digits == 1) {  // the usual case, cheaper alone
    q = *p - '0';
    if (q < 0 || q > 9) return false;
  } else if (q_digits - 1 < 8) {
    uint64_t v;
    if (!swar_digits(load8_before(c4), q_digits, &v)) return false;
    q = static_cast<int64_t>(v);
  } else {
    if (q_digits == 0 || q_digits > 18) return false;
    q = 0;
    for (; p < c4; ++p) {
      if (!is_digit(*p)) return false;
      q = q * 10 + (*p - '0');
    }
  }
  if (negative) q = -q;
  // revenue_usd: "units.cc" with 1 to 5 digits of units is one 8-byte conversion of the digits
  // with the '.' taken out; any other spelling goes to parse_cents.
  const char* r = c4 + 1;
  const bool r_negative = *r == '-';  // *e is readable ('\r' or '\n')
  r += r_negative;
  const auto r_size = static_cast<size_t>(e - r);
  int64_t cents;
  uint64_t v;
  if (r_size - 4 <= 4 && e[-3] == '.') {
    const uint64_t x = load8_before(e);  // ...u u u . c c: move the units up over the '.'
    if (!swar_digits((x & 0xFFFF000000000000ull) | ((x << 8) & 0x0000FFFFFFFFFF00ull), r_size - 1,
                     &v)) {
      return false;
    }
    cents = r_negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  } else if (!parse_cents(std::string_view(c4 + 1, static_cast<size_t>(e - c4 - 1)), &cents)) {
    return false;
  }
  const std::string_view sku(c2 + 1, static_cast<size_t>(c3 - c2 - 1));
  const uint32_t id =
      readable_end - sku.data() >= 16 ? skus_.intern_padded(sku) : skus_.intern(sku);
  if (!table_.add(date, id, q, cents)) return false;
  ++rows_;
  return true;
}

const char* TransactionParser::next_line(const char* p, const char* end) {
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
  process_line(p, nl);
  return nl + 1;
}

void TransactionParser::process_lines(const char* p, const char* end) {
  while (need_header_ && p < end) p = next_line(p, end);
  // Windows of kScanWindow bytes: first every separator's offset, then rows from those offsets. A
  // common row is exactly four commas then '\n' (no quote); anything else (a blank line, quotes,
  // a wrong field count, a long line) and any row fast_row declines go to process_line, which
  // parses it the general way and reports errors.
  constexpr size_t kScanWindow = 4096;
  static_assert(kScanWindow <= kMaxLineBytes, "a row fast_row takes must never be too long");
  uint32_t seps[kScanWindow + 16];
  while (p < end) {
    const char* base = p;
    const char* window_end = end - p > static_cast<ptrdiff_t>(kScanWindow) ? p + kScanWindow : end;
    const size_t n = detail::find_separators(base, window_end, seps);
    size_t i = 0;
    for (;;) {
      if (i + 5 > n) {
        // The row at p may go on past the window: rescan from it, unless it is all the window has
        // (a long line) or the input ends here (the rest has too few separators to be common).
        if (window_end == end || p == base) {
          while (p < window_end) p = next_line(p, end);
        }
        break;
      }
      const char* c1 = base + seps[i];
      const char* c2 = base + seps[i + 1];
      const char* c3 = base + seps[i + 2];
      const char* c4 = base + seps[i + 3];
      const char* nl = base + seps[i + 4];
      if (((*c1 == ',') & (*c2 == ',') & (*c3 == ',') & (*c4 == ',') & (*nl == '\n')) &&
          fast_row(p, c1, c2, c3, c4, nl[-1] == '\r' ? nl - 1 : nl, end)) {
        ++line_;
        p = nl + 1;
        i += 5;
        continue;
      }
      p = next_line(p, end);
      if (p > window_end) break;
      while (i < n && base + seps[i] < p) ++i;
    }
  }
}

void TransactionParser::process_line(const char* begin, const char* end) {
  if (end > begin && end[-1] == '\r') --end;
  if (static_cast<size_t>(end - begin) > kMaxLineBytes) {
    line_too_long();
  }
  if (need_header_) {
    header(begin, end);
  } else if (begin != end) {
    slow_row(begin, end);
  }
  ++line_;
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
