#!/usr/bin/env bash
# Times `drlog report` on the generated 500 MB DRfC model (run bench/run.sh once first to generate it)
# and prints wall time, peak RSS and the HTML size. Acceptance: under 15 s and under 30 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
model=bench/results/tmp/drfc3-500mb
[ -d "$model" ] || { echo "no $model: run bench/run.sh first" >&2; exit 1; }
dotnet build src/drlog -c Release --nologo -v q
out=$(mktemp -d)/report.html
/usr/bin/time -f "wall %e s, peak RSS %M KB" dotnet src/drlog/bin/Release/net10.0/drlog.dll report "$model" -o "$out"
echo "html $(stat -c %s "$out") bytes"
