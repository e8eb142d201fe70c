# Shared shell environment for the project's scripts (sourced, never run).
# Everything the Pulumi engine needs to run offline and without prompts lives here, so main.sh,
# test.sh and the e2e harness (which reads the same variable names) agree.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Built engines, venvs and module caches live outside the repo so fresh clones reuse them.
export PULUMI_ANYSCALE_CACHE="${PULUMI_ANYSCALE_CACHE:-$HOME/.cache/pulumi-anyscale}"

# The CLI matches @pulumi/pulumi in package.json: 3.248.0 is the newest SDK that runs on Node 20.
export PULUMI_ENGINE_VERSION="3.248.0"
# Older CLIs work with dynamic providers too, but configure() reaching them needs 3.139.0+.
export PULUMI_ENGINE_MINIMUM_VERSION="3.139.0"
export PULUMI_ENGINE_BIN_DIR="$PULUMI_ANYSCALE_CACHE/pulumi-v$PULUMI_ENGINE_VERSION/bin"
# The dynamic-provider plugin shim from @pulumi/pulumi, needed whichever CLI is used.
export PULUMI_SHIM_BIN_DIR="$PULUMI_ANYSCALE_CACHE/pulumi-nodejs-shim"

# Offline, non-interactive engine: no update checks, no plugin downloads, no prompts.
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_SUPPRESS_COPILOT_LINK=true
export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true

# The main job keeps its engine home and file-backend state inside the project (git-ignored).
export PULUMI_LOCAL_DIR="$REPO_ROOT/.pulumi-local"
export PULUMI_HOME="${PULUMI_HOME:-$PULUMI_LOCAL_DIR/home}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PULUMI_LOCAL_DIR/state}"
# Encrypts secrets in the local state. A fixed default keeps the quick start prompt-free; set your
# own PULUMI_CONFIG_PASSPHRASE for anything that matters.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-pulumi-anyscale-local}"

# The local Anyscale control plane started by main.sh keeps its data and pid here.
export ANYSCALE_LOCAL_DIR="$REPO_ROOT/.anyscale-local"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# "1.2.3" >= "1.2.0" without relying on sort -V being available everywhere.
version_at_least() {
  local have="$1" want="$2" i
  local -a h w
  IFS=. read -r -a h <<<"${have#v}"
  IFS=. read -r -a w <<<"${want#v}"
  for i in 0 1 2; do
    local hv="${h[i]:-0}" wv="${w[i]:-0}"
    hv="${hv%%[!0-9]*}"; wv="${wv%%[!0-9]*}"
    if (( ${hv:-0} > ${wv:-0} )); then return 0; fi
    if (( ${hv:-0} < ${wv:-0} )); then return 1; fi
  done
  return 0
}

# Installs the root package's dependencies once and compiles it; both commands need dist/.
ensure_root_build() {
  # npm records what it installed in node_modules/.package-lock.json: a lockfile changed since (a pull
  # that added a dependency) installs again, as a fresh clone does.
  if [ ! -d "$REPO_ROOT/node_modules/@pulumi/pulumi" ] || [ "$REPO_ROOT/package-lock.json" -nt "$REPO_ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm dependencies"
    if [ -f "$REPO_ROOT/package-lock.json" ]; then
      (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --prefer-offline >&2)
    else
      (cd "$REPO_ROOT" && npm install --no-audit --no-fund --prefer-offline >&2)
    fi
  fi
  log "compiling the package (npm run build)"
  (cd "$REPO_ROOT" && npm run --silent build >&2)
}

# Puts the engine on PATH, building it first if needed (see setup-pulumi.sh), with the language
# hosts named (default: all of them).
ensure_pulumi_engine() {
  local bin_dir
  bin_dir="$(bash "$REPO_ROOT/scripts/setup-pulumi.sh" "$@")" || die "could not provide the Pulumi engine"
  export PATH="$bin_dir:$PULUMI_SHIM_BIN_DIR:$PATH"
}
