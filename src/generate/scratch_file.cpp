#include "generate/scratch_file.h"

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace snapdelta::generate {

ScratchFile::ScratchFile(const std::filesystem::path& dir, const std::string& tag)
    : path_((dir / (".snapdelta-generate-" + tag + ".tmp")).string()) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) fail(path_, std::string("cannot create the file: ") + std::strerror(errno));
}

ScratchFile::~ScratchFile() {
  std::fclose(file_);
  std::remove(path_.c_str());
}

void ScratchFile::append(const void* data, size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    fail(path_, std::string("cannot write the file: ") + std::strerror(errno));
  }
  size_ += size;
}

void ScratchFile::sync() {
  if (std::fflush(file_) != 0) {
    fail(path_, std::string("cannot write the file: ") + std::strerror(errno));
  }
}

}  // namespace snapdelta::generate
