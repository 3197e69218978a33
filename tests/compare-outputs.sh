#!/usr/bin/env bash
# Runs every drlog command on every shipped sample into OUT_DIR (json, csv and table), so a refactor can be checked
# for output changes: run it before and after, then `diff -r before after`.
#   tests/compare-outputs.sh OUT_DIR            (builds src/drlog in Release into OUT_DIR/.bin first)
#   tests/compare-outputs.sh OUT_DIR BINARY     (runs that drlog executable instead, e.g. the Native AOT one)
set -u
out=${1:?usage: tests/compare-outputs.sh OUT_DIR [DRLOG_BINARY]}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ $# -ge 2 ]; then
  drlog=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
else
  dotnet build "$root/src/drlog/drlog.csproj" -c Release -o "$out/.bin" -v q -nologo >/dev/null || { echo "build failed"; exit 1; }
  drlog=(dotnet "$out/.bin/drlog.dll")
fi
cd "$root"
run() { # NAME ARGS...
  local name=$1; shift
  for fmt in json csv table; do
    COLUMNS=400 "${drlog[@]}" "$@" --format "$fmt" >"$out/$name.$fmt" 2>"$out/$name.$fmt.err"
    echo "exit $?" >>"$out/$name.$fmt.err"
  done
}
samples=(sample-console-logs sample-drfc-1-logs sample-drfc-3-logs sample-droa-solution-logs sample-droa-solution-logs.tar.gz)
for s in "${samples[@]}"; do
  src=samples/$s
  run "$s.info" info "$src"
  for phase in "" --evaluation --leaderboard; do
    p=${phase:-training}; p=${p#--}
    run "$s.episodes.$p" episodes "$src" $phase
    run "$s.episodes.$p.logs" episodes "$src" $phase --trace logs
    run "$s.steps.$p" steps "$src" --episode 1 $phase
    run "$s.stability.$p" stability "$src" $phase
  done
  run "$s.tracks" tracks "$src"
  for view in --summary --episodes --best-laps=3 --progression --policy; do
    run "$s.metrics.${view#--}" metrics "$src" $view
  done
  run "$s.metrics.summary-median" metrics "$src" --method median --last 3
  for phase in "" --evaluation; do
    p=${phase:-training}; p=${p#--}
    "${drlog[@]}" report "$src" $phase -o "$out/$s.report.$p.html" >"$out/$s.report.$p.log" 2>&1
    echo "exit $?" >>"$out/$s.report.$p.log"
  done
  for kind in progress aggregates complete-laps quintiles start-waypoints reward-per-waypoint laps heatmap evaluation-laps; do
    "${drlog[@]}" plot "$kind" "$src" -o "$out/$s.plot.$kind.svg" >"$out/$s.plot.$kind.log" 2>&1
    echo "exit $?" >>"$out/$s.plot.$kind.log"
  done
  "${drlog[@]}" plot evaluation-laps "$src" --evaluation -o "$out/$s.plot.evaluation-laps.eval.svg" >"$out/$s.plot.evaluation-laps.eval.log" 2>&1
  echo "exit $?" >>"$out/$s.plot.evaluation-laps.eval.log"
  "${drlog[@]}" metrics "$src" --plot "$out/$s.metrics-charts" >/dev/null 2>"$out/$s.metrics-plot.log"
  echo "exit $?" >>"$out/$s.metrics-plot.log"
  rm -f "$out/$s.metrics-charts"/*.png 2>/dev/null
done
run "metrics.rounds" metrics samples/sample-drfc-1-logs samples/sample-drfc-3-logs --episodes
run "tracks.all" tracks
run "tracks.named" tracks samples/sample-drfc-1-logs --track reinvent_base
rm -rf "$out/.bin"
echo "wrote $(ls "$out" | wc -l) files to $out"
