// PipelinedSink: hands decompressed bytes to another thread, so inflating (this thread) and
// parsing (the consumer thread) overlap on two cores.
// Contract: bytes reach `downstream` in order, in chunks of up to `chunk_bytes`, on one consumer
// thread. If the consumer throws, the next write() or finish() rethrows that exception here and
// nothing more is delivered. finish() delivers the rest and waits; the destructor stops the thread
// (dropping undelivered bytes) if finish() was not reached. Memory: depth x chunk_bytes.
// `idle` (optional) is side work in small units: either thread runs a unit whenever it would
// otherwise wait (the consumer with nothing to parse, the producer with no free buffer or at
// finish()), until it returns false; by the time finish() returns it has returned false. An
// exception from it is handled like one from the consumer.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "source/byte_sink.h"

namespace snapdelta {

class PipelinedSink : public ByteSink {
 public:
  explicit PipelinedSink(ByteSink& downstream, size_t chunk_bytes = 1 << 20, size_t depth = 6,
                         std::function<bool()> idle = {});
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
  // Runs one unit of idle work outside the lock (held on entry and return); false when none is
  // left.
  bool idle_unit(std::unique_lock<std::mutex>& lock);

  ByteSink& downstream_;
  size_t chunk_bytes_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Buffer> full_;
  std::vector<Buffer> free_;
  Buffer current_;
  bool done_ = false;
  bool stopped_ = false;
  std::exception_ptr error_;
  std::function<bool()> idle_;
  bool idle_left_ = false;
  int64_t wait_ns_ = 0;
  std::thread thread_;
};

}  // namespace snapdelta
