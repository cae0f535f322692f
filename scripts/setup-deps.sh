#!/usr/bin/env bash
# Installs the Debian 12 packages corolint needs, only the ones that are missing.
# Idempotent: when everything is present it returns at once without touching apt.
set -euo pipefail

packages=(
  cmake ninja-build
  clang-19 llvm-19-dev libclang-19-dev llvm-19-tools clang-tidy-19 clangd-19
  libclang-rt-19-dev
  libgrpc++-dev libprotobuf-dev libabsl-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-dev libboost1.81-doc qcoro-qt5-dev
  cargo rustc librust-tokio-dev librust-futures-dev gnuplot-nox
  g++-12 gcc-12 python3
  zlib1g-dev libzstd-dev libedit-dev libcurl4-openssl-dev libxml2-dev libffi-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

# npm for the SARIF validator: Debian's package, unless a Node.js with npm is
# already installed (Debian's npm conflicts with other Node.js builds).
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "corolint setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "corolint setup: need root to install packages (or install them yourself): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
