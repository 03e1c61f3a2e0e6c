// ParserSink: the end of a scan's byte stream: feeds a JobParser and times it.
// Contract: write() passes bytes on in order; finish() ends the parse (a last row without a line
// end); parse_ms() is the time spent in both.
#pragma once

#include <chrono>
#include <cstdint>

#include "csv/job_parser.h"
#include "source/byte_sink.h"

namespace snapdelta {

class ParserSink : public ByteSink {
 public:
  explicit ParserSink(JobParser& parser) : parser_(parser) {}
  void write(const uint8_t* data, size_t size) override {
    const auto t0 = std::chrono::steady_clock::now();
    parser_.feed(reinterpret_cast<const char*>(data), size);
    parse_ns_ += since(t0);
  }
  void finish() {
    const auto t0 = std::chrono::steady_clock::now();
    parser_.finish();
    parse_ns_ += since(t0);
  }
  double parse_ms() const { return static_cast<double>(parse_ns_) / 1e6; }

 private:
  static int64_t since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                t0)
        .count();
  }
  JobParser& parser_;
  int64_t parse_ns_ = 0;
};

}  // namespace snapdelta
