#!/usr/bin/env bash
# Times `drlog export` on the 504 MB DRfC 3-worker model (MB of CSV per second, Parquet size vs CSV), then
# `drlog sql` per-episode queries over 10 copies of the export (the steps of 5 GB of CSV) with the peak memory
# of the process (DuckDB's included). Usage: bench/export.sh [MODEL] [WORK-DIR]
# The machine is shared: the load average is printed with every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-/work/benchdata/drfc3-500mb}
work=${2:-$(mktemp -d)}
[ -d "$model" ] || { echo "no $model: run bench/run.sh once to generate it" >&2; exit 1; }
dotnet build src/drlog -c Release --nologo -v q
drlog=(dotnet src/drlog/bin/Release/net10.0/drlog.dll)
timed() { /usr/bin/time -f "  wall %e s, cpu %U+%S s, peak RSS %M KB" "$@"; }
csv=$(find "$model" -name '*.csv' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "model $model: CSV $csv bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# EXPORT_RUNS=0 reuses the export in WORK-DIR/one; QUERY_RUNS sets the runs per query.
export_runs=${EXPORT_RUNS:-3}
query_runs=${QUERY_RUNS:-3}
rm -rf "$work/ten"
for run in $(seq 1 "$export_runs"); do
  rm -rf "$work/one"
  echo "export run $run (fresh folder), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  timed "${drlog[@]}" export "$model" -o "$work/one" --model drfc3 > /dev/null
done
echo "re-export (nothing changed), load average $(cut -d' ' -f1-3 /proc/loadavg)"
timed "${drlog[@]}" export "$model" -o "$work/one" --model drfc3
tables=$(cd "$work/one" && ls -d table=* | sed 's/table=//')
for t in $tables; do
  echo "  table=$t: $(du -sb "$work/one/table=$t" | cut -f1) bytes"
done

# Ten models: the exported partitions copied under ten names (not 5 GB of CSV on disk).
for i in 0 1 2 3 4 5 6 7 8 9; do
  for t in $tables; do
    mkdir -p "$work/ten/table=$t"
    cp -r "$work/one/table=$t/model=drfc3" "$work/ten/table=$t/model=drfc3-$i"
  done
done
echo "ten copies: $(du -sb "$work/ten/table=steps" | cut -f1) bytes of steps Parquet"

# query TITLE SQL [DATA-DIR [drlog sql options]]
query() {
  echo "$1, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for run in $(seq 1 "$query_runs"); do
    timed "${drlog[@]}" sql "$2" -d "${3:-$work/ten}" -f csv "${@:4}" > "$work/out.csv"
  done
  echo "  $(($(wc -l < "$work/out.csv") - 1)) rows"
}
query "per-episode aggregate over steps (32 M rows)" \
  "SELECT model, unique_episode, count(*) AS steps, max(progress) AS progress, sum(reward) AS reward, max(tstamp) - min(tstamp) AS time FROM steps GROUP BY model, unique_episode"
# The exact reference query keeps every episode's steps in ordered lists: over the ten copies it ran out of memory
# (18.8 GiB) on this machine, so it runs over one copy (3.2 M steps) with a memory limit.
query "reference query over ONE copy: episodes rebuilt from steps (docs/episodes-from-steps.sql)" "$(cat docs/episodes-from-steps.sql)" "$work/one" --memory-limit 4GB
query "completed laps per model from start waypoint 25 (episodes)" \
  "SELECT model, count(*) FILTER (WHERE complete = 1) AS laps, min(time) FILTER (WHERE complete = 1) AS best FROM episodes WHERE start_at = 25 GROUP BY model ORDER BY laps DESC"
