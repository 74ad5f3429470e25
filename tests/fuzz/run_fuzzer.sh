#!/usr/bin/env bash
# Runs one capsim fuzzer for SECONDS, from its seeds (copied out of the repository) and the corpus it
# grew in earlier runs; a crash, hang, leak or sanitizer report fails it and leaves the input that
# caused it in WORK_DIR as crash-*, timeout-* or leak-* (replay it with: FUZZER_BIN FILE).
# Usage: run_fuzzer.sh FUZZER_BIN SECONDS WORK_DIR CAPSIM_BIN
set -euo pipefail
fuzzer_bin=$1 seconds=$2 work=$3 capsim_bin=$4
name=$(basename "$fuzzer_bin" _fuzzer)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
seeds=$work/seeds/$name corpus=$work/corpus/$name
mkdir -p "$seeds" "$corpus"

options=()
case $name in
  scenario)
    cp "$repo"/scenarios/*.yaml "$repo"/scenarios/*/*.yaml "$repo"/tests/scenarios/invalid/*.yaml "$seeds"/
    options+=(-dict="$here/scenario.dict" -max_len=16384) ;;
  plan)
    cp "$repo"/scenarios/*-plan.yaml "$repo"/tests/scenarios/plan/*.yaml "$seeds"/
    for f in "$repo"/tests/scenarios/invalid/plan_*.yaml; do cp "$f" "$seeds/invalid-$(basename "$f")"; done
    options+=(-dict="$here/scenario.dict" -max_len=16384) ;;
  override)
    cp "$here"/seeds/override/* "$seeds"/
    for f in "$repo"/tests/scenarios/invalid/*.args; do cp "$f" "$seeds/invalid-$(basename "$f")"; done
    options+=(-dict="$here/scenario.dict") ;;
  results)
    # Small files of each kind capsim writes: a run, a study, a study shard and a trace replay.
    if [[ ! -s $seeds/replay.h5 ]]; then
      "$capsim_bin" run "$repo/scenarios/small/one-node-day-night.yaml" -o "$seeds/run.h5" --force --quiet >/dev/null
      "$capsim_bin" run "$repo/scenarios/small/queue-sweep.yaml" -o "$seeds/study.h5" --force --quiet \
        --set replications=2 --threads 1 >/dev/null
      "$capsim_bin" run "$repo/scenarios/small/queue-sweep.yaml" -o "$seeds/shard.h5" --force --quiet \
        --set replications=2 --threads 1 --shard 0/2 >/dev/null
      "$capsim_bin" replay "$repo/scenarios/traces/HPC2N-2002-excerpt.swf.gz" -o "$seeds/replay.h5" --force >/dev/null
      # Files cut short, as a copy interrupted or a full disk leaves them.
      for f in run study replay; do
        size=$(stat -c %s "$seeds/$f.h5")
        for cut in 0 8 512 4096 $((size / 2)) $((size - 1)); do head -c "$cut" "$seeds/$f.h5" > "$seeds/$f-cut$cut.h5"; done
      done
    fi
    options+=(-max_len=262144)
    # Mutated bytes soon reach memory errors inside libhdf5 itself (1.10's decoding of damaged object
    # headers), which capsim cannot catch; so the test command reads capsim's own files whole and cut
    # short, and only scripts/fuzz.sh --mutate-hdf5 mutates them (docs/testing.md).
    [[ ${CAPSIM_FUZZ_MUTATE_HDF5:-0} == 1 ]] || options+=(-runs=0) ;;
  *)
    cp "$here"/seeds/"$name"/* "$seeds"/ ;;
esac

# -timeout: one input taking 20 s is a hang; -rss_limit_mb: memory beyond 2 GB is a finding too.
"$fuzzer_bin" "$corpus" "$seeds" "${options[@]}" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
  -artifact_prefix="$work/$name-" -print_final_stats=1 2>"$work/$name.log" || {
  # The report: the sanitizer's or libFuzzer's lines from the first error on, and where the input is.
  sed -n '/ERROR\|runtime error\|deadly signal\|uncaught\|Timeout\|out-of-memory/,$p' "$work/$name.log" | head -n 60
  exit 1
}
grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$work/$name.log" || tail -n 3 "$work/$name.log"
