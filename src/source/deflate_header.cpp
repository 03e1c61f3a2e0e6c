#include "source/deflate_header.h"

#include <array>

namespace snapdelta {
namespace {

// Bits in deflate order (low bit of each byte first), bounds-checked.
class BitReader {
 public:
  BitReader(const uint8_t* data, size_t size, uint64_t bit) : data_(data), size_(size), bit_(bit) {}
  bool ok() const { return ok_; }
  uint64_t position() const { return bit_; }
  uint32_t bits(int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      const uint64_t byte = bit_ / 8;
      if (byte >= size_) {
        ok_ = false;
        return 0;
      }
      v |= static_cast<uint32_t>((data_[byte] >> (bit_ % 8)) & 1u) << i;
      ++bit_;
    }
    return v;
  }
  void align() { bit_ = (bit_ + 7) / 8 * 8; }

 private:
  const uint8_t* data_;
  size_t size_;
  uint64_t bit_;
  bool ok_ = true;
};

// The code-length code of a dynamic header: canonical Huffman over 19 symbols, codes up to 7
// bits, decoded a bit at a time (as zlib's contrib/puff does).
class LengthCode {
 public:
  // False for an over-subscribed set of lengths.
  bool build(const std::array<uint8_t, 19>& lengths) {
    count_.fill(0);
    for (uint8_t len : lengths) ++count_[len];
    int left = 1;
    for (int len = 1; len <= 7; ++len) {
      left = 2 * left - count_[len];
      if (left < 0) return false;
    }
    std::array<int, 8> offset{};
    for (int len = 1; len < 7; ++len) offset[len + 1] = offset[len] + count_[len];
    for (int sym = 0; sym < 19; ++sym) {
      if (lengths[sym] != 0) symbol_[offset[lengths[sym]]++] = static_cast<uint8_t>(sym);
    }
    return true;
  }
  // The next symbol, or -1 for a code that is not there.
  int decode(BitReader& in) const {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= 7; ++len) {
      code |= static_cast<int>(in.bits(1));
      const int count = count_[len];
      if (code - count < first) return symbol_[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return -1;
  }

 private:
  std::array<int, 8> count_{};
  std::array<uint8_t, 19> symbol_{};
};

// The code lengths of a dynamic header, from after HCLEN on; false for an invalid header.
bool skip_code_lengths(BitReader& in, int lit_codes, int dist_codes, int length_codes) {
  static constexpr std::array<int, 19> kOrder = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                 11, 4,  12, 3, 13, 2, 14, 1, 15};
  std::array<uint8_t, 19> lengths{};
  for (int i = 0; i < length_codes; ++i) lengths[kOrder[i]] = static_cast<uint8_t>(in.bits(3));
  LengthCode code;
  if (!in.ok() || !code.build(lengths)) return false;
  const int total = lit_codes + dist_codes;
  bool have_previous = false;
  for (int n = 0; n < total && in.ok();) {
    const int sym = code.decode(in);
    if (sym < 0) return false;
    int repeat = 1;
    if (sym == 16) {
      if (!have_previous) return false;
      repeat = 3 + static_cast<int>(in.bits(2));
    } else if (sym == 17) {
      repeat = 3 + static_cast<int>(in.bits(3));
    } else if (sym == 18) {
      repeat = 11 + static_cast<int>(in.bits(7));
    }
    have_previous = true;
    n += repeat;
    if (n > total) return false;
  }
  return in.ok();
}

}  // namespace

std::optional<uint64_t> deflate_header_end(const uint8_t* data, size_t size, uint64_t start_bit) {
  BitReader in(data, size, start_bit % 8);
  in.bits(1);  // BFINAL
  const uint32_t type = in.bits(2);
  bool valid = in.ok();
  if (type == 0) {
    in.align();
    const uint32_t len = in.bits(16);
    const uint32_t nlen = in.bits(16);
    valid = in.ok() && len == (~nlen & 0xffffu);
  } else if (type == 2) {
    const int lit_codes = 257 + static_cast<int>(in.bits(5));
    const int dist_codes = 1 + static_cast<int>(in.bits(5));
    const int length_codes = 4 + static_cast<int>(in.bits(4));
    valid = in.ok() && lit_codes <= 286 && dist_codes <= 30 &&
            skip_code_lengths(in, lit_codes, dist_codes, length_codes);
  } else if (type == 3) {
    valid = false;
  }
  if (!valid) return std::nullopt;
  return start_bit / 8 * 8 + in.position();
}

}  // namespace snapdelta
