#!/bin/bash
# Submits a capsim study to Slurm: an array of N shards and a merge that waits for all of them, or,
# with --mpi, one job of N MPI ranks; with --plan, a capsim plan as one job of N tasks.
# Usage: scripts/slurm/submit-study.sh [OPTIONS] SCENARIO OUT_DIR N [capsim run (or plan) options...]
#   scripts/slurm/submit-study.sh scenarios/joint-2026.yaml runs/joint 16 --replications 256
#   scripts/slurm/submit-study.sh --cpus-per-task 8 --time 2:00:00 scenarios/joint-2026.yaml runs/joint 16
#   CAPSIM=./build-mpi/capsim scripts/slurm/submit-study.sh --mpi --cpus-per-task 32 \
#     scenarios/joint-2026.yaml runs/joint 4
#   scripts/slurm/submit-study.sh --plan --cpus-per-task 8 scenarios/joint-2026-plan.yaml runs/plan 4
#
# Options, each also read from the environment (the command line wins):
#   --cpus-per-task C  CAPSIM_SLURM_CPUS    CPUs of each array task or MPI rank, and capsim's threads there [1]
#   --partition P      SBATCH_PARTITION     [the cluster's default partition]
#   --account A        SBATCH_ACCOUNT       [the user's default account]
#   --time T           SBATCH_TIMELIMIT     time limit of each job, as sbatch writes it (90, 4:00:00, 1-12)
#                                           [the partition's default]
#   --mem M            SBATCH_MEM_PER_NODE  memory of each job, as sbatch writes it (8G, 500M) [the partition's default]
#   --mpi                                   one job of N ranks (sbatch --ntasks=N) writing OUT_DIR/results.h5,
#                                           started with $CAPSIM_MPI_LAUNCHER [mpirun] (for instance "srun --mpi=pmix")
#   --resubmit LIST                         submit again only these shards (3, or 1,5-7) and a new merge: a task that
#                                           failed or hit its time limit resumes from its finished runs
#   --plan                                  run `capsim plan` instead: one job of N tasks (sbatch --ntasks=N) that
#                                           share the plan's runs, started by srun as shards (--shard k/N, through
#                                           journals beside OUT_DIR/plan.h5) or, with --mpi, as MPI ranks; task 0
#                                           writes OUT_DIR/plan.h5. Submitted again, it resumes.
# sbatch also reads its other SBATCH_* variables itself (SBATCH_QOS, SBATCH_RESERVATION, ...). CAPSIM names the
# capsim binary [./build/capsim]; it must be reachable at that path from the compute nodes.
#
# A request the cluster can never meet (more CPUs than its nodes have, a time beyond the partition's limit,
# an unknown partition or account) stops the script with exit status 69 and a message saying what was asked and
# what the partition offers: before submitting where sinfo tells, else right after (their reasons are watched
# for CAPSIM_SLURM_CHECK_S seconds [3], until the first job starts), with the jobs cancelled.
set -euo pipefail
me=$(basename "$0")
usage="usage: $me [--cpus-per-task C] [--partition P] [--account A] [--time T] [--mem M] [--mpi] [--resubmit LIST]
       [--plan] SCENARIO OUT_DIR N [capsim run (or plan) options...]"
here=$(dirname "${BASH_SOURCE[0]}")

cpus=${CAPSIM_SLURM_CPUS:-1}
partition=${SBATCH_PARTITION:-}
account=${SBATCH_ACCOUNT:-}
time_limit=${SBATCH_TIMELIMIT:-}
mem=${SBATCH_MEM_PER_NODE:-}
mpi=0
plan=0
resubmit=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --cpus-per-task | --partition | --account | --time | --mem | --resubmit)
      if [[ $# -lt 2 ]]; then echo "$me: $1 needs a value" >&2; echo "$usage" >&2; exit 64; fi
      option=$1 value=$2
      shift 2 ;;
    --cpus-per-task=* | --partition=* | --account=* | --time=* | --mem=* | --resubmit=*)
      option=${1%%=*} value=${1#*=}
      shift ;;
    --mpi) mpi=1; shift; continue ;;
    --plan) plan=1; shift; continue ;;
    -h | --help) echo "$usage"; exit 0 ;;
    --) shift; break ;;
    -*) echo "$me: unknown option $1" >&2; echo "$usage" >&2; exit 64 ;;
    *) break ;;
  esac
  case $option in
    --cpus-per-task) cpus=$value ;;
    --partition) partition=$value ;;
    --account) account=$value ;;
    --time) time_limit=$value ;;
    --mem) mem=$value ;;
    --resubmit) resubmit=$value ;;
  esac
