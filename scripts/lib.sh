# Shared by up.sh, down.sh and bench.sh: where things live and how to start and stop them.
# shellcheck shell=bash

VAR=${MOOT_VAR_DIR:-$ROOT/var}
# make up builds and runs the release preset; UP_PRESET=debug reuses the tree `make test` built.
UP_PRESET=${UP_PRESET:-release}
BIN=${MOOT_BIN_DIR:-$ROOT/build/$UP_PRESET}
SERVICES=(scheduling documents decisions budget notifications gateway)
declare -A GRPC_PORT=([gateway]=50051 [scheduling]=50061 [documents]=50062 [decisions]=50063
                      [budget]=50064 [notifications]=50065)
declare -A ADMIN_PORT=([gateway]=9051 [scheduling]=9061 [documents]=9062 [decisions]=9063
                       [budget]=9064 [notifications]=9065)
HTTP_PORT=${MOOT_HTTP_PORT:-8080}
REDIS_PORT=${MOOT_REDIS_PORT:-6390}

# Creates var/secrets.env once (JWT secret, API key pepper, Redis password) and loads it.
ensure_secrets() {
  if [ ! -f "$VAR/secrets.env" ]; then
    umask 077
    {
      echo "MOOT_JWT_HS256_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "MOOT_API_KEY_PEPPER=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "REDIS_PASSWORD=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    } >"$VAR/secrets.env"
  fi
  # shellcheck disable=SC1091
  source "$VAR/secrets.env"
  export MOOT_JWT_HS256_SECRET MOOT_API_KEY_PEPPER
}

is_running() {  # pidfile
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

start_redis() {
  if is_running "$VAR/run/redis.pid"; then
    return
  fi
  redis-server "$ROOT/deploy/redis/redis.conf" --port "$REDIS_PORT" --dir "$VAR/data/redis" \
    --requirepass "$REDIS_PASSWORD" --daemonize yes --pidfile "$VAR/run/redis.pid" \
    --logfile "$VAR/log/redis.log"
  for _ in $(seq 1 100); do
    if redis-cli -p "$REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning ping 2>/dev/null |
        grep -q PONG; then
      return
    fi
    sleep 0.1
  done
  echo "up: Redis did not start; see $VAR/log/redis.log" >&2
  exit 1
}

stop_redis() {
  if is_running "$VAR/run/redis.pid"; then
    # shellcheck disable=SC1091
    [ -f "$VAR/secrets.env" ] && source "$VAR/secrets.env"
    redis-cli -p "$REDIS_PORT" -a "${REDIS_PASSWORD:-}" --no-auth-warning shutdown >/dev/null 2>&1 ||
      kill "$(cat "$VAR/run/redis.pid")" 2>/dev/null || true
  fi
  rm -f "$VAR/run/redis.pid"
}

start_service() {  # name
  local svc=$1
  local pidfile="$VAR/run/$svc.pid"
  if is_running "$pidfile"; then
    return
  fi
  local exe="$BIN/services/$svc/$svc"
  if [ ! -x "$exe" ]; then
    echo "up: $exe is missing" >&2
    exit 1
  fi
  local extra=()
  local settings=()
  if [ "$svc" = gateway ]; then
    extra+=("--http-port=$HTTP_PORT")
  fi
  if [ "$svc" = budget ]; then
    # Budget checks the precept timetable against scheduling's meetings (unset: stored ones).
    # Only budget gets it: every service refuses MOOT_ settings it does not know.
    settings+=("MOOT_SCHEDULING_ADDRESS=127.0.0.1:${GRPC_PORT[scheduling]}")
  fi
  env "${settings[@]}" \
  MOOT_GRPC_LISTEN="127.0.0.1:${GRPC_PORT[$svc]}" \
  MOOT_ADMIN_PORT="${ADMIN_PORT[$svc]}" \
  MOOT_DATABASE_URL="sqlite://$VAR/data/$svc.db" \
  MOOT_REDIS_URL="redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT" \
    nohup "$exe" "${extra[@]}" >>"$VAR/log/$svc.log" 2>&1 &
  echo $! >"$pidfile"
}

stop_pidfile() {  # pidfile name
  local pidfile=$1
  if is_running "$pidfile"; then
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "down: $2 did not stop in 15 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# Waits until every process's /healthz reports SERVING (200), or fails after $1 seconds.
wait_all_serving() {
  local deadline=$((SECONDS + $1))
  for svc in "${SERVICES[@]}"; do
    until curl -fsS "http://127.0.0.1:${ADMIN_PORT[$svc]}/healthz" >/dev/null 2>&1; do
      if ! is_running "$VAR/run/$svc.pid"; then
        echo "up: $svc exited; last lines of $VAR/log/$svc.log:" >&2
        tail -20 "$VAR/log/$svc.log" >&2
        exit 1
      fi
      if [ $SECONDS -ge $deadline ]; then
        echo "up: $svc is not SERVING after $1 s; see $VAR/log/$svc.log" >&2
        exit 1
      fi
      sleep 0.1
    done
  done
}
