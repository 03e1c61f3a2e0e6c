#include "source/drop_settler.h"

#include <sys/stat.h>

#include <algorithm>

#include "common/error.h"
#include "job/container.h"
#include "source/container_entry.h"
#include "source/drop_catalog.h"
#include "source/file_reader.h"
#include "source/gzip_reader.h"
#include "source/zstd_frames.h"

namespace snapdelta {
namespace {

// Complete as far as the container shows: a zip's central directory is there and names a member
// that lies inside the file; a gzip file's last member ends in its trailer; a zstd file's last
// frame is whole. Anything less is a drop still being written.
bool container_complete(const std::string& path, const Job& job) {
  try {
    const Container container = container_from_extension(path).value_or(job.source.container);
    locate_drop_entry(path, container, job.source.entry);
    if (container == Container::gzip) list_gzip_members(FileReader(path));
    if (container == Container::zstd) list_zstd_frames(FileReader(path));
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

std::chrono::milliseconds DropSettler::grace(std::chrono::milliseconds settle) {
  return std::max<std::chrono::milliseconds>(settle * 10, std::chrono::seconds(5));
}

DropSettler::DropSettler(std::string data_dir, std::chrono::milliseconds settle,
                         std::optional<int> through_day, const DropPattern& pattern, const Job& job)
    : data_dir_(std::move(data_dir)),
      settle_(settle),
      through_day_(through_day),
      pattern_(pattern),
      job_(&job) {}

std::optional<DropSettler::Signature> DropSettler::newest(const std::string& client) const {
  const std::optional<int> day = drops::newest_day(data_dir_, client, through_day_, pattern_);
  if (!day) return std::nullopt;
  struct stat st {};
  if (::stat(drops::drop_path(data_dir_, client, *day, pattern_).c_str(), &st) != 0)
    return std::nullopt;
  return Signature{*day, static_cast<int64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

void DropSettler::mark_taken(const std::string& client) {
  if (const std::optional<Signature> sig = newest(client)) taken_[client] = *sig;
}

void DropSettler::touch(const std::string& client, Clock::time_point now) {
  pending_[client] = now;
}

std::vector<SettledDrop> DropSettler::poll(Clock::time_point now) {
  std::vector<SettledDrop> out;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    if (const std::optional<Clock::time_point> again = judge(it->first, now, out)) {
      it->second = *again;
      ++it;
    } else {
      it = pending_.erase(it);
    }
  }
  return out;
}

// Judges one client's newest drop: hands it out (into `out`), or says when to look again
// (nullopt: not before the next touch).
std::optional<DropSettler::Clock::time_point> DropSettler::judge(const std::string& client,
                                                                 Clock::time_point now,
                                                                 std::vector<SettledDrop>& out) {
  const std::optional<Signature> sig = newest(client);
  if (!sig) return std::nullopt;
  if (const auto t = taken_.find(client); t != taken_.end() && t->second == *sig)
    return std::nullopt;
  const auto s = sightings_.find(client);
  if (s == sightings_.end() || !(s->second.seen == *sig)) {
    sightings_[client] = Sighting{*sig, now};  // new, or changed since: settle again
    return now + settle_;
  }
  const Sighting& seen = s->second;
  if (now < seen.since + settle_) return seen.since + settle_;
  // Incomplete: still being written, until it has held still past the grace too; then it is
  // handed out to be judged (and fail) where it is read.
  const Clock::time_point judged_at = seen.since + settle_ + grace(settle_);
  if (now < judged_at &&
      !container_complete(drops::drop_path(data_dir_, client, sig->day, pattern_), *job_)) {
    return judged_at;
  }
  taken_[client] = *sig;
  sightings_.erase(s);
  out.push_back(SettledDrop{client, sig->day});
  return std::nullopt;
}

std::optional<DropSettler::Clock::time_point> DropSettler::next_check() const {
  std::optional<Clock::time_point> next;
  for (const auto& [client, when] : pending_) next = next ? std::min(*next, when) : when;
  return next;
}

}  // namespace snapdelta
