#!/usr/bin/env bash
# The benchmarks (npm run bench): builds the package, makes sure the Pulumi engine and the official
# anyscale CLI venv exist, runs every benchmark in bench/ (or those named: state-bytes waits
# noop-preview native-plugin source-hash start, and on demand only: scale) and prints one table of
# figures. Ratios are measured within the run. The wait benchmark runs at the platform's timings (a
# version starts in 60 s) and takes about 8 minutes; `--quick` divides its timings by 10. `scale` runs
# BENCH_SCALE services + jobs (default 200 + 200) and takes tens of minutes. `terraform-peer` (on
# demand) compares with OpenTofu (built once by scripts/setup-opentofu.sh) and Anyscale's Terraform
# provider, whose binary ANYSCALE_TF_PROVIDER names (see docs/performance-scale.md).
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
# The single-executable plugin and its archive (the start bench installs it the Pulumi way).
log "plugin archive (scripts/build-plugin.sh)"
while IFS= read -r line; do
  [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] && export "${line?}"
done < <(bash "$REPO_ROOT/scripts/build-plugin.sh")
cd "$REPO_ROOT"
exec node local/dev/run-ts.js bench/run.ts "$@"
