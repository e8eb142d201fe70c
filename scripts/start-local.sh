#!/usr/bin/env bash
# Starts the local Anyscale control plane in the background (if it is not already running) and
# prints `ANYSCALE_HOST=...` and `ANYSCALE_CLI_TOKEN=...` for the caller to eval.
# Data, pid, url, token and log live in .anyscale-local/ (git-ignored); stop it with
# scripts/stop-local.sh. Needs dist/ (npm run build). ANYSCALE_LOCAL_RUNTIME=ray runs service
# versions under Ray Serve (scripts/local-ray.sh picks it; docs/local-plane-ray.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID_FILE="$ANYSCALE_LOCAL_DIR/plane.pid"
URL_FILE="$ANYSCALE_LOCAL_DIR/plane.url"
TOKEN_FILE="$ANYSCALE_LOCAL_DIR/plane.token"
LOG_FILE="$ANYSCALE_LOCAL_DIR/plane.log"

plane_is_running() {
  [ -f "$PID_FILE" ] && [ -f "$URL_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null &&
    curl -fsS -o /dev/null --max-time 2 "$(cat "$URL_FILE")/ext/v0/clouds/default" -b "cli_token=$(cat "$TOKEN_FILE")"
}

print_env() {
  echo "ANYSCALE_HOST=$(cat "$URL_FILE")"
  echo "ANYSCALE_CLI_TOKEN=$(cat "$TOKEN_FILE")"
}

RUNTIME_FILE="$ANYSCALE_LOCAL_DIR/plane.runtime"
if plane_is_running && [ "$(cat "$RUNTIME_FILE" 2>/dev/null || echo echo)" != "${ANYSCALE_LOCAL_RUNTIME:-echo}" ]; then
  log "the running plane has the $(cat "$RUNTIME_FILE" 2>/dev/null || echo echo) runtime; restarting it with ${ANYSCALE_LOCAL_RUNTIME:-echo}"
  bash "$(dirname "${BASH_SOURCE[0]}")/stop-local.sh"
fi
if plane_is_running; then
  log "local control plane already running at $(cat "$URL_FILE") (pid $(cat "$PID_FILE"))"
  print_env
  exit 0
fi

[ -f "$REPO_ROOT/dist/local/bin.js" ] || die "dist/local/bin.js is missing: run npm run build first"
mkdir -p "$ANYSCALE_LOCAL_DIR/data"
( umask 077; [ -s "$TOKEN_FILE" ] || node -e 'process.stdout.write("sss_local_" + require("crypto").randomBytes(24).toString("hex"))' >"$TOKEN_FILE" )
rm -f "$URL_FILE"

# The token goes through the environment, not argv, so it stays out of process listings.
ANYSCALE_LOCAL_TOKEN="$(cat "$TOKEN_FILE")" nohup node "$REPO_ROOT/dist/local/bin.js" \
  --port 0 --data-dir "$ANYSCALE_LOCAL_DIR/data" --runtime "${ANYSCALE_LOCAL_RUNTIME:-echo}" >"$LOG_FILE" 2>&1 </dev/null &
echo $! >"$PID_FILE"
echo "${ANYSCALE_LOCAL_RUNTIME:-echo}" >"$RUNTIME_FILE"

# Ray takes a while to come up on a small machine.
startup_polls=100; [ "${ANYSCALE_LOCAL_RUNTIME:-echo}" = ray ] && startup_polls=1500
for _ in $(seq 1 "$startup_polls"); do
  host_line="$(grep -m1 '^ANYSCALE_HOST=' "$LOG_FILE" 2>/dev/null || true)"
  if [ -n "$host_line" ]; then
    echo "${host_line#ANYSCALE_HOST=}" >"$URL_FILE"
    break
  fi
  kill -0 "$(cat "$PID_FILE")" 2>/dev/null || { cat "$LOG_FILE" >&2; die "the local control plane exited during startup"; }
  sleep 0.2
done
[ -s "$URL_FILE" ] || die "the local control plane did not report its address (see $LOG_FILE)"
log "local control plane running at $(cat "$URL_FILE") (pid $(cat "$PID_FILE"), data in $ANYSCALE_LOCAL_DIR/data)"
print_env
