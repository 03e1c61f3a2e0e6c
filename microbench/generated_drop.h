// GeneratedDrop: the generator's drop of one client's first day (`rows` rows, one thread) in a
// temporary folder of its own, removed with it: the data every micro-benchmark fixture starts from.
// csv() inflates the drop whole and returns its CSV text.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "generate/generator.h"
#include "source/drop.h"
#include "source/member_inflate.h"

namespace snapdelta {

struct GeneratedDrop {
  std::string dir;
  std::string zip;

  explicit GeneratedDrop(int64_t rows) {
    char tmpl[] = "/tmp/snapdelta-microbench-XXXXXX";
    dir = mkdtemp(tmpl);
    generate::Options o;
    o.data_dir = dir;
    o.clients = 1;
    o.days = 1;
    o.base_rows = rows;
    o.threads = 1;
    generate::run(o);
    zip = dir + "/client_1/transactions_day_1.zip";
  }
  ~GeneratedDrop() { std::filesystem::remove_all(dir); }
  GeneratedDrop(const GeneratedDrop&) = delete;
  GeneratedDrop& operator=(const GeneratedDrop&) = delete;

  std::string csv() const {
    struct Collect : ByteSink {
      std::string text;
      void write(const uint8_t* d, size_t n) override {
        text.append(reinterpret_cast<const char*>(d), n);
      }
    } sink;
    inflate_drop_member(Drop(zip), InflateOptions{}, sink);
    return std::move(sink.text);
  }
};

}  // namespace snapdelta
