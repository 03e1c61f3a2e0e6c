#!/usr/bin/env bash
# Checks the layer rules of src/ before anything is built, and prints each offence as
# file:line: ... (exit 1 if there is any):
# - every #include "layer/..." points at the same layer or one below it, in the order the
#   README's design section gives (lowest first), and never at a layer a rule below keeps apart;
# - a library's headers are included only in the layers that own it (compression in source and
#   generate, the databases in store, TOML in job);
# - in CMakeLists.txt each layer's library (snapdelta_layer(NAME deps...)) links only layers
#   below it, and only the third-party libraries its layer owns.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
layers=(common job source aggregate csv store pipeline generate bench cli)
# Layers that may not use another though it lies below them: the store keeps checkpoints as plain
# data (store/stored_checkpoint.h) and knows nothing of containers or inflaters.
apart=("store:source")
# Library header (a regex on the include's name) -> the layers that may include it.
declare -A owners=(
  ['zlib\.h']="source generate"
  ['isa-l']="source generate"
  ['minizip/']="source generate"
  ['zstd\.h']="source generate"
  ['sqlite3\.h']="store"
  ['libpq-fe\.h']="store"
  ['toml\+\+/']="job"
)
# CMake link item (a regex) -> the layers that may link it.
declare -A link_owners=(
  ['^dep_zlib$']="source generate"
  ['^dep_minizip$']="source generate"
  ['^PkgConfig::ISAL$']="source generate"
  ['^(dep_zstd|PkgConfig::ZSTD)$']="source generate"
  ['^dep_sqlite$']="store"
  ['^dep_libpq_header$']="store"
  ['^(dep_toml|tomlplusplus::tomlplusplus)$']="job"
)

declare -A rank_of=()
for i in "${!layers[@]}"; do rank_of[${layers[$i]}]=$i; done
rank() { echo "${rank_of[$1]:--1}"; }
kept_apart() { [[ " ${apart[*]} " == *" $1:$2 "* ]]; }
owns() { [[ " $1 " == *" $2 "* ]]; }

bad=0
check_includes() {  # layer, files...
  local layer=$1 own file line text target to re
  own=$(rank "$layer")
  shift
  while IFS=: read -r file line text; do
    [[ $text =~ \#include\ \"([a-z_]+)/ ]] && target=${BASH_REMATCH[1]}
    to=${rank_of[$target]:--1}
    if [ "$to" -lt 0 ] || [ "$to" -gt "$own" ] || kept_apart "$layer" "$target"; then
      echo "$file:$line: $layer may not include $target ($text)"
      bad=1
    fi
  done < <(grep -nE '^#include "[a-z_]+/' "$@" || true)
  while IFS=: read -r file line text; do
    for re in "${!owners[@]}"; do
      if [[ $text =~ ^\#include\ \<$re ]] && ! owns "${owners[$re]}" "$layer"; then
        echo "$file:$line: only ${owners[$re]// /, } may include this library ($text)"
        bad=1
      fi
    done
  done < <(grep -nE '^#include <' "$@" || true)
}

for dir in src/*/; do
  layer=$(basename "$dir")
  if [ "$(rank "$layer")" -lt 0 ]; then
    echo "src/$layer: not a layer the README names (${layers[*]})"
    bad=1
    continue
  fi
  files=("$dir"*.h "$dir"*.cpp)
  [ ${#files[@]} -gt 0 ] && check_includes "$layer" "${files[@]}"
done

# snapdelta_layer(NAME deps...) calls, joined across lines: "NAME dep dep ...".
while read -r layer deps; do
  own=$(rank "$layer")
  for dep in $deps; do
    if [[ $dep == snapdelta_* && $dep != snapdelta_deps ]]; then
      target=${dep#snapdelta_}
      to=$(rank "$target")
      if [ "$to" -lt 0 ] || [ "$to" -ge "$own" ] || kept_apart "$layer" "$target"; then
        echo "CMakeLists.txt: snapdelta_$layer may not link $dep"
        bad=1
      fi
      continue
    fi
    for re in "${!link_owners[@]}"; do
      if [[ $dep =~ $re ]] && ! owns "${link_owners[$re]}" "$layer"; then
        echo "CMakeLists.txt: only ${link_owners[$re]// /, } may link $dep (snapdelta_$layer does)"
        bad=1
      fi
    done
  done
done < <(tr '\n' ' ' <CMakeLists.txt | grep -oE 'snapdelta_layer\([^)]*\)' |
  sed -E 's/snapdelta_layer\(//; s/\)$//; s/[[:space:]]+/ /g')

[ "$bad" = 0 ] && echo "layers: every #include and link follows ${layers[*]}"
exit "$bad"
