#!/usr/bin/env bash
# Installs what capsim needs, builds it with warnings as errors and runs every test; builds it with
# MPI and runs the study tests there (mpirun -n 2 included); then builds it with
# clang's AddressSanitizer and UndefinedBehaviorSanitizer and runs the tests and the fuzzers there;
# last, with ThreadSanitizer for the study tests.
# Usage: bash scripts/run-tests.sh      (from anywhere inside the repository)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh --tests
jobs=$(nproc)

echo "== release build: every test"
# The options are explicit: the README's first command configures this same folder without tests.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCAPSIM_WARNINGS_AS_ERRORS=ON \
      -DCAPSIM_BUILD_TESTS=ON -DCAPSIM_BUILD_BENCHMARKS=ON -DCAPSIM_CHECK_HEADERS=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== MPI build: the study, plan and CLI tests, which compare mpirun -n 2 with one process, and the Slurm"
echo "   tests, which run it through mpirun and srun inside a one-node Slurm's allocation"
# Only the rank transport differs from the release build, and only these tests reach it.
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DCAPSIM_WITH_MPI=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON \
      -DCAPSIM_BUILD_BENCHMARKS=OFF -DCAPSIM_CHECK_HEADERS=OFF
cmake --build build-mpi -j"$jobs" --target capsim
ctest --test-dir build-mpi --output-on-failure -R 'python.test_study|python.test_cli|python.test_plan|python.test_slurm_cluster'

echo "== sanitizer build (clang: ASan + UBSan): every test but the slow Python-only ones (reference simulator,"
echo "   plots, notebook, report, Slurm scripts, digests), and each libFuzzer harness for a few seconds (scripts/fuzz.sh runs them longer)"
# -O1: asserts stay on (Debug), but the runs go about ten times faster than at -O0, which is what
# the sanitizers' authors recommend; the default scenario's full run took 300 s at -O0, 30 s here.
# scripts/fuzz.sh configures this same folder the same way, so the two share one build.
CC=clang CXX=clang++ cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DCAPSIM_SANITIZE=ON -DCAPSIM_FUZZ=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON -DCAPSIM_BUILD_BENCHMARKS=OFF -DCAPSIM_CHECK_HEADERS=OFF
cmake --build build-sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -E 'python.test_reference_agreement|python.test_plots|python.test_notebook|python.test_report|python.test_slurm|digests.results'

echo "== ThreadSanitizer build (clang, with LLVM's OpenMP and its archer tool): the study tests, whose"
echo "   threads simulate runs while one writer keeps them (threads, shards, merge, resume, stops), and"
echo "   the planner's, whose threads run a candidate's replications and share its journal"
# ignore_noninstrumented_modules: libomp is not built with TSan; archer tells TSan about OpenMP's
# own synchronisation, and accesses inside the uninstrumented libraries (libomp, libhdf5, which
# only the writer thread calls) are not reported. docs/testing.md says more.
CC=clang CXX=clang++ cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
      -DCAPSIM_SANITIZE_THREAD=ON -DCAPSIM_WARNINGS_AS_ERRORS=ON -DCAPSIM_BUILD_BENCHMARKS=OFF -DCAPSIM_CHECK_HEADERS=OFF
cmake --build build-tsan -j"$jobs" --target capsim
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ignore_noninstrumented_modules=1" \
  ctest --test-dir build-tsan --output-on-failure -R 'python.test_study|python.test_plan'
