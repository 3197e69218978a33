#!/usr/bin/env bash
# Mutation testing (Stryker.NET, pinned in .config/dotnet-tools.json) of the files whose behaviour the tests must pin.
# One Stryker run per file, each restricted to that file (--mutate) and to the tests that cover it (--test-case-filter),
# one test runner at a time: the machine is shared. Prints one score line per file and exits 1 when any is under 85 %.
#   tests/mutation/run-stryker.sh                 # all targets
#   tests/mutation/run-stryker.sh EpisodeTable    # one target
set -euo pipefail
cd "$(dirname "$0")/../.."
threshold=85
concurrency=${STRYKER_CONCURRENCY:-1}

# name | file to mutate | tests that cover it
targets=(
  "EpisodeTable|src/DeepRacer.Analysis/Episodes/EpisodeTable.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Episodes."
  "SimtraceCsvParser|src/DeepRacer.Analysis/Formats/SimtraceCsvParser.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Formats.Simtrace"
  "TrainingMetrics|src/DeepRacer.Analysis/Metrics/TrainingMetrics.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Metrics.TrainingMetrics"
  "CatalogDatabase|src/DeepRacer.Analysis/Catalog/CatalogDatabase.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Catalog.CatalogDatabase"
)

dotnet tool restore >/dev/null
out=tests/mutation/out
mkdir -p "$out"
failed=0
for target in "${targets[@]}"; do
  IFS='|' read -r name file filter <<<"$target"
  if [[ $# -gt 0 && " $* " != *" $name "* ]]; then
    continue
  fi
  log="$out/$name.log"
  # Paths in --mutate are relative to the mutated project.
  (cd src/DeepRacer.Analysis && dotnet stryker \
      --test-project ../../tests/DeepRacer.Analysis.Tests/DeepRacer.Analysis.Tests.csproj \
      --mutate "**/${file#src/DeepRacer.Analysis/}" \
      --test-case-filter "$filter" \
      --concurrency "$concurrency" \
      --reporter json --reporter cleartext --reporter dots \
      --output "../../$out/$name") >"$log" 2>&1 || true
  report=$(find "$out/$name" -name 'mutation-report.json' | head -1)
  if [[ -z "$report" ]]; then
    echo "$name: no report (see $log)"
    failed=1
    continue
  fi
  # Score = (killed + timeout) / (all - ignored - no coverage excluded by Stryker's own rule: survived + nocoverage count).
  python3 - "$name" "$report" "$threshold" <<'PY' || failed=1
import json, sys
name, path, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
counts = {}
for f in json.load(open(path))["files"].values():
    for m in f["mutants"]:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
undetected = counts.get("Survived", 0) + counts.get("NoCoverage", 0)
score = 100 * detected / max(1, detected + undetected)
print(f"{name}: {score:.2f} % ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
sys.exit(0 if score >= threshold else 1)
PY
done
exit "$failed"
