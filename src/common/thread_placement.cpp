#include "common/thread_placement.h"

#include <sched.h>

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

}  // namespace snapdelta
