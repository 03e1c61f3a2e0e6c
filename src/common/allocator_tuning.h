// tune_allocator: glibc malloc settings for a process that runs many clients one after another on
// several threads. Contract: call once, first thing in main(); it only changes when freed memory
// goes back to the kernel (buffers under 1 MiB always come from the heap, and up to 8 MiB of free
// heap is kept), never what is allocated. Measured on `sync` of 50 clients with 2 jobs: glibc's
// default (a threshold that moves, trimming at 128 KiB) gave clients their 256 KiB inflate buffers
// as fresh pages again and again (4,000-8,000 page faults a sync instead of about 1,350) and cost
// 10-20% of the CPU time. A full run's peak memory moves by under 4% (16.0 -> 16.6 MB); a higher
// threshold (4-32 MiB) kept as few faults but raised that peak by 12%.
#pragma once

namespace snapdelta {

void tune_allocator();

}  // namespace snapdelta
