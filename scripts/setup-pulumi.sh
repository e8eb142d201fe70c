#!/usr/bin/env bash
# Provides the Pulumi engine and prints the directory holding `pulumi` (last line of stdout), with
# the language hosts asked for next to it:
#
#   bash scripts/setup-pulumi.sh                  every language host (nodejs, python, yaml, go)
#   bash scripts/setup-pulumi.sh nodejs           only what a TypeScript program needs (the main job)
#
# A `pulumi` already on PATH is used when it is recent enough and has its Node.js language host.
# Otherwise the CLI (github.com/pulumi/pulumi/pkg/v3, pinned) is built with the ordinary `go` client
# from the Go module proxy, from the wrapper module in scripts/engine (its go.sum pins every
# dependency), into a cache outside the repo; later runs find the stamp and skip the build. The
# dynamic-provider plugin shim shipped in @pulumi/pulumi is copied next to it. Progress goes to
# stderr, details to a log file.
#
# The language hosts (scripts/engine/language-host for Node.js, python-host, go-host, and pulumi-yaml
# from the module proxy through the wrapper module scripts/engine/yaml) are built on first use, one
# by one, and stamped into language-hosts/ in the cache, then linked next to `pulumi`, where the CLI
# looks for the language plugins it bundles. Their stamps are their own: a change to a host never
# rebuilds the CLI, and a host nobody asked for is never built.
#
#   PULUMI_ANYSCALE_CACHE        cache root (default ~/.cache/pulumi-anyscale)
#   PULUMI_ANYSCALE_BUILD_ENGINE=1   ignore a pulumi on PATH and use the built one
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ENGINE_MODULE_DIR="$REPO_ROOT/scripts/engine"
SHIM_SOURCE="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
LOG_FILE="$PULUMI_ANYSCALE_CACHE/logs/setup-pulumi.log"
BUILD_LOCK="$PULUMI_ANYSCALE_CACHE/pulumi-build.lock"
LANGUAGE_HOSTS_DIR="$PULUMI_ANYSCALE_CACHE/language-hosts"
PULUMI_YAML_VERSION="1.25.0"
ALL_LANGUAGES=(nodejs python yaml go)
languages=("$@")
[ ${#languages[@]} -gt 0 ] || languages=("${ALL_LANGUAGES[@]}")

# The engine treats this plugin as bundled: next to `pulumi` it is used without a "from $PATH"
# warning. For a pulumi on PATH that lacks it, the copy in PULUMI_SHIM_BIN_DIR (on PATH) is used.
install_dynamic_provider_shim() {
  local target_dir="$1"
  [ -f "$SHIM_SOURCE" ] || die "$SHIM_SOURCE is missing: install the npm dependencies first (npm ci)"
  mkdir -p "$target_dir"
  if ! cmp -s "$SHIM_SOURCE" "$target_dir/pulumi-resource-pulumi-nodejs"; then
    cp "$SHIM_SOURCE" "$target_dir/pulumi-resource-pulumi-nodejs.tmp.$$"
    chmod +x "$target_dir/pulumi-resource-pulumi-nodejs.tmp.$$"
    mv -f "$target_dir/pulumi-resource-pulumi-nodejs.tmp.$$" "$target_dir/pulumi-resource-pulumi-nodejs"
  fi
}

# Prints the directory of a usable pulumi already on PATH, or fails.
usable_pulumi_on_path() {
  [ "${PULUMI_ANYSCALE_BUILD_ENGINE:-}" = "1" ] && return 1
  local pulumi_path pulumi_dir version
  pulumi_path="$(command -v pulumi 2>/dev/null)" || return 1
  pulumi_dir="$(cd "$(dirname "$pulumi_path")" && pwd)"
  [ "$pulumi_dir" = "$PULUMI_ENGINE_BIN_DIR" ] && return 1
  version="$(pulumi version 2>/dev/null)" || return 1
  if ! version_at_least "$version" "$PULUMI_ENGINE_MINIMUM_VERSION"; then
    log "ignoring pulumi $version on PATH (older than $PULUMI_ENGINE_MINIMUM_VERSION)"
    return 1
  fi
  if [ ! -x "$pulumi_dir/pulumi-language-nodejs" ] && ! command -v pulumi-language-nodejs >/dev/null 2>&1; then
    log "ignoring pulumi $version on PATH (no pulumi-language-nodejs next to it)"
    return 1
  fi
  log "using pulumi $version from $pulumi_dir"
  local name
  for name in "${languages[@]}"; do
    [ -x "$pulumi_dir/pulumi-language-$name" ] || command -v "pulumi-language-$name" >/dev/null 2>&1 ||
      log "note: no pulumi-language-$name with it: $name programs need one (PULUMI_ANYSCALE_BUILD_ENGINE=1 builds all hosts)"
  done
  echo "$pulumi_dir"
}

# Changes to the pinned version or go.sum trigger a rebuild (the module's direct/indirect markers do not).
build_fingerprint() {
  {
    echo "$PULUMI_ENGINE_VERSION cli"
    go version 2>/dev/null || true
    cat "$ENGINE_MODULE_DIR/go.sum"
  } | sha256sum | cut -d' ' -f1
}

built_engine_is_current() {
  [ -x "$PULUMI_ENGINE_BIN_DIR/pulumi" ] &&
    [ "$(cat "$PULUMI_ENGINE_BIN_DIR/.fingerprint" 2>/dev/null)" = "$(build_fingerprint)" ]
}

# Runs a long command with a heartbeat on stderr so CI logs show it is alive.
run_with_progress() {
  local label="$1"; shift
  local started=$SECONDS
  "$@" >>"$LOG_FILE" 2>&1 &
  local pid=$!
  # Checked every second (a build that ends is noticed at once), reported every 30 s.
  local next_report=$((started + 30))
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if [ "$SECONDS" -ge "$next_report" ] && kill -0 "$pid" 2>/dev/null; then
      log "$label: $((SECONDS - started))s elapsed"
      next_report=$((next_report + 30))
    fi
  done
  if ! wait "$pid"; then
    log "$label failed; last lines of $LOG_FILE:"
    tail -n 30 "$LOG_FILE" >&2
    return 1
  fi
}

go_build_environment() {
  command -v go >/dev/null 2>&1 || die "no pulumi on PATH and no Go toolchain to build it (install Go >= 1.25 or pulumi >= $PULUMI_ENGINE_MINIMUM_VERSION)"
  export GOTOOLCHAIN=local CGO_ENABLED=0
  # readonly: the committed go.sum is the source of truth, so the module proxy's checksum
  # database is never needed and the build cannot drift.
  export GOFLAGS="-mod=readonly -buildvcs=false"
}

build_engine() {
  go_build_environment
  local staging="$PULUMI_ENGINE_BIN_DIR.staging.$$"
  rm -rf "$staging"; mkdir -p "$staging"
  local started=$SECONDS
  log "building pulumi v$PULUMI_ENGINE_VERSION from the Go module proxy (cold: ~1 GB of modules, 10-25 min on 2 cores; log: $LOG_FILE)"
  (cd "$ENGINE_MODULE_DIR" && run_with_progress "downloading Go modules" \
    go list -deps github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  (cd "$ENGINE_MODULE_DIR" && run_with_progress "compiling pulumi" go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_ENGINE_VERSION" \
    -o "$staging/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  build_fingerprint >"$staging/.fingerprint"
  rm -rf "$PULUMI_ENGINE_BIN_DIR"
  mkdir -p "$(dirname "$PULUMI_ENGINE_BIN_DIR")"
  mv "$staging" "$PULUMI_ENGINE_BIN_DIR"
  log "built pulumi v$PULUMI_ENGINE_VERSION in $((SECONDS - started))s"
}

# Each language host: its wrapper module, the package built from it, its own sources and version.
language_host_spec() {
  case "$1" in
    nodejs) echo "$ENGINE_MODULE_DIR ./language-host language-host main.hostVersion=$PULUMI_ENGINE_VERSION" ;;
    python) echo "$ENGINE_MODULE_DIR ./python-host python-host main.hostVersion=$PULUMI_ENGINE_VERSION" ;;
    go) echo "$ENGINE_MODULE_DIR ./go-host go-host main.hostVersion=$PULUMI_ENGINE_VERSION" ;;
    yaml) echo "$ENGINE_MODULE_DIR/yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml - github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" ;;
    *) die "unknown language host $1" ;;
  esac
}

