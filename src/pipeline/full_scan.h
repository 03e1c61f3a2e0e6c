// full_scan: inflate and parse a whole drop into a fresh aggregate and the state that proves it.
// Contract: on return `table` holds every row's group sums and `state` (all but client, day, mode,
// groups) describes the consumed file: one segment, CRC checked against the zip, checkpoints near
// the end of the deflate stream. Any bad byte throws snapdelta::Error; nothing is written anywhere.
#pragma once

#include "aggregate/group_table.h"
#include "pipeline/run_report.h"
#include "source/file_reader.h"
#include "source/zip_entry.h"
#include "store/client_state.h"

namespace snapdelta {

// Checkpoints are captured at block boundaries in the last kCaptureSpan compressed bytes.
inline constexpr uint64_t kCaptureSpan = 1 << 20;

void full_scan(const FileReader& file, const ZipEntry& entry, GroupTable& table, ClientState& state,
               RunReport& report);

}  // namespace snapdelta
