#!/usr/bin/env bash
# Provides OpenTofu for the on-demand peer bench (`npm run bench -- terraform-peer`) and prints the
# directory holding `tofu` (last line of stdout).
#
# `tofu` is built once with the ordinary `go` client from the Go module proxy, through the wrapper
# module scripts/engine/opentofu (it requires github.com/opentofu/opentofu at the pinned version and
# repeats what OpenTofu's own go.mod needs but a dependency's go.mod cannot carry: the HCL fork's
# replace and the godebug settings; its go.sum pins every module), into a cache outside the repo.
# Later runs find the stamp and skip the build. A cold build takes several minutes on 2 cores.
#
#   PULUMI_ANYSCALE_CACHE   cache root (default ~/.cache/pulumi-anyscale)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OPENTOFU_VERSION="1.12.6"
OPENTOFU_MODULE_DIR="$REPO_ROOT/scripts/engine/opentofu"
OPENTOFU_BIN_DIR="$PULUMI_ANYSCALE_CACHE/opentofu-v$OPENTOFU_VERSION/bin"
LOG_FILE="$PULUMI_ANYSCALE_CACHE/logs/setup-opentofu.log"
BUILD_LOCK="$PULUMI_ANYSCALE_CACHE/opentofu-build.lock"

fingerprint() {
  {
    echo "opentofu $OPENTOFU_VERSION"
    go version 2>/dev/null || true
    cat "$OPENTOFU_MODULE_DIR/go.mod" "$OPENTOFU_MODULE_DIR/go.sum"
  } | sha256sum | cut -d' ' -f1
}

is_current() {
  [ -x "$OPENTOFU_BIN_DIR/tofu" ] && [ "$(cat "$OPENTOFU_BIN_DIR/.fingerprint" 2>/dev/null)" = "$(fingerprint)" ]
}

build() {
  command -v go >/dev/null 2>&1 || die "building OpenTofu needs a Go toolchain (>= 1.26.6)"
  export GOTOOLCHAIN=local CGO_ENABLED=0
  # readonly: the committed go.sum is the source of truth, so the checksum database is never needed.
  export GOFLAGS="-mod=readonly -buildvcs=false"
  local staging="$OPENTOFU_BIN_DIR.staging.$$" started=$SECONDS
  rm -rf "$staging"; mkdir -p "$staging"
  log "building tofu v$OPENTOFU_VERSION from the Go module proxy (several minutes on 2 cores; log: $LOG_FILE)"
  # The version is stamped the way OpenTofu's release build does, so `tofu version` names it.
  if ! (cd "$OPENTOFU_MODULE_DIR" && nice -n 10 go build -trimpath \
      -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
      -o "$staging/tofu" github.com/opentofu/opentofu/cmd/tofu) >>"$LOG_FILE" 2>&1; then
    log "building tofu failed; last lines of $LOG_FILE:"
    tail -n 30 "$LOG_FILE" >&2
    exit 1
  fi
  fingerprint >"$staging/.fingerprint"
  rm -rf "$OPENTOFU_BIN_DIR"
  mv "$staging" "$OPENTOFU_BIN_DIR"
  log "built tofu v$OPENTOFU_VERSION in $((SECONDS - started))s"
}

main() {
  mkdir -p "$PULUMI_ANYSCALE_CACHE/logs" "$(dirname "$OPENTOFU_BIN_DIR")"
  if ! is_current; then
    exec 9>"$BUILD_LOCK"
    flock 9
    is_current || build
    flock -u 9
  fi
  log "$("$OPENTOFU_BIN_DIR/tofu" version 2>/dev/null | grep -m1 "^OpenTofu") ready in $OPENTOFU_BIN_DIR"
  echo "$OPENTOFU_BIN_DIR"
}

main "$@"
