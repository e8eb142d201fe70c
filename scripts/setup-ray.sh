#!/usr/bin/env bash
# Creates (once) the Python venv holding Ray Serve for the local plane's Ray runtime
# (`anyscale-local --runtime ray`). Cached outside the repo like the engine; a stamp file records
# the installed version so later runs cost one `cat`. Prints RAY_VENV=... and RAY_BIN=... last.
# Exits non-zero with the reason when Ray cannot be installed here (callers fall back to echo).
set -euo pipefail

RAY_VERSION="${RAY_VERSION:-2.60.0}"
CACHE_DIR="${PULUMI_ANYSCALE_CACHE:-$HOME/.cache/pulumi-anyscale}"
VENV_DIR="$CACHE_DIR/ray-venv"
STAMP="$VENV_DIR/.installed-ray"
LOCK="$CACHE_DIR/ray-install.lock"
PYTHON_BIN="${PYTHON:-$(command -v python3.11 || command -v python3)}"

mkdir -p "$CACHE_DIR"
exec 9>"$LOCK"
# One installer at a time; a second caller waits and then finds the stamp.
flock 9

if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$RAY_VERSION" ]; then
  started=$(date +%s)
  rm -rf "$VENV_DIR"
  "$PYTHON_BIN" -m venv "$VENV_DIR"
  if ! "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check "ray[serve]==$RAY_VERSION" >&2; then
    echo "setup-ray: pip could not install ray[serve]==$RAY_VERSION with $PYTHON_BIN" >&2
    exit 1
  fi
  if ! "$VENV_DIR/bin/python" -c "import ray, ray.serve" >&2; then
    echo "setup-ray: ray[serve]==$RAY_VERSION installed but does not import" >&2
    exit 1
  fi
  echo "$RAY_VERSION" >"$STAMP"
  echo "$(( $(date +%s) - started ))" >"$VENV_DIR/.install-seconds"
  echo "setup-ray: installed ray[serve]==$RAY_VERSION in $(cat "$VENV_DIR/.install-seconds")s" >&2
fi

echo "RAY_VENV=$VENV_DIR"
echo "RAY_BIN=$VENV_DIR/bin"
