#!/usr/bin/env bash
# Reward replay throughput on a ~500 MB DRfC 3-worker model (default: the one bench/run.sh generates):
# the params alone, a trivial Python function and the drfc-1 sample's function, 3 runs each, with the load average and
# the CPU time of .NET and of the Python workers. Usage: bench/reward.sh [MODEL] [--python PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-bench/results/tmp/drfc3-500mb}
shift || true
[ -d "$model" ] || { echo "no $model: run bench/run.sh once first (or pass a model folder)" >&2; exit 1; }
dotnet build bench/DeepRacer.Analysis.Benchmarks -c Release --nologo -v q
exec dotnet bench/DeepRacer.Analysis.Benchmarks/bin/Release/net10.0/DeepRacer.Analysis.Benchmarks.dll --reward "$model" --runs 3 "$@"
