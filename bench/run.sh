#!/usr/bin/env bash
# Builds the benchmark in Release and runs it with fixed arguments: a ~500 MB DRfC 3-worker model
# (generated once under bench/results/tmp/), 7 cold runs (fresh process each), 3 warm runs, 3 profile splits.
# Results: bench/results/<host>-<cpu>-<cores>c.md
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/DeepRacer.Analysis.Benchmarks -c Release --nologo -v q
exec dotnet bench/DeepRacer.Analysis.Benchmarks/bin/Release/net10.0/DeepRacer.Analysis.Benchmarks.dll \
  --size-mb 500 --runs 7 --warm-runs 3 --profile-runs 3 "$@"
