#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) with clang, ASan and UBSan, and runs each for
# SECONDS seconds (default 60) from a seed corpus generated here. A crash, leak, timeout or OOM
# input is saved as fuzz/regressions/<target>-<kind>-<sha1>, where tests/hostile_input_test.cpp
# replays it in the normal test build; commit it with the fix.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      (targets: csv_parser_fuzz zip_inflate_fuzz
#                                                     gzip_reader_fuzz zstd_reader_fuzz)
# Environment: SNAPDELTA_FUZZ_BUILD (build dir, default build-fuzz), SNAPDELTA_JOBS (default 2).
#
# All of snapdelta_core is compiled with -fsanitize=fuzzer-no-link (not only the target file) so
# that libFuzzer sees coverage inside the parser and the inflater it is exploring; the CMake
# option alone instruments just the target's own file.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"  # ccache: reuse objects across build folders and checkouts

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv_parser_fuzz zip_inflate_fuzz gzip_reader_fuzz zstd_reader_fuzz)
build="${SNAPDELTA_FUZZ_BUILD:-build-fuzz}"
jobs="${SNAPDELTA_JOBS:-2}"

sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSNAPDELTA_FUZZ=ON -DSNAPDELTA_TESTS=OFF \
  "-DCMAKE_C_FLAGS=$sanitize" "-DCMAKE_CXX_FLAGS=$sanitize" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j"$jobs" --target snapdelta "${targets[@]}"

# ---- seed corpus -------------------------------------------------------------------------------
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds/csv_parser_fuzz" "$seeds/zip_inflate_fuzz" "$seeds/gzip_reader_fuzz" \
  "$seeds/zstd_reader_fuzz" "$seeds/data"
ASAN_OPTIONS=detect_leaks=0 "$build/snapdelta" generate --data-dir "$seeds/data" --clients 2 --days 3 \
  --base-rows 40 --rows-per-day 6 --skus 12 --late-fraction 0.3 --threads 1 >/dev/null
for container in gzip gzip-append zstd zstd-append; do
  ASAN_OPTIONS=detect_leaks=0 "$build/snapdelta" generate --data-dir "$seeds/data-$container" \
    --clients 1 --days 3 --base-rows 40 --rows-per-day 6 --skus 12 --threads 1 \
    --container "$container" >/dev/null
done

# csv_parser_fuzz input: 1 start byte (bit 0: mid-file, bit 1: after an unterminated row, bits 2+:
# line number), 4 chunk-split seed bytes, then the CSV.
csv_seed() {  # name start-byte-octal csv-text
  { printf "\\$2\\001\\002\\003\\004"; printf '%s' "$3"; } >"$seeds/csv_parser_fuzz/$1"
}
n=0
for zip in "$seeds"/data/*/*.zip; do
  n=$((n + 1))
  { printf '\000\021\042\063\104'; unzip -p "$zip"; } >"$seeds/csv_parser_fuzz/generated-$n"
  # the same CSV without its first lines, as an incremental run would feed it
  { printf '\001\005\006\007\010'; unzip -p "$zip" | tail -n +20; } >"$seeds/csv_parser_fuzz/tail-$n"
done
header='transaction_id,transaction_date,sku_id,quantity_sold,revenue_usd'
csv_seed quoted 000 "$header"$'\n''1,"2025-10-01","SKU ""7""",3,"12.50"'$'\n'
csv_seed crlf 000 "$header"$'\r\n''1,2025-10-01,SKU-1,3,12.50'$'\r\n''2,2025-10-02,SKU-2,-1,0.5'$'\r\n'
csv_seed bom 000 $'\xef\xbb\xbf'"$header"$'\n''1,2025-10-01,SKU-1,3,12'$'\n'
csv_seed blank-and-unterminated 000 "$header"$'\n\n''1,2025-10-01,SKU-1,3,12.50'$'\n\n''2,2025-10-01,SKU-1,1,1'
csv_seed big-numbers 000 "$header"$'\n''1,2025-10-01,A,999999999999999999,92233720368547758.07'$'\n''2,2025-10-01,A,999999999999999999,92233720368547758.07'$'\n'
csv_seed bad-date 000 "$header"$'\n''1,2025-02-30,A,1,1.00'$'\n''2,1999-13-01,A,1,1'$'\n'
csv_seed after-unterminated 003 $'\n''7,2025-10-03,SKU-9,2,4.00'$'\n'
csv_seed after-unterminated-cr 003 $'\r\n''7,2025-10-03,SKU-9,2,4.00'
csv_seed extended-row 003 '5,2025-10-03,SKU-9,2,4.00'$'\n'
csv_seed mid-file 005 '8,2025-10-04,"S,K",2,4.00'$'\n''9,2025-10-04,x,2,"4"'$'\n'

# zip_inflate_fuzz input: 1 mode byte (0 archive, 1 deflate body, 2 mutated checkpoint), then
# mode-specific bytes (see fuzz/zip_inflate_fuzz.cpp).
n=0
for zip in "$seeds"/data/*/*.zip; do
  n=$((n + 1))
  { printf '\000\000\000\001\000'; cat "$zip"; } >"$seeds/zip_inflate_fuzz/archive-$n"
  # the member's raw deflate bytes: local header 30 bytes + name + extra, compressed size from the
  # central directory (generated drops are small: no data descriptor, no ZIP64)
  python3 - "$zip" "$seeds/zip_inflate_fuzz/deflate-$n" <<'PY' || true
