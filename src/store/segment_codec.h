// The segment codec: a state's segments (client_state.h) as one blob, the form every store keeps.
// Contract: 24 bytes a segment: end, lines and hash, each 8 bytes in host byte order (as the
// SQLite store has always written them); unpack_segments(pack_segments(s)) == s, and a blob whose
// size is not a multiple of 24 loses its incomplete tail.
#pragma once

#include <string>
#include <vector>

#include "store/client_state.h"

namespace snapdelta {

std::string pack_segments(const std::vector<Segment>& segments);
std::vector<Segment> unpack_segments(const std::string& blob);

}  // namespace snapdelta
