#!/usr/bin/env bash
# Creates (once) the Python venv holding the official `anyscale` CLI/SDK at a pinned release.
# The contract tests run that CLI against the local control plane, so the version must be fixed:
# a different release may speak a slightly different wire protocol.
set -euo pipefail

ANYSCALE_VERSION="${ANYSCALE_CLI_VERSION:-0.26.112}"
CACHE_DIR="${PULUMI_ANYSCALE_CACHE:-$HOME/.cache/pulumi-anyscale}"
VENV_DIR="$CACHE_DIR/venv-anyscale"
PYTHON_BIN="${PYTHON:-$(command -v python3.11 || command -v python3)}"

installed_version() {
  [ -x "$VENV_DIR/bin/python" ] || return 1
  "$VENV_DIR/bin/python" - <<'EOF' 2>/dev/null
from importlib.metadata import version
print(version("anyscale"))
EOF
}

if [ "$(installed_version || true)" = "$ANYSCALE_VERSION" ]; then
  echo "anyscale $ANYSCALE_VERSION already installed"
else
  mkdir -p "$CACHE_DIR"
  # A venv left half-built by an interrupted run is rebuilt rather than patched.
  if [ -d "$VENV_DIR" ] && ! [ -x "$VENV_DIR/bin/pip" ]; then
    rm -rf "$VENV_DIR"
  fi
  [ -d "$VENV_DIR" ] || "$PYTHON_BIN" -m venv "$VENV_DIR"
  "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check "anyscale==$ANYSCALE_VERSION"
  if [ "$(installed_version || true)" != "$ANYSCALE_VERSION" ]; then
    echo "failed to install anyscale==$ANYSCALE_VERSION into $VENV_DIR" >&2
    exit 1
  fi
fi

echo "ANYSCALE_VENV=$VENV_DIR"
echo "ANYSCALE_PYTHON=$VENV_DIR/bin/python"
echo "ANYSCALE_CLI=$VENV_DIR/bin/anyscale"
