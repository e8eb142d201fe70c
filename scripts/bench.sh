#!/usr/bin/env bash
# The benchmarks (npm run bench): builds the package, makes sure the Pulumi engine and the official
# anyscale CLI venv exist, runs every benchmark in bench/ (or those named: state-bytes readiness
# noop-preview deploy-wait native-plugin) and prints one table of figures. Ratios are measured within the run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_root_build
ensure_pulumi_engine
if [ -f "$REPO_ROOT/scripts/setup-python.sh" ]; then
  log "Python venvs (scripts/setup-python.sh)"
  while IFS= read -r line; do
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] && export "${line?}"
  done < <(bash "$REPO_ROOT/scripts/setup-python.sh")
fi
cd "$REPO_ROOT"
exec node local/dev/run-ts.js bench/run.ts "$@"
