#!/usr/bin/env bash
# The long fuzz run: over 100,000 damaged inputs through the library, then a corpus through the CLI.
# Cheap kinds get more cases (per-case times: listing 15 ms, simtrace 5 ms, folder layout 170 ms, tar.gz 70 ms).
# Prints one line per input kind (cases, loaded, rejected with drlog's own error, crashes, hangs) and the totals;
# exits non-zero on any crash or hang. Repeat a failure with DRLOG_FUZZ_SEED=<seed printed by CsCheck>.
set -euo pipefail
cd "$(dirname "$0")/../.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
export DRLOG_FUZZ_REPORT=$report
export DRLOG_FUZZ_CASES_SimtraceCsv=${CASES_SIMTRACE:-15000}
export DRLOG_FUZZ_CASES_RobomakerLog=10000
export DRLOG_FUZZ_CASES_SimulationLog=7000
export DRLOG_FUZZ_CASES_TrainerLog=15000
export DRLOG_FUZZ_CASES_MetricsJson=8000
export DRLOG_FUZZ_CASES_ModelMetadata=8000
export DRLOG_FUZZ_CASES_Hyperparameters=10000
export DRLOG_FUZZ_CASES_TarGz=2500
export DRLOG_FUZZ_CASES_Npy=15000
export DRLOG_FUZZ_CASES_FolderLayout=1200
export DRLOG_FUZZ_CASES_S3Listing=15000
export DRLOG_FUZZ_CLI_CASES=${CLI_CASES:-25}
export DRLOG_FUZZ_CASES=0 # marks a long run for the tests that read it

status=0
dotnet build tests/drlog.Tests -v q -nologo >/dev/null
dotnet test tests/DeepRacer.Analysis.Tests --no-build --filter "FullyQualifiedName~Robustness.Fuzz.FuzzTests.DamagedInput" >"$report.lib.log" 2>&1 || status=1
dotnet test tests/drlog.Tests --no-build --filter "FullyQualifiedName~Robustness.FuzzCorpusCliTests" >"$report.cli.log" 2>&1 || status=1

echo "library: kind, cases, loaded, rejected (DeepRacerLogException), crashes, hangs"
grep -v '^cli ' "$report" | sort | column -t
grep -v '^cli ' "$report" | awk -F'\t' '{c+=$2; l+=$3; r+=$4; x+=$5; h+=$6} END {printf "total %d cases: %d loaded, %d rejected, %d crashes, %d hangs\n", c, l, r, x, h}'
echo "cli: kind, cases, command runs (no '   at ', no 'unexpected error', exit 0 or 1)"
grep '^cli ' "$report" | sed 's/^cli //' | sort | column -t
if [[ $status -ne 0 ]]; then
  grep -E "Failed |CsCheck|Error Message" -A3 "$report.lib.log" "$report.cli.log" | head -60
fi
rm -f "$report.lib.log" "$report.cli.log"
exit "$status"
