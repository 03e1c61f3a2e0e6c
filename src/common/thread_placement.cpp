#include "common/thread_placement.h"

#include <sched.h>

#include <thread>

namespace snapdelta {

int current_cpu() { return sched_getcpu(); }

void avoid_cpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0 || !CPU_ISSET(cpu, &set) || CPU_COUNT(&set) < 2) {
    return;
  }
  CPU_CLR(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

int effective_threads(int requested) {
  if (requested > 0) return requested;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace snapdelta
