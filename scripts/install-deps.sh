#!/usr/bin/env bash
# Installs, from Debian's packages, what capsim needs.
#   bash scripts/install-deps.sh          what building capsim, running it and drawing its figures need
#   bash scripts/install-deps.sh --tests  that, and what the tests need: GoogleTest, Google Benchmark,
#                                         OpenMPI, clang's sanitizers and fuzzer, a one-node Slurm,
#                                         headless Chromium (the HTML report), nbclient (the notebook)
# Idempotent: packages already installed are not touched, and nothing is fetched when none is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libhdf5-dev zlib1g-dev libyaml-cpp-dev libcli11-dev libeigen3-dev
  python3 python3-h5py python3-xarray python3-h5netcdf python3-matplotlib python3-numpy python3-pandas
  python3-openpyxl python3-yaml
)
case "${1:-}" in
  "") ;;
  --tests)
    packages+=(
      libgtest-dev libgmock-dev libbenchmark-dev openmpi-bin libopenmpi-dev
      clang libclang-rt-dev libomp-dev
      slurmctld slurmd slurm-client munge
      chromium
      python3-nbclient python3-nbformat python3-ipykernel
    ) ;;
  *) echo "usage: $0 [--tests]" >&2; exit 64 ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
# Slurm's and munge's packages must not start daemons here: the tests start their own, in a
# temporary directory. policy-rc.d is the Debian way to say so while the packages install.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added_policy=1
fi
status=0
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
if [[ $added_policy -eq 1 ]]; then $sudo rm -f "$policy"; fi
exit $status
