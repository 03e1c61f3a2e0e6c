// Thread placement for two-thread pipelines. A new thread is often started on its creator's CPU
// and waits there for the scheduler to move it, time-sharing one core while another idles (on a
// 100K-row tail, the same write took 3.4 or 6.6 ms depending on where its helper thread ran),
// and how many threads a run uses.
// Contract: avoid_cpu(cpu) lets the calling thread run on any CPU it may use except `cpu`; it does
// nothing when `cpu` is negative or is the only one allowed. Never throws.
#pragma once

namespace snapdelta {

// The CPU the calling thread runs on, or -1 if unknown.
int current_cpu();

void avoid_cpu(int cpu);

// The number of threads a run uses when asked for `requested`: 0 means one per core.
int effective_threads(int requested);

}  // namespace snapdelta