import struct, sys, zipfile
info = zipfile.ZipFile(sys.argv[1]).infolist()[0]
raw = open(sys.argv[1], 'rb').read()
name_len, extra_len = struct.unpack('<HH', raw[info.header_offset + 26:info.header_offset + 30])
start = info.header_offset + 30 + name_len + extra_len
with open(sys.argv[2], 'wb') as out:
    out.write(bytes([1, 0, 0, 0, 0x10, 0]) + raw[start:start + info.compress_size])
PY
done
for i in 0 1 2 3 4 5 6 7; do
  printf "\\002\\00$i\\000" >"$seeds/zip_inflate_fuzz/resume-$i"
  printf "\\002\\00$i\\077\\003\\200\\020\\000\\000\\000\\100\\377\\001\\002\\003\\004\\005" \
    >"$seeds/zip_inflate_fuzz/mutated-$i"
done

# gzip_reader_fuzz and zstd_reader_fuzz input: 1 mode byte (0: the file as it is, 1: 3 split
# bytes then a text the target compresses itself), then the bytes (see fuzz/*_reader_fuzz.cpp).
for kind in gzip zstd; do
  n=0
  for drop in "$seeds"/data-"$kind"*/*/*; do
    n=$((n + 1))
    { printf '\000'; cat "$drop"; } >"$seeds/${kind}_reader_fuzz/drop-$n"
  done
  { printf '\001\007\052\200'; unzip -p "$(ls "$seeds"/data/client_1/*.zip | head -1)"; } \
    >"$seeds/${kind}_reader_fuzz/text"
  printf '\001\000\000\000' >"$seeds/${kind}_reader_fuzz/empty-text"
done

# ---- run ---------------------------------------------------------------------------------------
mkdir -p fuzz/regressions
status=0
summary=()
for target in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$target"
  mkdir -p "$corpus"
  case "$target" in
    csv_parser_fuzz) max_len=16384 ;;
    *) max_len=65536 ;;
  esac
  log="$build/$target.log"
  echo "== $target: ${seconds}s, -max_len=$max_len, -rss_limit_mb=512 (log: $log)"
  set +e
  # A smaller ASan quarantine keeps the process well under -rss_limit_mb.
  ASAN_OPTIONS="quarantine_size_mb=32:${ASAN_OPTIONS:-}" \
    "$build/$target" -max_total_time="$seconds" -rss_limit_mb=512 -max_len="$max_len" -timeout=30 \
      -print_final_stats=1 -artifact_prefix="fuzz/regressions/$target-" \
      "$corpus" "$seeds/$target" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  time=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "?")
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [ "$rc" -ne 0 ]; then
    status=1
    summary+=("$target: FAILED (exit $rc) after $execs executions in ${time}s, $cov; see $log and fuzz/regressions/")
    grep -E 'ERROR|SUMMARY|Test unit written|what\(\)' "$log" | head -20 || true
  else
    summary+=("$target: ok, $execs executions in ${time}s, $cov, peak RSS ${rss} MB, corpus $(ls "$corpus" | wc -l) inputs")
  fi
done
printf '%s\n' "${summary[@]}"
exit "$status"
