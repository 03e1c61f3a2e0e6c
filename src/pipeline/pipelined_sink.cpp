#include "pipeline/pipelined_sink.h"

#include <chrono>
#include <cstring>

#include "common/thread_placement.h"

namespace snapdelta {

PipelinedSink::PipelinedSink(ByteSink& downstream, size_t chunk_bytes, size_t depth)
    : downstream_(downstream), chunk_bytes_(chunk_bytes) {
  for (size_t i = 0; i + 1 < depth; ++i)
    free_.push_back(Buffer{std::vector<uint8_t>(chunk_bytes), 0});
  current_ = Buffer{std::vector<uint8_t>(chunk_bytes), 0};
  thread_ = std::thread([this, cpu = current_cpu()] {
    avoid_cpu(cpu);
    consume();
  });
}

PipelinedSink::~PipelinedSink() { stop(); }

void PipelinedSink::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    done_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PipelinedSink::consume() {
  for (;;) {
    Buffer b;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !full_.empty() || done_ || stopped_ || error_; });
      if (stopped_ || error_ || full_.empty()) return;
      b = std::move(full_.front());
      full_.pop_front();
    }
    try {
      downstream_.write(b.bytes.data(), b.used);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = std::current_exception();
      cv_.notify_all();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      b.used = 0;
      free_.push_back(std::move(b));
    }
    cv_.notify_all();
  }
}

void PipelinedSink::submit() {
  const auto t0 = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  if (error_) std::rethrow_exception(error_);
  full_.push_back(std::move(current_));
  cv_.notify_all();
  cv_.wait(lock, [&] { return !free_.empty() || error_; });
  if (error_) std::rethrow_exception(error_);
  current_ = std::move(free_.back());
  free_.pop_back();
  wait_ns_ +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
}

void PipelinedSink::write(const uint8_t* data, size_t size) {
  while (size > 0) {
    const size_t n = std::min(size, chunk_bytes_ - current_.used);
    std::memcpy(current_.bytes.data() + current_.used, data, n);
    current_.used += n;
    data += n;
    size -= n;
    if (current_.used == chunk_bytes_) submit();
  }
}

void PipelinedSink::finish() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (error_) std::rethrow_exception(error_);
    if (current_.used > 0) full_.push_back(std::move(current_));
    done_ = true;
    cv_.notify_all();
  }
  thread_.join();
  if (error_) std::rethrow_exception(error_);
}

}  // namespace snapdelta
