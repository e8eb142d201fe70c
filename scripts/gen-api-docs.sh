#!/usr/bin/env bash
# Generates the API reference, docs/api/*.md, from the package schema as `pulumi package get-schema`
# prints it for the plugin (scripts/gen-sdks.sh fetches it the same way). Rerun after a schema change.
#
#   bash scripts/gen-api-docs.sh [schema.json]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

schema_file="${1:-}"
if [ -z "$schema_file" ]; then
  ensure_pulumi_engine nodejs
  plugin="$(bash "$REPO_ROOT/scripts/build-plugin.sh" | sed -n 's/^PLUGIN_EXECUTABLE=//p')"
  schema_file="$REPO_ROOT/.build/sdk/schema.json"
  mkdir -p "$(dirname "$schema_file")"
  (cd "$(dirname "$schema_file")" && pulumi package get-schema "$plugin" --non-interactive >"$schema_file.tmp")
  mv -f "$schema_file.tmp" "$schema_file"
fi
node "$REPO_ROOT/scripts/gen-api-docs.js" "$schema_file" "${API_DOCS_OUT:-$REPO_ROOT/docs/api}" >&2