done
if [[ $# -lt 3 ]]; then
  echo "$usage" >&2
  exit 64
fi
scenario=$1 out=$2 count=$3
shift 3
if ! [[ $count =~ ^[1-9][0-9]*$ ]]; then
  echo "$me: N must be a positive whole number of shards (or of MPI ranks with --mpi), not '$count'" >&2
  exit 64
fi
if ! [[ $cpus =~ ^[1-9][0-9]*$ ]]; then
  echo "$me: --cpus-per-task (CAPSIM_SLURM_CPUS) must be a positive whole number, not '$cpus'" >&2
  exit 64
fi
if [[ -n $resubmit ]]; then
  if [[ $plan -eq 1 ]]; then
    echo "$me: --resubmit is for the shards of a study's array; resubmit a plan with the same command, which resumes" >&2
    exit 64
  fi
  if [[ $mpi -eq 1 ]]; then
    echo "$me: --resubmit is for the shards of an array; resubmit an MPI study with the same command, which resumes" >&2
    exit 64
  fi
  if ! [[ $resubmit =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]]; then
    echo "$me: --resubmit takes shard numbers like 3 or 1,5-7, not '$resubmit'" >&2
    exit 64
  fi
  for n in ${resubmit//[,-]/ }; do
    if ((10#$n >= count)); then
      echo "$me: --resubmit $resubmit: the study has shards 0 to $((count - 1)) only" >&2
      exit 64
    fi
  done
fi
capsim=${CAPSIM:-./build/capsim}

# The request, as sbatch options: the same for every job, but the merge runs on one CPU.
resources=()
[[ -n $partition ]] && resources+=("--partition=$partition")
[[ -n $account ]] && resources+=("--account=$account")
[[ -n $time_limit ]] && resources+=("--time=$time_limit")
[[ -n $mem ]] && resources+=("--mem=$mem")
asked="--cpus-per-task=$cpus${resources[*]:+ ${resources[*]}}"
[[ $mpi -eq 1 || $plan -eq 1 ]] && asked="--ntasks=$count $asked"

# The partition the jobs go to, and what it offers, for the checks and the messages; empty where sinfo
# cannot tell (no cluster reachable: then sbatch says why).
target=""
if sinfo -h -o '%P' >/dev/null 2>&1; then
  target=${partition:-$(sinfo -h -o '%P' | sed -n 's/\*$//p' | head -n 1)}
fi

offer() {
  [[ -n $target ]] || return 0
  local nodes limits
  nodes=$(sinfo -h -p "$target" -o '    %D node(s) with %c CPUs and %m MB of memory each, %T' 2>/dev/null || true)
  if [[ -z $nodes ]]; then
    echo "  the cluster has no partition '$target'; it has: $(sinfo -h -o '%P' 2>/dev/null | sort -u | tr '\n' ' ')"
    return 0
  fi
  limits=$(scontrol -o show partition "$target" 2>/dev/null |
    grep -o -E '(MaxTime|DefaultTime|MaxCPUsPerNode|MaxMemPerNode|MaxNodes)=[^ ]*' | tr '\n' ' ' || true)
  echo "  partition $target offers:"
  echo "$nodes"
  if [[ -n $limits ]]; then echo "    limits: $limits"; fi
}

refuse() {  # refuse WHAT: says what cannot be met and what the cluster offers, and exits 69
  echo "$me: Slurm cannot meet this request: $1" >&2
  echo "  asked: $asked" >&2
  offer >&2
  echo "  change --cpus-per-task (CAPSIM_SLURM_CPUS), --partition, --account, --time or --mem" >&2
  exit 69
}

# Before submitting: the partition exists and a task's CPUs fit on one of its nodes (sinfo counts every
# node there whatever its state, so a node that is down for now still counts).
if [[ -n $target ]]; then
  node_cpus=$(sinfo -h -p "$target" -N -o '%c' 2>/dev/null | sort -n | tail -n 1)
  if [[ -z $node_cpus ]]; then
    refuse "there is no partition '$target'"
  fi
  part_max=$(scontrol -o show partition "$target" 2>/dev/null |
    grep -o -E 'MaxCPUsPerNode=[0-9]+' | cut -d= -f2 || true)
  if [[ -n $part_max ]] && ((part_max < node_cpus)); then node_cpus=$part_max; fi
  if ((cpus > node_cpus)); then
    refuse "each task asks for $cpus CPUs but the nodes of partition '$target' have at most $node_cpus"
  fi
fi

# Check the scenario now rather than in every task.
"$capsim" validate "$scenario" >/dev/null
mkdir -p "$out"

submitted=()
cancel_submitted() {
  if [[ ${#submitted[@]} -gt 0 ]]; then
    scancel "${submitted[@]}" 2>/dev/null || true
    echo "  cancelled job(s) ${submitted[*]}" >&2
  fi
}

# submit WHAT sbatch-options...: prints the job id (the caller adds it to submitted); a refusal by sbatch
# cancels what was submitted before and exits 69.
submit() {
  local what=$1 id err
  shift
  err=$(mktemp)
  if ! id=$(sbatch --parsable "$@" 2>"$err"); then
    cat "$err" >&2
    rm -f "$err"
    echo "$me: Slurm cannot meet this request: sbatch refused the $what" >&2
    echo "  asked: $asked" >&2
    offer >&2
    cancel_submitted
    exit 69
  fi
  cat "$err" >&2
  rm -f "$err"
  echo "${id%%;*}"
}

# Reasons a pending job gives when it can never start, whatever else runs or ends meanwhile.
never='^(PartitionConfig|PartitionNodeLimit|PartitionTimeLimit|BadConstraints|InvalidAccount|InvalidQOS'
never+='|AccountNotAllowed|(QOS|Assoc)Max[A-Za-z]*Per(Job|Node)[A-Za-z]*|QOSMin[A-Za-z]*)$'

explain() {
  case $1 in
    PartitionConfig) echo "more CPUs, memory, nodes or time than the partition allows" ;;
    PartitionTimeLimit) echo "a time limit beyond the partition's MaxTime" ;;
    PartitionNodeLimit) echo "more nodes than the partition allows" ;;
    InvalidAccount | AccountNotAllowed) echo "an account that may not use this partition" ;;
    *) echo "a request that the partition or its limits never allow" ;;
  esac
}

# After submitting: Slurm accepts some requests that it can never start (sbatch only refuses them where the
# cluster enforces partition limits at submission), and the jobs would pend without a word. Look at their
# reasons for a few seconds, until the first job no longer pends.
check_started() {
  local first=$1 deadline=$((SECONDS + ${CAPSIM_SLURM_CHECK_S:-3})) line state reason pending
  shift
  while :; do
    pending=0
    for id in "$first" "$@"; do
      while read -r line; do
        state=$(grep -o -E 'JobState=[^ ]+' <<<"$line" | cut -d= -f2)
        reason=$(grep -o -E 'Reason=[^ ]+' <<<"$line" | cut -d= -f2)
        reason=${reason%%,*}
        if [[ $state == PENDING && $reason =~ $never ]]; then
          echo "$me: Slurm cannot meet this request: job $id is pending with reason $reason," \
            "$(explain "$reason"), and would never start" >&2
          echo "  asked: $asked" >&2
          offer >&2
          cancel_submitted
          exit 69
        fi
        [[ $id == "$first" && $state == PENDING ]] && pending=1
      done < <(scontrol -o show job "$id" 2>/dev/null || true)
    done
    ((pending == 1 && SECONDS < deadline)) || break
    sleep 1
  done
}

extra=$(printf '%q ' "$@")  # the capsim options, quoted for the job script to split exactly as given here
export SCENARIO="$scenario" OUT="$out" CAPSIM="$capsim" EXTRA="$extra"
if [[ $plan -eq 1 ]]; then
  export PLAN_MPI="$mpi"
  job=$(submit "plan job" --ntasks="$count" --cpus-per-task="$cpus" "${resources[@]}" --export=ALL \
    "$here/plan.sbatch")
  submitted+=("$job")
  check_started "$job"
  how="shards"
  [[ $mpi -eq 1 ]] && how="MPI ranks"
  echo "submitted the plan as job $job ($count $how); results: $out/plan.h5"
  exit 0
fi
if [[ $mpi -eq 1 ]]; then
  job=$(submit "MPI job" --ntasks="$count" --cpus-per-task="$cpus" "${resources[@]}" --export=ALL \
    "$here/study-mpi.sbatch")
  submitted+=("$job")
  check_started "$job"
  echo "submitted the study as MPI job $job ($count ranks); results: $out/results.h5"
  exit 0
fi

export SHARDS="$count"
array=$(submit "shard array" --array="${resubmit:-0-$((count - 1))}" --cpus-per-task="$cpus" "${resources[@]}" \
  --export=ALL "$here/study-array.sbatch")
submitted+=("$array")
# A shard that fails or is stopped cancels the merge, rather than leaving it pending for ever.
merge=$(submit "merge job" --dependency="afterok:$array" --kill-on-invalid-dep=yes --cpus-per-task=1 \
  "${resources[@]}" --export=ALL "$here/merge.sbatch")
submitted+=("$merge")
check_started "$array" "$merge"
if [[ -n $resubmit ]]; then
  echo "resubmitted shards $resubmit as job $array and the merge as job $merge; results: $out/results.h5"
else
  echo "submitted shards as job $array and the merge as job $merge; results: $out/results.h5"
fi
