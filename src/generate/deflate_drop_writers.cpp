#include "generate/deflate_drop_writers.h"

#include <array>
#include <vector>

#include "generate/cumulative_deflate.h"
#include "generate/output_file.h"
#include "generate/zip_writer.h"

namespace snapdelta::generate {
namespace {

class ZipDropWriter : public DropWriter {
 public:
  void append(const void* data, size_t size) override { deflate_.append(data, size); }

  void write(const std::string& path, const DropInfo& info) override {
    const std::vector<uint8_t> tail = deflate_.finish_copy();
    ZipEntry entry;
    entry.name = info.entry_name;
    entry.deflate_pieces = {deflate_.compressed(), tail};
    entry.uncompressed_size = deflate_.uncompressed_size();
    entry.crc32 = deflate_.crc32();
    entry.date = info.date;
    write_zip(path, entry);
  }

 private:
  CumulativeDeflate deflate_;
};

void put_little32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

class GzipDropWriter : public DropWriter {
 public:
  void append(const void* data, size_t size) override { deflate_.append(data, size); }

  void write(const std::string& path, const DropInfo&) override {
    // ID1 ID2 CM=8 FLG=0 MTIME=0 XFL=0 OS=3 (Unix), as zlib writes it.
    static constexpr std::array<uint8_t, 10> kHeader = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    const std::vector<uint8_t> tail = deflate_.finish_copy();
    std::array<uint8_t, 8> trailer{};
    put_little32(trailer.data(), deflate_.crc32());
    put_little32(trailer.data() + 4, static_cast<uint32_t>(deflate_.uncompressed_size()));
    OutputFile out(path);
    out.write(kHeader);
    out.write(deflate_.compressed());
    out.write(tail);
    out.write(trailer);
    out.commit();
  }

 private:
  CumulativeDeflate deflate_;
};

}  // namespace

std::unique_ptr<DropWriter> make_zip_drop_writer() { return std::make_unique<ZipDropWriter>(); }

std::unique_ptr<DropWriter> make_gzip_drop_writer() { return std::make_unique<GzipDropWriter>(); }

}  // namespace snapdelta::generate
