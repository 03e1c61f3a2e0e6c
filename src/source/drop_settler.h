// DropSettler: decides when a client's newest drop may be read, while drops may still be written.
// Contract:
// - touch(client, now) says something changed in the client's folder (a DropWatcher report).
//   poll(now) then judges each touched client's newest drop (the newest at or before
//   `through_day`, when given): it observes the file's size and modification time (ns), and hands
//   the drop out once both have stayed the same for `settle` since it first saw them AND
//   its container is complete: locate_drop_entry() succeeds on it (a zip's central directory is
//   complete and its member lies inside the file), a gzip file's members read to the end, each
//   with its trailer (list_gzip_members(): the whole file is inflated, without keeping the data),
//   a zstd file's frames are whole (list_zstd_frames(): block headers only); a CSV passes.
// - A drop that is stable but fails that check is taken as still being written for a further
//   grace (grace(settle): 10x settle, at least 5 s): it is not handed out before, and a change of
//   its size or mtime restarts the wait. Stable past the grace and still incomplete, it is handed
//   out all the same, to fail where it is read (as a one-shot sync would judge it), once until
//   the file changes. This is the one place where an Error of those checks is a verdict,
//   not a failure; a drop that passes it and is bad all the same fails where it is read.
// - Each (client, day, size, mtime) is handed out at most once: what the caller makes of it
//   (applied, failed) stands until the file changes. mark_taken(client) records the client's
//   newest drop as handed out already (one a plain sync read before the watching began).
// - next_check() is when poll() next has something to judge (a settle time ending, or a touch not
//   judged yet); nullopt when nothing is pending, i.e. only a touch can bring news.
// - A missing folder or drop is nothing to hand out; an unreadable folder throws as
//   drop_catalog.h does.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "job/builtin_job.h"
#include "job/drop_pattern.h"
#include "source/drop_catalog.h"

namespace snapdelta {

struct SettledDrop {
  std::string client;
  int day = 0;
};

class DropSettler {
 public:
  using Clock = std::chrono::steady_clock;

  // Drops are found through `pattern` and judged in the container `job` reads them as
  // (source/drop.h); `job` must outlive the settler.
  DropSettler(std::string data_dir, std::chrono::milliseconds settle,
              std::optional<int> through_day, const DropPattern& pattern = drops::default_pattern(),
              const Job& job = builtin_job());

  // How long a stable drop whose container is incomplete is still waited for, past `settle`.
  static std::chrono::milliseconds grace(std::chrono::milliseconds settle);

  void mark_taken(const std::string& client);
  void touch(const std::string& client, Clock::time_point now);
  std::vector<SettledDrop> poll(Clock::time_point now);
  std::optional<Clock::time_point> next_check() const;

 private:
  struct Signature {
    int day = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Signature&) const = default;
  };
  struct Sighting {
    Signature seen;
    Clock::time_point since;  // when `seen` was first observed
  };

  std::optional<Signature> newest(const std::string& client) const;
  std::optional<Clock::time_point> judge(const std::string& client, Clock::time_point now,
                                         std::vector<SettledDrop>& out);

  std::string data_dir_;
  std::chrono::milliseconds settle_;
  std::optional<int> through_day_;
  DropPattern pattern_;
  const Job* job_;
  std::map<std::string, Signature> taken_;
  std::map<std::string, Sighting> sightings_;
  std::map<std::string, Clock::time_point> pending_;  // client -> when to judge it next
};

}  // namespace snapdelta
