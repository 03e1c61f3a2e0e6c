#include "source/checkpoint_window.h"

#include <utility>

#include "source/window_codec.h"

namespace snapdelta {

CheckpointWindow CheckpointWindow::from_raw(std::string bytes) {
  CheckpointWindow w;
  w.raw_ = std::move(bytes);
  return w;
}

CheckpointWindow CheckpointWindow::from_packed(std::string blob) {
  CheckpointWindow w;
  w.raw_.reset();
  w.packed_ = std::move(blob);
  return w;
}

const std::string* CheckpointWindow::bytes() const {
  if (!raw_ && !unusable_) {
    std::string out;
    if (unpack_window(*packed_, out)) {
      raw_ = std::move(out);
    } else {
      unusable_ = true;
    }
  }
  return raw_ ? &*raw_ : nullptr;
}

const std::string& CheckpointWindow::packed() const {
  if (!packed_) packed_ = pack_window(*raw_);
  return *packed_;
}

bool CheckpointWindow::operator==(const CheckpointWindow& other) const {
  const std::string* a = bytes();
  const std::string* b = other.bytes();
  return a && b && *a == *b;
}

}  // namespace snapdelta
