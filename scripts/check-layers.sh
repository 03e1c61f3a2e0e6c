#!/usr/bin/env bash
# Checks that every #include "layer/..." in src/ points at the same layer or one below it, in the
# order the README's design section gives (lowest first), and that only src/store/ includes SQLite.
# Prints each offending line as file:line: ... and exits 1 if there is any.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
layers=(common job source aggregate csv store pipeline generate bench cli)
rank() {
  local i
  for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done
  echo -1
}
bad=0
for dir in src/*/; do
  layer=$(basename "$dir")
  own=$(rank "$layer")
  if [ "$own" -lt 0 ]; then
    echo "src/$layer: not a layer the README names (${layers[*]})"
    bad=1
    continue
  fi
  files=("$dir"*.h "$dir"*.cpp)
  [ ${#files[@]} -gt 0 ] || continue
  while IFS=: read -r file line text; do
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$text")
    to=$(rank "$target")
    if [ "$to" -lt 0 ] || [ "$to" -gt "$own" ]; then
      echo "$file:$line: $layer may not include $target ($text)"
      bad=1
    fi
  done < <(grep -nE '^#include "[a-z_]+/' "${files[@]}" || true)
  if [ "$layer" != store ]; then
    while IFS= read -r hit; do
      echo "$hit: only src/store/ may include SQLite"
      bad=1
    done < <(grep -nE '^#include <sqlite3\.h>' "${files[@]}" | cut -d: -f1,2 || true)
  fi
done
[ "$bad" = 0 ] && echo "layers: every #include follows ${layers[*]}"
exit "$bad"