language_host_fingerprint() {
  local module_dir package sources version_flag
  read -r module_dir package sources version_flag <<<"$(language_host_spec "$1")"
  {
    echo "$1 $package $version_flag"
    go version 2>/dev/null || true
    cat "$module_dir/go.sum"
    if [ "$sources" != "-" ]; then cat "$module_dir/$sources"/*; fi
  } | sha256sum | cut -d' ' -f1
}

language_host_is_current() {
  local binary="$LANGUAGE_HOSTS_DIR/pulumi-language-$1"
  [ -x "$binary" ] && [ "$(cat "$binary.fingerprint" 2>/dev/null)" = "$(language_host_fingerprint "$1")" ]
}

build_language_host() {
  local name="$1" module_dir package sources version_flag
  read -r module_dir package sources version_flag <<<"$(language_host_spec "$name")"
  go_build_environment
  mkdir -p "$LANGUAGE_HOSTS_DIR"
  local started=$SECONDS staging="$LANGUAGE_HOSTS_DIR/.pulumi-language-$name.staging.$$"
  log "building pulumi-language-$name (log: $LOG_FILE)"
  (cd "$module_dir" && run_with_progress "downloading Go modules for pulumi-language-$name" go list -deps "$package")
  (cd "$module_dir" && run_with_progress "compiling pulumi-language-$name" go build -trimpath \
    -ldflags "-s -w -X $version_flag" -o "$staging" "$package")
  language_host_fingerprint "$name" >"$staging.fingerprint"
  mv -f "$staging" "$LANGUAGE_HOSTS_DIR/pulumi-language-$name"
  mv -f "$staging.fingerprint" "$LANGUAGE_HOSTS_DIR/pulumi-language-$name.fingerprint"
  log "built pulumi-language-$name in $((SECONDS - started))s"
}

# Builds what is missing or stale (under the build lock: never two Go builds at once), then links
# each host next to `pulumi`; a rebuilt engine directory only loses the links.
ensure_language_hosts() {
  local bin_dir="$1" name stale=()
  for name in "${languages[@]}"; do language_host_is_current "$name" || stale+=("$name"); done
  if [ ${#stale[@]} -gt 0 ]; then
    exec 8>"$BUILD_LOCK"
    flock 8
    for name in "${stale[@]}"; do language_host_is_current "$name" || build_language_host "$name"; done
    flock -u 8
  fi
  for name in "${languages[@]}"; do
    # A host built with the CLI by an older version of this script is a file, not a link: replace it.
    [ "$(readlink "$bin_dir/pulumi-language-$name" 2>/dev/null)" = "$LANGUAGE_HOSTS_DIR/pulumi-language-$name" ] ||
      ln -sfn "$LANGUAGE_HOSTS_DIR/pulumi-language-$name" "$bin_dir/pulumi-language-$name"
  done
}

main() {
  mkdir -p "$PULUMI_ANYSCALE_CACHE/logs"
  install_dynamic_provider_shim "$PULUMI_SHIM_BIN_DIR"
  if usable_pulumi_on_path; then
    return 0
  fi
  if ! built_engine_is_current; then
    # Two scripts started together (main.sh and test.sh) must not build twice.
    exec 9>"$BUILD_LOCK"
    flock 9
    built_engine_is_current || build_engine
    flock -u 9
  fi
  install_dynamic_provider_shim "$PULUMI_ENGINE_BIN_DIR"
  ensure_language_hosts "$PULUMI_ENGINE_BIN_DIR"
  log "pulumi $("$PULUMI_ENGINE_BIN_DIR/pulumi" version) ready in $PULUMI_ENGINE_BIN_DIR"
  echo "$PULUMI_ENGINE_BIN_DIR"
}

main "$@"
