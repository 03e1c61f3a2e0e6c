#include "source/xxh64.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace snapdelta {
namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;
constexpr size_t kStripe = 32;

uint64_t read64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only, as the rest of the readers
}

uint32_t read32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

uint64_t round(uint64_t acc, uint64_t input) {
  acc += input * kP2;
  return std::rotl(acc, 31) * kP1;
}

uint64_t merge(uint64_t h, uint64_t acc) {
  h ^= round(0, acc);
  return h * kP1 + kP4;
}

// Consumes whole stripes from `p`; returns the bytes consumed.
size_t stripes(uint64_t (&acc)[4], const uint8_t* p, size_t size) {
  const size_t whole = size / kStripe * kStripe;
  uint64_t a = acc[0], b = acc[1], c = acc[2], d = acc[3];
  for (size_t i = 0; i < whole; i += kStripe) {
    a = round(a, read64(p + i));
    b = round(b, read64(p + i + 8));
    c = round(c, read64(p + i + 16));
    d = round(d, read64(p + i + 24));
  }
  acc[0] = a;
  acc[1] = b;
  acc[2] = c;
  acc[3] = d;
  return whole;
}

}  // namespace

Xxh64::Xxh64() : acc_{kP1 + kP2, kP2, 0, 0 - kP1} {}

void Xxh64::update(const uint8_t* data, size_t size) {
  total_ += size;
  if (pending_size_ > 0) {
    const size_t n = std::min(size, kStripe - pending_size_);
    std::memcpy(pending_ + pending_size_, data, n);
    pending_size_ += n;
    data += n;
    size -= n;
    if (pending_size_ < kStripe) return;
    stripes(acc_, pending_, kStripe);
    pending_size_ = 0;
  }
  const size_t done = stripes(acc_, data, size);
  pending_size_ = size - done;
  if (pending_size_ > 0) std::memcpy(pending_, data + done, pending_size_);
}

uint64_t Xxh64::digest() const {
  uint64_t h;
  if (total_ >= kStripe) {
    h = std::rotl(acc_[0], 1) + std::rotl(acc_[1], 7) + std::rotl(acc_[2], 12) +
        std::rotl(acc_[3], 18);
    for (const uint64_t acc : acc_) h = merge(h, acc);
  } else {
    h = kP5;  // seed 0
  }
  h += total_;
  const uint8_t* p = pending_;
  const uint8_t* end = pending_ + pending_size_;
  for (; end - p >= 8; p += 8) h = std::rotl(h ^ round(0, read64(p)), 27) * kP1 + kP4;
  if (end - p >= 4) {
    h = std::rotl(h ^ (uint64_t{read32(p)} * kP1), 23) * kP2 + kP3;
    p += 4;
  }
  for (; p < end; ++p) h = std::rotl(h ^ (uint64_t{*p} * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

}  // namespace snapdelta
