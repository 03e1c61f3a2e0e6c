#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: Debian's binaries, run as the postgres user, in a
# directory of its own (data and Unix socket; no TCP), with durability off (fsync,
# synchronous_commit, full_page_writes) since nothing in it outlives the test run.
#   scripts/pg-server.sh start DIR   initdb + start in DIR (created if needed); prints the URI
#   scripts/pg-server.sh uri DIR     prints the URI of the server in DIR
#   scripts/pg-server.sh stop DIR    stops the server and removes DIR
# The URI names the server's `postgres` database as the postgres superuser (trust auth, socket
# only); tests create a database of their own through it.
set -euo pipefail

bin=${SNAPDELTA_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
port=5432

die() { echo "pg-server: $*" >&2; exit 1; }
as_postgres() { runuser -u postgres -- "$@"; }
uri() { echo "postgresql://postgres@/postgres?host=$1&port=$port"; }

start() {
  local dir=$1
  [ -x "$bin/initdb" ] || die "expected PostgreSQL's initdb in ${bin:-/usr/lib/postgresql/*/bin}, found none (scripts/install-deps.sh installs postgresql)"
  id postgres >/dev/null 2>&1 || die "expected a postgres user (created by the postgresql package), found none"
  mkdir -p "$dir"
  chown postgres: "$dir"
  chmod 755 "$dir"
  as_postgres "$bin/initdb" --no-sync --no-instructions -A trust -U postgres -E UTF8 --locale=C \
    -D "$dir/data" >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 3 "$dir/initdb.log")"
  as_postgres "$bin/pg_ctl" start -w -t 30 -D "$dir/data" -l "$dir/server.log" -o \
    "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || die "the server did not start: $(tail -n 3 "$dir/server.log" 2>/dev/null)"
  uri "$dir"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" stop -m immediate -D "$dir/data" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: $0 start DIR"; start "$2" ;;
  uri) [ $# -eq 2 ] || die "usage: $0 uri DIR"; uri "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  *) die "usage: $0 start|uri|stop DIR" ;;
esac
