// PostgreSQL specifics of the store: URIs are recognised and printed without their password;
// a connection failure is one line naming host and database and never the password; a role with
// only SELECT/INSERT/UPDATE/DELETE (and USAGE on the schema) runs writers once `init` made the
// schema, and cannot without it; concurrent first writers create the schema once; a killed
// worker leaves nothing behind and frees its client at once.
#include "store/postgres_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "common/date.h"
#include "common/error.h"
#include "store/open_store.h"
#include "store/pg_uri.h"
#include "store_kind.h"

using namespace snapdelta;
using test::RefRow;
using Cells = std::vector<std::vector<std::string>>;

namespace {

JobGroups one_group(const char* sku, int64_t quantity) {
  return test::builtin_groups({{"2025-05-05", sku, quantity, quantity * 100}});
}

// `uri` with its user (and password) replaced.
std::string as_user(const std::string& uri, const std::string& userinfo) {
  const size_t begin = uri.find("://") + 3;
  const size_t at = uri.find('@', begin);
  const size_t end = uri.find_first_of("/?", begin);
  const size_t from = at != std::string::npos && at < end ? at + 1 : begin;
  return uri.substr(0, begin) + userinfo + "@" + uri.substr(from);
}

}  // namespace

TEST(PgUri, RecognisesBothSchemesOnly) {
  EXPECT_TRUE(is_postgres_uri("postgresql://h/db"));
  EXPECT_TRUE(is_postgres_uri("postgres://u@h/db"));
  EXPECT_TRUE(is_postgres_uri("postgresql:///db?host=/tmp"));
  EXPECT_FALSE(is_postgres_uri("poc_database.db"));
  EXPECT_FALSE(is_postgres_uri("postgresql.db"));
  EXPECT_FALSE(is_postgres_uri("./postgres://x"));
  EXPECT_FALSE(is_postgres_uri("sqlite://x"));
}

TEST(PgUri, RedactsPasswordsOnly) {
  EXPECT_EQ(redact_uri("postgresql://user:s3cret@host/db"), "postgresql://user:***@host/db");
  EXPECT_EQ(redact_uri("postgres://user:p%40ss:w@h1:5432,h2:5433/db?sslmode=require"),
            "postgres://user:***@h1:5432,h2:5433/db?sslmode=require");
  EXPECT_EQ(redact_uri("postgresql://user@host/db"), "postgresql://user@host/db");
  EXPECT_EQ(redact_uri("postgresql://host/db"), "postgresql://host/db");
  EXPECT_EQ(redact_uri("postgresql:///db?host=/tmp/x&password=abc&user=u"),
            "postgresql:///db?host=/tmp/x&password=***&user=u");
  EXPECT_EQ(redact_uri("postgresql://u:a@h/db?password=b"), "postgresql://u:***@h/db?password=***");
  EXPECT_EQ(redact_uri("postgresql://u:pw@h"), "postgresql://u:***@h");
}

TEST(PgUri, WithDatabaseKeepsUserHostsAndParameters) {
  EXPECT_EQ(uri_with_database("postgresql://u:p@h:1/old?host=/tmp/s&port=5", "t_1"),
            "postgresql://u:p@h:1/t_1?host=/tmp/s&port=5");
  EXPECT_EQ(uri_with_database("postgresql://postgres@/postgres?host=/tmp/d", "x"),
            "postgresql://postgres@/x?host=/tmp/d");
  EXPECT_EQ(uri_with_database("postgresql://h", "x"), "postgresql://h/x");
}

TEST(PostgresStore, DescribeHidesThePassword) {
  test::PgTestDatabase db;
  const std::string uri = as_user(db.uri(), "postgres:hunter2");  // trust auth ignores it
  const auto store = open_store(StoreOptions{uri});
  EXPECT_EQ(store->describe(), redact_uri(uri));
  EXPECT_EQ(store->describe().find("hunter2"), std::string::npos);
  EXPECT_NE(store->describe().find("postgres:***@"), std::string::npos);
  EXPECT_TRUE(store_exists(StoreOptions{uri}));
}

