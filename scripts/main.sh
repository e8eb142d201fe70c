#!/usr/bin/env bash
# The main job (README command 1): deploy the quickstart program (root Pulumi.yaml ->
# examples/quickstart) with the real `pulumi` CLI, print its outputs and make one authenticated
# request to the service's query URL.
#
# With ANYSCALE_HOST unset it runs against the local Anyscale control plane, started in the
# background with the Ray runtime, so the query answers with the quickstart's own app (Ray Serve is
# installed once; without it the plane echoes requests: scripts/local-ray.sh, docs/local-plane-ray.md;
# scripts/stop-local.sh stops it). With ANYSCALE_HOST and ANYSCALE_CLI_TOKEN set it
# deploys to that Anyscale instead. Installs what it needs on a fresh clone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STACK="${PULUMI_STACK:-dev}"
QUICKSTART_DIR="$REPO_ROOT/examples/quickstart"

ensure_root_build
# The quickstart is a TypeScript program: only the Node.js language host (others are built on first use).
ensure_pulumi_engine nodejs

if [ -z "${ANYSCALE_HOST:-}" ]; then
  source "$REPO_ROOT/scripts/local-ray.sh"
  start_local_plane_with_ray
fi
[ -n "${ANYSCALE_CLI_TOKEN:-}" ] || die "ANYSCALE_HOST is set but ANYSCALE_CLI_TOKEN is not"

# The program consumes the package the way a user's project does: an installed copy
# (.npmrc install-links) of this checkout, refreshed because dist/ was just rebuilt.
log "installing the quickstart's dependencies"
# npm keeps an already-installed file: copy as is, so drop it to pick up the fresh build.
rm -rf "$QUICKSTART_DIR/node_modules/pulumi-anyscale"
(cd "$QUICKSTART_DIR" && npm install --prefer-offline --no-audit --no-fund --loglevel=error >&2)

mkdir -p "$PULUMI_LOCAL_DIR/state" "$PULUMI_HOME"
cd "$REPO_ROOT"
pulumi stack select "$STACK" --create --non-interactive >/dev/null
pulumi config set anyscale:host "$ANYSCALE_HOST" --stack "$STACK" --non-interactive
# Through stdin, so the token never shows in a process listing; stored encrypted in Pulumi.<stack>.yaml.
printf '%s' "$ANYSCALE_CLI_TOKEN" | pulumi config set --secret anyscale:token --stack "$STACK" --non-interactive

log "pulumi up (stack $STACK, backend $PULUMI_BACKEND_URL)"
pulumi up --yes --skip-preview --non-interactive --stack "$STACK" >&2

echo
echo "Stack outputs (secrets hidden):"
pulumi stack output --stack "$STACK" --non-interactive

query_url="$(pulumi stack output queryUrl --stack "$STACK" --non-interactive)"
query_token="$(pulumi stack output queryAuthToken --show-secrets --stack "$STACK" --non-interactive)"
echo
echo "Query URL: $query_url"
echo "Authenticated request:"
echo "  curl -H \"Authorization: Bearer \$(pulumi stack output queryAuthToken --show-secrets)\" $query_url/"
response_file="$(mktemp)"
status="$(curl -sS -o "$response_file" -w '%{http_code}' -H "Authorization: Bearer $query_token" "$query_url/")"
echo "  -> HTTP $status $(cat "$response_file")"
rm -f "$response_file"
[ "$status" = "200" ] || die "the query URL did not answer 200 with the service's token"

echo
echo "Next, a canary rollout (README: 'Change the service and watch a canary rollout'):"
echo "  source scripts/env.sh    # this engine, state backend and passphrase in your shell"
echo "  pulumi config set imageUri anyscale/ray:2.49.0-py311 && pulumi config set canaryPercent 10"
echo "  pulumi preview --diff && pulumi up --yes"
echo "Tear down: pulumi destroy --yes && bash scripts/stop-local.sh"
