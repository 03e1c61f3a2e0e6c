// full_scan: inflate and parse a whole drop into a fresh aggregate and the state that proves it.
// Contract: on return `table` holds every row's group sums and `state` (all but client, day, mode,
// groups) describes the consumed file: one segment, CRC checked against the zip, checkpoints near
// the end of the deflate stream. Any bad byte throws snapdelta::Error; nothing is written anywhere.
#pragma once

#include "aggregate/group_table.h"
#include "pipeline/run_report.h"
#include "pipeline/stream_router.h"
#include "source/file_reader.h"
#include "source/zip_entry.h"
#include "source/zlib_inflater.h"
#include "store/client_state.h"

namespace snapdelta {

// Checkpoints are captured at block boundaries in the last kCaptureSpan compressed bytes.
inline constexpr uint64_t kCaptureSpan = 1 << 20;

// threads >= 2 inflates on this thread while another parses (see PipelinedSink).
void full_scan(const FileReader& file, const ZipEntry& entry, GroupTable& table, ClientState& state,
               RunReport& report, int threads);

// Runs inflate_member into `router`, through a PipelinedSink when threads >= 2, and returns the
// total uncompressed size; adds the decompress time (excluding the router's own work) to `phase`.
uint64_t inflate_into(const FileReader& file, const ZipEntry& entry, const InflateOptions& options,
                      StreamRouter& router, int threads, RunReport& report, const char* phase);

// 0 means one per core.
int effective_threads(int requested);

}  // namespace snapdelta