TEST(PostgresStore, ConnectionFailureIsOneLineNamingHostAndDatabaseNotThePassword) {
  const std::string uri = "postgresql://someone:hunter2@/nodb_here?host=/nonexistent/socket/dir";
  try {
    open_store(StoreOptions{uri});
    FAIL() << "connected to nothing";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.rfind("postgresql://someone:***@/nodb_here?host=/nonexistent/socket/dir: ", 0), 0u)
        << m;
    EXPECT_NE(m.find("host /nonexistent/socket/dir"), std::string::npos) << m;
    EXPECT_NE(m.find("database nodb_here"), std::string::npos) << m;
    EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
  // A server that is there, a database that is not.
  const std::string missing = uri_with_database(test::test_pg_server(), "no_such_database_x");
  try {
    open_store(StoreOptions{missing});
    FAIL() << "opened a missing database";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("database no_such_database_x"), std::string::npos) << m;
    EXPECT_NE(m.find("does not exist"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST(PostgresStore, ALimitedRoleRunsWritersOnceInitMadeTheSchema) {
  test::PgTestDatabase db;
  const std::string role = test::random_name("w_");
  test::PgRaw admin(db.uri());
  admin.exec("CREATE ROLE " + role + " LOGIN");
  admin.exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  admin.exec("GRANT USAGE ON SCHEMA public TO " + role);
  const std::string worker_uri = as_user(db.uri(), role);
  {
    const auto store = open_store(StoreOptions{worker_uri});
    try {
      store->begin_write("c");
      FAIL() << "a role without CREATE created the schema";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("cannot create the schema"), std::string::npos)
          << e.what();
    }
  }
  init_store(StoreOptions{db.uri()});
  admin.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
  {
    const auto store = open_store(StoreOptions{worker_uri});
    for (int round = 0; round < 2; ++round) {
      const auto w = store->begin_write("c");
      if (round == 0) {
        w->replace_groups(one_group("S", 2));
      } else {
        EXPECT_EQ(w->add_groups(one_group("S", 3)), 0u);
      }
      auto mark = w->mark();
      w->add_groups(one_group("T", 1));
      mark->rollback();
      ClientState s;
      s.client = "c";
      s.day = round + 1;
      s.mode = RunMode::incremental;
      w->save_state(s);
      RunLogEntry e;
      e.client = "c";
      e.day = round + 1;
      w->log_run(e);
      w->commit();
    }
    EXPECT_NE(store->try_begin_write("new_client"), nullptr);
    EXPECT_EQ(store->load_state("c")->day, 2);
    EXPECT_EQ(store->runs("c").size(), 2u);
  }
  EXPECT_EQ(admin.rows("c"), (std::vector<RefRow>{{"2025-05-05", "S", 5, 500, 2}}));
  admin.exec("DROP OWNED BY " + role);
  admin.exec("DROP ROLE " + role);
}

TEST(PostgresStore, ConcurrentFirstWritersCreateTheSchemaOnce) {
  test::PgTestDatabase db;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(6);
  for (size_t i = 0; i < errors.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        const auto store = open_store(StoreOptions{db.uri()});
        const auto w = store->begin_write("c" + std::to_string(i));
        w->add_groups(one_group("S", 1));
        w->commit();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  test::PgRaw raw(db.uri());
  EXPECT_EQ(raw.query("SELECT count(*) FROM processed_sales"), (Cells{{"6"}}));
  EXPECT_EQ(raw.query("SELECT count(*) FROM snapdelta_meta"), (Cells{{"2"}}));  // version, job
}

// A worker killed inside its write (SIGKILL: no rollback of its own) leaves nothing, and the
// client it held is free for the next worker right away.
TEST(PostgresStore, AKilledWorkerLeavesNothingAndFreesItsClient) {
  test::PgTestDatabase db;
  {
    const auto store = open_store(StoreOptions{db.uri()});
    const auto w = store->begin_write("c");
    w->replace_groups(one_group("S", 1));
    ClientState s;
    s.client = "c";
    s.day = 1;
    w->save_state(s);
    w->commit();
  }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      const auto store = open_store(StoreOptions{db.uri()});
      const auto w = store->begin_write("c");
      w->add_groups(one_group("S", 5));
      ClientState s;
      s.client = "c";
      s.day = 2;
      w->save_state(s);
      (void)!::write(ready[1], "x", 1);
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::close(ready[0]);
  const auto store = open_store(StoreOptions{db.uri(), StoreOpen::existing, 5000});
  EXPECT_EQ(store->try_begin_write("c"), nullptr) << "the live worker's client was not held";
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  const auto w = store->begin_write("c");  // waits at most until the server noticed the death
  EXPECT_EQ(w->load_state()->day, 1);
  EXPECT_EQ(test::PgRaw(db.uri()).rows("c"), (std::vector<RefRow>{{"2025-05-05", "S", 1, 100, 1}}));
}

TEST(PostgresStore, WithoutATestServerThePostgresTestsFailNotSkip) {
  const char* saved = std::getenv("SNAPDELTA_TEST_PG");
  const std::string keep = saved != nullptr ? saved : "";
  ::unsetenv("SNAPDELTA_TEST_PG");
  try {
    test::StoreKind kind("postgres");
    ADD_FAILURE() << "a postgres store kind without a server";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("scripts/test.sh"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("SNAPDELTA_TEST_PG"), std::string::npos);
  }
  if (saved != nullptr) ::setenv("SNAPDELTA_TEST_PG", keep.c_str(), 1);
}
