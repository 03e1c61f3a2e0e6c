#!/usr/bin/env bash
# Renders bench's SVG chart(s) to PNG: scripts/render-chart.sh [file.svg ...]
# (default: ./results_days.svg, else ./results-quick/results_days.svg). `snapdelta bench` already
# writes results_days.png when rsvg-convert is present; this redraws one, e.g. after editing.
# Uses rsvg-convert (Debian: librsvg2-bin, installed by scripts/install-deps.sh), else chromium.
set -euo pipefail
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  for candidate in results_days.svg results-quick/results_days.svg; do
    if [ -f "$candidate" ]; then files=("$candidate"); break; fi
  done
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "render-chart: results_days.svg: expected a chart, found none (run scripts/run.sh first)" >&2
  exit 2
fi
for svg in "${files[@]}"; do
  png="${svg%.svg}.png"
  if command -v rsvg-convert >/dev/null 2>&1; then
    rsvg-convert --background-color=white -o "$png" "$svg"
  elif command -v chromium >/dev/null 2>&1; then
    height=$(grep -o -m1 'height="[0-9.]*"' "$svg" | grep -o '[0-9]*' | head -n1)
    chromium --headless --disable-gpu --window-size="960,${height:-540}" --screenshot="$png" \
      "file://$(realpath "$svg")" >/dev/null 2>&1
  else
    echo "render-chart: rsvg-convert: expected it installed (Debian: librsvg2-bin), found neither it nor chromium" >&2
    exit 2
  fi
  echo "$png"
done
