#!/usr/bin/env bash
# The Native AOT check, too slow for every test run (the AOT compile takes minutes): packs drlog as a .NET tool with its
# linux-x64 Native AOT package and the framework-dependent fallback, installs it from a folder feed as a user would,
# and checks that the AOT binary writes the same output as the JIT build for every command x sample x format
# (tests/compare-outputs.sh). .ci/run runs it after the test suite.
#   tests/aot/run.sh [WORK_DIR]      (default: a new temp folder, removed at the end)
#   AOT_PLATFORMS=all tests/aot/run.sh [WORK_DIR]
#       also packs and checks the other platforms' packages: linux-arm64 (cross-compiled Native AOT, run under qemu) and
#       the ReadyToRun packages for win-x64, osx-x64 and osx-arm64. That adds four packs and a cross-compile (about
#       20 min more on this 2-core machine), so CI (.ci/run) runs the linux-x64 check only; run it before a release.
all=${AOT_PLATFORMS:-}
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -ge 1 ]; then work=$1; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
work=$(cd "$work" && pwd)
cd "$root"

# Native AOT links with the platform's C toolchain. linux-arm64 is cross-compiled on this x64 machine: clang (gcc takes
# no --target) with the arm64 C runtime and linker of Debian's gcc-aarch64-linux-gnu, llvm-objcopy to strip symbols;
# qemu-user runs the arm64 binary here.
need=()
if [ "$all" = all ]; then
  command -v clang >/dev/null || need+=(clang)
  command -v llvm-objcopy >/dev/null || need+=(llvm)
  command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu)
  command -v qemu-aarch64 >/dev/null || need+=(qemu-user)
elif ! command -v clang >/dev/null && ! command -v gcc >/dev/null; then
  need+=(clang)
fi
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Native AOT needs: ${need[*]} (apt-get install them as root)"; exit 1
  fi
fi

feed=$work/feed
rm -rf "$feed" "$work/tools" "$work/packages" "$work/jit" "$work/aot"
start=$(date +%s)
dotnet pack src/drlog -c Release -o "$feed" -nologo -v q                 # drlog: lists the RID packages
dotnet pack src/drlog -c Release -r any -o "$feed" -nologo -v q          # drlog.any: framework-dependent, the fallback
mid=$(date +%s)
dotnet pack src/drlog -c Release -r linux-x64 -o "$feed" -nologo -v q    # drlog.linux-x64: the Native AOT binary
arm=$(date +%s)
echo "pack: framework-dependent $((mid - start)) s, Native AOT linux-x64 $((arm - mid)) s"
if [ "$all" = all ]; then
  dotnet pack src/drlog -c Release -r linux-arm64 -o "$feed" -nologo -v q  # drlog.linux-arm64: cross-compiled Native AOT
  r2r=$(date +%s)
  for rid in win-x64 osx-x64 osx-arm64; do                      # drlog.RID: framework-dependent, ReadyToRun
    dotnet pack src/drlog -c Release -r "$rid" -o "$feed" -nologo -v q
  done
  end=$(date +%s)
  echo "pack: linux-arm64 $((r2r - arm)) s, ReadyToRun win/osx $((end - r2r)) s"
fi
ls -l "$feed"
# The Windows and macOS packages cannot run here: check what they hold. Each: the apphost, drlog.dll precompiled
# (ReadyToRun: the CLI header names a native header), its own platform's native libraries and no others, no .pdb of them.
[ "$all" != all ] || python3 - "$feed" <<'PY'
import struct, sys, zipfile, pathlib
def ready_to_run(pe):
    at = struct.unpack_from("<I", pe, 0x3C)[0]
    sections, optional = struct.unpack_from("<H", pe, at + 6)[0], struct.unpack_from("<H", pe, at + 20)[0]
    opt = at + 24
    directories = opt + (112 if struct.unpack_from("<H", pe, opt)[0] == 0x20B else 96)
    def offset(rva):
        for i in range(sections):
            s = at + 24 + optional + 40 * i
            size, address, _, raw = struct.unpack_from("<IIII", pe, s + 8)
            if address <= rva < address + size:
                return rva - address + raw
    cli = offset(struct.unpack_from("<I", pe, directories + 14 * 8)[0])
    return struct.unpack_from("<I", pe, cli + 64)[0] != 0  # ManagedNativeHeader
