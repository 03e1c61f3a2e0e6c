#include "generate/drop_writer.h"

#include "generate/append_drop_writer.h"
#include "generate/csv_history_writers.h"
#include "generate/deflate_drop_writers.h"

namespace snapdelta::generate {

std::unique_ptr<DropWriter> make_drop_writer(Container container,
                                             const std::filesystem::path& scratch_dir) {
  switch (container) {
    case Container::zip:
      return make_zip_drop_writer();
    case Container::gzip:
      return make_gzip_drop_writer();
    case Container::gzip_append:
      return make_append_drop_writer(make_gzip_member_compressor(), scratch_dir);
    case Container::csv:
      return make_csv_drop_writer(scratch_dir);
    case Container::zstd:
      return make_zstd_drop_writer(scratch_dir);
    case Container::zstd_append:
      break;
  }
  return make_append_drop_writer(make_zstd_frame_compressor(), scratch_dir);
}

}  // namespace snapdelta::generate
