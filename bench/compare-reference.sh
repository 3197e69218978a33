#!/usr/bin/env bash
# drlog against deepracer-utils on the same models, in the same run: whole process, fresh each run (JIT and Python
# start-up included), the model's files read again right before every run, so each side finds them in the page cache
# (a 2.5 GB pandas run just before can push some of them out, and the next drlog run would then read from disk), then
# SETTLE seconds (default 5) of rest before each run.
# Prints a Markdown table: median wall (min-max) of RUNS runs, peak RSS (/usr/bin/time -v), RSS / CSV size, ratio.
#
#   bench/compare-reference.sh [MODEL...]          default: /work/benchdata/drfc3-500mb
#   RUNS=3                  runs per side and model
#   DEEPRACER_UTILS=DIR     a deepracer-utils checkout (default bench/results/tmp/deepracer-utils; see below)
#   REFERENCE_MAX_MB=2000   skip the reference above this CSV size: pandas needs about 5x the CSV in RAM
#   REPORT=1                also time `drlog report MODEL` (RUNS runs)
#   DRLOG=PATH              time this drlog binary (e.g. the installed Native AOT tool) instead of the JIT build
#
# Needs Debian's python3-pandas, python3-numpy, python3-boto3, python3-shapely, python3-joblib, python3-matplotlib
# (apt-get install -y ...), run by /usr/bin/python3, and deepracer-utils' source:
#   git clone --depth 1 https://github.com/aws-deepracer-community/deepracer-utils bench/results/tmp/deepracer-utils
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
dru=${DEEPRACER_UTILS:-bench/results/tmp/deepracer-utils}
max_mb=${REFERENCE_MAX_MB:-2000}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(/work/benchdata/drfc3-500mb)
[ -f "$dru/deepracer/logs/log.py" ] || { echo "no deepracer-utils in $dru: set DEEPRACER_UTILS (see the header of $0)" >&2; exit 1; }
/usr/bin/python3 -c 'import pandas, numpy, boto3, shapely, joblib, matplotlib' 2>/dev/null \
  || { echo "/usr/bin/python3 lacks pandas/numpy/boto3/shapely/joblib/matplotlib: apt-get install -y python3-pandas python3-numpy python3-boto3 python3-shapely python3-joblib python3-matplotlib" >&2; exit 1; }

if [ -n "${DRLOG:-}" ]; then
  drlog=("$DRLOG")
else
  dotnet build src/drlog -c Release --nologo -v q >&2
  drlog=(dotnet src/drlog/bin/Release/net10.0/drlog.dll)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# measure NAME MODEL CMD... : one run; appends "wall_s rss_kb load" to $tmp/NAME and keeps stdout in $tmp/NAME.out
measure() {
  local name=$1 model=$2; shift 2
  find "$model" -type f -exec cat {} + >/dev/null
  sleep "${SETTLE:-5}"   # let the kernel finish reclaiming the previous run's memory (pandas frees 2.5 GB)
  local before; before=$(load)
  /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || { echo "failed: $*" >&2; tail -5 "$tmp/$name.err" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time")
  echo "$wall $rss $before" >>"$tmp/$name"
}

# stats NAME : "median min max" wall, max RSS (MB), load range
stats() {
  sort -n "$1" | awk '{ w[NR] = $1; if ($2 > r) r = $2; l[NR] = $3 } END {
    m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
    lo = l[1]; hi = l[1]; for (i = 2; i <= NR; i++) { if (l[i] < lo) lo = l[i]; if (l[i] > hi) hi = l[i] }
    printf "%.2f %.2f %.2f %.0f %s %s\n", m, w[1], w[NR], r / 1024, lo, hi }'
}

echo "| model | CSV | drlog \`episodes --format csv\` | deepracer-utils load + \`simulation_agg\` | ratio | peak RSS drlog / reference | RSS / CSV drlog / reference | load average |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for model in "${models[@]}"; do
  name=$(basename "$model")
  csv_bytes=$(find "$model" -name '*-iteration.csv' -path '*training-simtrace*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  csv_mb=$(awk -v b="$csv_bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
  rm -f "$tmp/drlog" "$tmp/ref" "$tmp/report"
  with_ref=$(( csv_mb <= max_mb ))
  for _ in $(seq "$runs"); do
    measure drlog "$model" "${drlog[@]}" episodes "$model" --format csv
    if [ "$with_ref" = 1 ]; then
      measure ref "$model" /usr/bin/python3 bench/deepracer_utils_agg.py "$dru" "$model"
    fi
    if [ "${REPORT:-0}" = 1 ]; then
      measure report "$model" "${drlog[@]}" report "$model" -o "$tmp/report.html"
    fi
  done
  read -r dw dmin dmax drss dlo dhi < <(stats "$tmp/drlog")
  drows=$(( $(wc -l <"$tmp/drlog.out") - 1 ))
  if [ "$with_ref" = 1 ]; then
    read -r rw rmin rmax rrss rlo rhi < <(stats "$tmp/ref")
    rrows=$(( $(wc -l <"$tmp/ref.out") - 1 ))
    [ "$drows" = "$rrows" ] || echo "warning: $name: drlog has $drows episodes, deepracer-utils $rrows" >&2
    ratio=$(awk -v a="$rw" -v b="$dw" 'BEGIN { printf "%.1f×", a / b }')
    ref="$rw s ($rmin–$rmax)"
    rss="$drss / $rrss MB"
    per=$(awk -v d="$drss" -v r="$rrss" -v c="$csv_mb" 'BEGIN { printf "%.2f / %.2f", d / c, r / c }')
    loads="$dlo–$dhi (reference $rlo–$rhi)"
  else
    ratio="not run"
    ref="not run (CSV > $max_mb MB: pandas would need about $(( csv_mb * 5 / 1000 )) GB)"
    rss="$drss MB / –"
    per=$(awk -v d="$drss" -v c="$csv_mb" 'BEGIN { printf "%.3f / –", d / c }')
    loads="$dlo–$dhi"
  fi
  mbs=$(awk -v c="$csv_mb" -v w="$dw" 'BEGIN { printf "%.0f", c / w }')
  echo "| $name ($drows episodes) | $csv_mb MB | $dw s ($dmin–$dmax), $mbs MB/s | $ref | $ratio | $rss | $per | $loads |"
  if [ "${REPORT:-0}" = 1 ]; then
    read -r pw pmin pmax prss plo phi < <(stats "$tmp/report")
    echo "| $name: \`drlog report\` | $csv_mb MB | $pw s ($pmin–$pmax) | | | $prss MB | | $plo–$phi |"
  fi
done
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${runs} runs per side (median, min–max); load average = 1-minute load before each run; drlog: ${drlog[*]}."
