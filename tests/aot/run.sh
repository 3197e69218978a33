#!/usr/bin/env bash
# The Native AOT check, too slow for every test run (the AOT compile takes minutes): packs drlog as a .NET tool with its
# linux-x64 Native AOT package and the framework-dependent fallback, installs it from a folder feed as a user would,
# and checks that the AOT binary writes the same output as the JIT build for every command x sample x format
# (tests/compare-outputs.sh). .ci/run runs it after the test suite.
#   tests/aot/run.sh [WORK_DIR]      (default: a new temp folder, removed at the end)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -ge 1 ]; then work=$1; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
work=$(cd "$work" && pwd)
cd "$root"

# Native AOT links with the platform's C toolchain (clang, else gcc).
if ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq clang zlib1g-dev >/dev/null; else echo "Native AOT needs clang or gcc"; exit 1; fi
fi

feed=$work/feed
rm -rf "$feed" "$work/tools" "$work/packages" "$work/jit" "$work/aot"
start=$(date +%s)
dotnet pack src/drlog -c Release -o "$feed" -nologo -v q                 # drlog (lists the RID packages) and drlog.any
mid=$(date +%s)
dotnet pack src/drlog -c Release -r linux-x64 -o "$feed" -nologo -v q    # drlog.linux-x64: the Native AOT binary
end=$(date +%s)
echo "pack: framework-dependent $((mid - start)) s, Native AOT linux-x64 $((end - mid)) s"
ls -l "$feed"

# Only the feed as a source and an empty NuGet cache: the install takes the packages just made.
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="feed" value="$feed" /></packageSources></configuration>
XML
NUGET_PACKAGES=$work/packages dotnet tool install --tool-path "$work/tools" --add-source "$feed" --configfile "$work/nuget.config" drlog
binary=$(find "$work/tools/.store" -path '*linux-x64*' -type f -name drlog | head -1)
[ -n "$binary" ] && [ "$(head -c 4 "$binary" | tail -c 3)" = ELF ] || { echo "the installed drlog is not the linux-x64 native package"; exit 1; }
[ -z "$(find "$work/tools/.store" -name 'drlog.dll')" ] || { echo "the installed drlog is the framework-dependent package"; exit 1; }
echo "installed: $binary ($(du -h "$binary" | cut -f1)); beside it: $(ls "$(dirname "$binary")" | tr '\n' ' ')"

# export and sql are not in compare-outputs.sh; they run the two packages that are not AOT-annotated (ParquetSharp,
# DuckDB.NET; see src/drlog/drlog.csproj). 540 episodes: hand-checked with awk over the sample's simtrace CSVs.
"$work/tools/drlog" export samples/sample-drfc-1-logs -o "$work/parquet" >/dev/null
episodes=$("$work/tools/drlog" sql "SELECT count(*) AS n FROM episodes" --data "$work/parquet" --format csv | tail -1)
[ "$episodes" = 540 ] || { echo "aot: export + sql counted '$episodes' episodes, expected 540"; exit 1; }
echo "aot: export + sql under Native AOT: $episodes episodes"

tests/compare-outputs.sh "$work/jit" >/dev/null
tests/compare-outputs.sh "$work/aot" "$work/tools/drlog" >/dev/null
# The only expected difference: messages name the output folder ("Wrote .../jit/x.svg").
find "$work/jit" -type f -exec sed -i "s#$work/jit#OUT#g" {} +
find "$work/aot" -type f -exec sed -i "s#$work/aot#OUT#g" {} +
if diff -r "$work/jit" "$work/aot" >"$work/diff.txt"; then
  echo "aot: the Native AOT binary wrote the same $(ls "$work/aot" | wc -l) files as the JIT build"
else
  head -50 "$work/diff.txt"
  echo "aot: the Native AOT binary's output differs from the JIT build's (above)"
  exit 1
fi
