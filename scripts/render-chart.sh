#!/usr/bin/env bash
# Renders bench's SVG chart(s) to PNG for a quick look: scripts/render-chart.sh [file.svg ...]
# (default: ./results_days.svg). Uses rsvg-convert (Debian: librsvg2-bin), else chromium headless.
set -euo pipefail
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(results_days.svg)
for svg in "${files[@]}"; do
  png="${svg%.svg}.png"
  if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert --background-color=white -o "$png" "$svg"
  elif command -v chromium >/dev/null 2>&1; then
    chromium --headless --disable-gpu --window-size=960,540 --screenshot="$png" "file://$(realpath "$svg")" >/dev/null 2>&1
  else
    echo "render-chart: install librsvg2-bin (rsvg-convert) or chromium" >&2
    exit 2
  fi
  echo "$png"
done
