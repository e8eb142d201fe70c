#!/usr/bin/env bash
# Runs a real ZenML server on 127.0.0.1 for the integration and e2e tests (no Docker, no double).
#   setup  create the venv with the pinned zenml[server] (idempotent)
#   start  start a server with a throwaway config dir, wait for /health, mint a service-account API key
#   stop   stop the server started by `start` and remove its state
#   env    print ZENML_STORE_URL=... and ZENML_STORE_API_KEY=... for the running server
# State lives in .zenml-local/ under the repo (url, api_key, jwt_secret, pid, config dir, log).
set -euo pipefail

ZENML_VERSION="${ZENML_VERSION:-0.98.0}"
CACHE_DIR="${PULUMI_ANYSCALE_CACHE:-$HOME/.cache/pulumi-anyscale}"
VENV="$CACHE_DIR/venv-zenml"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${ZENML_LOCAL_STATE_DIR:-$REPO_DIR/.zenml-local}"
HEALTH_TIMEOUT_S="${ZENML_HEALTH_TIMEOUT_S:-180}"
# ZenML's own default; the re-login test uses an expired token signed with jwt_secret instead of waiting.
JWT_EXPIRE_MINUTES="${ZENML_SERVER_JWT_TOKEN_EXPIRE_MINUTES:-60}"

log() { echo "zenml-server: $*" >&2; }

installed_version() {
  [ -x "$VENV/bin/python" ] || return 1
  "$VENV/bin/python" - <<'PY' 2>/dev/null
from importlib.metadata import version
print(version("zenml"))
PY
}

cmd_setup() {
  if [ "$(installed_version || true)" = "$ZENML_VERSION" ] \
     && "$VENV/bin/python" -c "import uvicorn, fastapi, sqlalchemy" 2>/dev/null; then
    log "zenml[server]==$ZENML_VERSION already installed in $VENV"
    return 0
  fi
  mkdir -p "$CACHE_DIR"
  [ -x "$VENV/bin/python" ] || python3.11 -m venv "$VENV" 2>/dev/null || python3 -m venv "$VENV"
  log "installing zenml[server]==$ZENML_VERSION into $VENV (takes a few minutes)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "zenml[server]==$ZENML_VERSION"
  log "installed zenml $(installed_version)"
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

is_running() {
  [ -f "$STATE_DIR/pid" ] && kill -0 "$(cat "$STATE_DIR/pid")" 2>/dev/null
}

# Activates the server if needed and mints a service-account API key, all through the REST API.
# Python from the venv (always there after setup) instead of curl/jq, so nothing else is required.
mint_api_key() {
  local url="$1"
  "$VENV/bin/python" - "$url" <<'PY'
import json, random, sys, urllib.parse, urllib.request

base = sys.argv[1]

def call(method, path, body=None, token=None, form=None):
    headers = {"Accept": "application/json"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        sys.exit(f"zenml-server: {method} {path} failed with {error.code}: {error.read()[:300]!r}")

if call("GET", "/api/v1/info").get("active") is False:
    print("zenml-server: server is not active; activating through the REST API", file=sys.stderr)
    call("PUT", "/api/v1/activate", {"admin_username": "default", "admin_password": ""})
token = call("POST", "/api/v1/login", form={"username": "default", "password": ""})["access_token"]
name = "pulumi-anyscale-tests-%08x" % random.getrandbits(32)
account = call("POST", "/api/v1/service_accounts", {"name": name, "active": True}, token)
key = call("POST", f"/api/v1/service_accounts/{account['id']}/api_keys", {"name": "tests"}, token)["body"]["key"]
sys.stdout.write(key)
PY
}

server_healthy() {
  "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/health", timeout=2)' "$1" 2>/dev/null
}

cmd_start() {
  if is_running; then
    log "already running at $(cat "$STATE_DIR/url")"
    return 0
  fi
  [ -x "$VENV/bin/uvicorn" ] || { log "venv missing: run '$0 setup' first"; exit 1; }
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR/config"
  local port url jwt_secret started deadline
  port="$(free_port)"
  url="http://127.0.0.1:$port"
  jwt_secret="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
  started=$(date +%s)
  # Kept (0600) so the re-login test can mint a properly signed but expired token.
  (umask 077; printf '%s' "$jwt_secret" >"$STATE_DIR/jwt_secret")
  # The server must not see client-side store settings (they would point it at itself).
  (
    cd "$STATE_DIR"
    exec env -u ZENML_STORE_URL -u ZENML_STORE_API_KEY -u ZENML_STORE_USERNAME -u ZENML_STORE_PASSWORD \
      ZENML_CONFIG_PATH="$STATE_DIR/config" \
      ZENML_ANALYTICS_OPT_IN=false \
      ZENML_ENABLE_REPO_INIT_WARNINGS=false \
      ZENML_SERVER_AUTO_ACTIVATE=1 \
      ZENML_SERVER_JWT_SECRET_KEY="$jwt_secret" \
      ZENML_SERVER_JWT_TOKEN_EXPIRE_MINUTES="$JWT_EXPIRE_MINUTES" \
      ZENML_LOGGING_VERBOSITY=WARN \
      "$VENV/bin/uvicorn" zenml.zen_server.zen_server_api:app \
        --host 127.0.0.1 --port "$port" --log-level warning
  ) >"$STATE_DIR/server.log" 2>&1 &
  echo $! >"$STATE_DIR/pid"
  deadline=$((started + HEALTH_TIMEOUT_S))
  until server_healthy "$url"; do
    if ! is_running; then
      log "server exited during startup; last log lines:"; tail -20 "$STATE_DIR/server.log" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "no /health after ${HEALTH_TIMEOUT_S}s; last log lines:"; tail -20 "$STATE_DIR/server.log" >&2
      cmd_stop; exit 1
    fi
    sleep 1
  done
  (umask 077; mint_api_key "$url" >"$STATE_DIR/api_key.tmp") || { cmd_stop; exit 1; }
  mv "$STATE_DIR/api_key.tmp" "$STATE_DIR/api_key"
  printf '%s' "$url" >"$STATE_DIR/url"
  log "ZenML $(installed_version) ready at $url after $(( $(date +%s) - started ))s"
}

cmd_stop() {
  if is_running; then
    local pid; pid="$(cat "$STATE_DIR/pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$STATE_DIR"
}

cmd_env() {
  is_running || { log "not running: run '$0 start' first"; exit 1; }
  echo "ZENML_STORE_URL=$(cat "$STATE_DIR/url")"
  echo "ZENML_STORE_API_KEY=$(cat "$STATE_DIR/api_key")"
}

case "${1:-}" in
  setup) cmd_setup ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *) echo "usage: $0 setup|start|stop|env" >&2; exit 2 ;;
esac
