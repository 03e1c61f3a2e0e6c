#include "csv/job_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "common/error.h"
#include "csv/separator_scan.h"

namespace snapdelta {
namespace {

// The fields of the columns some table sums, in field order; an overflow is reported at the first.
size_t first_summed_field(const Job& job, const RowLayout& layout) {
  for (size_t f = 0; f < layout.fields; ++f) {
    const uint32_t c = layout.column_of[f];
    if (c == RowLayout::kSkip) continue;
    for (const Table& t : job.tables) {
      for (const Measure& m : t.measures) {
        if (m.kind == MeasureKind::sum && m.column == c) return f;
      }
    }
  }
  return 0;
}

// fast_row()'s field kinds: read from each FastField at run time ...
struct AnyKinds {
  static constexpr bool kFixed = false;
};
// ... or fixed: fast_fields_ holds exactly these kinds, in this order.
template <ColumnKind... K>
struct FixedKinds {
  static constexpr bool kFixed = true;
  static constexpr ColumnKind kKinds[] = {K...};
  static constexpr size_t kCount = sizeof...(K);
};
// The built-in job's layout: transaction_date, sku_id, quantity_sold, revenue_usd.
using SeedKinds =
    FixedKinds<ColumnKind::date, ColumnKind::string, ColumnKind::int64, ColumnKind::decimal>;

}  // namespace

JobParser::JobParser(std::string path, const Job& job, JobGroups& groups, ParserStart start,
                     std::string header_line)
    : path_(std::move(path)),
      job_(job),
      groups_(groups),
      values_(job.columns.size()),
      nulls_(job.columns.size()),
      line_(start.next_line()),
      has_nulls_(!job.csv.nulls.empty()),
      need_header_(start.at_file_start()),
      need_bom_check_(start.at_file_start()),
      need_line_end_(start.after_unterminated_row()) {
  if (!start.at_file_start()) {
    if (header_line.empty()) {
      fail(path_, "expected the file's stored first line to resume mid-file, found none");
    }
    set_layout(header_line);
  }
}

void JobParser::set_layout(std::string_view first_line) {
  layout_ = RowLayout::read(path_, job_, first_line);
  header_ = std::string(first_line);
  readers_.clear();
  for (uint32_t f = 0; f < layout_.fields; ++f) {
    const uint32_t c = layout_.column_of[f];
    if (c != RowLayout::kSkip) readers_.emplace_back(job_.columns[c], c, f);
  }
  fast_fields_.clear();
  for (FieldReader& r : readers_) {
    SkuDictionary* dictionary =
        r.kind() == ColumnKind::string ? &groups_.dictionary(r.column()) : nullptr;
    fast_fields_.push_back({r.field(), r.column(), r.kind(), &r, dictionary});
  }
  overflow_column_field_ = first_summed_field(job_, layout_);
}

void JobParser::line_too_long() const {
  fail_at(path_, line_, 1,
          fmt::format("expected a line of at most {} bytes, found a longer one", kMaxLineBytes));
}

void JobParser::feed(const char* data, size_t size) {
  if (size == 0) return;
  const char* p = data;
  const char* end = data + size;
  readable_begin_ = data;
  readable_end_ = end;
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
    process_lines(p, last_nl + 1);
    p = last_nl + 1;
  }
  if (static_cast<size_t>(end - p) > kMaxLineBytes + 1) {  // + a CR
    line_too_long();
  }
  carry_.assign(p, end);
}

