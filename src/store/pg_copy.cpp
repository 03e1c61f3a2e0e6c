#include "store/pg_copy.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace snapdelta {
namespace {

// PostgreSQL counts dates from 2000-01-01; the group table from 1970-01-01.
constexpr int32_t kPgEpochDays = 10957;

class CopyBuffer {
 public:
  explicit CopyBuffer(size_t reserve) { out_.reserve(reserve); }
  void u16(uint16_t v) {
    const unsigned char b[2] = {static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
    out_.append(reinterpret_cast<const char*>(b), 2);
  }
  void u32(uint32_t v) {
    const unsigned char b[4] = {static_cast<unsigned char>(v >> 24),
                                static_cast<unsigned char>(v >> 16),
                                static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
    out_.append(reinterpret_cast<const char*>(b), 4);
  }
  void field_text(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void field_date(int32_t days) {
    u32(4);
    u32(static_cast<uint32_t>(days - kPgEpochDays));
  }
  void field_int8(int64_t v) {
    u32(8);
    const auto u = static_cast<uint64_t>(v);
    u32(static_cast<uint32_t>(u >> 32));
    u32(static_cast<uint32_t>(u));
  }
  void field_null() { u32(0xFFFFFFFFu); }
  void raw(std::string_view s) { out_.append(s); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

namespace {

void number_field(CopyBuffer& b, const StoredColumn& c, int64_t v) {
  if (c.kind == StoredKind::date) {
    b.field_date(static_cast<int32_t>(v));
  } else {
    b.field_int8(v);
  }
}

}  // namespace

std::string binary_copy_of(const JobGroups& groups, size_t t, const TableLayout& layout,
                           ClientColumn column, std::string_view client) {
  const TableGroups& table = groups.table(t);
  const std::vector<Measure>& measures = groups.job().tables[t].measures;
  const std::vector<uint32_t> order = table.sorted();
  const bool with_client = column == ClientColumn::included;
  const size_t fields = layout.keys.size() + layout.measures.size() + (with_client ? 1 : 0);
  CopyBuffer b(19 + order.size() * (fields * 16 + (with_client ? client.size() : 0)) + 2);
  b.raw(std::string_view("PGCOPY\n\377\r\n\0", 11));
  b.u32(0);  // flags
  b.u32(0);  // header extension length
  for (uint32_t g : order) {
    b.u16(static_cast<uint16_t>(fields));
    if (with_client) b.field_text(client);
    for (size_t k = 0; k < layout.keys.size(); ++k) {
      if (table.key_null(g, k)) {
        b.field_null();
      } else if (layout.keys[k].kind == StoredKind::text) {
        b.field_text(table.key_text(g, k));
      } else {
        number_field(b, layout.keys[k], table.key_number(g, k));
      }
    }
    for (size_t m = 0; m < layout.measures.size(); ++m) {
      if (table.measure_null(g, m)) {
        b.field_null();
      } else if (layout.measures[m].kind == StoredKind::text) {
        b.field_text(groups.text(measures[m].column, static_cast<uint32_t>(table.measure(g, m))));
      } else {
        number_field(b, layout.measures[m], table.measure(g, m));
      }
    }
  }
  b.u16(0xFFFF);  // trailer: a field count of -1
  return b.take();
}

}  // namespace snapdelta
