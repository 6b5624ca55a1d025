#!/usr/bin/env bash
# make up: install missing packages, build, start Redis and every service, load the demo tenants,
# print URLs and where the credentials are. Idempotent: what already runs is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
source scripts/lib.sh

scripts/deps.sh
cmake --preset "$UP_PRESET" >/dev/null
cmake --build "build/$UP_PRESET" -j "$(nproc)"

mkdir -p "$VAR/run" "$VAR/log" "$VAR/data/redis" "$VAR/demo"
ensure_secrets

start_redis
for svc in "${SERVICES[@]}"; do
  start_service "$svc"
done
wait_all_serving 60

"$BIN/tools/seed/moot-seed" --addr="127.0.0.1:${GRPC_PORT[gateway]}" \
  --secret-file="$VAR/secrets.env" --data-dir="$ROOT/deploy/demo" \
  --credentials-out="$VAR/demo/credentials.json" >"$VAR/log/seed.log" 2>&1 || {
  echo "up: loading the demo data failed; see $VAR/log/seed.log" >&2
  tail -20 "$VAR/log/seed.log" >&2
  exit 1
}

cat <<MSG

Moot is running.
  gRPC (gateway):   127.0.0.1:${GRPC_PORT[gateway]}
  HTTP/JSON, health, traces: http://127.0.0.1:${HTTP_PORT}/healthz
  Demo credentials: $VAR/demo/credentials.json   (tenants west-midlands and north-shire;
                    roles officer, member, partner, ops, tenant_admin)
  CLI:              MOOT_TOKEN=\$(jq -r '.tenants["west-midlands"].officer' $VAR/demo/credentials.json) \\
                      $BIN/tools/moot/moot meetings list tenants/west-midlands/bodies/pcp
  Logs:             $VAR/log/
  Stop:             make down
MSG
