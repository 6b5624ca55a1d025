#!/usr/bin/env bash
# make down: stop everything make up started (services first, then Redis). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib.sh

for svc in "${SERVICES[@]}"; do
  stop_pidfile "$VAR/run/$svc.pid" "$svc"
done
stop_redis
echo "down: stopped"
