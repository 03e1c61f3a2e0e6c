#include "generate/append_drop_writer.h"

#include <vector>

#include "generate/output_file.h"
#include "generate/scratch_file.h"

namespace snapdelta::generate {
namespace {

class AppendDropWriter : public DropWriter {
 public:
  AppendDropWriter(std::unique_ptr<DayCompressor> compressor, const std::filesystem::path& dir)
      : compressor_(std::move(compressor)), units_(dir, "units") {}

  void append(const void* data, size_t size) override {
    compressor_->append(data, size, pending_);
    flush_pending(false);
  }

  void end_day() override {
    compressor_->finish(pending_);
    flush_pending(true);
    units_.sync();
  }

  void write(const std::string& path, const DropInfo&) override {
    OutputFile out(path);
    out.append_file(units_.path());
    out.commit();
  }

 private:
  // Moves the compressed bytes to the scratch file once there are enough of them (or all).
  void flush_pending(bool all) {
    if (!all && pending_.size() < (size_t{1} << 20)) return;
    units_.append(pending_.data(), pending_.size());
    pending_.clear();
  }

  std::unique_ptr<DayCompressor> compressor_;
  ScratchFile units_;
  std::vector<uint8_t> pending_;
};

}  // namespace

std::unique_ptr<DropWriter> make_append_drop_writer(std::unique_ptr<DayCompressor> compressor,
                                                    const std::filesystem::path& scratch_dir) {
  return std::make_unique<AppendDropWriter>(std::move(compressor), scratch_dir);
}

}  // namespace snapdelta::generate
