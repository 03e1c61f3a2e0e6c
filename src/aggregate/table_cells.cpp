#include "aggregate/table_cells.h"

namespace snapdelta {

namespace {

int compare(const Cell& a, const Cell& b) {
  if (a.null != b.null) return a.null ? -1 : 1;
  if (a.null) return 0;
  if (a.number != b.number) return a.number < b.number ? -1 : 1;
  return a.text.compare(b.text);
}

}  // namespace

bool key_less(const TableRow& a, const TableRow& b, size_t keys) {
  for (size_t k = 0; k < keys; ++k) {
    const int c = compare(a[k], b[k]);
    if (c != 0) return c < 0;
  }
  return false;
}

}  // namespace snapdelta
