#include "store/table_layout.h"

#include "job/stored_names.h"

namespace snapdelta {
namespace {

StoredColumn stored_of(const std::string& name, const ColumnType& type, bool nullable) {
  StoredColumn c;
  c.name = name;
  c.nullable = nullable;
  switch (type.kind) {
    case ColumnKind::date:
      c.kind = StoredKind::date;
      break;
    case ColumnKind::string:
      c.kind = StoredKind::text;
      break;
    case ColumnKind::int64:
      c.kind = StoredKind::integer;
      break;
    case ColumnKind::decimal:
      c.kind = StoredKind::integer;
      c.scale = type.scale;
      c.readable = name;
      c.name = units_column_name(name, type.scale);
      break;
  }
  return c;
}

StoredColumn measure_column(const Job& job, const Measure& m, bool nulls) {
  if (m.kind == MeasureKind::count_rows || m.kind == MeasureKind::count) {
    StoredColumn c = stored_of(m.name, ColumnType{ColumnKind::int64, "", 0}, false);
    c.measure = m.kind;
    return c;
  }
  StoredColumn c = stored_of(m.name, job.columns[m.column].type, nulls);
  c.measure = m.kind;
  c.sum = m.kind == MeasureKind::sum;
  return c;
}

}  // namespace

TableLayout table_layout(const Job& job, size_t table) {
  const Table& t = job.tables[table];
  const bool nulls = !job.csv.nulls.empty();
  TableLayout layout;
  layout.name = t.name;
  layout.nullable_keys = nulls;
  for (uint32_t column : t.group_by) {
    layout.keys.push_back(stored_of(job.columns[column].name, job.columns[column].type, nulls));
  }
  for (const Measure& m : t.measures) layout.measures.push_back(measure_column(job, m, nulls));
  return layout;
}

std::string quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string column_list(const std::vector<StoredColumn>& columns) {
  std::string out;
  for (const StoredColumn& c : columns) out += (out.empty() ? "" : ", ") + quoted(c.name);
  return out;
}

}  // namespace snapdelta
