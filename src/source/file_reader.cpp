#include "source/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace snapdelta {

FileReader::FileReader(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) fail(path_, std::string("cannot open file: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail(path_, std::string("cannot stat file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    fail(path_, "expected a file, found a directory");
  }
  size_ = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

void FileReader::read_at(uint64_t offset, void* out, size_t size) const {
  auto* dst = static_cast<char*>(out);
  while (size > 0) {
    const ssize_t n = ::pread(fd_, dst, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path_, std::string("read error: ") + std::strerror(errno));
    }
    if (n == 0) fail(path_, "unexpected end of file (truncated?)");
    dst += n;
    offset += static_cast<uint64_t>(n);
    size -= static_cast<size_t>(n);
  }
}

}  // namespace snapdelta
