#!/usr/bin/env bash
# Installs the Debian packages Moot needs, only those missing. Idempotent; needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libabsl-dev
  libhiredis-dev redis-server
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev libpq-dev postgresql
  libssl-dev libcurl4-openssl-dev
  prometheus-cpp-dev libcpp-httplib-dev nlohmann-json3-dev libical-dev
  bazel-bootstrap bazel-platforms bazel-skylib bazel-rules-java bazel-rules-proto
  curl jq python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The packaged redis-server and postgresql start system-wide daemons; Moot runs its own
# instances on its own ports, so the system ones are left as the package set them up.
