#!/usr/bin/env bash
# Fuzzes the scenario and profile loaders for a given time: builds regdrill-fuzz in release and runs it
# until the time is up, restarting it whenever a crash (a trap, a signal) ends it. A crash leaves the input
# that caused it in the in-flight folder; it is moved to crashes/. Inputs that break an invariant without
# crashing are saved by the fuzzer itself (invariant-*.yaml with a .txt saying what broke).
#
#   scripts/fuzz-loader.sh [SECONDS]      (default 300)
#
# Environment: FUZZ_OUT (output folder, default .build/fuzz-loader), FUZZ_SEED (first seed, default 1).
# Prints the total executions, crashes and invariant failures; exits 1 if there was any crash or failure.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${1:-300}
out=${FUZZ_OUT:-.build/fuzz-loader}
seed=${FUZZ_SEED:-1}

swift build -c release --product regdrill-fuzz
bin="$(swift build -c release --show-bin-path)/regdrill-fuzz"

mkdir -p "$out/crashes/profiles"
rm -rf "$out/in-flight"
rm -f "$out"/round-*.log
start=$(date +%s)
executions=0 crashes=0 failures=0 rounds=0
while :; do
    remaining=$(( start + budget - $(date +%s) ))
    (( remaining > 0 )) || break
    log="$out/round-$rounds.log"
    set +e
    "$bin" --seed "$seed" --seconds "$remaining" --save-dir "$out" >"$log" 2>&1
    status=$?
    set -e
    rounds=$(( rounds + 1 ))
    # The summary's count, or after a crash the last progress line's.
    # (grep finds nothing in the log of a crashed run: `|| true` keeps `set -e` from ending the script.)
    done_here=$(grep -E '^executions: ' "$log" | tail -1 | awk '{print $2}' || true)
    [[ -n "$done_here" ]] || done_here=$(grep -E '^progress: executions ' "$log" | tail -1 | awk '{print $3}' | tr -d , || true)
    executions=$(( executions + ${done_here:-0} ))
    failed_here=$(grep -E '^invariant failures: ' "$log" | tail -1 | awk '{print $3}' || true)
    failures=$(( failures + ${failed_here:-0} ))
    if (( status >= 128 )) || [[ -n "$(find "$out/in-flight" -name '*.yaml' 2>/dev/null)" ]]; then
        crashes=$(( crashes + 1 ))
        echo "crash: seed $seed ended with status $status (signal $(( status > 128 ? status - 128 : 0 ))); log $log"
        for left in "$out/in-flight/scenario.yaml" "$out/in-flight/profiles/profile.yaml"; do
            [[ -f "$left" ]] || continue
            target="$out/crashes/crash-seed$seed.yaml"
            [[ "$left" == */profiles/* ]] && target="$out/crashes/profiles/crash-seed$seed.yaml"
            mv "$left" "$target"
            echo "  input: $target (reproduce: regdrill validate $target)"
        done
    elif (( status != 0 && status != 1 )); then
        echo "regdrill-fuzz failed with status $status:" >&2
        cat "$log" >&2
        exit 2
    fi
    seed=$(( seed + 1 ))
done

if (( rounds > 0 )); then
    grep -h '^slowest input' "$out"/round-*.log | sort -k3,3 -g -r | head -1 || true
    grep -h '^peak RSS' "$out"/round-*.log | sort -k3,3 -g -r | head -1 || true
    grep -h '^mutations applied' "$out/round-$(( rounds - 1 )).log" || true
fi
echo "fuzzed for $budget s in $rounds run(s): $executions executions, $crashes crash(es), $failures invariant failure(s)"
echo "output: $out (crashes/, invariant-*.yaml)"
(( crashes == 0 && failures == 0 ))