natives = {"win": ["duckdb.dll", "libSkiaSharp.dll", "libHarfBuzzSharp.dll", "ParquetSharpNative.dll"],
           "osx": ["libduckdb.dylib", "libSkiaSharp.dylib", "libHarfBuzzSharp.dylib", "ParquetSharpNative.dylib"]}
for rid in ["win-x64", "osx-x64", "osx-arm64"]:
    package = next(pathlib.Path(sys.argv[1]).glob(f"drlog.{rid}.*.nupkg"))
    with zipfile.ZipFile(package) as z:
        folder = f"tools/net10.0/{rid}/"
        names = set(n[len(folder):] for n in z.namelist() if n.startswith(folder))
        host = "drlog.exe" if rid.startswith("win") else "drlog"
        expected = natives[rid[:3]] + [host, "drlog.dll"]
        missing = [n for n in expected if n not in names]
        foreign = [n for n in names if n.endswith(".so") or n in natives["osx" if rid.startswith("win") else "win"]]
        symbols = [n for n in names if n.startswith(("libSkia", "libHarfBuzz")) and n.endswith(".pdb")]
        if missing or foreign or symbols or not ready_to_run(z.read(folder + "drlog.dll")):
            sys.exit(f"{package.name}: missing {missing}, other platforms' {foreign}, symbols {symbols}, or drlog.dll not ReadyToRun")
    print(f"{package.name}: {package.stat().st_size / 1e6:.1f} MB, ReadyToRun, {rid} natives only")
PY
# nuget.org takes packages up to 250 MB (ToolPackageTests checks drlog.any's native libraries one by one).
for package in "$feed"/*.nupkg; do
  [ "$(stat -c %s "$package")" -lt 250000000 ] || { echo "$(basename "$package") is over nuget.org's 250 MB"; exit 1; }
done

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

if [ "$all" = all ]; then
  # The linux-arm64 package, unpacked and run under qemu on this x64 machine, writes what the JIT build writes.
  mkdir -p "$work/arm64"
  python3 -m zipfile -e "$feed"/drlog.linux-arm64.*.nupkg "$work/arm64"
  arm64=$(find "$work/arm64" -type f -name drlog)
  chmod +x "$arm64"
  [ "$(od -An -tx1 -j18 -N2 "$arm64" | tr -d ' ')" = b700 ] || { echo "drlog.linux-arm64 holds no arm64 binary"; exit 1; }  # ELF e_machine 183
  jit="dotnet src/drlog/bin/Release/net10.0/drlog.dll"
  for args in "episodes samples/sample-drfc-1-logs --format csv" "stability samples/sample-drfc-3-logs" "plot progress samples/sample-drfc-1-logs -o $work/arm64/progress.svg"; do
    # shellcheck disable=SC2086 # the arguments are split on purpose
    qemu-aarch64 -L /usr/aarch64-linux-gnu "$arm64" $args >"$work/arm64/out.txt" 2>&1
    # shellcheck disable=SC2086
    $jit ${args/progress.svg/progress-jit.svg} >"$work/arm64/jit.txt" 2>&1
    sed -i 's/progress-jit.svg/progress.svg/' "$work/arm64/jit.txt"
    cmp -s "$work/arm64/out.txt" "$work/arm64/jit.txt" || { diff "$work/arm64/out.txt" "$work/arm64/jit.txt" | head; echo "aot: linux-arm64 'drlog $args' differs from the JIT build"; exit 1; }
  done
  cmp "$work/arm64/progress.svg" "$work/arm64/progress-jit.svg"
  echo "aot: the linux-arm64 binary (qemu) wrote the same episodes, stability and chart as the JIT build"
fi

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
