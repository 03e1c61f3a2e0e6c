#!/usr/bin/env bash
# Installs every Debian package that snapdelta's build, tests, fuzzers and benchmarks need.
# Non-interactive and idempotent: when everything is present it returns in well under a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  zlib1g-dev libminizip-dev libisal-dev
  libsqlite3-dev sqlite3 postgresql libpq-dev libabsl-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format valgrind
  librsvg2-bin ccache libtomlplusplus-dev libzstd-dev python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Node.js + npm run the optional peer benchmarks (Polars, DuckDB); the image may ship them already.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The peer benchmarks' npm packages (Polars, DuckDB), pinned by peers/package-lock.json. Optional
# on a workstation: without them `snapdelta bench --peers` says it skips the peers. In CI
# (CI=true) they are required, since the peers test must run there: a failed npm ci fails.
peers="$(cd "$(dirname "$0")/.." && pwd)/peers"
if command -v npm >/dev/null 2>&1 && [ -f "$peers/package-lock.json" ] && [ ! -d "$peers/node_modules" ]; then
  echo "install-deps: npm ci in peers/"
  if ! (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    rm -rf "$peers/node_modules"  # a half-installed tree would look installed next time
    if [ "${CI:-}" = "true" ]; then
      echo "install-deps: expected npm ci to install peers/node_modules (CI=true), found it failed" >&2
      exit 1
    fi
    echo "install-deps: npm ci failed in peers/; the peer benchmarks will be skipped"
  fi
fi
