#!/usr/bin/env bash
# Builds capsim's libFuzzer harnesses (clang, AddressSanitizer and UndefinedBehaviorSanitizer) in
# build-sanitize/ and runs each for SECONDS (default 300). What a fuzzer finds is left as
# build-sanitize/fuzz/NAME-crash-* (or timeout-*, leak-*, oom-*); replay one with
#   build-sanitize/tests/fuzz/NAME_fuzzer FILE
# The corpora grow in build-sanitize/fuzz/corpus/ and are kept between runs.
# Usage: bash scripts/fuzz.sh [SECONDS] [--mutate-hdf5] [NAME...]   (NAME: scenario, override,
#        plan, quantity, swf, csv, results; all when none is given)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=300
names=()
for arg in "$@"; do
  case $arg in
    --mutate-hdf5) export CAPSIM_FUZZ_MUTATE_HDF5=1 ;;
    [0-9]*) seconds=$arg ;;
    *) names+=("$arg") ;;
  esac
done
[[ ${#names[@]} -gt 0 ]] || names=(scenario plan override quantity swf csv results)

CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCAPSIM_SANITIZE=ON -DCAPSIM_FUZZ=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON -DCAPSIM_BUILD_BENCHMARKS=OFF \
  -DCAPSIM_CHECK_HEADERS=OFF >/dev/null # as scripts/run-tests.sh configures it: one build serves both
cmake --build build-sanitize -j"$(nproc)" --target capsim "${names[@]/%/_fuzzer}"

failed=()
for name in "${names[@]}"; do
  echo "== $name: $seconds s"
  bash tests/fuzz/run_fuzzer.sh "build-sanitize/tests/fuzz/${name}_fuzzer" "$seconds" "$PWD/build-sanitize/fuzz" \
    "$PWD/build-sanitize/capsim" || failed+=("$name")
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: findings in ${failed[*]} (see build-sanitize/fuzz/)"
  exit 1
fi
