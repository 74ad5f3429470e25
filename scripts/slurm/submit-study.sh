#!/bin/bash
# Submits a capsim study to Slurm as an array of shards and a merge that waits for all of them.
# Usage: scripts/slurm/submit-study.sh SCENARIO OUT_DIR SHARDS [capsim run options...]
#   scripts/slurm/submit-study.sh scenarios/joint-2026.yaml runs/joint 16 --replications 256
# Options for sbatch itself (account, partition, time) go in SBATCH_* environment variables, e.g.
#   SBATCH_ACCOUNT=proj42 SBATCH_PARTITION=cpu scripts/slurm/submit-study.sh ...
set -euo pipefail
if [[ $# -lt 3 ]]; then
  echo "usage: $0 SCENARIO OUT_DIR SHARDS [capsim run options...]" >&2
  exit 64
fi
scenario=$1 out=$2 shards=$3
shift 3
here=$(dirname "${BASH_SOURCE[0]}")
capsim=${CAPSIM:-./build/capsim}

# Check the scenario now rather than in every array task.
"$capsim" validate "$scenario" >/dev/null
mkdir -p "$out"
array=$(sbatch --parsable --array="0-$((shards - 1))" \
  --export=ALL,SCENARIO="$scenario",OUT="$out",CAPSIM="$capsim",EXTRA="$*" "$here/study-array.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --export=ALL,OUT="$out",CAPSIM="$capsim" \
  "$here/merge.sbatch")
echo "submitted shards as job $array and the merge as job $merge; results: $out/results.h5"
