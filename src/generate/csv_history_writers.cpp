#include "generate/csv_history_writers.h"

#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "generate/day_compressor.h"
#include "generate/output_file.h"
#include "generate/scratch_file.h"

namespace snapdelta::generate {
namespace {

constexpr size_t kPiece = size_t{1} << 20;

class CsvDropWriter : public DropWriter {
 public:
  explicit CsvDropWriter(const std::filesystem::path& dir) : csv_(dir, "csv") {}

  void append(const void* data, size_t size) override { csv_.append(data, size); }

  void write(const std::string& path, const DropInfo&) override {
    csv_.sync();
    OutputFile out(path);
    out.append_file(csv_.path());
    out.commit();
  }

 protected:
  ScratchFile csv_;
};

class ZstdDropWriter : public CsvDropWriter {
 public:
  using CsvDropWriter::CsvDropWriter;

  void write(const std::string& path, const DropInfo&) override {
    csv_.sync();
    std::unique_ptr<DayCompressor> frame = make_zstd_frame_compressor(csv_.size());
    std::FILE* in = std::fopen(csv_.path().c_str(), "rb");
    if (in == nullptr) fail(csv_.path(), std::string("cannot open: ") + std::strerror(errno));
    OutputFile out(path);
    std::vector<char> piece(kPiece);
    std::vector<uint8_t> compressed;
    for (size_t n = 0; (n = std::fread(piece.data(), 1, piece.size(), in)) > 0;) {
      frame->append(piece.data(), n, compressed);
      out.write(compressed.data(), compressed.size());
      compressed.clear();
    }
    const bool bad = std::ferror(in) != 0;
    std::fclose(in);
    if (bad) fail(csv_.path(), "cannot read the file");
    frame->finish(compressed);
    out.write(compressed.data(), compressed.size());
    out.commit();
  }
};

}  // namespace

std::unique_ptr<DropWriter> make_csv_drop_writer(const std::filesystem::path& scratch_dir) {
  return std::make_unique<CsvDropWriter>(scratch_dir);
}

std::unique_ptr<DropWriter> make_zstd_drop_writer(const std::filesystem::path& scratch_dir) {
  return std::make_unique<ZstdDropWriter>(scratch_dir);
}

}  // namespace snapdelta::generate
