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
  void raw(std::string_view s) { out_.append(s); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string binary_copy_of(const GroupTable& table, ClientColumn column, std::string_view client) {
  const std::vector<Group> groups = table.sorted_groups();
  const bool with_client = column == ClientColumn::included;
  CopyBuffer b(19 + groups.size() * (64 + (with_client ? client.size() : 0)) + 2);
  b.raw(std::string_view("PGCOPY\n\377\r\n\0", 11));
  b.u32(0);  // flags
  b.u32(0);  // header extension length
  for (const Group& g : groups) {
    b.u16(with_client ? 6 : 5);
    if (with_client) b.field_text(client);
    b.field_date(g.date);
    b.field_text(*g.sku);
    b.field_int8(g.totals.quantity);
    b.field_int8(g.totals.cents);
    b.field_int8(g.totals.count);
  }
  b.u16(0xFFFF);  // trailer: a field count of -1
  return b.take();
}

}  // namespace snapdelta
