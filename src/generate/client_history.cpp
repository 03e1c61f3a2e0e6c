#include "generate/client_history.h"

#include <cmath>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "common/error.h"
#include "generate/csv_writer.h"
#include "generate/drop_writer.h"
#include "generate/rng.h"

namespace snapdelta::generate {
namespace {

constexpr uint64_t kChunkRows = 65536;
constexpr uint64_t kClientDomain = 0x434C49454E54;  // "CLIENT"

// Picks exactly `late` of `rows` rows, uniformly (Knuth's selection sampling).
class LateSelector {
 public:
  LateSelector(uint64_t rows, uint64_t late) : rows_left_(rows), late_left_(late) {}
  bool next(Rng& rng) {
    const bool late = late_left_ > 0 && rng.below(rows_left_) < late_left_;
    late_left_ -= late ? 1 : 0;
    --rows_left_;
    return late;
  }

 private:
  uint64_t rows_left_;
  uint64_t late_left_;
};

class ClientHistory {
 public:
  explicit ClientHistory(const ClientSpec& spec)
      : spec_(spec),
        rng_(Rng::for_stream(spec.seed, kClientDomain, spec.client)),
        csv_(CsvRowWriter::sku_digits_for(spec.skus->size())),
        buffer_(kChunkRows * CsvRowWriter::kMaxRowBytes),
        writer_(make_drop_writer(spec.container, spec.dir)) {}

  ClientResult run(const ClientProgress& progress, const std::atomic<bool>& cancel) {
    writer_->append(kCsvHeader.data(), kCsvHeader.size());
    for (uint32_t day = 1; day <= spec_.days && !cancel.load(); ++day) {
      generate_day(day, progress, cancel);
      if (cancel.load()) break;
      writer_->end_day();
      if (day >= spec_.from_day) write_day_file(day);
    }
    return result_;
  }

 private:
  uint64_t rows_of_day(uint32_t day) const {
    return day == 1 ? spec_.base_rows : spec_.rows_per_day;
  }

  uint64_t late_rows_of_day(uint32_t day) const {
    if (day == 1) return 0;
    const double late =
        std::floor(spec_.late_fraction * static_cast<double>(rows_of_day(day)) + 0.5);
    return static_cast<uint64_t>(late);
  }

  void generate_day(uint32_t day, const ClientProgress& progress, const std::atomic<bool>& cancel) {
    LateSelector late(rows_of_day(day), late_rows_of_day(day));
    const int32_t date = spec_.start_date + static_cast<int32_t>(day - 1);
    const uint32_t max_back = day - 1 < 3 ? day - 1 : 3;
    for (uint64_t left = rows_of_day(day); left > 0 && !cancel.load();) {
      const uint64_t n = left < kChunkRows ? left : kChunkRows;
      char* end = buffer_.data();
      for (uint64_t i = 0; i < n; ++i) {
        const int32_t back = late.next(rng_) ? 1 + static_cast<int32_t>(rng_.below(max_back)) : 0;
        end = csv_.append(end, next_row(date - back));
      }
      writer_->append(buffer_.data(), static_cast<size_t>(end - buffer_.data()));
      left -= n;
      result_.rows += n;
      if (progress) progress(day, result_.rows);
    }
  }

  Row next_row(int32_t date) {
    Row row;
    row.transaction_id = next_id_++;
    row.date = date;
    row.sku = spec_.skus->sample(rng_);
    row.quantity = 1 + static_cast<uint32_t>(rng_.below(10));
    row.revenue_cents = 500 + static_cast<uint32_t>(rng_.below(50000 - 500 + 1));
    return row;
  }

  void write_day_file(uint32_t day) {
    DropInfo info;
    info.entry_name = day_file_name(day, "csv");
    info.date = spec_.start_date + static_cast<int32_t>(day - 1);
    const std::filesystem::path path =
        spec_.dir / day_file_name(day, drop_extension(spec_.container));
    writer_->write(path.string(), info);
    result_.files += 1;
    std::error_code ec;
    const uintmax_t bytes = std::filesystem::file_size(path, ec);
    if (ec) fail(path.string(), "cannot stat the written file: " + ec.message());
    result_.bytes += bytes;
  }

  const ClientSpec& spec_;
  Rng rng_;
  CsvRowWriter csv_;
  std::vector<char> buffer_;
  std::unique_ptr<DropWriter> writer_;
  uint64_t next_id_ = 1;
  ClientResult result_;
};

}  // namespace

std::string day_file_name(uint32_t day, std::string_view extension) {
  return "transactions_day_" + std::to_string(day) + "." + std::string(extension);
}

ClientResult generate_client(const ClientSpec& spec, const ClientProgress& progress,
                             const std::atomic<bool>& cancel) {
  ClientHistory history(spec);
  return history.run(progress, cancel);
}

}  // namespace snapdelta::generate
