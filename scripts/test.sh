#!/usr/bin/env bash
# The whole test suite (README command 2; .ci/run calls exactly this). Installs what it needs on a
# fresh clone: npm dependencies and the compiled package, the Pulumi engine, the Python venvs and a
# real ZenML server. Then runs the jest projects unit, integration and e2e in that order (each one
# in band: the machine may have 2 cores) and exits non-zero if any of them failed.
#
#   bash scripts/test.sh                 everything
#   bash scripts/test.sh unit e2e        only these jest projects (setup steps they don't need are skipped)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(unit integration e2e)
wants() { local p; for p in "${projects[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

started=$SECONDS
ensure_root_build

if wants e2e; then
  ensure_pulumi_engine
  # The single-executable plugin and its archive (packaging e2e installs it with `pulumi plugin install`).
  log "plugin archive (scripts/build-plugin.sh)"
  plugin_env="$(bash "$REPO_ROOT/scripts/build-plugin.sh")" || die "scripts/build-plugin.sh failed"
fi

# Lines like NAME=value printed by the setup scripts become the tests' environment.
export_assignments() {
  local line
  while IFS= read -r line; do
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]] && export "${line?}"
  done
}
[ -z "${plugin_env:-}" ] || export_assignments <<<"$plugin_env"
log "setup so far: $((SECONDS - started))s"

if wants integration || wants e2e; then
  if [ -f "$REPO_ROOT/scripts/setup-python.sh" ]; then
    log "Python venvs (scripts/setup-python.sh)"
    python_env="$(bash "$REPO_ROOT/scripts/setup-python.sh")" || die "scripts/setup-python.sh failed"
    export_assignments <<<"$python_env"
  fi
  if wants e2e; then
    # Ray Serve for the Ray runtime e2e (once, cached); its RAY_BIN reaches the tests.
    log "Ray Serve (scripts/setup-ray.sh)"
    ray_env="$(bash "$REPO_ROOT/scripts/setup-ray.sh")" || die "scripts/setup-ray.sh failed"
    export_assignments <<<"$ray_env"
  fi
  if [ -f "$REPO_ROOT/scripts/zenml-server.sh" ]; then
    log "ZenML server (scripts/zenml-server.sh)"
    bash "$REPO_ROOT/scripts/zenml-server.sh" setup >&2
    zenml_was_running=false
    bash "$REPO_ROOT/scripts/zenml-server.sh" env >/dev/null 2>&1 && zenml_was_running=true
    bash "$REPO_ROOT/scripts/zenml-server.sh" start >&2
    # Only a server this run started is stopped at exit; one the developer had running stays up.
    if [ "$zenml_was_running" = false ]; then
      trap 'bash "$REPO_ROOT/scripts/zenml-server.sh" stop >&2 || true' EXIT
    fi
    zenml_env="$(bash "$REPO_ROOT/scripts/zenml-server.sh" env)" || die "scripts/zenml-server.sh env failed"
    export_assignments <<<"$zenml_env"
  fi
fi
log "setup done in $((SECONDS - started))s"

failed=()
results_dir="$(mktemp -d)"
for project in "${projects[@]}"; do
  log "jest project: $project"
  project_started=$SECONDS
  if (cd "$REPO_ROOT" && npx jest --selectProjects "$project" --runInBand --ci --json --outputFile="$results_dir/$project.json"); then
    log "$project passed ($((SECONDS - project_started))s)"
  else
    log "$project FAILED ($((SECONDS - project_started))s)"
    failed+=("$project")
  fi
done

# One plain closing line over all projects, the form CI reads: "tests: N passed, N failed".
node -e '
  const fs = require("fs"), path = require("path");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of fs.readdirSync(process.argv[1])) {
    const r = JSON.parse(fs.readFileSync(path.join(process.argv[1], file), "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results_dir"
rm -rf "$results_dir"

if [ ${#failed[@]} -gt 0 ]; then
  log "failed: ${failed[*]} (total $((SECONDS - started))s)"
  exit 1
fi
log "all passed: ${projects[*]} (total $((SECONDS - started))s)"
