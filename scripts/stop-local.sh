#!/usr/bin/env bash
# Stops the local Anyscale control plane started by scripts/main.sh (or start-local.sh).
# Its data stays in .anyscale-local/data, so the next start sees the same services and jobs;
# pass --wipe to delete it too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PID_FILE="$ANYSCALE_LOCAL_DIR/plane.pid"

if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  pid="$(cat "$PID_FILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid did not stop after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "stopped the local control plane (pid $pid)"
else
  log "the local control plane is not running"
fi
rm -f "$PID_FILE" "$ANYSCALE_LOCAL_DIR/plane.url"

if [ "${1:-}" = "--wipe" ]; then
  rm -rf "$ANYSCALE_LOCAL_DIR"
  # Stack state describes objects that no longer exist once the plane's data is gone.
  rm -rf "$PULUMI_LOCAL_DIR"
  log "deleted $ANYSCALE_LOCAL_DIR and $PULUMI_LOCAL_DIR"
fi
