// Tests for src/source/drop_watcher: files written into a client folder report that client (once
// per read), a folder created later is watched and reported, a removed folder stops being
// watched, and the data dir missing or removed is a one-line Error naming it.
#include "source/drop_watcher.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace snapdelta;
using test::TempDir;

namespace {

// Waits up to 2 s for events, then reads them all.
std::vector<std::string> next_report(DropWatcher& w) {
  pollfd fd{w.fd(), POLLIN, 0};
  if (::poll(&fd, 1, 2000) <= 0) return {};
  return w.read();
}

TEST(DropWatcher, ReportsClientsWhoseFoldersChange) {
  TempDir dir("watcher");
  fs::create_directories(dir.path() / "client_1");
  fs::create_directories(dir.path() / "client_2");
  DropWatcher w(dir.str());
  EXPECT_TRUE(w.read().empty()) << "nothing happened yet";
  test::write_file(dir / "client_2/transactions_day_1.zip", "abc");
  test::write_file(dir / "client_2/transactions_day_2.zip", "abc");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_2"});
  fs::rename(dir / "client_2/transactions_day_2.zip", dir / "client_1/transactions_day_2.zip");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_1"});
}

TEST(DropWatcher, WatchesFoldersCreatedLaterAndForgetsRemovedOnes) {
  TempDir dir("watcher");
  DropWatcher w(dir.str());
  fs::create_directories(dir.path() / "client_3");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_3"});
  test::write_file(dir / "client_3/transactions_day_1.zip", "abc");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_3"});
  fs::remove_all(dir.path() / "client_3");
  next_report(w);
  fs::create_directories(dir.path() / "client_3");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_3"});
  test::write_file(dir / "client_3/transactions_day_2.zip", "abc");
  EXPECT_EQ(next_report(w), std::vector<std::string>{"client_3"});
}

TEST(DropWatcher, DataDirMissingOrRemovedIsAnError) {
  TempDir dir("watcher");
  const std::string missing = dir / "missing";
  try {
    DropWatcher w(missing);
    ADD_FAILURE() << "watched a missing directory";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(missing + ": expected a data directory to watch", 0), 0u)
        << e.what();
  }
  const std::string data = dir / "data";
  fs::create_directories(data);
  DropWatcher w(data);
  fs::remove_all(data);
  try {
    next_report(w);
    ADD_FAILURE() << "went on after the data dir was removed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("removed or moved away"), std::string::npos) << e.what();
  }
}

}  // namespace
