#!/usr/bin/env bash
# Mutation testing (Stryker.NET, pinned in .config/dotnet-tools.json) of the files whose behaviour the tests must pin.
# One Stryker run per target, each restricted to its files (--mutate) and to the tests that cover it (--test-case-filter),
# one test runner at a time: the machine is shared. Prints one score line per file and exits 1 when any is under 85 %.
#   tests/mutation/run-stryker.sh                 # all targets
#   tests/mutation/run-stryker.sh EpisodeTable    # one target
set -euo pipefail
cd "$(dirname "$0")/../.."
threshold=85
concurrency=${STRYKER_CONCURRENCY:-1}

# name | files to mutate (space-separated) | tests that cover them (a VSTest filter; its own | means "or")
targets=(
  "EpisodeTable|src/DeepRacer.Analysis/Episodes/EpisodeTable.cs src/DeepRacer.Analysis/Episodes/EpisodeAccumulator.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Episodes."
  "SimtraceCsvParser|src/DeepRacer.Analysis/Formats/SimtraceCsvParser.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Formats.Simtrace"
  "TrainingMetrics|src/DeepRacer.Analysis/Metrics/TrainingMetrics.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Metrics.TrainingMetrics"
  "CatalogDatabase|src/DeepRacer.Analysis/Catalog/CatalogDatabase.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Catalog.CatalogDatabase"
  "RewardParams|src/DeepRacer.Analysis/Rewards/RewardParams*.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Rewards.RewardParamsTests"
  "RewardReplay|src/DeepRacer.Analysis/Rewards/RewardReplay.cs src/DeepRacer.Analysis/Rewards/RewardComparison.cs|FullyQualifiedName~DeepRacer.Analysis.Tests.Rewards.RewardComparisonTests|FullyQualifiedName~DeepRacer.Analysis.Tests.Rewards.RewardReplayTests"
)

dotnet tool restore >/dev/null
out=tests/mutation/out
mkdir -p "$out"
failed=0
for target in "${targets[@]}"; do
  IFS='|' read -r name files filter <<<"$target"
  if [[ $# -gt 0 && " $* " != *" $name "* ]]; then
    continue
  fi
  log="$out/$name.log"
  rm -rf "${out:?}/$name"  # no stale report from an earlier run
  mutate=()
  for file in $files; do
    mutate+=(--mutate "**/${file#src/DeepRacer.Analysis/}")
  done
  # Paths in --mutate are relative to the mutated project.
  (cd src/DeepRacer.Analysis && dotnet stryker \
      --test-project ../../tests/DeepRacer.Analysis.Tests/DeepRacer.Analysis.Tests.csproj \
      "${mutate[@]}" \
      --test-case-filter "$filter" \
      --config-file ../../tests/mutation/stryker-config.json \
      --concurrency "$concurrency" \
      --reporter json --reporter cleartext --reporter dots \
      --output "../../$out/$name") >"$log" 2>&1 || true
  report=$(find "$out/$name" -name 'mutation-report.json' | head -1)
  if [[ -z "$report" ]]; then
    echo "$name: no report (see $log)"
    failed=1
    continue
  fi
  # Score per file = detected / (detected + survived + no coverage); compile errors and ignored mutants do not count.
  # A time-out counts as detected only where the mutant really hangs: the second score counts every time-out as survived,
  # and tests/mutation/out/NAME.timeouts lists them to judge by hand (stryker-config.json gives each test run 30 s extra,
  # so a loaded machine alone does not make one).
  python3 - "$name" "$report" "$threshold" "$out/$name.timeouts" <<'PY' || failed=1
import json, sys
name, path, threshold, timeouts_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
ok = True
with open(timeouts_path, "w") as timeouts:
    for file, f in sorted(json.load(open(path))["files"].items()):
        counts = {}
        for m in f["mutants"]:
            counts[m["status"]] = counts.get(m["status"], 0) + 1
            if m["status"] == "Timeout":
                line = f["source"].splitlines()[m["location"]["start"]["line"] - 1].strip()
                timeouts.write(f"{file}:{m['location']['start']['line']} {m['mutatorName']}: {m.get('replacement', '')!r} in {line}\n")
        killed, timeout = counts.get("Killed", 0), counts.get("Timeout", 0)
        undetected = counts.get("Survived", 0) + counts.get("NoCoverage", 0)
        if killed + timeout + undetected == 0:
            continue  # a file outside --mutate
        score = 100 * (killed + timeout) / max(1, killed + timeout + undetected)
        strict = 100 * killed / max(1, killed + timeout + undetected)
        print(f"{name} {file.split('/')[-1]}: {score:.2f} % ({strict:.2f} % with time-outs as survived; "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ")")
        ok = ok and score >= threshold
sys.exit(0 if ok else 1)
PY
done
exit "$failed"
