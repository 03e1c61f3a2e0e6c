// GrowRegion: memory that grows in place — a range of address space reserved once (no memory
// behind it) whose start is made writable, in whole 2 MiB steps, as far as the bytes asked for,
// advised onto transparent huge pages (a fresh 4 KiB page costs 10-25 us to fault in on the
// virtual machines measured here; a 2 MiB huge page about as much as one of them). Without huge
// pages (THP off, or another kernel) the pages are ordinary ones, still never copied while the
// region grows within its reservation.
// Contract: after commit(n), data()[0..n) is writable and keeps the bytes written before; new bytes
// read as zero. data() stays put unless n passes the reservation (at least `min_reserve` bytes,
// or twice the bytes first asked for): then the region moves to a larger one, its bytes copied.
// Out of memory or address space throws std::bad_alloc. Memory is released by the destructor.
// Movable, not copyable.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapdelta {

class GrowRegion {
 public:
  static constexpr size_t kReserve = size_t{256} << 20;

  explicit GrowRegion(size_t min_reserve = kReserve) : min_reserve_(min_reserve) {}
  ~GrowRegion();
  GrowRegion(GrowRegion&& o) noexcept;
  GrowRegion& operator=(GrowRegion&& o) noexcept;
  GrowRegion(const GrowRegion&) = delete;
  GrowRegion& operator=(const GrowRegion&) = delete;

  bool reserved() const { return base_ != nullptr; }
  uint8_t* data() const { return base_; }
  size_t committed() const { return committed_; }
  void commit(size_t bytes);

 private:
  void reserve(size_t bytes);
  void release();

  size_t min_reserve_;
  uint8_t* base_ = nullptr;
  size_t reserved_ = 0;
  size_t committed_ = 0;
};

}  // namespace snapdelta
