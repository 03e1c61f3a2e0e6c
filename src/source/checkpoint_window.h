// CheckpointWindow: the up-to-32 KiB of output just before a checkpoint, held as captured (raw) or
// as a store keeps it (packed by window_codec), each form made from the other once, on first need.
// A store reads every checkpoint of a client but a run resumes from at most one, so unpacking
// waits until an inflater asks; a window read packed is saved again without repacking.
// Contract: bytes() is the raw window, or nullptr when a packed blob does not unpack (an unusable
// window: resuming from it must fail, never guess); packed() is the stored form (an unusable
// blob is kept as it was). Two windows are equal when both are usable and their bytes are equal.
// Not thread-safe: one thread at a time uses a checkpoint's window.
#pragma once

#include <optional>
#include <string>

namespace snapdelta {

class CheckpointWindow {
 public:
  CheckpointWindow() : raw_(std::string()) {}  // empty: a checkpoint at the stream's start
  static CheckpointWindow from_raw(std::string bytes);
  static CheckpointWindow from_packed(std::string blob);

  const std::string* bytes() const;
  const std::string& packed() const;
  bool operator==(const CheckpointWindow& other) const;

 private:
  mutable std::optional<std::string> raw_;
  mutable std::optional<std::string> packed_;
  mutable bool unusable_ = false;
};

}  // namespace snapdelta
