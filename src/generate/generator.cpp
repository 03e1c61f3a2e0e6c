#include "generate/generator.h"

#include <absl/base/thread_annotations.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "common/progress_bar.h"
#include "generate/client_history.h"
#include "generate/existing_drops.h"
#include "generate/sku_popularity.h"

namespace snapdelta::generate {
namespace {

constexpr int64_t kMaxClients = 100000;
constexpr int64_t kMaxSkus = 10000000;
constexpr int64_t kMaxRowsPerClient = int64_t{1} << 40;

void check_range(const char* option, int64_t value, int64_t low, int64_t high) {
  if (value >= low && value <= high) return;
  fail(option, fmt::format("expected an integer from {} to {}, found {}", low, high, value));
}

int32_t parse_start(const std::string& text) {
  int32_t days = 0;
  if (!parse_date(text, &days))
    fail("--start-date", "expected a date YYYY-MM-DD, found " + quote_found(text));
  return days;
}

void check_totals(const Options& o) {
  const int64_t later_days = o.days - 1;
  if (o.rows_per_day > 0 && later_days > (kMaxRowsPerClient - o.base_rows) / o.rows_per_day) {
    fail("--rows-per-day",
         fmt::format("expected at most {} rows per client in all, found {} + {} x {}",
                     kMaxRowsPerClient, o.base_rows, later_days, o.rows_per_day));
  }
  int32_t last_allowed = 0;
  parse_date("9999-12-31", &last_allowed);
  if (parse_start(o.start_date) + o.days - 1 > last_allowed) {
    fail("--days", fmt::format("expected the last day to fall by 9999-12-31, found {} days from {}",
                               o.days, o.start_date));
  }
}

uint64_t rows_per_client(const Options& o) {
  return static_cast<uint64_t>(o.base_rows) +
         static_cast<uint64_t>(o.days - 1) * static_cast<uint64_t>(o.rows_per_day);
}

unsigned worker_count(const Options& o) {
  int64_t threads = o.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::min(threads, o.clients));
}

// One progress bar for the whole run, fed from every worker thread.
class SharedProgress {
 public:
  explicit SharedProgress(const Options& o)
      : bar_("generate", rows_per_client(o) * static_cast<uint64_t>(o.clients)),
        done_(static_cast<size_t>(o.clients), 0),
        day_(static_cast<size_t>(o.clients), 0),
        days_(static_cast<uint32_t>(o.days)) {}

  void update(uint64_t client, uint32_t day, uint64_t client_rows) {
    std::lock_guard lock(mutex_);
    total_ += client_rows - done_[client - 1];
    done_[client - 1] = client_rows;
    if (day != day_[client - 1]) {  // label: the client that most recently started a day
      day_[client - 1] = day;
      bar_.set_label(fmt::format("client {} day {}/{}", client, day, days_));
    }
    bar_.update(total_);
  }

  void finish() {
    std::lock_guard lock(mutex_);
    bar_.finish();
  }

 private:
  std::mutex mutex_;
  ProgressBar bar_ ABSL_GUARDED_BY(mutex_);
  std::vector<uint64_t> done_ ABSL_GUARDED_BY(mutex_);  // rows generated so far, per client
  std::vector<uint32_t> day_ ABSL_GUARDED_BY(mutex_);   // day being generated, per client
  uint64_t total_ ABSL_GUARDED_BY(mutex_) = 0;
  uint32_t days_;
};

// Hands out clients to worker threads, collects their results and the first error.
class ClientPool {
 public:
  ClientPool(const Options& o, const SkuPopularity& skus, SharedProgress& progress)
      : options_(o), skus_(skus), progress_(progress), start_(parse_start(o.start_date)) {}

  Summary run(unsigned workers) {
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < workers; ++i) threads.emplace_back([this] { work(); });
    for (auto& t : threads) t.join();
    if (error_) std::rethrow_exception(error_);
    return summary_;
  }

