#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer: one target of regdrill-libfuzzer for a given time.
#
#   scripts/fuzz-libfuzzer.sh TARGET [SECONDS] [LIBFUZZER-FLAG...]      TARGET: scenario, profile or request
#
# Builds the targets with -sanitize=fuzzer in a build folder of their own (.build/libfuzzer; the first build takes a
# few minutes), seeds a corpus from the bundled files (scenarios, profiles, the server tests' hostile requests with
# their placeholders filled in, and the regression inputs), and runs libFuzzer on one core for SECONDS (default 300).
# The corpus grows between runs in $FUZZ_OUT/TARGET/corpus (FUZZ_OUT defaults to .build/libfuzzer-runs).
#
# An input that crashes a target or breaks one of its invariants ends the run and is saved in
# $FUZZ_OUT/TARGET/crashes/. Reproduce it with an ordinary build:
#     swift run regdrill-libfuzzer TARGET FILE
# and keep it as a regression input, which the suite replays:
#     scenario, profile: Tests/DrillEngineTests/Fixtures/fuzz-regressions/[profiles/]NAME.yaml
#     request:           Tests/DrillServerTests/FuzzRegressions/NAME.http
#
# Prints the executions, the coverage and the speed; exits 1 if anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?"usage: scripts/fuzz-libfuzzer.sh scenario|profile|request [SECONDS] [LIBFUZZER-FLAG...]"}
budget=${2:-300}
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in scenario|profile|request) ;; *) echo "unknown target '$target': scenario, profile or request" >&2; exit 2 ;; esac
out=${FUZZ_OUT:-.build/libfuzzer-runs}/$target

flags=(-c release --scratch-path .build/libfuzzer --product regdrill-libfuzzer
       -Xswiftc -sanitize=fuzzer -Xswiftc -DLIBFUZZER -Xswiftc -parse-as-library)
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)/regdrill-libfuzzer"

mkdir -p "$out/corpus" "$out/crashes"
found_before=$(find "$out/crashes" -type f | wc -l)
seeds=$(mktemp -d "${TMPDIR:-/tmp}/regdrill-fuzz-seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
python3 scripts/fuzz_seeds.py "$target" "$seeds"

# libFuzzer writes its statistics to standard error; keep them to sum up.
log="$out/last-run.log"
set +e
# SWIFT_BACKTRACE: the Swift runtime's own crash handler would end the process before libFuzzer saves the input.
REGDRILL_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no "$bin" -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -dict="$seeds/dictionary" -artifact_prefix="$out/crashes/" "$@" \
    "$out/corpus" "$seeds/corpus" 2>&1 | tee "$log" | grep -E '^(#[0-9]+\s+(INITED|DONE)|INFO: (seed corpus|Loaded)|==[0-9]+==|regdrill-libfuzzer|  |SUMMARY|artifact_prefix|Test unit written)' || true
status=${PIPESTATUS[0]}
set -e

# (A run that ended on a finding prints no final statistics: the counts then come from its last status line.)
executions=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1 || true)
[[ -n "$executions" ]] || executions=$(grep -oE '^#[0-9]+' "$log" | tr -d '#' | tail -1 || true)
speed=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}' | tail -1 || true)
coverage=$(grep -E '^#[0-9]+\s' "$log" | grep -oE 'cov: [0-9]+' | awk '{print $2}' | tail -1 || true)
found=$(( $(find "$out/crashes" -type f | wc -l) - found_before ))
echo "target: $target"
echo "executions: ${executions:-?} in $budget s (${speed:-?}/s), coverage ${coverage:-?} edges, corpus $(find "$out/corpus" -type f | wc -l) inputs"
echo "found: $found (in $out/crashes)"
if (( status != 0 || found > 0 )); then exit 1; fi
