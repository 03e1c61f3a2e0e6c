// The parts every scan step is made of (drop_scan.cpp defines them; stream_scan.cpp shares them):
// the consumed ranges a pass must check, the parser that continues after the consumed lines, and
// the consumed state extended by what a pass parsed.
// Contract: expected_ranges() names [resume->out_offset, consumed end) as one range when resuming
// at a checkpoint, else every consumed segment (none when nothing was consumed); extend() sets
// crc32 to `crc` (the CRC-32 of every consumed byte, as checked) and adds a segment for the new
// bytes (a first run has one even for an empty stream).
#pragma once

#include <cstdint>
#include <vector>

#include "csv/job_parser.h"
#include "pipeline/member_stream.h"
#include "source/checkpoint.h"
#include "source/drop.h"
#include "source/stream_router.h"
#include "source/zip_entry.h"
#include "store/client_state.h"

namespace snapdelta {

std::vector<ExpectedRange> expected_ranges(const ClientState& old, const Checkpoint* resume);

// The parser for a pass over `drop` after `old` (nothing consumed: from the file start), filling
// `groups`, which it first makes the drop's job's.
JobParser make_parser(const Drop& drop, JobGroups& groups, const ClientState& old);

ClientState extend(const ClientState& old, const ZipEntry& entry, const JobParser& parser,
                   const StreamResult& r, uint32_t crc);

}  // namespace snapdelta
