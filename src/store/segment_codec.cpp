#include "store/segment_codec.h"

#include <cstring>

namespace snapdelta {

std::string pack_segments(const std::vector<Segment>& segments) {
  std::string out(segments.size() * 24, '\0');
  for (size_t i = 0; i < segments.size(); ++i) {
    std::memcpy(&out[i * 24], &segments[i].end, 8);
    std::memcpy(&out[i * 24 + 8], &segments[i].lines, 8);
    std::memcpy(&out[i * 24 + 16], &segments[i].hash, 8);
  }
  return out;
}

std::vector<Segment> unpack_segments(const std::string& blob) {
  std::vector<Segment> out(blob.size() / 24);
  for (size_t i = 0; i < out.size(); ++i) {
    std::memcpy(&out[i].end, &blob[i * 24], 8);
    std::memcpy(&out[i].lines, &blob[i * 24 + 8], 8);
    std::memcpy(&out[i].hash, &blob[i * 24 + 16], 8);
  }
  return out;
}

}  // namespace snapdelta
