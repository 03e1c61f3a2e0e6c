// PipelinedSink: hands decompressed bytes to another thread, so inflating (this thread) and
// parsing (the consumer thread) overlap on two cores.
// Contract: bytes reach `downstream` in order, in chunks of up to `chunk_bytes`, on one consumer
// thread. If the consumer throws, the next write() or finish() rethrows that exception here and
// nothing more is delivered. finish() delivers the rest and waits; the destructor stops the thread
// (dropping undelivered bytes) if finish() was not reached. Memory: depth x chunk_bytes. The
// consumer thread starts away from its creator's CPU (common/thread_placement.h).
#pragma once

#include <absl/base/thread_annotations.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "source/byte_sink.h"

namespace snapdelta {

class PipelinedSink : public ByteSink {
 public:
  explicit PipelinedSink(ByteSink& downstream, size_t chunk_bytes = 1 << 20, size_t depth = 6);
  ~PipelinedSink() override;
  PipelinedSink(const PipelinedSink&) = delete;
  PipelinedSink& operator=(const PipelinedSink&) = delete;

  void write(const uint8_t* data, size_t size) override;
  void finish();
  // Time this thread spent waiting for a free buffer (the consumer was behind).
  double wait_ms() const { return wait_ns_ / 1e6; }

 private:
  struct Buffer {
    std::vector<uint8_t> bytes;
    size_t used = 0;
  };
  void consume();
  void submit();
  void stop();

  ByteSink& downstream_;
  size_t chunk_bytes_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Buffer> full_ ABSL_GUARDED_BY(mu_);
  std::vector<Buffer> free_ ABSL_GUARDED_BY(mu_);
  Buffer current_;  // the producer's alone
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::exception_ptr error_ ABSL_GUARDED_BY(mu_);
  int64_t wait_ns_ = 0;
  std::thread thread_;
};

}  // namespace snapdelta