 private:
  void work() {
    for (int64_t c = next_++; c <= options_.clients && !cancel_.load(); c = next_++) {
      try {
        add(generate_client(spec_for(c), progress_for(c), cancel_));
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
        cancel_.store(true);
      }
    }
  }

  ClientSpec spec_for(int64_t c) const {
    ClientSpec spec;
    spec.dir = std::filesystem::path(options_.data_dir) / fmt::format("client_{}", c);
    std::error_code ec;
    std::filesystem::create_directories(spec.dir, ec);
    if (ec) fail(spec.dir.string(), "cannot create the directory: " + ec.message());
    spec.client = static_cast<uint64_t>(c);
    spec.seed = options_.seed;
    spec.days = static_cast<uint32_t>(options_.days);
    spec.from_day = static_cast<uint32_t>(options_.from_day);
    spec.base_rows = static_cast<uint64_t>(options_.base_rows);
    spec.rows_per_day = static_cast<uint64_t>(options_.rows_per_day);
    spec.start_date = start_;
    spec.late_fraction = options_.late_fraction;
    spec.skus = &skus_;
    spec.container = options_.container;
    return spec;
  }

  ClientProgress progress_for(int64_t c) {
    return [this, c](uint32_t day, uint64_t rows) {
      progress_.update(static_cast<uint64_t>(c), day, rows);
    };
  }

  void add(const ClientResult& r) {
    std::lock_guard lock(mutex_);
    summary_.rows += r.rows;
    summary_.files += r.files;
    summary_.bytes += r.bytes;
  }

  const Options& options_;
  const SkuPopularity& skus_;
  SharedProgress& progress_;
  const int32_t start_;
  std::atomic<int64_t> next_{1};
  std::atomic<bool> cancel_{false};
  std::mutex mutex_;
  std::exception_ptr error_ ABSL_GUARDED_BY(mutex_);
  Summary summary_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace

void validate(const Options& o) {
  check_range("--clients", o.clients, 1, kMaxClients);
  check_range("--days", o.days, 1, 3000000);
  check_range("--base-rows", o.base_rows, 0, kMaxRowsPerClient);
  check_range("--rows-per-day", o.rows_per_day, 0, kMaxRowsPerClient);
  check_range("--skus", o.skus, 1, kMaxSkus);
  check_range("--threads", o.threads, 0, 4096);
  check_range("--from-day", o.from_day, 1, o.days);
  if (!(o.late_fraction >= 0 && o.late_fraction <= 1)) {
    fail("--late-fraction",
         fmt::format("expected a number from 0 to 1, found {}", o.late_fraction));
  }
  if (o.data_dir.empty()) fail("--data-dir", "expected a directory path, found \"\"");
  parse_start(o.start_date);
  check_totals(o);
}

Summary run(const Options& options) {
  validate(options);
  const ExistingPlan existing = plan_over_existing(options);
  if (existing.up_to_date) {
    Summary unchanged;
    unchanged.unchanged = true;
    return unchanged;
  }
  const auto started = std::chrono::steady_clock::now();
  const SkuPopularity skus(static_cast<uint32_t>(options.skus), options.seed);
  SharedProgress progress(options);
  ClientPool pool(options, skus, progress);
  Summary summary = pool.run(worker_count(options));
  progress.finish();
  for (const std::string& stale : existing.stale) std::filesystem::remove(stale);
  write_manifest(options.data_dir, existing.record);
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string describe(const Options& o, const Summary& s) {
  auto count = [](uint64_t n, const char* word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string shape = count(static_cast<uint64_t>(o.clients), "client") + " x " +
                      count(static_cast<uint64_t>(o.days), "day");
  if (o.from_day > 1) shape += fmt::format(", files of days {}-{}", o.from_day, o.days);
  if (s.unchanged) {
    return fmt::format("{} already holds these drops ({}, same options): nothing written",
                       o.data_dir, shape);
  }
  return fmt::format("generated {} ({}) in {}, {}, {:.2f} s", count(s.rows, "row"), shape,
                     count(s.files, "file"), count(s.bytes, "byte"), s.seconds);
}

}  // namespace snapdelta::generate
