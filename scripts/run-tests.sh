#!/usr/bin/env bash
# Installs what capsim needs, builds it with warnings as errors and runs every test; builds it with
# MPI and runs the unit and study tests there (mpirun -n 2 included); then builds it with
# AddressSanitizer and UndefinedBehaviorSanitizer and runs the tests there too.
# Usage: bash scripts/run-tests.sh      (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
jobs=$(nproc)

echo "== release build: every test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCAPSIM_WARNINGS_AS_ERRORS=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== MPI build: unit tests and the study tests, which compare mpirun -n 2 with one process"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DCAPSIM_WITH_MPI=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON \
      -DCAPSIM_BUILD_BENCHMARKS=OFF -DCAPSIM_CHECK_HEADERS=OFF
cmake --build build-mpi -j"$jobs"
ctest --test-dir build-mpi --output-on-failure -j"$jobs" -E 'python\.|validation\.'
ctest --test-dir build-mpi --output-on-failure -R 'python.test_study|python.test_cli'

echo "== sanitizer build (ASan + UBSan): every test but the slow Python-only ones (reference simulator, plots, digests)"
# -O1: asserts stay on (Debug), but the runs go about ten times faster than at -O0, which is what
# the sanitizers' authors recommend; the default scenario's full run took 300 s at -O0, 30 s here.
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCAPSIM_SANITIZE=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON \
      -DCAPSIM_BUILD_BENCHMARKS=OFF -DCAPSIM_CHECK_HEADERS=OFF
cmake --build build-sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -E 'python.test_reference_agreement|python.test_plots|digests.results'
