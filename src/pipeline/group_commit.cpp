#include "pipeline/group_commit.h"

#include <chrono>
#include <exception>

namespace snapdelta {

GroupCommitter::GroupCommitter(StoreOptions where, const Job& job, GroupLimits limits)
    : store_(std::move(where), job), limits_(limits), timer_([this] { close_when_due(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    close_locked();
  }
  due_.notify_all();
}

FenceTurn GroupCommitter::land(const std::string& client, const std::optional<ClientState>& basis,
                               const ClientWriter& write, Landed landed) {
  std::unique_lock lock(mu_);
  if (!group_) {
    group_ = store_.get().begin_group();
    deadline_ = Clock::now() + std::chrono::milliseconds(limits_.ms);
    due_.notify_all();
  }
  FenceTurn turn = FenceTurn::held;
  if (const auto w = group_->try_add(client)) {
    if (!same_consumption(w->load_progress(), basis)) return FenceTurn::moved;  // undone
    write(*w);
    kept_.push_back(std::move(landed));
    turn = FenceTurn::applied;
  }
  if (kept_.size() >= static_cast<size_t>(limits_.clients) || Clock::now() >= deadline_) {
    close_locked();
  }
  return turn;
}

void GroupCommitter::flush() {
  std::lock_guard lock(mu_);
  close_locked();
}

size_t GroupCommitter::groups() {
  std::lock_guard lock(mu_);
  return groups_;
}

// Commits the open group (if any) and tells its kept clients how it ended.
void GroupCommitter::close_locked() {
  if (!group_) return;
  std::string error;
  try {
    group_->commit();
    if (!kept_.empty()) ++groups_;
  } catch (const std::exception& e) {
    error = e.what();
  }
  group_.reset();  // rolls back what a failed commit left
  std::vector<Landed> kept = std::move(kept_);
  kept_.clear();
  for (const Landed& landed : kept) landed(error, groups_);
}

// The timer: closes a group `limits_.ms` after it opened, should no caller come to close it.
void GroupCommitter::close_when_due() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (!group_) {
      due_.wait(lock);
    } else if (Clock::now() < deadline_) {
      due_.wait_until(lock, deadline_);
    } else {
      close_locked();
    }
  }
}

}  // namespace snapdelta
