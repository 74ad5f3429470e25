#!/usr/bin/env bash
# Installs, from Debian's packages, everything capsim's build, tests and Python scripts need.
# Idempotent: packages already installed are not touched, and nothing is fetched when none is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libhdf5-dev zlib1g-dev libyaml-cpp-dev libcli11-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev openmpi-bin libopenmpi-dev
  clang libclang-rt-dev libomp-dev
  python3 python3-h5py python3-xarray python3-h5netcdf python3-matplotlib python3-numpy python3-pandas
  python3-openpyxl
)

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
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