void JobParser::finish() {
  if (need_header_ && carry_.empty()) RowLayout::empty_csv(path_, job_);
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

inline bool JobParser::is_null(std::string_view text) const {
  for (const std::string& n : job_.csv.nulls) {
    if (text == n) return true;
  }
  return false;
}

// One field of a fast_row(): reads it into values_ (or flags it null), or returns false.
template <bool kNulls>
[[gnu::always_inline]] inline bool JobParser::fast_field(const FastField& f, ColumnKind kind,
                                                         const char* begin, const char* base,
                                                         const uint32_t* seps, const char* end,
                                                         const char* readable_begin) {
  const char* b = f.field == 0 ? begin : base + seps[f.field - 1] + 1;
  const char* e = f.field == layout_.fields - 1 ? end : base + seps[f.field];
  int64_t* out = values_.data() + f.column;
  if constexpr (kNulls) {
    if (is_null(std::string_view(b, static_cast<size_t>(e - b)))) {
      nulls_[f.column] = 1;
      return true;
    }
    nulls_[f.column] = 0;
  }
  switch (kind) {
    case ColumnKind::string: {
      const std::string_view text(b, static_cast<size_t>(e - b));
      *out =
          readable_end_ - b >= 16 ? f.dictionary->intern_padded(text) : f.dictionary->intern(text);
      return true;
    }
    case ColumnKind::date:
      return f.reader->fast_date(b, e, out);
    case ColumnKind::int64:
      return f.reader->fast_int(b, e, readable_begin, out);
    case ColumnKind::decimal:
      return f.reader->fast_decimal(b, e, readable_begin, out);
  }
  return false;
}

// A row whose layout_.fields - 1 delimiters and line end are seps[0..fields) (offsets from base),
// holding no quote: reads the job's fields the common way and adds the row, or returns false
// (having changed no group) for process_line to redo the general way or report. Without kNulls
// (a job without null texts) the null flags stay 0 and are never written.
template <bool kNulls, class Kinds>
[[gnu::always_inline]] inline bool JobParser::fast_row(const char* begin, const char* base,
                                                       const uint32_t* seps, const char* end,
                                                       const char* readable_begin) {
  if constexpr (Kinds::kFixed) {
    const FastField* f = fast_fields_.data();
    const bool read = [&]<size_t... I>(std::index_sequence<I...>) {
      return (fast_field<kNulls>(f[I], Kinds::kKinds[I], begin, base, seps, end, readable_begin) &&
              ...);
    }
    (std::make_index_sequence<Kinds::kCount>());
    if (!read) return false;
  } else {
    for (const FastField& f : fast_fields_) {
      if (!fast_field<kNulls>(f, f.kind, begin, base, seps, end, readable_begin)) return false;
    }
  }
  if (!groups_.add_row(values_.data(), nulls_.data())) [[unlikely]] {
    const size_t f = overflow_column_field_;
    overflow(f == 0 ? 1 : static_cast<uint64_t>(base + seps[f - 1] + 1 - begin) + 1);
  }
  ++rows_;
  return true;
}

const char* JobParser::next_line(const char* p, const char* end) {
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
  process_line(p, nl);
  return nl + 1;
}

void JobParser::process_lines(const char* p, const char* end) {
  while (need_header_ && p < end) p = next_line(p, end);
  if (has_nulls_) {
    scan_rows_with_kinds<true>(p, end);
  } else {
    scan_rows_with_kinds<false>(p, end);
  }
}

// scan_rows() with the built-in layout's kinds fixed when fast_fields_ has them, else read per
// field.
template <bool kNulls>
void JobParser::scan_rows_with_kinds(const char* p, const char* end) {
  bool fixed = fast_fields_.size() == SeedKinds::kCount;
  for (size_t i = 0; fixed && i < SeedKinds::kCount; ++i) {
    fixed = fast_fields_[i].kind == SeedKinds::kKinds[i];
  }
  if (fixed) {
    scan_rows<kNulls, SeedKinds>(p, end);
  } else {
    scan_rows<kNulls, AnyKinds>(p, end);
  }
}

// Windows of kScanWindow bytes: first every separator's offset, then rows from those offsets. A
// common row is exactly fields - 1 delimiters then '\n' (no quote); anything else (a blank line,
// quotes, a wrong field count, a long line) and any row fast_row declines go to process_line, which
// parses it the general way and reports errors.
template <bool kNulls, class Kinds>
void JobParser::scan_rows(const char* p, const char* end) {
  constexpr size_t kScanWindow = 4096;
  static_assert(kScanWindow <= kMaxLineBytes, "a row fast_row takes must never be too long");
  uint32_t seps[kScanWindow + 16];
  const size_t fields = layout_.fields;
  const char delimiter = job_.csv.delimiter;
  const detail::Separators separators{delimiter, job_.csv.quote};
  const char* readable_begin = readable_begin_;
  while (p < end) {
    const char* base = p;
    const char* window_end = end - p > static_cast<ptrdiff_t>(kScanWindow) ? p + kScanWindow : end;
    const size_t n = detail::find_separators(base, window_end, seps, separators);
    size_t i = 0;
    for (;;) {
      if (i + fields > n) {
        // The row at p may go on past the window: rescan from it, unless it is all the window has
        // (a long line) or the input ends here (the rest has too few separators to be common).
        if (window_end == end || p == base) {
          while (p < window_end) p = next_line(p, end);
        }
        break;
      }
      const uint32_t* s = seps + i;
      const char* nl = base + s[fields - 1];
      bool common = *nl == '\n';
      for (size_t k = 0; k + 1 < fields; ++k) common &= base[s[k]] == delimiter;
      const char* e = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
      if (common && e != p && fast_row<kNulls, Kinds>(p, base, s, e, readable_begin)) {
        ++line_;
        p = nl + 1;
        i += fields;
        continue;
      }
      p = next_line(p, end);
      if (p > window_end) break;
      while (i < n && base + seps[i] < p) ++i;
    }
  }
}

void JobParser::process_line(const char* begin, const char* end) {
  if (end > begin && end[-1] == '\r') --end;
  if (static_cast<size_t>(end - begin) > kMaxLineBytes) {
    line_too_long();
  }
  if (need_header_) {
    first_line(begin, end);
  } else if (begin != end) {
    slow_row(begin, end);
  }
  ++line_;
}

void JobParser::first_line(const char* b, const char* e) {
  if (need_bom_check_) {
    need_bom_check_ = false;
    if (e - b >= 3 && std::memcmp(b, "\xEF\xBB\xBF", 3) == 0) b += 3;
  }
  need_header_ = false;
  set_layout(std::string_view(b, static_cast<size_t>(e - b)));
  if (!job_.csv.header && b != e) slow_row(b, e);
}

void JobParser::bad_value(const FieldReader& reader, const SplitField& field) const {
  fail_at(path_, line_, field.column,
          fmt::format("expected {} in {}, found {}", reader.expected(field.value), reader.name(),
                      field.value.empty() ? "an empty field" : quote_found(field.value)));
}

// add_row() has failed: earlier tables took the row, so the parse ends here.
void JobParser::overflow(uint64_t column) const {
  fail_at(path_, line_, column,
          "expected group sums within 64-bit integers, found an overflow in " + groups_.overflow());
}

void JobParser::slow_row(const char* b, const char* e) {
  size_t error_column = 0;
  const std::string problem =
      split_fields(b, e, job_.csv.delimiter, job_.csv.quote, split_, &error_column);
  if (!problem.empty()) fail_at(path_, line_, error_column, problem);
  const size_t fields = layout_.fields;
  if (split_.size() != fields) {
    const uint64_t column =
        split_.size() < fields ? static_cast<uint64_t>(e - b) + 1 : split_[fields].column;
    fail_at(path_, line_, column,
            fmt::format("expected {} fields, found {}", fields, split_.size()));
  }
  for (FieldReader& r : readers_) {
    const SplitField& f = split_[r.field()];
    const uint32_t c = r.column();
    nulls_[c] = has_nulls_ && is_null(f.value);
    if (nulls_[c]) continue;
    if (r.kind() == ColumnKind::string) {
      values_[c] = groups_.intern(c, f.value);
    } else if (!r.parse(f.value, &values_[c])) {
      bad_value(r, f);
    }
  }
  if (!groups_.add_row(values_.data(), nulls_.data())) {
    overflow(split_[overflow_column_field_].column);
  }
  ++rows_;
}

}  // namespace snapdelta
